"""The offline engine: fills the masked area from its surroundings, never touches the network."""

from __future__ import annotations

import asyncio
import io
import socket
from typing import Any

import numpy as np
import pytest
from PIL import Image

from imgdesk.core.edit_types import (
    Box,
    Completed,
    EditParams,
    EditPlan,
    EngineEvent,
    Failed,
    Sending,
)
from imgdesk.core.engines.local_engine import NOTICE, LocalEngine
from imgdesk.core.errors import ErrorKind, ImgdeskError

GRAY = (128, 128, 128)
RED = (230, 20, 20)


def png(array: np.ndarray[Any, Any]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def decode(data: bytes) -> np.ndarray[Any, Any]:
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGBA"
    return np.asarray(image)


def red_square_photo(
    width: int, height: int, square: Box, *, gradient: bool = False
) -> np.ndarray[Any, Any]:
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[:, :, :3] = GRAY
    if gradient:
        # A horizontal ramp gives the inpainting directions something to disagree about.
        ramp = np.linspace(60, 200, width).astype(np.uint8)
        rgba[:, :, 0] = ramp
        rgba[:, :, 1] = ramp[::-1]
    rgba[:, :, 3] = 255
    rgba[square.top : square.bottom, square.left : square.right, :3] = RED
    return rgba


def mask_over(width: int, height: int, box: Box) -> np.ndarray[Any, Any]:
    """The API's convention: alpha 0 marks the area to edit."""
    mask = np.full((height, width, 4), 255, np.uint8)
    mask[box.top : box.bottom, box.left : box.right, 3] = 0
    return mask


def make_plan(
    image: np.ndarray[Any, Any],
    mask: np.ndarray[Any, Any],
    *,
    n: int = 1,
    request_size: tuple[int, int] | None = None,
) -> EditPlan:
    height, width = image.shape[:2]
    return EditPlan(
        params=EditParams(prompt="remove the red square", n=n),
        image_size=(width, height),
        crop=Box(0, 0, width, height),
        request_size=request_size or (width, height),
        image_png=png(image),
        mask_png=png(mask),
    )


async def collect(plan: EditPlan) -> list[EngineEvent]:
    return [event async for event in LocalEngine().run(plan)]


def completed(events: list[EngineEvent]) -> Completed:
    assert isinstance(events[0], Sending)
    assert isinstance(events[-1], Completed), events[-1]
    assert sum(isinstance(e, Completed | Failed) for e in events) == 1
    return events[-1]


def failure(events: list[EngineEvent]) -> ImgdeskError:
    assert isinstance(events[0], Sending)
    assert isinstance(events[-1], Failed)
    assert sum(isinstance(e, Completed | Failed) for e in events) == 1
    error = events[-1].error
    assert isinstance(error, ImgdeskError)
    return error


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """A guard: any attempt to connect anywhere or resolve a name fails the test loudly.

    Creating sockets stays allowed because the event loop wakes itself through a socket pair.
    """

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the offline engine opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_engine_identity() -> None:
    engine = LocalEngine()
    assert engine.name == "local"
    assert engine.metered is False


async def test_red_square_is_filled_from_the_gray_around_it(no_network: None) -> None:
    square = Box(100, 70, 140, 110)
    mask_box = Box(96, 66, 144, 114)  # painted a little beyond the object, as people do
    image = red_square_photo(256, 192, square)
    result = completed(await collect(make_plan(image, mask_over(256, 192, mask_box), n=2)))

    assert result.notice == NOTICE
    assert result.usage is None
    assert len(result.images) == 2
    for data in result.images:
        out = decode(data)
        assert out.shape == (192, 256, 4)
        inside = out[mask_box.top : mask_box.bottom, mask_box.left : mask_box.right, :3]
        mean = inside.reshape(-1, 3).mean(axis=0)
        assert np.abs(mean - np.array(GRAY)).max() < 6, mean
        assert np.abs(inside.astype(int) - np.array(RED)).sum(axis=2).min() > 150
        # Nothing far from the hole changed, and alpha is untouched.
        keep = np.ones((192, 256), bool)
        keep[mask_box.top - 2 : mask_box.bottom + 2, mask_box.left - 2 : mask_box.right + 2] = False
        assert np.array_equal(out[keep], image[keep])
        assert (out[:, :, 3] == 255).all()


async def test_result_is_encoded_at_request_size_and_keeps_alpha() -> None:
    image = red_square_photo(200, 100, Box(90, 40, 110, 60))
    image[:, :50, 3] = 90  # a half-transparent strip outside the mask
    mask = mask_over(200, 100, Box(86, 36, 114, 64))
    result = completed(await collect(make_plan(image, mask, request_size=(400, 200))))

    out = decode(result.images[0])
    assert out.shape == (200, 400, 4)
    assert (out[:, :100, 3] == 90).all()
    assert (out[:, 100:, 3] == 255).all()
    inside = out[76:124, 176:224, :3].reshape(-1, 3).mean(axis=0)
    assert np.abs(inside - np.array(GRAY)).max() < 6


async def test_variants_differ() -> None:
    image = red_square_photo(240, 160, Box(60, 40, 180, 120), gradient=True)
    mask = mask_over(240, 160, Box(56, 36, 184, 124))
    result = completed(await collect(make_plan(image, mask, n=4)))

    assert len(result.images) == 4
    pixels = [decode(data)[36:124, 56:184].tobytes() for data in result.images]
    assert len(set(pixels)) == 4


async def test_large_crop_is_filled_at_full_resolution() -> None:
    square = Box(900, 600, 1200, 900)
    image = red_square_photo(2048, 1536, square)
    mask_box = Box(880, 580, 1220, 920)
    result = completed(await collect(make_plan(image, mask_over(2048, 1536, mask_box))))

    out = decode(result.images[0])
    assert out.shape == (1536, 2048, 4)
    inside = out[mask_box.top : mask_box.bottom, mask_box.left : mask_box.right, :3]
    assert np.abs(inside.reshape(-1, 3).mean(axis=0) - np.array(GRAY)).max() < 6
    assert np.array_equal(out[:500], image[:500])


async def test_thin_stroke_survives_the_reduced_working_scale() -> None:
    image = red_square_photo(3000, 1000, Box(0, 0, 0, 0))
    image[400:600, 1500, :3] = RED  # a one-pixel wire
    mask = mask_over(3000, 1000, Box(1500, 400, 1501, 600))
    result = completed(await collect(make_plan(image, mask)))

    out = decode(result.images[0])
    assert np.abs(out[400:600, 1500, :3].astype(int) - np.array(GRAY)).max() < 12


async def test_mask_of_another_size_fails_with_a_mask_error() -> None:
    image = red_square_photo(64, 64, Box(20, 20, 40, 40))
    mask = mask_over(32, 32, Box(0, 0, 16, 16))
    error = failure(await collect(make_plan(image, mask)))
    assert error.kind is ErrorKind.MASK


async def test_mask_without_alpha_fails_with_a_mask_error() -> None:
    image = red_square_photo(64, 64, Box(20, 20, 40, 40))
    mask = np.zeros((64, 64, 3), np.uint8)
    error = failure(await collect(make_plan(image, mask)))
    assert error.kind is ErrorKind.MASK


@pytest.mark.parametrize("box", [Box(0, 0, 0, 0), Box(0, 0, 64, 64)], ids=["empty", "everything"])
async def test_empty_or_full_mask_is_refused(box: Box) -> None:
    image = red_square_photo(64, 64, Box(20, 20, 40, 40))
    error = failure(await collect(make_plan(image, mask_over(64, 64, box))))
    assert error.kind is ErrorKind.MASK


async def test_unreadable_photo_fails_with_an_image_error() -> None:
    mask = mask_over(64, 64, Box(20, 20, 40, 40))
    plan = make_plan(np.zeros((64, 64, 4), np.uint8), mask)
    plan = EditPlan(
        params=plan.params,
        image_size=plan.image_size,
        crop=plan.crop,
        request_size=plan.request_size,
        image_png=b"\x89PNG not really",
        mask_png=plan.mask_png,
    )
    error = failure(await collect(plan))
    assert error.kind is ErrorKind.IMAGE


async def test_cancelling_the_consumer_stops_the_run() -> None:
    image = red_square_photo(1024, 1024, Box(300, 300, 700, 700))
    plan = make_plan(image, mask_over(1024, 1024, Box(290, 290, 710, 710)), n=10)
    seen: list[EngineEvent] = []
    first = asyncio.Event()

    async def consume() -> None:
        async for event in LocalEngine().run(plan):
            seen.append(event)
            first.set()

    task = asyncio.create_task(consume())
    await first.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen == [Sending()]
