"""The open photo, its edit mask and a preview layer, with undo for every change.

`pixels` never change in place: a new picture is a new (read-only) array, which is what lets the
canvas show it through a QImage over the same memory. The mask is edited in place (strokes must
touch only what they cross on a 24 MB mask) and tells observers which rectangle changed.
Anything slow (decode, encode, grow/shrink, canvas expansion) runs in the executor.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QRect, Signal
from PySide6.QtGui import QUndoStack

from imgdesk.core import masks
from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import Box, MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.imageio import LoadedImage, load_image, save_image
from imgdesk.core.outpaint import Margins, expand_canvas
from imgdesk.models.async_tasks import TaskOwner
from imgdesk.models.document_commands import (
    ContentCommand,
    InvertMaskCommand,
    MaskPatchCommand,
    StrokeRecorder,
    clamp,
    diff_patch,
    frozen_pixels,
    polygon_region,
    reach_box,
    rect_values,
    region_patch,
    transform_patch,
)

log = logging.getLogger("imgdesk.document")

# A mask job (grow, import, expand) computed while the mask kept changing starts over this often.
_JOB_ATTEMPTS = 3


class DocumentModel(QObject):
    image_changed = Signal()
    mask_changed = Signal(QRect)  # image coordinates; the full rect for whole-mask changes
    preview_changed = Signal()
    modified_changed = Signal(bool)
    path_changed = Signal(str)  # "" when the document has no file
    error_raised = Signal(object)  # ImgdeskError
    loading_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pixels: RGBAArray | None = None
        self._mask: MaskArray | None = None
        self._icc_profile: bytes | None = None
        self._path: Path | None = None
        self._preview: RGBAArray | None = None
        self._saved: weakref.ref[np.ndarray] | None = None  # the pixels last loaded or saved
        self._modified = False
        self._loading = False
        self._mask_version = 0  # bumped by every mask change; stale background results see it
        self._stroke: StrokeRecorder | None = None
        self._undo_stack = QUndoStack(self)
        self._tasks = TaskOwner(self.error_raised.emit, fallback_kind=ErrorKind.IMAGE, logger=log)

    @classmethod
    def from_pixels(
        cls,
        pixels: RGBAArray,
        *,
        mask: MaskArray | None = None,
        icc_profile: bytes | None = None,
        path: Path | None = None,
        parent: QObject | None = None,
    ) -> DocumentModel:
        document = cls(parent)
        document.set_document(LoadedImage(pixels, icc_profile, "PNG", path, False), mask=mask)
        return document

    # -- state ------------------------------------------------------------------------------

    @property
    def pixels(self) -> RGBAArray | None:
        """The picture, read-only, or None before anything is open."""
        return self._pixels

    @property
    def mask(self) -> MaskArray | None:
        """The live mask (255 = change). Read it; change it only through the methods here."""
        return self._mask

    @property
    def icc_profile(self) -> bytes | None:
        """The RGB profile the pixels are in (the opened file's), None for sRGB."""
        return self._icc_profile

    @property
    def color_profile(self) -> ColorProfile:
        """The pixels' colour space: edits send `to_srgb` of it and bring results back."""
        return ColorProfile.of(self._icc_profile)

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def preview(self) -> RGBAArray | None:
        return self._preview

    @property
    def modified(self) -> bool:
        return self._modified

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def undo_stack(self) -> QUndoStack:
        return self._undo_stack

    @property
    def tasks(self) -> TaskOwner:
        return self._tasks

    @property
    def is_empty(self) -> bool:
        return self._pixels is None

    @property
    def size(self) -> tuple[int, int] | None:
        """(width, height), or None when empty."""
        if self._pixels is None:
            return None
        return int(self._pixels.shape[1]), int(self._pixels.shape[0])

    @property
    def has_mask(self) -> bool:
        return self._mask is not None and bool(self._mask.any())

    # -- the whole document -----------------------------------------------------------------

    async def open(self, path: Path | str) -> bool:
        """Load a picture off the UI thread. On failure report it and keep the current one."""
        self._set_loading(True)
        try:
            loaded = await self._tasks.start(_in_executor(load_image, Path(path)), name="open")
        finally:
            self._set_loading(False)
        if loaded is None:
            return False
        self._adopt(loaded, None, copy=False)  # freshly decoded: nobody else holds the array
        return True

    def set_document(self, loaded: LoadedImage, *, mask: MaskArray | None = None) -> None:
        """Show a new picture with an empty (or the given) mask; undo history starts over."""
        self._adopt(loaded, mask, copy=True)

    def _adopt(self, loaded: LoadedImage, mask: MaskArray | None, *, copy: bool) -> None:
        pixels = frozen_pixels(loaded.pixels, copy=copy)
        height, width = pixels.shape[:2]
        if mask is None:
            mask = masks.empty_mask(width, height)
        else:
            masks.validate_mask(mask, (width, height))
            mask = mask.copy()
        self._stroke = None
        self._undo_stack.clear()
        self._icc_profile = loaded.icc_profile
        self._saved = weakref.ref(pixels)
        self._set_path(loaded.path)
        self.show_preview(None)
        self._replace_content(pixels, mask)

    def set_image(self, pixels: RGBAArray, text: str) -> None:
        """Make `pixels` the picture as one undo step (a new size starts an empty mask)."""
        if self._pixels is None:
            raise ImgdeskError(
                ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "Open a photo before changing it.")
            )
        new_pixels = frozen_pixels(pixels)
        mask = None
        if new_pixels.shape[:2] != self._pixels.shape[:2]:
            mask = masks.empty_mask(new_pixels.shape[1], new_pixels.shape[0])
        self._undo_stack.push(ContentCommand(self, text, new_pixels, mask))

    def show_preview(self, pixels: RGBAArray | None) -> None:
        """Show `pixels` on the canvas instead of the picture, without changing the document."""
        if pixels is self._preview:
            return
        self._preview = pixels
        self.preview_changed.emit()

    async def expand_canvas(self, margins: Margins) -> bool:
        """Grow the picture by `margins`; the new area joins the mask. One undo step."""
        result = await self._tasks.start(self._expand(margins), name="expand canvas")
        return bool(result)

    async def save_as(self, path: Path | str, format: str | None = None) -> bool:
        """Write the picture (with its ICC profile) and make `path` the document's file."""
        result = await self._tasks.start(self._save(Path(path), format), name="save")
        return bool(result)

    async def close(self) -> None:
        """Cancel and await the document's background work."""
        self.end_stroke()
        await self._tasks.close()

    # -- mask edits -------------------------------------------------------------------------

    def begin_stroke(self) -> None:
        self.end_stroke()
        if self._mask is not None:
            self._stroke = StrokeRecorder(self._mask)

    def stroke_to(
        self,
        points: Sequence[tuple[float, float]],
        radius: float,
        hardness: float = 1.0,
        erase: bool = False,
    ) -> None:
        """Paint along `points` (image coordinates). Outside a begin/end pair it is its own step."""
        if self._mask is None or not points:
            return
        single = self._stroke is None
        if single:
            self.begin_stroke()
        recorder = self._stroke
        assert recorder is not None
        recorder.erase = erase
        box = reach_box(points, radius)
        if box is not None:
            recorder.protect(box)
            dirty = masks.paint_stroke(
                self._mask, points, radius=radius, hardness=hardness, erase=erase
            )
            if dirty is not None:
                self._mask_edited(dirty)
        if single:
            self.end_stroke()

    def end_stroke(self) -> None:
        recorder, self._stroke = self._stroke, None
        if recorder is None or recorder.mask is not self._mask:
            return
        patches = recorder.patches()
        if patches:
            text = (
                translate("Document", "Erase mask")
                if recorder.erase
                else translate("Document", "Paint mask")
            )
            self._undo_stack.push(MaskPatchCommand(self, text, patches, applied=True))

    def fill_rect(self, box: Box, erase: bool = False) -> None:
        clamped = None if self._mask is None else clamp(box, self._mask)
        if clamped is not None:
            text = (
                translate("Document", "Erase rectangle")
                if erase
                else translate("Document", "Rectangle")
            )
            self._push_region(clamped, rect_values(clamped, erase=erase), text)

    def fill_polygon(self, points: Sequence[tuple[float, float]], erase: bool = False) -> None:
        """Fill the closed polygon through `points` (image coordinates), antialiased."""
        filled = None if self._mask is None else polygon_region(self._mask, points, erase=erase)
        if filled is not None:
            self._push_region(
                *filled,
                translate("Document", "Erase lasso") if erase else translate("Document", "Lasso"),
            )

    def invert_mask(self) -> None:
        if self._mask is not None:
            self.end_stroke()
            self._undo_stack.push(InvertMaskCommand(self))

    def clear_mask(self) -> None:
        if self._mask is None:
            return
        box = masks.bounding_box(self._mask)
        if box is not None:
            self._push_region(
                box,
                np.zeros((box.height, box.width), np.uint8),
                translate("Document", "Clear mask"),
            )

    def grow_mask(self, px: int) -> asyncio.Task[bool | None] | None:
        """Grow the mask by `px` pixels in the background (one undo step); returns the task."""
        return self._start_mask_job(
            translate("Document", "Grow mask {px} px").format(px=px),
            lambda mask: masks.grow(mask, px),
        )

    def shrink_mask(self, px: int) -> asyncio.Task[bool | None] | None:
        return self._start_mask_job(
            translate("Document", "Shrink mask {px} px").format(px=px),
            lambda mask: masks.shrink(mask, px),
        )

    async def import_mask(self, path: Path | str) -> bool:
        """Replace the mask with a PNG's (transparent = change); must match the picture's size."""
        if self.size is None:
            return False
        size = self.size
        imported = await self._tasks.start(
            _in_executor(masks.import_mask_png, Path(path), size), name="import mask"
        )
        if imported is None:
            return False
        result = await self._tasks.start(
            self._mask_job(translate("Document", "Import mask"), lambda _: imported)
        )
        return bool(result)

    def replace_mask(self, mask: MaskArray, text: str) -> asyncio.Task[bool | None] | None:
        """Make `mask` the whole mask as one undo step (e.g. a mask reused from the history)."""
        if self.size is None:
            raise ImgdeskError(
                ErrorKind.IMAGE,
                QT_TRANSLATE_NOOP("errors", "Open a photo before changing its mask."),
            )
        masks.validate_mask(mask, self.size)
        replacement = mask.copy()
        return self._start_mask_job(text, lambda _: replacement)

    async def export_mask(self, path: Path | str) -> bool:
        if self._mask is None:
            return False
        snapshot = self._mask.copy()  # strokes may continue while it is encoded

        def write() -> bool:
            atomic_write_bytes(Path(path), masks.export_mask_png(snapshot))
            return True

        return bool(await self._tasks.start(_in_executor(write), name="export mask"))

    # -- hooks for the undo commands --------------------------------------------------------

    def _mask_edited(self, box: Box | None) -> None:
        if self._mask is None:
            return
        self._mask_version += 1
        if box is None:
            height, width = self._mask.shape
            box = Box(0, 0, width, height)
        self.mask_changed.emit(QRect(box.left, box.top, box.width, box.height))

    def _replace_content(self, pixels: RGBAArray, mask: MaskArray) -> None:
        self._stroke = None
        new_image = pixels is not self._pixels
        new_mask = mask is not self._mask
        self._pixels, self._mask = pixels, mask
        if new_image:
            self.image_changed.emit()
        if new_mask:
            self._mask_edited(None)
        saved = self._saved() if self._saved is not None else None
        self._set_modified(saved is not pixels)

    # -- internals --------------------------------------------------------------------------

    def _push_region(self, box: Box, after: MaskArray, text: str) -> None:
        assert self._mask is not None
        self.end_stroke()
        patch = region_patch(self._mask, box, after)
        if patch is not None:
            self._undo_stack.push(MaskPatchCommand(self, text, [patch], applied=False))

    def _start_mask_job(
        self, text: str, transform: Callable[[MaskArray], MaskArray]
    ) -> asyncio.Task[bool | None] | None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script): do it here and now
            if self._mask is not None:
                patch = diff_patch(self._mask, transform(self._mask))
                if patch is not None:
                    self._undo_stack.push(MaskPatchCommand(self, text, [patch], applied=False))
            return None
        return self._tasks.start(self._mask_job(text, transform), name=text)

    async def _mask_job(self, text: str, transform: Callable[[MaskArray], MaskArray]) -> bool:
        for _ in range(_JOB_ATTEMPTS):
            mask, version = self._mask, self._mask_version
            if mask is None:
                return False
            # The live mask goes to the worker uncopied: a stroke meanwhile bumps the version
            # and the (possibly torn) result is thrown away below.
            patch = await _in_executor(transform_patch, mask, transform)
            if self._mask is mask and self._mask_version == version and self._stroke is None:
                if patch is not None:
                    self._undo_stack.push(MaskPatchCommand(self, text, [patch], applied=False))
                return True
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors", "The mask kept changing, so it was left as it is; try again."
            ),
        )

    async def _expand(self, margins: Margins) -> bool:
        for _ in range(_JOB_ATTEMPTS):
            pixels, mask, version = self._pixels, self._mask, self._mask_version
            if pixels is None or mask is None:
                return False
            grown, grown_mask = await _in_executor(expand_canvas, pixels, mask, margins)
            if self._pixels is pixels and self._mask is mask and self._mask_version == version:
                self.end_stroke()
                command = ContentCommand(
                    self, translate("Document", "Expand canvas"), frozen_pixels(grown), grown_mask
                )
                self._undo_stack.push(command)
                return True
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors", "The picture kept changing, so the canvas was not expanded; try again."
            ),
        )

    async def _save(self, path: Path, format: str | None) -> bool:
        pixels, icc = self._pixels, self._icc_profile
        if pixels is None:
            return False
        await _in_executor(lambda: save_image(pixels, path, format=format, icc_profile=icc))
        self._saved = weakref.ref(pixels)
        self._set_path(path)
        self._set_modified(self._pixels is not pixels)
        return True

    def _set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.path_changed.emit("" if path is None else str(path))

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)


async def _in_executor(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)
