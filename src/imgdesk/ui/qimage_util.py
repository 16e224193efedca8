"""numpy arrays <-> QImage without copying pixels.

A QImage made here points into the array's memory, so the array must outlive the image: the
returned `SharedImage` keeps both together. Wrapping is O(1); a 6000x4000 photo is never copied
to be shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor, QImage, qRgba

from imgdesk.core.edit_types import MaskArray, RGBAArray


@dataclass(frozen=True)
class SharedImage:
    """A QImage over `array`'s buffer; holding this keeps the buffer alive."""

    image: QImage
    array: np.ndarray


def rgba_image(pixels: RGBAArray) -> SharedImage:
    """Wrap (h, w, 4) uint8 RGBA pixels (straight alpha) as a QImage sharing their memory."""
    array = np.ascontiguousarray(pixels)  # no copy for the arrays the document holds
    height, width = array.shape[:2]
    image = QImage(array.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    return SharedImage(image, array)


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
