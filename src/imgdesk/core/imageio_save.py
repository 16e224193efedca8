"""Encoding RGBA pixels as PNG, JPEG or WebP, and saving them atomically.

Pixels are written as they are: `icc_profile` names the colour space they are already in (a
document keeps its file's values and profile, see `color`), so a photo saved again changes no
pixel an edit did not touch. A profile that cannot be used is not embedded; the file is then
untagged, which viewers take as sRGB.

JPEG has no transparency: transparent pixels are flattened onto white, as a designer expects
from "Save as JPEG" in other editors.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.imageio_open import quiet_pillow

_SUFFIX_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
_FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "JPG": "JPEG", "WEBP": "WEBP"}
# Largest side each encoder accepts (libjpeg: 65535, libwebp: 16383; PNG has no practical limit).
_MAX_SIDE = {"JPEG": 65_535, "WEBP": 16_383}
_SHOWN_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}


def encode_png(
    pixels: RGBAArray, *, compress_level: int = 1, icc_profile: bytes | None = None
) -> bytes:
    """Lossless PNG bytes; level 1 trades a slightly larger file for fast encoding.

    `icc_profile` (the pixels' own, None = sRGB) is embedded when usable, so the pixels read back
    with `load_image` come with their colour space.
    """
    image = _to_pil(pixels)
    options: dict[str, object] = {"compress_level": compress_level}
    if icc_profile and ColorProfile.of(icc_profile).usable:
        options["icc_profile"] = icc_profile
    with quiet_pillow():
        return _encode(image, "PNG", options)


def encode_image(
    pixels: RGBAArray, *, format: str, icc_profile: bytes | None = None, quality: int = 95
) -> bytes:
    """Bytes of a PNG, JPEG or WebP file; `icc_profile` (the pixels' own) is embedded unchanged."""
    format_name = _FORMAT_NAMES.get(format.upper())
    if format_name is None:
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors", "imgdesk saves pictures as PNG, JPEG or WebP, not {format}."
            ),
            format=format,
        )
    height, width = _check_pixels(pixels)
    limit = _MAX_SIDE.get(format_name)
    if limit is not None and max(width, height) > limit:
        shown = _SHOWN_NAMES[format_name]
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors",
                "The picture is {width}×{height} pixels, too large for {shown} (at most {limit} "
                "pixels a side). Save it as PNG instead.",
            ),
            width=width,
            height=height,
            shown=shown,
            limit=limit,
        )
    if format_name == "JPEG":
        pixels = flatten_on_white(pixels)
    image = _to_pil(pixels)
    if format_name == "JPEG" or (format_name == "WEBP" and bool((pixels[..., 3] == 255).all())):
        image = image.convert("RGB")  # no alpha to keep: smaller and more widely readable
    options: dict[str, object] = {}
    with quiet_pillow():
        if icc_profile and ColorProfile.of(icc_profile).usable:
            options["icc_profile"] = icc_profile
        if format_name == "PNG":
            options["compress_level"] = 6
        elif format_name == "JPEG":
            options["quality"] = quality
            # Full-resolution colour at high quality: 4:2:0 smears coloured edges of retouches.
            options["subsampling"] = 0 if quality >= 90 else -1
        else:
            options["quality"] = quality
            options["lossless"] = quality >= 100
        return _encode(image, format_name, options)


def save_image(
    pixels: RGBAArray,
    path: Path | str,
    *,
    format: str | None = None,
    icc_profile: bytes | None = None,
    quality: int = 95,
) -> None:
    """Write `pixels` (in `icc_profile`, None = sRGB) to `path` atomically; the format comes from
    the suffix unless given."""
    path = Path(path)
    if format is None:
        format = _SUFFIX_FORMATS.get(path.suffix.lower())
        if format is None:
            raise ImgdeskError.make(
                ErrorKind.IMAGE,
                QT_TRANSLATE_NOOP(
                    "errors",
                    "imgdesk saves pictures as .png, .jpg or .webp; {name} has another ending.",
                ),
                name=path.name,
            )
    data = encode_image(pixels, format=format, icc_profile=icc_profile, quality=quality)
    atomic_write_bytes(path, data)


def flatten_on_white(pixels: RGBAArray) -> RGBAArray:
    """Composite over white, rounding like an 8-bit editor would; alpha becomes opaque."""
    alpha = pixels[..., 3:4].astype(np.uint32)
    colour = pixels[..., :3].astype(np.uint32)
    flat = (colour * alpha + 255 * (255 - alpha) + 127) // 255
    out: RGBAArray = np.empty_like(pixels)
    out[..., :3] = flat.astype(np.uint8)
    out[..., 3] = 255
    return out


def _check_pixels(pixels: npt.NDArray[np.generic]) -> tuple[int, int]:
    # A wrong array is a programming error, not something a designer can fix.
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(f"expected (h, w, 4) uint8 RGBA, got {pixels.shape} {pixels.dtype}")
    height, width = int(pixels.shape[0]), int(pixels.shape[1])
    if height <= 0 or width <= 0:
        raise ValueError(f"expected a non-empty picture, got {pixels.shape}")
    return height, width


def _to_pil(pixels: RGBAArray) -> Image.Image:
    _check_pixels(pixels)
    return Image.fromarray(np.ascontiguousarray(pixels))


def _encode(image: Image.Image, format_name: str, options: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    try:
        image.save(buffer, format=format_name, **options)
    except (OSError, ValueError, MemoryError) as error:
        shown = _SHOWN_NAMES[format_name]
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "imgdesk could not turn the picture into a {shown} file."),
            detail=repr(error),
            shown=shown,
        ) from error
    return buffer.getvalue()
