"""Masks: construction, strokes, morphology, feathering, checks and file round trips."""

from __future__ import annotations

import io
import itertools
import math
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from imgdesk.core import masks
from imgdesk.core.edit_types import Box, MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError

SMALL = settings(max_examples=60, deadline=None)

sides = st.integers(min_value=1, max_value=40)
hard_masks = st.tuples(sides, sides).flatmap(
    lambda shape: arrays(np.uint8, shape, elements=st.sampled_from([0, 255]))
)
soft_masks = st.tuples(sides, sides).flatmap(lambda shape: arrays(np.uint8, shape))
any_masks = hard_masks | soft_masks


def squared_distance_to(region: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Brute force: squared Euclidean distance from every pixel to the nearest True pixel."""
    ys, xs = np.nonzero(region)
    h, w = region.shape
    if len(ys) == 0:
        return np.full((h, w), np.iinfo(np.int64).max, dtype=np.int64)
    yy, xx = np.mgrid[0:h, 0:w]
    d2 = (yy[..., None] - ys) ** 2 + (xx[..., None] - xs) ** 2
    nearest: npt.NDArray[np.int64] = d2.min(axis=-1).astype(np.int64)
    return nearest


def centre_distance(shape: tuple[int, int], x: float, y: float) -> npt.NDArray[np.float64]:
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]]
    dist: npt.NDArray[np.float64] = np.hypot(xx + 0.5 - x, yy + 0.5 - y)
    return dist


# --- construction -------------------------------------------------------------------------------


def test_empty_mask_is_zero_uint8_height_by_width() -> None:
    mask = masks.empty_mask(7, 3)
    assert mask.shape == (3, 7)
    assert mask.dtype == np.uint8
    assert not mask.any()
    assert masks.is_empty(mask)
    assert masks.bounding_box(mask) is None


def test_empty_mask_without_pixels_is_a_mask_error() -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.empty_mask(0, 10)
    assert caught.value.kind is ErrorKind.MASK


def test_rect_mask_has_exactly_the_rect() -> None:
    box = Box(3, 4, 13, 9)
    mask = masks.from_rect(20, 15, box)
    assert np.count_nonzero(mask == 255) == box.width * box.height == np.count_nonzero(mask)
    assert masks.bounding_box(mask) == box
    assert masks.coverage(mask) == pytest.approx(50 / 300)


def test_rects_are_clamped_and_unioned() -> None:
    mask = masks.from_rects(10, 10, [Box(-5, -5, 2, 2), Box(1, 1, 4, 3), Box(8, 8, 30, 30)])
    expected = np.zeros((10, 10), np.uint8)
    expected[0:2, 0:2] = 255
    expected[1:3, 1:4] = 255
    expected[8:10, 8:10] = 255
    np.testing.assert_array_equal(mask, expected)
    assert masks.is_empty(masks.from_rect(10, 10, Box(20, 20, 30, 30)))


@pytest.mark.parametrize("antialias", [True, False])
def test_polygon_on_pixel_edges_equals_the_rect(antialias: bool) -> None:
    mask = masks.from_polygon(20, 15, [(2, 3), (12, 3), (12, 8), (2, 8)], antialias=antialias)
    np.testing.assert_array_equal(mask, masks.from_rect(20, 15, Box(2, 3, 12, 8)))


def test_polygon_half_pixel_offset_gives_half_coverage_on_edges() -> None:
    mask = masks.from_polygon(20, 15, [(2.5, 3.5), (12.5, 3.5), (12.5, 8.5), (2.5, 8.5)])
    assert (mask[4:8, 3:12] == 255).all()
    assert set(np.unique(mask[3, 3:12])) == {128}  # top edge row
    assert set(np.unique(mask[4:8, 12])) == {128}  # right edge column
    assert mask[3, 2] == mask[8, 12] == 64  # corners: a quarter
    assert np.count_nonzero(mask) == 11 * 6


def test_polygon_without_antialias_fills_pixels_whose_centre_is_inside() -> None:
    triangle = [(2.3, 1.0), (30.0, 4.7), (9.1, 27.2)]
    mask = masks.from_polygon(32, 30, triangle, antialias=False)
    assert set(np.unique(mask)) <= {0, 255}
    yy, xx = np.mgrid[0:30, 0:32]
    px, py = xx + 0.5, yy + 0.5
    (ax, ay), (bx, by), (cx, cy) = triangle

    def side(x0: float, y0: float, x1: float, y1: float) -> npt.NDArray[np.float64]:
        cross: npt.NDArray[np.float64] = (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)
        return cross

    s1, s2, s3 = side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)
    inside = ((s1 > 0) & (s2 > 0) & (s3 > 0)) | ((s1 < 0) & (s2 < 0) & (s3 < 0))
    np.testing.assert_array_equal(mask == 255, inside)


@given(
    st.lists(
        st.tuples(st.floats(0, 48), st.floats(0, 40)),
        min_size=3,
        max_size=3,
    )
)
@SMALL
def test_antialiased_polygon_coverage_matches_its_area(points: list[tuple[float, float]]) -> None:
    mask = masks.from_polygon(48, 40, points)
    xs, ys = zip(*points, strict=True)
    area = 0.5 * abs(sum(xs[i] * ys[(i + 1) % 3] - xs[(i + 1) % 3] * ys[i] for i in range(3)))
    perimeter = sum(math.dist(points[i], points[(i + 1) % 3]) for i in range(3))
    # Rows are sampled 16 times per pixel, columns exactly, values rounded to 1/255.
    assert mask.sum() / 255 == pytest.approx(area, abs=perimeter / 16 + 0.5)


def test_self_crossing_polygon_fills_by_nonzero_winding() -> None:
    # A pentagram: even-odd would leave the centre pentagon empty.
    star = [
        (16 + 14 * math.sin(k * 4 * math.pi / 5), 16 - 14 * math.cos(k * 4 * math.pi / 5))
        for k in range(5)
    ]
    mask = masks.from_polygon(32, 32, star)
    assert mask[16, 16] == 255
    assert mask[0, 0] == 0


def test_polygon_degenerate_or_outside_gives_an_empty_mask() -> None:
    assert masks.is_empty(masks.from_polygon(10, 10, [(1, 1), (5, 5)]))
    assert masks.is_empty(masks.from_polygon(10, 10, [(1, -9), (8, -9), (4, -2)]))
    clipped = masks.from_polygon(10, 10, [(-5, -5), (20, -5), (20, 20), (-5, 20)])
    assert (clipped == 255).all()


# --- brush strokes ------------------------------------------------------------------------------


def test_hard_dab_is_a_disc_with_an_antialiased_rim() -> None:
    mask = masks.empty_mask(40, 40)
    box = masks.paint_stroke(mask, [(20.5, 20.5)], radius=5)
    dist = centre_distance(mask.shape, 20.5, 20.5)
    assert (mask[dist <= 4.5] == 255).all()
    assert not mask[dist >= 5.5].any()
    assert box == masks.bounding_box(mask) == Box(15, 15, 26, 26)


def test_soft_dab_keeps_a_solid_centre_and_falls_off() -> None:
    mask = masks.empty_mask(40, 40)
    masks.paint_stroke(mask, [(20.5, 20.5)], radius=10, hardness=0.3)
    assert mask[20, 20] == 255
    ray = mask[20, 20:32].astype(int)
    assert (np.diff(ray) <= 0).all()  # never brighter further out
    middle = ray[(ray > 0) & (ray < 255)]
    assert len(middle) >= 5  # a real gradient, not a one-pixel rim
    assert mask[20, 31] == 0


def test_stroke_paints_along_the_line_not_just_its_ends() -> None:
    mask = masks.empty_mask(60, 20)
    masks.paint_stroke(mask, [(5.5, 10.5), (54.5, 10.5)], radius=2)
    assert (mask[10, 5:55] == 255).all()
    assert (mask[9:12, 30] == 255).all()
    assert mask[8, 30] == mask[12, 30] == 128  # pixel centres exactly on the rim: half covered
    assert not mask[:8].any()
    assert not mask[13:].any()


def test_overlapping_dabs_do_not_accumulate() -> None:
    once = masks.empty_mask(40, 40)
    masks.paint_stroke(once, [(15.0, 20.0)], radius=8, hardness=0.2)
    twice = once.copy()
    masks.paint_stroke(twice, [(15.0, 20.0)], radius=8, hardness=0.2)
    np.testing.assert_array_equal(once, twice)

    other = masks.empty_mask(40, 40)
    masks.paint_stroke(other, [(22.0, 20.0)], radius=8, hardness=0.2)
    both = once.copy()
    masks.paint_stroke(both, [(22.0, 20.0)], radius=8, hardness=0.2)
    np.testing.assert_array_equal(both, np.maximum(once, other))


def test_polyline_equals_its_segments_painted_one_by_one() -> None:
    path = [(3.2, 4.1), (30.7, 9.9), (12.0, 35.5), (12.0, 35.5), (38.0, 38.0)]
    whole = masks.empty_mask(40, 40)
    masks.paint_stroke(whole, path, radius=3.5, hardness=0.6)
    pieces = masks.empty_mask(40, 40)
    for start, end in itertools.pairwise(path):
        masks.paint_stroke(pieces, [start, end], radius=3.5, hardness=0.6)
    np.testing.assert_array_equal(whole, pieces)


def test_erasing_with_a_larger_brush_restores_an_empty_mask() -> None:
    mask = masks.empty_mask(50, 50)
    path = [(10.0, 10.0), (40.0, 25.0), (15.0, 40.0)]
    masks.paint_stroke(mask, path, radius=4, hardness=0.5)
    assert mask.any()
    masks.paint_stroke(mask, path, radius=6, erase=True)
    assert masks.is_empty(mask)


def test_erasing_a_full_mask_clears_the_dab_and_nothing_else() -> None:
    mask = np.full((30, 30), 255, np.uint8)
    box = masks.paint_stroke(mask, [(15.5, 15.5)], radius=3, erase=True)
    dist = centre_distance(mask.shape, 15.5, 15.5)
    assert not mask[dist <= 2.5].any()
    assert (mask[dist >= 3.5] == 255).all()
    assert box is not None
    outside = np.ones(mask.shape, bool)
    outside[box.top : box.bottom, box.left : box.right] = False
    assert (mask[outside] == 255).all()


def test_stroke_outside_the_mask_changes_nothing_and_returns_none() -> None:
    mask = masks.empty_mask(20, 20)
    assert masks.paint_stroke(mask, [(-30.0, 5.0), (-10.0, 50.0)], radius=4) is None
    assert masks.paint_stroke(mask, [], radius=4) is None
    assert masks.is_empty(mask)


def test_stroke_partly_outside_is_clamped() -> None:
    mask = masks.empty_mask(20, 20)
    box = masks.paint_stroke(mask, [(0.0, 0.0)], radius=5)
    assert box is not None
    assert box.left == 0
    assert box.top == 0
    assert mask[0, 0] == 255


@given(
    before=arrays(np.uint8, (48, 48), elements=st.sampled_from([0, 0, 0, 90, 255])),
    path=st.lists(st.tuples(st.floats(-20, 68), st.floats(-20, 68)), min_size=1, max_size=4),
    radius=st.floats(0.3, 12),
    hardness=st.floats(0, 1),
    erase=st.booleans(),
)
@SMALL
def test_stroke_changes_only_inside_its_dirty_box(
    before: MaskArray,
    path: list[tuple[float, float]],
    radius: float,
    hardness: float,
    erase: bool,
) -> None:
    after = before.copy()
    box = masks.paint_stroke(after, path, radius=radius, hardness=hardness, erase=erase)
    changed = after != before
    if box is None:
        assert not changed.any()
        return
    assert 0 <= box.left < box.right <= 48
    assert 0 <= box.top < box.bottom <= 48
    outside = np.ones(after.shape, bool)
    outside[box.top : box.bottom, box.left : box.right] = False
    assert not changed[outside].any()
    assert ((after <= before) if erase else (after >= before)).all()


def test_stroke_on_a_large_mask_allocates_only_around_the_stroke() -> None:
    mask = masks.empty_mask(6000, 4000)
    tracemalloc.start()
    try:
        masks.paint_stroke(mask, [(3000.0, 2000.0), (3040.0, 2010.0)], radius=30, hardness=0.5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert mask[2005, 3020] == 255
    assert peak < 1_000_000  # the mask is 24 MB; the stroke's neighbourhood is ~100x70 px


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"radius": 0}, "radius"), ({"radius": 3, "hardness": 1.5}, "hardness")],
)
def test_bad_brush_settings_are_refused(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.paint_stroke(masks.empty_mask(5, 5), [(1.0, 1.0)], **kwargs)  # type: ignore[arg-type]
    assert caught.value.kind is ErrorKind.INVALID_REQUEST
    assert caught.value.field == field


# --- invert, grow, shrink -----------------------------------------------------------------------


@given(any_masks)
@SMALL
def test_invert_flips_values_and_is_its_own_inverse(mask: MaskArray) -> None:
    flipped = masks.invert(mask)
    assert flipped.dtype == np.uint8
    np.testing.assert_array_equal(flipped.astype(int), 255 - mask.astype(int))
    np.testing.assert_array_equal(masks.invert(flipped), mask)


@given(any_masks, st.integers(0, 6))
@SMALL
def test_grow_and_shrink_bracket_the_mask(mask: MaskArray, px: int) -> None:
    grown, shrunk = masks.grow(mask, px), masks.shrink(mask, px)
    for result in (grown, shrunk):
        assert result.shape == mask.shape
        assert result.dtype == np.uint8
    assert (grown >= mask).all()
    assert (shrunk <= mask).all()


@given(hard_masks, st.integers(0, 6))
@SMALL
def test_grow_adds_exactly_the_pixels_within_px(mask: MaskArray, px: int) -> None:
    expected = np.where(squared_distance_to(mask == 255) <= px * px, 255, 0)
    np.testing.assert_array_equal(masks.grow(mask, px), expected)


@given(any_masks, st.integers(1, 6))
@SMALL
def test_grow_and_shrink_match_full_frame_morphology(mask: MaskArray, px: int) -> None:
    # The implementation only processes the bounding box; the result must not show it.
    offsets = np.arange(-px, px + 1)
    disk = (offsets[:, None] ** 2 + offsets[None, :] ** 2 <= px * px).astype(np.uint8)
    np.testing.assert_array_equal(masks.grow(mask, px), cv2.dilate(mask, disk))
    np.testing.assert_array_equal(masks.shrink(mask, px), cv2.erode(mask, disk))
    # Shrinking is growing what is kept; the photo's border never counts as kept.
    np.testing.assert_array_equal(
        masks.shrink(mask, px), masks.invert(masks.grow(masks.invert(mask), px))
    )


def test_shrink_keeps_a_mask_against_the_photo_border() -> None:
    mask = masks.from_rect(20, 20, Box(0, 0, 10, 20))
    np.testing.assert_array_equal(masks.shrink(mask, 3), masks.from_rect(20, 20, Box(0, 0, 7, 20)))


def test_grow_by_zero_is_a_copy_and_negative_is_refused() -> None:
    mask = masks.from_rect(10, 10, Box(2, 2, 5, 5))
    copy = masks.grow(mask, 0)
    assert copy is not mask
    np.testing.assert_array_equal(copy, mask)
    with pytest.raises(ImgdeskError) as caught:
        masks.shrink(mask, -1)
    assert caught.value.kind is ErrorKind.INVALID_REQUEST


# --- feather ------------------------------------------------------------------------------------


@given(any_masks, st.floats(0, 9))
@SMALL
def test_feather_support_and_interior_contract(mask: MaskArray, radius: float) -> None:
    soft = masks.feather(mask, radius)
    assert soft.shape == mask.shape
    assert soft.dtype == np.uint8
    assert (soft >= mask).all()  # hence 255 stays 255
    reach = math.ceil(radius)
    far = squared_distance_to(mask > 0) > reach * reach
    assert not soft[far].any()


def test_feather_ramps_outward_from_a_rect() -> None:
    mask = masks.from_rect(40, 40, Box(10, 10, 30, 30))
    soft = masks.feather(mask, 4)
    assert (soft[10:30, 10:30] == 255).all()
    row = soft[20, 30:40].astype(int)  # moving right, away from the rect
    assert 0 < row[0] < 255
    assert (np.diff(row) <= 0).all()
    assert row[3] > 0  # 4 px out is still inside the radius
    assert (row[4:] == 0).all()


def test_feather_of_a_mask_on_the_border_and_zero_radius() -> None:
    mask = masks.from_rect(30, 30, Box(0, 0, 30, 5))
    soft = masks.feather(mask, 3.5)
    assert (soft[:5] == 255).all()
    assert soft[5:8].all()  # 1 to 3 px out
    assert not soft[8:].any()  # 4 px out is beyond the radius
    copy = masks.feather(mask, 0)
    assert copy is not mask
    np.testing.assert_array_equal(copy, mask)
    np.testing.assert_array_equal(masks.feather(masks.empty_mask(8, 8), 5), np.zeros((8, 8)))


def test_negative_feather_is_refused() -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.feather(masks.empty_mask(4, 4), -1)
    assert caught.value.kind is ErrorKind.INVALID_REQUEST


# --- checks -------------------------------------------------------------------------------------


def test_validate_mask_accepts_a_matching_painted_mask() -> None:
    masks.validate_mask(masks.from_rect(60, 40, Box(1, 1, 2, 2)), (60, 40))


def test_validate_mask_explains_a_size_mismatch() -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.validate_mask(masks.from_rect(800, 600, Box(0, 0, 5, 5)), (6000, 4000))
    assert caught.value.kind is ErrorKind.MASK
    assert caught.value.message == (
        "The mask is 800x600 pixels but the photo is 6000x4000; "
        "a mask must match the photo exactly."
    )


def test_validate_mask_explains_an_empty_mask() -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.validate_mask(masks.empty_mask(6, 4), (6, 4))
    assert caught.value.kind is ErrorKind.MASK
    assert caught.value.message == "The mask is empty: paint the area to change first."


@pytest.mark.parametrize(
    "bad",
    [np.ones((4, 6), np.float32), np.ones((4, 6, 1), np.uint8), np.ones((0, 6), np.uint8)],
)
def test_validate_mask_refuses_wrong_arrays(bad: npt.NDArray[np.generic]) -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.validate_mask(bad, (6, 4))  # type: ignore[arg-type]
    assert caught.value.kind is ErrorKind.MASK


# --- PNG import and export ----------------------------------------------------------------------


def encode(image: Image.Image, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


@given(any_masks)
@SMALL
def test_export_then_import_is_exact(mask: MaskArray) -> None:
    np.testing.assert_array_equal(masks.import_mask_png(masks.export_mask_png(mask)), mask)


def test_export_uses_the_api_convention() -> None:
    mask = masks.from_rect(8, 6, Box(2, 1, 5, 4))
    mask[0, 0] = 100
    with Image.open(io.BytesIO(masks.export_mask_png(mask))) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        pixels = np.asarray(image)
    assert not pixels[..., :3].any()
    np.testing.assert_array_equal(pixels[..., 3], 255 - mask)


def test_import_reads_alpha_as_change_regardless_of_colour() -> None:
    rgba = np.full((4, 5, 4), 255, np.uint8)  # opaque white everywhere...
    rgba[1:3, 1:4, 3] = 0  # ...except a transparent hole: the area to edit
    rgba[0, 0, 3] = 200
    mask = masks.import_mask_png(encode(Image.fromarray(rgba)))
    expected = np.zeros((4, 5), np.uint8)
    expected[1:3, 1:4] = 255
    expected[0, 0] = 55
    np.testing.assert_array_equal(mask, expected)


def test_import_without_alpha_reads_grey_white_as_change() -> None:
    grey = np.array([[0, 64, 255], [255, 128, 0]], np.uint8)
    np.testing.assert_array_equal(masks.import_mask_png(encode(Image.fromarray(grey))), grey)
    rgb = np.zeros((2, 3, 3), np.uint8)
    rgb[0, 1] = 255
    expected = np.zeros((2, 3), np.uint8)
    expected[0, 1] = 255
    np.testing.assert_array_equal(masks.import_mask_png(encode(Image.fromarray(rgb))), expected)


def test_import_with_opaque_alpha_everywhere_reads_grey() -> None:
    rgba = np.zeros((3, 3, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[1, 1, :3] = 255
    mask = masks.import_mask_png(encode(Image.fromarray(rgba)))
    expected = np.zeros((3, 3), np.uint8)
    expected[1, 1] = 255
    np.testing.assert_array_equal(mask, expected)


def test_import_palette_with_a_transparent_entry() -> None:
    image = Image.new("P", (4, 2), 0)
    image.putpalette([255, 255, 255, 0, 0, 0])
    image.putpixel((1, 0), 1)
    image.info["transparency"] = 1
    mask = masks.import_mask_png(encode(image))
    expected = np.zeros((2, 4), np.uint8)
    expected[0, 1] = 255
    np.testing.assert_array_equal(mask, expected)


def test_import_sixteen_bit_grey_is_scaled() -> None:
    wide = np.array([[0, 65535, 32896]], np.uint16)
    mask = masks.import_mask_png(encode(Image.fromarray(wide)))
    np.testing.assert_array_equal(mask, np.array([[0, 255, 128]], np.uint8))


def test_import_from_a_path_checks_the_size(tmp_path: Path) -> None:
    path = tmp_path / "mask.png"
    path.write_bytes(masks.export_mask_png(masks.from_rect(8, 6, Box(0, 0, 2, 2))))
    assert masks.bounding_box(masks.import_mask_png(path, (8, 6))) == Box(0, 0, 2, 2)
    with pytest.raises(ImgdeskError) as caught:
        masks.import_mask_png(path, (16, 12))
    assert caught.value.kind is ErrorKind.MASK
    assert caught.value.message == (
        "The mask is 8x6 pixels but the photo is 16x12; a mask must match the photo exactly."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        masks.export_mask_png(np.full((64, 64), 7, np.uint8))[:-30],  # truncated
    ],
    ids=["empty", "text", "png-signature-only", "truncated"],
)
def test_unreadable_mask_is_a_mask_error(data: bytes) -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.import_mask_png(data)
    assert caught.value.kind is ErrorKind.MASK


def test_missing_mask_file_is_a_mask_error(tmp_path: Path) -> None:
    with pytest.raises(ImgdeskError) as caught:
        masks.import_mask_png(tmp_path / "nope.png")
    assert caught.value.kind is ErrorKind.MASK


@pytest.mark.parametrize("soft", [False, True])
def test_grow_of_one_pixel_by_a_large_px_is_a_round_disc(soft: bool) -> None:
    mask = masks.empty_mask(101, 101)
    mask[50, 50] = 255
    if soft:
        mask[0, 0] = 1  # one soft pixel takes the kernel path instead of the distance path
    grown = masks.grow(mask, 40)
    yy, xx = np.mgrid[0:101, 0:101]
    disc = (yy - 50) ** 2 + (xx - 50) ** 2 <= 40 * 40
    np.testing.assert_array_equal(grown == 255, disc)
    np.testing.assert_array_equal(masks.shrink(grown, 40) == 255, (yy == 50) & (xx == 50))
