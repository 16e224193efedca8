"""`imgdesk models` prints every catalog model with its state, sizes, features and price."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from imgdesk.cli import main
from imgdesk.core.catalog import load_catalog

REPO = Path(__file__).resolve().parent.parent


def rows_by_model(output: str) -> dict[str, str]:
    """Table rows keyed by their first cell (the model id)."""
    ids = set(load_catalog().models)
    rows: dict[str, str] = {}
    for line in output.splitlines():
        first = line.split("  ", 1)[0].strip()
        if first in ids:
            rows[first] = line
    return rows


def check_table(output: str) -> None:
    rows = rows_by_model(output)
    assert set(rows) == set(load_catalog().models)
    assert output.splitlines()[0].split() == [
        "model",
        "state",
        "sizes",
        "qualities",
        "features",
        "price",
    ]

    gpt2 = rows["gpt-image-2"]
    assert "current" in gpt2
    assert "flexible: multiples of 16, 1:3–3:1, up to 3840x2160" in gpt2
    assert "low, medium, high, auto" in gpt2
    assert "mask, transparent (preview), streaming" in gpt2
    assert "input fidelity" not in gpt2
    assert gpt2.rstrip().endswith("$0.053")

    gpt15 = rows["gpt-image-1.5"]
    assert "1024x1024, 1536x1024, 1024x1536" in gpt15
    assert "mask, input fidelity, transparent, streaming" in gpt15
    assert gpt15.rstrip().endswith("$0.034")

    assert "deprecated → gpt-image-2" in rows["gpt-image-1-mini"]
    assert rows["gpt-image-1-mini"].rstrip().endswith("$0.011")
    assert "shut down on 2026-10-23 → gpt-image-2.5-sunburst" in rows["gpt-image-1"]
    assert rows["gpt-image-1"].rstrip().endswith("—")
    for old in ("dall-e-2", "dall-e-3"):
        assert "shut down on 2026-05-12 → gpt-image-2" in rows[old]
    assert rows["gpt-image-2.5-sunburst"].rstrip().endswith("—")
    assert "xhigh, max" in rows["gpt-image-2.5-sunburst"]

    assert "prices taken on 2026-11-01" in output


def test_models_table_in_a_subprocess(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    result = subprocess.run(
        [sys.executable, "-m", "imgdesk", "models"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_table(result.stdout)


def test_models_table_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models"]) == 0
    check_table(capsys.readouterr().out)


def test_models_json_is_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    catalog = load_catalog()

    assert data["default_model"] == "gpt-image-2"
    assert data["prices_taken_on"] == catalog.prices_taken_on
    by_id = {model["id"]: model for model in data["models"]}
    assert list(by_id) == list(catalog.models)
    assert by_id["gpt-image-1"]["state"] == "shut_down"
    assert by_id["gpt-image-1"]["shut_down_on"] == "2026-10-23"
    assert by_id["gpt-image-1"]["usable"] is False
    assert by_id["gpt-image-1.5"]["sizes"]["sizes"] == ["1024x1024", "1536x1024", "1024x1536"]
    assert by_id["gpt-image-2"]["sizes"]["kind"] == "flexible"
    assert by_id["gpt-image-2"]["per_image_usd"]["1536x1024"]["high"] == 0.165
    assert by_id["gpt-image-1-mini"]["per_million_tokens_usd"]["image_output"] == 8.0
    assert by_id["gpt-image-2"]["input_fidelity"] == []


def test_models_help_names_the_json_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["models", "--help"])
    assert exit_info.value.code == 0
    assert "--json" in capsys.readouterr().out
