"""The soft band the compositor will blend across, computed for the mask as it is now.

The compositor feathers the mask outward by `sizing.default_feather(plan.crop)` before blending
the result in, so an edit reaches a few pixels past what was painted. Showing that band lets a
designer see where the photo will change before paying for the edit. It follows the mask (after
painting pauses) and the model/size choice (which move the crop), and is computed in the executor.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from imgdesk.core import masks, sizing
from imgdesk.core.edit_types import Box, MaskArray
from imgdesk.core.errors import ErrorKind
from imgdesk.models.async_tasks import TaskOwner
from imgdesk.models.document import DocumentModel
from imgdesk.models.edit_session import EditSession

log = logging.getLogger("imgdesk.feather")

T = TypeVar("T")

_PAUSE_MS = 120  # recompute once painting pauses this long


@dataclass(frozen=True)
class FeatherBand:
    """Feather weights outside the mask's inside, for the part of the photo in `box`."""

    box: Box
    radius: float
    weights: MaskArray  # (box.height, box.width); 0 inside the mask and beyond the band


def feather_band(mask: MaskArray, crop: Box) -> FeatherBand:
    """What `composite` will add around `mask` for an edit planned with `crop`."""
    radius = sizing.default_feather(crop)
    region = mask[crop.top : crop.bottom, crop.left : crop.right]
    weights = masks.feather(region, radius)
    # Inside the mask (its 50% contour) the overlay already shows the change.
    band = np.where(region >= 128, 0, weights).astype(np.uint8)
    return FeatherBand(crop, radius, band)


class FeatherPreview(QObject):
    enabled_changed = Signal(bool)
    changed = Signal()  # `band` was recomputed (or cleared)
    error_raised = Signal(object)  # ImgdeskError

    def __init__(
        self, document: DocumentModel, session: EditSession, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._session = session
        self._enabled = False
        self._band: FeatherBand | None = None
        self._version = 0  # bumped by every input change; stale results are dropped
        self._tasks = TaskOwner(self.error_raised.emit, fallback_kind=ErrorKind.MASK, logger=log)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_PAUSE_MS)
        self._timer.timeout.connect(self._start)
        document.mask_changed.connect(self._schedule)
        document.image_changed.connect(self._schedule)
        session.params_changed.connect(self._schedule)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        if on == self._enabled:
            return
        self._enabled = on
        self.enabled_changed.emit(on)
        if on:
            self._version += 1
            self._start()
        else:
            self._timer.stop()
            self._set_band(None)

    @property
    def band(self) -> FeatherBand | None:
        """The band for the mask as it was at the last computation; None when off or no mask."""
        return self._band if self._enabled else None

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._tasks.busy

    async def aclose(self) -> None:
        self._timer.stop()
        await self._tasks.close()

    def _schedule(self, *_: object) -> None:
        self._version += 1
        if self._enabled:
            self._timer.start()

    def _start(self) -> None:
        self._tasks.cancel_all()
        self._tasks.start(self._compute(self._version), name="feather preview")

    async def _compute(self, version: int) -> None:
        mask = self._document.mask
        box = None if mask is None else await _in_executor(masks.bounding_box, mask)
        layout = None if box is None else self._session.planned_layout(box)
        band = None
        if mask is not None and layout is not None:
            # The live mask goes uncopied; a stroke meanwhile bumps the version and the result
            # is dropped below (the timer then computes it again).
            band = await _in_executor(feather_band, mask, layout.crop)
        if version == self._version and self._enabled:
            self._set_band(band)

    def _set_band(self, band: FeatherBand | None) -> None:
        if band is None and self._band is None:
            return
        self._band = band
        self.changed.emit()


async def _in_executor(fn: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)
