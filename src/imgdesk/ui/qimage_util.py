"""numpy arrays <-> QImage without copying pixels.

A QImage made here points into the array's memory, so the array must outlive the image: the
returned `SharedImage` keeps both together. Wrapping is O(1); an sRGB photo is never copied to be
shown. A photo in another colour space (a Display P3 iPhone photo) is the exception: QPainter does
not colour-manage `drawImage` (checked with Qt 6.11: an image's QColorSpace is ignored when it is
drawn), so such a picture is shown through an sRGB copy made once per new array (about 0.1 s for
12 MP).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QColor, QColorSpace, QImage, qRgba

from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import MaskArray, RGBAArray


@dataclass(frozen=True)
class SharedImage:
    """A QImage over `array`'s buffer (or, for a non-sRGB `array`, its sRGB copy); holding this
    keeps the buffer alive. `array` is what was wrapped, for telling pictures apart."""

    image: QImage
    array: np.ndarray


def rgba_image(pixels: RGBAArray, profile: ColorProfile | None = None) -> SharedImage:
    """Wrap (h, w, 4) uint8 RGBA pixels (straight alpha) as a QImage sharing their memory.

    Pixels in a `profile` other than sRGB are shown through an sRGB copy instead, so the screen
    shows the colours the file means.
    """
    array = np.ascontiguousarray(pixels)  # no copy for the arrays the document holds
    height, width = array.shape[:2]
    image = QImage(array.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    if profile is not None and not profile.is_srgb:
        image = _srgb_copy(image, array, profile)
    return SharedImage(image, array)


def _srgb_copy(image: QImage, array: RGBAArray, profile: ColorProfile) -> QImage:
    assert profile.icc is not None  # an sRGB-less profile always has bytes
    space = QColorSpace.fromIccProfile(QByteArray(profile.icc))
    if space.isValid():
        image.setColorSpace(space)
        return image.convertedToColorSpace(QColorSpace(QColorSpace.NamedColorSpace.SRgb))
    # A profile lcms reads but Qt does not (some LUT-based ones): convert with lcms instead.
    srgb = np.ascontiguousarray(profile.to_srgb(array))
    height, width = srgb.shape[:2]
    wrapped = QImage(srgb.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    return wrapped.copy()  # owns its pixels, so `srgb` may go


def mask_overlay_image(mask: MaskArray, color: QColor, opacity: float) -> SharedImage:
    """Wrap a coverage mask as an indexed QImage that paints as a tint of `color`.

    The colour table maps coverage v to `color` at alpha v * opacity, so editing the mask in
    place shows up at the next repaint with no conversion, and a new colour is a 256-entry table.
    """
    array = np.ascontiguousarray(mask)
    height, width = array.shape
    image = QImage(array.data, width, height, width, QImage.Format.Format_Indexed8)
    set_overlay_colors(image, color, opacity)
    return SharedImage(image, array)


def set_overlay_colors(image: QImage, color: QColor, opacity: float) -> None:
    red, green, blue = color.red(), color.green(), color.blue()
    scale = max(0.0, min(1.0, opacity)) * color.alphaF()
    image.setColorTable([qRgba(red, green, blue, round(v * scale)) for v in range(256)])


def qimage_to_rgba(image: QImage) -> RGBAArray:
    """Copy a QImage into a new (h, w, 4) uint8 RGBA array (straight alpha)."""
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height = converted.width(), converted.height()
    stride = converted.bytesPerLine()
    raw = np.frombuffer(converted.constBits(), dtype=np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()
