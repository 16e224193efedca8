"""The split compare's divider: a thin handle over the canvas that the user drags sideways.

The canvas draws the original left of the divider and the preview right of it; this widget only
draws the line and its grip and turns drags (or arrow keys) into `ToolState.split_position`.
Being a child widget, it takes the mouse only over its own strip, so painting elsewhere on the
canvas is unaffected.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from imgdesk.core.i18n import translate
from imgdesk.models.tools import ToolState

HANDLE_WIDTH = 24  # the strip that takes the mouse; the line itself is 2 px
_GRIP = 11.0  # radius of the round grip in the middle
_KEY_STEP = 0.02  # share of the width an arrow key moves the divider
_LINE = QColor(255, 255, 255, 235)
_SHADOW = QColor(0, 0, 0, 150)


class CompareDivider(QWidget):
    def __init__(self, tools: ToolState, canvas: QWidget) -> None:
        super().__init__(canvas)
        self.setObjectName("compareDivider")
        self.setAccessibleName(translate("CompareView", "Compare divider"))
        self.setToolTip(
            translate(
                "CompareView", "Drag to compare: original on the left, result on the right (← →)"
            )
        )
        self.setCursor(Qt.CursorShape.SplitHCursor)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self._tools = tools
        self._dragging = False
        self.hide()
        tools.split_position_changed.connect(self.follow)

    def line_x(self) -> float:
        """Where the divider sits, in the canvas's coordinates."""
        parent = self.parentWidget()
        return self._tools.split_position * (parent.width() if parent is not None else 0)

    def follow(self) -> None:
        """Sit over the divider line, full height of the canvas."""
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(round(self.line_x() - HANDLE_WIDTH / 2), 0, HANDLE_WIDTH, parent.height())
        parent.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        middle = self.width() / 2
        painter.setPen(QPen(_SHADOW, 4.0))
        painter.drawLine(QPointF(middle, 0), QPointF(middle, self.height()))
        painter.setPen(QPen(_LINE, 2.0))
        painter.drawLine(QPointF(middle, 0), QPointF(middle, self.height()))
        centre = QPointF(middle, self.height() / 2)
        painter.setPen(QPen(_SHADOW, 1.5))
        painter.setBrush(_LINE)
        painter.drawEllipse(centre, _GRIP, _GRIP)
        arrows = QPainterPath()
        for sign in (-1, 1):  # two small triangles: this handle moves sideways
            tip = centre + QPointF(sign * 7.5, 0)
            arrows.moveTo(tip)
            arrows.lineTo(centre + QPointF(sign * 2.5, -4.5))
            arrows.lineTo(centre + QPointF(sign * 2.5, 4.5))
            arrows.closeSubpath()
        painter.fillPath(arrows, _SHADOW)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._move_to(self.mapToParent(event.position()).x())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging and event.button() == Qt.MouseButton.LeftButton:
            self._move_to(self.mapToParent(event.position()).x())
            self._dragging = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -_KEY_STEP, Qt.Key.Key_Right: _KEY_STEP}.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        self._tools.set_split_position(self._tools.split_position + step)

    def _move_to(self, x: float) -> None:
        parent = self.parentWidget()
        if parent is not None and parent.width() > 0:
            self._tools.set_split_position(x / parent.width())
