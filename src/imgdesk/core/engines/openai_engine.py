"""The OpenAI engine: one planned edit through `images.edit` of the official `openai` client.

It sends only what the user chose or the model needs (the API's defaults cover the rest), streams
partial images when asked, and reports every failure as exactly one Failed event carrying an
ImgdeskError. Cancelling the consuming task cancels the HTTP request: CancelledError is never
caught here.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
from collections.abc import AsyncGenerator
from typing import Any

import httpx2
import openai
from openai.types.image_edit_completed_event import ImageEditCompletedEvent
from openai.types.image_edit_partial_image_event import ImageEditPartialImageEvent

from imgdesk.core import secrets
from imgdesk.core.catalog import load_catalog
from imgdesk.core.edit_types import (
    Completed,
    EditPlan,
    EngineEvent,
    Failed,
    PartialImage,
    Sending,
    Usage,
)
from imgdesk.core.engines.openai_errors import error_from_openai
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.settings import Settings

log = logging.getLogger("imgdesk.engines.openai")

CONNECT_TIMEOUT_S = 10.0
_MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "webp": (b"RIFF",),
}


class OpenAIEngine:
    name = "openai"
    metered = True

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 300.0,
        max_retries: int = 2,
    ) -> None:
        self._api_key = api_key
        self._client = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=base_url or None,
            timeout=httpx2.Timeout(timeout, connect=CONNECT_TIMEOUT_S),
            max_retries=max_retries,
        )

    async def aclose(self) -> None:
        await self._client.close()

    def __repr__(self) -> str:
        # Never the key: a repr ends up in logs and crash reports.
        return f"OpenAIEngine(base_url={str(self._client.base_url)!r})"

    async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        yield Sending()
        try:
            async with contextlib.aclosing(self._edit(plan)) as events:
                async for event in events:
                    yield event
        except Exception as exc:  # CancelledError is a BaseException and passes through
            error = error_from_openai(exc, model=plan.params.model, secrets=(self._api_key,))
            log.warning("edit failed: %s (%s)", error.kind.value, error.detail or error.message)
            yield Failed(error)

    async def _edit(self, plan: EditPlan) -> AsyncGenerator[PartialImage | Completed, None]:
        arguments = request_arguments(plan)
        expected_format = str(arguments.get("output_format", "png"))
        if arguments.pop("stream", False):
            stream = await self._client.images.edit(stream=True, **arguments)
            images: list[bytes] = []
            usage: Usage | None = None
            try:
                async for event in stream:
                    if isinstance(event, ImageEditPartialImageEvent):
                        image = await _decode_off_loop(event.b64_json, expected_format)
                        yield PartialImage(event.partial_image_index, image)
                    elif isinstance(event, ImageEditCompletedEvent):
                        images.append(await _decode_off_loop(event.b64_json, expected_format))
                        event_usage = _usage(event.usage)
                        usage = event_usage if usage is None else usage + event_usage
            finally:
                await stream.close()
            yield _completed(plan, images, usage)
        else:
            response = await self._client.images.edit(**arguments)
            images = [
                await _decode_off_loop(item.b64_json or "", expected_format)
                for item in response.data or ()
            ]
            yield _completed(plan, images, _usage(response.usage) if response.usage else None)


def request_arguments(plan: EditPlan) -> dict[str, Any]:
    """Keyword arguments for `images.edit`: only what differs from the API's defaults."""
    params = plan.params
    images: list[tuple[str, bytes, str]] = [("image.png", plan.image_png, "image/png")]
    images += [(ref.name, ref.data, ref.mime) for ref in plan.references]
    arguments: dict[str, Any] = {
        "image": images,
        "prompt": params.prompt,
        "model": params.model,
        "size": plan.size_param,
    }
    if plan.mask_png:
        arguments["mask"] = ("mask.png", plan.mask_png, "image/png")
    if params.n != 1:
        arguments["n"] = params.n
    if params.quality != "auto":
        arguments["quality"] = params.quality
    if params.output_format != "png":
        arguments["output_format"] = params.output_format
    if params.output_compression is not None and params.output_format in ("jpeg", "webp"):
        arguments["output_compression"] = params.output_compression
    if params.background != "auto":
        arguments["background"] = params.background
    model = load_catalog().models.get(params.model)
    # gpt-image-2 and its successors refuse input_fidelity outright; send it only where it exists.
    if params.input_fidelity is not None and (model is None or model.input_fidelity):
        arguments["input_fidelity"] = params.input_fidelity
    streaming = model.streaming if model is not None else True
    if params.partial_images > 0 and streaming:
        arguments["stream"] = True
        arguments["partial_images"] = params.partial_images
    return arguments


