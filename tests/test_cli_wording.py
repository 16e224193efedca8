"""What the command line says, as a user reads it: money written one way per language, the engine
named as a person would, one "imgdesk: " prefix on every error line, offline results that do not
claim OpenAI parameters, and no silent empty history."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fakes.openai_server import FakeOpenAIServer
from imgdesk import cli
from imgdesk.cli.language import cli_translator
from imgdesk.core import i18n
from imgdesk.core.money import format_money, format_usd
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings
from test_cli_language import OFFLINE_NOTICE

OFFLINE_KEYS = {"n", "size", "output_format"}


def _german() -> None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if not beside.is_file() and shutil.which("pyside6-lrelease") is None:
        pytest.skip("pyside6-lrelease is not installed")
    Settings(language="de").save(app_paths().ensure().settings_file)


def _photo(tmp_path: Path) -> Path:
    photo = tmp_path / "photo.png"
    pixels = np.random.default_rng(5).integers(0, 256, (120, 160, 3), dtype=np.uint8)
    Image.fromarray(pixels, "RGB").save(photo)
    return photo


# --- money ------------------------------------------------------------------------------------


def test_dollars_are_written_like_pack_prices_in_english() -> None:
    assert format_usd(0.0532, 3) == "$0.053"
    assert format_usd(1234.5, 2) == format_money(123_450, "usd") == "$1,234.50"


def test_the_models_table_writes_prices_the_german_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _german()
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    gpt2 = next(line for line in out.splitlines() if line.startswith("gpt-image-2 "))
    assert "\u00a0$" in gpt2
    assert "$0" not in out
    # The same function the packs use, under the same translator, agrees.
    with i18n.translator_in_effect(cli_translator()):
        assert format_money(500, "usd") == "5,00\u00a0$"
        assert format_usd(0.053, 3) == "0,053\u00a0$"


def test_a_german_edit_reports_its_cost_the_german_way(
    openai_env: FakeOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _german()
    out = str(tmp_path / "out")
    status = cli.main(["edit", str(_photo(tmp_path)), "--prompt", "ein Drachen", "--rect",
                       "40,30,40,30", "--engine", "openai", "--out", out])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 0, err
    [cost] = [line for line in err.splitlines() if line.startswith("Kosten: ")]
    assert cost.endswith("\u00a0$")
    assert "," in cost
    assert "$0" not in err
    assert "wird an OpenAI gesendet…" in err


# --- the offline engine -----------------------------------------------------------------------


def test_an_offline_sidecar_names_only_what_the_offline_engine_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    status = cli.main(["edit", str(_photo(tmp_path)), "--prompt", "x", "--rect", "40,30,40,30",
                       "--engine", "local", "--quality", "high", "--out", out])  # fmt: skip
    captured = capsys.readouterr()
    assert status == 0, captured.err
    [written] = [Path(line) for line in captured.out.split()]
    sidecar = json.loads(written.with_suffix(".json").read_text())
    assert sidecar["model"] == "opencv-inpaint"
    assert set(sidecar["parameters"]) == OFFLINE_KEYS
    assert "gpt-image" not in json.dumps(sidecar["parameters"])
    assert re.search(r"Handing a \d+x\d+ crop to the offline engine…", captured.err)
    assert "engine local" not in captured.err


def test_an_offline_batch_says_once_that_it_ignores_the_prompt_and_records_no_openai_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a red kite\na blue boat\n")
    out = tmp_path / "out"
    status = cli.main(["batch", str(_photo(tmp_path)), "--prompts", str(prompts), "--rect",
                       "40,30,40,30", "--engine", "local", "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 0, err
    assert err.count(OFFLINE_NOTICE["en"]) == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest) == 2
    for entry in manifest:
        assert entry["model"] is None
        assert set(entry["parameters"]) <= OFFLINE_KEYS
        assert "model" not in entry["parameters"]
        assert "quality" not in entry["parameters"]
    assert "gpt-image" not in (out / "manifest.csv").read_text()


# --- sentences --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_help_lists_each_subcommand_on_its_own_line(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if language == "de":
        _german()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert ".; " not in out
    lines = out.splitlines()
    edit = "Edit a photo inside a mask" if language == "en" else "Ein Foto innerhalb einer Maske"
    [edit_line] = [line for line in lines if line.lstrip().startswith("edit ")]
    assert edit in edit_line
    assert edit_line.rstrip().endswith(".")
    assert any(line.lstrip().startswith("models ") for line in lines)
    heading = "Subcommands (" if language == "en" else "Unterbefehle ("
    assert any(line.startswith(heading) for line in lines)


def test_every_error_line_starts_with_the_program_name_in_german(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _german()
    status = cli.main(["edit", str(tmp_path / "nope.jpg"), "--prompt", "x", "--engine", "local",
                       "--out", str(tmp_path / "out")])  # fmt: skip
    assert status == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("imgdesk: imgdesk findet nope.jpg nicht"), last


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_empty_history_says_so(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    if language == "de":
        _german()
    assert cli.main(["tokens", "history"]) == 0
    expected = {"en": "No purchases or charges yet.", "de": "Noch keine Käufe oder Abbuchungen."}
    assert capsys.readouterr().out == expected[language] + "\n"
