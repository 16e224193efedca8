"""The colour space a document's pixels are in, and conversions to and from sRGB.

A photo keeps its own pixel values and its own ICC profile from open to save, so every pixel an
edit does not touch is written back bit for bit (an 8-bit round trip through sRGB is lossy: on a
Display P3 photo it moves about half of all pixels, saturated ones by up to ~120 levels). Only what
leaves the document is converted: the crop sent to an image model goes to sRGB (what the models
assume), and the model's sRGB answer comes back into the document's profile before it is blended.

`ColorProfile.of(icc)` gives one shared, cached instance per profile, so the lcms transforms are
built once. Pixels with no profile, and profiles that turn out to be sRGB, convert as the identity.
"""

from __future__ import annotations

import functools
import io
import threading
from collections import OrderedDict
from typing import ClassVar

import numpy as np
from PIL import Image, ImageCms

from imgdesk.core.edit_types import RGBAArray

# Relative colorimetric both ways: colours inside both gamuts survive the round trip to within
# rounding, which is what keeps the model's redraw of the unmasked context matching the photo in
# the feather band. (Display P3, Adobe RGB and most camera profiles are matrix profiles with no
# perceptual table, where lcms would use relative colorimetric anyway.)
INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC

# Colours checked to decide whether a profile is sRGB in all but name (0, 15, ..., 255 per channel).
_PROBE_STEP = 15
# Different profiles a process keeps transforms for; a session rarely sees more than a few.
_CACHE_SIZE = 8


class ColorProfile:
    """An RGB ICC profile (or none, meaning sRGB) with cached conversions to and from sRGB.

    Build one with `ColorProfile.of(icc)`; `usable` says whether the bytes are an RGB profile
    lcms can convert with. An unusable profile converts as the identity, like no profile.
    Instances are safe to share between threads.
    """

    _cache: ClassVar[OrderedDict[bytes, ColorProfile]] = OrderedDict()
    _cache_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, icc: bytes | None) -> None:
        self.icc = icc or None
        self._lock = threading.Lock()
        self._built = False
        self._to_srgb: ImageCms.ImageCmsTransform | None = None
        self._from_srgb: ImageCms.ImageCmsTransform | None = None
        self._description = "sRGB"
        self._usable = True

    @classmethod
    def of(cls, icc: bytes | None) -> ColorProfile:
        """The shared instance for `icc` (None or b"" is sRGB)."""
        if not icc:
            return SRGB
        with cls._cache_lock:
            profile = cls._cache.get(icc)
            if profile is None:
                profile = cls._cache[icc] = cls(icc)
                if len(cls._cache) > _CACHE_SIZE:
                    cls._cache.popitem(last=False)
            else:
                cls._cache.move_to_end(icc)
            return profile

    @property
    def usable(self) -> bool:
        """True for no profile and for an RGB profile lcms can convert with."""
        self._build()
        return self._usable

    @property
    def is_srgb(self) -> bool:
        """True when converting changes nothing: no profile, an unusable one, or sRGB itself."""
        self._build()
        return self._to_srgb is None

    @property
    def description(self) -> str:
        """The profile's own name ("Display P3"), "" when it cannot be read."""
        self._build()
        return self._description

    def to_srgb(self, pixels: RGBAArray) -> RGBAArray:
        """(h, w, 4) uint8 pixels in this profile -> sRGB pixels, alpha kept as it is.

        When the profile is sRGB `pixels` itself is returned; otherwise a new array.
        """
        self._build()
        return _apply(self._to_srgb, pixels)

    def from_srgb(self, pixels: RGBAArray) -> RGBAArray:
        """(h, w, 4) uint8 sRGB pixels -> pixels in this profile (`pixels` itself for sRGB)."""
        self._build()
        return _apply(self._from_srgb, pixels)

    def _build(self) -> None:
        if self._built:
            return
        with self._lock:
            if not self._built and self.icc is not None:
                built = _transforms(self.icc)
                if built is None:
                    self._description, self._usable = "", False
                else:
                    self._description, to_srgb, from_srgb = built
                    if not _is_identity(to_srgb):
                        self._to_srgb, self._from_srgb = to_srgb, from_srgb
            self._built = True


SRGB = ColorProfile(None)


def convert(pixels: RGBAArray, source: bytes | None, target: bytes | None) -> RGBAArray:
    """`pixels` in the colour space `source` describes, re-expressed in `target`'s (None: sRGB).

    Directly from profile to profile, not through 8-bit sRGB, so colours both spaces hold
    (a P3 red into Adobe RGB) survive. Same profile bytes, or two spaces that convert as the
    identity: `pixels` itself. An unusable profile counts as sRGB, as everywhere else.
    """
    src, dst = ColorProfile.of(source), ColorProfile.of(target)
    if src is dst or (src.is_srgb and dst.is_srgb):
        return pixels
    if src.is_srgb:
        return dst.from_srgb(pixels)
    if dst.is_srgb:
        return src.to_srgb(pixels)
    return _apply(_between(src.icc or b"", dst.icc or b""), pixels)


@functools.lru_cache(maxsize=8)
def _between(source: bytes, target: bytes) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(source)),
        ImageCms.ImageCmsProfile(io.BytesIO(target)),
        "RGBA",
        "RGBA",
        renderingIntent=INTENT,
    )


def _transforms(
    icc: bytes,
) -> tuple[str, ImageCms.ImageCmsTransform, ImageCms.ImageCmsTransform] | None:
    """(description, to sRGB, from sRGB) for an RGB profile; None when it cannot be used."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if str(profile.profile.xcolor_space).strip().upper() != "RGB":
            return None  # grey or CMYK: document pixels are RGB, so it cannot describe them
        description = ImageCms.getProfileDescription(profile).strip() or "RGB profile"
        srgb = ImageCms.createProfile("sRGB")
        to_srgb = ImageCms.buildTransform(profile, srgb, "RGBA", "RGBA", renderingIntent=INTENT)
        from_srgb = ImageCms.buildTransform(srgb, profile, "RGBA", "RGBA", renderingIntent=INTENT)
    except Exception:  # damaged bytes, or a profile lcms refuses (abstract, LUT-less, ...)
        return None
    return description, to_srgb, from_srgb


def _is_identity(transform: ImageCms.ImageCmsTransform) -> bool:
    # An sRGB profile under another name (Qt's, a camera's, lcms's own) maps every colour to itself;
    # skipping the conversion then saves work and keeps the crop exact.
    levels = np.arange(0, 256, _PROBE_STEP, dtype=np.uint8)
    grid = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(1, -1, 3)
    probe = np.concatenate([grid, np.full((*grid.shape[:2], 1), 255, np.uint8)], axis=-1)
    return np.array_equal(_apply(transform, probe), probe)


def _apply(transform: ImageCms.ImageCmsTransform | None, pixels: RGBAArray) -> RGBAArray:
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(f"expected (h, w, 4) uint8 RGBA, got {pixels.shape} {pixels.dtype}")
    if transform is None:
        return pixels
    image = Image.fromarray(np.ascontiguousarray(pixels), "RGBA")
    # Pillow copies the alpha band across an RGBA -> RGBA transform untouched.
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None  # only None for in-place transforms
    out: RGBAArray = np.array(converted, dtype=np.uint8).reshape(pixels.shape)
    return out
