"""The inline banner at the top of the window: an error or notice, with the one action that helps.

Edit errors never open modal dialogs; they land here, replacing whatever the banner showed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.ui.theme import banner_colors, set_text_color

ACTION_LABELS = {
    Action.OPEN_SETTINGS: QT_TRANSLATE_NOOP("ErrorBanner", "Open settings…"),
    Action.SWITCH_MODEL: QT_TRANSLATE_NOOP("ErrorBanner", "Switch model"),
    Action.RETRY: QT_TRANSLATE_NOOP("ErrorBanner", "Try again"),
    Action.BUY_TOKENS: QT_TRANSLATE_NOOP("ErrorBanner", "Buy tokens…"),
}


def action_for(error: ImgdeskError) -> Action | None:
    """The error's own action, else RETRY where trying again can help."""
    if error.action is not None:
        return error.action
    if error.retryable:
        return Action.RETRY
    return None


class ErrorBanner(QFrame):
    """Hidden until there is something to say. `action_triggered` carries the Action."""

    action_triggered = Signal(object)  # Action
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setFrameShape(QFrame.Shape.NoFrame)  # paintEvent draws the level's own border
        self.setAccessibleName(translate("ErrorBanner", "Message"))
        self._kind: ErrorKind | None = None
        self._action: Action | None = None
        self._level = "info"

        self._icon = QLabel(self)
        self._icon.setObjectName("bannerIcon")
        self._message = QLabel(self)
        self._message.setObjectName("bannerMessage")
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action_button = QPushButton(self)
        self._action_button.setObjectName("bannerActionButton")
        self._action_button.clicked.connect(self._on_action)
        self._close = QToolButton(self)
        self._close.setObjectName("bannerDismissButton")
        self._close.setText("✕")
        self._close.setToolTip(translate("ErrorBanner", "Dismiss (Esc)"))
        self._close.setAccessibleName(translate("ErrorBanner", "Dismiss message"))
        self._close.setAutoRaise(True)
        self._close.clicked.connect(self.dismiss)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._icon)
        layout.addWidget(self._message, 1)
        layout.addWidget(self._action_button)
        layout.addWidget(self._close)
        self.hide()

    # What the banner shows, for the window and for tests.
    @property
    def kind(self) -> ErrorKind | None:
        return self._kind

    @property
    def action(self) -> Action | None:
        return self._action

    @property
    def level(self) -> str:
        return self._level

    def message(self) -> str:
        return self._message.text()

    def action_button(self) -> QPushButton:
        return self._action_button

    def show_error(self, error: ImgdeskError) -> None:
        level = "warning" if error.kind is ErrorKind.CANCELLED else "error"
        text = error.localized()  # the sentence in the user's language; logs keep .message
        if error.retry_after:
            text += " " + translate(
                "ErrorBanner", "(The service asked to wait {seconds} s.)"
            ).format(seconds=f"{error.retry_after:.0f}")
        self._show(level, text, error.kind, action_for(error))

    def show_notice(
        self, text: str, action: Action | None = None, label: str | None = None
    ) -> None:
        self._show("info", text, None, action, label)

    def dismiss(self) -> None:
        if self.isHidden() and self._kind is None and self._action is None:
            return
        self._kind = None
        self._action = None
        self.hide()
        self.dismissed.emit()

    def _show(
        self,
        level: str,
        text: str,
        kind: ErrorKind | None,
        action: Action | None,
        label: str | None = None,
    ) -> None:
        self._level = level
        self._kind = kind
        self._action = action
        self._apply_colors()
        self._icon.setText({"error": "⚠", "warning": "⚠", "info": "ℹ"}[level])
        self._message.setText(text)
        self._action_button.setVisible(action is not None)
        if action is not None:
            self._action_button.setText(label or translate("ErrorBanner", ACTION_LABELS[action]))
        self.show()

    def _apply_colors(self) -> None:
        # Derived from the palette, never fixed in a style sheet, so a scheme switch reaches it.
        _, text, _ = banner_colors(self._level, self.palette())
        for label in (self._icon, self._message):
            set_text_color(label, text)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        background, _, border = banner_colors(self._level, self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(border, 1.0))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0)
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colors()

    def _on_action(self) -> None:
        if self._action is not None:
            action = self._action
            self.action_triggered.emit(action)
