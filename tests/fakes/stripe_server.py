"""A fake Stripe API over 127.0.0.1: the Checkout Session subset imgdesk uses, plus a pay page.

It runs aiohttp in a background thread with its own event loop, so the app under test (in the
test's loop, or qasync's) talks to it exactly as to api.stripe.com: through the real `stripe`
library, form-encoded bodies, Bearer auth, Stripe-shaped JSON and errors.

Endpoints:
- POST /v1/checkout/sessions, GET /v1/checkout/sessions[/{id}],
  POST /v1/checkout/sessions/{id}/expire
- GET /pay/{id}: the hosted checkout page with Pay, Pay by bank debit and Cancel forms
  (?autopay=1 submits Pay on load)
- POST /pay/{id}/pay, /pay/{id}/pay_delayed and /pay/{id}/cancel: 303 to success_url (session id
  filled in) or cancel_url. A delayed payment (bank debit) completes the session unpaid, as Stripe
  does; `clear_payment` later marks it paid, as when the money arrives days later.

Test controls (thread-safe): `sessions`, `requests`, `add_session`, `update`, `mark_paid`,
`mark_processing`, `clear_payment`, `break_endpoint`, `repair`, `prices`.
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

API_KEY = "sk_test_fake_imgdesk_0123456789"
_INDEX = re.compile(r"\[([^\]]*)\]")
# Where the middleware leaves the parsed form or query for the handler.
_PARAMS = web.RequestKey("params", dict[str, Any])


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, Any]
    authorization: str | None
    idempotency_key: str | None


@dataclass
class FakeStripe:
    api_key: str = API_KEY
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, tuple[int, str]] = field(default_factory=dict)  # price id -> amount, currency
    requests: list[RecordedRequest] = field(default_factory=list)
    base_url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _idempotent: dict[str, str] = field(default_factory=dict)
    _broken: set[tuple[str, str]] = field(default_factory=set)  # (method, path) failing with 500

    # --- test controls -------------------------------------------------------------------------

    def add_session(self, **fields: Any) -> dict[str, Any]:
        """A session made outside the app (someone else's); open unless `fields` say otherwise."""
        session = self._new_session(
            amount_total=fields.pop("amount_total", 500),
            currency=fields.pop("currency", "usd"),
            client_reference_id=fields.pop("client_reference_id", None),
            metadata=fields.pop("metadata", {}),
            success_url=fields.pop("success_url", "https://example.com/ok"),
            cancel_url=fields.pop("cancel_url", "https://example.com/no"),
        )
        session.update(fields)
        with self._lock:
            self.sessions[session["id"]] = session
        return dict(session)

    def update(self, session_id: str, **fields: Any) -> None:
        with self._lock:
            self.sessions[session_id].update(fields)

    def mark_paid(self, session_id: str) -> None:
        """The customer paid, but their browser never came back (closed tab, crash)."""
        self.update(session_id, status="complete", payment_status="paid")

    def mark_processing(self, session_id: str) -> None:
        """The customer chose a delayed method (bank debit): complete, money not arrived yet."""
        self.update(session_id, status="complete", payment_status="unpaid")

    def clear_payment(self, session_id: str) -> None:
        """A delayed payment arrived (Stripe's checkout.session.async_payment_succeeded)."""
        with self._lock:
            session = self.sessions[session_id]
            assert (session["status"], session["payment_status"]) == ("complete", "unpaid")
            session["payment_status"] = "paid"

    def break_endpoint(self, method: str, path: str) -> None:
        """Answer `method path` with Stripe's 500 api_error (and no retry) until `repair()`."""
        with self._lock:
            self._broken.add((method.upper(), path))

    def repair(self) -> None:
        with self._lock:
            self._broken.clear()

    def session(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self.sessions[session_id])

    def only_session(self) -> dict[str, Any]:
        with self._lock:
            assert len(self.sessions) == 1, list(self.sessions)
            return dict(next(iter(self.sessions.values())))

    def pay_page_url(self, session_id: str) -> str:
        return f"{self.base_url}/pay/{session_id}"

    # --- objects -------------------------------------------------------------------------------

    def _new_session(
        self,
        *,
        amount_total: int,
        currency: str,
        client_reference_id: str | None,
        metadata: Mapping[str, str],
        success_url: str,
        cancel_url: str,
    ) -> dict[str, Any]:
        session_id = "cs_test_" + secrets.token_hex(16)
        return {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount_total,
            "currency": currency,
            "client_reference_id": client_reference_id,
            "metadata": dict(metadata),
            "success_url": success_url,
            "cancel_url": cancel_url,
            "url": f"{self.base_url}/pay/{session_id}",
            "created": int(time.time()),
            "livemode": False,
        }

    # --- HTTP ----------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth_middleware])
        app.router.add_post("/v1/checkout/sessions", self._create)
        app.router.add_get("/v1/checkout/sessions", self._list)
        app.router.add_get("/v1/checkout/sessions/{id}", self._retrieve)
        app.router.add_post("/v1/checkout/sessions/{id}/expire", self._expire)
        app.router.add_get("/pay/{id}", self._pay_page)
        app.router.add_post("/pay/{id}/pay", self._pay)
        app.router.add_post("/pay/{id}/pay_delayed", self._pay_delayed)
        app.router.add_post("/pay/{id}/cancel", self._cancel)
        return app

    @web.middleware
    async def _auth_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)  # type: ignore[no-any-return]
        params: dict[str, Any] = unflatten(request.query)
        if request.method == "POST":
            params = unflatten(await request.post())
        auth = request.headers.get("Authorization")
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    request.method,
                    request.path,
                    params,
                    auth,
                    request.headers.get("Idempotency-Key"),
                )
            )
        if auth != f"Bearer {self.api_key}":
            return error(401, "Invalid API Key provided: sk_****", "invalid_request_error")
        with self._lock:
            broken = (request.method, request.path) in self._broken
        if broken:
            response = error(500, "An unknown error occurred.", "api_error")
            response.headers["Stripe-Should-Retry"] = "false"  # keeps the tests quick
            return response
        request[_PARAMS] = params
        return await handler(request)  # type: ignore[no-any-return]

    async def _create(self, request: web.Request) -> web.Response:
        params: dict[str, Any] = request[_PARAMS]
        key = request.headers.get("Idempotency-Key")
        with self._lock:
            if key and key in self._idempotent:
                return web.json_response(self.sessions[self._idempotent[key]])
        for required in ("success_url", "line_items", "mode"):
            if required not in params:
                return error(400, f"Missing required param: {required}.", param=required)
        amount = 0
        currency = ""
        for item in params["line_items"]:
            quantity = int(item.get("quantity", 1))
            if "price" in item:
                if item["price"] not in self.prices:
                    return error(400, f"No such price: '{item['price']}'", code="resource_missing")
                unit, currency = self.prices[item["price"]]
            else:
                data = item["price_data"]
                unit, currency = int(data["unit_amount"]), data["currency"]
            amount += unit * quantity
        session = self._new_session(
            amount_total=amount,
            currency=currency,
            client_reference_id=params.get("client_reference_id"),
            metadata=params.get("metadata", {}),
            success_url=params["success_url"],
            cancel_url=params.get("cancel_url", ""),
        )
        with self._lock:
            self.sessions[session["id"]] = session
            if key:
                self._idempotent[key] = session["id"]
        return web.json_response(session)

    async def _retrieve(self, request: web.Request) -> web.Response:
        with self._lock:
            session = self.sessions.get(request.match_info["id"])
        if session is None:
            return missing(request.match_info["id"])
        return web.json_response(session)

    async def _list(self, request: web.Request) -> web.Response:
        params: dict[str, Any] = request[_PARAMS]
        limit = int(params.get("limit", 10))
        created_gte = int(params.get("created", {}).get("gte", 0))
        with self._lock:
            # Newest first, like Stripe; ties keep creation order reversed.
            ordered = sorted(self.sessions.values(), key=lambda s: s["created"], reverse=True)
        ordered = [s for s in ordered if s["created"] >= created_gte]
        after = params.get("starting_after")
        if after:
            ids = [s["id"] for s in ordered]
            if after not in ids:
                return missing(after)
            ordered = ordered[ids.index(after) + 1 :]
        page = ordered[:limit]
        return web.json_response(
            {
                "object": "list",
                "url": "/v1/checkout/sessions",
                "has_more": len(ordered) > limit,
                "data": page,
            }
        )

    async def _expire(self, request: web.Request) -> web.Response:
        session_id = request.match_info["id"]
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                return missing(session_id)
            if session["status"] != "open":
                return error(
                    400,
                    'Only Checkout Sessions with a status in ["open"] can be expired.',
                    code="checkout_session_not_open",
                )
            session["status"] = "expired"
            return web.json_response(dict(session))

    async def _pay_page(self, request: web.Request) -> web.Response:
        session_id = request.match_info["id"]
        with self._lock:
            session = self.sessions.get(session_id)
        if session is None:
            return web.Response(status=404, text="No such checkout page.")
        quoted = html.escape(session_id, quote=True)
        amount = f"{session['amount_total'] / 100:.2f} {html.escape(session['currency'].upper())}"
        autopay = (
            "<script>document.getElementById('pay').click()</script>"
            if request.query.get("autopay") == "1"
            else ""
        )
        body = (
            "<!doctype html><html><head><title>Fake Checkout</title></head><body>"
            f"<h1>Pay {amount}</h1><p id='status'>{html.escape(session['status'])}</p>"
            f"<form method='post' action='/pay/{quoted}/pay'>"
            "<button id='pay' type='submit'>Pay</button></form>"
            f"<form method='post' action='/pay/{quoted}/pay_delayed'>"
            "<button id='pay_delayed' type='submit'>Pay by bank debit</button></form>"
            f"<form method='post' action='/pay/{quoted}/cancel'>"
            "<button id='cancel' type='submit'>Cancel</button></form>"
            f"{autopay}</body></html>"
        )
        return web.Response(text=body, content_type="text/html")

    async def _pay(self, request: web.Request) -> web.Response:
        return self._complete(request.match_info["id"], "paid")

    async def _pay_delayed(self, request: web.Request) -> web.Response:
        return self._complete(request.match_info["id"], "unpaid")

    def _complete(self, session_id: str, payment_status: str) -> web.Response:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None or session["status"] != "open":
                return web.Response(status=410, text="This checkout page is no longer open.")
            session["status"] = "complete"
            session["payment_status"] = payment_status
            target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        raise web.HTTPSeeOther(target)

    async def _cancel(self, request: web.Request) -> web.Response:
        with self._lock:
            session = self.sessions.get(request.match_info["id"])
        if session is None:
            return web.Response(status=404, text="No such checkout page.")
        raise web.HTTPSeeOther(session["cancel_url"])


