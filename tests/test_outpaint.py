"""Canvas expansion for outpainting: margins for an aspect ratio, grown pixels and mask."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgdesk.core import masks
from imgdesk.core.edit_types import Box
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.outpaint import ANCHORS, Margins, expand_canvas, margins_for_aspect


def photo(width: int, height: int) -> npt.NDArray[np.uint8]:
    """Distinct colour per pixel, partly transparent, so any misplacement shows."""
    rng = np.random.default_rng(width * 1000 + height)
    pixels = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    pixels[..., 3] = np.maximum(pixels[..., 3], 1)  # no pixel of the photo is fully transparent
    return pixels


# --- margins_for_aspect -------------------------------------------------------------------------


def test_square_to_wide_and_tall() -> None:
    assert margins_for_aspect(100, 100, 2.0) == Margins(50, 0, 50, 0)
    assert margins_for_aspect(100, 100, 0.5) == Margins(0, 50, 0, 50)
    assert margins_for_aspect(1600, 900, 16 / 9) == Margins(0, 0, 0, 0)


def test_odd_leftover_goes_right_or_down_when_centred() -> None:
    assert margins_for_aspect(101, 100, 2.0) == Margins(49, 0, 50, 0)
    assert margins_for_aspect(100, 101, 100 / 200) == Margins(0, 49, 0, 50)


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("left", Margins(0, 0, 60, 0)),
        ("right", Margins(60, 0, 0, 0)),
        ("top-left", Margins(0, 0, 60, 0)),
        ("bottom-right", Margins(60, 0, 0, 0)),
        ("top", Margins(30, 0, 30, 0)),
    ],
)
def test_anchor_keeps_the_photo_on_its_side(anchor: str, expected: Margins) -> None:
    assert margins_for_aspect(120, 90, 2.0, anchor=anchor) == expected


def test_vertical_anchors() -> None:
    assert margins_for_aspect(90, 90, 0.5, anchor="top") == Margins(0, 0, 0, 90)
    assert margins_for_aspect(90, 90, 0.5, anchor="bottom-left") == Margins(0, 90, 0, 0)


@given(
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.floats(1 / 3, 3.0),
    st.sampled_from(ANCHORS),
)
@settings(max_examples=200, deadline=None)
def test_margins_are_the_smallest_that_reach_the_aspect(
    width: int, height: int, aspect: float, anchor: str
) -> None:
    m = margins_for_aspect(width, height, aspect, anchor=anchor)
    assert min(m.left, m.top, m.right, m.bottom) >= 0
    new_w, new_h = m.expanded_size(width, height)
    assert m.left + m.right == 0 or m.top + m.bottom == 0  # only one axis grows
    if new_w > width:
        assert new_w == round(height * aspect)  # the nearest whole width to the aspect
    elif new_h > height:
        assert new_h == round(width / aspect)
    else:  # already at (or beyond) the aspect on the side that could grow
        assert round(height * aspect) <= width
        assert round(width / aspect) <= height


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"aspect": 0.0}, "aspect"),
        ({"aspect": float("nan")}, "aspect"),
        ({"aspect": 1.5, "anchor": "middle"}, "anchor"),
    ],
)
def test_bad_aspect_requests_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ImgdeskError) as caught:
        margins_for_aspect(100, 80, **kwargs)  # type: ignore[arg-type]
    assert caught.value.kind is ErrorKind.INVALID_REQUEST
    assert caught.value.field == field


# --- expand_canvas ------------------------------------------------------------------------------


def test_expand_places_the_photo_and_makes_the_new_area_transparent() -> None:
    pixels = photo(7, 5)
    margins = Margins(3, 2, 4, 1)
    grown, mask = expand_canvas(pixels, None, margins)
    assert grown.shape == (8, 14, 4)
    assert grown.dtype == np.uint8
    assert mask.shape == (8, 14)
    inner = margins.inner_box(7, 5)
    assert inner == Box(3, 2, 10, 7)
    np.testing.assert_array_equal(grown[2:7, 3:10], pixels)
    new_area = np.ones((8, 14), bool)
    new_area[2:7, 3:10] = False
    assert not grown[..., 3][new_area].any()
    np.testing.assert_array_equal(mask, np.where(new_area, 255, 0))


def test_new_area_colour_repeats_the_nearest_edge() -> None:
    pixels = photo(6, 4)
    grown, _ = expand_canvas(pixels, None, Margins(2, 3, 1, 2))
    for x in range(2):  # left margin repeats column 0
        np.testing.assert_array_equal(grown[3:7, x, :3], pixels[:, 0, :3])
    np.testing.assert_array_equal(grown[0, 2:8, :3], pixels[0, :, :3])  # top repeats row 0
    np.testing.assert_array_equal(grown[-1, -1, :3], pixels[-1, -1, :3])  # corner: corner pixel


def test_expand_shifts_the_existing_mask() -> None:
    pixels = photo(10, 8)
    old = masks.from_rect(10, 8, Box(2, 3, 5, 6))
    _, mask = expand_canvas(pixels, old, Margins(4, 0, 0, 0))
    expected = masks.from_rects(14, 8, [Box(0, 0, 4, 8), Box(6, 3, 9, 6)])
    np.testing.assert_array_equal(mask, expected)


def test_overlap_reaches_into_the_photo_only_on_grown_sides() -> None:
    pixels = photo(10, 8)
    _, mask = expand_canvas(pixels, None, Margins(0, 2, 3, 0), overlap=2)
    # Canvas is 13x10, photo at x 0..9, y 2..9; new area top rows 0-1 and right columns 10-12.
    expected = masks.from_rects(13, 10, [Box(0, 0, 13, 4), Box(8, 0, 13, 10)])
    np.testing.assert_array_equal(mask, expected)


def test_overlap_deeper_than_the_photo_covers_it() -> None:
    _, mask = expand_canvas(photo(3, 3), None, Margins(1, 0, 0, 0), overlap=10)
    assert (mask == 255).all()


def test_zero_margins_return_copies() -> None:
    pixels = photo(5, 4)
    old = masks.from_rect(5, 4, Box(1, 1, 2, 2))
    grown, mask = expand_canvas(pixels, old, Margins(0, 0, 0, 0), overlap=3)
    np.testing.assert_array_equal(grown, pixels)
    np.testing.assert_array_equal(mask, old)
    grown[0, 0] = 0
    mask[1, 1] = 0
    assert pixels[0, 0, 3] > 0
    assert old[1, 1] == 255


def test_negative_margins_are_refused() -> None:
    with pytest.raises(ImgdeskError) as caught:
        expand_canvas(photo(5, 4), None, Margins(0, -1, 0, 0))
    assert caught.value.kind is ErrorKind.INVALID_REQUEST
    assert caught.value.field == "margins"
    with pytest.raises(ImgdeskError) as caught:
        expand_canvas(photo(5, 4), None, Margins(0, 1, 0, 0), overlap=-1)
    assert caught.value.field == "overlap"


def test_mask_of_another_size_is_refused() -> None:
    with pytest.raises(ImgdeskError) as caught:
        expand_canvas(photo(5, 4), masks.empty_mask(4, 5), Margins(1, 1, 1, 1))
    assert caught.value.kind is ErrorKind.MASK


def test_pixels_must_be_rgba() -> None:
    with pytest.raises(ImgdeskError) as caught:
        expand_canvas(np.zeros((4, 5, 3), np.uint8), None, Margins(1, 1, 1, 1))
    assert caught.value.kind is ErrorKind.IMAGE
