"""The command line's language: German or English, chosen exactly as the editor chooses it.

Settings.language when set, else the system locale (`choose_language`, shared with the window).
Without a QApplication nothing routes `QCoreApplication.translate`, so the commands load the
compiled translation into a bare QTranslator and ask it directly: QtCore alone, no QtGui or
QtWidgets; and no translator at all for English, the language the sentences are written in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from imgdesk.core import i18n
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings

log = logging.getLogger("imgdesk.i18n")

CONTEXT = "cli"  # lupdate context of every command-line sentence; markers repeat it literally


def cli_text(template: str, /, **values: object) -> str:
    """A command-line sentence (marked QT_TRANSLATE_NOOP("cli", ...) at the call site) in the
    user's language, with `values` filled in after translation."""
    return i18n.translate_format(CONTEXT, template, **values)


def settings_language(data_dir: str | None) -> str:
    """The saved language choice ("" follows the system); unreadable settings mean ""."""
    try:
        paths = app_paths(data_dir)
    except ImgdeskError:
        return ""
    return Settings.load(paths.settings_file).language


def cli_translator(data_dir: str | None = None) -> i18n.Translator | None:
    """The translator for the chosen language, or None for English (or when no translation can
    be loaded: the commands then speak English, and the log says why)."""
    setting = settings_language(data_dir)
    if setting == "en":  # the sentences' own language: no need to ask the locale or load Qt
        return None
    # QtCore only (QLocale, QTranslator), imported here rather than with the commands.
    from imgdesk.ui.translations import SOURCE_LANGUAGE, choose_language, find_qm

    language = choose_language(setting)
    if language == SOURCE_LANGUAGE:
        return None
    # The ban is core's rule; the command line is a front end like the window (see docstring).
    from PySide6.QtCore import QTranslator  # noqa: TID251

    try:
        cache: Path | None = app_paths(data_dir).cache
    except ImgdeskError:
        cache = None
    qm = find_qm(language, cache)
    translator = QTranslator()
    if qm is None or not translator.load(str(qm)):
        log.warning("no usable translation for %s (%s); the commands stay English", language, qm)
        return None

    def translate(context: str, text: str) -> str:
        # The closure keeps the QTranslator alive as long as it is installed.
        return translator.translate(context, text) or ""

    return translate


def data_dir_argument(argv: Sequence[str]) -> str | None:
    """`--data-dir DIR` from the arguments, read before the parser exists: the parser's help
    texts are already translated, and the language can come from that folder's settings."""
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--data-dir" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--data-dir="):
            return word.split("=", 1)[1]
    return None
