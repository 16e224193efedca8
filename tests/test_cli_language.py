"""The command line speaks the user's language: German or English exactly as the editor picks it
(Settings.language, else the system locale), without a QApplication and without QtGui."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imgdesk import cli
from imgdesk.core import i18n
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings

# Variables that outrank LANG when Qt reads the system locale; each test sets only LANG.
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LC_NUMERIC", "LANGUAGE", "LANG")


def _needs_lrelease() -> None:
    # A source checkout has only the .ts; the commands compile it with pyside6-lrelease.
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if not beside.is_file() and shutil.which("pyside6-lrelease") is None:
        pytest.skip("pyside6-lrelease is not installed")


def _imgdesk(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _LOCALE_VARS}
    env["LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "imgdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def _save_language(language: str) -> None:
    paths = app_paths().ensure()
    Settings(language=language).save(paths.settings_file)


def test_models_table_is_german_in_a_german_locale() -> None:
    _needs_lrelease()
    done = _imgdesk("models", lang="de_DE.UTF-8")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["Modell", "Status", "Größen", "Qualitäten", "Funktionen", "Preis"]
    gpt2 = next(line for line in lines if line.startswith("gpt-image-2 "))
    assert "aktuell" in gpt2
    assert "flexibel: Vielfache von 16, 1:3–3:1, bis 3840x2160" in gpt2
    assert "Maske, transparent (Vorschau), Streaming" in gpt2
    dall_e = next(line for line in lines if line.startswith("dall-e-2 "))
    assert "abgeschaltet am 2026-05-12 → gpt-image-2" in dall_e
    assert "Preise vom 2026-11-01" in done.stdout
    for english in ("current", "flexible", "shut down", "prices taken on"):
        assert english not in done.stdout


def test_models_table_is_english_in_an_english_locale() -> None:
    done = _imgdesk("models", lang="en_GB.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split()[:3] == ["model", "state", "sizes"]
    assert "shut down on 2026-05-12 → gpt-image-2" in done.stdout
    assert "Modell" not in done.stdout


def test_the_saved_language_beats_the_locale_both_ways(tmp_path: Path) -> None:
    _needs_lrelease()
    _save_language("de")
    done = _imgdesk("models", lang="en_US.UTF-8")
    assert done.stdout.splitlines()[0].split()[0] == "Modell", done.stderr
    _save_language("en")
    done = _imgdesk("models", lang="de_DE.UTF-8")
    assert done.stdout.splitlines()[0].split()[0] == "model", done.stderr


def test_edit_speaks_german_from_help_to_progress_to_errors(tmp_path: Path) -> None:
    _needs_lrelease()
    helped = _imgdesk("edit", "--help", lang="de_DE.UTF-8")
    assert helped.returncode == 0
    assert "das zu bearbeitende Foto" in helped.stdout
    assert "Anzahl der Varianten, 1 bis 10" in helped.stdout

    photo = tmp_path / "photo.png"
    pixels = np.random.default_rng(2).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    Image.fromarray(pixels, "RGB").save(photo)
    out = tmp_path / "out"
    done = _imgdesk("edit", str(photo), "--prompt", "weg damit", "--rect", "50,40,80,60",
                    "--engine", "local", "--out", str(out), lang="de_DE.UTF-8")  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Stage lines from the core pipeline, the one with values filled in after translation.
    assert "Der maskierte Bereich wird vorbereitet…" in done.stderr
    assert "Ein Ausschnitt mit " in done.stderr
    assert "wird an die Engine local gesendet…" in done.stderr
    assert "Die Ergebnisse werden geschrieben…" in done.stderr
    [written] = [Path(line) for line in done.stdout.split()]
    assert json.loads(written.with_suffix(".json").read_text())["engine"] == "local"

    refused = _imgdesk("edit", str(photo), "--prompt", "x", "--model", "gpt-imag-2",
                       "--engine", "local", "--out", str(out), lang="de_DE.UTF-8")  # fmt: skip
    assert refused.returncode == 2
    assert (
        refused.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "imgdesk: model: imgdesk kennt das Modell „gpt-imag-2“ nicht. Meinten Sie gpt-image-2?"
        )
    )


def test_tokens_speak_german(tmp_path: Path) -> None:
    _needs_lrelease()
    done = _imgdesk("tokens", "balance", lang="de_DE.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "0 Credits\n"
    refused = _imgdesk("tokens", "buy", "starter", "--no-browser", lang="de_DE.UTF-8")
    assert refused.returncode == 2
    assert "Token-Pakete sind hier nicht erhältlich" in refused.stderr


def test_the_command_line_loads_qtcore_only() -> None:
    _needs_lrelease()
    code = (
        "import sys\n"
        "from imgdesk import cli\n"
        "status = cli.main(['models'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('PySide6.Qt'))\n"
        "print(status, loaded, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in _LOCALE_VARS}
    env["LANG"] = "de_DE.UTF-8"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Modell" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "0 ['PySide6.QtCore']"


def test_an_english_setting_loads_no_qt_at_all() -> None:
    _save_language("en")
    code = (
        "import sys\n"
        "from imgdesk import cli\n"
        "cli.main(['models'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_main_puts_back_the_callers_translator(capsys: pytest.CaptureFixture[str]) -> None:
    _needs_lrelease()
    _save_language("de")
    assert cli.main(["tokens", "balance"]) == 0
    assert capsys.readouterr().out == "0 Credits\n"
    # The German translator was the command's own: the test process is English again.
    assert i18n.translate("cli", "model") == "model"
