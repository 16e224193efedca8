"""Checks that a mask can go with a photo, phrased for the person who painted it."""

from __future__ import annotations

from typing import Any

import numpy as np

from imgdesk.core.edit_types import MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP


def size_mismatch(mask_size: tuple[int, int], image_size: tuple[int, int]) -> ImgdeskError:
    """The error for a mask whose (width, height) differs from the photo's."""
    return ImgdeskError.make(
        ErrorKind.MASK,
        QT_TRANSLATE_NOOP(
            "errors",
            "The mask is {mask_size}x{mask_size2} pixels but the photo is "
            "{image_size}x{image_size2}; a mask must match the photo exactly.",
        ),
        mask_size=mask_size[0],
        mask_size2=mask_size[1],
        image_size=image_size[0],
        image_size2=image_size[1],
    )


def check_mask_array(mask: Any) -> MaskArray:
    """Return `mask` when it is a (height, width) uint8 array, else raise a MASK error."""
    if not isinstance(mask, np.ndarray) or mask.dtype != np.uint8 or mask.ndim != 2:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors",
                "The mask must be a single 8-bit grey channel with one value per photo pixel.",
            ),
            detail=f"got {type(mask).__name__} {getattr(mask, 'dtype', None)} "
            f"{getattr(mask, 'shape', None)}",
        )
    if mask.shape[0] == 0 or mask.shape[1] == 0:
        raise ImgdeskError(ErrorKind.MASK, QT_TRANSLATE_NOOP("errors", "The mask has no pixels."))
    return mask


def validate_mask(mask: MaskArray, image_size: tuple[int, int]) -> None:
    """Raise a MASK error unless `mask` fits a photo of `image_size` (width, height) and is not
    empty. Run before planning an edit."""
    check_mask_array(mask)
    height, width = mask.shape
    if (width, height) != tuple(image_size):
        raise size_mismatch((width, height), image_size)
    if not mask.any():
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "The mask is empty: paint the area to change first."),
        )
