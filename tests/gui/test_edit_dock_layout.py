"""The Edit dock at the window's default size and at 1280x800: no scrolling to reach Generate.

A designer opens the app and should see the prompt, the model, the number of variants and
Generate at once; the rarer options fold away but stay one click from sight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject, QRect, QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from window_helpers import Run

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.paths import AppPaths
from imgdesk.ui.main_window import MainWindow, attach_models, open_frame

pytest_plugins = ("fixtures_session", "fixtures_window")


def settle(window: MainWindow, size: QSize) -> None:
    window.resize(size)
    for _ in range(3):  # dock layout, then the panel's own layout, then the scroll range
        QApplication.processEvents()


def on_screen(widget: QWidget, window: MainWindow) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def in_sight(widget: QWidget, window: MainWindow) -> bool:
    """Fully inside the dock's visible part (and the scroll area's viewport, if it scrolls)."""
    panel = window.prompt_panel
    box = on_screen(widget, window)
    dock = on_screen(window.prompt_dock, window)
    if not widget.isVisible() or not dock.contains(box):
        return False
    if panel.options.isAncestorOf(widget):
        return on_screen(panel.scroll_area.viewport(), window).contains(box)
    return True


@pytest.fixture
def started(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> Iterator[Callable[[QSize | None], MainWindow]]:
    """The window as the app starts it: the frame shown and painted, then the models attached."""
    windows: list[MainWindow] = []

    def start(size: QSize | None) -> MainWindow:
        window = open_frame(paths)
        qt_owned.append(window)
        windows.append(window)
        if size is not None:
            window.resize(size)
        window.show()
        with qtbot.waitSignal(window.painted, timeout=5000):
            pass
        with qtbot.waitSignal(window.ready, timeout=10_000):
            attach_models(window, paths)
        settle(window, window.size())
        return window

    yield start
    for window in windows:
        window.close()
        arun(window.aclose())


@pytest.mark.parametrize("size", [None, QSize(1280, 800)], ids=["default", "1280x800"])
def test_prompt_model_variants_and_generate_fit_without_scrolling(
    started: Callable[[QSize | None], MainWindow], size: QSize | None
) -> None:
    window = started(size)
    assert window.width() >= 1280
    assert window.height() >= 800
    panel = window.prompt_panel
    assert window.prompt_dock.isVisible()
    assert panel.scroll_area.verticalScrollBar().value() == 0
    assert panel.scroll_area.horizontalScrollBar().maximum() == 0  # nothing cut at the side
    options: tuple[QWidget, ...] = (panel.prompt_edit, panel.model_combo, panel.variants_spin)
    for widget in options:
        assert in_sight(widget, window), widget.objectName()
    footer: tuple[QWidget, ...] = (panel.generate_button, panel.cancel_button, panel.cost_label)
    for widget in footer:
        assert in_sight(widget, window), widget.objectName()
        assert not panel.scroll_area.isAncestorOf(widget)  # in the footer, never scrolled away
    assert panel.prompt_edit.height() >= 72  # four lines at least


def test_generate_stays_in_sight_in_a_short_dock_and_every_option_is_reachable(
    qtbot: QtBot, window: MainWindow
) -> None:
    settle(window, QSize(1280, 560))
    panel = window.prompt_panel
    panel.more_options_button.click()
    # What was just unfolded is scrolled into sight; Generate never moves.
    qtbot.waitUntil(lambda: in_sight(panel.references, window))
    assert in_sight(panel.generate_button, window)
    scroll = panel.scroll_area
    assert scroll.verticalScrollBar().value() > 0  # too short for everything: options scroll
    for widget in (panel.format_combo, panel.background_combo, panel.references):
        scroll.ensureWidgetVisible(widget)
        QApplication.processEvents()
        assert in_sight(widget, window), widget.objectName()
    assert in_sight(panel.generate_button, window)


def test_more_options_fold_away_and_open_for_a_refused_option(window: MainWindow) -> None:
    panel = window.prompt_panel
    folded = (panel.format_combo, panel.background_combo, panel.references)
    assert not panel.more_options_button.isChecked()
    assert not any(w.isVisible() for w in folded)
    panel.more_options_button.click()
    assert all(w.isVisible() for w in folded)
    panel.more_options_button.click()
    assert not any(w.isVisible() for w in folded)
    refused = ImgdeskError(ErrorKind.INVALID_REQUEST, "Too many references.", field="references")
    window.session.field_errors_changed.emit([refused])
    assert panel.more_options_button.isChecked()
    assert panel.references.isVisible()
    assert panel.invalid_fields() == ["references"]
