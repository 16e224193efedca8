"""Masks to and from image files, in the Images API's convention (transparent = change).

Import rule, in order:
1. The file has transparency (an alpha channel or a transparent palette entry) and at least one
   pixel is not fully opaque: coverage = 255 - alpha, whatever the colours are.
2. Otherwise (no alpha, or alpha opaque everywhere so it carries nothing): the image reads as
   greyscale, white = change, black = keep.
Rule 2 also covers the "nothing to change" file `export_mask_png` writes for an empty mask (opaque
black), so export followed by import is exact for every mask.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from imgdesk.core.edit_types import MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.masks_checks import check_mask_array, size_mismatch

_UNREADABLE = QT_TRANSLATE_NOOP(
    "errors",
    "The mask file could not be read; use a PNG with transparency or a greyscale image.",
)


def import_mask_png(source: Path | bytes, image_size: tuple[int, int] | None = None) -> MaskArray:
    """Read a mask from a file path or encoded bytes (PNG or any image Pillow reads).

    Raises ImgdeskError(MASK) for anything that cannot be read, and when `image_size`
    (width, height) is given and the mask's size differs.
    """
    try:
        data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    except OSError as exc:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "The mask file could not be opened."),
            detail=str(exc),
        ) from exc
    image = _decode(data)
    if image_size is not None and image.size != tuple(image_size):
        raise size_mismatch(image.size, image_size)
    return _coverage(image)


def export_mask_png(mask: MaskArray) -> bytes:
    """Encode as the API expects: RGBA PNG, black, alpha = 255 - coverage (alpha 0 = edit)."""
    check_mask_array(mask)
    rgba = np.zeros((*mask.shape, 4), dtype=np.uint8)
    rgba[..., 3] = 255 - mask
    out = io.BytesIO()
    Image.fromarray(rgba).save(out, format="PNG")
    return out.getvalue()


def _decode(data: bytes) -> Image.Image:
    """Decode fully (so truncation shows up here) with EXIF orientation applied, as photos are."""
    try:
        with warnings.catch_warnings():
            # Size is judged against the photo, not Pillow's generic pixel budget; a real bomb
            # (beyond twice that budget) still raises DecompressionBombError below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
            image.load()
    # Pillow's decoders raise a wide range of types on hostile input (OSError, SyntaxError,
    # ValueError, struct.error, EOFError, ...); any of them means the same thing to the user.
    except Exception as exc:
        raise ImgdeskError(ErrorKind.MASK, _UNREADABLE, detail=repr(exc)) from exc
    if image.width == 0 or image.height == 0:
        raise ImgdeskError(
            ErrorKind.MASK, QT_TRANSLATE_NOOP("errors", "The mask file has no pixels.")
        )
    return image


def _coverage(image: Image.Image) -> MaskArray:
    try:
        if image.has_transparency_data:
            alpha = np.asarray(image.convert("RGBA").getchannel("A"), dtype=np.uint8)
            if not (alpha == 255).all():
                return np.ascontiguousarray(255 - alpha)
        return _greyscale(image)
    except Exception as exc:  # exotic modes Pillow cannot convert
        raise ImgdeskError(ErrorKind.MASK, _UNREADABLE, detail=repr(exc)) from exc


def _greyscale(image: Image.Image) -> MaskArray:
    if image.mode.startswith("I") or image.mode == "F":
        # 16/32-bit greyscale: Pillow's "L" conversion clips instead of scaling, so scale here.
        wide = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I") else 1.0
        return np.rint(np.clip(wide, 0.0, top) * (255.0 / top)).astype(np.uint8)
    return np.array(image.convert("L"), dtype=np.uint8)
