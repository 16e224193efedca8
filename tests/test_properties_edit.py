"""Property tests across masks, planner and compositor with freehand masks (strokes, polygons,
grown and feathered shapes), where tests/test_planner.py and tests/test_composite.py use rectangles:
sizes are preserved, request sizes are always valid, and pixels outside mask + feather are
bit-identical after compositing."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from imgdesk.core import masks, sizing
from imgdesk.core.catalog import load_catalog, parse_size
from imgdesk.core.composite import composite
from imgdesk.core.edit_types import EditParams, MaskArray
from imgdesk.core.planner import plan_edit

USABLE = tuple(model.id for model in load_catalog().usable_models())
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def freehand(draw: st.DrawFn) -> MaskArray:
    """A non-empty mask drawn like a user would: strokes, a polygon, then grow or shrink."""
    width = draw(st.integers(16, 700))
    height = draw(st.integers(16, 700))
    mask = masks.empty_mask(width, height)
    coord = st.tuples(st.floats(-10, width + 10), st.floats(-10, height + 10))
    for _ in range(draw(st.integers(1, 3))):
        points = draw(st.lists(coord, min_size=1, max_size=4))
        masks.paint_stroke(
            mask,
            points,
            radius=draw(st.floats(0.5, 30)),
            hardness=draw(st.floats(0, 1)),
        )
    if draw(st.booleans()):
        polygon = masks.from_polygon(width, height, draw(st.lists(coord, min_size=3, max_size=6)))
        mask = np.maximum(mask, polygon)
    step = draw(st.integers(-2, 4))
    mask = masks.grow(mask, step) if step >= 0 else masks.shrink(mask, -step)
    if masks.is_empty(mask):  # a stroke wholly outside, or shrunk away: keep one dab
        masks.paint_stroke(mask, [(width / 2, height / 2)], radius=2)
    return mask


def noise(width: int, height: int, seed: int) -> np.ndarray:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    return pixels


@FAST
@given(freehand(), st.integers(0, 6), st.floats(0, 12))
def test_every_mask_operation_keeps_the_mask_size(mask: MaskArray, px: int, radius: float) -> None:
    for out in (
        masks.invert(mask),
        masks.grow(mask, px),
        masks.shrink(mask, px),
        masks.feather(mask, radius),
        masks.import_mask_png(masks.export_mask_png(mask)),
    ):
        assert out.shape == mask.shape
        assert out.dtype == np.uint8


@FAST
@given(freehand(), st.sampled_from(USABLE), st.sampled_from((None, 0.0, 2.5, 9.0)), st.data())
def test_freehand_edits_are_valid_requests_and_change_nothing_outside_the_feather(
    mask: MaskArray, model_id: str, feather_px: float | None, data: st.DataObject
) -> None:
    height, width = mask.shape
    original = noise(width, height, seed=1)
    before = original.copy()
    plan = plan_edit(original, mask, EditParams(prompt="x", model=model_id), feather_px=feather_px)
    request_w, request_h = plan.request_size
    assert load_catalog().get(model_id).sizes.problem(request_w, request_h) is None
    # The model redraws everything, and may answer at another size of the same shape.
    scale = data.draw(st.sampled_from((1.0, 0.5, 1.5)))
    result = noise(max(1, round(request_w * scale)), max(1, round(request_h * scale)), seed=2)
    output = composite(original, result, plan, mask, feather_px=feather_px)

    assert np.array_equal(original, before), "the original must not be modified"
    assert output.shape == original.shape
    assert output.dtype == np.uint8
    radius = sizing.default_feather(plan.crop) if feather_px is None else feather_px
    keep = masks.feather(mask, radius) == 0
    assert np.array_equal(output[keep], original[keep])


@FAST
@given(freehand(), st.sampled_from(USABLE), st.data())
def test_an_explicit_size_the_model_accepts_is_the_size_requested(
    mask: MaskArray, model_id: str, data: st.DataObject
) -> None:
    rule = load_catalog().get(model_id).sizes
    if rule.flexible:
        m = rule.multiple
        w = data.draw(st.integers(1, rule.max_width // m)) * m
        h = data.draw(st.integers(1, rule.max_height // m)) * m
        assume(rule.problem(w, h) is None)
        size = f"{w}x{h}"
    else:
        size = "{}x{}".format(*data.draw(st.sampled_from(rule.sizes)))
    height, width = mask.shape
    params = dataclasses.replace(EditParams(prompt="x", model=model_id), size=size)
    # A flat photo: encoding a request of up to 8 MP of noise would dominate the test's time.
    flat = np.broadcast_to(np.array([90, 120, 150, 255], dtype=np.uint8), (height, width, 4))
    plan = plan_edit(flat, mask, params)
    assert plan.request_size == parse_size(size)
    assert plan.image_size == (width, height)
