"""The compositor: the result lands where the mask is, everything else stays bit-identical."""

from __future__ import annotations

import dataclasses
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from imgdesk.core import masks, sizing
from imgdesk.core.composite import blend_into, composite
from imgdesk.core.edit_types import Box, EditParams, EditPlan, MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.planner import plan_edit


def noise_image(width: int, height: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    image[..., 3] = 255
    return image


def sent_image(plan: EditPlan) -> np.ndarray:
    with Image.open(io.BytesIO(plan.image_png)) as image:
        return np.asarray(image.convert("RGBA")).copy()


def feathered(mask: MaskArray, plan: EditPlan, feather_px: float | None = None) -> MaskArray:
    """The blend weight over the whole photo, computed independently of the compositor."""
    radius = sizing.default_feather(plan.crop) if feather_px is None else feather_px
    return masks.feather(mask, radius)


def test_blend_rounds_exactly_for_every_value_and_weight() -> None:
    values = np.arange(256, dtype=np.uint8)
    original = np.zeros((256, 256, 4), dtype=np.uint8)
    original[..., 0] = values[:, None]
    original[..., 1] = values[None, :]
    original[..., 2] = 255 - values[:, None]
    edited = original[..., [1, 0, 3, 2]].copy()
    edited[..., 2] = values[None, :] // 3
    for w in range(256):
        target = original.copy()
        blend_into(target, edited, np.full((256, 256), w, dtype=np.uint8))
        o, r = original.astype(np.int64), edited.astype(np.int64)
        expected = (2 * (o * (255 - w) + r * w) + 255) // 510  # round(o + (r - o) * w / 255)
        assert np.array_equal(target, expected), f"weight {w}"


def test_blend_into_a_strided_view_writes_through() -> None:
    canvas = noise_image(40, 30)
    edited = noise_image(10, 10, seed=1)
    weight = np.zeros((10, 10), dtype=np.uint8)
    weight[2:5, 2:5] = 255
    weight[7, 7] = 100
    before = canvas.copy()
    blend_into(canvas[5:15, 8:18], edited, weight)
    region = canvas[5:15, 8:18]
    assert np.array_equal(region[2:5, 2:5], edited[2:5, 2:5])
    assert not np.array_equal(region[7, 7], before[5:15, 8:18][7, 7])
    changed = np.any(canvas != before, axis=2)
    assert changed.sum() <= 10
    assert not changed[:5].any()
    assert not changed[:, :8].any()


def model_result(plan: EditPlan, seed: int = 9) -> np.ndarray:
    """What the real model does: redraws the whole picture (here, fresh noise) at request size."""
    width, height = plan.request_size
    return noise_image(width, height, seed)


@pytest.mark.parametrize(
    ("size", "rect", "model"),
    [
        ((3000, 2000), Box(1100, 700, 1900, 1400), "gpt-image-2"),  # sent pixel for pixel
        ((3000, 2000), Box(1400, 900, 1450, 960), "gpt-image-2"),  # upsampled small crop
        ((2400, 1600), Box(0, 0, 300, 200), "gpt-image-2"),  # against the corner
        ((2400, 1600), Box(2300, 500, 2400, 1600), "gpt-image-1.5"),  # touches two edges
        ((1200, 900), Box(517, 333, 518, 334), "gpt-image-2"),  # one pixel
        ((10000, 1000), Box(2000, 450, 8000, 550), "gpt-image-2"),  # wider than 3:1, padded
    ],
)
def test_outside_the_feathered_mask_nothing_changes_and_inside_is_the_result(
    size: tuple[int, int], rect: Box, model: str
) -> None:
    width, height = size
    original = noise_image(width, height)
    mask = masks.from_rect(width, height, rect)
    plan = plan_edit(original, mask, EditParams(prompt="x", model=model))
    result = model_result(plan)
    before = original.copy()
    output = composite(original, result, plan, mask)

    assert np.array_equal(original, before), "the original must not be modified"
    assert output.shape == original.shape
    assert output.dtype == np.uint8
    weight = feathered(mask, plan)
    keep = weight == 0
    assert np.array_equal(output[keep], original[keep])
    inside = weight == 255
    assert inside[rect.top : rect.bottom, rect.left : rect.right].all()
    # Noise against noise: essentially every fully-weighted pixel took the result's value.
    assert np.mean(np.any(output[inside] != original[inside], axis=1)) > 0.9
    band = (weight > 0) & (weight < 255)
    assert band.any() or rect.width * rect.height == 1


def test_a_crop_sent_pixel_for_pixel_comes_back_pixel_for_pixel() -> None:
    original = noise_image(3000, 2000)
    rect = Box(1100, 700, 1900, 1400)
    mask = masks.from_rect(3000, 2000, rect)
    plan = plan_edit(original, mask, EditParams(prompt="x"))
    assert plan.request_size == (plan.crop.width, plan.crop.height)
    result = model_result(plan)
    output = composite(original, result, plan, mask)
    crop = plan.crop
    inside = feathered(mask, plan)[crop.top : crop.bottom, crop.left : crop.right] == 255
    assert np.array_equal(
        output[crop.top : crop.bottom, crop.left : crop.right][inside], result[inside]
    )


def draw_disc(image: np.ndarray, centre: tuple[float, float], radius: float) -> None:
    shift = 4  # sub-pixel precision for OpenCV's drawing
    cx, cy = (round(c * (1 << shift)) for c in centre)
    cv2.circle(
        image, (cx, cy), round(radius * (1 << shift)), (255, 0, 0, 255), -1, cv2.LINE_AA, shift
    )


def red_blob(image: np.ndarray) -> tuple[float, float, int, int]:
    """Centroid and extent of the strongly red pixels."""
    red = (image[..., 0] > 200) & (image[..., 1] < 60) & (image[..., 2] < 60)
    ys, xs = np.nonzero(red)
    return float(xs.mean()), float(ys.mean()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1


def grey_photo(width: int, height: int) -> np.ndarray:
    image = np.full((height, width, 4), 128, dtype=np.uint8)
    image[..., 3] = 255
    return image


def test_a_whole_photo_edit_on_a_fixed_size_model_is_not_stretched() -> None:
    width, height = 4000, 3000
    original = grey_photo(width, height)
    mask = np.full((height, width), 255, dtype=np.uint8)
    plan = plan_edit(original, mask, EditParams(prompt="a red disc", model="gpt-image-1.5"))
    assert plan.crop == Box(0, 0, width, height)
    assert plan.request_size == (1536, 1024)
    # The model paints a round disc in the middle of the picture it was sent.
    result = sent_image(plan)
    draw_disc(result, (767.5, 511.5), 300)
    output = composite(original, result, plan, mask)
    assert output.shape == (height, width, 4)
    cx, cy, blob_w, blob_h = red_blob(output)
    assert blob_w == pytest.approx(blob_h, abs=2), "a circle must stay a circle"
    assert blob_w == pytest.approx(600 * 3000 / 1024, abs=10)  # drawn at 3000 / 1024 scale
    assert cx == pytest.approx(1999.5, abs=1)  # the photo's centre, in pixel-index terms
    assert cy == pytest.approx(1499.5, abs=1)


@pytest.mark.parametrize(
    ("size", "rect", "model"),
    [
        ((4000, 3000), Box(0, 0, 4000, 3000), "gpt-image-2"),
        ((2400, 1600), Box(1000, 700, 1100, 760), "gpt-image-2"),
        ((10000, 1000), Box(2000, 450, 8000, 550), "gpt-image-2"),
        ((3000, 3000), Box(500, 1000, 700, 1900), "gpt-image-1.5"),
        ((64, 48), Box(20, 20, 30, 30), "gpt-image-1.5"),
    ],
)
def test_what_the_model_draws_lands_where_it_drew_it(
    size: tuple[int, int], rect: Box, model: str
) -> None:
    """A disc drawn around the mask's centre in the sent picture comes back round, centred on the
    mask, at the photo's scale: planner and compositor map the same window."""
    width, height = size
    original = grey_photo(width, height)
    mask = masks.from_rect(width, height, rect)
    plan = plan_edit(original, mask, EditParams(prompt="x", model=model))
    window = sizing.request_window(plan.crop, plan.request_size)
    sx, sy = plan.request_size[0] / window.width, plan.request_size[1] / window.height
    # The mask's centre, in continuous photo coordinates (pixel i covers [i, i + 1)).
    centre_x, centre_y = (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2
    radius = max(2.0, min(rect.width, rect.height) * 0.45)
    result = sent_image(plan)
    # OpenCV draws in pixel-index coordinates, where pixel i's centre is at i.
    draw_disc(
        result,
        ((centre_x - window.left) * sx - 0.5, (centre_y - window.top) * sy - 0.5),
        radius * sx,
    )
    output = composite(original, result, plan, mask)
    cx, cy, blob_w, blob_h = red_blob(output)
    tolerance = max(1.0, 1 / sx)
    assert cx == pytest.approx(centre_x - 0.5, abs=tolerance)
    assert cy == pytest.approx(centre_y - 0.5, abs=tolerance)
    assert blob_w == pytest.approx(blob_h, abs=2 * tolerance)


def test_a_result_at_another_size_of_the_same_shape_still_fits() -> None:
    width, height = 2400, 1600
    original = grey_photo(width, height)
    rect = Box(1000, 600, 1400, 900)
    mask = masks.from_rect(width, height, rect)
    plan = plan_edit(original, mask, EditParams(prompt="x"))
    result = sent_image(plan)
    doubled = np.asarray(cv2.resize(result, (2 * result.shape[1], 2 * result.shape[0])), np.uint8)
    output = composite(original, doubled, plan, mask)
    keep = feathered(mask, plan) == 0
    assert np.array_equal(output[keep], original[keep])
    assert np.abs(output.astype(int) - original.astype(int)).max() <= 2


def test_an_explicit_feather_is_honoured() -> None:
    width, height = 1600, 1200
    original = noise_image(width, height)
    mask = masks.from_rect(width, height, Box(700, 500, 900, 700))
    plan = plan_edit(original, mask, EditParams(prompt="x"), feather_px=12.0)
    output = composite(original, model_result(plan), plan, mask, feather_px=12.0)
    changed = np.any(output != original, axis=2)
    assert changed[500:700, 700 - 12 : 900 + 12].mean() > 0.9
    assert not changed[:, : 700 - 12].any()
    assert not changed[:, 900 + 12 :].any()
    assert not changed[: 500 - 12].any()
    assert not changed[700 + 12 :].any()


def test_a_mask_repainted_beyond_the_sent_area_is_refused() -> None:
    width, height = 2400, 1600
    original = noise_image(width, height)
    mask = masks.from_rect(width, height, Box(1000, 700, 1100, 760))
    plan = plan_edit(original, mask, EditParams(prompt="x"))
    repainted = masks.from_rect(width, height, Box(1000, 700, plan.crop.right + 50, 760))
    with pytest.raises(ImgdeskError) as caught:
        composite(original, model_result(plan), plan, repainted)
    assert caught.value.kind is ErrorKind.MASK


def test_unusable_inputs_are_refused_with_a_kind() -> None:
    original = noise_image(800, 600)
    mask = masks.from_rect(800, 600, Box(300, 200, 400, 300))
    plan = plan_edit(original, mask, EditParams(prompt="x"))
    result = model_result(plan)
    cases = [
        (noise_image(801, 600), result, mask, ErrorKind.IMAGE),
        (original, result[..., :3], mask, ErrorKind.IMAGE),
        (original, result, mask[:, :-1], ErrorKind.MASK),
    ]
    for photo, picture, coverage, kind in cases:
        with pytest.raises(ImgdeskError) as caught:
            composite(photo, picture, plan, coverage)
        assert caught.value.kind is kind
    other = dataclasses.replace(plan, image_size=(800, 601))
    with pytest.raises(ImgdeskError):
        composite(original, result, other, mask)
