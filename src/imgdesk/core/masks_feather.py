"""Feathering: the soft edge the compositor blends through.

Only tiles the edge passes through, and their neighbours, need a distance transform; tiles deep
inside the mask become 255 in one step and tiles far from it keep their values. On a 6000x3375
crop holding a large ellipse that is about a fifth of the pixels, and the result is identical to
transforming the whole crop.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from imgdesk.core.edit_types import MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.masks_checks import check_mask_array
from imgdesk.core.masks_tiles import near_tiles, tile_grid

# Coverage at or above this counts as inside the mask when feathering (its 50% contour).
SOLID = 128
# Each tile is transformed with a margin around it; tiles at least four margins wide keep that
# overhead near 2x, and 128 px keeps the per-tile Python cost small against the pixel work.
_MIN_TILE = 128


def feather(mask: MaskArray, radius: float) -> MaskArray:
    """Soften the mask's edge outward, for compositing.

    The mask's inside is where coverage >= 128 (its 50% contour). Everything inside becomes 255;
    outside, each pixel gets max(its own value, a smoothstep falloff of its distance d to the
    nearest inside pixel) that starts at 255 half a pixel out and is cut to 0 for d > radius.
    Guarantees the compositor relies on: the result is >= the mask everywhere (so 255 stays 255),
    and it is 0 at every pixel farther than ceil(radius) from the nearest nonzero mask pixel.
    `radius` 0 returns a copy.
    """
    check_mask_array(mask)
    if not (math.isfinite(radius) and radius >= 0):
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "The feather radius must be zero or more pixels."),
            field="feather",
        )
    if radius == 0:
        return mask.copy()
    # A pixel within `radius` of the inside has its nearest inside pixel within `margin`.
    margin = math.ceil(radius) + 1
    grid = tile_grid(mask, max(_MIN_TILE, 4 * margin))
    has_inside = grid.high >= SOLID
    all_inside = grid.low >= SOLID
    out = mask.copy()
    for r, c in zip(*np.nonzero(all_inside), strict=True):
        out[grid.tile(r, c)] = 255
    # Tiles are wider than the margin, so only the 8 neighbours of a tile can reach into it.
    todo = [
        grid.tile(r, c)
        for r, c in zip(*np.nonzero(near_tiles(has_inside, 1) & ~all_inside), strict=True)
    ]
    if not todo:
        return out
    span = (
        slice(min(rows.start for rows, _ in todo), max(rows.stop for rows, _ in todo)),
        slice(min(cols.start for _, cols in todo), max(cols.stop for _, cols in todo)),
    )
    # With a wide radius the tiles' margins overlap so much that one transform over the inside's
    # bounding box plus the margin (which holds every pixel the ramp reaches) is cheaper.
    if sum(_area(tile, margin, mask.shape) for tile in todo) >= _area(span, margin, mask.shape):
        _feather_tile(mask, out, _around(_inside_box(mask), margin, mask.shape), 0, radius)
    else:
        for tile in todo:
            _feather_tile(mask, out, tile, margin, radius)
    return out


def _inside_box(mask: MaskArray) -> tuple[slice, slice]:
    inside = mask >= SOLID
    rows = np.flatnonzero(inside.any(axis=1))
    cols = np.flatnonzero(inside.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _around(tile: tuple[slice, slice], margin: int, shape: tuple[int, ...]) -> tuple[slice, slice]:
    """`tile` grown by `margin` on every side, within the mask."""
    rows, cols = tile
    return (
        slice(max(rows.start - margin, 0), min(rows.stop + margin, shape[0])),
        slice(max(cols.start - margin, 0), min(cols.stop + margin, shape[1])),
    )


def _area(tile: tuple[slice, slice], margin: int, shape: tuple[int, ...]) -> int:
    rows, cols = _around(tile, margin, shape)
    return int((rows.stop - rows.start) * (cols.stop - cols.start))


def _feather_tile(
    mask: MaskArray, out: MaskArray, tile: tuple[slice, slice], margin: int, radius: float
) -> None:
    rows, cols = tile
    around = _around(tile, margin, mask.shape)
    top, left = around[0].start, around[1].start
    outside = (mask[around] < SOLID).view(np.uint8)
    if cv2.countNonZero(outside) == outside.size:
        return  # no inside pixel within reach: the tile keeps its values
    # Pixels past the array's edge are never sources, so cropping only drops sources farther
    # than `margin`, which cannot be within `radius` of this tile.
    dist = cv2.distanceTransform(outside, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    dist = dist[rows.start - top : rows.stop - top, cols.start - left : cols.stop - left]
    part = out[rows, cols]  # a view into `out`
    part[dist == 0] = 255
    # Only the band around the edge needs the ramp; computing it there keeps wide spans cheap.
    band = np.nonzero((dist > 0) & (dist <= radius))
    # Below 1 px the band is empty, so the slope only has to stay finite.
    t = np.clip((dist[band] - 0.5) / max(radius, 0.5), 0.0, 1.0)
    ramp = np.rint((1.0 - t * t * (3.0 - 2.0 * t)) * 255.0).astype(np.uint8)
    part[band] = np.maximum(part[band], ramp)
