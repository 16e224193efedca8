"""Start the editor (or a bare PySide6 window) and report the first paint of its main window.

Usage: python startup_probe.py app|bare

Prints "painted" on stdout once the main window's first
paint has been flushed, then "ready" once every control works (the app's window emits `ready`
after its models are attached; a bare window is ready when painted), then exits at once. `app`
goes through `imgdesk.app.run_gui` itself: the QApplication made here first is the one
`make_application` hands back, so the filter below sees the real window come up.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self.seen
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and isinstance(watched.window(), QMainWindow)
        ):
            self.seen = True
            window = watched.window()
            ready = getattr(window, "ready", None)
            if ready is not None and not getattr(window, "attached", True):
                ready.connect(_ready)  # an app window not yet filled in
                QTimer.singleShot(0, _painted)
            else:
                QTimer.singleShot(0, _painted_and_ready)
        return False


# Reported after the paint is flushed to the window, not while it is still being drawn.
def _painted() -> None:
    print("painted", flush=True)


def _ready() -> None:
    print("ready", flush=True)
    os._exit(0)  # the time to tear down is not part of starting


def _painted_and_ready() -> None:
    _painted()
    _ready()


def main(kind: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    first = FirstPaint()
    if kind == "bare":
        app = QApplication(sys.argv[:1])
        app.installEventFilter(first)
        window = QMainWindow()
        window.resize(1400, 900)
        window.show()
        app.exec()
        return
    from imgdesk.app import make_application, run_gui

    make_application().installEventFilter(first)
    run_gui()


if __name__ == "__main__":
    main(sys.argv[1])
