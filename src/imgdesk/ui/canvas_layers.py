"""What the canvas draws, as QImages that share memory with the document's arrays.

The picture and the preview are wrapped once per new array (shown through an sRGB copy when the
document has another colour space, see `qimage_util`); the mask overlay is an indexed image
over the live mask itself, so a brush stroke needs no conversion at all, only a repaint of the
rectangle it touched. A new overlay colour or opacity is a new 256-entry colour table. The feather
band (where the edit fades out) is the same kind of indexed image, over just the planned crop.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPixmap

from imgdesk.core.color import ColorProfile
from imgdesk.models.document import DocumentModel
from imgdesk.models.feather_preview import FeatherBand
from imgdesk.models.tools import ToolState
from imgdesk.ui.qimage_util import SharedImage, mask_overlay_image, rgba_image, set_overlay_colors

_CHECKER_CELL = 8
_CHECKER_LIGHT = QColor(204, 204, 204)
_CHECKER_DARK = QColor(153, 153, 153)


def checker_brush() -> QBrush:
    """A two-tone checkerboard that shows where the picture is transparent."""
    tile = QPixmap(2 * _CHECKER_CELL, 2 * _CHECKER_CELL)
    tile.fill(_CHECKER_LIGHT)
    painter = QPainter(tile)
    painter.fillRect(0, 0, _CHECKER_CELL, _CHECKER_CELL, _CHECKER_DARK)
    painter.fillRect(_CHECKER_CELL, _CHECKER_CELL, _CHECKER_CELL, _CHECKER_CELL, _CHECKER_DARK)
    painter.end()
    return QBrush(tile)


class CanvasLayers:
    """The document's picture, preview and mask overlay, kept in step with the models."""

    def __init__(self, document: DocumentModel, tools: ToolState) -> None:
        self._document = document
        self._tools = tools
        self._image: SharedImage | None = None
        self._image_profile: ColorProfile | None = None
        self._preview: SharedImage | None = None
        self._overlay: SharedImage | None = None
        self._band: FeatherBand | None = None
        self._band_image: SharedImage | None = None
        self._checker = checker_brush()
        self.sync_image()
        self.sync_preview()
        self.sync_mask()

    def sync_image(self) -> bool:
        """Rewrap the picture if the document holds a new array; True when it did."""
        pixels = self._document.pixels
        if pixels is None:
            changed = self._image is not None
            self._image = None
            return changed
        profile = self._document.color_profile
        if (
            self._image is not None
            and self._image.array is pixels
            and self._image_profile is profile
        ):
            return False
        self._image = rgba_image(pixels, profile)
        self._image_profile = profile
        return True

    def sync_preview(self) -> None:
        preview = self._document.preview
        if preview is None:
            self._preview = None
        elif self._preview is None or self._preview.array is not preview:
            # Previews and variants are in the document's colour space, like the picture.
            self._preview = rgba_image(preview, self._document.color_profile)

    def sync_mask(self) -> None:
        """Rewrap the overlay only when the document swapped in a new mask array."""
        mask = self._document.mask
        if mask is None:
            self._overlay = None
        elif self._overlay is None or self._overlay.array is not mask:
            self._overlay = mask_overlay_image(
                mask, self._tools.overlay_color, self._tools.overlay_opacity
            )

    def sync_colors(self) -> None:
        if self._overlay is not None:
            set_overlay_colors(
                self._overlay.image, self._tools.overlay_color, self._tools.overlay_opacity
            )
        if self._band_image is not None:
            set_overlay_colors(self._band_image.image, *self._band_colors())

    def sync_feather(self, band: FeatherBand | None) -> None:
        self._band = band
        self._band_image = None
        if band is not None:
            self._band_image = mask_overlay_image(band.weights, *self._band_colors())

    def _band_colors(self) -> tuple[QColor, float]:
        # Lighter and fainter than the mask tint: it is where the change fades out.
        return self._tools.overlay_color.lighter(150), self._tools.overlay_opacity * 0.7

    def draw(
        self,
        painter: QPainter,
        target: QRectF,
        source: QRectF,
        *,
        smooth: bool,
        split_x: float | None = None,
    ) -> None:
        """Draw the `source` part of the picture (image pixels) into `target` (widget).

        With a preview shown (a partial image, a variant) the mask overlay stays off: the tint
        would muddy the result being judged. `split_x` (widget x) shows the original left of it.
        """
        if self._image is None:
            return
        painter.fillRect(target, self._checker)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        original = self._tools.show_original
        if self._preview is None or original:
            painter.drawImage(target, self._image.image, source)
            if self._preview is None and not original and self._tools.overlay_opacity > 0:
                self._draw_band(painter, target, source)
                if self._overlay is not None:
                    painter.drawImage(target, self._overlay.image, source)
            return
        if split_x is not None:
            painter.drawImage(target, self._image.image, source)
            painter.save()
            right = QRectF(split_x, target.top(), max(target.right() - split_x, 0), target.height())
            painter.setClipRect(right)
        preview = self._preview.image
        # A preview of another size (a partial image) is stretched over the document.
        sx = preview.width() / self._image.image.width()
        sy = preview.height() / self._image.image.height()
        scaled = QRectF(source.x() * sx, source.y() * sy, source.width() * sx, source.height() * sy)
        painter.drawImage(target, preview, scaled)
        if split_x is not None:
            painter.restore()

    def _draw_band(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        if self._band is None or self._band_image is None:
            return
        box = self._band.box
        inside = source.intersected(QRectF(box.left, box.top, box.width, box.height))
        if inside.isEmpty():
            return
        sx = target.width() / source.width()
        sy = target.height() / source.height()
        shown = QRectF(
            target.x() + (inside.x() - source.x()) * sx,
            target.y() + (inside.y() - source.y()) * sy,
            inside.width() * sx,
            inside.height() * sy,
        )
        painter.drawImage(shown, self._band_image.image, inside.translated(-box.left, -box.top))

    @property
    def image(self) -> QImage | None:
        return None if self._image is None else self._image.image

    @property
    def overlay(self) -> QImage | None:
        return None if self._overlay is None else self._overlay.image
