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

from fakes.openai_server import FakeOpenAIServer
from imgdesk import cli
from imgdesk.core import i18n
from imgdesk.core.ledger import LEDGER_FILE, Ledger
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings

# Variables that outrank LANG when Qt reads the system locale; each test sets only LANG.
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LC_NUMERIC", "LANGUAGE", "LANG")


OFFLINE_NOTICE = {
    "de": "Die Offline-Engine entfernt den maskierten Inhalt und füllt ihn aus seiner Umgebung "
    "auf; den Prompt beachtet sie nicht.",
    "en": "The offline engine removes the masked content and fills it from its surroundings; "
    "it ignores the prompt.",
}
LANG = {"de": "de_DE.UTF-8", "en": "en_GB.UTF-8"}


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
    assert "wird an die Offline-Engine übergeben…" in done.stderr
    assert "Engine local" not in done.stderr
    assert "Die Ergebnisse werden geschrieben…" in done.stderr
    # The offline engine's notice, English in the engine and in the sidecar's history.
    assert OFFLINE_NOTICE["de"] in done.stderr
    assert OFFLINE_NOTICE["en"] not in done.stderr
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


def _photo(tmp_path: Path) -> Path:
    photo = tmp_path / "photo.png"
    pixels = np.random.default_rng(2).integers(0, 256, (120, 160, 3), dtype=np.uint8)
    Image.fromarray(pixels, "RGB").save(photo)
    return photo


def test_the_offline_notice_is_english_in_an_english_locale(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _imgdesk("edit", str(_photo(tmp_path)), "--prompt", "x", "--rect", "40,30,40,30",
                    "--engine", "local", "--out", str(out), lang=LANG["en"])  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert OFFLINE_NOTICE["en"] in done.stderr


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_damaged_history_is_reported_in_the_users_language(tmp_path: Path, language: str) -> None:
    if language == "de":
        _needs_lrelease()
    database = app_paths().ensure().database
    database.write_bytes(b"this is not a database " * 200)
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("remove it\n")
    done = _imgdesk("batch", str(_photo(tmp_path)), "--prompts", str(prompts), "--rect",
                    "40,30,40,30", "--engine", "local", "--out", str(tmp_path / "out"),
                    lang=LANG[language])  # fmt: skip
    assert done.returncode == 0, done.stderr
    [kept] = [p.name for p in database.parent.iterdir() if p.name.startswith(database.name + ".")]
    [line] = [line for line in done.stderr.splitlines() if kept in line]
    if language == "de":
        assert line.startswith("Die Verlaufsdatenbank war beschädigt (")
        assert line.endswith(
            f"); sie wurde als {kept} aufbewahrt, und ein neuer, leerer Verlauf wurde begonnen."
        )
    else:
        assert line.startswith("The history database was damaged (")
        assert line.endswith(f"); it was kept as {kept} and a new, empty history was started.")


REFUSED_KEY = {
    "de": "imgdesk: OpenAI hat den API-Schlüssel für diese Bearbeitung abgelehnt. imgdesk liest "
    "den Schlüssel aus der Umgebungsvariable OPENAI_API_KEY, sonst aus dem System-Schlüsselbund "
    "(python -m keyring set imgdesk OPENAI_API_KEY): Prüfen Sie den Schlüssel dort sowie sein "
    "Projekt und seine Berechtigungen auf platform.openai.com; oder bearbeiten Sie offline mit "
    "--engine local.",
    "en": "imgdesk: OpenAI refused the API key for this edit. imgdesk reads the key from the "
    "OPENAI_API_KEY environment variable, else from the system keyring (python -m keyring set "
    "imgdesk OPENAI_API_KEY): check the key there, and its project and permissions at "
    "platform.openai.com; or edit offline with --engine local.",
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_refused_key_names_the_variable_and_the_keyring_not_the_settings(
    openai_env: FakeOpenAIServer, tmp_path: Path, language: str
) -> None:
    if language == "de":
        _needs_lrelease()
    openai_env.inject("auth", count=5)
    done = _imgdesk("edit", str(_photo(tmp_path)), "--prompt", "x", "--rect", "40,30,40,30",
                    "--out", str(tmp_path / "out"), lang=LANG[language])  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines()[-1] == REFUSED_KEY[language]
    assert "Settings" not in done.stderr
    assert "Einstellungen" not in done.stderr
    assert len(openai_env.requests) == 1  # the key really went out and was refused


def test_a_batch_paused_by_a_refused_key_says_so_for_the_terminal(
    openai_env: FakeOpenAIServer, tmp_path: Path
) -> None:
    openai_env.inject("auth", count=5)
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a kite\n")
    done = _imgdesk("batch", str(_photo(tmp_path)), "--prompts", str(prompts), "--rect",
                    "40,30,40,30", "--out", str(tmp_path / "out"), lang=LANG["en"])  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines()[-1] == REFUSED_KEY["en"]
    assert "Queue paused: OpenAI refused the API key" in done.stderr
    assert "Settings" not in done.stderr


@pytest.mark.parametrize(
    ("language", "balance", "grant"),
    [("de", "1.100 Credits", ["+1.100", "1.100"]), ("en", "1,100 credits", ["+1,100", "1,100"])],
)
def test_credits_are_grouped_the_languages_way(
    capsys: pytest.CaptureFixture[str], language: str, balance: str, grant: list[str]
) -> None:
    if language == "de":
        _needs_lrelease()
    _save_language(language)
    ledger = Ledger(app_paths().data / LEDGER_FILE)
    ledger.grant("welcome", 1100)
    ledger.close()
    assert cli.main(["tokens", "balance"]) == 0
    assert capsys.readouterr().out == f"{balance}\n"
    assert cli.main(["tokens", "history"]) == 0
    [entry] = capsys.readouterr().out.splitlines()
    assert entry.split()[2:] == ["grant", *grant, "welcome"]
