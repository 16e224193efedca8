"""The File › Open Recent list, kept as a small JSON file in the data folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.errors import ImgdeskError

log = logging.getLogger("imgdesk.recent")

MAX_RECENT_FILES = 12


class RecentFiles(QObject):
    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._files: list[Path] = []
        try:
            raw: Any = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raw = []
        except (OSError, ValueError) as error:
            log.warning("recent files list %s unreadable (%s); starting empty", path, error)
            raw = []
        if isinstance(raw, list):
            self._files = [Path(p) for p in raw if isinstance(p, str)][:MAX_RECENT_FILES]

    @property
    def files(self) -> list[Path]:
        """Most recent first; files that have since disappeared are left out."""
        return [p for p in self._files if p.exists()]

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self._files = [path, *(p for p in self._files if p != path)][:MAX_RECENT_FILES]
        self._save()

    def clear(self) -> None:
        self._files = []
        self._save()

    def _save(self) -> None:
        data = json.dumps([str(p) for p in self._files], indent=2).encode("utf-8")
        try:
            atomic_write_bytes(self._path, data)
        except ImgdeskError as error:
            # Losing the recent list is not worth interrupting the user's work for.
            log.warning("recent files not saved: %s", error.message)
        self.changed.emit()
