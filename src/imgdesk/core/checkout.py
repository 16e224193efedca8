"""Stripe Checkout through the official `stripe` library: the packs on sale and the sessions.

All calls use the library's async methods, so they run in the app's one event loop (qasync's in
the GUI). Nothing here decides whether to credit; `session_problem` says what is wrong with a
session, and the account acts on it.

The key never appears in a message, a log line or an exception we raise: Stripe's own error text
can quote part of it, so only the error's type, status and code are kept (in `detail`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

from imgdesk.core import secrets
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate, translate_format
from imgdesk.core.ledger import Purchase
from imgdesk.core.money import format_money

if TYPE_CHECKING:
    import stripe

log = logging.getLogger("imgdesk.checkout")

STRIPE_API_BASE_ENV = "IMGDESK_STRIPE_API_BASE"
REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Pack:
    id: str
    label: str
    credits: int
    price: int  # minor units of `currency`, as Stripe counts them
    currency: str  # lower case ISO code
    stripe_price: str | None = None  # a configured Stripe Price id; else inline price data

    @property
    def price_text(self) -> str:
        return format_money(self.price, self.currency)


@cache
def load_packs() -> tuple[Pack, ...]:
    """The packs on sale, from `imgdesk/data/packs.json`."""
    text = resources.files("imgdesk.data").joinpath("packs.json").read_text("utf-8")
    raw: Any = json.loads(text)
    return tuple(
        Pack(
            id=str(item["id"]),
            label=str(item["label"]),
            credits=int(item["credits"]),
            price=int(item["price"]),
            currency=str(item["currency"]).lower(),
            stripe_price=item.get("stripe_price") or None,
        )
        for item in raw["packs"]
    )


@dataclass(frozen=True)
class SessionInfo:
    """The fields of a Checkout Session that decide whether a purchase is paid."""

    id: str
    status: str | None  # open, complete or expired
    payment_status: str | None  # unpaid, paid or no_payment_required
    amount_total: int | None
    currency: str | None
    client_reference_id: str | None
    metadata: Mapping[str, str]
    url: str | None
    created: int

    @classmethod
    def from_stripe(cls, session: Any) -> SessionInfo:
        raw: dict[str, Any] = session.to_dict()
        metadata = raw.get("metadata") or {}
        return cls(
            id=str(raw["id"]),
            status=raw.get("status"),
            payment_status=raw.get("payment_status"),
            amount_total=raw.get("amount_total"),
            currency=(raw.get("currency") or None),
            client_reference_id=raw.get("client_reference_id"),
            metadata={str(k): str(v) for k, v in metadata.items()},
            url=raw.get("url"),
            created=int(raw.get("created") or 0),
        )


@dataclass(frozen=True)
class Problem:
    """Why a session must not credit a purchase: an English sentence (marked
    QT_TRANSLATE_NOOP("callback", ...)), with the amounts it names kept as numbers so that it is
    written in the reader's language when shown, and stays English in the ledger."""

    template: str
    # placeholder -> (minor units, currency), filled in by whoever shows the sentence
    amounts: Mapping[str, tuple[int, str]] = field(default_factory=dict)

    def english(self) -> str:
        return self.template.format(**self._money("en"))

    def localized(self) -> str:
        """The sentence in the user's language, amounts written the language's way."""
        if not self.amounts:
            # The ledger also keeps the English of an error (Stripe refused to make the page).
            shown = translate("callback", self.template)
            return shown if shown != self.template else translate("errors", self.template)
        return translate_format("callback", self.template, **self._money(None))

    def stored(self) -> str:
        """What the ledger keeps: the English sentence, or for one with amounts its template and
        amounts as JSON (a filled-in sentence could not be translated later)."""
        if not self.amounts:
            return self.template
        amounts = {name: list(value) for name, value in self.amounts.items()}
        return json.dumps({"template": self.template, "amounts": amounts}, sort_keys=True)

    @classmethod
    def from_stored(cls, text: str) -> Problem:
        """The problem the ledger kept (`stored()`); older rows hold a plain sentence."""
        if text.startswith("{"):
            try:
                raw: Any = json.loads(text)
                amounts = {str(k): (int(v[0]), str(v[1])) for k, v in raw["amounts"].items()}
                return cls(str(raw["template"]), amounts)
            except (ValueError, KeyError, TypeError, IndexError):
                pass  # not ours: show the text as it is
        return cls(text)

    def _money(self, language: str | None) -> dict[str, str]:
        return {
            name: format_money(amount, currency, language=language)
            for name, (amount, currency) in self.amounts.items()
        }


def session_problem(session: SessionInfo, purchase: Purchase) -> Problem | None:
    """Why `session` must not credit `purchase`; None when it is paid and ours."""
    if session.client_reference_id != purchase.id or session.metadata.get("purchase_id") != (
        purchase.id
    ):
        return Problem(
            QT_TRANSLATE_NOOP(
                "callback",
                "This payment belongs to a different purchase, so no credits were added.",
            )
        )
    if purchase.session_id is not None and session.id != purchase.session_id:
        return Problem(
            QT_TRANSLATE_NOOP(
                "callback", "This payment page was not the one opened for this purchase."
            )
        )
    if session.metadata.get("pack") != purchase.pack or session.metadata.get("credits") != str(
        purchase.credits
    ):
        return Problem(
            QT_TRANSLATE_NOOP(
                "callback", "The payment was for a different pack, so no credits were added."
            )
        )
    if session.status == "expired":
        return Problem(
            QT_TRANSLATE_NOOP(
                "callback", "The payment page expired before it was paid. No money was taken."
            )
        )
    if session.status != "complete" or session.payment_status != "paid":
        return Problem(
            QT_TRANSLATE_NOOP(
                "callback", "The payment has not been completed yet, so no credits were added."
            )
        )
    if session.amount_total != purchase.amount or (session.currency or "").lower() != (
        purchase.currency
    ):
        return Problem(
            QT_TRANSLATE_NOOP(
                "callback",
                "The amount paid ({paid}) is not the pack's price ({expected}), so no credits "
                "were added. Contact support to sort it out.",
            ),
            {
                "paid": (session.amount_total or 0, session.currency or purchase.currency),
                "expected": (purchase.amount, purchase.currency),
            },
        )
    return None


