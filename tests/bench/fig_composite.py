"""composite_ms: pasting a 3840x2160 result back into a 24 MP photo through a feathered mask.

Measured: `composite.composite` (resize to the crop, feather the mask on the crop, blend only
where the weight is above 0). Naive: what a straightforward editor does, i.e. resize the result
to the crop, feather the whole full-size mask with a Gaussian blur, and blend the whole picture
in floating point.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
from common import Bench, Figure, ellipse_mask, load_photo, median, time_ms

from imgdesk.core import composite, imageio, planner, sizing
from imgdesk.core.edit_types import EditParams, EditPlan

FIGURES = ("composite_ms",)
TARGET_MS = 250.0
RESULT_SIZE = (3840, 2160)


def big_edit(photo: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], EditPlan]:
    """A mask large enough that its crop is sent (and comes back) at 3840x2160."""
    height, width = photo.shape[:2]
    mask = ellipse_mask((width, height), (1500, 900, 4700, 2700))
    params = EditParams("a pond with ducks", size=f"{RESULT_SIZE[0]}x{RESULT_SIZE[1]}")
    return mask, planner.plan_edit(photo, mask, params)


def fake_result(plan: EditPlan) -> npt.NDArray[np.uint8]:
    """The crop as sent, a little brighter: a stand-in for the model's picture."""
    sent = imageio.decode_result(plan.image_png)
    out: npt.NDArray[np.uint8] = sent.copy()
    out[..., :3] = np.minimum(sent[..., :3].astype(np.uint16) + 12, 255).astype(np.uint8)
    return out


def naive_composite(
    original: npt.NDArray[np.uint8],
    result: npt.NDArray[np.uint8],
    plan: EditPlan,
    mask: npt.NDArray[np.uint8],
) -> npt.NDArray[np.uint8]:
    crop = plan.crop
    scaled = cv2.resize(result, (crop.width, crop.height), interpolation=cv2.INTER_AREA)
    layer = original.copy()
    layer[crop.top : crop.bottom, crop.left : crop.right] = scaled
    radius = sizing.default_feather(crop)
    sigma = max(radius / 2.0, 0.5)
    weight = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), sigma)[..., None]
    blended = original.astype(np.float32) * (1.0 - weight) + layer.astype(np.float32) * weight
    out: npt.NDArray[np.uint8] = np.rint(blended).astype(np.uint8)
    return out


def run(bench: Bench) -> list[Figure]:
    photo = load_photo(bench)
    mask, plan = big_edit(photo)
    result = fake_result(plan)
    value = median(
        time_ms(lambda: composite.composite(photo, result, plan, mask), bench.pick(3, 9))
    )
    naive = median(
        time_ms(lambda: naive_composite(photo, result, plan, mask), bench.pick(1, 3), warmup=0)
    )
    note = f"crop {plan.crop.width}x{plan.crop.height}, result {result.shape[1]}x{result.shape[0]}"
    return [Figure("composite_ms", value, naive, "ms", "< 250 ms", value < TARGET_MS, note)]
