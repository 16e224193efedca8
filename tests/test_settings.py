"""Settings: typed, defaulted, and never a place where environment values or secrets end up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgdesk.core.settings import Settings


def test_missing_or_broken_file_gives_defaults(tmp_path: Path) -> None:
    assert Settings.load(tmp_path / "none.json") == Settings()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert Settings.load(broken) == Settings()


def test_values_of_the_wrong_type_are_ignored_and_ints_fill_floats(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"variants": True, "request_timeout_s": 120, "model": 5}))
    settings = Settings.load(path)
    assert settings.variants == Settings().variants  # a bool is not a count
    assert settings.request_timeout_s == 120.0
    assert isinstance(settings.request_timeout_s, float)
    assert settings.model == Settings().model


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(model="gpt-image-1.5", variants=5, base_url="http://example.test/v1")
    settings.save(path)
    assert Settings.load(path) == settings


def test_environment_endpoint_wins_but_is_never_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    path = tmp_path / "settings.json"
    settings = Settings.load(path)
    assert settings.effective_base_url() == "http://127.0.0.1:9/v1"
    settings.save(path)
    assert "127.0.0.1:9" not in path.read_text()
    monkeypatch.delenv("OPENAI_BASE_URL")
    settings.base_url = "http://saved.test/v1"
    assert settings.effective_base_url() == "http://saved.test/v1"
