"""User settings: a typed schema with defaults, stored as JSON, overridable from the environment.

Secrets never live here (see secrets.py).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from imgdesk.core.atomic import atomic_write_bytes

log = logging.getLogger("imgdesk.settings")

SCHEMA_VERSION = 1


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    engine: str = "auto"  # "auto" (OpenAI when a key is set, else local), "openai" or "local"
    base_url: str = ""  # empty: OPENAI_BASE_URL, else the library's default endpoint
    model: str = "gpt-image-2"
    quality: str = "auto"
    variants: int = 3
    output_format: str = "png"
    partial_images: int = 2
    request_timeout_s: float = 300.0
    max_retries: int = 2
    queue_concurrency: int = 4
    language: str = ""  # empty: follow the system locale
    mask_color: str = "#ff3b30"
    mask_opacity: float = 0.45
    # Token packs: edits through OpenAI cost credits when a shop is configured (see metering.py).
    require_credits: bool = False
    credits_per_usd: float = 100.0
    credit_markup: float = 1.25

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings, keeping defaults for anything missing, unknown or unreadable."""
        settings = cls()
        try:
            raw: Any = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raw = {}
        except (OSError, ValueError) as error:
            log.warning("settings file %s unreadable (%s); using defaults", path, error)
            raw = {}
        if isinstance(raw, dict):
            for item in fields(cls):
                if item.name in raw and _fits(raw[item.name], getattr(settings, item.name)):
                    value = raw[item.name]
                    if isinstance(item.default, float):
                        value = float(value)
                    setattr(settings, item.name, value)
        settings.schema_version = SCHEMA_VERSION
        return settings

    def effective_base_url(self) -> str | None:
        """`OPENAI_BASE_URL` beats the saved endpoint, like OPENAI_API_KEY beats the keyring.

        Read at use time, not merged at load time, so saving settings never persists a value that
        only came from this session's environment.
        """
        return os.environ.get("OPENAI_BASE_URL", "").strip() or self.base_url.strip() or None

    def save(self, path: Path) -> None:
        data = json.dumps(asdict(self), indent=2, sort_keys=True).encode("utf-8")
        atomic_write_bytes(path, data)


def _fits(value: Any, default: Any) -> bool:
    """Whether a stored value can stand in for a default of its type (JSON blurs int/float/bool)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))
