"""fidelity_outside_mask_changed: share of pixels outside mask + feather that differ after an edit.

A real edit of the 24 MP photo with a 2 % mask: plan, `OpenAIEngine` against the fake server
(which, like the real model, redraws the whole crop with a slight drift), composite. Every pixel
farther than the feather from the mask must come back bit-identical. Naive: the whole photo sent
(resized to a size the model takes) and the whole result stretched back over it.
"""

from __future__ import annotations

import asyncio
import math

import cv2
import numpy as np
import numpy.typing as npt
from common import Bench, Figure, blob_mask, load_photo
from fake_server import ServerProcess

from imgdesk.core import imageio, masks, resample, sizing
from imgdesk.core.edit_types import Box, EditParams, EditPlan
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.pipeline import Failure, Result, run_edit

FIGURES = ("fidelity_outside_mask_changed",)
PARAMS = EditParams("a wooden bench where the rock was")
WHOLE_SIZE = (1536, 1024)  # the 3:2 size a whole-photo editor asks for
API_KEY = "sk-bench-not-a-real-key"


def changed_outside(
    original: npt.NDArray[np.uint8], edited: npt.NDArray[np.uint8], keep: npt.NDArray[np.bool_]
) -> float:
    differs = (original != edited).any(axis=2)
    return float(np.count_nonzero(differs & keep)) / max(int(np.count_nonzero(keep)), 1)


async def edit(
    photo: npt.NDArray[np.uint8], mask: npt.NDArray[np.uint8], base_url: str
) -> tuple[npt.NDArray[np.uint8], EditPlan]:
    engine = OpenAIEngine(api_key=API_KEY, base_url=base_url, max_retries=0)
    try:
        async for event in run_edit(photo, mask, PARAMS, engine):
            if isinstance(event, Result):
                return event.variants[0], event.plan
            if isinstance(event, Failure):
                raise event.error
    finally:
        await engine.aclose()
    raise RuntimeError("the edit ended without a result")


async def naive_edit(
    photo: npt.NDArray[np.uint8], mask: npt.NDArray[np.uint8], base_url: str
) -> npt.NDArray[np.uint8]:
    height, width = photo.shape[:2]
    plan = EditPlan(
        params=PARAMS,
        image_size=(width, height),
        crop=Box(0, 0, width, height),
        request_size=WHOLE_SIZE,
        image_png=imageio.encode_png(resample.resize_pixels(photo, WHOLE_SIZE)),
        mask_png=masks.export_mask_png(resample.resize_coverage(mask, WHOLE_SIZE)),
    )
    engine = OpenAIEngine(api_key=API_KEY, base_url=base_url, max_retries=0)
    try:
        async for event in engine.run(plan):
            images = getattr(event, "images", None)
            if images:
                result = imageio.decode_result(images[0])
                stretched: npt.NDArray[np.uint8] = cv2.resize(
                    result, (width, height), interpolation=cv2.INTER_CUBIC
                )
                return stretched
            error = getattr(event, "error", None)
            if error is not None:
                raise error
    finally:
        await engine.aclose()
    raise RuntimeError("the naive edit ended without a result")


def run(bench: Bench) -> list[Figure]:
    photo = load_photo(bench)
    height, width = photo.shape[:2]
    mask = blob_mask((width, height), (width * 0.7, height * 0.38), 0.02)
    with ServerProcess() as server:
        edited, plan = asyncio.run(edit(photo, mask, server.base_url))
        naive = asyncio.run(naive_edit(photo, mask, server.base_url))
    reach = math.ceil(sizing.default_feather(plan.crop)) + 1
    keep = masks.grow(mask, reach) == 0
    value = changed_outside(photo, edited, keep)
    naive_value = changed_outside(photo, naive, keep)
    inside = (photo != edited).any(axis=2) & ~keep
    note = (
        f"{np.count_nonzero(keep) / keep.size:.1%} of pixels outside; "
        f"{int(np.count_nonzero(inside)) / max(int(np.count_nonzero(~keep)), 1):.0%} "
        "changed inside"
    )
    return [
        Figure(
            "fidelity_outside_mask_changed", value, naive_value, "share", "0", value == 0.0, note
        )
    ]
