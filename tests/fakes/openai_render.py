"""What the fake OpenAI server draws: the picture it answers with, and the usage it reports.

Like the real model, the answer regenerates the whole picture: everything drifts a little (colour
shift and noise), and inside the mask a strong pattern seeded by the prompt and variant index makes
the change obvious and every variant different. Usage follows the documented output-token table
(272 / 1056 / 4160 per 1024x1024 image), scaled by area.
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from fakes.openapi_validation import EditRequest

OUTPUT_TOKENS_1024 = {"low": 272, "medium": 1056, "high": 4160, "xhigh": 8320, "max": 16640}
PARTIAL_IMAGE_TOKENS = 100


def _seed(edit: EditRequest, variant: int) -> int:
    return zlib.crc32(f"{edit.fields.get('prompt', '')}|{variant}".encode())


def _edit_area(edit: EditRequest) -> np.ndarray[Any, np.dtype[np.bool_]]:
    width, height = edit.size
    if edit.mask is None:
        return np.zeros((height, width), dtype=bool)
    mask = (
        Image.open(io.BytesIO(edit.mask.data))
        .convert("RGBA")
        .resize(edit.size, Image.Resampling.NEAREST)
    )
    return np.asarray(mask)[..., 3] < 128


def _pattern(
    size: tuple[int, int], variant: int, colour: np.ndarray[Any, np.dtype[np.int64]]
) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Diagonal stripes in `colour` and a third of it: where they are, and the RGB picture."""
    width, height = size
    yy, xx = np.mgrid[0:height, 0:width]
    stripes = ((xx + yy + variant * 11) // 12) % 2 == 0
    return stripes, np.where(stripes[..., None], colour, colour // 3)


def render_variant(edit: EditRequest, variant: int) -> Image.Image:
    """The input at the answer size, drifted everywhere, with the masked area replaced."""
    rng = np.random.default_rng(_seed(edit, variant))
    base = edit.first_image.convert("RGBA").resize(edit.size, Image.Resampling.BILINEAR)
    pixels = np.asarray(base).astype(np.int16)
    height, width = pixels.shape[:2]
    drift = rng.integers(-6, 7, size=3)
    pixels[..., :3] += drift + np.rint(rng.normal(0, 2, (height, width, 3))).astype(np.int16)
    area = _edit_area(edit)
    _, pattern = _pattern((width, height), variant, rng.integers(40, 256, size=3))
    pixels[..., :3][area] = pattern[area]
    pixels[..., 3] = 255
    if edit.fields.get("background") == "transparent":
        pixels[..., 3][area] = 0
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGBA")
    return image if edit.fields.get("background") == "transparent" else image.convert("RGB")


def encode(image: Image.Image, edit: EditRequest) -> bytes:
    fmt = str(edit.fields.get("output_format") or "png")
    quality = int(edit.fields.get("output_compression") or 90)
    return _encode(image, fmt, quality)


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=quality)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=quality)
    else:
        image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def fast_variant(edit: EditRequest, variant: int) -> bytes:
    """For benchmarks only (`FakeOpenAIServer(render="fast")`): an encoded answer drawn once per
    size, variant and format and then reused, so answering costs the server almost no CPU.

    Still at the requested size and in the requested format, and still visibly changed in the
    masked area, because every pixel is a bold stripe; unlike `render_variant` it does not
    resemble the input, so tests of drift or of the edit's placement need the full renderer.
    """
    return _fast_answer(
        edit.size,
        variant,
        edit.fields.get("background") == "transparent",
        str(edit.fields.get("output_format") or "png"),
        int(edit.fields.get("output_compression") or 90),
    )


@lru_cache(maxsize=64)
def _fast_answer(
    size: tuple[int, int], variant: int, transparent: bool, fmt: str, quality: int
) -> bytes:
    width, height = size
    colour = np.random.default_rng(variant).integers(40, 256, size=3)
    stripes, pattern = _pattern(size, variant, colour)
    pixels = np.empty((height, width, 4), np.uint8)
    pixels[..., :3] = pattern
    # Transparent answers leave every other stripe see-through, like a cut-out would.
    pixels[..., 3] = np.where(stripes, 255, 0) if transparent else 255
    image = Image.fromarray(pixels, "RGBA")
    return _encode(image if transparent else image.convert("RGB"), fmt, quality)


def preview(image: Image.Image, step: int, steps: int) -> Image.Image:
    radius = 2 ** (steps - step + 2)
    return image.filter(ImageFilter.BoxBlur(radius))


def usage_for(edit: EditRequest, variants: int, partials: int) -> dict[str, Any]:
    image_tokens = 0
    for upload in edit.images:
        width, height = Image.open(io.BytesIO(upload.data)).size
        image_tokens += 85 + 170 * -(-width // 512) * -(-height // 512)
    text_tokens = max(1, len(str(edit.fields.get("prompt", ""))) // 4)
    quality = str(edit.fields.get("quality") or "auto")
    per_image = OUTPUT_TOKENS_1024.get(quality, OUTPUT_TOKENS_1024["medium"])
    output = round(per_image * edit.size[0] * edit.size[1] / 1024**2) * variants
    output += PARTIAL_IMAGE_TOKENS * partials
    return {
        "input_tokens": image_tokens + text_tokens,
        "input_tokens_details": {"image_tokens": image_tokens, "text_tokens": text_tokens},
        "output_tokens": output,
        "total_tokens": image_tokens + text_tokens + output,
    }


def split_usage(
    total: dict[str, Any], edit: EditRequest, variants: int, index: int
) -> dict[str, Any]:
    """One completed event's share; the shares add up to the non-streaming total."""

    def share(value: int) -> int:
        return value // variants + (value % variants if index == 0 else 0)

    details = total["input_tokens_details"]
    image_tokens, text_tokens = share(details["image_tokens"]), share(details["text_tokens"])
    output = share(total["output_tokens"])
    return {
        "input_tokens": image_tokens + text_tokens,
        "input_tokens_details": {"image_tokens": image_tokens, "text_tokens": text_tokens},
        "output_tokens": output,
        "total_tokens": image_tokens + text_tokens + output,
    }
