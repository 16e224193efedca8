"""Error-coloured outlines around the fields a validator refused, drawn over their container.

Painted by one transparent overlay instead of a style sheet on each field: a style sheet changes
how a combo box or spin box looks, and it freezes the field's palette at the scheme it was set in
(see imgdesk.ui.theme), so a field flagged before a dark/light switch would keep the old colours.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from imgdesk.ui.theme import error_text

OUTLINE_WIDTH = 2.0
_RADIUS = 3.0
_WATCHED = frozenset({QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide})


class FieldOutlineOverlay(QWidget):
    """Covers `host` and outlines each of `fields()`; clicks and keys pass straight through."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("fieldOutlines")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._host = host
        self._fields: list[QWidget] = []
        host.installEventFilter(self)
        self.setGeometry(host.rect())

    def fields(self) -> list[QWidget]:
        return list(self._fields)

    def set_fields(self, fields: Iterable[QWidget]) -> None:
        for field in self._fields:
            field.removeEventFilter(self)
        self._fields = list(dict.fromkeys(fields))
        for field in self._fields:
            field.installEventFilter(self)  # follow it when the layout moves or hides it
        self.raise_()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        elif event.type() in _WATCHED and watched in self._fields:
            self.update()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._fields:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(error_text(self.palette()), OUTLINE_WIDTH))
        inset = OUTLINE_WIDTH / 2
        for field in self._fields:
            if field.isVisibleTo(self._host):
                box = QRectF(field.mapTo(self._host, QPoint(0, 0)), field.size().toSizeF())
                painter.drawRoundedRect(
                    box.adjusted(inset, inset, -inset, -inset), _RADIUS, _RADIUS
                )
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.update()
