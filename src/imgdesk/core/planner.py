"""Turn a photo, a mask and the user's parameters into an `EditPlan` an engine can send.

Everything that can be refused is checked first (parameters against the model catalog, the mask
against the photo), before a single pixel is encoded. Only the crop around the mask is resized and
encoded, never the whole photo, so planning a small edit on a 24 MP photo stays fast. The geometry
(which crop, which size) lives in `sizing`; this module moves and encodes the pixels.

Image models take and give sRGB. The photo stays in its own colour space (see `color`); the crop
is converted to sRGB here, after resizing so only the request's pixels are converted, and so are
reference pictures tagged with another profile.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

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
