"""Build hook: compile the Qt translations (imgdesk/i18n/*.ts -> *.qm) with PySide6's lrelease.

All metadata lives in pyproject.toml; this file only adds the .qm step to build_py. lrelease ships
inside PySide6-Essentials. Without it the build still succeeds: the app then
compiles the .ts into its cache folder on first start (imgdesk/ui/translations.py).
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCES = Path(__file__).parent / "src" / "imgdesk" / "i18n"


def _lrelease() -> str | None:
    """Qt's lrelease binary inside the PySide6 package this build can import, if any.

    Not the pyside6-lrelease script: on PATH it may belong to another environment whose PySide6
    this (isolated) build cannot import.
    """
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent
    for name in ("lrelease", "lrelease.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    return None


class BuildPyWithTranslations(build_py):  # type: ignore[misc]  # setuptools has no types
    def run(self) -> None:
        super().run()
        tool = _lrelease()
        if tool is None:
            self.announce("pyside6-lrelease not found: translations compile on first start", 3)
            return
        # An editable install imports from src/, so the .qm goes next to its .ts there.
        editable = getattr(self, "editable_mode", False)
        target = SOURCES if editable else Path(self.build_lib) / "imgdesk" / "i18n"
        target.mkdir(parents=True, exist_ok=True)
        for ts in sorted(SOURCES.glob("*.ts")):
            qm = target / f"{ts.stem}.qm"
            done = subprocess.run(
                [tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, check=False
            )
            if done.returncode != 0:  # the app can still compile it on first start
                self.announce(f"lrelease failed on {ts.name}: {done.stderr!r}", 3)


setup(cmdclass={"build_py": BuildPyWithTranslations})
