"""A fake OpenAI Images API on 127.0.0.1 for tests, driven by the real `openai` client.

It runs an aiohttp app on its own event loop in a background thread, so sync tests, async tests,
Qt tests and CLI subprocesses can all talk to it. Every request is validated like the real endpoint
(see openapi_validation.py) and recorded; answers come back at the requested size with the whole
picture drifting slightly and the masked area visibly changed, optionally streamed as server-sent
events. `inject()` queues faults that the next requests meet.

Decoding uploads to validate them, drawing and encoding answers all run in the loop's worker
threads, so the loop keeps accepting requests and noticing hang-ups while they happen.
`FakeOpenAIServer(render="fast")` is for benchmarks: it answers with a striped picture drawn once
per size (see `openai_render.fast_variant`), so the server costs almost no CPU per request and a
benchmark measures the client, not the fake. Validation is the same in both modes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from PIL import Image

from fakes.openai_faults import FAULTS, Fault, answers_with_error, fault_error, moderation_error
from fakes.openai_render import (
    encode,
    fast_variant,
    preview,
    render_variant,
    split_usage,
    usage_for,
)
from fakes.openapi_validation import (
    ApiError,
    EditRequest,
    UploadedFile,
    field_schema,
    parse_multipart,
    validate_edit,
)


@dataclass(frozen=True)
class RecordedFile:
    field: str
    filename: str | None
    mime: str
    size: int


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # without Authorization
    fields: dict[str, str]
    files: tuple[RecordedFile, ...]
    had_auth: bool


class FakeOpenAIServer:
    """Start with `start()`, stop with `stop()`; `base_url` ends in /v1 like the real API."""

    RENDER_MODES = ("full", "fast")

    def __init__(self, *, render: str = "full") -> None:
        """`render="fast"` answers with pictures drawn once per size (for benchmarks only)."""
        if render not in self.RENDER_MODES:
            raise ValueError(f"unknown render mode {render!r}; choose full or fast")
        self.fast = render == "fast"
        self.requests: list[RecordedRequest] = []
        self.disconnects = 0  # clients that hung up while an answer was still pending
        self._faults: list[Fault] = []
        self._lock = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        field_schema()  # reading the 3 MB spec takes a moment; do it before the first request
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def serve() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._start_site())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="fake-openai", daemon=True)
        self._thread.start()
        if not ready.wait(30):
            raise RuntimeError("fake OpenAI server did not start")
        return self

    async def _start_site(self) -> None:
        # Room for 16 images of up to 50 MB each, like the real endpoint.
        app = web.Application(client_max_size=1024**3)
        app.router.add_post("/v1/images/edits", self._handle_edit)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        self._loop = self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- test controls ---------------------------------------------------------------------
    def inject(self, fault: str, count: int = 1, **opts: Any) -> None:
        """The next `count` requests meet `fault` (see FAULTS); faults queue in order."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
        with self._lock:
            self._faults.append(Fault(fault, count, opts))

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.disconnects = 0

    def wait_for(self, *, requests: int = 0, disconnects: int = 0, timeout: float = 10) -> bool:
        """Block until the server has seen that many requests and hang-ups."""
        with self._lock:
            return self._lock.wait_for(
                lambda: len(self.requests) >= requests and self.disconnects >= disconnects, timeout
            )

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.pop(0)
            return fault

    # ---- the endpoint ----------------------------------------------------------------------
    async def _handle_edit(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()  # a "slow" model's latency counts from here
        request_id = f"req_{uuid.uuid4().hex}"
        auth = request.headers.get("Authorization", "")
        try:
            raw_fields, files = await _read_multipart(request)
        except ApiError as error:
            return _error_response(error, request_id)
        with self._lock:
            self.requests.append(_record(request, raw_fields, files, bool(auth)))
            self._lock.notify_all()
        fault = self._take_fault()
        if fault is not None and answers_with_error(fault, raw_fields):
            return _error_response(fault_error(fault, raw_fields, auth), request_id)
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            return _error_response(
                ApiError(401, "You didn't provide an API key.", None, None), request_id
            )
        try:
            # Validation decodes every upload (tens of milliseconds for a photo): off the loop.
            edit = await asyncio.to_thread(validate_edit, raw_fields, files)
        except ApiError as error:
            return _error_response(error, request_id)
        seconds = float(fault.opts.get("seconds", 5)) if fault and fault.name == "slow" else 0
        if edit.fields.get("stream") is True:
            if seconds and not await self._wait_watching(request, arrived + seconds):
                return web.Response(status=499)
            return await _stream_answer(request, edit, fault, request_id, fast=self.fast)
        # The answer is drawn while the model "thinks", as the real service's is: a slow model's
        # answer leaves on time instead of a drawing later (the first answers of a size in fast
        # mode took 0.5 s more, while 8 threads each drew the picture the cache would hold).
        body = asyncio.ensure_future(asyncio.to_thread(_json_body, edit, fault, self.fast))
        try:
            if seconds and not await self._wait_watching(request, arrived + seconds):
                return web.Response(status=499)
            if fault is not None and fault.name == "drop":
                _hang_up(request)
                return web.Response(status=499)
            text = await body
        finally:
            body.cancel()  # an answer nobody will read (done already: harmless)
        return web.Response(
            text=text, content_type="application/json", headers={"x-request-id": request_id}
        )

    async def _wait_watching(self, request: web.Request, deadline: float) -> bool:
        """Sleep like a slow model until `deadline` (monotonic), noticing when the client hangs
        up; False if it did. The latency includes reading and checking the upload, as a real
        service's would, and ends on time rather than up to one polling step late."""
        while (left := deadline - time.monotonic()) > 0:
            transport = request.transport
            if transport is None or transport.is_closing():
                with self._lock:
                    self.disconnects += 1
                    self._lock.notify_all()
                return False
            await asyncio.sleep(min(0.02, left))
        return True


async def _read_multipart(request: web.Request) -> tuple[dict[str, str], list[UploadedFile]]:
    # aiohttp's streaming multipart reader emits a DeprecationWarning (unread_data) whenever a
    # chunk straddles a boundary, which warnings-as-errors turns into random 500s; the body is
    # small enough to buffer and split here instead.
    body = await request.read()
    # Splitting copies every upload (up to 16 x 50 MB); off the loop like the rest of the work.
    return await asyncio.to_thread(parse_multipart, request.headers.get("Content-Type", ""), body)


def _record(
    request: web.Request, raw_fields: dict[str, str], files: list[UploadedFile], had_auth: bool
) -> RecordedRequest:
    headers = {k.lower(): v for k, v in request.headers.items() if k.lower() != "authorization"}
    recorded = tuple(RecordedFile(f.field, f.filename, f.mime, len(f.data)) for f in files)
    return RecordedRequest(
        request.method, request.path, headers, dict(raw_fields), recorded, had_auth
    )


def _error_response(error: ApiError, request_id: str) -> web.Response:
    headers = {"x-request-id": request_id, **error.headers}
    return web.json_response(error.body(), status=error.status, headers=headers)


def _hang_up(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


# ---- answers ---------------------------------------------------------------------------------
_FAST_DRAWING = threading.Lock()


# Everything that costs CPU (drawing, encoding, base64, JSON) runs in worker threads via these.
def _outputs(edit: EditRequest, fault: Fault | None, fast: bool) -> list[bytes]:
    count = int(edit.fields.get("n") or 1)
    if fault is not None and fault.name == "short":
        count -= 1
    if fault is not None and fault.name == "garbage":
        return [b"this is not an image" * 10 for _ in range(count)]
    if fast:
        # One thread draws a size's picture; the others wait for it instead of drawing it too.
        with _FAST_DRAWING:
            return [fast_variant(edit, i) for i in range(count)]
    return [encode(render_variant(edit, i), edit) for i in range(count)]


def _meta(edit: EditRequest) -> dict[str, Any]:
    return {
        "background": "transparent" if edit.fields.get("background") == "transparent" else "opaque",
        "output_format": edit.fields.get("output_format") or "png",
        "quality": edit.fields.get("quality") or "medium",
        "size": f"{edit.size[0]}x{edit.size[1]}",
    }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _json_body(edit: EditRequest, fault: Fault | None, fast: bool) -> str:
    body = {
        "created": int(time.time()),
        "data": [{"b64_json": _b64(data)} for data in _outputs(edit, fault, fast)],
        "usage": usage_for(edit, int(edit.fields.get("n") or 1), 0),
        **_meta(edit),
    }
    return json.dumps(body)


def _event(event: str, meta: dict[str, Any], payload: dict[str, Any]) -> bytes:
    data = json.dumps({"type": event, "created_at": int(time.time()), **meta, **payload})
    return f"event: {event}\ndata: {data}\n\n".encode()


def _partial_event(
    edit: EditRequest, first: Image.Image | None, step: int, steps: int, meta: dict[str, Any]
) -> bytes:
    # The fast answer's preview is the answer itself: benchmarks only need its size and cost.
    image = fast_variant(edit, 0) if first is None else encode(preview(first, step, steps), edit)
    payload = {"b64_json": _b64(image), "partial_image_index": step}
    return _event("image_edit.partial_image", meta, payload)


def _completed_events(
    edit: EditRequest, fault: Fault | None, fast: bool, partials: int, meta: dict[str, Any]
) -> list[bytes]:
    variants = int(edit.fields.get("n") or 1)
    total = usage_for(edit, variants, partials)
    return [
        _event(
            "image_edit.completed",
            meta,
            {"b64_json": _b64(data), "usage": split_usage(total, edit, variants, index)},
        )
        for index, data in enumerate(_outputs(edit, fault, fast))
    ]


async def _stream_answer(
    request: web.Request, edit: EditRequest, fault: Fault | None, request_id: str, *, fast: bool
) -> web.StreamResponse:
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "x-request-id": request_id}
    )
    await response.prepare(request)
    partials = int(edit.fields.get("partial_images") or 0)
    meta = _meta(edit)
    first = None if fast else await asyncio.to_thread(render_variant, edit, 0)

    for step in range(partials):
        await response.write(
            await asyncio.to_thread(_partial_event, edit, first, step, partials, meta)
        )
        if fault is not None and fault.name == "drop":
            _hang_up(request)
            return response
    if fault is not None and fault.name == "moderation_output":
        payload = json.dumps({"type": "error", **moderation_error("output").body()})
        await response.write(f"event: error\ndata: {payload}\n\n".encode())
        await response.write_eof()
        return response
    if fault is None or fault.name != "no_completed":
        events = await asyncio.to_thread(_completed_events, edit, fault, fast, partials, meta)
        for event in events:
            await response.write(event)
    await response.write_eof()
    return response