async def _decode_off_loop(b64: str, expected_format: str) -> bytes:
    # A 4K result is ~16 MB of base64: decoding it on the loop thread (the UI thread, under
    # qasync) would freeze the window for tens of milliseconds.
    return await asyncio.to_thread(_decode, b64, expected_format)


# Base64 characters decoded per step (a multiple of 4, about a millisecond of work). binascii
# holds the GIL for a whole call, so one call over a 16 MB string would stall the UI thread
# even from a worker thread; between steps the GIL is free to switch.
_B64_STEP = 1 << 18


def _b64decode(b64: str) -> bytes:
    """Exactly `base64.b64decode(b64, validate=True)`, in steps."""
    size = len(b64)
    if size <= _B64_STEP or size % 4 or b64.find("=", 0, size - 2) >= 0:
        # Only whole groups with padding at the very end split cleanly; anything else (small,
        # or malformed) takes one call, which gives the canonical result or error.
        return base64.b64decode(b64, validate=True)
    # Groups of 4 characters decode independently, so the steps' bytes join to the whole.
    parts = [
        base64.b64decode(b64[start : start + _B64_STEP], validate=True)
        for start in range(0, len(b64), _B64_STEP)
    ]
    return b"".join(parts)


def _decode(b64: str, expected_format: str) -> bytes:
    try:
        data = _b64decode(b64)
    except (binascii.Error, ValueError):
        data = b""
    if not data or not data.startswith(_MAGIC.get(expected_format, (b"",))):
        raise ImgdeskError(
            ErrorKind.SERVER,
            QT_TRANSLATE_NOOP(
                "errors",
                "OpenAI sent back something that is not an image. The edit can be retried.",
            ),
            action=Action.RETRY,
            detail=f"expected {expected_format}, got {len(data)} bytes starting {data[:8]!r}",
        )
    return data


def _usage(raw: Any) -> Usage:
    details = getattr(raw, "input_tokens_details", None)
    return Usage(
        input_tokens=int(raw.input_tokens),
        input_image_tokens=int(getattr(details, "image_tokens", 0) or 0),
        input_text_tokens=int(getattr(details, "text_tokens", 0) or 0),
        output_tokens=int(raw.output_tokens),
        total_tokens=int(raw.total_tokens),
    )


def _completed(plan: EditPlan, images: list[bytes], usage: Usage | None) -> Completed:
    if len(images) < plan.params.n:
        got = "no images" if not images else f"only {len(images)} of {plan.params.n} images"
        raise ImgdeskError.make(
            ErrorKind.SERVER,
            QT_TRANSLATE_NOOP("errors", "OpenAI sent back {got}. The edit can be retried."),
            action=Action.RETRY,
            detail=f"expected {plan.params.n} images, received {len(images)}",
            got=got,
        )
    return Completed(tuple(images), usage)


def engine_from_settings(settings: Settings) -> OpenAIEngine:
    """An engine with the user's key and endpoint; AUTH error when no key is set."""
    api_key = secrets.get_secret(secrets.OPENAI)
    if not api_key:
        raise ImgdeskError(
            ErrorKind.AUTH,
            QT_TRANSLATE_NOOP(
                "errors",
                "No OpenAI API key is set. Add one in Settings, or switch to the local engine.",
            ),
            action=Action.OPEN_SETTINGS,
        )
    base_url = settings.effective_base_url()
    return OpenAIEngine(
        api_key=api_key,
        base_url=base_url,
        timeout=settings.request_timeout_s,
        max_retries=settings.max_retries,
    )
