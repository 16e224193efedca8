"""The canvas tools as small state machines in image coordinates.

The canvas turns mouse and key events into image points and hands them here; each tool calls the
document (which keeps undo) and reports the outline it wants drawn, so the canvas can repaint
just the part of the screen that outline covers.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from imgdesk.core.edit_types import Box
from imgdesk.models.document import DocumentModel
from imgdesk.models.tools import Tool, ToolState


class BrushTool:
    """Paint (or erase) from press to release as one undo step."""

    def __init__(self, document: DocumentModel, tools: ToolState) -> None:
        self._document = document
        self._tools = tools
        self._last: QPointF | None = None

    @property
    def active(self) -> bool:
        return self._last is not None

    def press(self, point: QPointF, *, erase: bool) -> None:
        self._erase = erase or self._tools.tool == Tool.ERASER
        self._document.begin_stroke()
        self._last = point
        self._paint([(point.x(), point.y())])

    def move(self, point: QPointF) -> None:
        if self._last is None:
            return
        self._paint([(self._last.x(), self._last.y()), (point.x(), point.y())])
        self._last = point

    def release(self, point: QPointF) -> None:
        if self._last is None:
            return
        if point != self._last:
            self.move(point)
        self._last = None
        self._document.end_stroke()

    def cancel(self) -> None:
        if self._last is not None:
            self._last = None
            self._document.end_stroke()

    def _paint(self, points: list[tuple[float, float]]) -> None:
        self._document.stroke_to(
            points,
            self._tools.brush_size / 2,
            hardness=self._tools.hardness,
            erase=self._erase,
        )


class RectTool:
    """Drag a rectangle; its edges snap to the nearest pixel boundaries."""

    def __init__(self, document: DocumentModel) -> None:
        self._document = document
        self._anchor: QPointF | None = None
        self._current = QPointF()
        self._erase = False

    @property
    def active(self) -> bool:
        return self._anchor is not None

    def press(self, point: QPointF, *, erase: bool) -> None:
        self._anchor, self._current, self._erase = point, point, erase

    def move(self, point: QPointF) -> None:
        if self._anchor is not None:
            self._current = point

    def release(self, point: QPointF) -> None:
        if self._anchor is None:
            return
        self._current = point
        box = self.box()
        self._anchor = None
        if box is not None:
            self._document.fill_rect(box, erase=self._erase)

    def cancel(self) -> None:
        self._anchor = None

    def box(self) -> Box | None:
        if self._anchor is None:
            return None
        a, b = self._anchor, self._current
        box = Box(
            round(min(a.x(), b.x())),
            round(min(a.y(), b.y())),
            round(max(a.x(), b.x())),
            round(max(a.y(), b.y())),
        )
        return box if box.width > 0 and box.height > 0 else None

    def outline(self) -> QRectF | None:
        """The rubber band in image coordinates."""
        if self._anchor is None:
            return None
        return QRectF(self._anchor, self._current).normalized()


class LassoTool:
    """Freehand: drag and release. Polygon: click corners, then double-click or Enter."""

    def __init__(self, document: DocumentModel) -> None:
        self._document = document
        self._points: list[QPointF] = []
        self._dragging = False
        self._hover: QPointF | None = None
        self._erase = False

    @property
    def active(self) -> bool:
        return bool(self._points)

    def press(self, point: QPointF, *, erase: bool) -> None:
        if not self._points:
            self._erase = erase
        self._points.append(point)
        self._dragging = True

    def move(self, point: QPointF) -> None:
        if self._dragging:
            self._points.append(point)
        self._hover = point

    def release(self, point: QPointF, *, dragged: bool) -> None:
        """`dragged`: the pointer travelled far enough on screen to count as freehand."""
        self._dragging = False
        if dragged and len(self._points) >= 3:
            self.finish()

    def finish(self, last: QPointF | None = None) -> None:
        """Close the polygon, first adding `last` (the double-clicked corner) if it is new."""
        if last is not None and (not self._points or self._points[-1] != last):
            self._points.append(last)
        points = [(p.x(), p.y()) for p in self._points]
        self.cancel()
        if len(points) >= 3:
            self._document.fill_polygon(points, erase=self._erase)

    def cancel(self) -> None:
        self._points = []
        self._dragging = False
        self._hover = None

    def outline(self) -> list[QPointF]:
        """The path drawn so far (plus the rubber line to the pointer), in image coordinates."""
        if not self._points:
            return []
        if self._hover is not None and not self._dragging:
            return [*self._points, self._hover]
        return list(self._points)
