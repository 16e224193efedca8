"""Checks the commands make before any work: nothing is sent or paid for that could not be kept.

Each failure is an ImgdeskError naming what the user typed (the file, the folder, the variable),
because on a command line there is no dialog to point at.
"""

from __future__ import annotations

import os
from pathlib import Path

from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.factory import make_engine
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.secrets import OPENAI, SERVICE
from imgdesk.core.settings import Settings

# Through the interpreter imgdesk runs on: a bare `keyring` is only on PATH in an activated venv.
KEYRING_COMMAND = f"python -m keyring set {SERVICE} {OPENAI}"


def check_out_folder(out: Path) -> None:
    """Refuse an --out the results could not be written to: a file, or a folder that cannot be
    made or written. Existing results are never overwritten (new names are chosen), so an
    existing folder is fine."""
    existing = next((path for path in (out, *out.parents) if path.exists()), None)
    if existing is not None and not existing.is_dir():
        if existing == out:
            raise ImgdeskError.make(
                ErrorKind.STORAGE,
                QT_TRANSLATE_NOOP(
                    "errors",
                    "{path} is a file, not a folder. --out names the folder the results go "
                    "into; choose a folder (it is made if it does not exist).",
                ),
                field="out",
                path=str(out),
            )
        raise ImgdeskError.make(
            ErrorKind.STORAGE,
            QT_TRANSLATE_NOOP(
                "errors", "The folder {path} cannot be made: {blocker} is a file, not a folder."
            ),
            field="out",
            path=str(out),
            blocker=str(existing),
        )
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise ImgdeskError.make(
            ErrorKind.STORAGE,
            QT_TRANSLATE_NOOP("errors", "imgdesk may not write into the folder {path}."),
            field="out",
            path=str(existing),
        )


def check_mask_file(path: Path) -> None:
    """A --mask that names no readable file is refused by name, before the photo is even read."""
    if path.is_dir():
        raise ImgdeskError.make(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "{path} is a folder; --mask needs an image file."),
            field="mask",
            path=str(path),
        )
    if not path.exists():
        raise ImgdeskError.make(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "There is no mask file {path}."),
            field="mask",
            path=str(path),
        )


def read_mask_file(path: Path) -> bytes:
    check_mask_file(path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImgdeskError.make(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "The mask file {path} could not be read."),
            field="mask",
            detail=repr(error),
            path=str(path),
        ) from error


def no_key_error() -> ImgdeskError:
    """No OpenAI key, said for a terminal: where a key can come from, and the offline way."""
    return ImgdeskError.make(
        ErrorKind.CONFIG,
        QT_TRANSLATE_NOOP(
            "errors",
            "No OpenAI API key is set. Set the {variable} environment variable, or store the key "
            "in the system keyring ({command}, or in the editor's settings); or edit offline "
            "with {offline}.",
        ),
        variable=OPENAI,
        command=KEYRING_COMMAND,
        offline="--engine local",
    )


def refused_key_error(error: ImgdeskError) -> ImgdeskError:
    """OpenAI refused the key (or what it may do), said for a terminal: the engine's sentence
    is shared with the editor and points at its Settings, which a command line does not have."""
    return ImgdeskError.make(
        error.kind,
        QT_TRANSLATE_NOOP(
            "errors",
            "OpenAI refused the API key for this edit. imgdesk reads the key from the {variable} "
            "environment variable, else from the system keyring ({command}): check the key "
            "there, and its project and permissions at platform.openai.com; or edit offline "
            "with {offline}.",
        ),
        detail=error.detail,
        variable=OPENAI,
        command=KEYRING_COMMAND,
        offline="--engine local",
    )


def error_text(error: ImgdeskError) -> str:
    """An error as the terminal says it, in the user's language.

    A key error whose remedy is the editor's Settings (OpenAI's 401 and 403; the no-key case
    is caught earlier by `cli_engine`) gets the terminal's own sentence; the rest read as in
    the editor.
    """
    if error.kind is ErrorKind.AUTH and error.action is Action.OPEN_SETTINGS:
        return refused_key_error(error).localized()
    return error.localized()


def cli_engine(settings: Settings, engine_name: str) -> Engine:
    """The engine, or the terminal's version of the no-key error."""
    try:
        return make_engine(settings, engine_name)
    except ImgdeskError as error:
        if error.kind is ErrorKind.AUTH:  # make_engine's only AUTH error: no key is set
            raise no_key_error() from error
        raise


def problem_line(problem: ImgdeskError) -> str:
    """One validation problem as a line: the option at fault first, when there is one."""
    text = problem.localized()
    return f"{problem.field}: {text}" if problem.field else text
