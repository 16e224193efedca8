"""`imgdesk tokens` against the fake Stripe API, through the real dispatcher."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from fakes.stripe_server import FakeStripe, browser_submit
from imgdesk import cli
from imgdesk.core.account import LocalAccount
from imgdesk.core.ledger import Ledger
from imgdesk.core.paths import app_paths


def grant(credits: int) -> None:
    ledger = Ledger(app_paths().data / "ledger.sqlite3")
    try:
        ledger.grant("test", credits)
    finally:
        ledger.close()


def test_balance_starts_at_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tokens", "balance"]) == 0
    assert capsys.readouterr().out == "0 credits\n"


def test_packs_lists_the_data_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tokens", "packs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["starter", "500", "credits", "$5.00", "Starter"]
    assert len(lines) == 3


def test_history_shows_entries_with_running_balance(capsys: pytest.CaptureFixture[str]) -> None:
    grant(100)
    ledger = Ledger(app_paths().data / "ledger.sqlite3")
    ledger.hold("job-1", 30)
    ledger.capture("job-1", 12)
    ledger.close()
    assert cli.main(["tokens", "history"]) == 0
    rows = [line.split()[2:] for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        ["grant", "+100", "100", "test"],
        ["hold", "-30", "70", "job-1"],
        ["capture", "+0", "70", "job-1", "(cost", "12)"],
        ["release", "+18", "88", "job-1"],
    ]


def test_buy_without_a_shop_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tokens", "buy", "starter", "--no-browser"]) == 2
    assert "no shop is configured" in capsys.readouterr().err


def test_buy_unknown_pack(fake_stripe: FakeStripe, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tokens", "buy", "huge", "--no-browser"]) == 2
    assert "There is no pack “huge”" in capsys.readouterr().err
    assert fake_stripe.sessions == {}


def test_buy_waits_for_the_browser_and_prints_the_balance(
    fake_stripe: FakeStripe, capsys: pytest.CaptureFixture[str]
) -> None:
    codes: list[int] = []
    runner = threading.Thread(
        target=lambda: codes.append(cli.main(["tokens", "buy", "starter", "--no-browser"]))
    )
    runner.start()
    try:
        session = _wait_for_session(fake_stripe)
        status, _url, body = asyncio.run(browser_submit(session["url"]))
    finally:
        runner.join(timeout=30)
    assert status == 200
    assert "500 credits were added" in body
    assert codes == [0]
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"Checkout: {session['url']}",
        "Payment received: 500 credits were added.",
        "Balance: 500 credits",
    ]
    assert cli.main(["tokens", "balance"]) == 0
    assert capsys.readouterr().out == "500 credits\n"


def test_buy_gives_up_after_the_timeout(
    fake_stripe: FakeStripe, capsys: pytest.CaptureFixture[str]
) -> None:
    codes: list[int] = []
    runner = threading.Thread(
        target=lambda: codes.append(
            cli.main(["tokens", "buy", "starter", "--no-browser", "--timeout", "0.5"])
        )
    )
    runner.start()
    session = _wait_for_session(fake_stripe)
    runner.join(timeout=30)
    assert codes == [3]  # gave up waiting and closed the page
    assert fake_stripe.session(session["id"])["status"] == "expired"
    capsys.readouterr()
    assert cli.main(["tokens", "balance"]) == 0
    assert capsys.readouterr().out == "0 credits\n"


def test_balance_reconciles_a_purchase_paid_in_a_closed_tab(
    fake_stripe: FakeStripe, capsys: pytest.CaptureFixture[str]
) -> None:
    async def start() -> None:
        account = LocalAccount.open()
        try:
            await account.start_purchase("studio", "http://127.0.0.1:9/tok")
        finally:
            await account.aclose()

    asyncio.run(start())
    fake_stripe.mark_paid(fake_stripe.only_session()["id"])
    assert cli.main(["tokens", "balance"]) == 0
    assert capsys.readouterr().out == "3,000 credits\n"


def _wait_for_session(fake: FakeStripe) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while not fake.sessions:
        assert time.monotonic() < deadline, "the command never created a Checkout Session"
        time.sleep(0.02)
    return fake.only_session()


def test_balance_offline_prints_the_local_balance_and_says_what_was_not_checked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A stale pending purchase (so reconciliation would also try to expire it) and no Stripe:
    # nothing listens on port 9 of the loopback address.
    grant(300)
    ledger = Ledger(app_paths().data / "ledger.sqlite3")
    try:
        purchase = ledger.create_purchase("starter", 500, 500, "usd")
        ledger.attach_session(purchase.id, "cs_test_offline", "http://127.0.0.1:9/pay")
    finally:
        ledger.close()
    with sqlite3.connect(app_paths().data / "ledger.sqlite3") as db:
        db.execute("UPDATE purchases SET created = ?", (time.time() - 26 * 3600,))
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_offline")
    monkeypatch.setenv("IMGDESK_STRIPE_API_BASE", "http://127.0.0.1:9")

    assert cli.main(["tokens", "balance"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "300 credits\n"
    assert "1 pending purchase could not be checked: Stripe cannot be reached." in captured.err
    ledger = Ledger(app_paths().data / "ledger.sqlite3")
    try:
        assert [p.state for p in ledger.purchases()] == ["pending"]
    finally:
        ledger.close()


@pytest.mark.parametrize("before", [True, False], ids=["before the action", "after the action"])
def test_data_dir_is_accepted_before_or_after_the_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: bool
) -> None:
    elsewhere = tmp_path / "elsewhere"
    ledger = Ledger(elsewhere / "ledger.sqlite3")
    try:
        ledger.grant("test", 42)
    finally:
        ledger.close()
    option = ["--data-dir", str(elsewhere)]
    argv = ["tokens", *option, "balance"] if before else ["tokens", "balance", *option]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out == "42 credits\n"
