"""The geometry of an edit: which part of the photo is sent, and at what size. No pixels here.

The image model regenerates the whole picture it is given at a limited resolution, so only a crop
around the mask is sent. The crop is the mask's bounding box, grown by the feather radius and a
context margin, then grown (within the photo) toward an aspect ratio the model can make, so the
result maps back without stretching. Growing the crop costs nothing but a little resolution;
stretching costs geometry.

When the photo itself is too flat or too tall for the model (a 10:1 panorama strip, or a fixed-size
model whose shapes do not match the photo), the crop cannot reach the needed aspect. Then:
1. the crop is first narrowed along its long side, down to the mask plus feather plus the minimum
   context, to take a sub-window around the mask;
2. whatever mismatch remains is covered by a *window*: a box with the request's exact aspect,
   centred on the crop, that reaches beyond the photo. The planner fills the part outside the
   photo by mirroring the photo's edge; the compositor scales the result to cover the window and
   keeps only the crop (scale to cover, centre-crop). Neither side ever stretches.
`request_window` is the one function both sides use, so they always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from imgdesk.core.catalog import SizeRule
from imgdesk.core.edit_types import Box

MIN_CONTEXT_PX = 64  # context around the mask even for a tiny mask: the model needs surroundings
MIN_FEATHER_PX = 2.0
MAX_DEFAULT_FEATHER_PX = 32.0
FEATHER_SHARE = 0.0075  # of the crop's shorter side
# A crop covering this share of the photo becomes the whole photo: no seam is worth saving 20%.
WHOLE_IMAGE_SHARE = 0.8
_ASPECT_STEP = 0.005  # aspect differences below 0.5% are not worth trading pixels for


@dataclass(frozen=True)
class Layout:
    crop: Box  # the part of the photo that is sent and composited back
    request_size: tuple[int, int]  # (width, height) asked of the model


def default_feather(crop: Box) -> float:
    """The feather radius (pixels) the planner and the compositor use unless told otherwise.

    About 0.75% of the crop's shorter side, between 2 and 32 pixels: wide enough to hide the seam
    between model output and photo, narrow enough not to blur the edit's outline. Both sides
    compute it from `plan.crop`, so they agree without storing it.
    """
    share = FEATHER_SHARE * min(crop.width, crop.height)
    return min(MAX_DEFAULT_FEATHER_PX, max(MIN_FEATHER_PX, share))


def feather_reach(feather_px: float | None) -> int:
    """How far past the mask the crop must reach so that the whole feather band fits in it.

    With the default feather the radius is not known until the crop is, so the crop leaves room
    for the largest default radius.
    """
    radius = MAX_DEFAULT_FEATHER_PX if feather_px is None else max(0.0, feather_px)
    return math.ceil(radius)


def request_window(crop: Box, request_size: tuple[int, int]) -> Box:
    """The box (in photo pixels) that a picture of `request_size` shows: the crop, widened evenly
    on two sides to the request's aspect (scale to cover). It may reach outside the photo."""
    request_w, request_h = request_size
    scale = max(crop.width / request_w, crop.height / request_h)
    width = max(crop.width, round(request_w * scale))
    height = max(crop.height, round(request_h * scale))
    left = crop.left - (width - crop.width) // 2
    top = crop.top - (height - crop.height) // 2
    return Box(left, top, left + width, top + height)


def layout_edit(
    image_size: tuple[int, int],
    mask_box: Box,
    rule: SizeRule,
    *,
    size: tuple[int, int] | None = None,
    context: float = 0.25,
    feather_px: float | None = None,
) -> Layout:
    """Choose the crop and the request size for a mask whose bounding box is `mask_box`.

    `size` is an explicit request size (already validated against `rule`); None means auto.
    """
    width, height = image_size
    reach = feather_reach(feather_px)
    margin = max(
        MIN_CONTEXT_PX, math.ceil(max(0.0, context) * max(mask_box.width, mask_box.height))
    )
    core = _clamp(_grow(mask_box, reach + MIN_CONTEXT_PX), width, height)
    crop = _clamp(_grow(mask_box, reach + margin), width, height)
    if _area(crop) >= WHOLE_IMAGE_SHARE * width * height:
        crop = Box(0, 0, width, height)

    if size is not None:
        return Layout(fit_aspect(crop, core, image_size, size[0] / size[1]), size)
    if not rule.flexible:
        return _fixed_layout(crop, core, image_size, rule)
    aspect = min(rule.max_aspect, max(rule.min_aspect, crop.width / crop.height))
    crop = fit_aspect(crop, core, image_size, aspect)
    request, scale = auto_flexible_size(crop.width, crop.height, rule)
    # Rounding to multiples of 16 leaves the request a few pixels off the crop: move the crop's
    # edges by those pixels (real photo rather than padding; never into the core), so an
    # unscaled crop is sent pixel for pixel.
    target = (round(request[0] / scale), round(request[1] / scale))
    return Layout(_resize_to(crop, target, core, image_size), request)


def auto_flexible_size(width: int, height: int, rule: SizeRule) -> tuple[tuple[int, int], float]:
    """The request size for a `width` x `height` crop on a flexible-size model, and the scale it
    implies (request pixels per crop pixel).

    Keeps the crop's own resolution when the model allows it (never upscaling beyond the nearest
    multiple of 16), upsamples small crops to the model's minimum, downsamples big ones to its
    maximum. Aspect ratios beyond the model's range are clamped (the window pads the rest).
    """
    aspect = min(rule.max_aspect, max(rule.min_aspect, width / height))
    wide, tall = float(width), float(height)
    if wide / tall > aspect:
        tall = wide / aspect
    else:
        wide = tall * aspect
    scale = 1.0
    area = wide * tall
    if rule.min_pixels and area < rule.min_pixels:
        scale = math.sqrt(rule.min_pixels / area)
    if rule.max_pixels and area > rule.max_pixels:
        scale = math.sqrt(rule.max_pixels / area)
    if rule.max_width:
        scale = min(scale, rule.max_width / wide)
    if rule.max_height:
        scale = min(scale, rule.max_height / tall)
    target_w, target_h = wide * scale, tall * scale
    return _nearest_accepted(target_w, target_h, aspect, rule), scale


