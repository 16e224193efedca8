"""The credit ledger: holds, captures, releases and purchases, on a real SQLite file."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from imgdesk.core.edit_types import EditParams, Usage
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.ledger import Ledger
from imgdesk.core.metering import MeteringConfig, cost_credits, is_metered, price_credits
from imgdesk.core.pricing import estimate_usd


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    opened = Ledger(tmp_path / "ledger.sqlite3")
    yield opened
    opened.close()


def test_database_is_wal_with_full_sync(ledger: Ledger) -> None:
    db = sqlite3.connect(ledger.path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == ("1",)
    finally:
        db.close()
    assert ledger._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_hold_then_capture_charges_the_actual_cost(ledger: Ledger) -> None:
    ledger.grant("welcome", 100)
    ledger.hold("job-1", 30)
    assert ledger.balance() == 70
    assert ledger.capture("job-1", 12) == 12
    assert ledger.balance() == 88
    assert [(e.kind, e.delta, e.amount) for e in ledger.entries(reference="job-1")] == [
        ("hold", -30, 30),
        ("capture", 0, 12),
        ("release", 18, 18),
    ]


def test_capture_never_charges_more_than_the_hold(ledger: Ledger) -> None:
    ledger.grant("welcome", 100)
    ledger.hold("job-1", 30)
    assert ledger.capture("job-1", 45) == 30
    assert ledger.balance() == 70


def test_failed_or_cancelled_edit_costs_nothing(ledger: Ledger) -> None:
    ledger.grant("welcome", 100)
    ledger.hold("job-1", 30)
    assert ledger.release("job-1") is True
    assert ledger.balance() == 100
    # Settled once: a late capture or a second release changes nothing.
    assert ledger.capture("job-1", 30) == 0
    assert ledger.release("job-1") is False
    assert ledger.balance() == 100


def test_hold_refused_when_credits_run_short(ledger: Ledger) -> None:
    ledger.grant("welcome", 5)
    with pytest.raises(ImgdeskError) as caught:
        ledger.hold("job-1", 12)
    assert caught.value.kind is ErrorKind.QUOTA
    assert caught.value.action is Action.BUY_TOKENS
    assert caught.value.message == "Not enough credits: this edit needs 12, you have 5."
    assert ledger.balance() == 5
    assert ledger.entries(reference="job-1") == []


def test_same_hold_twice_is_taken_once(ledger: Ledger) -> None:
    ledger.grant("welcome", 50)
    ledger.hold("job-1", 20)
    ledger.hold("job-1", 20)
    assert ledger.balance() == 30
    with pytest.raises(ValueError, match="already holds"):
        ledger.hold("job-1", 25)


def test_open_holds_survive_a_restart_and_can_be_settled(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    first = Ledger(path)
    first.grant("welcome", 100)
    first.hold("job-1", 10)
    first.hold("job-2", 20)
    first.capture("job-1", 10)
    first.close()
    second = Ledger(path)
    try:
        assert [e.reference for e in second.open_holds()] == ["job-2"]
        assert second.balance() == 70
        assert second.release("job-2")
        assert second.balance() == 90
        assert second.open_holds() == []
    finally:
        second.close()


def test_uncommitted_transaction_is_lost_on_crash(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    crashed = Ledger(path)
    crashed.grant("welcome", 10)
    crashed._db.execute("BEGIN IMMEDIATE")
    crashed._db.execute(
        "INSERT INTO entries (kind, reference, delta, amount, created) "
        "VALUES ('grant', 'half-done', 99, 99, 0)"
    )
    crashed.close()  # the process died before COMMIT
    reopened = Ledger(path)
    try:
        assert reopened.balance() == 10
    finally:
        reopened.close()


def test_purchase_is_credited_exactly_once(ledger: Ledger) -> None:
    purchase = ledger.create_purchase("starter", 500, 500, "USD")
    assert purchase.currency == "usd"
    assert purchase.state == "pending"
    assert ledger.credit_purchase(purchase.id) is True
    assert ledger.credit_purchase(purchase.id) is False
    assert ledger.balance() == 500
    row = ledger.purchase(purchase.id)
    assert row is not None
    assert row.state == "credited"
    assert ledger.close_purchase(purchase.id, "expired") is False


def test_concurrent_connections_credit_a_purchase_once(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    setup = Ledger(path)
    purchase = setup.create_purchase("starter", 500, 500, "usd")
    setup.close()
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def credit() -> None:
        ledger = Ledger(path)
        try:
            barrier.wait()
            results.append(ledger.credit_purchase(purchase.id))
        finally:
            ledger.close()

    threads = [threading.Thread(target=credit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    check = Ledger(path)
    try:
        assert check.balance() == 500
    finally:
        check.close()


def test_purchase_ids_and_states_are_unguessable(ledger: Ledger) -> None:
    first = ledger.create_purchase("starter", 500, 500, "usd")
    second = ledger.create_purchase("starter", 500, 500, "usd")
    assert first.id != second.id
    assert first.nonce != second.nonce
    assert len(first.nonce) >= 32
    assert ledger.purchase_by_nonce(second.nonce) == second


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(ImgdeskError) as caught:
        Ledger(path)
    assert caught.value.kind is ErrorKind.CONFIG


def test_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ImgdeskError) as caught:
        Ledger(blocker / "ledger.sqlite3")
    assert caught.value.kind is ErrorKind.STORAGE


# --- metering: what an edit costs in credits, and who pays at all --------------------------------


def test_credits_are_the_dollar_price_at_rate_and_markup_rounded_up() -> None:
    config = MeteringConfig(credits_per_usd=100, markup=1.25)
    assert config.credits_for_usd(0.04) == 5  # exactly 5, not 6 from float noise
    assert config.credits_for_usd(0.041) == 6
    assert config.credits_for_usd(0.0) == 0
    assert MeteringConfig(credits_per_usd=1000, markup=1.0).credits_for_usd(0.0123) == 13


def test_price_follows_the_catalog_estimate() -> None:
    config = MeteringConfig()
    params = EditParams(prompt="sky", model="gpt-image-2", quality="high", n=2)
    estimate = estimate_usd(params, (1024, 1024))
    assert estimate is not None
    assert price_credits(params, (1024, 1024), config) == config.credits_for_usd(estimate.usd)
    more = price_credits(dataclasses.replace(params, n=3), (1024, 1024), config)
    fewer = price_credits(params, (1024, 1024), config)
    assert more is not None
    assert fewer is not None
    assert more > fewer


def test_actual_cost_from_usage_is_charged_up_to_the_hold(ledger: Ledger) -> None:
    config = MeteringConfig()
    params = EditParams(prompt="sky", model="gpt-image-2", quality="high", n=1)
    held = price_credits(params, (1024, 1024), config)
    assert held is not None
    usage = Usage(
        input_tokens=400, input_image_tokens=300, input_text_tokens=100, output_tokens=1000
    )
    cost = cost_credits(params, usage, 1, (1024, 1024), config)
    assert cost is not None
    ledger.grant("welcome", 10_000)
    ledger.hold("job-1", held)
    assert ledger.capture("job-1", cost) == min(cost, held)
    assert ledger.balance() == 10_000 - min(cost, held)


def test_who_is_metered(monkeypatch: pytest.MonkeyPatch) -> None:
    config = MeteringConfig()
    assert not is_metered("openai", config)  # own key, no shop
    assert is_metered("openai", MeteringConfig(require_credits=True))
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_shop")
    assert is_metered("openai", config)
    assert not is_metered("local", config)  # the local engine is always free
