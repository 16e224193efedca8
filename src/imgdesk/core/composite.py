"""Blend a model's result back into the full-resolution photo through the feathered mask.

The model redraws the whole crop it was sent (colours drift, textures change), so only the masked
area and a soft band around it take the result; every pixel where the feathered weight is 0 is the
original, bit for bit. The work happens on the crop only, so compositing into a 24 MP photo costs
about as much as the crop.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from imgdesk.core import masks, masks_tiles, resample, sizing
from imgdesk.core.edit_types import Box, EditPlan, MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

# Blending works tile by tile (see `blend_into`); 128 px keeps the per-tile Python cost small
# against the pixel work while a thin feather ring still leaves most tiles untouched.
_TILE = 128


def composite(
    original: RGBAArray,
    result: RGBAArray,
    plan: EditPlan,
    mask: MaskArray,
    *,
    feather_px: float | None = None,
) -> RGBAArray:
    """A new full-resolution picture: `original` with `result` blended in under `mask`.

    `result` is the model's picture (normally at `plan.request_size`; any size is accepted and
    mapped by scale-to-cover, never stretched). `mask` and `feather_px` must be the ones the plan
    was made with; None means `sizing.default_feather(plan.crop)`, as in `plan_edit`.
    """
    _check(original, result, plan, mask)
    crop = plan.crop
    window = sizing.request_window(crop, (result.shape[1], result.shape[0]))
    scaled = resample.resize_pixels(result, (window.width, window.height))
    top, left = crop.top - window.top, crop.left - window.left
    edited = scaled[top : top + crop.height, left : left + crop.width]

    radius = sizing.default_feather(crop) if feather_px is None else feather_px
    weight = masks.feather(mask[crop.top : crop.bottom, crop.left : crop.right], radius)
    _check_weight_inside(weight, crop, plan.image_size)

    output = original.copy()
    blend_into(output[crop.top : crop.bottom, crop.left : crop.right], edited, weight)
    return output


def blend_into(target: RGBAArray, edited: RGBAArray, weight: MaskArray) -> None:
    """In place: target = target + (edited - target) * weight / 255, rounded to nearest.

    Weight 0 leaves a pixel untouched and weight 255 copies `edited` exactly. Only tiles the
    feather band (0 < weight < 255), usually a thin ring, passes through need arithmetic; tiles
    all at 255 are copied and tiles all at 0 are never read.
    """
    grid = masks_tiles.tile_grid(weight, _TILE)
    for r, c in zip(*np.nonzero(grid.high), strict=True):
        tile = grid.tile(r, c)
        if grid.low[r, c] == 255:
            target[tile] = edited[tile]
        else:
            # The formula is exact at 0 and 255 too, so the whole tile can take it.
            w = weight[tile].astype(np.uint16)[..., None]
            keep = target[tile].astype(np.uint16)
            take = edited[tile].astype(np.uint16)
            target[tile] = _div255(keep * (255 - w) + take * w)


def _div255(values: npt.NDArray[np.uint16]) -> RGBAArray:
    """round(values / 255) for 0 <= values <= 255 * 255, exactly, without a division; 255 is odd
    so there are no ties to break."""
    values = values + 128
    return ((values + (values >> 8)) >> 8).astype(np.uint8)


def _check(original: RGBAArray, result: RGBAArray, plan: EditPlan, mask: MaskArray) -> None:
    if original.ndim != 3 or original.shape[2] != 4 or original.dtype != np.uint8:
        raise ImgdeskError(
            ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "The photo must be 8-bit RGBA pixels.")
        )
    height, width = original.shape[:2]
    if (width, height) != tuple(plan.image_size):
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors",
                "The photo is {width}x{height} pixels but the edit was planned for "
                "{image_size}x{image_size2}; plan the edit again.",
            ),
            width=width,
            height=height,
            image_size=plan.image_size[0],
            image_size2=plan.image_size[1],
        )
    if mask.shape != (height, width) or mask.dtype != np.uint8:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors", "The mask no longer matches the photo; paint it again and retry."
            ),
        )
    if result.ndim != 3 or result.shape[2] != 4 or result.dtype != np.uint8 or not result.size:
        raise ImgdeskError(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors", "The picture the image service returned is not usable RGBA pixels."
            ),
        )


def _check_weight_inside(weight: MaskArray, crop: Box, image_size: tuple[int, int]) -> None:
    """Refuse a mask or feather that reaches the edge of the crop where the photo goes on.

    There the result has no pixels to blend, so the feather would end in a hard seam; it means
    the mask was repainted or the feather widened after the edit was planned.
    """
    width, height = image_size
    edges = (
        (crop.top > 0, weight[0, :]),
        (crop.bottom < height, weight[-1, :]),
        (crop.left > 0, weight[:, 0]),
        (crop.right < width, weight[:, -1]),
    )
    if any(inside and bool(edge.any()) for inside, edge in edges):
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors",
                "The mask or its feather reaches past the area that was sent for editing; it "
                "probably changed after the edit was started. Run the edit again.",
            ),
        )
