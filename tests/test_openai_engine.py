"""The OpenAI engine, driven through the real `openai` client against the fake Images server."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
from typing import Any

import numpy as np
import pytest
from PIL import Image

from fakes.openai_fixtures import sample_mask_png, sample_png
from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.edit_types import (
    Box,
    Completed,
    EditParams,
    EditPlan,
    EngineEvent,
    Failed,
    PartialImage,
    Reference,
    Sending,
)
from imgdesk.core.engines.openai_engine import OpenAIEngine, engine_from_settings
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.settings import Settings

WIDTH, HEIGHT = 1024, 640  # the smallest gpt-image-2 size with this aspect (655,360 px)
MASK_BOX = (256, 160, 512, 400)


def make_plan(**params: Any) -> EditPlan:
    references = params.pop("references", ())
    size = params.pop("request_size", (WIDTH, HEIGHT))
    return EditPlan(
        params=EditParams(prompt=params.pop("prompt", "a red balloon"), **params),
        image_size=size,
        crop=Box(0, 0, *size),
        request_size=size,
        image_png=sample_png(*size),
        mask_png=sample_mask_png(size[0], size[1], MASK_BOX),
        references=tuple(references),
    )


async def collect(engine: OpenAIEngine, plan: EditPlan) -> list[EngineEvent]:
    return [event async for event in engine.run(plan)]


@pytest.fixture
async def engine(openai_server: FakeOpenAIServer, sentinel_key: str) -> Any:
    engine = OpenAIEngine(api_key=sentinel_key, base_url=openai_server.base_url, max_retries=0)
    yield engine
    await engine.aclose()


def pixels(data: bytes) -> np.ndarray[Any, np.dtype[np.int16]]:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(np.int16)


def only_failure(events: list[EngineEvent]) -> ImgdeskError:
    assert events[0] == Sending()
    assert len(events) == 2, events
    failed = events[1]
    assert isinstance(failed, Failed)
    assert isinstance(failed.error, ImgdeskError)
    return failed.error


async def test_non_streaming_returns_three_distinct_variants(
    engine: OpenAIEngine, openai_server: FakeOpenAIServer
) -> None:
    events = await collect(engine, make_plan(n=3))

    assert [type(e) for e in events] == [Sending, Completed]
    completed = events[1]
    assert isinstance(completed, Completed)
    assert len(completed.images) == 3
    assert len(set(completed.images)) == 3
    original = pixels(sample_png(WIDTH, HEIGHT))
    left, top, right, bottom = MASK_BOX
    inside = np.zeros((HEIGHT, WIDTH), dtype=bool)
    inside[top:bottom, left:right] = True
    for data in completed.images:
        result = pixels(data)
        assert result.shape == (HEIGHT, WIDTH, 3)
        difference = np.abs(result - original).mean(axis=2)
        assert difference[~inside].mean() < 12  # the whole picture drifts a little
        assert difference[inside].mean() > 30  # the masked area really changed
    assert completed.usage is not None
    assert completed.usage.output_tokens > 0
    assert (
        completed.usage.total_tokens == completed.usage.input_tokens + completed.usage.output_tokens
    )

    sent = openai_server.requests[-1]
    assert sent.fields == {
        "prompt": "a red balloon",
        "model": "gpt-image-2",
        "n": "3",
        "size": "1024x640",
    }
    assert [(f.field, f.filename, f.mime) for f in sent.files] == [
        ("image[]", "image.png", "image/png"),
        ("mask", "mask.png", "image/png"),
    ]
    assert "authorization" not in sent.headers
    assert sent.had_auth


async def test_streaming_yields_partials_then_all_variants_with_summed_usage(
    engine: OpenAIEngine, openai_server: FakeOpenAIServer
) -> None:
    events = await collect(engine, make_plan(n=3, partial_images=2))

    assert [type(e) for e in events] == [Sending, PartialImage, PartialImage, Completed]
    partials = [e for e in events if isinstance(e, PartialImage)]
    assert [p.index for p in partials] == [0, 1]
    assert all(pixels(p.image).shape == (HEIGHT, WIDTH, 3) for p in partials)
    completed = events[-1]
    assert isinstance(completed, Completed)
    assert len(set(completed.images)) == 3
    assert openai_server.requests[-1].fields["stream"] == "true"
    assert openai_server.requests[-1].fields["partial_images"] == "2"

    # The usage of the three completed events adds up to what one non-streamed answer reports,
    # plus the partial images' tokens.
    whole = await collect(engine, make_plan(n=3))
    assert isinstance(whole[-1], Completed)
    streamed, single = completed.usage, whole[-1].usage
    assert streamed is not None
    assert single is not None
    assert streamed.input_tokens == single.input_tokens
    assert streamed.input_image_tokens == single.input_image_tokens
    assert streamed.output_tokens == single.output_tokens + 2 * 100


async def test_sends_only_chosen_parameters(
    engine: OpenAIEngine, openai_server: FakeOpenAIServer
) -> None:
    reference = Reference("style.jpg", _jpeg(64, 48), "image/jpeg")
    plan = make_plan(
        model="gpt-image-1.5",
        request_size=(1536, 1024),
        quality="high",
        output_format="jpeg",
        output_compression=70,
        background="opaque",
        input_fidelity="high",
        references=[reference],
    )
    events = await collect(engine, plan)

    completed = events[-1]
    assert isinstance(completed, Completed), events
    assert completed.images[0].startswith(b"\xff\xd8\xff")
    sent = openai_server.requests[-1]
    assert sent.fields == {
        "prompt": "a red balloon",
        "model": "gpt-image-1.5",
        "size": "1536x1024",
        "quality": "high",
        "output_format": "jpeg",
        "output_compression": "70",
        "background": "opaque",
        "input_fidelity": "high",
    }
    assert [(f.field, f.mime) for f in sent.files] == [
        ("image[]", "image/png"),
        ("image[]", "image/jpeg"),
        ("mask", "image/png"),
    ]


async def test_input_fidelity_is_left_out_for_gpt_image_2(
    engine: OpenAIEngine, openai_server: FakeOpenAIServer
) -> None:
    # The fake, like the API, refuses input_fidelity for gpt-image-2: success proves it is left out
    events = await collect(engine, make_plan(input_fidelity="high"))

    assert isinstance(events[-1], Completed), events
    assert "input_fidelity" not in openai_server.requests[-1].fields


FAULT_CASES = [
    # fault, inject options, kind, field, action
    ("auth", {}, ErrorKind.AUTH, None, Action.OPEN_SETTINGS),
    ("org_unverified", {}, ErrorKind.ORG_UNVERIFIED, "model", Action.SWITCH_MODEL),
    ("model_not_found", {}, ErrorKind.MODEL_UNAVAILABLE, "model", Action.SWITCH_MODEL),
    ("model_shut_down", {}, ErrorKind.MODEL_UNAVAILABLE, "model", Action.SWITCH_MODEL),
    ("model_shut_down", {"status": 404}, ErrorKind.MODEL_UNAVAILABLE, "model", Action.SWITCH_MODEL),
    ("moderation_input", {}, ErrorKind.MODERATION, None, None),
    ("moderation_output", {}, ErrorKind.MODERATION, None, None),
    ("invalid_param", {"param": "quality"}, ErrorKind.INVALID_REQUEST, "quality", None),
    ("invalid_mask", {}, ErrorKind.MASK, "mask", None),
    ("rate_limit", {"retry_after_ms": 2500}, ErrorKind.RATE_LIMIT, None, Action.RETRY),
    ("quota", {}, ErrorKind.QUOTA, None, None),
    ("billing", {}, ErrorKind.QUOTA, None, None),
    ("server", {"status": 503}, ErrorKind.SERVER, None, Action.RETRY),
    ("garbage", {}, ErrorKind.SERVER, None, Action.RETRY),
    ("short", {}, ErrorKind.SERVER, None, Action.RETRY),
    ("drop", {}, ErrorKind.NETWORK, None, Action.RETRY),
    ("echo_auth", {}, ErrorKind.INVALID_REQUEST, None, None),
]


@pytest.mark.parametrize(("fault", "opts", "kind", "field", "action"), FAULT_CASES)
async def test_each_fault_becomes_one_typed_failure(
    engine: OpenAIEngine,
    openai_server: FakeOpenAIServer,
    sentinel_key: str,
    fault: str,
    opts: dict[str, Any],
    kind: ErrorKind,
    field: str | None,
    action: Action | None,
) -> None:
    openai_server.inject(fault, **opts)

    error = only_failure(await collect(engine, make_plan(n=2)))

    assert (error.kind, error.field, error.action) == (kind, field, action)
    assert error.message.endswith(".")
    assert len(error.message) > 20
    assert sentinel_key not in f"{error.message} {error.detail} {error!s} {error!r}"
    if fault == "rate_limit":
        assert error.retry_after == pytest.approx(2.5)
    if fault.startswith("moderation_"):
        assert f"stage={fault.removeprefix('moderation_')}" in (error.detail or "")
    if fault in ("quota", "billing"):
        assert not error.retryable
    if fault == "model_shut_down":
        assert "GPT Image 2" in error.message  # names the model the user picked
    if fault not in ("garbage", "short", "drop"):
        assert "request_id=req_" in (error.detail or "")
    assert len(openai_server.requests) == 1  # max_retries=0: nothing was retried


async def test_shut_down_model_names_the_catalog_replacement(
    engine: OpenAIEngine, openai_server: FakeOpenAIServer
) -> None:
    # The fake knows on its own that gpt-image-1 is gone; the catalog names its successor.
    error = only_failure(
        await collect(engine, make_plan(model="gpt-image-1", request_size=(1024, 1024)))
    )

    assert error.kind is ErrorKind.MODEL_UNAVAILABLE
    assert "GPT Image 2.5 Sunburst" in error.message


@pytest.mark.parametrize(
    ("fault", "kind", "partials_before"),
    [
        ("drop", ErrorKind.NETWORK, 1),
        ("moderation_output", ErrorKind.MODERATION, 2),
        ("no_completed", ErrorKind.SERVER, 2),
    ],
)
async def test_stream_failures_after_partials(
    engine: OpenAIEngine,
    openai_server: FakeOpenAIServer,
    fault: str,
    kind: ErrorKind,
    partials_before: int,
) -> None:
    openai_server.inject(fault)

    events = await collect(engine, make_plan(n=2, partial_images=2))

    assert events[0] == Sending()
    assert [type(e) for e in events[1:-1]] == [PartialImage] * partials_before
    failed = events[-1]
    assert isinstance(failed, Failed)
    assert isinstance(failed.error, ImgdeskError)
    assert failed.error.kind is kind
    if kind is ErrorKind.NETWORK:
        assert "127.0.0.1" in failed.error.message


async def test_timeout_and_unreachable_host(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    openai_server.inject("slow", seconds=5)
    slow = OpenAIEngine(
        api_key=sentinel_key, base_url=openai_server.base_url, timeout=0.3, max_retries=0
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    nowhere = OpenAIEngine(
        api_key=sentinel_key, base_url=f"http://127.0.0.1:{closed_port}/v1", max_retries=0
    )
    try:
        timed_out = only_failure(await collect(slow, make_plan()))
        unreachable = only_failure(await collect(nowhere, make_plan()))
    finally:
        await slow.aclose()
        await nowhere.aclose()

    assert (timed_out.kind, timed_out.action) == (ErrorKind.TIMEOUT, Action.RETRY)
    assert (unreachable.kind, unreachable.action) == (ErrorKind.NETWORK, Action.RETRY)
    assert unreachable.message.startswith("imgdesk cannot reach 127.0.0.1.")


async def test_cancelling_mid_request_propagates_and_closes_the_connection(
    engine: OpenAIEngine, openai_server: FakeOpenAIServer
) -> None:
    openai_server.inject("slow", seconds=20)
    seen: list[EngineEvent] = []

    async def consume() -> None:
        async for event in engine.run(make_plan(partial_images=2)):
            seen.append(event)

    task = asyncio.create_task(consume())
    assert await asyncio.to_thread(openai_server.wait_for, requests=1, timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert seen == [Sending()]  # no Failed event for a cancellation
    assert await asyncio.to_thread(openai_server.wait_for, disconnects=1, timeout=10)


async def test_library_retries_a_server_error_then_succeeds(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    openai_server.inject("server", count=1)
    engine = OpenAIEngine(api_key=sentinel_key, base_url=openai_server.base_url, max_retries=1)
    try:
        events = await collect(engine, make_plan())
    finally:
        await engine.aclose()

    assert [type(e) for e in events] == [Sending, Completed]
    assert len(openai_server.requests) == 2


@pytest.mark.parametrize("fault", ["auth", "echo_auth", "invalid_param", "server", "drop"])
async def test_the_key_never_surfaces(
    openai_server: FakeOpenAIServer,
    sentinel_key: str,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    openai_server.inject(fault, param="prompt")
    engine = OpenAIEngine(api_key=sentinel_key, base_url=openai_server.base_url, max_retries=0)
    try:
        events = await collect(engine, make_plan(partial_images=1 if fault == "drop" else 0))
    finally:
        await engine.aclose()

    failed = events[-1]
    assert isinstance(failed, Failed)
    assert isinstance(failed.error, ImgdeskError)
    error = failed.error
    surfaces = [error.message, error.detail or "", str(error), repr(error), repr(failed)]
    surfaces += [caplog.text, repr(engine)]
    for text in surfaces:
        assert sentinel_key not in text
        assert sentinel_key[-8:] not in text  # nor the tail a masked key would show
    assert openai_server.requests[-1].had_auth  # the key really went out


async def test_engine_from_settings(
    openai_server: FakeOpenAIServer, sentinel_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ImgdeskError) as missing:
        engine_from_settings(Settings())
    assert (missing.value.kind, missing.value.action) == (ErrorKind.AUTH, Action.OPEN_SETTINGS)

    monkeypatch.setenv("OPENAI_API_KEY", sentinel_key)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    engine = engine_from_settings(Settings(max_retries=0))
    try:
        events = await collect(engine, make_plan())
    finally:
        await engine.aclose()
    assert isinstance(events[-1], Completed)
    assert len(openai_server.requests) == 1


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()
