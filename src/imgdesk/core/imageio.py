"""Loading pictures into 8-bit RGBA arrays and saving them again.

Loading accepts PNG, JPEG (and MPO), WebP, TIFF, BMP and GIF; multi-frame files (GIF, APNG, MPO,
multi-page TIFF) give their first frame. EXIF orientation is applied and every mode becomes
(h, w, 4) uint8 RGBA. An RGB picture keeps its own values and its embedded RGB profile (see
`color`: only what is sent to a model is converted), so saving it again changes no pixel an edit
did not touch; grey and CMYK pictures are converted to sRGB. Pictures above `MAX_PIXELS` (100 MP)
are refused from their header, before any pixel is decoded. Every failure is an ImgdeskError of
kind IMAGE (reading) or STORAGE (writing) with a sentence a designer understands; nothing else
escapes, warnings included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.imageio_open import (
    ALLOWED_FORMATS,
    MAX_PIXELS,
    RESULT_FORMATS,
    Source,
    check_size,
    damaged_error,
    display_name,
    open_picture,
    open_source,
    quiet_pillow,
)
from imgdesk.core.imageio_pixels import apply_orientation, exif_orientation, to_document_rgba
from imgdesk.core.imageio_save import encode_image, encode_png, save_image

__all__ = [
    "ALLOWED_FORMATS",
    "MAX_PIXELS",
    "LoadedImage",
    "decode_result",
    "encode_image",
    "encode_png",
    "icc_profile_of",
    "image_size_of",
    "load_image",
    "save_image",
]


@dataclass(frozen=True)
class LoadedImage:
    pixels: RGBAArray  # (h, w, 4) uint8, upright, in `icc_profile`'s colour space
    icc_profile: bytes | None  # the RGB profile the pixels are in (the file's); None = sRGB
    format: str  # Pillow's format name: "PNG", "JPEG", "MPO", "WEBP", "TIFF", "BMP", "GIF"
    path: Path | None  # None when loaded from bytes
    has_alpha: bool  # some pixel is not fully opaque

    @property
    def profile(self) -> ColorProfile:
        """The pixels' colour space, with conversions to and from sRGB."""
        return ColorProfile.of(self.icc_profile)

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def load_image(source: Source, *, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    """Open a picture file (or its bytes) as upright RGBA pixels in the file's own RGB profile."""
    with open_source(source) as (stream, path):
        pixels, icc_profile, format_name = _decode(
            stream, ALLOWED_FORMATS, display_name(path), max_pixels
        )
    has_alpha = bool((pixels[..., 3] < 255).any())
    return LoadedImage(pixels, icc_profile, format_name, path, has_alpha)


def decode_result(data: bytes, *, max_pixels: int = MAX_PIXELS) -> RGBAArray:
    """Decode an image an engine returned (PNG, JPEG or WebP) as sRGB pixels, through the same
    guarded path."""
    subject = "The picture the image service returned"
    if not data:
        raise ImgdeskError.make(
            ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "{subject} is empty."), subject=subject
        )
    with open_source(data) as (stream, _):
        pixels, icc_profile, _ = _decode(stream, RESULT_FORMATS, subject, max_pixels)
    # Services answer untagged sRGB; should one ever tag its answer, honour the tag.
    return ColorProfile.of(icc_profile).to_srgb(pixels)


def image_size_of(source: Source) -> tuple[int, int]:
    """(width, height) as shown upright, from the header only; no pixel is decoded.

    EXIF orientation is honoured where the header carries it (JPEG, MPO, WebP, TIFF, and PNG
    when its EXIF chunk comes before the pixel data). Pictures beyond Pillow's own bomb limit
    (about 179 MP) are refused here as too large, without a size.
    """
    with open_source(source) as (stream, path), quiet_pillow():
        image = open_picture(stream, ALLOWED_FORMATS, display_name(path))
        with image:
            width, height = image.size
            if image.format == "PNG" and "exif" not in image.info:
                return width, height  # reading later chunks would decode the whole picture
            # Orientations 5-8 turn the picture a quarter, so width and height swap.
            if exif_orientation(image) >= 5:
                return height, width
            return width, height


def icc_profile_of(source: Source) -> bytes | None:
    """The picture's embedded ICC profile, from the header only; None when absent or unreadable."""
    try:
        with open_source(source) as (stream, path), quiet_pillow():
            image = open_picture(stream, ALLOWED_FORMATS, display_name(path))
            with image:
                icc_profile = image.info.get("icc_profile")
    except ImgdeskError:
        return None
    return icc_profile if isinstance(icc_profile, bytes) and icc_profile else None


def _decode(
    stream: BinaryIO, formats: tuple[str, ...], subject: str, max_pixels: int
) -> tuple[RGBAArray, bytes | None, str]:
    with quiet_pillow():
        image = open_picture(stream, formats, subject, max_pixels)
        with image:
            check_size(image, subject, max_pixels)
            try:
                image.load()  # the first frame only: GIF, APNG, MPO and TIFF pages stay unread
                format_name = str(image.format or formats[0])
                icc_profile = image.info.get("icc_profile")
                upright = apply_orientation(image)
                pixels, kept = to_document_rgba(
                    upright, icc_profile if isinstance(icc_profile, bytes) else None
                )
            except Exception as error:  # hostile bytes fail in countless ways inside decoders
                raise damaged_error(error, subject) from error
    return pixels, kept, format_name
