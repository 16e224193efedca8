"""The command line's refusals a newcomer meets: each names what was typed wrong and says what to
do, exits 2, and happens before anything is sent, charged or written."""

from __future__ import annotations

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

RECT = "100,80,120,90"


def _edit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imgdesk", "edit", *args],
        capture_output=True,
        text=True,
        # English whatever the machine's locale: these tests read the sentences.
        env={**os.environ, "LC_ALL": "C.UTF-8", **(env or {})},
        timeout=180,
    )


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    rng = np.random.default_rng(11)
    path = tmp_path / "photo.png"
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8), "RGB").save(path)
    return path


@pytest.fixture
def shop(openai_env: FakeOpenAIServer) -> FakeOpenAIServer:
    """Edits cost credits (a shop is configured) and 1000 are on the account."""
    paths = app_paths().ensure()
    Settings(require_credits=True).save(paths.settings_file)
    ledger = Ledger(paths.data / "ledger.sqlite3")
    try:
        ledger.grant("test", 1000)
    finally:
        ledger.close()
    return openai_env


def _ledger_kinds() -> list[str]:
    ledger = Ledger(app_paths().data / "ledger.sqlite3")
    try:
        return [entry.kind for entry in ledger.entries()]
    finally:
        ledger.close()


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_a_mistyped_model_gets_a_suggestion(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = _edit(str(photo), "--prompt", "a kite", "--rect", RECT, "--model", "gpt-imag-2",
                 "--out", str(out))  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert _last_line(done) == (
        "imgdesk: model: imgdesk does not know the model “gpt-imag-2”. Did you mean "
        "gpt-image-2? Known models: " + _known_models() + "."
    )
    assert shop.requests == []
    assert _ledger_kinds() == ["grant"]
    assert not out.exists()


def _known_models() -> str:
    from imgdesk.core.catalog import load_catalog

    return ", ".join(model.id for model in load_catalog().usable_models())


def test_a_missing_mask_file_is_named(shop: FakeOpenAIServer, photo: Path, tmp_path: Path) -> None:
    missing = tmp_path / "masks" / "boat-mask.png"
    out = tmp_path / "out"
    done = _edit(str(photo), "--prompt", "a kite", "--mask", str(missing), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert _last_line(done) == f"imgdesk: There is no mask file {missing}."
    assert shop.requests == []
    assert _ledger_kinds() == ["grant"]
    assert not out.exists()


def test_a_folder_given_as_mask_is_named(photo: Path, tmp_path: Path) -> None:
    done = _edit(str(photo), "--prompt", "x", "--mask", str(tmp_path), "--engine", "local",
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert _last_line(done) == f"imgdesk: {tmp_path} is a folder; --mask needs an image file."


def test_out_naming_an_existing_file_is_refused_before_the_edit_is_paid(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "result.png"
    taken.write_bytes(b"an earlier result, not to be lost")
    done = _edit(str(photo), "--prompt", "a kite", "--rect", RECT, "--out", str(taken))
    assert done.returncode == 2, done.stderr
    assert _last_line(done).startswith(f"imgdesk: {taken} is a file, not a folder.")
    assert "--out names the folder" in done.stderr
    assert taken.read_bytes() == b"an earlier result, not to be lost"
    assert shop.requests == []  # nothing sent: OpenAI charged nothing
    assert _ledger_kinds() == ["grant"]  # no hold, no capture: no credits spent
    assert sorted(p.name for p in tmp_path.iterdir()) == ["imgdesk-data", "photo.png", "result.png"]


def test_out_below_a_file_is_refused_naming_the_file(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    done = _edit(str(photo), "--prompt", "x", "--rect", RECT, "--out", str(blocker / "results"))
    assert done.returncode == 2, done.stderr
    assert _last_line(done) == (
        f"imgdesk: The folder {blocker / 'results'} cannot be made: {blocker} is a file, "
        "not a folder."
    )
    assert shop.requests == []
    assert _ledger_kinds() == ["grant"]


def test_an_existing_out_folder_keeps_earlier_results(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.png").write_bytes(b"earlier")
    done = _edit(str(photo), "--prompt", "x", "--rect", RECT, "--engine", "local",
                 "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "keep.png").read_bytes() == b"earlier"
    assert len(list(out.glob("photo-edit-*.png"))) == 1


def test_without_a_key_the_terminal_names_the_variable_the_keyring_and_the_offline_engine(
    photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # keyring's own "no keyring" backend: no key anywhere, and no desktop keyring is asked.
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = _edit(str(photo), "--prompt", "x", "--rect", RECT, "--engine", "openai",
                 "--out", str(out), env=env)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert _last_line(done) == (
        "imgdesk: No OpenAI API key is set. Set the OPENAI_API_KEY environment variable, or "
        "store the key in the system keyring (python -m keyring set imgdesk OPENAI_API_KEY, or "
        "in the editor's settings); or edit offline with --engine local."
    )
    assert not out.exists()


def test_batch_checks_out_and_mask_before_queueing(
    shop: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a kite\na boat\n")
    taken = tmp_path / "taken"
    taken.write_bytes(b"x")
    common = [str(photo), "--prompts", str(prompts)]
    done = subprocess.run(
        [sys.executable, "-m", "imgdesk", "batch", *common, "--rect", RECT, "--out", str(taken)],
        capture_output=True, text=True, env={**os.environ, "LC_ALL": "C.UTF-8"}, timeout=180,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert _last_line(done).startswith(f"imgdesk: {taken} is a file, not a folder.")
    missing = tmp_path / "nope.png"
    done = subprocess.run(
        [sys.executable, "-m", "imgdesk", "batch", *common, "--mask", str(missing),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env={**os.environ, "LC_ALL": "C.UTF-8"}, timeout=180,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert _last_line(done) == f"imgdesk: There is no mask file {missing}."
    assert shop.requests == []
    assert _ledger_kinds() == ["grant"]
    assert not app_paths().database.exists()  # the queue was never opened: nothing queued
