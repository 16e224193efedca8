"""Undo steps for the document, and the region arithmetic behind mask edits.

Mask steps keep only the pixels they changed. A 6000x4000 mask is 24 MB, so a brush stroke or a
rectangle stores just the region it altered (before and after); a long diagonal stroke stores the
256-pixel tiles it crossed rather than its whole bounding box. Invert stores nothing: doing it
again undoes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PySide6.QtGui import QUndoCommand

from imgdesk.core import masks
from imgdesk.core.edit_types import Box, MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate

TILE = 256


class DocumentHost(Protocol):
    """What the commands need from DocumentModel (its private undo hooks)."""

    @property
    def mask(self) -> MaskArray | None: ...

    @property
    def pixels(self) -> RGBAArray | None: ...

    def _mask_edited(self, box: Box | None) -> None: ...

    def _replace_content(self, pixels: RGBAArray, mask: MaskArray) -> None: ...


@dataclass(frozen=True)
class Patch:
    """A mask region before and after one change."""

    box: Box
    before: MaskArray
    after: MaskArray

    @property
    def nbytes(self) -> int:
        return int(self.before.nbytes + self.after.nbytes)


def region(box: Box) -> tuple[slice, slice]:
    return slice(box.top, box.bottom), slice(box.left, box.right)


def union(boxes: Sequence[Box]) -> Box | None:
    if not boxes:
        return None
    return Box(
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.right for b in boxes),
        max(b.bottom for b in boxes),
    )


def diff_patch(old: MaskArray, new: MaskArray) -> Patch | None:
    """The smallest patch turning `old` into `new` (same shape), or None when they are equal."""
    changed = old != new
    rows = np.flatnonzero(changed.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(changed.any(axis=0))
    box = Box(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    return Patch(box, old[region(box)].copy(), new[region(box)].copy())


class MaskPatchCommand(QUndoCommand):
    """Write patches' `after` on redo and `before` on undo."""

    def __init__(self, host: DocumentHost, text: str, patches: Sequence[Patch], *, applied: bool):
        super().__init__(text)
        self._host = host
        self._patches = tuple(patches)
        self._skip_redo = applied  # the change is already on the mask when it is pushed

    @property
    def nbytes(self) -> int:
        return sum(patch.nbytes for patch in self._patches)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._write(after=True)

    def undo(self) -> None:
        self._write(after=False)

    def _write(self, *, after: bool) -> None:
        mask = self._host.mask
        if mask is None:
            return
        for patch in self._patches:
            mask[region(patch.box)] = patch.after if after else patch.before
        self._host._mask_edited(union([patch.box for patch in self._patches]))


class InvertMaskCommand(QUndoCommand):
    def __init__(self, host: DocumentHost) -> None:
        super().__init__(translate("Document", "Invert mask"))
        self._host = host

    def redo(self) -> None:
        mask = self._host.mask
        if mask is not None:
            np.subtract(255, mask, out=mask)
            self._host._mask_edited(None)

    def undo(self) -> None:
        self.redo()


class ContentCommand(QUndoCommand):
    """Replace the pixels (and, when the size changes, the mask) as one step."""

    def __init__(
        self, host: DocumentHost, text: str, pixels: RGBAArray, mask: MaskArray | None
    ) -> None:
        super().__init__(text)
        self._host = host
        self._new = (pixels, mask)
        self._old: tuple[RGBAArray, MaskArray] | None = None

    def redo(self) -> None:
        old_pixels, old_mask = self._host.pixels, self._host.mask
        if old_pixels is None or old_mask is None:
            return
        # Captured here rather than at construction, so the step swaps exactly what is shown.
        self._old = (old_pixels, old_mask)
        pixels, mask = self._new
        self._host._replace_content(pixels, old_mask if mask is None else mask)

    def undo(self) -> None:
        if self._old is not None:
            self._host._replace_content(*self._old)


