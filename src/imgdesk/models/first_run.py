"""Whether this data folder has seen the welcome yet: one small JSON file beside the history.

It lives in the data folder (not the settings) so that a fresh `--data-dir` is a fresh first run,
and so that resetting preferences does not greet the user again.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from imgdesk import __version__
from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.paths import AppPaths

log = logging.getLogger("imgdesk.first_run")

FILE_NAME = "first_run.json"


def welcome_shown(paths: AppPaths) -> bool:
    """True once `mark_welcome_shown` ran for this data folder."""
    try:
        raw: Any = json.loads((paths.data / FILE_NAME).read_text("utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        # Greeting someone twice costs less than never explaining the engines to a new user.
        log.warning("%s unreadable (%s); showing the welcome again", FILE_NAME, error)
        return False
    return isinstance(raw, dict) and raw.get("welcome_shown") is True


def mark_welcome_shown(paths: AppPaths) -> None:
    """Remember that the welcome was shown; a write failure is logged, never raised."""
    data = {"welcome_shown": True, "version": __version__}
    try:
        atomic_write_bytes(paths.data / FILE_NAME, json.dumps(data, indent=2).encode("utf-8"))
    except ImgdeskError as error:
        log.warning("welcome state not saved: %s", error.message)
