"""Preferences: the OpenAI key (kept in the keyring, never shown back whole), endpoint, defaults."""

from __future__ import annotations

import os

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.catalog import MAX_VARIANTS, load_catalog
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.models.settings_model import SettingsModel
from imgdesk.ui.translations import option_label

# Marked here, translated where shown (a module constant is built before any translator exists).
ENGINES = (
    (
        "auto",
        QT_TRANSLATE_NOOP("SettingsDialog", "Automatic (OpenAI when a key is set, else offline)"),
    ),
    ("openai", QT_TRANSLATE_NOOP("SettingsDialog", "OpenAI")),
    ("local", QT_TRANSLATE_NOOP("SettingsDialog", "Local (offline)")),
)
NO_KEYRING = QT_TRANSLATE_NOOP(
    "SettingsDialog",
    "This computer has no system keyring, so imgdesk cannot store the key safely. "
    "Tick “Only for this session” to use it until imgdesk closes, or set the OPENAI_API_KEY "
    "environment variable before starting imgdesk.",
)
# Settings.language values; each language is named in itself, so anyone can find theirs.
LANGUAGES = (
    ("", QT_TRANSLATE_NOOP("SettingsDialog", "System language")),
    ("en", "English"),
    ("de", "Deutsch"),
)


class SettingsDialog(QDialog):
    def __init__(self, model: SettingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(translate("SettingsDialog", "Preferences"))
        self._model = model
        settings = model.settings

        # The key --------------------------------------------------------------------------
        self.key_status = QLabel(self)
        self.key_status.setObjectName("keyStatusLabel")
        self.key_status.setWordWrap(True)
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("apiKeyEdit")
        self.key_edit.setAccessibleName(translate("SettingsDialog", "OpenAI API key"))
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(translate("SettingsDialog", "Paste a new key (sk-…)"))
        self.session_only = QCheckBox(translate("SettingsDialog", "Only for this session"), self)
        self.session_only.setObjectName("sessionOnlyCheck")
        self.session_only.setToolTip(
            translate("SettingsDialog", "Use the key until imgdesk closes without storing it")
        )
        self.save_key_button = QPushButton(translate("SettingsDialog", "Save key"), self)
        self.save_key_button.setObjectName("saveKeyButton")
        self.save_key_button.clicked.connect(self.save_key)
        self.clear_key_button = QPushButton(translate("SettingsDialog", "Remove key"), self)
        self.clear_key_button.setObjectName("clearKeyButton")
        self.clear_key_button.clicked.connect(self.clear_key)
        self.key_message = QLabel(self)
        self.key_message.setObjectName("keyMessageLabel")
        self.key_message.setWordWrap(True)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.session_only)
        key_buttons.addStretch(1)
        key_buttons.addWidget(self.clear_key_button)
        key_buttons.addWidget(self.save_key_button)
        key_box = QGroupBox(translate("SettingsDialog", "OpenAI API key"), self)
        key_layout = QVBoxLayout(key_box)
        key_layout.addWidget(self.key_status)
        key_layout.addWidget(self.key_edit)
        key_layout.addLayout(key_buttons)
        key_layout.addWidget(self.key_message)

        # Everything else ------------------------------------------------------------------
        self.engine_combo = QComboBox(self)
        self.engine_combo.setObjectName("settingsEngineCombo")
        for value, label in ENGINES:
            self.engine_combo.addItem(translate("SettingsDialog", label), value)
        self.engine_combo.setCurrentIndex(max(self.engine_combo.findData(settings.engine), 0))
        self.base_url_edit = QLineEdit(settings.base_url, self)
        self.base_url_edit.setObjectName("baseUrlEdit")
        self.base_url_edit.setPlaceholderText(
            translate("SettingsDialog", "https://api.openai.com/v1 (default)")
        )
        self.base_url_edit.setToolTip(
            translate(
                "SettingsDialog", "Any OpenAI-compatible endpoint that serves /v1/images/edits"
            )
        )
        env_url = os.environ.get("OPENAI_BASE_URL", "").strip()
        if env_url:
            # The environment wins at run time; say so instead of silently ignoring the field.
            self.base_url_edit.setToolTip(
                translate(
                    "SettingsDialog", "OPENAI_BASE_URL is set ({env_url}) and takes precedence."
                ).format(env_url=env_url)
            )
        self.model_combo = QComboBox(self)
        self.model_combo.setObjectName("settingsModelCombo")
        for info in load_catalog().usable_models():
            self.model_combo.addItem(info.label, info.id)
        self.model_combo.setCurrentIndex(max(self.model_combo.findData(settings.model), 0))
        self.quality_combo = QComboBox(self)
        self.quality_combo.setObjectName("settingsQualityCombo")
        for quality in ("auto", "low", "medium", "high"):
            self.quality_combo.addItem(option_label(quality), quality)
        self.quality_combo.setCurrentIndex(max(self.quality_combo.findData(settings.quality), 0))
        self.variants_spin = QSpinBox(self)
        self.variants_spin.setObjectName("settingsVariantsSpin")
        self.variants_spin.setRange(1, MAX_VARIANTS)
        self.variants_spin.setValue(settings.variants)
        data_dir = model.paths.data
        self.data_label = QLabel(
            f"<a href='{QUrl.fromLocalFile(str(data_dir)).toString()}'>{data_dir}</a>",
            self,
        )
        self.data_label.setObjectName("dataFolderLabel")
        self.data_label.setToolTip(
            translate(
                "SettingsDialog",
                "Change it with --data-dir or the IMGDESK_DATA_DIR environment variable",
            )
        )
        self.data_label.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))

        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("settingsLanguageCombo")
        for code, name in LANGUAGES:
            self.language_combo.addItem(
                translate("SettingsDialog", name) if code == "" else name, code
            )
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(settings.language), 0))
        self.language_combo.setToolTip(
            translate("SettingsDialog", "The new language is used the next time imgdesk starts.")
        )
        language_note = QLabel(
            translate("SettingsDialog", "Applies the next time imgdesk starts."), self
        )
        language_note.setObjectName("languageNoteLabel")
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_combo)
        language_row.addWidget(language_note, 1)

        form = QFormLayout()
        form.addRow(translate("SettingsDialog", "&Engine"), self.engine_combo)
        form.addRow(translate("SettingsDialog", "&Endpoint"), self.base_url_edit)
        form.addRow(translate("SettingsDialog", "Default &model"), self.model_combo)
        form.addRow(translate("SettingsDialog", "Default &quality"), self.quality_combo)
        form.addRow(translate("SettingsDialog", "Default &variants"), self.variants_spin)
        language_label = QLabel(translate("SettingsDialog", "&Language"), self)
        language_label.setBuddy(self.language_combo)  # a row holding a layout gets no buddy
        form.addRow(language_label, language_row)
        form.addRow(translate("SettingsDialog", "Data folder"), self.data_label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(key_box)
        layout.addLayout(form)
        layout.addWidget(buttons)

        model.key_changed.connect(self._show_key_status)
        self._show_key_status()

    def _show_key_status(self) -> None:
        status = self._model.key_status()
        self.key_status.setText(status.describe())
        # An environment key cannot be removed from here; say where it comes from instead.
        self.clear_key_button.setEnabled(status.source in ("keyring", "session"))
        if not self._model.keyring_available():
            self.session_only.setChecked(True)
            self.session_only.setEnabled(False)
            self.key_message.setText(translate("SettingsDialog", NO_KEYRING))

    def save_key(self) -> bool:
        value = self.key_edit.text().strip()
        if not value:
            self.key_message.setText(translate("SettingsDialog", "Paste a key first."))
            return False
        try:
            if self.session_only.isChecked():
                self._model.use_session_key(value)
            else:
                self._model.store_key(value)
        except ImgdeskError as error:
            self.key_message.setText(error.localized())
            return False
        self.key_edit.clear()
        if self.session_only.isChecked():
            self.key_message.setText(
                translate("SettingsDialog", "The key is in use until imgdesk closes.")
            )
        else:
            self.key_message.setText(
                translate("SettingsDialog", "The key is stored in the system keyring.")
            )
        return True

    def clear_key(self) -> None:
        self._model.clear_key()
        self.key_message.setText(translate("SettingsDialog", "The key was removed."))

    def accept(self) -> None:
        if self.key_edit.text().strip() and not self.save_key():
            return  # keep the dialog open so the message about the key can be read
        self._model.update(
            engine=str(self.engine_combo.currentData()),
            base_url=self.base_url_edit.text().strip(),
            model=str(self.model_combo.currentData()),
            quality=str(self.quality_combo.currentData()),
            variants=self.variants_spin.value(),
            language=str(self.language_combo.currentData()),
        )
        super().accept()