class StrokeRecorder:
    """Saves each mask tile the first time a stroke is about to touch it.

    At the end of the stroke the saved tiles that really changed become the undo step, so a
    stroke costs memory in proportion to the area it crossed, never the mask's size.
    """

    def __init__(self, mask: MaskArray) -> None:
        self.mask = mask
        self.erase = False
        self._saved: dict[tuple[int, int], MaskArray] = {}

    def protect(self, box: Box) -> None:
        height, width = self.mask.shape
        for ty in range(max(box.top, 0) // TILE, (min(box.bottom, height) - 1) // TILE + 1):
            for tx in range(max(box.left, 0) // TILE, (min(box.right, width) - 1) // TILE + 1):
                if (ty, tx) not in self._saved:
                    self._saved[(ty, tx)] = self.mask[region(self._tile(ty, tx))].copy()

    def patches(self) -> list[Patch]:
        out = []
        for (ty, tx), before in self._saved.items():
            box = self._tile(ty, tx)
            after = self.mask[region(box)]
            if not np.array_equal(before, after):
                out.append(Patch(box, before, after.copy()))
        return out

    def _tile(self, ty: int, tx: int) -> Box:
        height, width = self.mask.shape
        left, top = tx * TILE, ty * TILE
        return Box(left, top, min(left + TILE, width), min(top + TILE, height))


# -- where mask edits land, and what they write ---------------------------------------------

Points = Sequence[tuple[float, float]]


def clamp(box: Box, mask: MaskArray) -> Box | None:
    height, width = mask.shape
    clamped = Box(max(box.left, 0), max(box.top, 0), min(box.right, width), min(box.bottom, height))
    return clamped if clamped.width > 0 and clamped.height > 0 else None


def reach_box(points: Points, radius: float) -> Box | None:
    """Every pixel a brush of `radius` along `points` can touch (a little generously)."""
    finite = [(x, y) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    if not finite:
        return None
    reach = math.ceil(radius) + 2
    return Box(
        math.floor(min(x for x, _ in finite)) - reach,
        math.floor(min(y for _, y in finite)) - reach,
        math.ceil(max(x for x, _ in finite)) + reach,
        math.ceil(max(y for _, y in finite)) + reach,
    )


def rect_values(box: Box, *, erase: bool) -> MaskArray:
    return np.full((box.height, box.width), 0 if erase else 255, dtype=np.uint8)


def polygon_region(mask: MaskArray, points: Points, *, erase: bool) -> tuple[Box, MaskArray] | None:
    """The polygon's box and the mask values there once the polygon is painted (or erased)."""
    if len(points) < 3:
        return None
    box = clamp(
        Box(
            math.floor(min(x for x, _ in points)),
            math.floor(min(y for _, y in points)),
            math.ceil(max(x for x, _ in points)),
            math.ceil(max(y for _, y in points)),
        ),
        mask,
    )
    if box is None:
        return None
    # Rasterise only the polygon's box, not a full-size mask.
    shape = masks.from_polygon(
        box.width, box.height, [(x - box.left, y - box.top) for x, y in points]
    )
    current = mask[region(box)]
    return box, (np.minimum(current, 255 - shape) if erase else np.maximum(current, shape))


def region_patch(mask: MaskArray, box: Box, after: MaskArray) -> Patch | None:
    before = mask[region(box)]
    if np.array_equal(before, after):
        return None
    return Patch(box, before.copy(), after)


def transform_patch(mask: MaskArray, transform: Callable[[MaskArray], MaskArray]) -> Patch | None:
    """Run a whole-mask operation and keep only the part it changed (in a worker thread)."""
    return diff_patch(mask, transform(mask))


def frozen_pixels(pixels: RGBAArray, *, copy: bool = True) -> RGBAArray:
    """Read-only, contiguous RGBA pixels the canvas can share memory with.

    `copy=False` adopts an array nobody else holds (straight from the decoder).
    """
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ImgdeskError(
            ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "The picture must be 8-bit RGBA.")
        )
    if pixels.shape[0] == 0 or pixels.shape[1] == 0:
        raise ImgdeskError(
            ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "The picture has no pixels.")
        )
    frozen: RGBAArray = np.array(pixels, dtype=np.uint8, order="C", copy=copy or None)
    frozen.flags.writeable = False
    return frozen
