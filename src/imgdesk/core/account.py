"""The account: credits and purchases behind one async interface.

`Account` is what the UI, the queue and the CLI use. `LocalAccount` keeps the ledger in a local
SQLite file and talks to Stripe with a key on this machine (the standalone mode of the design's
trust model). A hosted service that keeps the key and the ledger can implement the same protocol
without touching any caller.

The redirect back from Stripe is only a hint: `fulfil` retrieves the session from Stripe and
credits only a complete, paid session created for this purchase with the pack's amount and
currency. The ledger's unique (purchase, id) row makes that happen at most once.
A purchase leaves "pending" only on Stripe's word (paid, expired, or paid the wrong amount): closed
on a guess, a payment that clears later would be stranded, as reconciliation skips closed ones.
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
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate_format
from imgdesk.core.ledger import LEDGER_FILE, Entry, Ledger, Purchase
from imgdesk.core.paths import AppPaths, app_paths

log = logging.getLogger("imgdesk.account")

# Stripe expires an unpaid Checkout Session after 24 hours; we close ours a little later.
STALE_AFTER_S = 25 * 3600
# A purchase that never got a session (crash while creating it) is given up after this long.
NO_SESSION_GRACE_S = 15 * 60
# Failures of this machine, not of Stripe: reconciliation stops on these instead of going on.
_LOCAL_KINDS = frozenset({ErrorKind.STORAGE, ErrorKind.CONFIG, ErrorKind.INTERNAL})
PROCESSING_MESSAGE = QT_TRANSLATE_NOOP(
    "callback", "The payment is still being processed; credits arrive when it clears."
)

CANCELLED_MESSAGE = QT_TRANSLATE_NOOP("callback", "The purchase was cancelled. No money was taken.")


class Outcome(enum.StrEnum):
    CREDITED = "credited"  # this call added the credits
    ALREADY_CREDITED = "already_credited"  # a replay: credits were added before, nothing now
    PENDING = "pending"  # not paid yet, or Stripe could not be asked; check again later
    # Checkout completed with a delayed payment method (bank debit): the money has not arrived
    # yet. Still pending in the ledger; reconciliation credits it when Stripe marks it paid.
    PROCESSING = "processing"
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
    # A sentence for the user (browser page, dialog, command line). Fixed sentences are English,
    # marked QT_TRANSLATE_NOOP("callback", ...) and translated where shown; sentences with
    # numbers in them are translated when made (see `_filled`), as a shown one cannot be looked
    # up once its values are in.
    message: str
    purchase_id: str | None = None
    credits_added: int = 0
    # Why Stripe could not be asked (offline, refused key); None when Stripe answered.
    error: ImgdeskError | None = None

    @property
    def final(self) -> bool:
        return self.outcome in FINAL_OUTCOMES

    @property
    def settled_for_now(self) -> bool:
        """Nothing more will happen while the buyer waits: final, or a payment left to clear."""
        return self.final or self.outcome is Outcome.PROCESSING


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
        QT_TRANSLATE_NOOP(
            "errors",
            "Token packs are not for sale here: no shop is configured (set STRIPE_API_KEY).",
        ),
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
        raise ImgdeskError.make(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "There is no pack “{pack_id}”. Packs: {known}."),
            field="pack",
            pack_id=pack_id,
            known=known,
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
            no_page = ImgdeskError(
                ErrorKind.SERVER,
                QT_TRANSLATE_NOOP("errors", "Stripe did not provide a payment page."),
            )
            self.ledger.close_purchase(purchase.id, "failed", no_page.message)
            raise no_page
        self.ledger.attach_session(purchase.id, session.id, session.url)
        log.info("purchase %s started for pack %s", purchase.id, pack.id)
        return PendingPurchase(purchase.id, pack, session.url, purchase.nonce)

    async def fulfil(self, session_id: str, state: str) -> PurchaseResult:
        """Handle the browser's return from Checkout: verify with Stripe, credit at most once."""
        purchase = self.ledger.purchase_by_nonce(state)
        if purchase is None:
            return PurchaseResult(
                Outcome.REFUSED,
                QT_TRANSLATE_NOOP(
                    "callback", "This link does not belong to a purchase made in imgdesk."
                ),
            )
        if purchase.state == "credited":
            return _already(purchase)
        if purchase.session_id is not None and session_id != purchase.session_id:
            return PurchaseResult(
                Outcome.REFUSED,
                QT_TRANSLATE_NOOP(
                    "callback",
                    "This payment page was not the one opened for this purchase, so no credits "
                    "were added.",
                ),
                purchase.id,
            )
        return await self._settle(purchase, session_id)

    async def check_purchase(self, purchase_id: str) -> PurchaseResult:
        """Ask Stripe about one purchase (no redirect needed) and credit it if it was paid."""
        purchase = self.ledger.purchase(purchase_id)
        if purchase is None:
            return PurchaseResult(
                Outcome.REFUSED, QT_TRANSLATE_NOOP("callback", "imgdesk knows no such purchase.")
            )
        if purchase.state == "credited":
            return _already(purchase)
        if purchase.session_id is None:
            return await self._find_lost_session(purchase)
        return await self._settle(purchase, purchase.session_id)

    async def cancel_purchase(self, purchase_id: str) -> PurchaseResult:
        """Close the payment page so it can no longer be paid; credit it if it was paid first.

        The purchase is closed as cancelled only when Stripe confirms the page expired; if Stripe
        cannot say so (offline, or a delayed payment still clearing) it stays pending.
        """
        purchase = self.ledger.purchase(purchase_id)
        if purchase is None:
            return PurchaseResult(
                Outcome.REFUSED, QT_TRANSLATE_NOOP("callback", "imgdesk knows no such purchase.")
            )
        if purchase.state == "credited":
            return _already(purchase)
        if purchase.session_id is None:
            # start_purchase never handed out a page, so nobody can have paid through it.
            self.ledger.close_purchase(purchase.id, "cancelled", CANCELLED_MESSAGE)
            return _cancelled(purchase)
        shop = self._shop()
        try:
            session = await shop.expire(purchase.session_id)
        except ImgdeskError as error:
            if error.kind in _LOCAL_KINDS:
                raise
            # Not open any more (paid, paying or expired meanwhile), or Stripe could not be
            # asked: only Stripe's own view of the session decides.
            result = await self._settle(purchase, purchase.session_id)
            if result.settled_for_now:
                return result
            reason = result.error or error
            log.warning("purchase %s not closed (%s); it stays pending", purchase.id, reason.kind)
            return PurchaseResult(
                Outcome.PENDING,
                _filled(
                    QT_TRANSLATE_NOOP(
                        "callback",
                        "imgdesk could not confirm with Stripe that the payment page is closed: "
                        "{reason} It checks again later and adds the credits if it was paid.",
                    ),
                    reason=reason.localized(),
                ),
                purchase.id,
                error=reason,
            )
        if session.status != "expired":
            return self._apply(purchase, session)  # Stripe did not expire it: judge what it is
        self.ledger.close_purchase(purchase.id, "cancelled", CANCELLED_MESSAGE)
        return _cancelled(purchase)

    async def reconcile(self) -> list[PurchaseResult]:
        """Re-check every pending purchase with Stripe; credit paid ones, close stale ones.

        A purchase Stripe cannot be asked about stays pending and gets a result with `error`;
        the others are still checked.
        """
        results: list[PurchaseResult] = []
        now = time.time()
        for purchase in self.ledger.purchases(state="pending"):
            try:
                result = await self.check_purchase(purchase.id)
                stale = now - purchase.created > STALE_AFTER_S
                if result.outcome is Outcome.PENDING and result.error is None and stale:
                    result = await self.cancel_purchase(purchase.id)
            except ImgdeskError as error:
                if error.kind in _LOCAL_KINDS:
                    raise
                log.warning("purchase %s could not be checked: %s", purchase.id, error.kind)
                result = _unchecked(purchase, error)
            results.append(result)
            if result.credits_added:
                log.info("reconciliation credited purchase %s", purchase.id)
        return results

    async def _settle(self, purchase: Purchase, session_id: str) -> PurchaseResult:
        try:
            session = await self._shop().retrieve(session_id)
        except ImgdeskError as error:
            if error.kind is ErrorKind.INVALID_REQUEST:
                return PurchaseResult(Outcome.REFUSED, error.localized(), purchase.id)
            if error.kind in _LOCAL_KINDS:
                raise
            return _unchecked(purchase, error)
        return self._apply(purchase, session)

    def _apply(self, purchase: Purchase, session: SessionInfo) -> PurchaseResult:
        problem = session_problem(session, purchase)
        if problem is None:
            if self.ledger.credit_purchase(purchase.id):
                return PurchaseResult(
                    Outcome.CREDITED,
                    _filled(
                        QT_TRANSLATE_NOOP(
                            "callback", "Payment received: {credits:,} credits were added."
                        ),
                        credits=purchase.credits,
                    ),
                    purchase.id,
                    purchase.credits,
                )
            return _already(purchase)
        ours = session.client_reference_id == purchase.id and session.id == (
            purchase.session_id or session.id
        )
        # The ledger keeps the reason in English (for support, whatever the app's language);
        # the buyer reads it in theirs.
        message = problem.localized()
        if not ours:
            return PurchaseResult(Outcome.REFUSED, message, purchase.id)
        if session.status == "expired":
            self.ledger.close_purchase(purchase.id, "expired", problem.stored())
            return PurchaseResult(Outcome.EXPIRED, message, purchase.id)
        if session.status == "complete" and session.payment_status == "paid":
            # Paid, but not what the pack costs: never credit, keep the reason for support.
            self.ledger.close_purchase(purchase.id, "failed", problem.stored())
            return PurchaseResult(Outcome.FAILED, message, purchase.id)
        if session.status == "complete" and session.payment_status == "unpaid":
            # A delayed payment method: Stripe marks it paid days later, or never.
            return PurchaseResult(Outcome.PROCESSING, PROCESSING_MESSAGE, purchase.id)
        return PurchaseResult(Outcome.PENDING, message, purchase.id)

    async def _find_lost_session(self, purchase: Purchase) -> PurchaseResult:
        """The app stopped between creating the session and saving its id: look it up by list."""
        shop = self._shop()
        try:
            sessions = await shop.sessions_since(int(purchase.created) - 60)
        except ImgdeskError as error:
            if error.kind in _LOCAL_KINDS:
                raise
            return _unchecked(purchase, error)
        for session in sessions:
            if session.client_reference_id == purchase.id:
                if session.url:
                    self.ledger.attach_session(purchase.id, session.id, session.url)
                refreshed = self.ledger.purchase(purchase.id)
                return self._apply(refreshed or purchase, session)
        if time.time() - purchase.created > NO_SESSION_GRACE_S:
            reason = QT_TRANSLATE_NOOP(
                "callback", "The payment page was never created. No money was taken."
            )
            self.ledger.close_purchase(purchase.id, "failed", reason)
            return PurchaseResult(Outcome.FAILED, reason, purchase.id)
        return PurchaseResult(
            Outcome.PENDING,
            QT_TRANSLATE_NOOP("callback", "The payment page is still being created."),
            purchase.id,
        )


def _already(purchase: Purchase) -> PurchaseResult:
    return PurchaseResult(
        Outcome.ALREADY_CREDITED,
        _filled(
            QT_TRANSLATE_NOOP(
                "callback", "These {credits:,} credits were added before; nothing more was added."
            ),
            credits=purchase.credits,
        ),
        purchase.id,
    )


def _cancelled(purchase: Purchase) -> PurchaseResult:
    return PurchaseResult(
        Outcome.CANCELLED,
        CANCELLED_MESSAGE,
        purchase.id,
    )


def _unchecked(purchase: Purchase, error: ImgdeskError) -> PurchaseResult:
    """Stripe could not be asked: the purchase stays pending and is checked again later."""
    return PurchaseResult(
        Outcome.PENDING,
        _filled(
            QT_TRANSLATE_NOOP("callback", "{reason} imgdesk will check the payment again later."),
            reason=error.localized(),
        ),
        purchase.id,
        error=error,
    )


def _filled(template: str, **values: object) -> str:
    """A "callback" sentence with numbers: translated first, then filled in."""
    return translate_format("callback", template, **values)
