"""German at start: the window made after the translator is installed, and the language setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from imgdesk.app import install_language
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.paths import AppPaths
from imgdesk.core.settings import Settings
from imgdesk.models.settings_model import SettingsModel
from imgdesk.ui.main_window import MainWindow
from imgdesk.ui.settings_dialog import SettingsDialog
from imgdesk.ui.translations import install_translators, remove_translators

pytest_plugins = ("fixtures_session", "fixtures_window")


@pytest.fixture
def german(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    # Before `window`, so the window's labels are made in German (as at a German start).
    assert install_translators("de", cache=tmp_path / "cache")
    yield
    remove_translators()


@pytest.mark.usefixtures("german")
def test_menus_and_banner_are_german(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[:3] == ["&Datei", "&Bearbeiten", "&Maske"]
    assert "&Hilfe" in titles
    assert "&File" not in titles
    window.banner.show_error(
        ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "The mask is empty: paint the area to change first."),
        )
    )
    assert window.banner.message() == (
        "Die Maske ist leer: Malen Sie zuerst den zu ändernden Bereich aus."
    )


def test_the_language_chosen_in_preferences_is_used_at_the_next_start(
    qapp: QApplication, qtbot: QtBot, settings_model: SettingsModel, paths: AppPaths
) -> None:
    dialog = SettingsDialog(settings_model)
    qtbot.addWidget(dialog)
    combo = dialog.language_combo
    assert combo.currentData() == ""  # a new install follows the system
    combo.setCurrentIndex(combo.findData("de"))
    dialog.accept()
    assert Settings.load(paths.settings_file).language == "de"
    try:
        # What make_application() does at start, whatever the system locale is.
        assert install_language() == "de"
        assert QCoreApplication.translate("WindowActions", "&File") == "&Datei"
    finally:
        remove_translators()
    assert QCoreApplication.translate("WindowActions", "&File") == "&File"


def _untranslated_sources() -> set[str]:
    """English sentences of the .ts whose German differs (so seeing them means a miss)."""
    import xml.etree.ElementTree as ET

    import imgdesk

    ts = Path(imgdesk.__file__).parent / "i18n" / "imgdesk_de.ts"
    sources = set()
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        german = "".join(translation.itertext()) if translation is not None else ""
        if source and german.strip() and german != source:
            sources.add(source)
    return sources


def _texts(window: MainWindow) -> list[str]:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QDockWidget, QLabel

    texts = [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    texts += [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [w.windowTitle() for w in window.findChildren(QDockWidget)]
    texts += [a.text() for a in window.findChildren(QAction) if a.isVisible()]
    return [text for text in texts if text]


@pytest.mark.usefixtures("german")
def test_no_english_sentence_shows_in_the_german_window(window: MainWindow) -> None:
    english = _untranslated_sources()
    assert not [text for text in _texts(window) if text in english]
    # The Generate button while an edit runs, and back.
    window.prompt_panel._on_state("running")
    assert window.prompt_panel.generate_button.text() == "Wird erzeugt…"
    window.prompt_panel._on_state("done")
    assert window.prompt_panel.generate_button.text() == "Erzeugen"
    assert not [text for text in _texts(window) if text in english]
