"""The loopback server and `fulfil` refuse every claim that is not a paid session of ours.

Each attack is made over real HTTP against the real server; each must add no credits and say why.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from fakes.stripe_server import FakeStripe, browser_submit
from imgdesk.core.account import LocalAccount, Outcome, PendingPurchase
from imgdesk.core.callback_server import BrowserPurchase, page
from imgdesk.core.paths import app_paths


@dataclass
class Started:
    account: LocalAccount
    purchase: BrowserPurchase
    pending: PendingPurchase
    fake: FakeStripe
    http: aiohttp.ClientSession

    @property
    def session_id(self) -> str:
        session_id = self.fake.only_session()["id"]
        assert isinstance(session_id, str)
        return session_id

    def url(self, tail: str) -> str:
        return f"{self.purchase.server.return_url}/{tail}"

    async def get(self, url: str, **headers: str) -> tuple[int, str]:
        async with self.http.get(url, headers=headers, allow_redirects=False) as response:
            return response.status, await response.text()

    async def success(
        self, session_id: str | None = None, state: str | None = None
    ) -> tuple[int, str]:
        query = f"session_id={session_id or self.session_id}&state={state or self.pending.state}"
        return await self.get(self.url(f"success?{query}"))

    async def balance(self) -> int:
        balance: int = await self.account.balance()
        return balance


@pytest.fixture
async def started(fake_stripe: FakeStripe) -> AsyncIterator[Started]:
    account = LocalAccount.open(app_paths())
    purchase = BrowserPurchase(account, "starter", poll_interval=60)
    pending = await purchase.start()
    async with aiohttp.ClientSession() as http:
        yield Started(account, purchase, pending, fake_stripe, http)
    await purchase.server.aclose()
    await account.aclose()


async def test_paid_callback_credits(started: Started) -> None:
    started.fake.mark_paid(started.session_id)
    status, body = await started.success()
    assert status == 200
    assert "500 credits were added" in body
    assert await started.balance() == 500


async def test_replayed_callback_adds_nothing(started: Started) -> None:
    await browser_submit(started.pending.url)
    assert await started.balance() == 500
    for _ in range(3):
        status, body = await started.success()
        assert status == 200
        assert "were added before; nothing more was added" in body
    assert await started.balance() == 500
    assert [e.kind for e in started.account.ledger.entries()] == ["purchase"]


async def test_replay_after_the_server_closed_finds_nobody(started: Started) -> None:
    waiter = asyncio.create_task(started.purchase.wait())
    await browser_submit(started.pending.url)
    assert (await waiter).outcome is Outcome.CREDITED
    with pytest.raises(aiohttp.ClientConnectionError):
        await started.success()
    assert await started.balance() == 500


async def test_forged_session_id_is_refused(started: Started) -> None:
    started.fake.mark_paid(started.session_id)
    status, body = await started.success(session_id="cs_test_forged")
    assert status == 400
    assert "not the one opened for this purchase" in body
    assert await started.balance() == 0


async def test_someone_elses_paid_session_is_refused(started: Started) -> None:
    other = started.fake.add_session(
        status="complete",
        payment_status="paid",
        client_reference_id="pur_someone_else",
        metadata={"purchase_id": "pur_someone_else", "pack": "starter", "credits": "500"},
    )
    status, body = await started.success(session_id=other["id"])
    assert status == 400
    assert "not the one opened" in body
    assert await started.balance() == 0


async def test_foreign_session_for_a_purchase_without_session_is_refused(
    fake_stripe: FakeStripe,
) -> None:
    # A purchase whose session id was never saved: only Stripe's own fields can prove ownership.
    account = LocalAccount.open(app_paths())
    try:
        purchase = account.ledger.create_purchase("starter", 500, 500, "usd")
        other = fake_stripe.add_session(
            status="complete",
            payment_status="paid",
            client_reference_id="pur_someone_else",
            metadata={"purchase_id": "pur_someone_else", "pack": "starter", "credits": "500"},
        )
        result = await account.fulfil(other["id"], purchase.nonce)
        assert result.outcome is Outcome.REFUSED
        assert "belongs to a different purchase" in result.message
        assert await account.balance() == 0
    finally:
        await account.aclose()


async def test_open_unpaid_session_adds_nothing(started: Started) -> None:
    status, body = await started.success()
    assert status == 200
    assert "not been completed" in body
    # Completed with a delayed method (bank debit): the money has not arrived, nothing added yet.
    started.fake.mark_processing(started.session_id)
    _status, body = await started.success()
    assert "still being processed; credits arrive when it clears" in body
    assert await started.balance() == 0


async def test_expired_session_adds_nothing(started: Started) -> None:
    started.fake.update(started.session_id, status="expired")
    status, body = await started.success()
    assert status == 200
    assert "expired before it was paid" in body
    assert await started.balance() == 0
    row = started.account.ledger.purchase(started.pending.purchase_id)
    assert row is not None
    assert row.state == "expired"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [(1, "usd", "$0.01"), (500, "eur", "€5.00")],
    ids=["amount", "currency"],
)
async def test_wrong_amount_or_currency_adds_nothing(
    started: Started, amount: int, currency: str, shown: str
) -> None:
    started.fake.update(
        started.session_id,
        amount_total=amount,
        currency=currency,
        status="complete",
        payment_status="paid",
    )
    _status, body = await started.success()
    assert f"The amount paid ({shown}) is not the pack&#x27;s price ($5.00)" in body
    assert await started.balance() == 0
    row = started.account.ledger.purchase(started.pending.purchase_id)
    assert row is not None
    assert row.state == "failed"


async def test_wrong_state_is_refused(started: Started) -> None:
    started.fake.mark_paid(started.session_id)
    status, body = await started.success(state="not-the-state")
    assert status == 400
    assert "does not belong to the purchase in progress" in body
    assert await started.balance() == 0


async def test_wrong_path_token_is_not_found(started: Started) -> None:
    started.fake.mark_paid(started.session_id)
    base = f"http://127.0.0.1:{started.purchase.server.port}"
    query = f"session_id={started.session_id}&state={started.pending.state}"
    for path in (f"/wrongtoken/success?{query}", f"/success?{query}", "/", "/favicon.ico"):
        status, body = await started.get(base + path)
        assert status == 404
        assert "does not belong to a purchase" in body
    assert await started.balance() == 0


@pytest.mark.parametrize("host", ["evil.example", "localhost:{port}", "127.0.0.1", "evil:{port}"])
async def test_foreign_host_header_is_refused(started: Started, host: str) -> None:
    started.fake.mark_paid(started.session_id)
    query = f"session_id={started.session_id}&state={started.pending.state}"
    status, body = await started.get(
        started.url(f"success?{query}"), Host=host.format(port=started.purchase.server.port)
    )
    assert status == 421
    assert "only answers on the loopback address" in body
    assert await started.balance() == 0


async def test_post_is_refused(started: Started) -> None:
    started.fake.mark_paid(started.session_id)
    query = f"session_id={started.session_id}&state={started.pending.state}"
    async with started.http.post(started.url(f"success?{query}")) as response:
        assert response.status == 405
        assert response.headers["Allow"] == "GET"
    assert await started.balance() == 0


async def test_two_concurrent_callbacks_credit_once(started: Started) -> None:
    started.fake.mark_paid(started.session_id)
    answers = await asyncio.gather(*(started.success() for _ in range(2)))
    bodies = sorted(body for _status, body in answers)
    assert sum("500 credits were added." in body for body in bodies) == 1
    assert sum("were added before" in body for body in bodies) == 1
    assert await started.balance() == 500


async def test_two_accounts_fulfilling_together_credit_once(started: Started) -> None:
    # A second app instance on the same data folder: the ledger row, not our process, decides.
    started.fake.mark_paid(started.session_id)
    second = LocalAccount.open(app_paths())
    try:
        results = await asyncio.gather(
            started.account.fulfil(started.session_id, started.pending.state),
            second.fulfil(started.session_id, started.pending.state),
        )
    finally:
        await second.aclose()
    assert sorted(r.outcome for r in results) == sorted(
        [Outcome.CREDITED, Outcome.ALREADY_CREDITED]
    )
    assert await started.balance() == 500


def test_page_escapes_what_it_shows() -> None:
    response = page(400, "<b>title</b>", "<script>alert('x')</script> & more")
    body = response.text or ""
    assert "<script>" not in body
    assert "<b>" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in body


async def test_page_headers_forbid_framing_and_caching(started: Started) -> None:
    async with started.http.get(started.url("success?state=x")) as response:
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_server_listens_on_loopback_only(started: Started) -> None:
    assert started.purchase.server.return_url.startswith("http://127.0.0.1:")
    assert len(started.purchase.server.token) >= 32
