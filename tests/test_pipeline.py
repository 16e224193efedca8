"""The whole edit (plan → engine → composite) against the fake OpenAI server and offline."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core import masks
from imgdesk.core.edit_types import Box, EditParams
from imgdesk.core.engines.local_engine import LocalEngine
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.errors import ErrorKind
from imgdesk.core.pipeline import Failure, Preview, Result, Stage, run_edit
from imgdesk.core.sizing import default_feather


def _photo(width: int, height: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    pixels[..., 0] = (xx * 255 // max(width - 1, 1)).astype(np.uint8)
    pixels[..., 1] = (yy * 255 // max(height - 1, 1)).astype(np.uint8)
    pixels[..., 2] = rng.integers(0, 256, size=(height, width), dtype=np.uint8)
    pixels[..., 3] = 255
    return pixels


def _outside(mask: np.ndarray, result: Result) -> np.ndarray:
    """Pixels beyond the mask and its feather band: these must come back bit-identical."""
    return masks.feather(mask, default_feather(result.plan.crop)) == 0


async def _collect(events):  # type: ignore[no-untyped-def]
    return [event async for event in events]


def _engine(server: FakeOpenAIServer, key: str) -> OpenAIEngine:
    return OpenAIEngine(api_key=key, base_url=server.base_url, max_retries=0)


async def test_streamed_edit_gives_previews_then_full_resolution_variants(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    image = _photo(1800, 1200)
    mask = masks.from_rect(1800, 1200, Box(700, 400, 1000, 650))
    params = EditParams(prompt="a red balloon", n=3, partial_images=2)
    engine = _engine(openai_server, sentinel_key)
    try:
        events = await _collect(run_edit(image, mask, params, engine))
    finally:
        await engine.aclose()

    stages = [e.name for e in events if isinstance(e, Stage)]
    assert stages[:2] == ["planning", "sending"]
    assert "compositing" in stages
    previews = [e for e in events if isinstance(e, Preview)]
    assert [p.index for p in previews] == [0, 1]
    assert all(p.pixels.shape == image.shape for p in previews)
    assert isinstance(events[-1], Result)
    result = events[-1]
    assert len(result.variants) == 3
    outside = _outside(mask, result)
    for variant in result.variants:
        assert variant.shape == image.shape
        assert np.array_equal(variant[outside], image[outside])
        inside = mask == 255
        assert np.abs(variant[inside].astype(int) - image[inside]).mean() > 20
    # The variants differ from one another inside the mask: they are real alternatives.
    assert not np.array_equal(result.variants[0], result.variants[1])
    assert result.usage is not None
    assert result.usage.output_tokens > 0
    assert result.cost is not None
    assert result.cost.usd > 0
    # Only the crop travelled, at the size the plan chose.
    [request] = openai_server.requests
    assert request.fields["size"] == result.plan.size_param
    assert request.fields["n"] == "3"
    assert image.flags.writeable  # the input document was not touched


@pytest.mark.slow
async def test_small_mask_on_a_24_megapixel_photo_keeps_everything_else_bit_identical(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    image = _photo(6000, 4000, seed=7)
    mask = masks.from_polygon(6000, 4000, [(3000, 1500), (3600, 1700), (3500, 2300), (2900, 2200)])
    assert masks.coverage(mask) < 0.05
    engine = _engine(openai_server, sentinel_key)
    try:
        events = await _collect(run_edit(image, mask, EditParams(prompt="a fountain"), engine))
    finally:
        await engine.aclose()
    result = events[-1]
    assert isinstance(result, Result)
    [variant] = result.variants
    assert variant.shape == (4000, 6000, 4)
    outside = _outside(mask, result)
    assert np.array_equal(variant[outside], image[outside])
    # The crop went out at no less than its own resolution (it is within the model's limit).
    crop = result.plan.crop
    assert result.plan.request_size[0] * result.plan.request_size[1] >= crop.width * crop.height


async def test_a_service_fault_ends_in_one_failure_and_no_result(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    openai_server.inject("moderation_input")
    image = _photo(800, 600)
    mask = masks.from_rect(800, 600, Box(100, 100, 300, 300))
    engine = _engine(openai_server, sentinel_key)
    try:
        events = await _collect(run_edit(image, mask, EditParams(prompt="x"), engine))
    finally:
        await engine.aclose()
    assert not any(isinstance(e, Result) for e in events)
    assert isinstance(events[-1], Failure)
    assert events[-1].error.kind is ErrorKind.MODERATION
    assert sentinel_key not in events[-1].error.message


async def test_invalid_parameters_fail_before_anything_is_sent(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    image = _photo(800, 600)
    mask = masks.from_rect(800, 600, Box(100, 100, 300, 300))
    engine = _engine(openai_server, sentinel_key)
    try:
        events = await _collect(
            run_edit(image, mask, EditParams(prompt="x", model="gpt-image-1"), engine)
        )
    finally:
        await engine.aclose()
    assert isinstance(events[-1], Failure)
    assert events[-1].error.kind is ErrorKind.MODEL_UNAVAILABLE
    assert "gpt-image-2.5-sunburst" in events[-1].error.message
    assert openai_server.requests == []


async def test_cancelling_mid_request_leaves_no_result(
    openai_server: FakeOpenAIServer, sentinel_key: str
) -> None:
    openai_server.inject("slow", seconds=30)
    image = _photo(800, 600)
    original = image.copy()
    mask = masks.from_rect(800, 600, Box(100, 100, 300, 300))
    engine = _engine(openai_server, sentinel_key)
    seen: list[object] = []

    async def consume() -> None:
        async for event in run_edit(image, mask, EditParams(prompt="x"), engine):
            seen.append(event)

    task = asyncio.create_task(consume())
    try:
        await asyncio.to_thread(openai_server.wait_for, requests=1, timeout=20)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.to_thread(openai_server.wait_for, disconnects=1, timeout=20)
    finally:
        await engine.aclose()
    assert not any(isinstance(e, Result | Failure) for e in seen)
    assert np.array_equal(image, original)


async def test_offline_engine_fills_the_mask_from_its_surroundings() -> None:
    image = np.full((600, 800, 4), (90, 140, 200, 255), dtype=np.uint8)
    image[250:350, 350:450] = (255, 0, 0, 255)  # a red square to remove
    mask = masks.from_rect(800, 600, Box(340, 240, 460, 360))
    events = await _collect(run_edit(image, mask, EditParams(prompt="ignored", n=2), LocalEngine()))
    result = events[-1]
    assert isinstance(result, Result)
    assert result.cost is None  # the offline engine is free
    assert result.notice
    assert "prompt" in result.notice
    for variant in result.variants:
        filled = variant[250:350, 350:450, :3].reshape(-1, 3).mean(axis=0)
        assert np.abs(filled - (90, 140, 200)).max() < 20
        outside = _outside(mask, result)
        assert np.array_equal(variant[outside], image[outside])
