"""CanvasView driven with real mouse and key events; assertions on mask pixels and screen pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from imgdesk.core import masks
from imgdesk.core.edit_types import Box
from imgdesk.models.document import DocumentModel
from imgdesk.models.tools import Tool, ToolState
from imgdesk.ui.canvas import CanvasView

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier
ZOOM = 2.0
OFFSET = QPointF(10, 20)


def solid(width: int, height: int, rgb: tuple[int, int, int]) -> np.ndarray:
    pixels = np.zeros((height, width, 4), np.uint8)
    pixels[..., :3] = rgb
    pixels[..., 3] = 255
    return pixels


def at(x: float, y: float) -> QPoint:
    """The widget point showing image point (x, y) at ZOOM and OFFSET."""
    return QPoint(round(OFFSET.x() + x * ZOOM), round(OFFSET.y() + y * ZOOM))


@pytest.fixture
def tools() -> ToolState:
    tools = ToolState()
    tools.set_brush_size(10)
    tools.set_softness(0.0)
    return tools


@pytest.fixture
def doc(qapp: QApplication) -> DocumentModel:
    return DocumentModel.from_pixels(solid(200, 150, (20, 120, 40)))


@pytest.fixture
def canvas(qtbot: QtBot, doc: DocumentModel, tools: ToolState) -> CanvasView:
    view = CanvasView(doc, tools)
    qtbot.addWidget(view)
    view.resize(480, 360)
    view.show()
    qtbot.waitExposed(view)
    view.set_view(ZOOM, OFFSET)
    return view


def drag(view: CanvasView, points: list[QPoint]) -> None:
    QTest.mousePress(view, LEFT, NO_MOD, points[0])
    for point in points[1:]:
        QTest.mouseMove(view, point)
    QTest.mouseRelease(view, LEFT, NO_MOD, points[-1])


def screen_color(view: CanvasView, x: float, y: float) -> QColor:
    image: QImage = view.grab().toImage()
    return image.pixelColor(at(x, y))


def test_brush_paints_where_the_mouse_went_and_nowhere_else(
    canvas: CanvasView, doc: DocumentModel
) -> None:
    drag(canvas, [at(20, 30), at(40, 30), at(60, 30)])
    expected = masks.empty_mask(200, 150)
    masks.paint_stroke(expected, [(20, 30), (40, 30), (60, 30)], radius=5.0)
    assert doc.mask is not None
    np.testing.assert_array_equal(doc.mask, expected)
    assert doc.mask[30, 20:60].min() == 255
    assert masks.bounding_box(doc.mask) == Box(15, 25, 65, 35)
    assert doc.undo_stack.count() == 1


def test_eraser_clears_what_it_crosses(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    doc.fill_rect(Box(0, 0, 200, 150))
    tools.set_tool(Tool.ERASER)
    drag(canvas, [at(50, 70), at(150, 70)])
    assert doc.mask is not None
    assert doc.mask[70, 50:150].max() == 0
    assert doc.mask[60, :].min() == 255
    assert doc.mask[80, :].min() == 255


def test_undo_redo_after_a_canvas_stroke_restores_exact_masks(
    canvas: CanvasView, doc: DocumentModel
) -> None:
    doc.fill_rect(Box(100, 100, 120, 120))
    assert doc.mask is not None
    before = doc.mask.copy()
    drag(canvas, [at(10, 10), at(90, 80), at(150, 20)])
    after = doc.mask.copy()
    assert not np.array_equal(before, after)
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.mask, before)
    doc.undo_stack.redo()
    np.testing.assert_array_equal(doc.mask, after)


def test_rectangle_tool_gives_the_exact_box(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    tools.set_tool(Tool.RECTANGLE)
    drag(canvas, [at(70, 60), at(40, 45), at(30, 20)])  # dragged up-left from the anchor
    assert doc.mask is not None
    np.testing.assert_array_equal(doc.mask, masks.from_rect(200, 150, Box(30, 20, 70, 60)))


def test_lasso_freehand_drag_fills_the_polygon(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    tools.set_tool(Tool.LASSO)
    corners = [(20, 20), (100, 20), (100, 80), (20, 80)]
    drag(canvas, [at(x, y) for x, y in corners])
    assert doc.mask is not None
    np.testing.assert_array_equal(doc.mask, masks.from_polygon(200, 150, corners))
    assert doc.mask[20:80, 20:100].min() == 255
    assert doc.mask.sum() == 255 * 80 * 60


def test_lasso_clicked_corners_close_on_double_click(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    tools.set_tool(Tool.LASSO)
    triangle = [(30, 30), (130, 30), (30, 130)]
    for x, y in triangle:
        QTest.mouseClick(canvas, LEFT, NO_MOD, at(x, y))
    assert doc.undo_stack.count() == 0  # clicks alone only collect corners
    # A real double click arrives as press, release, double-click, release.
    QTest.mouseDClick(canvas, LEFT, NO_MOD, at(*triangle[-1]))
    QTest.mouseRelease(canvas, LEFT, NO_MOD, at(*triangle[-1]))
    assert doc.mask is not None
    np.testing.assert_array_equal(doc.mask, masks.from_polygon(200, 150, triangle))


def test_lasso_clicked_corners_close_on_enter_and_escape_cancels(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    tools.set_tool(Tool.LASSO)
    square = [(10, 10), (50, 10), (50, 50), (10, 50)]
    for x, y in square:
        QTest.mouseClick(canvas, LEFT, NO_MOD, at(x, y))
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert doc.undo_stack.count() == 0
    for x, y in square:
        QTest.mouseClick(canvas, LEFT, NO_MOD, at(x, y))
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    assert doc.mask is not None
    np.testing.assert_array_equal(doc.mask, masks.from_rect(200, 150, Box(10, 10, 50, 50)))


def test_bracket_keys_change_brush_size(canvas: CanvasView, tools: ToolState) -> None:
    tools.set_brush_size(100)
    QTest.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert tools.brush_size == 110
    QTest.keyClick(canvas, Qt.Key.Key_BracketLeft)
    QTest.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert tools.brush_size == 91


def test_wheel_zoom_keeps_the_point_under_the_cursor(canvas: CanvasView, qtbot: QtBot) -> None:
    cursor = QPointF(173, 121)
    under = canvas.widget_to_image(cursor)
    with qtbot.waitSignal(canvas.zoom_changed) as blocker:
        wheel = QWheelEvent(
            cursor,
            canvas.mapToGlobal(cursor),
            QPoint(0, 0),
            QPoint(0, 240),
            Qt.MouseButton.NoButton,
            NO_MOD,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(canvas, wheel)
    assert blocker.args[0] == pytest.approx(ZOOM * 1.25**2)
    moved = canvas.widget_to_image(cursor)
    assert moved.x() == pytest.approx(under.x())
    assert moved.y() == pytest.approx(under.y())


def test_fit_and_100_percent(canvas: CanvasView) -> None:
    canvas.fit_to_window()
    top_left = canvas.image_to_widget(QPointF(0, 0))
    bottom_right = canvas.image_to_widget(QPointF(200, 150))
    assert top_left.x() >= 0
    assert top_left.y() >= 0
    assert bottom_right.x() <= canvas.width()
    assert bottom_right.y() <= canvas.height()
    # Centred, and as large as the 16 px margin allows in the limiting direction (height).
    assert top_left.x() == pytest.approx(canvas.width() - bottom_right.x())
    assert top_left.y() == pytest.approx(16)
    assert bottom_right.y() == pytest.approx(344)
    canvas.zoom_100()
    assert canvas.zoom == 1.0


def test_space_drag_pans_without_painting(canvas: CanvasView, doc: DocumentModel) -> None:
    QTest.keyPress(canvas, Qt.Key.Key_Space)
    drag(canvas, [QPoint(100, 100), QPoint(130, 90)])
    QTest.keyRelease(canvas, Qt.Key.Key_Space)
    assert canvas.offset == OFFSET + QPointF(30, -10)
    assert not doc.has_mask


def test_middle_button_pans(canvas: CanvasView, doc: DocumentModel) -> None:
    middle = Qt.MouseButton.MiddleButton
    QTest.mousePress(canvas, middle, NO_MOD, QPoint(200, 200))
    QTest.mouseMove(canvas, QPoint(150, 220))
    QTest.mouseRelease(canvas, middle, NO_MOD, QPoint(150, 220))
    assert canvas.offset == OFFSET + QPointF(-50, 20)
    assert not doc.has_mask


def test_overlay_tints_only_the_mask_and_follows_its_colour(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    doc.fill_rect(Box(50, 50, 100, 100))
    tools.set_overlay_opacity(1.0)
    tools.set_overlay_color(QColor(0, 0, 255))
    assert screen_color(canvas, 75, 75) == QColor(0, 0, 255)
    assert screen_color(canvas, 20, 20) == QColor(20, 120, 40)
    tools.set_overlay_color(QColor(255, 0, 0))
    assert screen_color(canvas, 75, 75) == QColor(255, 0, 0)
    tools.set_overlay_opacity(0.5)
    half = screen_color(canvas, 75, 75)
    assert abs(half.red() - (255 + 20) / 2) <= 2
    assert abs(half.green() - 60) <= 2


def test_preview_replaces_the_picture_until_hidden_and_backslash_shows_original(
    canvas: CanvasView, doc: DocumentModel, tools: ToolState
) -> None:
    doc.fill_rect(Box(0, 0, 10, 10))
    doc.show_preview(solid(200, 150, (200, 30, 30)))
    assert screen_color(canvas, 100, 100) == QColor(200, 30, 30)
    QTest.keyPress(canvas, Qt.Key.Key_Backslash)
    assert tools.show_original
    assert screen_color(canvas, 100, 100) == QColor(20, 120, 40)
    assert screen_color(canvas, 5, 5) == QColor(20, 120, 40)  # no overlay either
    QTest.keyRelease(canvas, Qt.Key.Key_Backslash)
    assert not tools.show_original
    assert screen_color(canvas, 100, 100) == QColor(200, 30, 30)
    doc.show_preview(None)
    assert screen_color(canvas, 100, 100) == QColor(20, 120, 40)


def test_checkerboard_shows_under_transparency(qtbot: QtBot, tools: ToolState) -> None:
    doc = DocumentModel.from_pixels(np.zeros((40, 40, 4), np.uint8))
    view = CanvasView(doc, tools)
    qtbot.addWidget(view)
    view.resize(200, 200)
    view.set_view(1.0, QPointF(0, 0))
    image = view.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 32, 4) for y in range(0, 32, 4)}
    assert colours == {"#cccccc", "#999999"}


class _PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


def test_a_stroke_repaints_only_what_it_touched(
    canvas: CanvasView, doc: DocumentModel, qtbot: QtBot
) -> None:
    QApplication.processEvents()
    spy = _PaintSpy()
    canvas.installEventFilter(spy)
    try:
        QTest.mousePress(canvas, LEFT, NO_MOD, at(100, 70))
        qtbot.waitUntil(lambda: bool(spy.rects))
    finally:
        canvas.removeEventFilter(spy)
        QTest.mouseRelease(canvas, LEFT, NO_MOD, at(100, 70))
    # The 10 px brush at 2x covers 20 widget px; with outline padding it stays far below the view.
    brush_area = QRect(at(100, 70) - QPoint(20, 20), at(100, 70) + QPoint(20, 20))
    for rect in spy.rects:
        assert brush_area.contains(rect), rect
