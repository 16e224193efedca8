"""Recent prompts and named presets, kept as a small JSON file in the data folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from imgdesk.core.atomic import atomic_write_bytes

log = logging.getLogger("imgdesk.prompts")

MAX_RECENT = 20


class PromptHistory(QObject):
    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._recent: list[str] = []
        self._presets: dict[str, str] = {}
        self._load()

    @property
    def recent(self) -> list[str]:
        return list(self._recent)

    @property
    def presets(self) -> dict[str, str]:
        return dict(self._presets)

    def remember(self, prompt: str) -> None:
        """Put `prompt` first in the recent list (once), dropping the oldest beyond the limit."""
        prompt = prompt.strip()
        if not prompt:
            return
        if self._recent[:1] == [prompt]:
            return
        self._recent = [prompt, *(p for p in self._recent if p != prompt)][:MAX_RECENT]
        self._save()

    def save_preset(self, name: str, prompt: str) -> None:
        name, prompt = name.strip(), prompt.strip()
        if not name or not prompt:
            return
        self._presets[name] = prompt
        self._save()

    def delete_preset(self, name: str) -> None:
        if self._presets.pop(name, None) is not None:
            self._save()

    def _load(self) -> None:
        try:
            raw: Any = json.loads(self._path.read_text("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            # A damaged file costs the user their recent prompts, not the app start.
            log.warning("prompt history %s unreadable (%s); starting empty", self._path, error)
            return
        if not isinstance(raw, dict):
            return
        recent = raw.get("recent", [])
        presets = raw.get("presets", {})
        if isinstance(recent, list):
            self._recent = [p for p in recent if isinstance(p, str)][:MAX_RECENT]
        if isinstance(presets, dict):
            self._presets = {
                k: v for k, v in presets.items() if isinstance(k, str) and isinstance(v, str)
            }

    def _save(self) -> None:
        data = {"recent": self._recent, "presets": self._presets}
        atomic_write_bytes(self._path, json.dumps(data, indent=2, ensure_ascii=False).encode())
        self.changed.emit()
