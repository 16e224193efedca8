"""Writing files so that a crash or a full disk never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP


def atomic_write_bytes(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise storage_error(error, path) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        if fsync:
            _fsync_dir(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise storage_error(error, path) from error


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible on Windows, where it is also not needed.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(error: OSError, path: Path) -> ImgdeskError:
    values: dict[str, object]  # the placeholders of the sentence picked below
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "The disk is full; {name} could not be saved. Free some space and try again.",
            ),
            {"name": path.name},
        )
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "imgdesk is not allowed to write to {parent}. Choose another folder."
            ),
            {"parent": path.parent},
        )
    else:
        message, values = (
            QT_TRANSLATE_NOOP("errors", "{name} could not be saved: {value}."),
            {"name": path.name, "value": error.strerror or error},
        )
    return ImgdeskError.make(ErrorKind.STORAGE, message, detail=repr(error), values=values)
