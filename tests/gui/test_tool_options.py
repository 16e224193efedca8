"""The tool options strip and the Mask menu's sized commands, driven with keys and clicks."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QSpinBox, QToolBar
from pytestqt.qtbot import QtBot
from window_helpers import canvas_color, drag_rectangle, paint_stroke

from imgdesk.core import sizing
from imgdesk.ui.main_window import MainWindow
from imgdesk.ui.tool_options import ToolOptionsBar, position_to_size, size_to_position

pytest_plugins = ("fixtures_session", "fixtures_window")

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def options(window: MainWindow) -> ToolOptionsBar:
    bar = window.findChild(QToolBar, "toolOptions")
    assert isinstance(bar, ToolOptionsBar)
    assert bar.isVisible()
    return bar


def type_into(spin: QSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)


def press_shortcut(window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    window.activateWindow()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, key, modifiers)


def test_size_slider_and_spin_follow_the_bracket_keys(
    window: MainWindow, opened: np.ndarray
) -> None:
    bar = options(window)
    tools = window.tools
    assert bar.size_spin.value() == tools.brush_size == 80
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_BracketRight)
    assert tools.brush_size == 88
    assert bar.size_spin.value() == 88
    assert bar.size_slider.value() == size_to_position(88)
    QTest.keyClick(window.canvas, Qt.Key.Key_BracketLeft)
    QTest.keyClick(window.canvas, Qt.Key.Key_BracketLeft)
    assert bar.size_spin.value() == tools.brush_size == 73

    bar.size_slider.setFocus()
    QTest.keyClick(bar.size_slider, Qt.Key.Key_End)
    assert tools.brush_size == 2000
    QTest.keyClick(bar.size_slider, Qt.Key.Key_Home)
    assert tools.brush_size == 1
    assert bar.size_spin.value() == 1
    assert "[" in bar.size_slider.toolTip()
    assert "]" in bar.size_slider.toolTip()


def test_typed_size_and_softness_are_what_the_brush_paints(
    window: MainWindow, opened: np.ndarray
) -> None:
    bar = options(window)
    type_into(bar.size_spin, "24")
    assert window.tools.brush_size == 24
    assert bar.size_slider.value() == size_to_position(24)
    type_into(bar.softness_spin, "0")
    assert window.tools.softness == 0.0
    assert bar.softness_slider.value() == 0

    paint_stroke(window, [(200, 180), (200, 180)], size=window.tools.brush_size)
    mask = window.document.mask
    assert mask[180, 200 + 11] == 255  # radius 12 image pixels, hard edge
    assert mask[180, 200 + 13] == 0
    assert mask[180 + 11, 200] == 255
    assert mask[180 - 13, 200] == 0

    type_into(bar.softness_spin, "100")
    assert window.tools.softness == 1.0
    assert bar.softness_slider.value() == 100
    bar.softness_slider.setFocus()
    QTest.keyClick(bar.softness_slider, Qt.Key.Key_PageDown)
    assert window.tools.softness == 0.9


def test_slider_positions_cover_every_size_and_round_trip() -> None:
    for size in (1, 2, 3, 10, 80, 150):
        assert position_to_size(size_to_position(size)) == size
    for size in (333, 1999, 2000):  # one slider step is about 0.8 % here
        assert abs(position_to_size(size_to_position(size)) - size) <= math.ceil(size * 0.005)
    assert position_to_size(0) == 1
    assert position_to_size(1000) == 2000


def test_overlay_colour_and_opacity_change_the_tint(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    bar = options(window)
    untinted = canvas_color(window, 120, 120)
    drag_rectangle(window, 100, 100, 200, 160)
    assert window.document.mask[120, 120] == 255
    red_tint = canvas_color(window, 120, 120)
    assert red_tint != untinted

    QTest.mouseClick(bar.color_button, Qt.MouseButton.LeftButton)
    dialog = bar.color_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.setCurrentColor(QColor(0, 200, 0))
    with qtbot.waitSignal(window.tools.overlay_color_changed):
        dialog.accept()
    assert window.tools.overlay_color == QColor(0, 200, 0)
    green_tint = canvas_color(window, 120, 120)
    assert green_tint.green() > red_tint.green()
    assert green_tint.red() < red_tint.red()

    bar.opacity_slider.setFocus()
    QTest.keyClick(bar.opacity_slider, Qt.Key.Key_Home)
    assert window.tools.overlay_opacity == 0.0
    assert bar.opacity_spin.value() == 0
    assert canvas_color(window, 120, 120) == untinted
    type_into(bar.opacity_spin, "45")
    assert window.tools.overlay_opacity == 0.45
    assert canvas_color(window, 120, 120) == green_tint


def answer_pixels(qtbot: QtBot, window: MainWindow, name: str, px: int) -> None:
    dialog = window.findChild(QInputDialog, name)
    assert isinstance(dialog, QInputDialog)
    assert dialog.isVisible()
    dialog.setIntValue(px)
    with qtbot.waitSignal(window.document.mask_changed, timeout=20_000):
        dialog.accept()


def test_grow_and_shrink_by_a_chosen_number_of_pixels(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    drag_rectangle(window, 100, 100, 200, 160)
    mask = window.document.mask
    assert mask[100, 150] == 255
    assert mask[99, 150] == 0
    press_shortcut(window, Qt.Key.Key_BracketRight, CTRL_ALT)
    answer_pixels(qtbot, window, "growMaskDialog", 12)
    mask = window.document.mask
    assert mask[100 - 12, 150] == 255
    assert mask[100 - 13, 150] == 0
    assert mask[130, 200 + 11] == 255
    assert mask[130, 200 + 13] == 0

    window.actions_.by_name["shrink_by"].trigger()
    answer_pixels(qtbot, window, "shrinkMaskDialog", 20)
    mask = window.document.mask
    assert mask[100 + 8, 150] == 255
    assert mask[100 + 6, 150] == 0
    window.actions_.by_name["undo"].trigger()
    window.actions_.by_name["undo"].trigger()
    assert window.document.mask[100, 150] == 255
    assert window.document.mask[99, 150] == 0


def test_feather_preview_shows_the_band_the_compositor_blends(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    drag_rectangle(window, 100, 100, 300, 260)
    before = canvas_color(window, 99, 180)  # just left of the mask
    inside = canvas_color(window, 150, 180)
    feather = window.feather
    with qtbot.waitSignal(feather.changed, timeout=20_000):
        press_shortcut(window, Qt.Key.Key_F, CTRL_ALT)
    assert window.actions_.by_name["feather"].isChecked()
    band = feather.band
    assert band is not None
    layout = window.session.planned_layout()
    assert layout is not None
    assert band.box == layout.crop
    assert band.radius == sizing.default_feather(layout.crop)
    weights = np.zeros(window.document.mask.shape, np.uint8)
    weights[band.box.top : band.box.bottom, band.box.left : band.box.right] = band.weights
    assert weights[180, 99] > 0  # the band right outside the painted edge
    assert weights[180, 150] == 0  # inside: the overlay shows it already
    reach = math.ceil(band.radius) + 1
    assert weights[180, 100 - reach] == 0
    lighter = canvas_color(window, 99, 180)
    assert lighter != before
    assert lighter.lightness() > inside.lightness()

    # Painting more moves the band (computed again off the UI thread once painting pauses).
    with qtbot.waitSignal(feather.changed, timeout=20_000):
        drag_rectangle(window, 300, 100, 400, 260)
    assert feather.band is not None
    right = feather.band.box.left
    assert feather.band.weights[180 - feather.band.box.top, 401 - right] > 0

    with qtbot.waitSignal(feather.changed):
        window.actions_.by_name["feather"].trigger()
    assert feather.band is None
    assert canvas_color(window, 99, 180) == before
