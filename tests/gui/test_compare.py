"""Judging a result: no mask tint over previews, the held original, and the split compare."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from window_helpers import canvas_color, drag_rectangle, pixel_at, widget_point

from imgdesk.ui.compare_view import CompareDivider
from imgdesk.ui.main_window import MainWindow

pytest_plugins = ("fixtures_session", "fixtures_window")

BLUE = QColor(10, 40, 230)
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def solid(shape: tuple[int, ...], color: QColor) -> np.ndarray:
    pixels = np.empty(shape, np.uint8)
    pixels[...] = (color.red(), color.green(), color.blue(), 255)
    return pixels


def test_overlay_hides_while_a_preview_is_shown_and_returns_after(
    window: MainWindow, opened: np.ndarray
) -> None:
    original = canvas_color(window, 150, 150)
    drag_rectangle(window, 100, 100, 250, 200)
    tinted = canvas_color(window, 150, 150)
    assert tinted != original

    document = window.document
    document.show_preview(solid(opened.shape, BLUE))
    assert canvas_color(window, 150, 150) == BLUE  # exactly the preview: no tint on top

    canvas = window.canvas
    canvas.setFocus()
    QTest.keyPress(canvas, Qt.Key.Key_Backslash)
    assert canvas_color(window, 150, 150) == original  # held: the original, untinted
    QTest.keyRelease(canvas, Qt.Key.Key_Backslash)
    assert canvas_color(window, 150, 150) == BLUE

    document.show_preview(None)
    assert canvas_color(window, 150, 150) == tinted


def test_variant_and_compare_toggle_stay_untinted(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    drag_rectangle(window, 100, 100, 250, 200)
    generate_offline(qtbot, window)  # the strip appears and the canvas fits again: sample now
    variant = canvas_color(window, 150, 150)
    window.tools.set_show_original(True)
    original = canvas_color(window, 150, 150)
    window.tools.set_show_original(False)
    assert variant != original
    window.actions_.by_name["compare"].trigger()  # Ctrl+\
    assert window.session.compare
    assert canvas_color(window, 150, 150) == original
    window.actions_.by_name["compare"].trigger()
    assert canvas_color(window, 150, 150) == variant


def generate_offline(qtbot: QtBot, window: MainWindow) -> None:
    assert window.session.engine_choice == "local"
    window.prompt_panel.prompt_edit.setPlainText("remove it")
    window.prompt_panel.variants_spin.setValue(1)
    with qtbot.waitSignal(window.session.finished, timeout=20_000) as finished:
        window.prompt_panel.generate_button.click()
    assert finished.args == ["done"]


def middle(handle: QWidget) -> float:
    return handle.x() + handle.width() / 2


def divider(window: MainWindow) -> CompareDivider:
    found = window.canvas.findChild(QWidget, "compareDivider")
    assert isinstance(found, CompareDivider)
    return found


def test_split_compare_shows_original_left_and_variant_right_of_a_dragged_divider(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    drag_rectangle(window, 20, 100, 460, 200)
    generate_offline(qtbot, window)
    canvas = window.canvas
    result = canvas.grab().toImage()
    canvas.setFocus()
    QTest.keyPress(canvas, Qt.Key.Key_Backslash)
    plain = canvas.grab().toImage()  # the original without tint, for reference
    QTest.keyRelease(canvas, Qt.Key.Key_Backslash)
    assert plain != result

    handle = divider(window)
    assert handle.isHidden()
    window.activateWindow()
    QTest.keyClick(
        canvas,
        Qt.Key.Key_Backslash,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert window.tools.split_view
    assert window.actions_.by_name["split"].isChecked()
    assert window.variants.split_button.isChecked()
    assert handle.isVisible()
    assert abs(middle(handle) - canvas.width() / 2) <= 1

    # Drag the divider to 40 % of the width with the mouse.
    grip = handle.rect().center()
    target_x = round(canvas.width() * 0.4)
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, NO_MODIFIER, grip)
    QTest.mouseMove(handle, QPoint(grip.x() - 30, grip.y()))
    to = handle.mapFromParent(QPoint(target_x, handle.geometry().center().y()))
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, NO_MODIFIER, to)
    assert abs(window.tools.split_position - 0.4) < 0.01
    assert abs(middle(handle) - target_x) <= 1

    row = widget_point(window, 240, 150).y()
    shown = canvas.grab().toImage()
    for x in (target_x - 40, target_x - 20):
        assert shown.pixelColor(x, row) == plain.pixelColor(x, row)
    for x in (target_x + 20, target_x + 40):
        assert shown.pixelColor(x, row) == result.pixelColor(x, row)
    assert plain.pixelColor(target_x + 20, row) != result.pixelColor(target_x + 20, row)

    # Arrow keys move it too, and the divider leaves with the variants.
    handle.setFocus()
    QTest.keyClick(handle, Qt.Key.Key_Right)
    assert abs(window.tools.split_position - 0.42) < 0.01
    window.variants.discard_button.click()
    assert handle.isHidden()
    assert pixel_at(canvas, QPoint(target_x + 20, row)) != result.pixelColor(target_x + 20, row)
