"""Stripe's answer as the buyer reads it on the callback page, in German or English: why nothing
was added (with the amounts filled in after translation) and how many credits were, written with
the language's thousands separator."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from fakes.stripe_server import FakeStripe
from imgdesk import cli
from imgdesk.cli.language import cli_translator
from imgdesk.core import i18n
from imgdesk.core.account import LocalAccount
from imgdesk.core.callback_server import BrowserPurchase
from imgdesk.core.checkout import Problem
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings
from test_callback_server import Started  # the purchase in progress and its callback page


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The language the app was set to, with its translation in effect (as the CLI loads it)."""
    language: str = request.param
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if language == "de" and not beside.is_file() and shutil.which("pyside6-lrelease") is None:
        pytest.skip("pyside6-lrelease is not installed")
    Settings(language=language).save(app_paths().ensure().settings_file)
    translator = cli_translator()
    assert (translator is None) == (language == "en")
    with i18n.translator_in_effect(translator):
        yield language


@pytest.fixture
async def standard(language: str, fake_stripe: FakeStripe) -> AsyncIterator[Started]:
    """A purchase of the Standard pack (1,100 credits for $10.00) waiting for Stripe's word."""
    del language  # only its translator, in effect for the whole test
    account = LocalAccount.open(app_paths())
    purchase = BrowserPurchase(account, "standard", poll_interval=60)
    pending = await purchase.start()
    async with aiohttp.ClientSession() as http:
        yield Started(account, purchase, pending, fake_stripe, http)
    await purchase.server.aclose()
    await account.aclose()


def _paid_wrong_amount(started: Started) -> None:
    started.fake.update(
        started.session_id, amount_total=1, status="complete", payment_status="paid"
    )


def _paid(started: Started) -> None:
    started.fake.mark_paid(started.session_id)


def _not_paid_yet(started: Started) -> None:
    del started  # the session stays open and unpaid


def _other_pack(started: Started) -> None:
    metadata = {**started.fake.only_session()["metadata"], "pack": "studio", "credits": "3000"}
    started.fake.update(started.session_id, metadata=metadata)
    started.fake.mark_paid(started.session_id)


Setup = Callable[[Started], None]
CASES: list[tuple[Setup, str, str]] = [
    (
        _paid_wrong_amount,
        "Der gezahlte Betrag (0,01\u00a0$) entspricht nicht dem Preis des Pakets (10,00\u00a0$), "
        "daher wurden keine Credits gutgeschrieben. Wenden Sie sich an den Support, um das zu "
        "klären.",
        "The amount paid ($0.01) is not the pack&#x27;s price ($10.00), so no credits were added. "
        "Contact support to sort it out.",
    ),
    (
        _paid,
        "Zahlung erhalten: 1.100 Credits wurden gutgeschrieben.",
        "Payment received: 1,100 credits were added.",
    ),
    (
        _not_paid_yet,
        "Die Zahlung ist noch nicht abgeschlossen, daher wurden keine Credits gutgeschrieben.",
        "The payment has not been completed yet, so no credits were added.",
    ),
    (
        _other_pack,
        "Die Zahlung galt einem anderen Paket, daher wurden keine Credits gutgeschrieben.",
        "The payment was for a different pack, so no credits were added.",
    ),
]


@pytest.mark.parametrize(
    ("setup", "german", "english"), CASES, ids=[case[0].__name__.strip("_") for case in CASES]
)
async def test_the_callback_page_says_it_in_the_buyers_language(
    language: str, standard: Started, setup: Setup, german: str, english: str
) -> None:
    setup(standard)
    _status, body = await standard.success()
    assert f"<html lang='{language}'>" in body
    assert f"<p id='message'>{german if language == 'de' else english}</p>" in body


async def test_the_ledger_keeps_why_in_english_and_the_history_says_it_in_the_buyers_language(
    language: str, standard: Started, capsys: pytest.CaptureFixture[str]
) -> None:
    german, english = CASES[0][1], CASES[0][2].replace("&#x27;", "'")
    _paid_wrong_amount(standard)
    await standard.success()
    [purchase] = standard.account.ledger.purchases()
    assert purchase.state == "failed"
    # Stored in English whatever the app's language, the amounts kept as numbers.
    assert "Betrag" not in purchase.reason
    assert Problem.from_stored(purchase.reason).english() == english
    # `imgdesk tokens history` runs its own event loop, as from a terminal.
    assert await asyncio.to_thread(cli.main, ["tokens", "history"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.split("  ", 1)[1] == f"failed   standard: {german if language == 'de' else english}"
