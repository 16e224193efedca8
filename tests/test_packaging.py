"""The packaging files agree with each other and with the repository: ids, icons, paths, version."""

from __future__ import annotations

import configparser
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PIL import Image

from imgdesk import __version__
from system_deps import require_program

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
APP_ID = "io.imgdesk.Imgdesk"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
SPEC = PACKAGING / "imgdesk.spec"
ICONS = REPO / "resources" / "icons" / "hicolor"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_passes_desktop_file_validate() -> None:
    program = require_program("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([program, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # no warnings either


def test_desktop_entry_starts_imgdesk_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "imgdesk"
    assert entry["Icon"] == APP_ID
    assert "image/jpeg" in entry["MimeType"].split(";")


def test_every_icon_size_exists_as_a_png_of_that_size() -> None:
    assert (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        with Image.open(ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png") as image:
            assert image.format == "PNG"
            assert image.size == (size, size)
            # Not a blank square: the corners are transparent, the middle is painted.
            alpha = np.asarray(image.convert("RGBA"))[..., 3]
            assert alpha[0, 0] == 0
            assert alpha[size // 2, size // 2] == 255


def test_metainfo_names_the_app_its_launcher_icon_and_this_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") == "imgdesk"
    versions = [release.get("version") for release in root.iter("release")]
    assert versions[0] == __version__


def test_metainfo_passes_appstreamcli_validate() -> None:
    program = require_program("appstreamcli", "appstream")
    result = subprocess.run(
        [program, "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


class _Recorder:
    """Stands in for one of the spec's PyInstaller build steps and keeps what it was given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.pure = self.scripts = self.binaries = self.datas = ()


def test_the_spec_points_at_files_that_exist_and_collects_the_package_data() -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller comes with the `packaging` extra")
    steps: dict[str, _Recorder] = {}

    def step(name: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> _Recorder:
            steps[name] = _Recorder(*args, **kwargs)
            return steps[name]

        return make

    namespace: dict[str, Any] = {
        "SPECPATH": str(PACKAGING),
        **{name: step(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT")},
    }
    exec(compile(SPEC.read_text("utf-8"), str(SPEC), "exec"), namespace)

    analysis = SimpleNamespace(**steps["Analysis"].kwargs)
    (entry,) = steps["Analysis"].args[0]
    assert Path(entry).is_file()
    assert all(Path(p).is_dir() for p in analysis.pathex)
    bundled = {Path(dest) / Path(source).name for source, dest in analysis.datas}
    for name in ("models.json", "packs.json", "samples/lake-with-boat.jpg"):
        assert Path("imgdesk/data") / name in bundled
    assert not any(source.endswith(".py") for source, _ in analysis.datas)
    assert "imgdesk.cli.edit_cmd" in analysis.hiddenimports
    assert "tkinter" in analysis.excludes
    assert Path(steps["EXE"].kwargs["icon"]).is_file()
    assert steps["EXE"].kwargs["name"] == steps["COLLECT"].kwargs["name"] == "imgdesk"
