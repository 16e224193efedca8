"""What the canvas area shows before a photo is open: one clear way in, and the other ways."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from imgdesk.core.i18n import translate
from imgdesk.ui.theme import canvas_background, mix, secondary_text

# Colours come from the app's palette (the same surround as the canvas), so dark and light match.
_STYLE = """
#emptyState {{ background: {background}; }}
#emptyState QLabel {{ color: {text}; }}
#emptyTitle {{ font-size: 17pt; }}
#dropZone {{ border: 2px dashed {border}; border-radius: 12px; }}
#emptyHint {{ color: {hint}; }}
#openPhotoButton {{ padding: 8px 22px; font-size: 11pt; }}
"""


def _style(palette: QPalette) -> str:
    background = canvas_background(palette)
    text = palette.color(QPalette.ColorRole.WindowText)
    return _STYLE.format(
        background=background.name(),
        text=text.name(),
        border=mix(background, text, 0.4).name(),
        hint=secondary_text(palette, background).name(),
    )


class EmptyStateWidget(QWidget):
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_style(QApplication.palette()))
        title = QLabel(translate("EmptyState", "Open a photo to start"), self)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton(translate("EmptyState", "Open a photo…"), self)
        self.open_button.setObjectName("openPhotoButton")
        self.open_button.setToolTip(translate("EmptyState", "Open a photo (Ctrl+O)"))
        self.open_button.clicked.connect(self.open_requested)
        drop = QLabel(translate("EmptyState", "or drop an image file here"), self)
        drop.setObjectName("dropHint")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            translate(
                "EmptyState",
                "Paste an image with Ctrl+Shift+V, or pick one from File › Open Recent.\nThen "
                "paint the area to change and describe what should be there.",
            ),
            self,
        )
        hint.setObjectName("emptyHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)

        zone = QFrame(self)
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
        layout.addWidget(hint)
        layout.addStretch(1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            sheet = _style(QApplication.palette())
            if sheet != self.styleSheet():  # setting it sends a palette change of its own
                self.setStyleSheet(sheet)
