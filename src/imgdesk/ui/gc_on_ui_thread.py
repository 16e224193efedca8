"""Run Python's cyclic garbage collector on the UI thread only.

The collector runs on whichever thread happens to allocate when a generation threshold is hit:
often a worker thread decoding or compositing. If the garbage it finds includes QObjects (models
with timers, widgets), Qt destroys them on that thread and crashes later in the event loop; this
was seen as rare segfaults in the GUI tests. pyqtgraph's GarbageCollector solves the same problem
the same way: switch automatic collection off and collect from a timer on the UI thread.
Reference counting still frees almost everything immediately; only cycles wait for the timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 1000


class UiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = _INTERVAL_MS) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        # Same generational policy as the automatic collector, just on this thread.
        counts = gc.get_count()
        if counts[0] > self._threshold[0]:
            generation = 0
            if counts[1] > self._threshold[1]:
                generation = 2 if counts[2] > self._threshold[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
