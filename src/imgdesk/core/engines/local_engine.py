"""The offline engine: removes what is under the mask and fills it from its surroundings.

OpenCV inpainting knows nothing about prompts, so this engine is for removal (blemishes, wires,
passers-by) when there is no network or no key. It is free and never touches the network.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncGenerator
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from imgdesk.core.edit_types import Completed, EditPlan, EngineEvent, Failed, Sending
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

# Completed.notice stays English (logs, history); the front ends show translate("notice", ...).
NOTICE = QT_TRANSLATE_NOOP(
    "notice",
    "The offline engine removes the masked content and fills it from its surroundings; "
    "it ignores the prompt.",
)
# Inpainting time grows with the masked area times the radius squared; fill large crops at a
# reduced scale (the fill is smooth anyway) and paste it back at full resolution.
WORK_MAX_SIDE = 1024

_U8 = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Variant:
    method: int  # cv2.INPAINT_TELEA or cv2.INPAINT_NS
    radius_factor: float  # multiplies the radius derived from the mask


# Variants differ in algorithm and reach, so asking for several gives a real choice.
VARIANTS = (
    Variant(cv2.INPAINT_TELEA, 1.0),
    Variant(cv2.INPAINT_NS, 1.0),
    Variant(cv2.INPAINT_TELEA, 2.0),
    Variant(cv2.INPAINT_NS, 2.0),
    Variant(cv2.INPAINT_TELEA, 0.5),
    Variant(cv2.INPAINT_NS, 0.5),
)


class LocalEngine:
    name = "local"
    metered = False

    async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        yield Sending()
        try:
            image, edit = await asyncio.to_thread(_decode, plan)
            images: list[bytes] = []
            for index in range(plan.params.n):
                # Each variant is its own thread hop, so a cancel lands between variants.
                variant = VARIANTS[(plan.first_variant + index) % len(VARIANTS)]
                images.append(await asyncio.to_thread(_fill, image, edit, variant))
        except ImgdeskError as error:
            yield Failed(error)
            return
        except cv2.error as error:
            yield Failed(
                ImgdeskError(
                    ErrorKind.IMAGE,
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "The offline engine could not fill the masked area of this picture.",
                    ),
                    detail=str(error),
                )
            )
            return
        yield Completed(images=tuple(images), usage=None, notice=NOTICE)


def _decode(plan: EditPlan) -> tuple[_U8, _U8]:
    """The crop as BGRA at request_size and the region to fill (255 = fill)."""
    width, height = plan.request_size
    image = _to_bgra(_decode_png(plan.image_png, "photo"))
    mask = _decode_png(plan.mask_png, "mask")
    if mask.shape[:2] != image.shape[:2]:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors", "The mask is not the same size as the picture it belongs to."
            ),
            detail=f"image {image.shape[1]}x{image.shape[0]}, mask {mask.shape[1]}x{mask.shape[0]}",
        )
    if mask.ndim != 3 or mask.shape[2] != 4:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "The mask has no transparency to mark the edit area."),
        )
    # The API's convention: transparent mask pixels are the ones to change.
    edit = _u8(np.where(mask[:, :, 3] < 128, 255, 0))
    if (image.shape[1], image.shape[0]) != (width, height):
        image = _u8(cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA))
        edit = _u8(cv2.resize(edit, (width, height), interpolation=cv2.INTER_NEAREST))
    if not edit.any():
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "Paint over the area to remove first; the mask is empty."),
        )
    if edit.all():
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors",
                "The offline engine fills the painted area from what surrounds it, and everything "
                "is painted. Leave part of the picture unpainted, or use an online model.",
            ),
        )
    return image, edit


def _u8(array: object) -> _U8:
    return np.asarray(array, dtype=np.uint8)


def _decode_png(data: bytes, what: str) -> _U8:
    buffer = np.frombuffer(data, dtype=np.uint8)
    decoded = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED) if buffer.size else None
    if decoded is None or decoded.dtype != np.uint8:
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "The {what} sent to the offline engine is unreadable."),
            what=what,
        )
    return _u8(decoded)


def _to_bgra(image: _U8) -> _U8:
    if image.ndim == 2:
        return _u8(cv2.cvtColor(image, cv2.COLOR_GRAY2BGRA))
    if image.shape[2] == 3:
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGR2BGRA))
    return image


def radius_for(edit: _U8) -> int:
    """Neighbourhood radius: wider for large holes so the fill carries texture inwards."""
    area = int(np.count_nonzero(edit))
    return max(3, min(25, round(math.sqrt(area) / 20)))


def _fill(image: _U8, edit: _U8, variant: Variant) -> bytes:
    height, width = edit.shape
    # Grow the hole slightly so anti-aliased mask edges do not leave a halo of the old content.
    hole = _u8(cv2.dilate(edit, np.ones((3, 3), np.uint8)))
    scale = min(1.0, WORK_MAX_SIDE / max(width, height))
    bgr = np.ascontiguousarray(image[:, :, :3])
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small_bgr = _u8(cv2.resize(bgr, size, interpolation=cv2.INTER_AREA))
        # Area averaging keeps every pixel that touches the hole, so thin strokes survive.
        shrunk = cv2.resize(hole, size, interpolation=cv2.INTER_AREA)
        small_hole = _u8(np.where(np.asarray(shrunk) > 0, 255, 0))
    else:
        small_bgr, small_hole = bgr, hole
    radius = max(1, round(radius_for(small_hole) * variant.radius_factor))
    filled = _u8(cv2.inpaint(small_bgr, small_hole, radius, variant.method))
    if scale < 1.0:
        filled = _u8(cv2.resize(filled, (width, height), interpolation=cv2.INTER_CUBIC))
    out = image.copy()
    inside = hole > 0
    # Pixels outside the hole stay exactly as sent; the alpha channel is never touched.
    out[:, :, :3][inside] = filled[inside]
    ok, encoded = cv2.imencode(".png", out)
    if not ok:
        raise ImgdeskError(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "The offline engine could not encode its result."),
        )
    return encoded.tobytes()
