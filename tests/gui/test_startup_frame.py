"""Start-up paints the window's frame before the editor's heavy imports, then fills it in place.

The frame (menu titles, toolbar and panel places, empty state, status bar) must not need numpy,
Pillow, the store, stripe, aiohttp or the keyring; attaching the models must not move what the
user already sees; closing the frame before it is ready ends cleanly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, QRect, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QWidget
from pytestqt.qtbot import QtBot
from window_helpers import Run, write_photo

from imgdesk.core.paths import AppPaths
from imgdesk.ui.main_window import MainWindow, attach_models, open_frame

pytest_plugins = ("fixtures_session",)

REPO = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: this test process has long imported everything.
_FRAME_PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from imgdesk.app import make_application
from imgdesk.core.paths import app_paths
from imgdesk.ui.main_window import open_frame
app = make_application()
paths = app_paths()
paths.ensure()
window = open_frame(paths)
window.show()
app.processEvents()
heavy = ("numpy", "PIL", "cv2", "stripe", "aiohttp", "keyring", "openai", "sqlite3")
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
"""


def _python(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter running `args` offscreen with its own data folder; must exit 0."""
    env = dict(os.environ, IMGDESK_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_frame_is_painted_without_the_heavy_imports(tmp_path: Path) -> None:
    done = _python(["-c", _FRAME_PROBE], tmp_path / "data")
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def _place(widget: QWidget, window: MainWindow) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _toolbar(window: MainWindow, name: str) -> QToolBar:
    bar = window.findChild(QToolBar, name)
    assert isinstance(bar, QToolBar)
    return bar


def _places(window: MainWindow) -> dict[str, QRect]:
    return {
        "canvas": _place(window.canvas_stack, window),
        "edit": _place(window.prompt_dock, window),
        "history": _place(window.history_dock, window),
        "tools": _place(_toolbar(window, "mainToolBar"), window),
        "options": _place(_toolbar(window, "toolOptions"), window),
        "status": _place(window.statusBar(), window),
    }


def _sides(window: MainWindow) -> list[object]:
    return [
        window.dockWidgetArea(window.prompt_dock),
        window.dockWidgetArea(window.history_dock),
        window.toolBarArea(_toolbar(window, "mainToolBar")),
        window.toolBarArea(_toolbar(window, "toolOptions")),
    ]


def _frame_then_models(
    paths: AppPaths,
    qtbot: QtBot,
    qt_owned: list[QObject],
    *,
    exact: bool = True,
    notice_in_frame: bool = False,
) -> MainWindow:
    """Frame shown and painted, then the models attached; checks nothing moved meanwhile
    (`exact`), else that every panel and toolbar stayed on its side."""
    window = open_frame(paths)
    qt_owned.append(window)
    window.show()
    with qtbot.waitSignal(window.painted, timeout=5000):
        pass
    before = _places(window)
    noticed_in_frame = window.banner.isVisible()
    assert noticed_in_frame == notice_in_frame
    sides = _sides(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert not window.attached

    with qtbot.waitSignal(window.ready, timeout=10_000):
        attach_models(window, paths)
    qtbot.wait(50)  # the layout settles on the next pass of the event loop
    after = _places(window)
    assert _sides(window) == sides
    assert [action.text() for action in window.menuBar().actions()] == titles
    if noticed_in_frame:  # the notice was there from the first paint: the canvas kept its top
        assert after["canvas"].top() == before["canvas"].top()
    if not exact:
        return window
    # No key is set here, so the offline engine's notice shows. On a first start only it may
    # push the canvas down; once remembered, the frame shows it from the first paint.
    assert window.banner.isVisible()
    if not noticed_in_frame:
        banner = window.banner.height() + window.centralWidget().layout().spacing()
        assert after.pop("canvas") == before.pop("canvas").adjusted(0, banner, 0, 0)
    assert after == before
    return window


def test_a_remembered_notice_is_in_the_frame_so_nothing_moves(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> None:
    first = _frame_then_models(paths, qtbot, qt_owned)
    first.close()
    arun(first.aclose())
    # (Sizes are squeezed in the 800 px offscreen screen, see the remembered layout test.)
    second = _frame_then_models(paths, qtbot, qt_owned, exact=False, notice_in_frame=True)
    second.close()
    arun(second.aclose())


def test_attaching_the_models_fills_the_frame_without_moving_it(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> None:
    window = _frame_then_models(paths, qtbot, qt_owned)
    # The real toolbar took the stand-in's place: one toolbar of that name, now with content.
    assert len(window.findChildren(QToolBar, "mainToolBar")) == 1
    assert _toolbar(window, "mainToolBar").actions()[0].text() != "\u200b"
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert file_menu.actions()
    assert window.prompt_dock.widget() is not None
    assert window.history_dock.widget() is not None
    window.close()
    arun(window.aclose())


def test_a_remembered_layout_is_the_frames_layout_too(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> None:
    first = _frame_then_models(paths, qtbot, qt_owned)
    # (The offscreen screen is 800 px wide: a second dock column would not fit in it.)
    first.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, first.history_dock)
    first.addToolBar(Qt.ToolBarArea.BottomToolBarArea, _toolbar(first, "mainToolBar"))
    qtbot.wait(50)
    first.close()
    arun(first.aclose())

    # Exact sizes are checked for the default layout above; in the 800 px offscreen screen a
    # remembered layout's sizes are squeezed differently while the panels are still empty.
    second = _frame_then_models(paths, qtbot, qt_owned, exact=False, notice_in_frame=True)
    assert second.dockWidgetArea(second.history_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    bar = _toolbar(second, "mainToolBar")
    assert second.toolBarArea(bar) == Qt.ToolBarArea.BottomToolBarArea
    second.close()
    arun(second.aclose())


def test_closing_the_frame_before_it_is_ready_ends_cleanly(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> None:
    window = open_frame(paths)
    qt_owned.append(window)
    window.show()
    with qtbot.waitSignal(window.closed, timeout=5000):
        window.close()
    assert not window.isVisible()
    arun(window.aclose())  # nothing was opened, nothing to wait for
    # The layout was still saved, as for any close.
    assert (paths.config / "window.json").is_file()


def test_the_app_paints_its_frame_then_becomes_ready(tmp_path: Path) -> None:
    """The real start (`imgdesk.app.run_gui`) through the benchmark's probe, in order."""
    done = _python([str(REPO / "tests" / "bench" / "startup_probe.py"), "app"], tmp_path / "data")
    assert done.stdout.split() == ["painted", "ready"]


def test_a_photo_dropped_on_the_frame_opens_once_the_editor_is_there(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run, tmp_path: Path
) -> None:
    photo = write_photo(tmp_path / "dropped.png")
    window = open_frame(paths)
    qt_owned.append(window)
    window.show()
    with qtbot.waitSignal(window.painted, timeout=5000):
        pass
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped.png"))])
    point = QPointF(window.canvas_stack.mapTo(window, QPoint(50, 50)))
    drop = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert drop.isAccepted()
    assert not window.attached

    with qtbot.waitSignal(window.ready, timeout=10_000):
        attach_models(window, paths)
    qtbot.waitUntil(lambda: window.document.pixels is not None, timeout=10_000)
    assert np.array_equal(window.document.pixels, photo)
    window.close()
    arun(window.aclose())


def _broken_attach(window: MainWindow, paths: AppPaths) -> None:
    raise RuntimeError("the store could not be opened")


def test_an_editor_that_cannot_open_says_so_in_the_frame(
    monkeypatch: pytest.MonkeyPatch,
    qt_owned: list[QObject],
    qloop: object,
    qtbot: QtBot,
    paths: AppPaths,
    arun: Run,
) -> None:
    """A failure while filling the frame shows the crash dialog over it, then ends on close."""
    import imgdesk.app as app_module
    from imgdesk.core import crash
    from imgdesk.ui.crash_dialog import CrashDialog

    monkeypatch.setattr(app_module, "attach_models", _broken_attach)
    window = open_frame(paths)
    qt_owned.append(window)
    window.show()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)

    def close_when_reported() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
        if dialogs and dialogs[0].isVisible():
            assert "the store could not be opened" in dialogs[0].details.toPlainText()
            dialogs[0].close()
            window.close()
        else:
            QTimer.singleShot(20, close_when_reported)

    QTimer.singleShot(0, close_when_reported)
    try:
        assert arun(app_module._main(qapp, window, paths, None)) == 1
    finally:
        crash.set_show(None)
        crash.uninstall()
    assert not window.attached
