"""Build the PyInstaller bundle with packaging/build.sh and run the built app's --self-test.

Slow (a couple of minutes on 2 cores) and needs PyInstaller (the `packaging` extra), so it runs
only when asked:

    IMGDESK_BUNDLE_TEST=1 .venv/bin/pytest -m bundle tests/test_bundle_smoke.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

if os.environ.get("IMGDESK_BUNDLE_TEST") != "1":
    # Skipped before the `bundle` marker below is touched, so the default run never needs it.
    pytest.skip(
        "set IMGDESK_BUNDLE_TEST=1 to build and smoke-test the bundle", allow_module_level=True
    )

from imgdesk import __version__

REPO = Path(__file__).resolve().parent.parent
APP_ID = "io.imgdesk.Imgdesk"
BUILD_TIMEOUT_S = 1800

pytestmark = [pytest.mark.bundle, pytest.mark.slow, pytest.mark.timeout(BUILD_TIMEOUT_S + 600)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller comes with the `packaging` extra")
    root = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, PYTHON=sys.executable)
    env.update(IMGDESK_DIST=str(root / "dist"), IMGDESK_BUILD=str(root / "build"))
    result = subprocess.run(
        ["bash", str(REPO / "packaging" / "build.sh")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "size: " in result.stdout
    return root / "dist" / "imgdesk"


def run_bundle(bundle: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    clean.pop("PYTHONPATH", None)  # the bundle must find everything inside itself
    return subprocess.run(
        [str(bundle / "imgdesk"), *args],
        cwd=bundle.parent,  # not the repository, whose src/ must not leak in
        env={**clean, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_bundle_carries_the_desktop_files_and_package_data(bundle: Path) -> None:
    share = bundle / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()
    data = bundle / "_internal" / "imgdesk" / "data"
    assert (data / "models.json").is_file()
    assert (data / "samples" / "lake-with-boat.jpg").is_file()
    assert not list(bundle.rglob("tkinter"))


def test_bundle_reports_its_version(bundle: Path) -> None:
    result = run_bundle(bundle, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"imgdesk {__version__}"


@pytest.mark.parametrize("lang", ["C.UTF-8", "de_DE.UTF-8"])
def test_built_app_passes_its_self_test(bundle: Path, lang: str) -> None:
    result = run_bundle(bundle, "--self-test", LANG=lang, LC_ALL=lang)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("self-test passed")
    assert str(bundle) not in result.stdout.split("data in ")[1]  # state went to a temp folder
