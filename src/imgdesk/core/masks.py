"""Edit masks: 8-bit coverage arrays, shape (height, width), 255 = change, 0 = keep.

Everything here returns a new array except `paint_stroke`, which paints in place because the
canvas calls it per mouse move. Point coordinates are image coordinates: pixel (x, y) covers
[x, x + 1) x [y, y + 1). Strokes, polygons, feathering and file import live in `masks_*` modules
and are re-exported here so callers import one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import cv2
import numpy as np

from imgdesk.core.edit_types import Box, MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.masks_brush import paint_stroke
from imgdesk.core.masks_checks import check_mask_array, validate_mask
from imgdesk.core.masks_feather import feather
from imgdesk.core.masks_io import export_mask_png, import_mask_png
from imgdesk.core.masks_polygon import from_polygon

__all__ = [
    "bounding_box",
    "coverage",
    "empty_mask",
    "export_mask_png",
    "feather",
    "from_polygon",
    "from_rect",
    "from_rects",
    "grow",
    "import_mask_png",
    "invert",
    "is_empty",
    "paint_stroke",
    "shrink",
    "validate_mask",
]

# Exact Euclidean distance transform (Felzenszwalb); the others are approximations.
_PRECISE = cv2.DIST_MASK_PRECISE
# Below this, float32 distances tell px from sqrt(px**2 + 1), so "distance <= px" is exact.
_EXACT_DISTANCE_LIMIT = 2048


def empty_mask(width: int, height: int) -> MaskArray:
    """A mask that changes nothing."""
    if width <= 0 or height <= 0:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "A mask needs a width and height of at least one pixel."),
        )
    return np.zeros((height, width), dtype=np.uint8)


def from_rect(width: int, height: int, box: Box) -> MaskArray:
    """A mask with `box` (clamped to the mask) at 255."""
    return from_rects(width, height, (box,))


def from_rects(width: int, height: int, boxes: Iterable[Box]) -> MaskArray:
    """A mask with every box (each clamped to the mask) at 255."""
    mask = empty_mask(width, height)
    for box in boxes:
        left, top = max(box.left, 0), max(box.top, 0)
        right, bottom = min(box.right, width), min(box.bottom, height)
        if left < right and top < bottom:
            mask[top:bottom, left:right] = 255
    return mask


def invert(mask: MaskArray) -> MaskArray:
    """Change what was kept and keep what was changed."""
    return 255 - check_mask_array(mask)


def grow(mask: MaskArray, px: int) -> MaskArray:
    """Each pixel takes the largest value within `px` pixels (Euclidean) of it.

    For a hard mask that adds every pixel within `px` of it. Only the mask's bounding box plus
    `px` is processed, so small masks on large photos stay cheap.
    """
    return _morph(mask, px, cv2.MORPH_DILATE)


def shrink(mask: MaskArray, px: int) -> MaskArray:
    """Each pixel takes the smallest value within `px` pixels (Euclidean) of it.

    The photo's own edges do not count as outside the mask, so a mask touching the border stays
    against it.
    """
    return _morph(mask, px, cv2.MORPH_ERODE)


def _morph(mask: MaskArray, px: int, op: int) -> MaskArray:
    check_mask_array(mask)
    if px < 0:
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "Grow and shrink take zero or more pixels."),
            field="px",
        )
    box = bounding_box(mask)
    if px == 0 or box is None:
        return mask.copy()
    # Beyond the box every pixel is 0, so a margin of px + 1 holds every pixel the result can
    # change and gives erosion the zeros it must see. OpenCV treats pixels past the array edge
    # as neutral (-inf for dilate, +inf for erode, never a source for distanceTransform), which
    # is right at the photo's border.
    region = _expand(box, px + 1, mask.shape)
    part = np.ascontiguousarray(mask[region])
    out = mask.copy()
    if px < _EXACT_DISTANCE_LIMIT and not ((part != 0) & (part != 255)).any():
        # A hard mask only needs distances, which cost the same for any px, while a disk
        # kernel's cost grows with px (seconds at px=50 on a 6000x4000 mask).
        if op == cv2.MORPH_DILATE:
            dist = cv2.distanceTransform((part == 0).view(np.uint8), cv2.DIST_L2, _PRECISE)
            out[region] = np.where(dist <= px, 255, 0)
        else:
            dist = cv2.distanceTransform(part, cv2.DIST_L2, _PRECISE)
            out[region] = np.where(dist > px, 255, 0)
    else:
        out[region] = cv2.morphologyEx(part, op, _disk(px))
    return out


def bounding_box(mask: MaskArray) -> Box | None:
    """The smallest box holding every nonzero pixel, or None for an empty mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return Box(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def coverage(mask: MaskArray) -> float:
    """The share of pixels the mask touches at all (value > 0), from 0.0 to 1.0."""
    return float(np.count_nonzero(mask)) / mask.size if mask.size else 0.0


def is_empty(mask: MaskArray) -> bool:
    return not mask.any()


@lru_cache(maxsize=32)
def _disk(px: int) -> MaskArray:
    """Structuring element holding every offset within Euclidean distance `px`.

    OpenCV's MORPH_ELLIPSE is close but not exactly round at small sizes; this one makes
    grow/shrink by `px` mean "within px pixels".
    """
    offsets = np.arange(-px, px + 1)
    kernel = (offsets[:, None] ** 2 + offsets[None, :] ** 2 <= px * px).astype(np.uint8)
    kernel.flags.writeable = False
    return kernel


def _expand(box: Box, margin: int, shape: tuple[int, ...]) -> tuple[slice, slice]:
    height, width = shape[0], shape[1]
    return (
        slice(max(box.top - margin, 0), min(box.bottom + margin, height)),
        slice(max(box.left - margin, 0), min(box.right + margin, width)),
    )
