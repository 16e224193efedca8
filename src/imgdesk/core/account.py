"""The account: credits and purchases behind one async interface.

`Account` is what the UI, the queue and the CLI use. `LocalAccount` keeps the ledger in a local
SQLite file and talks to Stripe with a key on this machine (the standalone mode of the design's
trust model). A hosted service that keeps the key and the ledger can implement the same protocol
without touching any caller.

The redirect back from Stripe is only a hint: `fulfil` retrieves the session from Stripe and
credits only a complete, paid session created for this purchase with the pack's amount and
currency. The ledger's unique (purchase, id) row makes that happen at most once.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from imgdesk.core.checkout import Checkout, Pack, SessionInfo, load_packs, session_problem
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.ledger import LEDGER_FILE, Entry, Ledger, Purchase
from imgdesk.core.paths import AppPaths, app_paths

log = logging.getLogger("imgdesk.account")

# Stripe expires an unpaid Checkout Session after 24 hours; we close ours a little later.
STALE_AFTER_S = 25 * 3600
# A purchase that never got a session (crash while creating it) is given up after this long.
NO_SESSION_GRACE_S = 15 * 60


class Outcome(enum.StrEnum):
    CREDITED = "credited"  # this call added the credits
    ALREADY_CREDITED = "already_credited"  # a replay: credits were added before, nothing now
    PENDING = "pending"  # not paid yet, or Stripe could not be asked; check again later
    REFUSED = "refused"  # not a payment for this purchase; nothing added
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    FAILED = "failed"  # paid but not as agreed (wrong amount); needs a person


# Outcomes after which the purchase will not change any more.
FINAL_OUTCOMES = frozenset(
    {Outcome.CREDITED, Outcome.ALREADY_CREDITED, Outcome.CANCELLED, Outcome.EXPIRED, Outcome.FAILED}
)


@dataclass(frozen=True)
class PurchaseResult:
    outcome: Outcome
    message: str  # a sentence for the user (browser page, dialog, command line)
    purchase_id: str | None = None
    credits_added: int = 0

    @property
    def final(self) -> bool:
        return self.outcome in FINAL_OUTCOMES


@dataclass(frozen=True)
class PendingPurchase:
    purchase_id: str
    pack: Pack
    url: str  # the Checkout page to open in the browser
    state: str  # the per-purchase value the redirect must carry back


class Account(Protocol):
    """Credits and purchases. Every method may raise ImgdeskError."""

    @property
    def shop_available(self) -> bool: ...

    async def balance(self) -> int: ...

    async def packs(self) -> Sequence[Pack]: ...

    async def history(self) -> Sequence[Entry]: ...

    async def start_purchase(self, pack_id: str, return_url: str) -> PendingPurchase:
        """Create a pending purchase and its Checkout page; Stripe sends the browser back to
        `return_url` + "/success?session_id=…&state=…" or + "/cancel?state=…"."""
        ...

    async def fulfil(self, session_id: str, state: str) -> PurchaseResult: ...

    async def check_purchase(self, purchase_id: str) -> PurchaseResult: ...

    async def cancel_purchase(self, purchase_id: str) -> PurchaseResult: ...

    async def hold(self, reference: str, credits: int) -> None: ...

    async def capture(self, reference: str, cost: int) -> int: ...

    async def release(self, reference: str) -> bool: ...

    async def settle_open_holds(self, keep: Collection[str] = ()) -> int: ...

    async def reconcile(self) -> list[PurchaseResult]: ...

    async def aclose(self) -> None: ...


def no_shop_error() -> ImgdeskError:
    return ImgdeskError(
        ErrorKind.CONFIG,
        "Token packs are not for sale here: no shop is configured (set STRIPE_API_KEY).",
    )


class LocalAccount:
    """The ledger in a local SQLite file and Stripe called with a key on this machine.

    Ledger calls are synchronous: each is one short local transaction, cheaper than a thread hop.
    """

    def __init__(
        self, ledger: Ledger, checkout: Checkout | None, packs: Sequence[Pack] | None = None
    ) -> None:
        self.ledger = ledger
        self._checkout = checkout
        self._packs = tuple(packs if packs is not None else load_packs())

    @classmethod
    def open(cls, paths: AppPaths | None = None) -> LocalAccount:
        """The account in the user's data folder, with the Stripe key if there is one."""
        paths = paths or app_paths()
        return cls(Ledger(paths.data / LEDGER_FILE), Checkout.from_environment())

    async def aclose(self) -> None:
        if self._checkout is not None:
            await self._checkout.aclose()
        self.ledger.close()

    @property
    def shop_available(self) -> bool:
        return self._checkout is not None

    def _shop(self) -> Checkout:
        if self._checkout is None:
            raise no_shop_error()
        return self._checkout

    async def balance(self) -> int:
        return self.ledger.balance()

    async def packs(self) -> Sequence[Pack]:
        return self._packs

    async def history(self) -> Sequence[Entry]:
        return self.ledger.entries()

    def pack(self, pack_id: str) -> Pack:
        for pack in self._packs:
            if pack.id == pack_id:
                return pack
        known = ", ".join(p.id for p in self._packs)
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            f"There is no pack “{pack_id}”. Packs: {known}.",
            field="pack",
        )

    # --- credits -------------------------------------------------------------------------------

    async def hold(self, reference: str, credits: int) -> None:
        self.ledger.hold(reference, credits)

    async def capture(self, reference: str, cost: int) -> int:
        return self.ledger.capture(reference, cost)

    async def release(self, reference: str) -> bool:
        return self.ledger.release(reference)

    async def settle_open_holds(self, keep: Collection[str] = ()) -> int:
        """Release the holds of jobs that will never finish; `keep` names jobs that will resume."""
        released = 0
        for entry in self.ledger.open_holds():
            if entry.reference not in keep and self.ledger.release(entry.reference):
                released += 1
        return released

    # --- purchases -----------------------------------------------------------------------------

    async def start_purchase(self, pack_id: str, return_url: str) -> PendingPurchase:
        shop = self._shop()
        pack = self.pack(pack_id)
        purchase = self.ledger.create_purchase(pack.id, pack.credits, pack.price, pack.currency)
        base = return_url.rstrip("/")
        success_url = f"{base}/success?session_id={{CHECKOUT_SESSION_ID}}&state={purchase.nonce}"
        cancel_url = f"{base}/cancel?state={purchase.nonce}"
        try:
            session = await shop.create_session(purchase, pack, success_url, cancel_url)
        except ImgdeskError as error:
            self.ledger.close_purchase(purchase.id, "failed", error.message)
            raise
        if not session.url:
            self.ledger.close_purchase(purchase.id, "failed", "Stripe sent no payment page.")
            raise ImgdeskError(ErrorKind.SERVER, "Stripe did not provide a payment page.")
        self.ledger.attach_session(purchase.id, session.id, session.url)
        log.info("purchase %s started for pack %s", purchase.id, pack.id)
        return PendingPurchase(purchase.id, pack, session.url, purchase.nonce)

    async def fulfil(self, session_id: str, state: str) -> PurchaseResult:
        """Handle the browser's return from Checkout: verify with Stripe, credit at most once."""
        purchase = self.ledger.purchase_by_nonce(state)
        if purchase is None:
            return PurchaseResult(
                Outcome.REFUSED, "This link does not belong to a purchase made in imgdesk."
            )
        if purchase.state == "credited":
            return _already(purchase)
        if purchase.session_id is not None and session_id != purchase.session_id:
            return PurchaseResult(
                Outcome.REFUSED,
                "This payment page was not the one opened for this purchase, so no credits were "
                "added.",
                purchase.id,
            )
        return await self._settle(purchase, session_id)

    async def check_purchase(self, purchase_id: str) -> PurchaseResult:
        """Ask Stripe about one purchase (no redirect needed) and credit it if it was paid."""
        purchase = self.ledger.purchase(purchase_id)
        if purchase is None:
            return PurchaseResult(Outcome.REFUSED, "imgdesk knows no such purchase.")
        if purchase.state == "credited":
            return _already(purchase)
        if purchase.session_id is None:
            return await self._find_lost_session(purchase)
        return await self._settle(purchase, purchase.session_id)

    async def cancel_purchase(self, purchase_id: str) -> PurchaseResult:
        """Close the payment page so it can no longer be paid; credit it if it was paid first."""
        purchase = self.ledger.purchase(purchase_id)
        if purchase is None:
            return PurchaseResult(Outcome.REFUSED, "imgdesk knows no such purchase.")
        if purchase.state == "credited":
            return _already(purchase)
        if purchase.session_id is not None:
            try:
                await self._shop().expire(purchase.session_id)
            except ImgdeskError as error:
                if error.kind is not ErrorKind.INVALID_REQUEST:
                    raise
                # Not open any more: it was paid or expired meanwhile; Stripe's word decides.
                result = await self._settle(purchase, purchase.session_id)
                if result.final:
                    return result
        self.ledger.close_purchase(purchase.id, "cancelled", "Cancelled before paying.")
        return PurchaseResult(
            Outcome.CANCELLED, "The purchase was cancelled. No money was taken.", purchase.id
        )

    async def reconcile(self) -> list[PurchaseResult]:
        """Re-check every pending purchase with Stripe; credit paid ones, close stale ones."""
        results: list[PurchaseResult] = []
        now = time.time()
        for purchase in self.ledger.purchases(state="pending"):
            result = await self.check_purchase(purchase.id)
            if result.outcome is Outcome.PENDING and now - purchase.created > STALE_AFTER_S:
                result = await self.cancel_purchase(purchase.id)
            results.append(result)
            if result.credits_added:
                log.info("reconciliation credited purchase %s", purchase.id)
        return results

    async def _settle(self, purchase: Purchase, session_id: str) -> PurchaseResult:
        try:
            session = await self._shop().retrieve(session_id)
        except ImgdeskError as error:
            if error.kind is ErrorKind.INVALID_REQUEST:
                return PurchaseResult(Outcome.REFUSED, error.message, purchase.id)
            return PurchaseResult(
                Outcome.PENDING,
                f"{error.message} imgdesk will check the payment again later.",
                purchase.id,
            )
        return self._apply(purchase, session)

    def _apply(self, purchase: Purchase, session: SessionInfo) -> PurchaseResult:
        problem = session_problem(session, purchase)
        if problem is None:
            if self.ledger.credit_purchase(purchase.id):
                return PurchaseResult(
                    Outcome.CREDITED,
                    f"Payment received: {purchase.credits:,} credits were added.",
                    purchase.id,
                    purchase.credits,
                )
            return _already(purchase)
        ours = session.client_reference_id == purchase.id and session.id == (
            purchase.session_id or session.id
        )
        if not ours:
            return PurchaseResult(Outcome.REFUSED, problem, purchase.id)
        if session.status == "expired":
            self.ledger.close_purchase(purchase.id, "expired", problem)
            return PurchaseResult(Outcome.EXPIRED, problem, purchase.id)
        if session.status == "complete" and session.payment_status == "paid":
            # Paid, but not what the pack costs: never credit, keep the reason for support.
            self.ledger.close_purchase(purchase.id, "failed", problem)
            return PurchaseResult(Outcome.FAILED, problem, purchase.id)
        return PurchaseResult(Outcome.PENDING, problem, purchase.id)

    async def _find_lost_session(self, purchase: Purchase) -> PurchaseResult:
        """The app stopped between creating the session and saving its id: look it up by list."""
        sessions = await self._shop().sessions_since(int(purchase.created) - 60)
        for session in sessions:
            if session.client_reference_id == purchase.id:
                if session.url:
                    self.ledger.attach_session(purchase.id, session.id, session.url)
                refreshed = self.ledger.purchase(purchase.id)
                return self._apply(refreshed or purchase, session)
        if time.time() - purchase.created > NO_SESSION_GRACE_S:
            reason = "The payment page was never created. No money was taken."
            self.ledger.close_purchase(purchase.id, "failed", reason)
            return PurchaseResult(Outcome.FAILED, reason, purchase.id)
        return PurchaseResult(Outcome.PENDING, "The payment page is still being created.")


def _already(purchase: Purchase) -> PurchaseResult:
    return PurchaseResult(
        Outcome.ALREADY_CREDITED,
        f"These {purchase.credits:,} credits were added before; nothing more was added.",
        purchase.id,
    )
