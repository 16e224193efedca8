"""Buying a pack against the fake Stripe API through the real `stripe` library."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from fakes.stripe_server import FakeStripe, browser_submit
from imgdesk.core.account import LocalAccount, Outcome
from imgdesk.core.callback_server import BrowserPurchase
from imgdesk.core.checkout import Checkout, load_packs
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.ledger import Ledger
from imgdesk.core.paths import app_paths


@pytest.fixture
async def account(fake_stripe: FakeStripe) -> AsyncIterator[LocalAccount]:
    opened = LocalAccount.open(app_paths())
    yield opened
    await opened.aclose()


async def test_create_session_sends_what_stripe_needs(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    pending = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    create = next(r for r in fake_stripe.requests if r.method == "POST")
    assert create.authorization == f"Bearer {fake_stripe.api_key}"
    assert create.idempotency_key == f"imgdesk-{pending.purchase_id}"
    params = create.params
    assert params["client_reference_id"] == pending.purchase_id
    assert params["metadata"] == {
        "purchase_id": pending.purchase_id,
        "pack": "starter",
        "credits": "500",
    }
    assert params["line_items"][0]["price_data"]["unit_amount"] == "500"
    assert params["line_items"][0]["price_data"]["currency"] == "usd"
    assert params["success_url"] == (
        f"http://127.0.0.1:9/tok/success?session_id={{CHECKOUT_SESSION_ID}}&state={pending.state}"
    )
    assert params["cancel_url"] == f"http://127.0.0.1:9/tok/cancel?state={pending.state}"
    session = fake_stripe.only_session()
    assert pending.url == session["url"]
    row = account.ledger.purchase(pending.purchase_id)
    assert row is not None
    assert (row.state, row.session_id, row.amount, row.currency) == (
        "pending",
        session["id"],
        500,
        "usd",
    )


async def test_end_to_end_browser_pays_and_credits_once(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    purchase = BrowserPurchase(account, "standard", poll_interval=60)
    pending = await purchase.start()
    waiter = asyncio.create_task(purchase.wait())
    status, url, body = await browser_submit(pending.url)
    assert url.startswith(purchase.server.return_url + "/success?session_id=cs_test_")
    assert status == 200
    assert "1,100 credits were added" in body
    result = await waiter
    assert result.outcome is Outcome.CREDITED
    assert await account.balance() == 1100
    assert [e.kind for e in await account.history()] == ["purchase"]


async def test_cancel_on_the_checkout_page_expires_the_session(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    purchase = BrowserPurchase(account, "starter", poll_interval=60)
    pending = await purchase.start()
    waiter = asyncio.create_task(purchase.wait())
    status, _url, body = await browser_submit(pending.url, "cancel")
    assert status == 200
    assert "cancelled" in body
    assert (await waiter).outcome is Outcome.CANCELLED
    assert fake_stripe.only_session()["status"] == "expired"
    assert await account.balance() == 0


async def test_paid_without_redirect_is_credited_by_reconciliation(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    pending = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    assert [r.outcome for r in await account.reconcile()] == [Outcome.PENDING]
    fake_stripe.mark_paid(fake_stripe.only_session()["id"])
    results = await account.reconcile()
    assert [(r.outcome, r.credits_added) for r in results] == [(Outcome.CREDITED, 500)]
    assert await account.balance() == 500
    assert await account.reconcile() == []  # nothing pending any more
    assert (await account.check_purchase(pending.purchase_id)).outcome is (Outcome.ALREADY_CREDITED)
    assert await account.balance() == 500


async def test_waiting_purchase_polls_stripe_when_the_redirect_never_comes(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    purchase = BrowserPurchase(account, "starter", poll_interval=0.05)
    await purchase.start()
    fake_stripe.mark_paid(fake_stripe.only_session()["id"])
    result = await purchase.wait()
    assert result.outcome is Outcome.CREDITED
    assert await account.balance() == 500


async def test_timeout_expires_the_page(account: LocalAccount, fake_stripe: FakeStripe) -> None:
    purchase = BrowserPurchase(account, "starter", timeout=0.2, poll_interval=0.05)
    await purchase.start()
    result = await purchase.wait()
    assert result.outcome is Outcome.CANCELLED
    assert fake_stripe.only_session()["status"] == "expired"
    assert await account.balance() == 0


async def test_expired_session_is_closed_by_reconciliation(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    pending = await account.start_purchase("starter", "http://127.0.0.1:9/tok")
    fake_stripe.update(fake_stripe.only_session()["id"], status="expired")
    assert [r.outcome for r in await account.reconcile()] == [Outcome.EXPIRED]
    row = account.ledger.purchase(pending.purchase_id)
    assert row is not None
    assert row.state == "expired"
    assert await account.balance() == 0


async def test_session_lost_in_a_crash_is_found_by_listing(
    account: LocalAccount, fake_stripe: FakeStripe
) -> None:
    # The app stopped after Stripe created the session but before its id was saved.
    purchase = account.ledger.create_purchase("starter", 500, 500, "usd")
    for _ in range(3):  # other sessions, so the lookup has to page through the list
        fake_stripe.add_session()
    session = fake_stripe.add_session(
        client_reference_id=purchase.id,
        metadata={"purchase_id": purchase.id, "pack": "starter", "credits": "500"},
        status="complete",
        payment_status="paid",
    )
    for _ in range(3):
        fake_stripe.add_session()
    checkout = Checkout.from_environment()
    assert checkout is not None
    listed = await checkout.sessions_since(0, page_size=2)
    await checkout.aclose()
    assert len(listed) == 7
    assert len({s.id for s in listed}) == 7
    results = await account.reconcile()
    assert [r.outcome for r in results] == [Outcome.CREDITED]
    row = account.ledger.purchase(purchase.id)
    assert row is not None
    assert row.session_id == session["id"]


async def test_wrong_key_is_an_auth_error_without_the_key(fake_stripe: FakeStripe) -> None:
    checkout = Checkout("sk_test_wrong_secret_value_123")
    try:
        with pytest.raises(ImgdeskError) as caught:
            await checkout.retrieve("cs_test_x")
    finally:
        await checkout.aclose()
    assert caught.value.kind is ErrorKind.AUTH
    assert "sk_test" not in caught.value.message
    assert "sk_test" not in (caught.value.detail or "")


async def test_failed_session_creation_leaves_a_failed_purchase(tmp_path: object) -> None:
    # Nothing listens on port 9 of the loopback address: a network error, nothing pending.
    ledger = Ledger(app_paths().data / "ledger.sqlite3")
    account = LocalAccount(ledger, Checkout("sk_test_x", api_base="http://127.0.0.1:9"))
    try:
        with pytest.raises(ImgdeskError) as caught:
            await account.start_purchase("starter", "http://127.0.0.1:9/tok")
        assert caught.value.kind is ErrorKind.NETWORK
        assert [p.state for p in ledger.purchases()] == ["failed"]
    finally:
        await account.aclose()


async def test_no_shop_means_no_purchase() -> None:
    account = LocalAccount.open(app_paths())
    try:
        assert not account.shop_available
        with pytest.raises(ImgdeskError) as caught:
            await account.start_purchase("starter", "http://127.0.0.1:9/tok")
        assert caught.value.kind is ErrorKind.CONFIG
    finally:
        await account.aclose()


async def test_configured_price_ids_are_used(fake_stripe: FakeStripe) -> None:
    from imgdesk.core.checkout import Pack

    fake_stripe.prices["price_123"] = (900, "eur")
    packs = [Pack("euro", "Euro", 800, 900, "eur", stripe_price="price_123")]
    checkout = Checkout.from_environment()
    account = LocalAccount(Ledger(app_paths().data / "ledger.sqlite3"), checkout, packs)
    try:
        await account.start_purchase("euro", "http://127.0.0.1:9/tok")
        create = next(r for r in fake_stripe.requests if r.method == "POST")
        assert create.params["line_items"] == [{"price": "price_123", "quantity": "1"}]
        fake_stripe.mark_paid(fake_stripe.only_session()["id"])
        assert [r.outcome for r in await account.reconcile()] == [Outcome.CREDITED]
        assert await account.balance() == 800
    finally:
        await account.aclose()


def test_packs_file_is_well_formed() -> None:
    packs = load_packs()
    assert len({p.id for p in packs}) == len(packs) >= 1
    for pack in packs:
        assert pack.credits > 0
        assert pack.price > 0
        assert pack.currency == pack.currency.lower()
    assert packs[0].price_text == "$5.00"
