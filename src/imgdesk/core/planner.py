"""Turn a photo, a mask and the user's parameters into an `EditPlan` an engine can send.

Everything that can be refused is checked first (parameters against the model catalog, the mask
against the photo), before a single pixel is encoded. Only the crop around the mask is resized and
encoded, never the whole photo, so planning a small edit on a 24 MP photo stays fast. The geometry
(which crop, which size) lives in `sizing`; this module moves and encodes the pixels.

Image models take and give sRGB. The photo stays in its own colour space (see `color`); the crop
is converted to sRGB here, after resizing so only the request's pixels are converted, and so are
reference pictures tagged with another profile.

`PlanCache` lets the queue plan once for the jobs of a batch that share photo, mask and settings
and differ only in their prompt: every one of them would resize and encode the very same crop.
"""

from __future__ import annotations

import dataclasses
import io
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Protocol

import numpy as np
from PIL import Image

from imgdesk.core import catalog, imageio, masks, resample, sizing
from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import EditParams, EditPlan, MaskArray, Reference, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

# Upload limits of /v1/images/edits. The largest request any model accepts (3840x2160 RGBA) is
# 33 MB raw, so the image limit is a safeguard; a binary mask compresses far below its limit.
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
# Reference MIME type -> the format a converted reference is written in.
_REFERENCE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


class Planner(Protocol):
    """What `pipeline.run_edit` plans with: `plan_edit` or a `PlanCache`'s `planner`."""

    def __call__(
        self,
        image: RGBAArray,
        mask: MaskArray,
        params: EditParams,
        *,
        references: Sequence[Reference] = (),
        profile: ColorProfile | None = None,
    ) -> EditPlan: ...


def plan_edit(
    image: RGBAArray,
    mask: MaskArray,
    params: EditParams,
    *,
    references: Sequence[Reference] = (),
    context: float = 0.25,
    feather_px: float | None = None,
    profile: ColorProfile | None = None,
) -> EditPlan:
    """Plan one masked edit of `image` (full resolution, (h, w, 4) uint8, in `profile`'s colour
    space; None means sRGB).

    `context` is the share of the mask's size added around it as context (at least
    `sizing.MIN_CONTEXT_PX`). `feather_px` must be the value later given to `composite`; None
    means `sizing.default_feather(plan.crop)` on both sides.
    """
    model = catalog.validate(params, reference_count=len(references))
    _check_image(image)
    height, width = image.shape[:2]
    masks.validate_mask(mask, (width, height))
    mask_box = masks.bounding_box(mask)
    if mask_box is None:  # validate_mask refuses empty masks; this keeps the types honest
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "The mask is empty: paint the area to change first."),
        )
    size = None if params.size == "auto" else catalog.parse_size(params.size)
    layout = sizing.layout_edit(
        (width, height),
        mask_box,
        model.sizes,
        size=size,
        context=context,
        feather_px=feather_px,
    )
    window = sizing.request_window(layout.crop, layout.request_size)
    sent = resample.resize_pixels(resample.window_pixels(image, window), layout.request_size)
    if profile is not None:
        sent = profile.to_srgb(sent)
    coverage = resample.resize_coverage(resample.window_mask(mask, window), layout.request_size)
    return EditPlan(
        params=params,
        image_size=(width, height),
        crop=layout.crop,
        request_size=layout.request_size,
        image_png=_image_png(sent),
        mask_png=_mask_png(coverage),
        references=tuple(srgb_reference(reference) for reference in references),
    )


def srgb_reference(reference: Reference) -> Reference:
    """`reference` in sRGB, as image models expect it.

    A picture tagged with another RGB profile is converted and re-encoded in its own format (and
    its EXIF orientation applied); anything else travels byte for byte, including pictures that
    cannot be decoded here, which the service then judges as it would have.
    """
    if ColorProfile.of(imageio.icc_profile_of(reference.data)).is_srgb:
        return reference
    try:
        loaded = imageio.load_image(reference.data)
        pixels = loaded.profile.to_srgb(loaded.pixels)
        format_name = _REFERENCE_FORMATS.get(reference.mime, "PNG")
        data = imageio.encode_image(pixels, format=format_name, quality=95)
    except ImgdeskError:
        return reference
    mime = reference.mime if reference.mime in _REFERENCE_FORMATS else "image/png"
    return Reference(name=reference.name, data=data, mime=mime)


