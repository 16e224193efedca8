"""Where imgdesk keeps its state: one folder, overridable for tests and portable installs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "imgdesk"
DATA_DIR_ENV = "IMGDESK_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    """All folders the app writes to. With an override, everything lives below one folder."""

    data: Path
    config: Path
    logs: Path
    cache: Path

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def database(self) -> Path:
        return self.data / "imgdesk.sqlite3"

    @property
    def blobs(self) -> Path:
        return self.data / "blobs"

    def ensure(self) -> AppPaths:
        for folder in (self.data, self.config, self.logs, self.cache):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def app_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """`--data-dir` beats `IMGDESK_DATA_DIR` beats the platform's user folders."""
    override = data_dir or os.environ.get(DATA_DIR_ENV)
    if override:
        root = Path(override).expanduser().resolve()
        return AppPaths(root, root / "config", root / "logs", root / "cache")
    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
