"""The bundled sample photos: found, loadable, the promised size, and what the script paints."""

from __future__ import annotations

import fnmatch
import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from imgdesk.core.imageio import load_image
from imgdesk.core.samples import sample_paths, samples_dir

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_samples.py"
EXPECTED = ["lake-with-boat.jpg", "still-life.jpg"]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)
    spec.loader.exec_module(module)
    return module


def test_sample_paths_finds_the_bundled_photos() -> None:
    paths = sample_paths()
    assert [p.name for p in paths] == EXPECTED
    assert all(p.is_file() and p.parent == samples_dir() for p in paths)


@pytest.mark.parametrize("name", EXPECTED)
def test_each_sample_loads_and_is_a_moderate_photo(name: str) -> None:
    [path] = [p for p in sample_paths() if p.name == name]
    assert 100_000 < path.stat().st_size < 1_000_000
    image = load_image(path)
    assert (image.width, image.height) == (2400, 1600)
    assert image.format == "JPEG"
    assert not image.has_alpha
    rgb = image.pixels[..., :3].astype(np.float64)
    # A picture, not a flat fill: a real spread of tones and colour in every channel.
    assert all(rgb[..., c].std() > 20 for c in range(3))
    assert rgb.min() < 40
    assert rgb.max() > 215


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_the_committed_samples_are_what_the_script_paints(name: str) -> None:
    script = load_script()
    fresh = script.SAMPLES[name]().astype(np.int16)
    [path] = [p for p in sample_paths() if p.name == name]
    committed = load_image(path).pixels[..., :3].astype(np.int16)
    difference = np.abs(fresh - committed)
    # JPEG at quality 90 costs about a level or two per pixel, never a different picture.
    assert difference.mean() < 4
    assert np.percentile(difference, 99.9) < 40


def test_the_samples_are_declared_as_package_data() -> None:
    """A wheel only carries them if pyproject's package-data globs match every file."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["imgdesk"]
    package_root = REPO / "src" / "imgdesk"
    for path in sample_paths():
        relative = path.relative_to(package_root).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