def _check_image(image: RGBAArray) -> None:
    if (
        not isinstance(image, np.ndarray)
        or image.dtype != np.uint8
        or image.ndim != 3
        or image.shape[2] != 4
        or image.shape[0] == 0
        or image.shape[1] == 0
    ):
        raise ImgdeskError(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors", "The photo must be 8-bit RGBA pixels before it can be edited."
            ),
            detail=f"got {getattr(image, 'dtype', None)} {getattr(image, 'shape', None)}",
        )


def _image_png(pixels: RGBAArray) -> bytes:
    data = imageio.encode_png(pixels)
    if len(data) >= MAX_IMAGE_BYTES:
        data = imageio.encode_png(pixels, compress_level=9)
    if len(data) >= MAX_IMAGE_BYTES:  # pragma: no cover - larger than any model's request size
        raise ImgdeskError(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors", "The area to edit is too large to upload; choose a smaller size."
            ),
            field="size",
        )
    return data


def _mask_png(coverage: MaskArray) -> bytes:
    data = masks.export_mask_png(coverage)
    if len(data) < MAX_MASK_BYTES:
        return data
    # A very intricate mask: the alpha channel is all the API reads, so a grey+alpha PNG at full
    # compression carries the same mask in about half the bytes.
    alpha = np.ascontiguousarray(255 - coverage)
    grey_alpha = np.dstack([np.zeros_like(alpha), alpha])
    buffer = io.BytesIO()
    Image.fromarray(grey_alpha).save(buffer, "PNG", compress_level=9)
    data = buffer.getvalue()
    if len(data) >= MAX_MASK_BYTES:
        raise ImgdeskError(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors",
                "The mask is too intricate to upload (over 4 MB); smooth or simplify it and retry.",
            ),
        )
    return data


@dataclasses.dataclass
class _Slot:
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    plan: EditPlan | None = None


class PlanCache:
    """The most recent plans, each shared by the edits that would encode the same bytes.

    The caller names the pixels with a `key` (the queue uses the content hashes of the photo,
    mask and reference blobs, and a photo blob embeds its colour profile): hashing a 24 MP photo
    here would cost more than the encoding it saves. Everything in the parameters but the prompt
    completes the key, so a hit differs from a fresh plan only in `params`, and each edit's own
    parameters are still validated. Safe across threads: edits with the same key that arrive
    together wait for one plan instead of each encoding it. Failures are not kept.
    """

    def __init__(self, capacity: int = 4) -> None:
        self._capacity = max(1, capacity)
        self._slots: OrderedDict[Hashable, _Slot] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for slot in self._slots.values() if slot.plan is not None)

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()

    def planner(self, key: Hashable, *, first_variant: int = 0) -> Planner:
        """A `Planner` for edits of the pixels named `key` (plans start at `first_variant`)."""

        def plan(
            image: RGBAArray,
            mask: MaskArray,
            params: EditParams,
            *,
            references: Sequence[Reference] = (),
            profile: ColorProfile | None = None,
        ) -> EditPlan:
            shared = self.plan(key, image, mask, params, references=references, profile=profile)
            return dataclasses.replace(shared, first_variant=first_variant)

        return plan

    def plan(
        self,
        key: Hashable,
        image: RGBAArray,
        mask: MaskArray,
        params: EditParams,
        *,
        references: Sequence[Reference] = (),
        profile: ColorProfile | None = None,
    ) -> EditPlan:
        """`plan_edit`, reusing the encoded request of an earlier edit with the same key."""
        full_key = (key, dataclasses.replace(params, prompt=""))
        with self._lock:
            slot = self._slots.get(full_key)
            if slot is None:
                slot = self._slots[full_key] = _Slot()
                while len(self._slots) > self._capacity:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(full_key)
        with slot.lock:
            if slot.plan is None:
                slot.plan = plan_edit(image, mask, params, references=references, profile=profile)
                return slot.plan
            shared = slot.plan
        catalog.validate(params, reference_count=len(references))
        return dataclasses.replace(shared, params=params)