def error(
    status: int,
    message: str,
    kind: str = "invalid_request_error",
    *,
    code: str | None = None,
    param: str | None = None,
) -> web.Response:
    body: dict[str, Any] = {"type": kind, "message": message}
    if code:
        body["code"] = code
    if param:
        body["param"] = param
    return web.json_response({"error": body}, status=status)


def missing(session_id: str) -> web.Response:
    return error(
        404,
        f"No such checkout.session: '{session_id}'",
        code="resource_missing",
        param="session",
    )


def unflatten(form: Mapping[str, Any]) -> dict[str, Any]:
    """`line_items[0][price_data][currency]=usd` -> {"line_items": [{"price_data": {...}}]}."""
    root: dict[str, Any] = {}
    for flat_key, value in form.items():
        head = flat_key.split("[", 1)[0]
        parts = [head, *_INDEX.findall(flat_key[len(head) :])]
        node: Any = root
        for part, following in zip(parts, [*parts[1:], None], strict=True):
            key: Any = int(part) if isinstance(node, list) else part
            if following is None:
                _put(node, key, value)
                break
            child = _get(node, key)
            if child is None:
                child = [] if following.isdigit() else {}
                _put(node, key, child)
            node = child
    return root


def _get(node: Any, key: Any) -> Any:
    if isinstance(node, list):
        return node[key] if key < len(node) else None
    return node.get(key)


def _put(node: Any, key: Any, value: Any) -> None:
    if isinstance(node, list):
        while len(node) <= key:
            node.append(None)
        node[key] = value
    else:
        node[key] = value


class FakeStripeServer:
    """Runs a FakeStripe on 127.0.0.1 in a thread; `start()` returns once it accepts requests."""

    def __init__(self, fake: FakeStripe | None = None) -> None:
        self.fake = fake or FakeStripe()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    def start(self) -> FakeStripe:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self.fake

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.fake.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.fake.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


_FORM = re.compile(r"<form method='post' action='([^']+)'><button id='(\w+)'")


async def browser_submit(page_url: str, button: str = "pay") -> tuple[int, str, str]:
    """Act as the customer's browser: open the checkout page, press `button`, follow redirects.

    Returns the final status, URL and body (the loopback server's page after a redirect).
    """
    import aiohttp
    from yarl import URL

    async with aiohttp.ClientSession() as browser:
        async with browser.get(page_url) as response:
            response.raise_for_status()
            forms = {name: action for action, name in _FORM.findall(await response.text())}
        action = str(response.url.join(URL(forms[button])))
        async with browser.post(action) as response:
            return response.status, str(response.url), await response.text()
