"""A real browser pays: headless Chromium clicks Pay on the fake Checkout page, follows Stripe's
redirect to the loopback server, and the purchase is credited.

Chromium is driven over the DevTools protocol (its websocket, with aiohttp), so no browser
automation package is needed. The flags keep it off every network but the loopback one.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from fakes.stripe_server import FakeStripe
from imgdesk.core.account import LocalAccount, Outcome
from imgdesk.core.callback_server import BrowserPurchase
from imgdesk.core.paths import app_paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (.ci/run installs it with apt-get)",
)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
    "--remote-debugging-port=0",
)


class DevTools:
    """Just enough of the Chrome DevTools Protocol: send a command, get its result."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        await self._socket.send_json({"id": call_id, "method": method, "params": params})
        async for message in self._socket:
            reply = json.loads(message.data)
            if reply.get("id") == call_id:
                assert "error" not in reply, reply
                result: dict[str, Any] = reply["result"]
                return result
        raise AssertionError("DevTools closed the connection")

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        async with asyncio.timeout(timeout):
            while not (value := await self.evaluate(expression)):
                await asyncio.sleep(0.05)
        return value


async def _devtools_port(profile: Path, timeout: float = 30.0) -> int:
    marker = profile / "DevToolsActivePort"
    async with asyncio.timeout(timeout):
        while not marker.exists() or not marker.read_text().strip():
            await asyncio.sleep(0.05)
    return int(marker.read_text().splitlines()[0])


async def test_headless_chromium_pays_and_lands_on_the_loopback_server(
    fake_stripe: FakeStripe, tmp_path: Path
) -> None:
    account = LocalAccount.open(app_paths())
    purchase = BrowserPurchase(account, "starter", poll_interval=60)
    pending = await purchase.start()
    waiter = asyncio.create_task(purchase.wait())
    profile = tmp_path / "chromium-profile"
    browser = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        port = await _devtools_port(profile)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as socket:
                tools = DevTools(socket)
                await tools.call("Page.navigate", url=pending.url)
                await tools.wait_for("document.querySelector('#pay') !== null")
                await tools.evaluate("document.querySelector('#pay').click()")
                landed = await tools.wait_for(
                    "document.querySelector('#message') && "
                    "[location.href, document.querySelector('#message').textContent]"
                )
        result = await asyncio.wait_for(waiter, 20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            browser.kill()
        await browser.wait()
        if not waiter.done():
            waiter.cancel()
        await account.aclose()
    href, message = landed
    session_id = fake_stripe.only_session()["id"]
    assert href == (
        f"{purchase.server.return_url}/success?session_id={session_id}&state={pending.state}"
    )
    assert message == "Payment received: 500 credits were added."
    assert result.outcome is Outcome.CREDITED
    reopened = LocalAccount.open(app_paths())
    try:
        assert await reopened.balance() == 500
    finally:
        await reopened.aclose()
