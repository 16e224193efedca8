"""The first-run welcome: shown once per data folder; its buttons open preferences or a sample."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from imgdesk.core.paths import AppPaths
from imgdesk.core.samples import sample_paths
from imgdesk.models.first_run import FILE_NAME, mark_welcome_shown, welcome_shown
from imgdesk.models.settings_model import SettingsModel
from imgdesk.ui.main_window import MainWindow, build_main_window
from imgdesk.ui.settings_dialog import SettingsDialog
from imgdesk.ui.welcome_dialog import WelcomeDialog, show_welcome_on_first_run

pytest_plugins = ("fixtures_session",)

Run = Callable[[Coroutine[Any, Any, Any]], Any]
KEY = "sk-" + "welcome-test-0123456789abcdef"  # split so it is not mistaken for a real key


@pytest.fixture
def window(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths
) -> Iterator[MainWindow]:
    window = build_main_window(paths)
    qt_owned.append(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def test_first_run_state_is_remembered_in_the_data_folder(paths: AppPaths) -> None:
    assert not welcome_shown(paths)
    mark_welcome_shown(paths)
    assert welcome_shown(paths)
    assert json.loads((paths.data / FILE_NAME).read_text("utf-8"))["welcome_shown"] is True


def test_an_unreadable_first_run_file_shows_the_welcome_again(paths: AppPaths) -> None:
    (paths.data / FILE_NAME).write_text("{not json", "utf-8")
    assert not welcome_shown(paths)


def test_welcome_shows_on_the_first_start_only(
    window: MainWindow, qtbot: QtBot, paths: AppPaths
) -> None:
    first = show_welcome_on_first_run(window, paths)
    assert isinstance(first, WelcomeDialog)
    qtbot.waitExposed(first)
    assert first.isVisible()
    offline, openai = (first.findChild(QLabel, name) for name in ("offlineText", "openaiText"))
    assert offline is not None
    assert openai is not None
    assert "offline" in offline.text().lower()
    assert "OpenAI" in openai.text()
    assert window.findChild(WelcomeDialog) is first
    QTest.mouseClick(first.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(WelcomeDialog) is None)  # closed and deleted
    assert show_welcome_on_first_run(window, paths) is None


def test_open_a_sample_opens_it_in_the_window_in_one_click(
    window: MainWindow, qtbot: QtBot, paths: AppPaths
) -> None:
    dialog = show_welcome_on_first_run(window, paths)
    assert dialog is not None
    sample = dialog.sample
    assert sample is not None
    assert sample in sample_paths()
    assert window.document.pixels is None
    assert window.findChild(WelcomeDialog) is dialog

    QTest.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.document.pixels is not None, timeout=20_000)
    assert window.document.path == sample
    expected = np.asarray(Image.open(sample).convert("RGB"))
    pixels = window.document.pixels
    assert pixels is not None
    assert pixels.shape[:2] == expected.shape[:2]
    assert window.findChild(WelcomeDialog) is None


def test_add_key_opens_the_preferences_and_the_welcome_then_shows_the_key(
    window: MainWindow, qtbot: QtBot, paths: AppPaths, no_keyring: None
) -> None:
    dialog = show_welcome_on_first_run(window, paths)
    assert dialog is not None
    assert "No OpenAI key" in dialog.key_status.text()
    seen: list[QWidget | None] = []

    def enter_key_for_this_session() -> None:
        settings = QApplication.activeModalWidget()
        seen.append(settings)
        assert isinstance(settings, SettingsDialog)
        settings.key_edit.setText(KEY)
        settings.session_only.setChecked(True)
        settings.save_key_button.click()
        settings.reject()

    QTimer.singleShot(0, enter_key_for_this_session)
    QTest.mouseClick(dialog.add_key_button, Qt.MouseButton.LeftButton)

    assert len(seen) == 1
    assert isinstance(seen[0], SettingsDialog)
    # The welcome stays open and now says a key is set (masked), offering to change it.
    assert dialog.isVisible()
    assert "for this session only" in dialog.key_status.text()
    assert KEY not in dialog.key_status.text()
    assert dialog.add_key_button.text() == "Change OpenAI key…"
    assert window.settings.has_key()


def test_without_samples_the_welcome_offers_none(
    qtbot: QtBot, settings_model: SettingsModel
) -> None:
    dialog = WelcomeDialog(settings_model, [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sample is None
    assert not dialog.sample_button.isVisible()
    with qtbot.assertNotEmitted(dialog.sample_requested):
        dialog.sample_button.click()


def test_open_sample_emits_the_path_it_shows(
    qtbot: QtBot, settings_model: SettingsModel, tmp_path: Path
) -> None:
    photo = tmp_path / "mine.jpg"
    Image.new("RGB", (8, 8)).save(photo)
    dialog = WelcomeDialog(settings_model, [photo])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sample_requested) as signal:
        QTest.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    assert signal.args == [str(photo)]
    assert photo.name in dialog.sample_button.toolTip()
