"""What the canvas area shows before a photo is open: one clear way in, and the other ways."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

_STYLE = """
#emptyState { background: #2e2e2e; }
#emptyState QLabel { color: #e8e8e8; }
#emptyTitle { font-size: 17pt; }
#dropZone { border: 2px dashed #6a6a6a; border-radius: 12px; }
#emptyHint { color: #b8b8b8; }
#openPhotoButton { padding: 8px 22px; font-size: 11pt; }
"""


class EmptyStateWidget(QWidget):
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        title = QLabel("Open a photo to start", self)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton("Open a photo…", self)
        self.open_button.setObjectName("openPhotoButton")
        self.open_button.setToolTip("Open a photo (Ctrl+O)")
        self.open_button.clicked.connect(self.open_requested)
        drop = QLabel("or drop an image file here", self)
        drop.setObjectName("dropHint")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            "Paste an image with Ctrl+Shift+V, or pick one from File › Open Recent.\n"
            "Then paint the area to change and describe what should be there.",
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
