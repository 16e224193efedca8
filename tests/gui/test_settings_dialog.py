"""The preferences dialog and the settings model: keys never shown whole, never in files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fakes.keyring_fixtures import OsKeyring
from imgdesk.core import secrets
from imgdesk.core.paths import AppPaths
from imgdesk.models.prompt_history import PromptHistory
from imgdesk.models.settings_model import SettingsModel
from imgdesk.ui.settings_dialog import NO_KEYRING, SettingsDialog

KEY = "sk-" + "test-0123456789abcdefWXYZ"  # split so it is not mistaken for a real key

# Fixture modules beside this one (tests/gui is on sys.path while it runs).
pytest_plugins = ("fixtures_session", "fakes.keyring_fixtures")


def _all_text(dialog: SettingsDialog) -> str:
    from PySide6.QtWidgets import QLabel, QLineEdit

    labels = [w.text() for w in dialog.findChildren(QLabel)]
    edits = [w.text() for w in dialog.findChildren(QLineEdit)]
    return "\n".join(labels + edits)


@pytest.mark.usefixtures("no_keyring")
def test_without_keyring_the_dialog_explains_and_keeps_the_key_for_the_session(
    qtbot: QtBot, settings_model: SettingsModel, paths: AppPaths
) -> None:
    dialog = SettingsDialog(settings_model)
    qtbot.addWidget(dialog)
    assert dialog.key_message.text() == NO_KEYRING
    assert dialog.session_only.isChecked()
    assert not dialog.session_only.isEnabled()
    assert not settings_model.has_key()

    with qtbot.waitSignal(settings_model.key_changed):
        dialog.key_edit.setText(KEY)
        dialog.save_key_button.click()

    assert secrets.secret_source(secrets.OPENAI) == "session"
    assert secrets.get_secret(secrets.OPENAI) == KEY
    text = _all_text(dialog)
    assert KEY not in text
    assert secrets.mask_secret(KEY) in dialog.key_status.text()
    assert "session only" in dialog.key_status.text()
    dialog.variants_spin.setValue(7)
    dialog.accept()
    # The key never reaches the settings file.
    assert KEY not in paths.settings_file.read_text("utf-8")


def test_os_keyring_stores_the_key_and_remove_deletes_it(
    qtbot: QtBot,
    settings_model: SettingsModel,
    os_keyring: OsKeyring,
) -> None:
    dialog = SettingsDialog(settings_model)
    qtbot.addWidget(dialog)
    assert dialog.session_only.isEnabled()
    dialog.key_edit.setText(KEY)
    dialog.save_key_button.click()
    assert secrets.secret_source(secrets.OPENAI) == "keyring"
    assert "system keyring" in dialog.key_status.text()
    assert KEY not in _all_text(dialog)
    assert dialog.clear_key_button.isEnabled()
    dialog.clear_key_button.click()
    assert secrets.secret_source(secrets.OPENAI) is None
    assert "No OpenAI key" in dialog.key_status.text()


def test_environment_key_is_reported_and_cannot_be_removed_here(
    qtbot: QtBot, settings_model: SettingsModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    dialog = SettingsDialog(settings_model)
    qtbot.addWidget(dialog)
    assert "environment variable" in dialog.key_status.text()
    assert secrets.mask_secret(KEY) in dialog.key_status.text()
    assert not dialog.clear_key_button.isEnabled()
    assert settings_model.effective_engine("auto") == "openai"


def test_accept_saves_settings_and_signals_once(
    qtbot: QtBot, settings_model: SettingsModel, paths: AppPaths
) -> None:
    dialog = SettingsDialog(settings_model)
    qtbot.addWidget(dialog)
    dialog.engine_combo.setCurrentIndex(dialog.engine_combo.findData("local"))
    dialog.base_url_edit.setText("http://127.0.0.1:9/v1")
    dialog.model_combo.setCurrentIndex(dialog.model_combo.findData("gpt-image-1.5"))
    dialog.variants_spin.setValue(5)
    with qtbot.waitSignal(settings_model.changed):
        dialog.accept()
    saved = json.loads(paths.settings_file.read_text("utf-8"))
    assert saved["engine"] == "local"
    assert saved["base_url"] == "http://127.0.0.1:9/v1"
    assert saved["model"] == "gpt-image-1.5"
    assert saved["variants"] == 5
    assert SettingsModel.load(paths).settings.variants == 5
    # Nothing changed: no signal, no write.
    with qtbot.assertNotEmitted(settings_model.changed):
        assert settings_model.update(variants=5) is False
    with pytest.raises(KeyError):
        settings_model.update(colour="red")


@pytest.mark.usefixtures("no_keyring")
def test_empty_key_is_refused_with_a_sentence(qtbot: QtBot, settings_model: SettingsModel) -> None:
    dialog = SettingsDialog(settings_model)
    qtbot.addWidget(dialog)
    assert dialog.save_key() is False
    assert dialog.key_message.text() == "Paste a key first."
    assert not settings_model.has_key()


def test_prompt_history_keeps_recent_first_and_presets(
    history: PromptHistory, paths: AppPaths
) -> None:
    for prompt in ("a red door", "a blue sky", "a red door", "  "):
        history.remember(prompt)
    history.save_preset("Sky", "a blue sky at dusk")
    assert history.recent == ["a red door", "a blue sky"]
    again = PromptHistory(paths.data / "prompts.json")
    assert again.recent == ["a red door", "a blue sky"]
    assert again.presets == {"Sky": "a blue sky at dusk"}
    (paths.data / "prompts.json").write_text("{not json", "utf-8")
    assert PromptHistory(Path(paths.data / "prompts.json")).recent == []
