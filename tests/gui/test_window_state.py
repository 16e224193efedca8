"""The window's layout comes back at the next start, from the data folder; a bad file is ignored."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot
from window_helpers import Run

from imgdesk.core.paths import AppPaths
from imgdesk.ui.main_window import MainWindow, build_main_window
from imgdesk.ui.window_state import FILE_NAME

pytest_plugins = ("fixtures_session",)

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


def open_window(paths: AppPaths, qtbot: QtBot, qt_owned: list[QObject]) -> MainWindow:
    window = build_main_window(paths)
    qt_owned.append(window)
    return window


def tool_bar(window: MainWindow) -> QToolBar:
    bar = window.findChild(QToolBar, "mainToolBar")
    assert bar is not None
    return bar


def restored_size(window: MainWindow, size: QSize) -> bool:
    # The offscreen screen is 800 px wide and Qt fits a restored window to its screen, so the
    # width may come back a few pixels narrower than the window's own minimum.
    return window.height() == size.height() and abs(window.width() - size.width()) <= 24


def close(window: MainWindow, arun: Run) -> None:
    window.close()
    arun(window.aclose())


def test_geometry_and_dock_layout_survive_a_restart(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> None:
    first = open_window(paths, qtbot, qt_owned)
    first.show()
    qtbot.waitExposed(first)
    first.resize(790, 520)
    size = first.size()
    assert size != QSize(1400, 900)
    first.addDockWidget(LEFT, first.prompt_dock)
    first.addToolBar(Qt.ToolBarArea.BottomToolBarArea, tool_bar(first))
    close(first, arun)
    saved = json.loads((paths.config / FILE_NAME).read_text())
    assert saved["format"] == "imgdesk-window"

    second = open_window(paths, qtbot, qt_owned)
    # Restored before show, so the window never flashes at its default size.
    assert restored_size(second, size)
    assert second.dockWidgetArea(second.prompt_dock) == LEFT
    assert second.toolBarArea(tool_bar(second)) == Qt.ToolBarArea.BottomToolBarArea
    second.show()
    qtbot.waitExposed(second)
    assert second.toolBarArea(tool_bar(second)) == Qt.ToolBarArea.BottomToolBarArea
    close(second, arun)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff not json",
        b'{"format": "something-else", "version": 1}',
        b'["a", "list"]',
        b'{"format": "imgdesk-window", "version": 1, "geometry": "%%%", "state": 3}',
        # Well-formed base64 that Qt's own checks reject.
        b'{"format": "imgdesk-window", "version": 1, "geometry": "AAAA", "state": "AAAA",'
        b' "splitters": {"x": "y"}}',
    ],
)
def test_a_corrupt_or_foreign_layout_file_gives_the_defaults(
    qt_owned: list[QObject],
    qloop: object,
    qtbot: QtBot,
    paths: AppPaths,
    arun: Run,
    content: bytes,
) -> None:
    (paths.config / FILE_NAME).write_bytes(content)
    window = open_window(paths, qtbot, qt_owned)
    assert window.size() == QSize(1400, 900)  # the window's own default
    assert window.dockWidgetArea(window.prompt_dock) == RIGHT
    assert window.toolBarArea(tool_bar(window)) == Qt.ToolBarArea.TopToolBarArea
    window.show()
    qtbot.waitExposed(window)
    close(window, arun)
    # The bad file is replaced by a good one at close.
    assert json.loads((paths.config / FILE_NAME).read_text())["format"] == "imgdesk-window"
