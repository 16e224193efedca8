"""The reliability suite's quick run (tests/reliability/run.py --quick), plus checks that its
detectors can fire: a leaked key is found, a crashing decoder is counted."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reliability.hostile_images import sweep
from reliability.sentinel_keys import scan

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "tests" / "reliability" / "run.py"


@pytest.mark.slow
def test_quick_run_finds_no_violation(tmp_path: Path) -> None:
    report = tmp_path / "reliability.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "tests")])}
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json", str(report)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert report.exists(), done.stderr[-3000:]
    figures = json.loads(report.read_text())
    summary = done.stdout[-4000:]
    assert figures["invariant_violations"] == 0, summary
    assert figures["loader_failures_uncaught"] == 0, summary
    assert figures["faults_mishandled"] == 0, summary
    assert figures["secrets_found"] == 0, summary
    assert figures["egress_violations"] == 0, summary
    assert figures["sentinel_flow_failures"] == 0, summary
    assert figures["egress_guard_selftest"] is True
    assert figures["kills"] >= 20
    assert figures["files_tried"] > figures["corpus_files"] > 0
    assert figures["faults_injected"] > 0
    assert figures["purchases_credited"] > 0
    assert figures["jobs_done"] > 0
    assert done.returncode == 0, summary


def test_the_scanner_finds_a_key_however_it_was_written() -> None:
    key = "sk-proj-SENTINEL" + "0123456789abcdef" * 2
    keys = {"openai": key}
    for prefix in (b"", b"x", b"xy"):
        encoded = base64.b64encode(prefix + b"Authorization: Bearer " + key.encode())
        assert scan(b"header=" + encoded + b";", keys, "f"), prefix
    assert scan(b"..." + key.encode().hex().encode(), keys, "f")
    assert scan(key[-24:].encode(), keys, "f")
    assert scan(key.encode("utf-16-le"), keys, "f")
    assert not scan(b"sk-proj-[redacted] and Bearer [redacted]", keys, "f")


def test_a_crashing_decoder_is_counted_and_the_sweep_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.png"
    bad = tmp_path / "bad.png"
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(good)
    bad.write_bytes(good.read_bytes())
    monkeypatch.setenv("CORPUS_WORKER_FAULTS", "crash:bad.png")
    outcomes: list[str] = []

    def record(path: Path, answer: dict[str, object] | None, stderr: str) -> None:
        outcomes.append(f"{path.name}:{'crash' if answer is None else answer['outcome']}")

    sweep([bad, good], record)
    assert outcomes == ["bad.png:crash", "good.png:loaded"]
