"""Turning a decoded Pillow image of any mode into 8-bit RGBA document pixels.

Deep modes are scaled, not clipped: Pillow's own `convert("L")` from 16-bit or float data keeps
the low range and turns most photos white (16-bit precision itself cannot be kept: documents are
8-bit). RGB pixels with a usable RGB profile keep their own values and the profile, so untouched
pixels save back bit for bit (see `color`). Grey and CMYK pixels cannot stay in their profile in an
RGBA document: they are converted to sRGB through it and the profile is dropped. A profile that
cannot be used is ignored (the pixels are then taken as sRGB, as every viewer does for untagged
files).
"""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageCms

from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import RGBAArray

# Modes that colour management and the final conversion understand directly.
_BASE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "CMYK"})
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
# Pillow mode -> ICC colour space a profile must describe to apply to it.
_PROFILE_SPACE = {"L": "GRAY", "LA": "GRAY", "RGB": "RGB", "RGBA": "RGB", "CMYK": "CMYK"}

# EXIF orientation -> the transposition that shows the picture upright (as ImageOps.exif_transpose).
ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION_TAG = 0x0112


def exif_orientation(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation, 1 when absent or unreadable: broken EXIF never refuses."""
    try:
        value = image.getexif().get(_EXIF_ORIENTATION_TAG, 1)
    except Exception:  # Pillow's EXIF parser raises many types on hostile data
        return 1
    return value if isinstance(value, int) and value in ORIENTATION_TRANSPOSE else 1


def apply_orientation(image: Image.Image) -> Image.Image:
    # Done here rather than with ImageOps.exif_transpose, which also rewrites the metadata and
    # can fail on broken EXIF after the pixels were fine; only the pixels matter here.
    method = ORIENTATION_TRANSPOSE.get(exif_orientation(image))
    return image if method is None else image.transpose(method)


def to_document_rgba(
    image: Image.Image, icc_profile: bytes | None
) -> tuple[RGBAArray, bytes | None]:
    """Decoded image -> (h, w, 4) uint8 pixels, and the RGB profile they are in (None: sRGB).

    Only an RGB profile is kept, with the pixels unconverted; grey and CMYK pictures are
    converted to sRGB through theirs.
    """
    base = _to_base_mode(image)
    kept: bytes | None = None
    if icc_profile:
        base, kept = _apply_profile(base, icc_profile)
    if base.mode != "RGBA":
        base = base.convert("RGBA")
    pixels = np.array(base, dtype=np.uint8)
    return pixels.reshape(base.height, base.width, 4), kept


def _to_base_mode(image: Image.Image) -> Image.Image:
    mode = image.mode
    transparency = image.info.get("transparency")
    if mode in ("L", "RGB", "1") and transparency is not None:
        # Pillow turns a tRNS colour into alpha while converting.
        return image.convert("LA" if mode != "RGB" else "RGBA")
    if mode in _BASE_MODES:
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        return image.convert("RGBA")
    if mode == "La":
        return image.convert("LA")
    if mode == "RGBa":
        return image.convert("RGBA")
    if mode in _SIXTEEN_BIT_MODES or mode == "I":
        return _deep_gray(image, transparency)
    if mode == "F":
        return _gray_image(scale_float(np.asarray(image, dtype=np.float64)))
    if mode == "LAB":
        return _lab_to_rgb(image)
    # YCbCr, HSV, RGBX and any mode a newer Pillow adds: its own conversion is the best guess.
    return image.convert("RGB")


def _deep_gray(image: Image.Image, transparency: object) -> Image.Image:
    values = np.asarray(image).astype(np.int64)
    if image.mode == "I" and (values.size == 0 or values.min() < 0 or values.max() > 65535):
        gray = _stretch(values.astype(np.float64))
    else:
        gray = scale_16bit(values)
    result = _gray_image(gray)
    if isinstance(transparency, int):
        alpha = np.where(values == transparency, 0, 255).astype(np.uint8)
        result = Image.merge("LA", (result, Image.fromarray(alpha)))
    return result


def scale_16bit(values: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    """0..65535 -> 0..255, rounded to nearest (65535 -> 255, 32768 -> 128)."""
    scaled = (values * 255 + 32767) // 65535
    return np.clip(scaled, 0, 255).astype(np.uint8)


def scale_float(values: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """Float samples: 0..1 (the usual convention) or 0..255 kept; anything else stretched."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros(values.shape, dtype=np.uint8)
    clean = np.where(finite, values, 0.0)
    low, high = float(clean[finite].min()), float(clean[finite].max())
    if low >= 0.0 and high <= 1.0:
        scaled = clean * 255.0
    elif low >= 0.0 and high <= 255.0:
        scaled = clean
    else:
        return _stretch(clean)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _stretch(values: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    # Data of no known range (signed or 32-bit samples): map its own min..max onto 0..255.
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.zeros(values.shape, dtype=np.uint8)
    scaled = (values - low) * (255.0 / (high - low))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _gray_image(gray: npt.NDArray[np.uint8]) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(gray, dtype=np.uint8))


def _lab_to_rgb(image: Image.Image) -> Image.Image:
    transform = ImageCms.buildTransform(
        ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB"
    )
    return ImageCms.applyTransform(image, transform) or image.convert("RGB")


def _apply_profile(base: Image.Image, icc_profile: bytes) -> tuple[Image.Image, bytes | None]:
    if _PROFILE_SPACE[base.mode] == "RGB":
        # The document keeps the file's own values; `color` converts what leaves it.
        return base, icc_profile if ColorProfile.of(icc_profile).usable else None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        space = str(profile.profile.xcolor_space).strip().upper()
    except Exception:  # a damaged profile must not refuse an otherwise fine picture
        return base, None
    if space != _PROFILE_SPACE[base.mode]:
        return base, None
    try:
        converted = _convert_to_srgb(base, profile)
    except Exception:  # lcms refuses some valid-looking profiles (e.g. abstract or LUT-less)
        return base, None
    return converted, None


def _convert_to_srgb(base: Image.Image, profile: ImageCms.ImageCmsProfile) -> Image.Image:
    srgb = ImageCms.createProfile("sRGB")
    alpha = base.getchannel("A") if base.mode in ("LA", "RGBA") else None
    # lcms takes grey+alpha poorly; convert the colour bands and put alpha back afterwards.
    colour = base.convert({"LA": "L", "RGBA": "RGB"}.get(base.mode, base.mode))
    transform = ImageCms.buildTransform(profile, srgb, colour.mode, "RGB")
    converted = ImageCms.applyTransform(colour, transform)
    if converted is None:  # only returned for in-place transforms; kept for the type checker
        converted = colour.convert("RGB")
    if alpha is not None:
        converted.putalpha(alpha)
    return converted
