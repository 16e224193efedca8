"""The edit planner: which crop is sent, at which size, encoded how, and what it refuses."""

from __future__ import annotations

import dataclasses
import io
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from imgdesk.core import masks, sizing
from imgdesk.core.catalog import SizeRule, load_catalog
from imgdesk.core.edit_types import Box, EditParams, EditPlan, Reference
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.planner import plan_edit

USABLE = tuple(model.id for model in load_catalog().usable_models())
FIXED = "gpt-image-1.5"


def params(**changes: Any) -> EditParams:
    return dataclasses.replace(EditParams(prompt="a brass lantern"), **changes)


def rule(model_id: str) -> SizeRule:
    return load_catalog().get(model_id).sizes


def noise_image(width: int, height: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    image[..., 3] = 255
    return image


def lazy_image(width: int, height: int) -> np.ndarray:
    """A read-only photo of any size that costs no memory: a horizontal ramp."""
    row = np.zeros((1, width, 4), dtype=np.uint8)
    row[0, :, 0] = np.arange(width) % 256
    row[0, :, 3] = 255
    return np.broadcast_to(row, (height, width, 4))


def decode(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGBA"))


def mask_alpha(plan: EditPlan) -> np.ndarray:
    with Image.open(io.BytesIO(plan.mask_png)) as image:
        assert image.format == "PNG"
        assert "A" in image.mode, "the API needs a mask with an alpha channel"
        return np.asarray(image.getchannel("A"))


def assert_mask_marks_rect(plan: EditPlan, rect: Box) -> None:
    """Alpha is 0 (edit) on every request pixel whose centre lies over `rect`, and 255 (keep) on
    every pixel clearly away from it (one request pixel plus half a photo pixel of slack)."""
    alpha = mask_alpha(plan)
    request_w, request_h = plan.request_size
    assert alpha.shape == (request_h, request_w)
    assert set(np.unique(alpha)) <= {0, 255}
    window = sizing.request_window(plan.crop, plan.request_size)
    sx, sy = request_w / window.width, request_h / window.height
    x0, x1 = (rect.left - window.left) * sx, (rect.right - window.left) * sx
    y0, y1 = (rect.top - window.top) * sy, (rect.bottom - window.top) * sy
    centres_x = np.arange(request_w) + 0.5
    centres_y = np.arange(request_h) + 0.5
    over = ((centres_y >= y0) & (centres_y < y1))[:, None] & ((centres_x >= x0) & (centres_x < x1))
    assert (alpha[over] == 0).all()
    slack_x, slack_y = 1 + 0.5 * max(sx, 1), 1 + 0.5 * max(sy, 1)
    near = ((centres_y > y0 - slack_y) & (centres_y < y1 + slack_y))[:, None] & (
        (centres_x > x0 - slack_x) & (centres_x < x1 + slack_x)
    )
    assert (alpha[~near] == 255).all()
    assert (alpha == 0).any(), "even a one-pixel mask must reach the model"


@st.composite
def photo_and_rect(draw: st.DrawFn, max_side: int = 12000) -> tuple[tuple[int, int], Box]:
    width = draw(st.integers(16, max_side))
    height = draw(
        st.one_of(st.integers(16, max_side), st.integers(1, 12).map(lambda k: max(16, width // k)))
    )
    left = draw(st.integers(0, width - 1))
    top = draw(st.integers(0, height - 1))
    right = draw(st.integers(left + 1, width))
    bottom = draw(st.integers(top + 1, height))
    return (width, height), Box(left, top, right, bottom)


@settings(max_examples=600, deadline=None)
@given(photo_and_rect(), st.sampled_from(USABLE), st.sampled_from((None, 0.0, 3.5, 40.0)))
def test_layout_is_accepted_by_every_model_and_covers_the_mask_and_feather(
    case: tuple[tuple[int, int], Box], model_id: str, feather_px: float | None
) -> None:
    (width, height), rect = case
    size_rule = rule(model_id)
    layout = sizing.layout_edit((width, height), rect, size_rule, feather_px=feather_px)
    crop, (request_w, request_h) = layout.crop, layout.request_size
    assert size_rule.problem(request_w, request_h) is None
    assert 0 <= crop.left < crop.right <= width
    assert 0 <= crop.top < crop.bottom <= height
    reach = sizing.feather_reach(feather_px)
    assert crop.left <= max(0, rect.left - reach)
    assert crop.top <= max(0, rect.top - reach)
    assert crop.right >= min(width, rect.right + reach)
    assert crop.bottom >= min(height, rect.bottom + reach)
    # The window the request shows has the request's aspect (to a pixel) and holds the crop.
    window = sizing.request_window(crop, layout.request_size)
    assert window.left <= crop.left
    assert window.right >= crop.right
    assert window.top <= crop.top
    assert window.bottom >= crop.bottom
    assert abs(window.width * request_h - window.height * request_w) <= max(request_w, request_h)
    # It reaches past the photo only where the photo ends (padding, never a lost context).
    if window.width > crop.width:
        assert crop.left == 0 or crop.right == width or window.width - crop.width <= 2
    if size_rule.flexible:
        area = window.width * window.height
        # Resolution is kept up to the model's maximum, and a crop that already has enough
        # pixels is not upsampled beyond the 16-pixel grid (a step or two more where that
        # reaches the model's exact aspect limit).
        assert request_w * request_h >= 0.98 * min(area, size_rule.max_pixels) or (
            max(window.width, window.height) > size_rule.max_width
        )
        if area >= size_rule.min_pixels:
            assert request_w < window.width + 48
            assert request_h < window.height + 48


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(photo_and_rect(), st.sampled_from(USABLE))
def test_planned_png_files_have_the_request_size_and_mark_the_mask(
    case: tuple[tuple[int, int], Box], model_id: str
) -> None:
    (width, height), rect = case
    mask = masks.from_rect(width, height, rect)
    plan = plan_edit(lazy_image(width, height), mask, params(model=model_id))
    request_w, request_h = plan.request_size
    assert rule(model_id).problem(request_w, request_h) is None
    assert plan.image_size == (width, height)
    assert decode(plan.image_png).shape == (request_h, request_w, 4)
    assert_mask_marks_rect(plan, rect)


def test_a_crop_the_model_can_take_as_is_is_sent_pixel_for_pixel() -> None:
    image = noise_image(3000, 2000)
    rect = Box(1100, 700, 1900, 1400)
    plan = plan_edit(image, masks.from_rect(3000, 2000, rect), params())
    crop = plan.crop
    assert plan.request_size == (crop.width, crop.height)
    assert crop.width % 16 == 0
    assert crop.height % 16 == 0
    # The context margin is a quarter of the mask's longer side on every side (at least).
    assert crop.left <= rect.left - 200 - 32
    assert crop.right >= rect.right + 200 + 32
    assert np.array_equal(
        decode(plan.image_png), image[crop.top : crop.bottom, crop.left : crop.right]
    )


def test_a_small_mask_gets_the_minimum_context_and_is_upsampled_to_the_model_minimum() -> None:
    image = noise_image(4000, 3000)
    rect = Box(2000, 1500, 2040, 1530)
    plan = plan_edit(image, masks.from_rect(4000, 3000, rect), params())
    reach = sizing.MIN_CONTEXT_PX + sizing.feather_reach(None)
    assert plan.crop.left <= rect.left - reach
    assert plan.crop.bottom >= rect.bottom + reach
    request_w, request_h = plan.request_size
    minimum = rule("gpt-image-2").min_pixels
    assert minimum <= request_w * request_h < minimum * 1.1
    assert plan.crop.width * plan.crop.height < request_w * request_h / 4
    assert_mask_marks_rect(plan, rect)


def test_a_mask_against_the_corner_keeps_its_crop_inside_the_photo() -> None:
    rect = Box(0, 0, 300, 200)
    plan = plan_edit(noise_image(2400, 1600), masks.from_rect(2400, 1600, rect), params())
    assert plan.crop.left == 0
    assert plan.crop.top == 0
    assert plan.crop.right >= 300 + 64 + 32
    assert plan.crop.bottom >= 200 + 64 + 32
    assert_mask_marks_rect(plan, rect)


def test_a_one_pixel_mask_is_planned_and_reaches_the_model() -> None:
    rect = Box(517, 333, 518, 334)
    plan = plan_edit(noise_image(1200, 900), masks.from_rect(1200, 900, rect), params())
    assert rule("gpt-image-2").problem(*plan.request_size) is None
    assert_mask_marks_rect(plan, rect)


@pytest.mark.parametrize(("model_id", "expected"), [("gpt-image-2", None), (FIXED, (1536, 1024))])
def test_a_tiny_photo_is_sent_whole_and_upsampled(
    model_id: str, expected: tuple[int, int] | None
) -> None:
    image = noise_image(64, 48)
    plan = plan_edit(image, masks.from_rect(64, 48, Box(20, 20, 30, 30)), params(model=model_id))
    assert plan.crop == Box(0, 0, 64, 48)
    request_w, request_h = plan.request_size
    assert rule(model_id).problem(request_w, request_h) is None
    if expected is None:
        assert request_w * request_h >= rule(model_id).min_pixels
        assert abs(request_w / request_h - 4 / 3) < 0.02
    else:
        assert plan.request_size == expected


def test_a_huge_photo_edited_whole_is_downsampled_to_the_model_maximum() -> None:
    width, height = 12000, 8000
    mask = masks.from_rect(width, height, Box(0, 0, width, height))
    plan = plan_edit(lazy_image(width, height), mask, params())
    assert plan.crop == Box(0, 0, width, height)
    request_w, request_h = plan.request_size
    size_rule = rule("gpt-image-2")
    assert size_rule.problem(request_w, request_h) is None
    assert request_w * request_h >= 0.97 * size_rule.max_pixels
    assert abs(request_w / request_h - 1.5) < 0.01


def test_a_small_mask_on_a_huge_photo_sends_only_its_surroundings() -> None:
    width, height = 12000, 8000
    rect = Box(9000, 6000, 9400, 6300)
    plan = plan_edit(lazy_image(width, height), masks.from_rect(width, height, rect), params())
    assert plan.crop.width < 800
    assert plan.crop.height < 800
    assert plan.request_size[0] < 1200


def test_a_strip_photo_sends_a_sub_window_around_a_small_mask() -> None:
    width, height = 10000, 1000
    rect = Box(4900, 400, 5100, 600)
    plan = plan_edit(noise_image(width, height), masks.from_rect(width, height, rect), params())
    assert plan.crop.left > 0
    assert plan.crop.right < width
    request_w, request_h = plan.request_size
    assert 1 / 3 <= request_w / request_h <= 3


def test_a_mask_wider_than_the_model_allows_is_padded_not_squeezed() -> None:
    # A 10:1 strip with an 8:1 mask: the crop narrows toward the mask and the model's 3:1 request
    # shows the strip with mirrored photo above and below.
    width, height = 10000, 1000
    rect = Box(2000, 450, 8000, 550)
    plan = plan_edit(noise_image(width, height), masks.from_rect(width, height, rect), params())
    assert plan.crop.top == 0
    assert plan.crop.bottom == height
    assert plan.crop.left <= 2000 - 96
    assert plan.crop.right >= 8000 + 96
    assert plan.crop.width < width
    request_w, request_h = plan.request_size
    assert request_w / request_h == pytest.approx(3.0, rel=0.01)
    window = sizing.request_window(plan.crop, plan.request_size)
    assert window.top < 0
    assert window.bottom > height
    assert_mask_marks_rect(plan, rect)


@pytest.mark.parametrize("model_id", [FIXED, "chatgpt-image-latest", "gpt-image-1-mini"])
@pytest.mark.parametrize(
    ("rect", "expected"),
    [
        (Box(1000, 1000, 1300, 1300), (1024, 1024)),
        (Box(500, 1000, 700, 1900), (1024, 1536)),
        (Box(600, 1100, 2400, 1700), (1536, 1024)),
    ],
)
def test_fixed_size_models_get_the_shape_closest_to_the_mask(
    model_id: str, rect: Box, expected: tuple[int, int]
) -> None:
    plan = plan_edit(
        noise_image(3000, 3000), masks.from_rect(3000, 3000, rect), params(model=model_id)
    )
    assert plan.request_size == expected
    # The photo had room, so the crop itself took the request's shape: nothing is padded.
    assert sizing.request_window(plan.crop, plan.request_size) == plan.crop or (
        abs(plan.crop.width * expected[1] - plan.crop.height * expected[0]) <= max(expected)
    )


def test_an_explicit_size_is_used_and_the_crop_takes_its_shape() -> None:
    rect = Box(1500, 1000, 1800, 1300)
    plan = plan_edit(
        noise_image(4000, 3000), masks.from_rect(4000, 3000, rect), params(size="1024x1536")
    )
    assert plan.request_size == (1024, 1536)
    assert plan.crop.height / plan.crop.width == pytest.approx(1.5, rel=0.01)
    assert_mask_marks_rect(plan, rect)


def test_references_ride_along_unchanged() -> None:
    refs = (
        Reference("style.png", b"\x89PNG-style", "image/png"),
        Reference("obj.jpg", b"jpg", "image/jpeg"),
    )
    plan = plan_edit(
        noise_image(800, 600),
        masks.from_rect(800, 600, Box(10, 10, 50, 50)),
        params(),
        references=refs,
    )
    assert plan.references == refs


def test_an_intricate_mask_still_uploads_under_four_megabytes() -> None:
    rng = np.random.default_rng(3)
    mask = np.where(rng.random((2160, 3840)) < 0.5, 255, 0).astype(np.uint8)
    plan = plan_edit(noise_image(3840, 2160), mask, params())
    assert plan.request_size == (3840, 2160)
    assert len(plan.mask_png) < 4 * 1024 * 1024
    assert np.array_equal(mask_alpha(plan), 255 - mask)


@pytest.mark.parametrize(
    ("changes", "references", "field"),
    [
        ({"quality": "ultra"}, 0, "quality"),
        ({"size": "1000x1000"}, 0, "size"),
        ({"prompt": "  "}, 0, "prompt"),
        ({}, 16, "references"),
    ],
)
def test_bad_parameters_are_refused_before_the_mask_is_looked_at(
    changes: dict[str, Any], references: int, field: str
) -> None:
    refs = [Reference(f"r{i}.png", b"x", "image/png") for i in range(references)]
    wrong_mask = np.zeros((10, 10), dtype=np.uint8)  # wrong size too: parameters come first
    with pytest.raises(ImgdeskError) as caught:
        plan_edit(noise_image(200, 100), wrong_mask, params(**changes), references=refs)
    assert caught.value.kind is ErrorKind.INVALID_REQUEST
    assert caught.value.field == field


def test_a_shut_down_model_is_refused_with_a_way_out() -> None:
    with pytest.raises(ImgdeskError) as caught:
        plan_edit(
            noise_image(200, 100),
            masks.from_rect(200, 100, Box(0, 0, 5, 5)),
            params(model="gpt-image-1"),
        )
    assert caught.value.kind is ErrorKind.MODEL_UNAVAILABLE


@pytest.mark.parametrize(
    "mask",
    [np.zeros((100, 200), dtype=np.uint8), np.full((100, 201), 255, dtype=np.uint8)],
    ids=["empty", "wrong-size"],
)
def test_an_unusable_mask_is_refused(mask: np.ndarray) -> None:
    with pytest.raises(ImgdeskError) as caught:
        plan_edit(noise_image(200, 100), mask, params())
    assert caught.value.kind is ErrorKind.MASK


def test_a_photo_that_is_not_rgba_is_refused() -> None:
    rgb = np.zeros((100, 200, 3), dtype=np.uint8)
    with pytest.raises(ImgdeskError) as caught:
        plan_edit(rgb, masks.from_rect(200, 100, Box(0, 0, 5, 5)), params())
    assert caught.value.kind is ErrorKind.IMAGE


@pytest.mark.parametrize(("side", "expected"), [(10, 2.0), (1000, 7.5), (4000, 30.0), (9000, 32.0)])
def test_default_feather_scales_with_the_crop_within_bounds(side: int, expected: float) -> None:
    assert sizing.default_feather(Box(0, 0, side * 2, side)) == pytest.approx(expected)
    assert math.ceil(sizing.default_feather(Box(0, 0, side, side))) <= sizing.feather_reach(None)
