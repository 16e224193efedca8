"""Pick the UI language and install its Qt translators (imgdesk's own, and Qt's for stock dialogs).

The language is Settings.language when set ("en", "de"), else the system locale. imgdesk's
sentences come from imgdesk/i18n/imgdesk_<lang>.qm, which the install builds from the .ts source
(setup.py). Running from a source checkout has no .qm, so the .ts is compiled once into the cache
folder with pyside6-lrelease; without that tool the app stays English and says so in the log.
"""

from __future__ import annotations

import logging
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from imgdesk.core import i18n
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # the queue (and numpy behind it) is not needed to paint the first window
    from imgdesk.core.queue_runner import QueueStatus

log = logging.getLogger("imgdesk.i18n")

SOURCE_LANGUAGE = "en"  # the sentences in the code
LANGUAGES = ("en", "de")
_installed: list[QTranslator] = []


def choose_language(setting: str, system: QLocale | None = None) -> str:
    """ "en" or "de": the saved choice if it is one we have, else the system's language."""
    if setting in LANGUAGES:
        return setting
    name = (system or QLocale.system()).name()  # "de_DE", "de_AT", "en_GB", "C"
    language = name.split("_", 1)[0]
    return language if language in LANGUAGES else SOURCE_LANGUAGE


def package_translations() -> Path:
    return Path(str(resources.files("imgdesk") / "i18n"))


def find_qm(language: str, cache: Path | None) -> Path | None:
    """The compiled translation: the installed one, else one compiled into `cache` now."""
    folder = package_translations()
    qm = folder / f"imgdesk_{language}.qm"
    ts = folder / f"imgdesk_{language}.ts"
    if qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    if not ts.is_file() or cache is None:
        return qm if qm.is_file() else None
    cached = cache / "i18n" / qm.name
    if cached.is_file() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    return compile_ts(ts, cached)


def lrelease_command() -> str | None:
    """PySide6's lrelease: next to this Python (a venv), else on PATH."""
    import shutil  # only a source checkout compiles its .ts; keep start-up from paying for it

    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.is_file():
        return str(beside)
    return shutil.which("pyside6-lrelease")


def compile_ts(ts: Path, qm: Path) -> Path | None:
    import subprocess

    command = lrelease_command()
    if command is None:
        log.warning("no pyside6-lrelease to compile %s; the interface stays English", ts.name)
        return None
    try:
        qm.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [command, "-silent", str(ts), "-qm", str(qm)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("compiling %s failed (%s); the interface stays English", ts.name, error)
        return None
    return qm if qm.is_file() else None


def install_translators(language: str, cache: Path | None = None) -> bool:
    """Install `language`'s translators on the running QCoreApplication; True when imgdesk's own
    translation loaded. Also routes core's translate() (error sentences, the callback page)
    through Qt. English needs nothing: it is the source language."""
    remove_translators()
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs a QCoreApplication")
    i18n.set_translator(QCoreApplication.translate)
    if language == SOURCE_LANGUAGE:
        return False
    # Qt's own strings (the buttons of stock dialogs: OK, Cancel, Yes, No).
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        QCoreApplication.installTranslator(qt)
        _installed.append(qt)
    qm = find_qm(language, cache)
    own = QTranslator(app)
    if qm is None or not own.load(str(qm)):
        log.warning("no usable translation for %s (%s); the interface stays English", language, qm)
        return False
    QCoreApplication.installTranslator(own)
    _installed.append(own)
    log.info("interface language %s from %s", language, qm)
    return True


def remove_translators() -> None:
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
    i18n.set_translator(None)


# Names of request options and sides shown in combo boxes and forms; the value stays English.
_OPTION_LABELS = {
    "auto": QT_TRANSLATE_NOOP("Options", "Auto"),
    "low": QT_TRANSLATE_NOOP("Options", "Low"),
    "medium": QT_TRANSLATE_NOOP("Options", "Medium"),
    "high": QT_TRANSLATE_NOOP("Options", "High"),
    "opaque": QT_TRANSLATE_NOOP("Options", "Opaque"),
    "transparent": QT_TRANSLATE_NOOP("Options", "Transparent"),
    "left": QT_TRANSLATE_NOOP("Options", "Left"),
    "top": QT_TRANSLATE_NOOP("Options", "Top"),
    "right": QT_TRANSLATE_NOOP("Options", "Right"),
    "bottom": QT_TRANSLATE_NOOP("Options", "Bottom"),
}


def option_label(value: str) -> str:
    """ "high" -> "High" (English) or "Hoch" (German); unknown values are just capitalised."""
    label = _OPTION_LABELS.get(value)
    return i18n.translate("Options", label) if label else value.capitalize()


def queue_status_text(status: QueueStatus) -> str:
    """The queue's state in the user's language: QueueStatus.message made from its counts.

    The runner (core) writes an English line for logs; the UI words it from the same fields.
    """
    from imgdesk.core.queue_runner import RunnerState

    queued, running = status.queued, status.running
    if status.state is RunnerState.STOPPED:
        return i18n.translate("QueueStatus", "Queue stopped")
    if status.state is RunnerState.PAUSED and status.error is not None:
        return i18n.translate("QueueStatus", "Queue paused: {reason}").format(
            reason=status.error.localized()
        )
    if status.state is RunnerState.OFFLINE:
        return i18n.translate("QueueStatus", "offline: {queued} queued").format(queued=queued)
    if status.state is RunnerState.WAITING:
        return i18n.translate("QueueStatus", "Rate limited; waiting ({queued} queued)").format(
            queued=queued
        )
    if status.state is RunnerState.RUNNING:
        return i18n.translate("QueueStatus", "{running} running, {queued} queued").format(
            running=running, queued=queued
        )
    if status.state is RunnerState.IDLE:
        return i18n.translate("QueueStatus", "Queue empty")
    return status.message
