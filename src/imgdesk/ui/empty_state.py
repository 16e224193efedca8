"""What the canvas area shows before a photo is open: one clear way in, and the other ways."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from imgdesk.core.i18n import translate
from imgdesk.ui.theme import canvas_background, mix, secondary_text, set_text_color

# Painted from the widget's palette at paint time rather than set in a style sheet: a style sheet
# would keep the scheme the window was made in (see imgdesk.ui.theme).
_TITLE_POINTS = 17.0
_BUTTON_POINTS = 11.0
_BUTTON_PADDING = QSize(44, 16)  # extra width and height around the button's text
_ZONE_RADIUS = 12.0
_ZONE_BORDER = 2.0


class _DropZone(QFrame):
    """The dashed, rounded outline around the way in."""

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        background = canvas_background(palette)
        border = mix(background, palette.color(QPalette.ColorRole.WindowText), 0.4)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(border, _ZONE_BORDER, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        inset = _ZONE_BORDER / 2
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), _ZONE_RADIUS, _ZONE_RADIUS
        )
        painter.end()


class EmptyStateWidget(QWidget):
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        title = QLabel(translate("EmptyState", "Open a photo to start"), self)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(_TITLE_POINTS)
        title.setFont(font)
        self.open_button = QPushButton(translate("EmptyState", "Open a photo…"), self)
        self.open_button.setObjectName("openPhotoButton")
        self.open_button.setToolTip(translate("EmptyState", "Open a photo (Ctrl+O)"))
        font = self.open_button.font()
        font.setPointSizeF(_BUTTON_POINTS)
        self.open_button.setFont(font)
        self.open_button.setMinimumSize(self.open_button.sizeHint() + _BUTTON_PADDING)
        self.open_button.clicked.connect(self.open_requested)
        drop = QLabel(translate("EmptyState", "or drop an image file here"), self)
        drop.setObjectName("dropHint")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint = QLabel(
            translate(
                "EmptyState",
                "Paste an image with Ctrl+Shift+V, or pick one from File › Open Recent.\nThen "
                "paint the area to change and describe what should be there.",
            ),
            self,
        )
        self._hint.setObjectName("emptyHint")
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)

        zone = _DropZone(self)
        zone.setObjectName("dropZone")
        zone.setMinimumSize(420, 240)
        inner = QVBoxLayout(zone)
        inner.setContentsMargins(36, 32, 36, 32)
        inner.setSpacing(14)
        inner.addWidget(title)
        inner.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(drop)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(zone, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(18)
        layout.addWidget(self._hint)
        layout.addStretch(1)
        self._recolor()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), canvas_background(self.palette()))
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolor()

    def _recolor(self) -> None:
        palette = self.palette()
        set_text_color(self._hint, secondary_text(palette, canvas_background(palette)))
