"""Fixtures every test gets: its own data folder, no real keys, Qt offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Fixture modules beside the fake servers; each area adds its own module here.
pytest_plugins = ["fakes.keyring_fixtures", "fakes.openai_fixtures", "fakes.stripe_fixtures"]

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "images"
SPEC = REPO.parent / "shared" / "specs" / "openai-openapi.yaml"

_SCRUBBED_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "STRIPE_API_KEY", "IMGDESK_STRIPE_API_BASE")


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test starts with an empty data folder and none of the developer's keys."""
    for name in _SCRUBBED_ENV:
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "imgdesk-data"
    monkeypatch.setenv("IMGDESK_DATA_DIR", str(data_dir))
    yield data_dir
    # Commands run in-process install process-wide hooks and log handlers; leave none behind.
    from imgdesk.core import crash, logs

    crash.uninstall()
    logs.shutdown_logging()
