"""Credits on the command line: `imgdesk edit` and `imgdesk batch` spend exactly their price when
a shop is configured, nothing on failure, and refuse before sending when the balance is short."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.ledger import Ledger
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings

RECT = "400,300,200,150"


@pytest.fixture
def shop(openai_env: FakeOpenAIServer) -> FakeOpenAIServer:
    """A shop is configured (credits required by settings) and the OpenAI fake is the endpoint."""
    paths = app_paths().ensure()
    Settings(require_credits=True).save(paths.settings_file)
    return openai_env


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (700, 1000, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    Image.fromarray(pixels, "RGB").save(path)
    return path


def _ledger() -> Ledger:
    return Ledger(app_paths().data / "ledger.sqlite3")


def _grant(credits: int) -> None:
    ledger = _ledger()
    try:
        ledger.grant("test", credits)
    finally:
        ledger.close()


def _entries() -> list[tuple[str, int]]:
    ledger = _ledger()
    try:
        return [(entry.kind, entry.delta) for entry in ledger.entries()]
    finally:
        ledger.close()


def _balance() -> int:
    ledger = _ledger()
    try:
        return ledger.balance()
    finally:
        ledger.close()


def _imgdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imgdesk", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=180,
    )


def test_edit_holds_then_captures_its_cost(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    _grant(1000)
    done = _imgdesk("edit", str(photo), "--prompt", "a boat", "--rect", RECT,
                    "--quality", "low", "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    kinds = [kind for kind, _ in _entries()]
    assert kinds == ["grant", "hold", "capture", "release"] or kinds == ["grant", "hold", "capture"]
    spent = 1000 - _balance()
    assert spent > 0
    sidecar = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert sidecar["credits"] == spent
    hold = next(delta for kind, delta in _entries() if kind == "hold")
    assert spent <= -hold  # never more than was held


def test_failed_edit_costs_nothing(shop: FakeOpenAIServer, photo: Path, tmp_path: Path) -> None:
    _grant(1000)
    shop.inject("moderation_output", count=3)
    done = _imgdesk("edit", str(photo), "--prompt", "x", "--rect", RECT, "--out", str(tmp_path))
    assert done.returncode == 3
    assert _balance() == 1000
    assert [kind for kind, _ in _entries()] == ["grant", "hold", "release"]


def test_short_balance_refuses_before_sending(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    _grant(1)
    done = _imgdesk("edit", str(photo), "--prompt", "x", "--rect", RECT, "--quality", "high",
                    "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 3
    assert "Not enough credits" in done.stderr
    assert "imgdesk tokens buy" in done.stderr
    assert shop.requests == []
    assert _balance() == 1


def test_offline_engine_is_free_even_with_a_shop(photo: Path, tmp_path: Path) -> None:
    Settings(require_credits=True).save(app_paths().ensure().settings_file)
    done = _imgdesk("edit", str(photo), "--prompt", "x", "--rect", RECT, "--engine", "local",
                    "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _balance() == 0


def test_batch_spends_per_job_and_releases_failures(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    _grant(5000)
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a red boat\na blue boat\n")
    shop.inject("moderation_output", count=1)  # the first job sent fails; the other succeeds
    done = _imgdesk("batch", str(photo), "--rect", RECT, "--prompts", str(prompts), "-n", "1",
                    "--quality", "low", "--out", str(tmp_path / "out"))  # fmt: skip
    kinds = [kind for kind, _ in _entries()]
    assert kinds.count("hold") == 2
    assert kinds.count("capture") == 1
    assert "release" in kinds
    spent = 5000 - _balance()
    assert spent > 0
    assert done.returncode == 3  # one edit failed, and the command says so
    assert "Failed" in done.stderr
