"""The welcome shown on first run (and from Help › Welcome): the two engines, a key, a sample.

The dialog only says what the user asked for through its signals; `show_welcome_dialog` connects
them to the window, which already knows how to open the preferences and a photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.paths import AppPaths
from imgdesk.core.samples import sample_paths
from imgdesk.models.first_run import mark_welcome_shown, welcome_shown
from imgdesk.models.settings_model import SettingsModel

if TYPE_CHECKING:
    from imgdesk.ui.main_window import MainWindow

OFFLINE_TEXT = QT_TRANSLATE_NOOP(
    "WelcomeDialog",
    "<b>Offline, free.</b> Without an OpenAI key imgdesk edits on this computer: paint over "
    "something and it is removed and filled in from its surroundings. Nothing leaves your "
    "computer, it costs nothing, and the prompt is ignored.",
)
OPENAI_TEXT = QT_TRANSLATE_NOOP(
    "WelcomeDialog",
    "<b>OpenAI, paid.</b> With an OpenAI API key you describe what should appear in the painted "
    "area and pick from several variants, at the photo's full resolution. OpenAI charges your "
    "account for each image; imgdesk shows an estimate before you generate.",
)
SAMPLE_TIP = QT_TRANSLATE_NOOP(
    "WelcomeDialog", "To try it, open a sample, paint over something to remove and press Generate."
)


class WelcomeDialog(QDialog):
    add_key_requested = Signal()
    sample_requested = Signal(str)  # path of the sample photo to open

    def __init__(
        self,
        settings: SettingsModel,
        samples: Sequence[Path],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(translate("WelcomeDialog", "Welcome to imgdesk"))
        self._settings = settings
        self._sample = samples[0] if samples else None

        title = QLabel(translate("WelcomeDialog", "<h2>Welcome to imgdesk</h2>"), self)
        paragraphs = []
        for name, text in (("offlineText", OFFLINE_TEXT), ("openaiText", OPENAI_TEXT)):
            label = QLabel(translate("WelcomeDialog", text), self)
            label.setObjectName(name)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            paragraphs.append(label)
        self.key_status = QLabel(self)
        self.key_status.setObjectName("welcomeKeyStatus")
        self.key_status.setWordWrap(True)

        self.add_key_button = QPushButton(translate("WelcomeDialog", "Add OpenAI key…"), self)
        self.add_key_button.setObjectName("addKeyButton")
        self.add_key_button.clicked.connect(self.add_key_requested)
        self.sample_button = QPushButton(translate("WelcomeDialog", "Open a sample"), self)
        self.sample_button.setObjectName("openSampleButton")
        self.sample_button.clicked.connect(self._open_sample)
        self.close_button = QPushButton(translate("WelcomeDialog", "Close"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        if self._sample is None:
            # An install without samples still explains the engines; it just cannot offer one.
            self.sample_button.hide()
        else:
            self.sample_button.setToolTip(
                translate("WelcomeDialog", "Open {name}, a photo bundled with imgdesk").format(
                    name=self._sample.name
                )
            )
            self.sample_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_key_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        for label in paragraphs:
            layout.addWidget(label)
        layout.addWidget(self.key_status)
        if self._sample is not None:
            tip = QLabel(translate("WelcomeDialog", SAMPLE_TIP), self)
            tip.setObjectName("sampleTip")
            tip.setWordWrap(True)
            layout.addWidget(tip)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

        settings.key_changed.connect(self._on_key)
        self._on_key()

    @property
    def sample(self) -> Path | None:
        """The photo "Open a sample" opens, or None when none is installed."""
        return self._sample

    def _on_key(self) -> None:
        status = self._settings.key_status()
        self.key_status.setText(status.describe())
        self.add_key_button.setText(
            translate("WelcomeDialog", "Change OpenAI key…")
            if status.is_set
            else translate("WelcomeDialog", "Add OpenAI key…")
        )

    def _open_sample(self) -> None:
        if self._sample is not None:
            self.sample_requested.emit(str(self._sample))
            self.accept()


def show_welcome_dialog(window: MainWindow) -> WelcomeDialog:
    """Show the welcome over `window` without blocking; its buttons act on the window."""
    dialog = WelcomeDialog(window.settings, sample_paths(), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.add_key_requested.connect(window.open_settings)
    dialog.sample_requested.connect(lambda path: window.open_path(Path(path)))
    dialog.open()
    return dialog


def show_welcome_on_first_run(window: MainWindow, paths: AppPaths) -> WelcomeDialog | None:
    """The welcome, the first time this data folder is used; None on every later start."""
    if welcome_shown(paths):
        return None
    # Marked when shown, not when closed: a crash meanwhile should not greet the user forever.
    mark_welcome_shown(paths)
    return show_welcome_dialog(window)
