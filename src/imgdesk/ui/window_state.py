"""The window's layout remembered between runs: geometry, docks and toolbars, splitter sizes.

Stored as config/window.json in the data folder, not in QSettings' default place, so that
--data-dir / IMGDESK_DATA_DIR keeps every piece of state in one folder. Qt's own blobs
(saveGeometry/saveState) go in as base64. A file that is corrupt, from another program or from
an incompatible version is ignored: the window opens with its defaults, never fails to open.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, SignalInstance
from PySide6.QtWidgets import QMainWindow, QSplitter

from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.errors import ImgdeskError

log = logging.getLogger("imgdesk.ui.window_state")

FILE_NAME = "window.json"
_FORMAT = "imgdesk-window"
_VERSION = 1
# Bumped when docks or toolbars change so much that an old saved state would misplace them.
STATE_VERSION = 1


def _encode(blob: QByteArray) -> str:
    return base64.b64encode(blob.data()).decode("ascii")


def _decode(text: object) -> QByteArray | None:
    if not isinstance(text, str):
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return None


def _splitters(window: QMainWindow) -> dict[str, QSplitter]:
    # Only named splitters: an unnamed one cannot be matched up with its sizes at the next start.
    return {s.objectName(): s for s in window.findChildren(QSplitter) if s.objectName()}


def save_window_state(window: QMainWindow, path: Path) -> None:
    """Write the window's layout to `path` atomically; a failure is logged, not raised."""
    record = {
        "format": _FORMAT,
        "version": _VERSION,
        "geometry": _encode(window.saveGeometry()),
        "state": _encode(window.saveState(STATE_VERSION)),
        "splitters": {name: s.sizes() for name, s in _splitters(window).items()},
        "extras": _extras(window),
    }
    try:
        atomic_write_bytes(path, json.dumps(record, indent=1).encode("utf-8"), fsync=False)
    except ImgdeskError as error:  # losing the layout is not worth bothering anyone at quit
        log.warning("window layout not saved: %s", error.message)


def _extras(window: QMainWindow) -> dict[str, object]:
    # A window may remember a little more than Qt's layout (see MainWindow.layout_extras).
    extras = getattr(window, "layout_extras", None)
    return dict(extras()) if callable(extras) else {}


def _read(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        log.warning("ignoring unreadable window layout %s: %s", path, error)
        return None
    if (
        not isinstance(record, dict)
        or record.get("format") != _FORMAT
        or record.get("version") != _VERSION
    ):
        log.warning("ignoring window layout %s: not one this version wrote", path)
        return None
    return record


@dataclass(frozen=True)
class SavedLayout:
    """The layout file as read once at start-up (`record` None: none, or unusable)."""

    path: Path
    record: dict[str, Any] | None

    @property
    def extras(self) -> dict[str, Any]:
        """What the window asked to remember besides Qt's layout ({} when nothing)."""
        extras = self.record.get("extras") if self.record is not None else None
        return extras if isinstance(extras, dict) else {}

    def apply(self, window: QMainWindow, *, geometry: bool = True) -> bool:
        """Apply the layout, before the window is shown. False: defaults kept.

        `geometry=False` leaves the window's size and place alone and only re-applies the
        docks, toolbars and splitters (after they were built into a window already on screen).
        """
        record = self.record
        if record is None:
            return False
        saved_geometry = _decode(record.get("geometry"))
        state = _decode(record.get("state"))
        if saved_geometry is None or state is None:
            log.warning("ignoring window layout %s: damaged", self.path)
            return False
        # Qt checks its own blobs and refuses bad ones without touching the window.
        restored = window.restoreGeometry(saved_geometry) if geometry else True
        restored = window.restoreState(state, STATE_VERSION) and restored
        sizes = record.get("splitters")
        if isinstance(sizes, dict):
            for name, splitter in _splitters(window).items():
                saved = sizes.get(name)
                if (
                    isinstance(saved, list)
                    and len(saved) == splitter.count()
                    and all(isinstance(v, int) and v >= 0 for v in saved)
                ):
                    splitter.setSizes(saved)
        return restored


class _LayoutKeeper(QObject):
    # A child of the window, so the connection goes when the window does (no Python cycle).
    def __init__(self, window: QMainWindow, path: Path) -> None:
        super().__init__(window)
        self.path = path

    def save(self) -> None:
        window = self.parent()
        if isinstance(window, QMainWindow):
            save_window_state(window, self.path)


def remember_layout(window: QMainWindow, closed: SignalInstance, config: Path) -> SavedLayout:
    """Restore the layout saved in `config` now (before show); save it there on `closed`.

    Returns the layout as read, for what is applied later (extras, docks built afterwards).
    """
    keeper = _LayoutKeeper(window, config / FILE_NAME)
    layout = SavedLayout(keeper.path, _read(keeper.path))
    layout.apply(window)
    closed.connect(keeper.save)
    return layout
