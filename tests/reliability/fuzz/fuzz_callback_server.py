"""atheris target: the payment callback server under arbitrary requests.

Run (see README.md): python tests/reliability/fuzz/fuzz_callback_server.py -max_total_time=600

Each input becomes one HTTP request to a live `CallbackServer` on 127.0.0.1: a method, a path
that may or may not start with the server's secret token, a Host header that may or may not be
the loopback address, a query string and a body, all drawn from the input; a quarter of inputs
are sent as raw bytes instead. Findings: the purchase handler reached by a request that should
have been refused (wrong host, method, token or action), the server failing to answer a normal
request afterwards, or an unhandled exception in the server (logged by aiohttp, caught here).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import threading

import atheris
from aiohttp.http_exceptions import HttpProcessingError

with atheris.instrument_imports():
    from imgdesk.core.account import Outcome, PurchaseResult
    from imgdesk.core.callback_server import CallbackServer

TIMEOUT_S = 5.0
calls: list[tuple[str, dict[str, str]]] = []
server_errors: list[str] = []


class _Errors(logging.Handler):
    """Server-side exceptions, except aiohttp refusing malformed HTTP (it answers 400 and logs
    that at ERROR level too)."""

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if record.levelno >= logging.ERROR and not isinstance(error, HttpProcessingError):
            server_errors.append(f"{record.getMessage()}: {error!r}")


async def handler(kind: str, query: dict[str, str]) -> PurchaseResult:
    calls.append((kind, query))
    return PurchaseResult(Outcome.REFUSED, "fuzzing")


loop = asyncio.new_event_loop()
server = CallbackServer(handler)
threading.Thread(target=loop.run_forever, daemon=True).start()
asyncio.run_coroutine_threadsafe(server.start(), loop).result(TIMEOUT_S)
logging.getLogger("aiohttp").addHandler(_Errors())


def exchange(raw: bytes, timeout: float = TIMEOUT_S) -> bytes:
    """Send `raw` and read until the server closes; a server still waiting for more of a
    malformed request after `timeout` is fine (it is then disconnected)."""
    chunks = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(raw)
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    raw_mode = fdp.ConsumeIntInRange(0, 3) == 0
    good_host = f"127.0.0.1:{server.port}"
    expected_call = False
    if raw_mode:
        raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    else:
        method = fdp.PickValueInList(["GET", "POST", "HEAD", "PUT", "OPTIONS", "get"])
        host = good_host if fdp.ConsumeBool() else fdp.ConsumeUnicodeNoSurrogates(40)
        action = fdp.PickValueInList(["success", "cancel", "other", ""])
        token = server.token if fdp.ConsumeBool() else fdp.ConsumeUnicodeNoSurrogates(32)
        query = fdp.ConsumeUnicodeNoSurrogates(80)
        body = fdp.ConsumeBytes(fdp.remaining_bytes())
        path = f"/{token}/{action}?{query}"
        raw = (
            f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode("utf-8", "surrogateescape") + body
        expected_call = (
            method == "GET"
            and host == good_host
            and token == server.token
            and action in ("success", "cancel")
        )
    before = len(calls)
    exchange(raw, timeout=0.5)
    if len(calls) > before and not raw_mode and not expected_call:
        raise AssertionError(f"handler reached by a request it must refuse: {raw[:200]!r}")
    answer = exchange(
        f"GET /nothing HTTP/1.1\r\nHost: {good_host}\r\nConnection: close\r\n\r\n".encode()
    )
    if not answer.startswith(b"HTTP/1.1 404"):
        raise AssertionError(f"server stopped answering after {raw[:200]!r}: {answer[:100]!r}")
    if server_errors:
        raise AssertionError(f"server error after {raw[:200]!r}: {server_errors[-1]}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
