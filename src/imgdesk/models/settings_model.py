"""Settings as an observable model, plus the OpenAI key, which lives apart from the settings file.

The key is set and cleared through `core.secrets` only; this model never writes it anywhere else
and only ever hands the UI a masked hint of it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from imgdesk.core import secrets
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.paths import AppPaths
from imgdesk.core.settings import Settings

KEY_NAME = secrets.OPENAI


@dataclass(frozen=True)
class KeyStatus:
    """Whether an OpenAI key is set, where it comes from, and a hint that does not reveal it."""

    source: str | None  # "environment", "session", "keyring" or None
    hint: str | None  # e.g. "sk-…abcd"

    @property
    def is_set(self) -> bool:
        return self.source is not None

    def describe(self) -> str:
        if not self.is_set:
            return translate(
                "SettingsModel", "No OpenAI key is set; edits run on the offline engine."
            )
        # Whole sentences, not a phrase spliced into one: word order differs between languages.
        sentence = {
            "environment": QT_TRANSLATE_NOOP(
                "SettingsModel", "A key is set from the OPENAI_API_KEY environment variable: {hint}"
            ),
            "session": QT_TRANSLATE_NOOP(
                "SettingsModel",
                "A key is set for this session only (it is forgotten when imgdesk closes): {hint}",
            ),
            "keyring": QT_TRANSLATE_NOOP(
                "SettingsModel", "A key is set in the system keyring: {hint}"
            ),
        }.get(self.source or "", QT_TRANSLATE_NOOP("SettingsModel", "A key is set: {hint}"))
        return translate("SettingsModel", sentence).format(hint=self.hint)


class SettingsModel(QObject):
    """The user's settings with change signals; saves on every change."""

    changed = Signal()  # any setting changed
    key_changed = Signal()  # the OpenAI key was set, cleared, or its source changed

    def __init__(self, settings: Settings, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._paths = paths

    @classmethod
    def load(cls, paths: AppPaths, parent: QObject | None = None) -> SettingsModel:
        return cls(Settings.load(paths.settings_file), paths, parent)

    @property
    def settings(self) -> Settings:
        """A copy: change settings through `update` so listeners hear about it."""
        return replace(self._settings)

    @property
    def paths(self) -> AppPaths:
        return self._paths

    @property
    def settings_file(self) -> Path:
        return self._paths.settings_file

    def get(self, name: str) -> Any:
        return getattr(self._settings, name)

    def update(self, **changes: Any) -> bool:
        """Apply and save `changes`; emits `changed` only when a value really changed."""
        known = {item.name for item in fields(Settings)}
        unknown = set(changes) - known
        if unknown:
            raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
        different = {k: v for k, v in changes.items() if getattr(self._settings, k) != v}
        if not different:
            return False
        for name, value in different.items():
            setattr(self._settings, name, value)
        self._settings.save(self._paths.settings_file)
        self.changed.emit()
        return True

    # The OpenAI key -------------------------------------------------------------------------

    def key_status(self) -> KeyStatus:
        source = secrets.secret_source(KEY_NAME)
        value = secrets.get_secret(KEY_NAME) if source else None
        return KeyStatus(source if value else None, secrets.mask_secret(value) if value else None)

    def has_key(self) -> bool:
        return self.key_status().is_set

    def keyring_available(self) -> bool:
        return secrets.keyring_available()

    def store_key(self, value: str) -> None:
        """Keep the key in the system keyring; raises a CONFIG ImgdeskError when there is none."""
        secrets.store_secret(KEY_NAME, value)
        self.key_changed.emit()

    def use_session_key(self, value: str) -> None:
        """Use the key until imgdesk closes, without storing it anywhere."""
        secrets.set_session_secret(KEY_NAME, value)
        self.key_changed.emit()

    def clear_key(self) -> None:
        secrets.delete_secret(KEY_NAME)
        self.key_changed.emit()

    def effective_engine(self, choice: str | None = None) -> str:
        """ "openai" or "local": what `choice` (default: the settings' engine) means right now."""
        choice = choice or self._settings.engine
        if choice == "auto":
            return "openai" if self.has_key() else "local"
        return choice
