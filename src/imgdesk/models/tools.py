"""Which canvas tool is active and how it paints; each setting signals only when it changes."""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

MIN_BRUSH = 1
MAX_BRUSH = 2000
_BRUSH_STEP = 1.1  # `[` and `]` scale the brush by 10%


class Tool(enum.StrEnum):
    BRUSH = "brush"
    ERASER = "eraser"
    RECTANGLE = "rectangle"
    LASSO = "lasso"


_ALIASES = {"rect": Tool.RECTANGLE, "polygon": Tool.LASSO}


class ToolState(QObject):
    tool_changed = Signal(str)  # Tool value
    brush_size_changed = Signal(int)  # diameter in image pixels
    softness_changed = Signal(float)  # 0 = hard edge, 1 = all falloff
    overlay_color_changed = Signal(QColor)
    overlay_opacity_changed = Signal(float)
    show_original_changed = Signal(bool)
    split_view_changed = Signal(bool)
    split_position_changed = Signal(float)  # share of the canvas width left of the divider

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tool = Tool.BRUSH
        self._brush_size = 80
        self._softness = 0.2
        self._overlay_color = QColor(255, 40, 90)
        self._overlay_opacity = 0.45
        self._show_original = False
        self._split_view = False
        self._split_position = 0.5

    @property
    def tool(self) -> Tool:
        return self._tool

    def set_tool(self, tool: Tool | str) -> None:
        value = _ALIASES.get(str(tool)) or Tool(tool)
        if value != self._tool:
            self._tool = value
            self.tool_changed.emit(value.value)

    @property
    def brush_size(self) -> int:
        return self._brush_size

    def set_brush_size(self, size: int) -> None:
        size = max(MIN_BRUSH, min(MAX_BRUSH, int(size)))
        if size != self._brush_size:
            self._brush_size = size
            self.brush_size_changed.emit(size)

    def grow_brush(self) -> None:
        """One `]` step: 10% larger, and at least one pixel."""
        self.set_brush_size(max(round(self._brush_size * _BRUSH_STEP), self._brush_size + 1))

    def shrink_brush(self) -> None:
        """One `[` step: 10% smaller, and at least one pixel."""
        self.set_brush_size(min(round(self._brush_size / _BRUSH_STEP), self._brush_size - 1))

    @property
    def softness(self) -> float:
        return self._softness

    def set_softness(self, softness: float) -> None:
        softness = max(0.0, min(1.0, float(softness)))
        if softness != self._softness:
            self._softness = softness
            self.softness_changed.emit(softness)

    @property
    def hardness(self) -> float:
        """What the brush engine takes: the share of the radius painted at full strength."""
        return 1.0 - self._softness

    @property
    def overlay_color(self) -> QColor:
        return QColor(self._overlay_color)

    def set_overlay_color(self, color: QColor) -> None:
        if color != self._overlay_color:
            self._overlay_color = QColor(color)
            self.overlay_color_changed.emit(QColor(color))

    @property
    def overlay_opacity(self) -> float:
        return self._overlay_opacity

    def set_overlay_opacity(self, opacity: float) -> None:
        opacity = max(0.0, min(1.0, float(opacity)))
        if opacity != self._overlay_opacity:
            self._overlay_opacity = opacity
            self.overlay_opacity_changed.emit(opacity)

    @property
    def show_original(self) -> bool:
        """While held, the canvas shows the picture without mask overlay or preview."""
        return self._show_original

    def set_show_original(self, show: bool) -> None:
        if show != self._show_original:
            self._show_original = show
            self.show_original_changed.emit(show)

    @property
    def split_view(self) -> bool:
        """Compare side by side: the original left of a divider, the preview right of it."""
        return self._split_view

    def set_split_view(self, on: bool) -> None:
        if on != self._split_view:
            self._split_view = on
            self.split_view_changed.emit(on)

    @property
    def split_position(self) -> float:
        return self._split_position

    def set_split_position(self, position: float) -> None:
        position = max(0.0, min(1.0, float(position)))
        if position != self._split_position:
            self._split_position = position
            self.split_position_changed.emit(position)