def _nearest_accepted(
    target_w: float, target_h: float, aspect: float, rule: SizeRule
) -> tuple[int, int]:
    step = rule.multiple
    for spread in (2, 6, 24):
        best: tuple[tuple[bool, float, int], tuple[int, int]] | None = None
        for w in _multiples_near(target_w, step, spread):
            for h in _multiples_near(target_h, step, spread):
                if rule.problem(w, h) is not None:
                    continue
                # Prefer sizes that keep the full target resolution, then the closest aspect
                # (in steps of 0.5%: the crop absorbs smaller differences), then the size
                # closest to the target in pixels.
                smaller = w < target_w - 1e-6 or h < target_h - 1e-6
                gap = int(abs(math.log((w / h) / aspect)) / _ASPECT_STEP)
                key = (smaller, gap, -w * h if smaller else w * h)
                if best is None or key < best[0]:
                    best = (key, (w, h))
        if best is not None:
            return best[1]
    raise ValueError(f"no accepted size near {target_w:.0f}x{target_h:.0f}")  # pragma: no cover


def _multiples_near(value: float, step: int, spread: int) -> range:
    low = max(1, math.floor(value / step) - spread)
    high = math.ceil(value / step) + spread
    return range(low * step, high * step + 1, step)


def _fixed_layout(crop: Box, core: Box, image_size: tuple[int, int], rule: SizeRule) -> Layout:
    """Pick the allowed size that needs the least padding and loses the least context, then the
    one closest in aspect to the crop."""
    crop_aspect = crop.width / crop.height
    best: tuple[tuple[float, float, int], Layout] | None = None
    for size in rule.sizes:
        fitted = fit_aspect(crop, core, image_size, size[0] / size[1])
        window = request_window(fitted, size)
        padding = 1 - _area(fitted) / _area(window)
        lost = 1 - _area(_intersect(fitted, crop)) / _area(crop)
        gap = abs(math.log(size[0] / size[1] / crop_aspect))
        key = (round(padding + lost, 3), gap, -size[0] * size[1])
        if best is None or key < best[0]:
            best = (key, Layout(fitted, size))
    if best is None:
        raise ValueError("a fixed-size model without sizes")  # pragma: no cover
    return best[1]


def fit_aspect(crop: Box, core: Box, image_size: tuple[int, int], aspect: float) -> Box:
    """Bring `crop` toward `aspect` (width / height): grow its short side within the photo; when
    the photo is too small for that, narrow its long side, never below `core`."""
    width, height = image_size
    if crop.width / crop.height < aspect:
        crop = _set_x(crop, round(crop.height * aspect), crop, width)
        if crop.width / crop.height < aspect:
            want = min(crop.height, max(core.height, round(crop.width / aspect)))
            crop = _set_y(crop, want, core, height)
    elif crop.width / crop.height > aspect:
        crop = _set_y(crop, round(crop.width / aspect), crop, height)
        if crop.width / crop.height > aspect:
            want = min(crop.width, max(core.width, round(crop.height * aspect)))
            crop = _set_x(crop, want, core, width)
    return crop


def _resize_to(crop: Box, target: tuple[int, int], core: Box, image_size: tuple[int, int]) -> Box:
    """`crop` at `target` size as far as the photo and the core allow; growing keeps the whole
    crop, shrinking keeps the core."""
    crop = _set_x(crop, target[0], core if target[0] < crop.width else crop, image_size[0])
    return _set_y(crop, target[1], core if target[1] < crop.height else crop, image_size[1])


def _span(lo: int, hi: int, length: int, keep_lo: int, keep_hi: int, limit: int) -> tuple[int, int]:
    """A span of `length` (clamped to [keep length, limit]) centred on lo..hi, inside 0..limit,
    containing keep_lo..keep_hi."""
    length = max(keep_hi - keep_lo, min(limit, length))
    start = (lo + hi - length) // 2
    start = max(keep_hi - length, 0, min(start, keep_lo, limit - length))
    return start, start + length


def _set_x(crop: Box, length: int, keep: Box, limit: int) -> Box:
    left, right = _span(crop.left, crop.right, length, keep.left, keep.right, limit)
    return Box(left, crop.top, right, crop.bottom)


def _set_y(crop: Box, length: int, keep: Box, limit: int) -> Box:
    top, bottom = _span(crop.top, crop.bottom, length, keep.top, keep.bottom, limit)
    return Box(crop.left, top, crop.right, bottom)


def _grow(box: Box, by: int) -> Box:
    return Box(box.left - by, box.top - by, box.right + by, box.bottom + by)


def _clamp(box: Box, width: int, height: int) -> Box:
    return Box(max(0, box.left), max(0, box.top), min(width, box.right), min(height, box.bottom))


def _intersect(a: Box, b: Box) -> Box:
    left, top = max(a.left, b.left), max(a.top, b.top)
    return Box(left, top, max(left, min(a.right, b.right)), max(top, min(a.bottom, b.bottom)))


def _area(box: Box) -> int:
    return box.width * box.height
