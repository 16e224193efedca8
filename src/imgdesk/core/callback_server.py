"""The loopback server that receives the browser back from Stripe Checkout, and the purchase flow.

aiohttp's web server runs in the app's own event loop (qasync's in the GUI), bound to 127.0.0.1 on
a port the OS picks, and only while one purchase waits. It answers GET on
/<random token>/success and /<random token>/cancel and nothing else; a Host header other than
127.0.0.1:<port> is refused, so a web page cannot reach it through DNS rebinding. What it
receives is a hint: the account verifies every claim with Stripe before crediting anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from imgdesk.core.account import Account, Outcome, PendingPurchase, PurchaseResult
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("imgdesk.callback")

LOOPBACK = "127.0.0.1"
PURCHASE_TIMEOUT_S = 30 * 60
POLL_INTERVAL_S = 10.0
CONTEXT = "callback"  # translate() context of the page; markers repeat it literally for lupdate

Handler = Callable[[str, dict[str, str]], Awaitable[PurchaseResult]]

_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


class CallbackServer:
    """One loopback listener with one random path token. `start()`, then `aclose()`."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self.token = secrets.token_urlsafe(24)
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def return_url(self) -> str:
        """Where Checkout sends the browser back to, without the /success or /cancel part."""
        return f"http://{LOOPBACK}:{self.port}/{self.token}"

    async def start(self) -> None:
        # aiohttp is imported when a purchase starts, not with the window (see checkout.py).
        from aiohttp import web

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._respond)
        # Binding the socket ourselves gives the port without reaching into aiohttp internals.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((LOOPBACK, 0))
        except OSError as error:
            sock.close()
            raise ImgdeskError(
                ErrorKind.NETWORK,
                QT_TRANSLATE_NOOP(
                    "errors",
                    "imgdesk could not listen for the payment page's answer on this computer.",
                ),
                detail=repr(error),
            ) from error
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        log.info("payment callback listening on port %d", self.port)

    async def aclose(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _respond(self, request: web.Request) -> web.Response:
        if request.headers.get("Host", "") != f"{LOOPBACK}:{self.port}":
            return page(
                421,
                QT_TRANSLATE_NOOP("callback", "Wrong address"),
                QT_TRANSLATE_NOOP("callback", "This page only answers on the loopback address."),
            )
        if request.method != "GET":
            response = page(
                405,
                QT_TRANSLATE_NOOP("callback", "Not allowed"),
                QT_TRANSLATE_NOOP("callback", "This page only answers to a browser opening it."),
            )
            response.headers["Allow"] = "GET"
            return response
        parts = request.path.strip("/").split("/")
        if (
            len(parts) != 2
            or not hmac.compare_digest(parts[0].encode(), self.token.encode())
            or parts[1] not in ("success", "cancel")
        ):
            return page(
                404,
                QT_TRANSLATE_NOOP("callback", "Not found"),
                QT_TRANSLATE_NOOP(
                    "callback", "This address does not belong to a purchase in progress."
                ),
            )
        query = {key: request.query.getone(key) for key in request.query}
        try:
            result = await self._handler(parts[1], query)
        except ImgdeskError as error:
            return page(
                502,
                QT_TRANSLATE_NOOP("callback", "Could not check the payment"),
                error.localized(),
            )
        title = {
            Outcome.CREDITED: QT_TRANSLATE_NOOP("callback", "Payment received"),
            Outcome.ALREADY_CREDITED: QT_TRANSLATE_NOOP("callback", "Already added"),
            Outcome.CANCELLED: QT_TRANSLATE_NOOP("callback", "Purchase cancelled"),
            Outcome.EXPIRED: QT_TRANSLATE_NOOP("callback", "Payment page expired"),
            Outcome.PENDING: QT_TRANSLATE_NOOP("callback", "Payment not completed"),
            Outcome.PROCESSING: QT_TRANSLATE_NOOP("callback", "Payment being processed"),
        }.get(result.outcome, QT_TRANSLATE_NOOP("callback", "No credits added"))
        status = 200 if result.outcome is not Outcome.REFUSED else 400
        return page(status, title, result.message)


def page(status: int, title: str, message: str) -> web.Response:
    """A small self-contained page in the app's language; everything in it is escaped.

    `title` and `message` are English; sentences marked QT_TRANSLATE_NOOP("callback", ...) are
    shown translated, anything else (a sentence with numbers in it) as it is.
    """
    from aiohttp import web

    # The page's language code is itself a translation ("en" -> "de"), so it follows the app's.
    lang = translate(CONTEXT, QT_TRANSLATE_NOOP("callback", "en"))
    title = translate(CONTEXT, title)
    message = translate(CONTEXT, message)
    footer = translate(
        CONTEXT, QT_TRANSLATE_NOOP("callback", "You can close this tab and return to imgdesk.")
    )
    body = (
        f"<!doctype html><html lang='{html.escape(lang)}'><head><meta charset='utf-8'>"
        f"<title>imgdesk: {html.escape(title)}</title></head>"
        "<body style='font-family: sans-serif; max-width: 36em; margin: 4em auto'>"
        f"<h1>{html.escape(title)}</h1><p id='message'>{html.escape(message)}</p>"
        f"<p>{html.escape(footer)}</p></body></html>"
    )
    return web.Response(status=status, text=body, content_type="text/html", headers=_HEADERS)


class BrowserPurchase:
    """One purchase through the browser, from the loopback server to credits or a clear end.

    `start()` opens the server and the Checkout session; `wait()` returns once the purchase is
    credited, cancelled or expired, or paid by a delayed method that reconciliation will credit
    when it clears, asking Stripe every `poll_interval` seconds in case the redirect never comes;
    after `timeout` it cancels. The server is closed whenever it returns.
    """

    def __init__(
        self,
        account: Account,
        pack_id: str,
        *,
        timeout: float = PURCHASE_TIMEOUT_S,
        poll_interval: float = POLL_INTERVAL_S,
    ) -> None:
        self._account = account
        self._pack_id = pack_id
        self._timeout = timeout
        self._poll_interval = poll_interval
        self._server = CallbackServer(self._on_callback)
        self._done: asyncio.Future[PurchaseResult] | None = None
        self.pending: PendingPurchase | None = None

    @property
    def server(self) -> CallbackServer:
        return self._server

    async def start(self) -> PendingPurchase:
        self._done = asyncio.get_running_loop().create_future()
        await self._server.start()
        try:
            self.pending = await self._account.start_purchase(
                self._pack_id, self._server.return_url
            )
        except BaseException:
            await self._server.aclose()
            raise
        return self.pending

    async def wait(self) -> PurchaseResult:
        assert self._done is not None, "start() first"
        assert self.pending is not None, "start() first"
        try:
            async with asyncio.timeout(self._timeout):
                while not self._done.done():
                    # shield: the poll timing out must not cancel the shared future.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(self._done), self._poll_interval)
                    if not self._done.done():
                        await self._poll()
            return self._done.result()
        except TimeoutError:
            return await self.cancel()
        finally:
            await self._server.aclose()

    async def cancel(self) -> PurchaseResult:
        """The user gave up in the app (or time ran out): close the page so it cannot be paid."""
        assert self.pending is not None, "start() first"
        try:
            result = await self._account.cancel_purchase(self.pending.purchase_id)
        finally:
            await self._server.aclose()
        self._finish(result)
        return result

    async def _poll(self) -> None:
        assert self.pending is not None
        try:
            result = await self._account.check_purchase(self.pending.purchase_id)
        except ImgdeskError as error:
            log.info("payment check failed (%s); will retry", error.kind)
            return
        if result.settled_for_now:
            self._finish(result)

    async def _on_callback(self, kind: str, query: dict[str, str]) -> PurchaseResult:
        pending = self.pending
        state = query.get("state", "")
        if pending is None or not hmac.compare_digest(state.encode(), pending.state.encode()):
            return PurchaseResult(
                Outcome.REFUSED,
                QT_TRANSLATE_NOOP(
                    "callback", "This link does not belong to the purchase in progress."
                ),
            )
        if kind == "cancel":
            result = await self._account.cancel_purchase(pending.purchase_id)
        else:
            result = await self._account.fulfil(query.get("session_id", ""), state)
        if result.settled_for_now:
            self._finish(result)
        return result

    def _finish(self, result: PurchaseResult) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(result)
