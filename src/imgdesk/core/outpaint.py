"""Growing the canvas so a model can paint beyond the photo's edges (outpainting).

The new area is transparent (alpha 0) in the returned pixels because that is the truth for the
document: nothing is there yet. Its colour channels repeat the nearest edge pixel, so anything
that reads RGB without alpha (the local OpenCV engine, a resize that does not premultiply, a JPEG
preview) sees a plausible continuation instead of black. What is actually sent is decided by the
planner when it encodes the crop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from imgdesk.core.edit_types import Box, MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.masks_checks import check_mask_array, size_mismatch

# Where the original photo sits inside the grown canvas: (horizontal, vertical) share of the
# added space that goes before it (left / top).
_ANCHORS: dict[str, tuple[float, float]] = {
    "center": (0.5, 0.5),
    "left": (0.0, 0.5),
    "right": (1.0, 0.5),
    "top": (0.5, 0.0),
    "bottom": (0.5, 1.0),
    "top-left": (0.0, 0.0),
    "top-right": (1.0, 0.0),
    "bottom-left": (0.0, 1.0),
    "bottom-right": (1.0, 1.0),
}
ANCHORS = tuple(_ANCHORS)


@dataclass(frozen=True)
class Margins:
    """Pixels added on each side of the photo."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def is_zero(self) -> bool:
        return self.left == self.top == self.right == self.bottom == 0

    def expanded_size(self, width: int, height: int) -> tuple[int, int]:
        """(width, height) of a `width` x `height` photo once the margins are added."""
        return (width + self.left + self.right, height + self.top + self.bottom)

    def inner_box(self, width: int, height: int) -> Box:
        """Where the original `width` x `height` photo lies in the grown canvas."""
        return Box(self.left, self.top, self.left + width, self.top + height)


def margins_for_aspect(
    width: int, height: int, aspect: float, *, anchor: str = "center"
) -> Margins:
    """The smallest margins that bring a `width` x `height` photo to `aspect` (width / height) by
    adding space only. The new side is rounded to the nearest pixel, so a photo already within
    half a pixel of the aspect gets no margins. `anchor` (see ANCHORS) says where the photo
    stays; with "center" an odd leftover pixel goes to the right or bottom.
    """
    if width <= 0 or height <= 0:
        raise ImgdeskError(
            ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "The photo has no pixels to extend.")
        )
    if not (math.isfinite(aspect) and aspect > 0):
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP(
                "errors", "The aspect ratio must be a positive number, such as 16:9."
            ),
            field="aspect",
        )
    if anchor not in _ANCHORS:
        raise ImgdeskError.make(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "The photo can be anchored at {anchors}, not “{anchor}”."),
            field="anchor",
            anchors=", ".join(ANCHORS),
            anchor=anchor,
        )
    # At most one of these is nonzero: a photo narrower than the aspect is already tall enough.
    extra_w = max(round(height * aspect) - width, 0)
    extra_h = max(round(width / aspect) - height, 0)
    share_x, share_y = _ANCHORS[anchor]
    left = math.floor(extra_w * share_x)
    top = math.floor(extra_h * share_y)
    return Margins(left, top, extra_w - left, extra_h - top)


def expand_canvas(
    pixels: RGBAArray, mask: MaskArray | None, margins: Margins, *, overlap: int = 0
) -> tuple[RGBAArray, MaskArray]:
    """Grow the photo by `margins`; return (pixels, mask) for the grown canvas.

    The new area is alpha 0 with edge-repeated colour (see the module docstring). The mask keeps
    the old mask in place and marks the new area 255, plus a band `overlap` pixels deep into the
    photo along every side that grew, so the model can blend the seam.
    """
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ImgdeskError(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "The photo must be 8-bit RGBA to extend it."),
        )
    height, width = pixels.shape[:2]
    if min(margins.left, margins.top, margins.right, margins.bottom) < 0:
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP(
                "errors", "The canvas can only grow: margins must be zero or more pixels."
            ),
            field="margins",
        )
    if overlap < 0:
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "The seam overlap must be zero or more pixels."),
            field="overlap",
        )
    if mask is not None:
        check_mask_array(mask)
        if mask.shape != (height, width):
            raise size_mismatch((mask.shape[1], mask.shape[0]), (width, height))

    grown = cv2.copyMakeBorder(
        np.ascontiguousarray(pixels),
        margins.top,
        margins.bottom,
        margins.left,
        margins.right,
        cv2.BORDER_REPLICATE,
    )
    inner = margins.inner_box(width, height)
    inside = (slice(inner.top, inner.bottom), slice(inner.left, inner.right))
    new_width, new_height = margins.expanded_size(width, height)
    out_pixels: RGBAArray = np.ascontiguousarray(grown)
    out_pixels[..., 3] = 0
    out_pixels[..., 3][inside] = pixels[..., 3]

    out_mask: MaskArray = np.full((new_height, new_width), 255, dtype=np.uint8)
    out_mask[inside] = 0 if mask is None else mask
    if overlap:
        seam = out_mask[inside]  # a view into out_mask
        depth_x, depth_y = min(overlap, width), min(overlap, height)
        if margins.left:
            seam[:, :depth_x] = 255
        if margins.right:
            seam[:, width - depth_x :] = 255
        if margins.top:
            seam[:depth_y, :] = 255
        if margins.bottom:
            seam[height - depth_y :, :] = 255
    return out_pixels, out_mask
