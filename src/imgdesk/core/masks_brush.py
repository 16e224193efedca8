"""Round-brush strokes painted into a mask in place.

The canvas calls `paint_stroke` for every mouse-move segment on masks as large as 6000x4000, so
each segment only touches a slice around itself and allocates nothing the size of the mask.
Coordinates are image coordinates: pixel (x, y) covers [x, x + 1) x [y, y + 1), so its centre is
(x + 0.5, y + 0.5).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from imgdesk.core.edit_types import Box, MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

FloatArray = npt.NDArray[np.float32]


def paint_stroke(
    mask: MaskArray,
    points: Sequence[tuple[float, float]],
    *,
    radius: float,
    hardness: float = 1.0,
    erase: bool = False,
) -> Box | None:
    """Paint (or erase) a round-brush stroke along the polyline `points` into `mask`, in place.

    One point is a single dab. The brush is 255 out to `hardness * radius` from the stroke's
    centre line and falls smoothly to 0 at `radius + 0.5` (hardness 1.0 keeps a one-pixel
    antialiased rim). Painting keeps the larger value and erasing the smaller of the mask and the
    inverted brush, so overlapping dabs never build up. Returns the box of pixels the brush
    reached, clamped to the mask, or None when the stroke lies entirely outside it.
    """
    if mask.dtype != np.uint8 or mask.ndim != 2:
        raise ImgdeskError(
            ErrorKind.MASK, QT_TRANSLATE_NOOP("errors", "The mask must be a single 8-bit channel.")
        )
    if not (math.isfinite(radius) and radius > 0):
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "The brush size must be larger than zero."),
            field="radius",
        )
    if not 0.0 <= hardness <= 1.0:
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "Brush hardness must be between 0 and 1."),
            field="hardness",
        )
    pts = [(float(x), float(y)) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    if not pts:
        return None
    segments = list(itertools.pairwise(pts)) or [(pts[0], pts[0])]
    dirty: Box | None = None
    for start, end in segments:
        box = _paint_segment(mask, start, end, radius, hardness, erase)
        if box is not None:
            dirty = box if dirty is None else _union(dirty, box)
    return dirty


def _paint_segment(
    mask: MaskArray,
    start: tuple[float, float],
    end: tuple[float, float],
    radius: float,
    hardness: float,
    erase: bool,
) -> Box | None:
    height, width = mask.shape
    reach = radius + 1.0
    left = max(math.floor(min(start[0], end[0]) - reach), 0)
    top = max(math.floor(min(start[1], end[1]) - reach), 0)
    right = min(math.ceil(max(start[0], end[0]) + reach), width)
    bottom = min(math.ceil(max(start[1], end[1]) + reach), height)
    if left >= right or top >= bottom:
        return None
    dist = _distance_to_segment(left, top, right, bottom, start, end)
    dab = _brush_profile(dist, radius, hardness)
    rows = np.flatnonzero(dab.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(dab.any(axis=0))
    region = mask[top:bottom, left:right]  # a view: writes land in `mask`
    if erase:
        np.minimum(region, 255 - dab, out=region)
    else:
        np.maximum(region, dab, out=region)
    return Box(
        left + int(cols[0]), top + int(rows[0]), left + int(cols[-1]) + 1, top + int(rows[-1]) + 1
    )


def _distance_to_segment(
    left: int,
    top: int,
    right: int,
    bottom: int,
    start: tuple[float, float],
    end: tuple[float, float],
) -> FloatArray:
    """Distance from each pixel centre in the box to the segment start-end (a point if equal)."""
    px: FloatArray = (np.arange(left, right, dtype=np.float32) + 0.5 - start[0])[np.newaxis, :]
    py: FloatArray = (np.arange(top, bottom, dtype=np.float32) + 0.5 - start[1])[:, np.newaxis]
    dx, dy = end[0] - start[0], end[1] - start[1]
    length_sq = dx * dx + dy * dy
    if length_sq < 1e-12:  # a dab; also keeps the float32 projection below from dividing by 0
        return np.sqrt(px * px + py * py)
    # Project onto the segment, clamped to its ends.
    t = np.clip((px * dx + py * dy) / length_sq, 0.0, 1.0)
    ex = px - t * np.float32(dx)
    ey = py - t * np.float32(dy)
    return np.sqrt(ex * ex + ey * ey)


def _brush_profile(dist: FloatArray, radius: float, hardness: float) -> MaskArray:
    """Brush coverage 0-255 at each distance: solid core, smoothstep falloff to radius + 0.5."""
    outer = radius + 0.5
    inner = min(hardness * radius, radius - 0.5)
    t = np.clip((dist - inner) / (outer - inner), 0.0, 1.0)
    value: FloatArray = 1.0 - t * t * (3.0 - 2.0 * t)
    dab: MaskArray = np.rint(value * 255.0).astype(np.uint8)
    return dab


def _union(a: Box, b: Box) -> Box:
    return Box(
        min(a.left, b.left), min(a.top, b.top), max(a.right, b.right), max(a.bottom, b.bottom)
    )
