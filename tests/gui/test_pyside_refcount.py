"""PySide6 6.12.0 on Python 3.11 frees None/True after a few thousand calls and aborts CPython.

pyproject pins PySide6 below 6.12; this test runs the same calls in a child process so that a
release with that defect fails here, loudly, instead of crashing users' sessions at random.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
class Emitter(QObject):
    fired = Signal(int)
emitter, widget = Emitter(), QWidget()
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for i in range(20000):
    emitter.fired.emit(i)
    widget.update()
    app.processEvents()
print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_signal_emits_and_void_calls_keep_singletons_alive() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    none_delta, true_delta = (int(v) for v in done.stdout.split())
    # A correct binding leaves the counts roughly where they were; the defect loses 20,000.
    assert none_delta > -100
    assert true_delta > -100
