"""The canvas: shows the document at any zoom and turns pointer input into mask edits.

A plain QWidget with its own view transform (zoom + offset), not QGraphicsView: every paint
draws only the part of the picture inside the dirty rectangle, and a mask change repaints only
the widget rectangle it maps to. `zoom` counts device pixels per image pixel, so 100% is one
photo pixel per screen pixel on HiDPI displays too.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from imgdesk.models.document import DocumentModel
from imgdesk.models.feather_preview import FeatherPreview
from imgdesk.models.tools import Tool, ToolState
from imgdesk.ui.canvas_layers import CanvasLayers
from imgdesk.ui.canvas_tools import BrushTool, LassoTool, RectTool
from imgdesk.ui.compare_view import CompareDivider
from imgdesk.ui.theme import canvas_background

MIN_ZOOM = 0.01
MAX_ZOOM = 64.0
_WHEEL_STEP = 1.25  # zoom factor per wheel notch (120 units)
_FIT_MARGIN = 16  # logical pixels left around a fitted picture
_OUTLINE_DARK = QColor(0, 0, 0, 200)
_OUTLINE_LIGHT = QColor(255, 255, 255, 230)


class CanvasView(QWidget):
    zoom_changed = Signal(float)

    def __init__(
        self,
        document: DocumentModel,
        tools: ToolState,
        parent: QWidget | None = None,
        *,
        feather: FeatherPreview | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(64, 64)
        self._document = document
        self._tools = tools
        self._layers = CanvasLayers(document, tools)
        self._zoom = 1.0
        self._offset = QPointF(0.0, 0.0)
        self._fitted = True  # follow the window size until the user zooms or pans
        self._image_size = document.size
        self._brush = BrushTool(document, tools)
        self._rect = RectTool(document)
        self._lasso = LassoTool(document)
        self._pointer: QPointF | None = None  # last pointer position, widget coordinates
        self._press_at: QPointF | None = None
        self._pan_from: QPointF | None = None
        self._space_down = False
        self._decoration = QRectF()  # widget area the tool outline covered at the last paint
        self._divider = CompareDivider(tools, self)
        self._feather = feather

        document.image_changed.connect(self._on_image_changed)
        document.mask_changed.connect(self._on_mask_changed)
        document.preview_changed.connect(self._on_preview_changed)
        tools.overlay_color_changed.connect(self._on_overlay_colors)
        tools.overlay_opacity_changed.connect(self._on_overlay_colors)
        tools.show_original_changed.connect(self._sync_divider)
        tools.split_view_changed.connect(self._sync_divider)
        tools.brush_size_changed.connect(self._refresh_decoration)
        tools.tool_changed.connect(self._on_tool_changed)
        if feather is not None:
            feather.changed.connect(self._on_feather_changed)

    # -- view transform ---------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def offset(self) -> QPointF:
        """Where the picture's top-left corner sits, in widget coordinates."""
        return QPointF(self._offset)

    def _scale(self) -> float:
        """Logical widget pixels per image pixel."""
        return self._zoom / self.devicePixelRatioF()

    def image_to_widget(self, point: QPointF) -> QPointF:
        return point * self._scale() + self._offset

    def widget_to_image(self, point: QPointF) -> QPointF:
        return (point - self._offset) / self._scale()

    def image_rect_to_widget(self, rect: QRectF) -> QRectF:
        scale = self._scale()
        return QRectF(
            rect.x() * scale + self._offset.x(),
            rect.y() * scale + self._offset.y(),
            rect.width() * scale,
            rect.height() * scale,
        )

    def set_view(self, zoom: float, offset: QPointF) -> None:
        """Put the picture at `zoom` with its corner at `offset` (widget coordinates)."""
        self._fitted = False
        self._apply_view(zoom, offset)

    def zoom_at(self, zoom: float, anchor: QPointF) -> None:
        """Change zoom keeping the image point under `anchor` (widget coordinates) in place."""
        zoom = _clamp_zoom(zoom)
        fixed = self.widget_to_image(anchor)
        self._fitted = False
        self._apply_view(zoom, anchor - fixed * (zoom / self.devicePixelRatioF()))

    def zoom_in(self) -> None:
        self.zoom_at(self._zoom * _WHEEL_STEP, QPointF(self.rect().center()))

    def zoom_out(self) -> None:
        self.zoom_at(self._zoom / _WHEEL_STEP, QPointF(self.rect().center()))

    def zoom_100(self) -> None:
        """One photo pixel per device pixel, centred on what is at the middle now."""
        self.zoom_at(1.0, QPointF(self.rect().center()))

    def fit_to_window(self) -> None:
        """Show the whole picture, centred, and keep it fitted while the window resizes."""
        self._fitted = True
        size = self._document.size
        if size is None:
            return
        width, height = size
        room_w = max(self.width() - 2 * _FIT_MARGIN, 1)
        room_h = max(self.height() - 2 * _FIT_MARGIN, 1)
        scale = min(room_w / width, room_h / height)
        zoom = _clamp_zoom(scale * self.devicePixelRatioF())
        shown = zoom / self.devicePixelRatioF()
        offset = QPointF((self.width() - width * shown) / 2, (self.height() - height * shown) / 2)
        self._apply_view(zoom, offset)

    def _apply_view(self, zoom: float, offset: QPointF) -> None:
        changed = zoom != self._zoom
        self._zoom, self._offset = zoom, QPointF(offset)
        self.update()
        if changed:
            self.zoom_changed.emit(zoom)

    # -- show original ----------------------------------------------------------------------

    def set_show_original(self, show: bool) -> None:
        """Show the picture without the mask overlay or a preview (held with backslash)."""
        self._tools.set_show_original(show)

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dirty = QRectF(event.rect())
        painter.fillRect(dirty, canvas_background(self.palette()))
        size = self._document.size
        if size is not None:
            whole = self.image_rect_to_widget(QRectF(0, 0, size[0], size[1]))
            visible = whole.intersected(dirty)
            if not visible.isEmpty():
                source = self._source_rect(visible, size)
                self._layers.draw(
                    painter,
                    self.image_rect_to_widget(source),
                    source,
                    smooth=self._zoom < 1.0,
                    split_x=self._divider.line_x() if self._divider.isVisibleTo(self) else None,
                )
        self._paint_decoration(painter)
        painter.end()

    def _source_rect(self, visible: QRectF, size: tuple[int, int]) -> QRectF:
        """The whole image pixels behind `visible`, so edges stay on pixel boundaries."""
        top_left = self.widget_to_image(visible.topLeft())
        bottom_right = self.widget_to_image(visible.bottomRight())
        left = max(math.floor(top_left.x()) - 1, 0)
        top = max(math.floor(top_left.y()) - 1, 0)
        right = min(math.ceil(bottom_right.x()) + 1, size[0])
        bottom = min(math.ceil(bottom_right.y()) + 1, size[1])
        return QRectF(left, top, right - left, bottom - top)

    def _paint_decoration(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for color, width in ((_OUTLINE_DARK, 3.0), (_OUTLINE_LIGHT, 1.0)):
            painter.setPen(QPen(color, width))
            outline = self._rect.outline()
            if outline is not None:
                painter.drawRect(self.image_rect_to_widget(outline))
            path = self._lasso.outline()
            if path:
                painter.drawPolyline(QPolygonF([self.image_to_widget(p) for p in path]))
            circle = self._brush_circle()
            if circle is not None:
                painter.drawEllipse(circle)

    def _brush_circle(self) -> QRectF | None:
        if self._pointer is None or self._tools.tool not in (Tool.BRUSH, Tool.ERASER):
            return None
        if self._panning_possible():
            return None
        radius = max(self._tools.brush_size / 2 * self._scale(), 1.0)
        return QRectF(
            self._pointer.x() - radius, self._pointer.y() - radius, 2 * radius, 2 * radius
        )

    def _decoration_rect(self) -> QRectF:
        area = QRectF()
        circle = self._brush_circle()
        if circle is not None:
            area = area.united(circle)
        outline = self._rect.outline()
        if outline is not None:
            area = area.united(self.image_rect_to_widget(outline))
        path = self._lasso.outline()
        if path:
            area = area.united(QPolygonF([self.image_to_widget(p) for p in path]).boundingRect())
        return area

    def _refresh_decoration(self) -> None:
        """Repaint where the tool outline was and where it is now, nothing else."""
        now = self._decoration_rect()
        for area in (self._decoration, now):
            if not area.isNull():
                self.update(_padded(area))
        self._decoration = now

    # -- model signals ----------------------------------------------------------------------

    def _on_image_changed(self) -> None:
        self._layers.sync_image()
        self._layers.sync_mask()
        if self._document.size != self._image_size:
            self._image_size = self._document.size
            self.fit_to_window()
        self.update()

    def _on_mask_changed(self, rect: QRect) -> None:
        self._layers.sync_mask()
        if self._tools.show_original:
            return
        self.update(_padded(self.image_rect_to_widget(QRectF(rect))))

    def _on_preview_changed(self) -> None:
        self._layers.sync_preview()
        self._sync_divider()

    def _on_feather_changed(self) -> None:
        assert self._feather is not None
        self._layers.sync_feather(self._feather.band)
        self.update()

    def _sync_divider(self) -> None:
        """The split compare shows while a preview is on the canvas and the original is not."""
        tools = self._tools
        split = tools.split_view and not tools.show_original and self._document.preview is not None
        self._divider.setVisible(split)
        if split:
            self._divider.follow()
        self.update()

    def _on_overlay_colors(self) -> None:
        self._layers.sync_colors()
        self.update()

    def _on_tool_changed(self) -> None:
        self._cancel_tools()
        self._refresh_decoration()

    # -- pointer ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._pan_from = pos
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if button != Qt.MouseButton.LeftButton or self._document.is_empty:
            return
        self._press_at = pos
        point = self.widget_to_image(pos)
        erase = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        tool = self._tools.tool
        if tool in (Tool.BRUSH, Tool.ERASER):
            self._brush.press(point, erase=erase)
        elif tool == Tool.RECTANGLE:
            self._rect.press(point, erase=erase)
        else:
            self._lasso.press(point, erase=erase)
        self._refresh_decoration()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._pointer = pos
        if self._pan_from is not None:
            self._fitted = False
            self._apply_view(self._zoom, self._offset + (pos - self._pan_from))
            self._pan_from = pos
            return
        point = self.widget_to_image(pos)
        if self._brush.active:
            self._brush.move(point)
        elif self._rect.active:
            self._rect.move(point)
        elif self._lasso.active:
            self._lasso.move(point)
        self._refresh_decoration()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self.setCursor(
                Qt.CursorShape.OpenHandCursor if self._space_down else Qt.CursorShape.CrossCursor
            )
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.widget_to_image(pos)
        if self._brush.active:
            self._brush.release(point)
        elif self._rect.active:
            self._rect.release(point)
        elif self._lasso.active:
            start = self._press_at or pos
            travelled = (pos - start).manhattanLength()
            self._lasso.release(point, dragged=travelled >= QApplication.startDragDistance())
        self._press_at = None
        self._refresh_decoration()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Qt delivers a double click's second press as this event.
        if self._lasso.active and event.button() == Qt.MouseButton.LeftButton:
            self._lasso.finish(self.widget_to_image(event.position()))
            self._refresh_decoration()
            return
        self.mousePressEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._pointer = None
        self._refresh_decoration()

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom_at(self._zoom * _WHEEL_STEP**notches, event.position())
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._fitted:
            self.fit_to_window()
        self._divider.follow()
        super().resizeEvent(event)

    # -- keys -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_BracketLeft:
            self._tools.shrink_brush()
        elif key == Qt.Key.Key_BracketRight:
            self._tools.grow_brush()
        elif key == Qt.Key.Key_Backslash:
            if not event.isAutoRepeat():
                self.set_show_original(True)
        elif key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_down = True
                self.setCursor(Qt.CursorShape.OpenHandCursor)
                self._refresh_decoration()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._lasso.active:
            self._lasso.finish()
            self._refresh_decoration()
        elif key == Qt.Key.Key_Escape and (self._lasso.active or self._rect.active):
            self._cancel_tools()
            self._refresh_decoration()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat():
            return
        key = event.key()
        if key == Qt.Key.Key_Backslash:
            self.set_show_original(False)
        elif key == Qt.Key.Key_Space:
            self._space_down = False
            self.setCursor(Qt.CursorShape.CrossCursor)
            self._refresh_decoration()
        else:
            super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # A key released while another window had focus never arrives here.
        self._space_down = False
        self.set_show_original(False)
        super().focusOutEvent(event)

    def _panning_possible(self) -> bool:
        return self._space_down or self._pan_from is not None

    def _cancel_tools(self) -> None:
        self._brush.cancel()
        self._rect.cancel()
        self._lasso.cancel()


def _clamp_zoom(zoom: float) -> float:
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def _padded(area: QRectF) -> QRect:
    """Whole widget pixels covering `area`, plus room for antialiased outlines."""
    return area.toAlignedRect().adjusted(-3, -3, 3, 3)
