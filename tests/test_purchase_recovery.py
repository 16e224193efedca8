"""A paid purchase is never stranded: only Stripe's word closes it, so reconciliation finds it.

Delayed payment methods (bank debit) complete Checkout before the money arrives; Stripe may fail
to answer at the worst moment. In each case the purchase must stay pending and be credited once
Stripe says it is paid. Everything goes through the real `stripe` library to the fake Stripe API.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator

import pytest

from fakes.stripe_server import FakeStripe, browser_submit
from imgdesk.core.account import (
    PROCESSING_MESSAGE,
    STALE_AFTER_S,
    LocalAccount,
    Outcome,
    PendingPurchase,
)
from imgdesk.core.callback_server import BrowserPurchase
from imgdesk.core.errors import ErrorKind
from imgdesk.core.paths import app_paths


@pytest.fixture
async def account(fake_stripe: FakeStripe) -> AsyncIterator[LocalAccount]:
    opened = LocalAccount.open(app_paths())
    yield opened
    await opened.aclose()


def session_path(fake: FakeStripe) -> str:
    return f"/v1/checkout/sessions/{fake.only_session()['id']}"


def state_of(account: LocalAccount, pending: PendingPurchase) -> str:
    row = account.ledger.purchase(pending.purchase_id)
    assert row is not None
    return row.state


def age(account: LocalAccount, purchase_id: str, seconds: float) -> None:
    """Make a purchase look `seconds` old, through a second connection to the ledger file."""
    with sqlite3.connect(account.ledger.path) as db:
        db.execute(
            "UPDATE purchases SET created = ? WHERE id = ?", (time.time() - seconds, purchase_id)
        )


async def test_delayed_payment_is_credited_when_it_clears_not_cancelled(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    purchase = BrowserPurchase(account, "starter", timeout=10, poll_interval=60)
    pending = await purchase.start()
    waiter = asyncio.create_task(purchase.wait())
    status, _url, body = await browser_submit(pending.url, "pay_delayed")
    assert status == 200
    assert "Payment being processed" in body
    # The wait ends at once: nothing more can happen while the buyer looks at the dialog.
    result = await waiter
    assert (result.outcome, result.message) == (Outcome.PROCESSING, PROCESSING_MESSAGE)
    # Cancelling later (the dialog's Cancel, or the 30-minute timeout) must not close it.
    result = await account.cancel_purchase(pending.purchase_id)
    assert (result.outcome, result.message) == (Outcome.PROCESSING, PROCESSING_MESSAGE)
    assert state_of(account, pending) == "pending"
    assert [r.outcome for r in await account.reconcile()] == [Outcome.PROCESSING]
    assert await account.balance() == 0

    fake_stripe.clear_payment(fake_stripe.only_session()["id"])
    results = await account.reconcile()
    assert [(r.outcome, r.credits_added) for r in results] == [(Outcome.CREDITED, 500)]
    assert await account.balance() == 500
    assert await account.reconcile() == []


async def test_stale_delayed_payment_is_not_expired_by_reconciliation(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    pending = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    fake_stripe.mark_processing(fake_stripe.only_session()["id"])
    age(account, pending.purchase_id, STALE_AFTER_S + 3600)
    assert [r.outcome for r in await account.reconcile()] == [Outcome.PROCESSING]
    assert not [r for r in fake_stripe.requests if r.path.endswith("/expire")]
    assert state_of(account, pending) == "pending"
    fake_stripe.clear_payment(fake_stripe.only_session()["id"])
    assert [r.credits_added for r in await account.reconcile()] == [500]


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(("GET",), id="expire refused, then retrieve fails"),
        pytest.param(("POST", "GET"), id="expire and retrieve both fail"),
    ],
)
async def test_cancel_that_stripe_cannot_confirm_keeps_the_purchase(
    account: LocalAccount, fake_stripe: FakeStripe, broken: tuple[str, ...]
) -> None:
    pending = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    fake_stripe.mark_paid(fake_stripe.only_session()["id"])  # paid just before Cancel
    path = session_path(fake_stripe)
    if "POST" in broken:
        fake_stripe.break_endpoint("POST", path + "/expire")
    fake_stripe.break_endpoint("GET", path)

    result = await account.cancel_purchase(pending.purchase_id)
    assert result.outcome is Outcome.PENDING
    assert result.error is not None
    assert result.error.kind is ErrorKind.SERVER
    assert "No money was taken" not in result.message
    assert "could not confirm" in result.message
    assert state_of(account, pending) == "pending"
    assert await account.balance() == 0

    fake_stripe.repair()
    assert [r.credits_added for r in await account.reconcile()] == [500]
    assert await account.balance() == 500


async def test_cancel_of_an_open_page_still_closes_it(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    pending = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    result = await account.cancel_purchase(pending.purchase_id)
    assert result.outcome is Outcome.CANCELLED
    assert fake_stripe.only_session()["status"] == "expired"
    assert state_of(account, pending) == "cancelled"


async def test_reconcile_checks_every_purchase_when_stripe_fails_on_one(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    # A stale purchase whose page Stripe fails to expire, one whose session id was lost in a
    # crash while listing fails, and a paid one: the paid one is still credited.
    stale = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    age(account, stale.purchase_id, STALE_AFTER_S + 3600)
    fake_stripe.break_endpoint("POST", session_path(fake_stripe) + "/expire")
    lost = account.ledger.create_purchase("starter", 500, 500, "usd")
    fake_stripe.break_endpoint("GET", "/v1/checkout/sessions")
    paid = await account.start_purchase("standard", "http://127.0.0.1:9/tok")
    fake_stripe.mark_paid(_session_id(account, paid))

    results = {r.purchase_id: r for r in await account.reconcile()}
    assert results[paid.purchase_id].credits_added == 1100
    for purchase_id in (stale.purchase_id, lost.id):
        assert results[purchase_id].outcome is Outcome.PENDING
        assert results[purchase_id].error is not None
        row = account.ledger.purchase(purchase_id)
        assert row is not None
        assert row.state == "pending"
    assert await account.balance() == 1100

    fake_stripe.repair()
    outcomes = {r.purchase_id: r.outcome for r in await account.reconcile()}
    assert outcomes[stale.purchase_id] is Outcome.CANCELLED
    assert fake_stripe.session(_session_id(account, stale))["status"] == "expired"


def _session_id(account: LocalAccount, pending: PendingPurchase) -> str:
    row = account.ledger.purchase(pending.purchase_id)
    assert row is not None
    assert row.session_id is not None
    return row.session_id
