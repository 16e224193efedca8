"""The log file: one rotating file in the user log folder, one logger per area, keys redacted.

Areas log through `logging.getLogger("imgdesk.<area>")` (or `logger("<area>")`); everything below
the "imgdesk" logger reaches the file. A filter on each of our handlers rewrites the record before
it is formatted: the message with its arguments filled in, the exception text and the stack are
passed through `redaction.redact`, so no key reaches the file, even inside a traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from typing import TextIO

from imgdesk.core import redaction, secrets
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.paths import AppPaths
from imgdesk.core.redaction import register_secret

__all__ = [
    "LOG_FILE_NAME",
    "RedactingFilter",
    "active_log_file",
    "logger",
    "register_secret",
    "setup_logging",
    "shutdown_logging",
]

LOG_FILE_NAME = "imgdesk.log"
ROOT_LOGGER = "imgdesk"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Redacts the finished message, the exception text and the stack of every record it passes.

    It rewrites the record in place (message already formatted, `args` cleared, `exc_text` filled
    in), so a handler that sees the record after this one gets the redacted text too.
    """

    _exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # Arguments that do not fit the format: keep both, as text, rather than lose the line.
            message = f"{record.msg!s} (arguments: {record.args!r})"
        record.msg = redaction.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redaction.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redaction.redact(record.stack_info)
        return True


class _ImgdeskFileHandler(logging.handlers.RotatingFileHandler):
    """Our file handler, recognisable so a second `setup_logging` replaces it instead of adding."""


class _ImgdeskConsoleHandler(logging.StreamHandler[TextIO]):
    """Our console handler, recognisable like the file handler."""


def logger(area: str) -> logging.Logger:
    """The logger for one area of the app, e.g. `logger("engine")` is "imgdesk.engine"."""
    return logging.getLogger(f"{ROOT_LOGGER}.{area}")


def log_file_path(paths: AppPaths) -> Path:
    return paths.logs / LOG_FILE_NAME


def setup_logging(paths: AppPaths, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Send imgdesk's logs to the rotating file in `paths.logs`; returns the file's path.

    Safe to call again (with another folder, level or console choice): our previous handlers are
    closed and replaced, never doubled. A folder that cannot be written is a STORAGE error, and
    the previous handlers then stay as they were. The keys in the environment now are remembered
    for redaction; keys typed in later, or read from the keyring, are added by `secrets` through
    `register_secret` (reading the keyring here would cost start-up about 0.4 s).
    """
    path = log_file_path(paths)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = _ImgdeskFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as error:
        raise ImgdeskError.make(
            ErrorKind.STORAGE,
            QT_TRANSLATE_NOOP("errors", "imgdesk cannot write its log file in {parent} ({value})."),
            parent=path.parent,
            value=error.strerror or error,
        ) from error
    shutdown_logging()
    root = logging.getLogger(ROOT_LOGGER)
    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(_ImgdeskConsoleHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    _remember_environment_keys()
    return path


def active_log_file() -> Path | None:
    """The file `setup_logging` writes to, or None before it ran."""
    for handler in logging.getLogger(ROOT_LOGGER).handlers:
        if isinstance(handler, _ImgdeskFileHandler):
            return Path(handler.baseFilename)
    return None


def shutdown_logging() -> None:
    """Flush, close and remove the handlers `setup_logging` added (at exit, and in tests)."""
    root = logging.getLogger(ROOT_LOGGER)
    for handler in list(root.handlers):
        if isinstance(handler, _ImgdeskFileHandler | _ImgdeskConsoleHandler):
            root.removeHandler(handler)
            handler.close()


def _remember_environment_keys() -> None:
    for name in (secrets.OPENAI, secrets.STRIPE):
        register_secret(secrets.environment_secret(name))
