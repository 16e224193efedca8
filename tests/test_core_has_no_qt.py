"""imgdesk.core must work without Qt: the CLI and the tests use it with no QApplication."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import imgdesk.core

CORE_DIR = Path(imgdesk.core.__file__).resolve().parent

IMPORT_ALL_CORE = """
import json, pkgutil, sys
import imgdesk.core
names = ["imgdesk.core"]
for info in pkgutil.walk_packages(imgdesk.core.__path__, "imgdesk.core."):
    __import__(info.name)
    names.append(info.name)
qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith(("PySide6.", "shiboken6")))
print(json.dumps({"imported": names, "qt": qt}))
"""


def test_importing_every_core_module_loads_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL_CORE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected = {
        "imgdesk.core." + ".".join(path.relative_to(CORE_DIR).with_suffix("").parts)
        for path in CORE_DIR.rglob("*.py")
        if path.name != "__init__.py"
    }
    assert expected <= set(report["imported"])
    assert "imgdesk.core.catalog" in report["imported"]
    assert report["qt"] == []


def qt_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append(str(node.args[0].value))
    return [name for name in found if name.split(".")[0] in {"PySide6", "shiboken6"}]


def test_no_core_source_file_imports_pyside6() -> None:
    offenders = {
        str(path.relative_to(CORE_DIR)): names
        for path in sorted(CORE_DIR.rglob("*.py"))
        if (names := qt_imports(path.read_text("utf-8")))
    }
    assert offenders == {}


def test_the_static_check_catches_qt_imports() -> None:
    assert qt_imports("from PySide6.QtCore import QObject") == ["PySide6.QtCore"]
    assert qt_imports("import PySide6") == ["PySide6"]
    assert qt_imports("import importlib\nimportlib.import_module('PySide6.QtGui')") == [
        "PySide6.QtGui"
    ]
    assert qt_imports("import numpy\nfrom . import catalog") == []
