"""What the window's banner and balance say, in German and in English: the offline engine's
notice, a damaged history, a refused key (which in the window does point at Settings), and the
credits, counted with the language's plural and thousands separator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from window_helpers import Run, paint_stroke

from fakes.openai_server import FakeOpenAIServer
from fakes.stripe_server import FakeStripe
from imgdesk.core.errors import ErrorKind
from imgdesk.core.ledger import LEDGER_FILE, Ledger
from imgdesk.core.paths import AppPaths
from imgdesk.ui.main_window import MainWindow, build_main_window
from imgdesk.ui.translations import install_translators, lrelease_command, remove_translators

pytest_plugins = ("fixtures_session", "fixtures_window", "fakes.openai_fixtures")

TIMEOUT_MS = 20_000


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication, tmp_path: Path) -> Iterator[str]:
    """The translators a German or English start installs; first, so the window is made in it."""
    language: str = request.param
    if language == "de" and lrelease_command() is None:
        pytest.skip("pyside6-lrelease is not installed")
    assert install_translators(language, cache=tmp_path / "cache") == (language == "de")
    yield language
    remove_translators()


def _generate(qtbot: QtBot, window: MainWindow, prompt: str) -> None:
    paint_stroke(window, [(100, 100), (140, 120)])
    edit = window.prompt_panel.prompt_edit
    edit.setFocus()
    QTest.keyClicks(edit, prompt)
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS):
        window.generate()


OFFLINE_NOTICE = {
    "de": "Die Offline-Engine entfernt den maskierten Inhalt und füllt ihn aus seiner Umgebung "
    "auf; den Prompt beachtet sie nicht.",
    "en": "The offline engine removes the masked content and fills it from its surroundings; "
    "it ignores the prompt.",
}


def test_the_offline_engines_notice_reads_in_the_language(
    language: str, qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    assert window.session.engine_choice == "local"
    _generate(qtbot, window, "weg damit")
    assert window.session.state.value == "done"
    assert window.banner.level == "info"
    assert window.banner.message() == OFFLINE_NOTICE[language]


@pytest.fixture
def damaged(paths: AppPaths) -> Path:
    """A history database that is not one, found at the next start."""
    paths.ensure()
    paths.database.write_bytes(b"this is not a database " * 200)
    return paths.database


def test_a_damaged_history_is_announced_in_the_language(
    language: str, damaged: Path, openai_env: FakeOpenAIServer, window: MainWindow
) -> None:
    del openai_env  # a key is set, so the banner has no offline-engine notice to show instead
    [kept] = [p.name for p in damaged.parent.iterdir() if p.name.startswith(damaged.name + ".")]
    message = window.banner.message()
    assert window.banner.isVisible()
    if language == "de":
        assert message.startswith("Die Verlaufsdatenbank war beschädigt (")
        assert message.endswith(
            f"); sie wurde als {kept} aufbewahrt, und ein neuer, leerer Verlauf wurde begonnen."
        )
    else:
        assert message.startswith("The history database was damaged (")
        assert message.endswith(f"); it was kept as {kept} and a new, empty history was started.")


REFUSED_KEY = {
    "de": (
        "OpenAI hat den API-Schlüssel nicht akzeptiert. Prüfen Sie ihn in den Einstellungen.",
        "Einstellungen öffnen…",
    ),
    "en": ("OpenAI did not accept the API key. Check it in Settings.", "Open settings…"),
}


def test_in_the_window_a_refused_key_still_points_at_settings(
    language: str,
    qtbot: QtBot,
    openai_env: FakeOpenAIServer,
    window: MainWindow,
    opened: np.ndarray,
) -> None:
    window.session.set_engine_choice("openai")
    openai_env.inject("auth")
    _generate(qtbot, window, "a kite")
    assert window.banner.kind is ErrorKind.AUTH
    assert (window.banner.message(), window.banner.action_button().text()) == (
        REFUSED_KEY[language]
    )


@pytest.fixture
def with_credits(
    language: str,
    fake_stripe: FakeStripe,
    qt_owned: list[QObject],
    qloop: object,
    qtbot: QtBot,
    paths: AppPaths,
    arun: Run,
) -> Iterator[Callable[[int], str]]:
    """The balance label of a window started with `credits` in the ledger (a shop is set up)."""
    del language, fake_stripe, qloop  # in effect for the window
    built: list[MainWindow] = []

    def balance_text(credits: int) -> str:
        Ledger(paths.data / LEDGER_FILE).grant(f"welcome-{credits}", credits)
        window = build_main_window(paths)
        qt_owned.append(window)
        built.append(window)
        label = window.findChild(QLabel, "balanceLabel")
        assert isinstance(label, QLabel)
        qtbot.waitUntil(lambda: any(ch.isdigit() and ch != "0" for ch in label.text()))
        return label.text()

    yield balance_text
    for window in built:
        window.close()
        arun(window.aclose())


@pytest.mark.parametrize(
    ("credits", "german", "english"),
    [(1, "1 Credit", "1 credit"), (1_100, "1.100 Credits", "1,100 credits")],
)
def test_the_balance_counts_credits_in_the_language(
    language: str, with_credits: Callable[[int], str], credits: int, german: str, english: str
) -> None:
    assert with_credits(credits) == (german if language == "de" else english)