class Checkout:
    """Creates, reads, lists and expires Checkout Sessions with one Stripe key."""

    def __init__(self, api_key: str, *, api_base: str | None = None) -> None:
        # Imported here, not at the top: stripe and aiohttp take a third of a second to import,
        # which the window's start-up should not pay for a shop the user may never open.
        import aiohttp
        import stripe

        base = api_base or os.environ.get(STRIPE_API_BASE_ENV, "").strip() or None
        # The library's default async client is aiohttp here; a float timeout is deprecated there.
        self._http = stripe.AIOHTTPClient(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": base} if base else None,
            http_client=self._http,
            max_network_retries=2,
        )

    @classmethod
    def from_environment(cls) -> Checkout | None:
        """A Checkout with STRIPE_API_KEY from the environment or keyring, else None."""
        key = secrets.get_secret(secrets.STRIPE)
        return cls(key) if key else None

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create_session(
        self, purchase: Purchase, pack: Pack, success_url: str, cancel_url: str
    ) -> SessionInfo:
        if pack.stripe_price:
            line_item: dict[str, Any] = {"price": pack.stripe_price, "quantity": 1}
        else:
            line_item = {
                "quantity": 1,
                "price_data": {
                    "currency": pack.currency,
                    "unit_amount": pack.price,
                    "product_data": {"name": f"imgdesk {pack.label}: {pack.credits:,} credits"},
                },
            }
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [line_item],
            "client_reference_id": purchase.id,
            "metadata": {
                "purchase_id": purchase.id,
                "pack": pack.id,
                "credits": str(pack.credits),
            },
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        # The idempotency key makes a retried create return the same session, never a second one.
        options: Any = {"idempotency_key": f"imgdesk-{purchase.id}"}
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(
                params=cast(Any, params), options=options
            )
        )
        return SessionInfo.from_stripe(session)

    async def retrieve(self, session_id: str) -> SessionInfo:
        session = await self._call(self._client.v1.checkout.sessions.retrieve_async(session_id))
        return SessionInfo.from_stripe(session)

    async def expire(self, session_id: str) -> SessionInfo:
        session = await self._call(self._client.v1.checkout.sessions.expire_async(session_id))
        return SessionInfo.from_stripe(session)

    async def sessions_since(self, created_gte: int, *, page_size: int = 100) -> list[SessionInfo]:
        """Every session created at or after `created_gte` (unix seconds), all pages."""
        found: list[SessionInfo] = []
        params: dict[str, Any] = {"limit": page_size, "created": {"gte": created_gte}}
        while True:
            page = await self._call(
                self._client.v1.checkout.sessions.list_async(params=cast(Any, params))
            )
            items = [SessionInfo.from_stripe(item) for item in page.data]
            found.extend(items)
            if not page.has_more or not items:
                return found
            params = {**params, "starting_after": items[-1].id}

    async def _call(self, request: Any) -> Any:
        import stripe

        try:
            return await request
        except stripe.StripeError as error:
            raise stripe_error(error) from None


def stripe_error(error: stripe.StripeError) -> ImgdeskError:
    """An ImgdeskError for a Stripe failure, keeping nothing that could quote the key."""
    import stripe

    detail = f"{type(error).__name__} status={error.http_status} code={error.code}"
    if isinstance(error, stripe.AuthenticationError):
        kind, message = (
            ErrorKind.AUTH,
            QT_TRANSLATE_NOOP("errors", "The shop's Stripe key was refused. Check STRIPE_API_KEY."),
        )
    elif isinstance(error, stripe.PermissionError):
        kind, message = (
            ErrorKind.AUTH,
            QT_TRANSLATE_NOOP(
                "errors",
                "The shop's Stripe key is not allowed to manage Checkout Sessions. Give the "
                "restricted key write access to Checkout Sessions.",
            ),
        )
    elif isinstance(error, stripe.RateLimitError):
        kind, message = (
            ErrorKind.RATE_LIMIT,
            QT_TRANSLATE_NOOP("errors", "Stripe is busy. Try again in a moment."),
        )
    elif isinstance(error, stripe.APIConnectionError):
        kind, message = (
            ErrorKind.NETWORK,
            QT_TRANSLATE_NOOP("errors", "Stripe cannot be reached. Check the connection."),
        )
    elif isinstance(error, stripe.InvalidRequestError):
        kind = ErrorKind.INVALID_REQUEST
        if error.code == "resource_missing":
            message = QT_TRANSLATE_NOOP("errors", "Stripe does not know this payment.")
        else:
            message = QT_TRANSLATE_NOOP("errors", "Stripe refused the request for this purchase.")
    else:
        kind, message = (
            ErrorKind.SERVER,
            QT_TRANSLATE_NOOP("errors", "Stripe failed to answer. Try again in a moment."),
        )
    log.warning("stripe call failed: %s", detail)
    return ImgdeskError(kind, message, detail=detail)
