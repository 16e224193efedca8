"""Opening untrusted picture bytes with Pillow so that only ImgdeskError values come out.

Pillow is given an allow-list of formats, the pixel count is checked from the header before any
pixel is decoded, Pillow's warnings are kept inside, and every failure becomes a sentence a
designer understands. Truncated files are refused: `ImageFile.LOAD_TRUNCATED_IMAGES` is left
alone, because a half-grey photo shown as if it were fine is worse than a clear refusal.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import threading
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from PIL import (
    BmpImagePlugin,
    GifImagePlugin,
    Image,
    JpegImagePlugin,
    MpoImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

# The largest picture imgdesk opens, in pixels (width × height). 100 MP covers every camera
# photo and scan a designer is likely to edit, and its RGBA buffer (400 MB) still fits beside the
# edit history on an ordinary laptop. Pillow's own bomb limit (2 × Image.MAX_IMAGE_PIXELS,
# about 179 MP, left at its default) stays in force behind this one.
MAX_PIXELS = 100_000_000

# Formats the app opens (Pillow's names); everything else Pillow knows is refused before its
# plugin runs, which keeps rarely-used decoders (the usual home of crashes and hangs) away from
# user files. MPO (stereo JPEG) has no opener of its own: Pillow's JPEG opener returns it.
ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF")
# What an image service returns.
RESULT_FORMATS = ("PNG", "JPEG", "WEBP")


Source = Path | str | bytes

# Importing the plugins registers them with Pillow; opening never relies on Image.init() having
# loaded every other plugin.
_PLUGINS = (
    BmpImagePlugin,
    GifImagePlugin,
    JpegImagePlugin,
    MpoImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

# Leading bytes of formats a designer may try to open: (prefix, Pillow format name when imgdesk
# opens that format, words for the refusal sentence). A file that starts like an openable format
# but that Pillow cannot identify is damaged rather than foreign.
_SIGNATURES: tuple[tuple[bytes, str | None, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "JPEG", "a JPEG photo"),
    (b"GIF87a", "GIF", "a GIF picture"),
    (b"GIF89a", "GIF", "a GIF picture"),
    (b"BM", "BMP", "a BMP picture"),
    (b"II*\x00", "TIFF", "a TIFF picture"),
    (b"MM\x00*", "TIFF", "a TIFF picture"),
    (b"8BPS", None, "a Photoshop document"),
    (b"%PDF", None, "a PDF document"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", None, "a JPEG 2000 picture"),
    (b"\xff\x4f\xff\x51", None, "a JPEG 2000 picture"),
    (b"II\x2b\x00", None, "a BigTIFF picture"),
    (b"MM\x00\x2b", None, "a BigTIFF picture"),
    (b"\x00\x00\x01\x00", None, "an icon file"),
    (b"\x00\x00\x02\x00", None, "a cursor file"),
    (b"icns", None, "a macOS icon file"),
    (b"DDS ", None, "a DirectDraw texture"),
    (b"BLP1", None, "a Blizzard texture"),
    (b"BLP2", None, "a Blizzard texture"),
    (b"\x01\xda", None, "an SGI picture"),
    (b"qoif", None, "a QOI picture"),
    (b"PK\x03\x04", None, "a ZIP archive"),
    (b"\x1f\x8b", None, "a compressed archive"),
)
_FTYP_BRANDS = {
    b"heic": "an HEIC photo",
    b"heix": "an HEIC photo",
    b"mif1": "an HEIF photo",
    b"avif": "an AVIF picture",
    b"avis": "an AVIF picture",
}


def display_name(path: Path | None) -> str:
    return path.name if path is not None else "The picture"


@contextlib.contextmanager
def open_source(source: Source) -> Iterator[tuple[BinaryIO, Path | None]]:
    """The bytes behind `source` as a seekable binary stream, with file errors as sentences."""
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) == 0:
            raise ImgdeskError(
                ErrorKind.IMAGE,
                QT_TRANSLATE_NOOP("errors", "The picture is empty: it contains no data."),
            )
        yield io.BytesIO(bytes(source)), None
        return
    path = Path(source)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise _file_error(error, path) from error
    with handle:
        try:
            empty = path.stat().st_size == 0
        except OSError as error:
            raise _file_error(error, path) from error
        if empty:
            raise ImgdeskError.make(
                ErrorKind.IMAGE,
                QT_TRANSLATE_NOOP("errors", "{name} is empty: it contains no data."),
                name=path.name,
            )
        yield handle, path


def open_picture(
    stream: BinaryIO, formats: tuple[str, ...], subject: str, max_pixels: int = MAX_PIXELS
) -> Image.Image:
    """Read the header only; the caller checks the size before decoding any pixel."""
    try:
        return Image.open(stream, formats=formats)
    except Image.DecompressionBombError as error:
        raise too_large_error(subject, None, max_pixels) from error
    except UnidentifiedImageError as error:
        raise _unidentified_error(stream, subject, formats) from error
    except Exception as error:  # any decoder failure on hostile bytes is a damaged picture
        raise damaged_error(error, subject) from error


def check_size(image: Image.Image, subject: str, max_pixels: int) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "{subject} is damaged: its header says it has no pixels."),
            detail=f"size {width}x{height}",
            subject=subject,
        )
    if width * height > max_pixels:
        raise too_large_error(subject, (width, height), max_pixels)


def too_large_error(subject: str, size: tuple[int, int] | None, max_pixels: int) -> ImgdeskError:
    """The refusal for a picture over the limit; `size` is None when Pillow's own bomb guard
    refused it before its size could be read."""
    values: dict[str, object]  # the placeholders of the sentence picked below
    limit = megapixels(max_pixels)
    if size is None:
        bomb_limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "{subject} has more than {bomb_limit} MP; imgdesk opens pictures up to {limit} MP.",
            ),
            {"subject": subject, "bomb_limit": megapixels(bomb_limit), "limit": limit},
        )
    else:
        width, height = size
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "{subject} is {width}×{height} pixels ({value} MP); imgdesk opens pictures up to "
                "{limit} MP.",
            ),
            {
                "subject": subject,
                "width": width,
                "height": height,
                "value": megapixels(width * height),
                "limit": limit,
            },
        )
    return ImgdeskError.make(ErrorKind.IMAGE, message, values=values)


def megapixels(pixels: int) -> str:
    """108, 100.1, 0.01: one decimal at most, rounded up so a picture just over the limit never
    reads as equal to it."""
    if pixels >= 1_000_000:
        return f"{math.ceil(pixels / 100_000) / 10:.1f}".removesuffix(".0")
    return f"{pixels / 1_000_000:.2g}"


def damaged_error(error: BaseException, subject: str) -> ImgdeskError:
    """Pillow signals damage only through exception types and texts; pick the clearest sentence."""
    values: dict[str, object]  # the placeholders of the sentence picked below
    if isinstance(error, ImgdeskError):
        return error
    if isinstance(error, Image.DecompressionBombError):
        return too_large_error(subject, None, MAX_PIXELS)
    if isinstance(error, MemoryError):
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "{subject} is too large to open with the memory this computer has free."
            ),
            {"subject": subject},
        )
    elif isinstance(error, EOFError) or _says_truncated(error):
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "{subject} is damaged: it ends early, so part of it is missing."
            ),
            {"subject": subject},
        )
    elif isinstance(error, zlib.error):
        message, values = (
            QT_TRANSLATE_NOOP("errors", "{subject} is damaged: its compressed data is corrupt."),
            {"subject": subject},
        )
    else:
        message, values = (
            QT_TRANSLATE_NOOP("errors", "{subject} is damaged: imgdesk could not read its pixels."),
            {"subject": subject},
        )
    return ImgdeskError.make(ErrorKind.IMAGE, message, detail=repr(error), values=values)


def _says_truncated(error: BaseException) -> bool:
    # Pillow raises a plain OSError for a file that stops early; its text is the only clue.
    text = str(error).lower()
    return any(word in text for word in ("truncated", "premature", "end of file", "eof"))


def _unidentified_error(stream: BinaryIO, subject: str, formats: tuple[str, ...]) -> ImgdeskError:
    values: dict[str, object]  # the placeholders of the sentence picked below
    try:
        stream.seek(0)
        head = stream.read(32)
    except (OSError, ValueError):
        head = b""
    format_name, description = sniff(head)
    if format_name is not None and format_name in formats:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "{subject} is damaged: imgdesk could not read its {format_name} header."
            ),
            {"subject": subject, "format_name": format_name},
        )
    elif description is None:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "{subject} is not a picture imgdesk can open. "
                "imgdesk opens PNG, JPEG, WebP, TIFF, BMP and GIF pictures.",
            ),
            {"subject": subject},
        )
    else:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "{subject} is not a picture imgdesk can open (it looks like {description}). "
                "imgdesk opens PNG, JPEG, WebP, TIFF, BMP and GIF pictures.",
            ),
            {"subject": subject, "description": description},
        )
    return ImgdeskError.make(ErrorKind.IMAGE, message, values=values)


def sniff(head: bytes) -> tuple[str | None, str | None]:
    """(Pillow format name if imgdesk opens it, words naming the format) from the first bytes."""
    for signature, format_name, description in _SIGNATURES:
        if head.startswith(signature):
            return format_name, description
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", "a WebP picture"
    if head[4:8] == b"ftyp" and head[8:12] in _FTYP_BRANDS:
        return None, _FTYP_BRANDS[head[8:12]]
    text = head.lstrip().lower()
    if text.startswith((b"<svg", b"<?xml")):
        return None, "an SVG drawing or other XML file"
    if len(head) > 2 and head[:1] == b"P" and head[1:2] in b"1234567" and head[2:3].isspace():
        return None, "a Netpbm picture"
    return None, None


def _file_error(error: OSError, path: Path) -> ImgdeskError:
    values: dict[str, object]  # the placeholders of the sentence picked below
    if isinstance(error, FileNotFoundError):
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "imgdesk cannot find {name}: it may have been moved or deleted."
            ),
            {"name": path.name},
        )
    elif isinstance(error, PermissionError):
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "imgdesk is not allowed to read {name}. Check the file's permissions."
            ),
            {"name": path.name},
        )
    elif isinstance(error, IsADirectoryError):
        message, values = (
            QT_TRANSLATE_NOOP("errors", "{name} is a folder, not a picture."),
            {"name": path.name},
        )
    elif error.errno == errno.ENAMETOOLONG:
        message, values = (
            QT_TRANSLATE_NOOP("errors", "imgdesk cannot open {name}: its name is too long."),
            {"name": path.name},
        )
    else:
        message, values = (
            QT_TRANSLATE_NOOP("errors", "imgdesk could not read {name}: {value}."),
            {"name": path.name, "value": error.strerror or error},
        )
    return ImgdeskError.make(ErrorKind.IMAGE, message, detail=repr(error), values=values)


# Pillow reports odd-but-readable files (corrupt EXIF, odd chunks, big headers) through
# `warnings`. They must not reach the user (or fail the test run), and we cannot tell Pillow not
# to emit them. `warnings.catch_warnings` swaps process-wide state, so overlapping uses from
# several decode threads would restore each other's filters; a counted guard installs the filter
# once while any decode runs and restores the original filters when the last one finishes.
_guard_lock = threading.Lock()
_guard_depth = 0
_guard_context: warnings.catch_warnings[None] | None = None
# Pillow's own modules, plus ours for warnings Pillow attributes to its caller.
_QUIET_MODULES = (r"PIL\.", r"imgdesk\.core\.imageio")


@contextlib.contextmanager
def quiet_pillow() -> Iterator[None]:
    global _guard_depth, _guard_context
    with _guard_lock:
        if _guard_depth == 0:
            context = warnings.catch_warnings()
            context.__enter__()
            for module in _QUIET_MODULES:
                warnings.filterwarnings("ignore", module=module)
            _guard_context = context
        _guard_depth += 1
    try:
        yield
    finally:
        with _guard_lock:
            _guard_depth -= 1
            if _guard_depth == 0 and _guard_context is not None:
                _guard_context.__exit__(None, None, None)
                _guard_context = None
