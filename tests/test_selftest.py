"""`imgdesk --self-test` in a subprocess, as an installation runs it, in English and German."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imgdesk.core.samples import sample_paths
from imgdesk.selftest import BRUSH_DIAMETER, SAMPLE_NAME, STROKE

STEPS = (
    "Start the editor window",
    "Open a bundled sample photo",
    "Paint a mask over the boat",
    "Run the offline engine",
    "Apply the variant",
    "Check the pixels inside and outside the mask",
)
GERMAN_STEPS = (
    "Das Editorfenster starten",
    "Ein mitgeliefertes Beispielfoto öffnen",
    "Mit dem Pinsel eine Maske über das Boot malen",
    "Die Offline-Engine ausführen (1 Variante)",
    "Die Variante übernehmen",
    "Die Pixel innerhalb und außerhalb der Maske prüfen",
)


def run_self_test(
    env_changes: dict[str, str | None], *args: str
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-m", "imgdesk", "--self-test", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def assert_passed(
    result: subprocess.CompletedProcess[str],
    steps: tuple[str, ...] = STEPS,
    passed: str = "self-test passed",
) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    for number, step in enumerate(steps, start=1):
        assert f"[{number}/{len(steps)}] {step}" in result.stdout
    assert result.stdout.rstrip().endswith(passed)


@pytest.mark.slow
def test_self_test_passes_in_english_without_a_display_and_leaves_user_data_alone(
    tmp_path: Path,
) -> None:
    configured = Path(os.environ["IMGDESK_DATA_DIR"])  # tests/conftest.py's per-test folder
    xdg = {name: str(tmp_path / name.lower()) for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    result = run_self_test(
        {
            # No display and no platform chosen: the self-test must pick offscreen itself.
            "QT_QPA_PLATFORM": None,
            "DISPLAY": None,
            "WAYLAND_DISPLAY": None,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            # A key and an endpoint nobody answers: the edit must still run offline.
            "OPENAI_API_KEY": "sk-" + "selftest-not-a-real-key-0000000000",
            "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
            **xdg,
        }
    )
    assert_passed(result)
    assert "platform offscreen" in result.stdout
    assert re.search(r"[\d,]+ px at x=\d+, y=\d+", result.stdout), result.stdout
    # Neither the configured data folder nor the platform folders were written to.
    assert not configured.exists()
    for folder in xdg.values():
        assert not Path(folder).exists()


@pytest.mark.slow
def test_self_test_passes_in_german_and_writes_a_result_that_changed_only_the_boat(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "chosen"
    result = run_self_test(
        {"LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "LANGUAGE": "de"},
        "--data-dir",
        str(data_dir),
    )
    assert_passed(result, GERMAN_STEPS, "Selbsttest bestanden")
    assert "Selbsttest: Qt " in result.stdout
    assert "Plattform offscreen, Gebietsschema de_DE" in result.stdout
    assert "% der Maske geändert, nichts weiter als " in result.stdout
    # A point reads as a point, not a decimal; seconds carry the German decimal comma.
    assert re.search(r"[\d.]+ px bei x=\d+, y=\d+", result.stdout), result.stdout
    assert re.search(r"\d+,\d s\)", result.stdout), result.stdout
    assert not re.search(r"\d\.\d s\b", result.stdout)
    for english in ("self-test passed", "Start the editor window", "of the mask changed"):
        assert english not in result.stdout
    saved = data_dir / "cache" / "self-test-result.png"
    assert (data_dir / "logs").is_dir()

    # Judge the result independently of the self-test's own checks: against the sample itself.
    sample = {path.name: path for path in sample_paths()}[SAMPLE_NAME]
    before = np.asarray(Image.open(sample).convert("RGB"), np.int16)
    after = np.asarray(Image.open(saved).convert("RGB"), np.int16)
    assert after.shape == before.shape
    left, right, centre_y = int(STROKE[0][0]), int(STROKE[-1][0]), int(STROKE[1][1])
    reach = BRUSH_DIAMETER // 4  # well inside the painted band
    under = (slice(centre_y - reach, centre_y + reach), slice(left, right))
    assert np.abs(after[under] - before[under]).mean() > 5
    far = (slice(0, 800), slice(0, 2400))  # the sky and hills, far above the boat
    assert np.abs(after[far] - before[far]).max() <= 2


def test_self_test_fails_with_the_reason_when_its_data_folder_is_unusable(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_self_test(
        {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, "--data-dir", str(blocker / "data")
    )
    assert result.returncode == 1
    assert "self-test FAILED: cannot use " in result.stderr
    assert str(blocker / "data") in result.stderr
