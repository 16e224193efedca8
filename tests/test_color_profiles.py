"""Photos with an ICC profile: untouched pixels save back bit for bit; only what is sent is sRGB.

Files are decoded here with Pillow and no colour management, so "the same pixels" means the same
numbers in the file, which is what a designer's other tools see.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from collections.abc import AsyncGenerator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageCms
from PySide6.QtGui import QColorSpace

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core import color, imageio, masks, resample, sizing
from imgdesk.core.color import SRGB, ColorProfile
from imgdesk.core.edit_types import (
    Box,
    Completed,
    EditParams,
    EditPlan,
    EngineEvent,
    Reference,
    Sending,
)
from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.pipeline import Result, run_edit
from imgdesk.core.planner import srgb_reference

Pixels = npt.NDArray[np.uint8]


def _icc(named: QColorSpace.NamedColorSpace) -> bytes:
    return bytes(QColorSpace(named).iccProfile().data())


DISPLAY_P3 = _icc(QColorSpace.NamedColorSpace.DisplayP3)
ADOBE_RGB = _icc(QColorSpace.NamedColorSpace.AdobeRgb)
QT_SRGB = _icc(QColorSpace.NamedColorSpace.SRgb)
LCMS_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

# Published primaries (D65, as the profiles encode them after chromatic adaptation).
_P3_TO_XYZ = np.array(
    [[0.4865709, 0.2656677, 0.1982173], [0.2289746, 0.6917385, 0.0792869],
     [0.0000000, 0.0451134, 1.0439444]]
)  # fmt: skip
_XYZ_TO_SRGB = np.array(
    [[3.2404542, -1.5371385, -0.4985314], [-0.9692660, 1.8760108, 0.0415560],
     [0.0556434, -0.2040259, 1.0572252]]
)  # fmt: skip


def _decode_srgb_curve(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def _encode_srgb_curve(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.where(values <= 0.0031308, 12.92 * values, 1.055 * values ** (1 / 2.4) - 0.055)


def _p3_to_srgb(rgb: tuple[int, int, int]) -> npt.NDArray[np.float64]:
    """Display P3 -> sRGB by the published matrices (P3 uses the sRGB curve), clipped."""
    linear = _decode_srgb_curve(np.array(rgb) / 255.0)
    srgb = np.clip(_XYZ_TO_SRGB @ (_P3_TO_XYZ @ linear), 0, 1)
    return np.asarray(_encode_srgb_curve(srgb) * 255.0)


def _srgb_to_p3(rgb: tuple[int, int, int]) -> npt.NDArray[np.float64]:
    linear = _decode_srgb_curve(np.array(rgb) / 255.0)
    p3 = np.linalg.solve(_P3_TO_XYZ, np.linalg.solve(_XYZ_TO_SRGB, linear))
    return np.asarray(_encode_srgb_curve(np.clip(p3, 0, 1)) * 255.0)


def _lcms_to_srgb(pixels: Pixels, icc: bytes) -> Pixels:
    """An independent lcms conversion (not through imgdesk.core.color) to check against."""
    transform = ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(icc)),
        ImageCms.createProfile("sRGB"),
        "RGB",
        "RGB",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )
    image = ImageCms.applyTransform(Image.fromarray(pixels[..., :3], "RGB"), transform)
    assert image is not None
    return np.asarray(image, dtype=np.uint8)


def _saturated_photo(width: int = 400, height: int = 300, seed: int = 7) -> Pixels:
    """Gradients, noise and fully saturated patches: the colours a P3 round trip damages most."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    pixels[..., 0] = (xx * 255 // (width - 1)).astype(np.uint8)
    pixels[..., 1] = (yy * 255 // (height - 1)).astype(np.uint8)
    pixels[..., 2] = rng.integers(0, 256, (height, width), dtype=np.uint8)
    pixels[..., 3] = 255
    pixels[20:80, 20:120, :3] = (0, 255, 0)
    pixels[20:80, 140:240, :3] = (255, 0, 40)
    pixels[100:160, 20:120, :3] = (20, 40, 255)
    return pixels


def _write_tagged(pixels: Pixels, path: Path, icc: bytes) -> Path:
    image = Image.fromarray(pixels[..., :3], "RGB")
    if path.suffix == ".png":
        image.save(path, icc_profile=icc)
    else:
        image.save(path, quality=90, icc_profile=icc)
    return path


def _raw(path: Path) -> tuple[Pixels, bytes | None]:
    """The file's own numbers (no colour management) and its embedded profile."""
    with Image.open(path) as image:
        icc = image.info.get("icc_profile")
        return np.array(image.convert("RGBA"), dtype=np.uint8), icc


def _outside(mask: Pixels, crop: Box) -> npt.NDArray[np.bool_]:
    """Pixels beyond the mask and its feather band."""
    outside: npt.NDArray[np.bool_] = masks.feather(mask, sizing.default_feather(crop)) == 0
    return outside


RECT = Box(300, 200, 340, 240)  # --rect 300,200,40,40


# --- ColorProfile --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "icc", [None, b"", LCMS_SRGB, QT_SRGB], ids=["none", "empty", "lcms", "qt"]
)
def test_srgb_profiles_convert_as_the_identity(icc: bytes | None) -> None:
    pixels = _saturated_photo(32, 24)
    profile = ColorProfile.of(icc)

    assert profile.usable
    assert profile.is_srgb
    assert profile.to_srgb(pixels) is pixels
    assert profile.from_srgb(pixels) is pixels


@pytest.mark.parametrize(
    "icc", [b"junk", ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()]
)
def test_unusable_profiles_are_reported_and_change_nothing(icc: bytes) -> None:
    profile = ColorProfile.of(icc)
    pixels = _saturated_photo(8, 8)

    assert not profile.usable
    assert profile.is_srgb
    assert profile.to_srgb(pixels) is pixels


@pytest.mark.parametrize(
    "colour", [(200, 100, 50), (128, 64, 200), (30, 200, 60), (0, 255, 0), (255, 255, 255)]
)
def test_display_p3_converts_to_the_published_srgb_values(colour: tuple[int, int, int]) -> None:
    profile = ColorProfile.of(DISPLAY_P3)
    pixels = np.array([[[*colour, 77]]], dtype=np.uint8)

    srgb = profile.to_srgb(pixels)

    assert profile.description == "Display P3"
    assert not profile.is_srgb
    assert np.abs(srgb[0, 0, :3] - _p3_to_srgb(colour)).max() <= 1.5
    assert srgb[0, 0, 3] == 77  # alpha is never colour-converted
    assert np.array_equal(pixels, [[[*colour, 77]]])  # the input is left alone


@pytest.mark.parametrize("colour", [(215, 93, 31), (120, 120, 120), (0, 0, 255)])
def test_srgb_results_come_back_as_display_p3(colour: tuple[int, int, int]) -> None:
    profile = ColorProfile.of(DISPLAY_P3)
    pixels = np.array([[[*colour, 255]]], dtype=np.uint8)

    p3 = profile.from_srgb(pixels)

    assert np.abs(p3[0, 0, :3] - _srgb_to_p3(colour)).max() <= 1.5
    # Inside both gamuts the round trip is exact to within rounding.
    assert np.abs(profile.to_srgb(p3).astype(int) - pixels).max() <= 1


def test_pictures_convert_between_two_profiles_directly() -> None:
    # Saturated P3 greens lie outside sRGB but inside Adobe RGB: converted directly they come
    # back; a trip through 8-bit sRGB clips their red to 0 and shifts them for good.
    p3 = np.array([[[30, 200, 60, 200], [0, 200, 100, 255], [40, 220, 200, 255]]], np.uint8)
    adobe = color.convert(p3, DISPLAY_P3, ADOBE_RGB)
    via_srgb = ColorProfile.of(ADOBE_RGB).from_srgb(ColorProfile.of(DISPLAY_P3).to_srgb(p3))
    assert adobe[0, 0, 3] == 200  # alpha is never colour-converted
    assert np.abs(adobe.astype(int) - via_srgb).max() >= 20
    back = color.convert(adobe, ADOBE_RGB, DISPLAY_P3)
    assert np.abs(back.astype(int) - p3).max() <= 2
    # Same space, or sRGB under two names: the very same array.
    assert color.convert(p3, DISPLAY_P3, bytes(DISPLAY_P3)) is p3
    assert color.convert(p3, None, QT_SRGB) is p3
    srgb = np.array([[[200, 100, 50, 255]]], dtype=np.uint8)
    assert np.array_equal(
        color.convert(srgb, None, DISPLAY_P3), ColorProfile.of(DISPLAY_P3).from_srgb(srgb)
    )


def test_one_shared_instance_per_profile() -> None:
    assert ColorProfile.of(DISPLAY_P3) is ColorProfile.of(bytes(DISPLAY_P3))
    assert ColorProfile.of(None) is SRGB


# --- loading and saving ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_open_then_save_changes_no_pixel(suffix: str, tmp_path: Path) -> None:
    source = _write_tagged(_saturated_photo(), tmp_path / f"p3{suffix}", DISPLAY_P3)
    loaded = imageio.load_image(source)

    imageio.save_image(loaded.pixels, tmp_path / "again.png", icc_profile=loaded.icc_profile)

    before, _ = _raw(source)
    after, icc = _raw(tmp_path / "again.png")
    assert np.array_equal(after, before)
    assert icc == DISPLAY_P3


def test_grey_and_cmyk_sources_become_srgb_documents(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (4, 4), (0, 255, 255, 0))  # naive red; no profile
    cmyk.save(tmp_path / "cmyk.jpg", quality=95)

    loaded = imageio.load_image(tmp_path / "cmyk.jpg")

    assert loaded.icc_profile is None
    assert loaded.profile is SRGB


def test_tagged_results_from_a_service_are_read_as_srgb() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 100, 50)).save(buffer, "PNG", icc_profile=DISPLAY_P3)

    pixels = imageio.decode_result(buffer.getvalue())

    assert np.abs(pixels[0, 0, :3] - _p3_to_srgb((200, 100, 50))).max() <= 1.5


# --- editing --------------------------------------------------------------------------------------


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imgdesk", "edit", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=180,
    )


@pytest.mark.parametrize(("suffix", "icc"), [(".png", DISPLAY_P3), (".jpg", DISPLAY_P3)])
def test_cli_edit_keeps_every_pixel_outside_the_mask(
    suffix: str, icc: bytes, tmp_path: Path
) -> None:
    source = _write_tagged(_saturated_photo(), tmp_path / f"photo{suffix}", icc)
    out = tmp_path / "out"

    done = _run_cli(
        str(source), "--engine", "local", "--prompt", "remove", "--rect", "300,200,40,40",
        "--out", str(out),
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    [written] = [Path(line) for line in done.stdout.split()]
    crop = Box(*json.loads(written.with_suffix(".json").read_text())["crop"])
    before, _ = _raw(source)
    after, written_icc = _raw(written)
    assert written_icc == icc
    mask = masks.from_rect(400, 300, RECT)
    outside = _outside(mask, crop)
    assert outside.sum() > 0.95 * outside.size
    assert np.array_equal(after[outside], before[outside])
    assert not np.array_equal(after[mask == 255], before[mask == 255])  # it did edit


def _engine(server: FakeOpenAIServer, key: str) -> OpenAIEngine:
    return OpenAIEngine(api_key=key, base_url=server.base_url, max_retries=0)


async def _edit(image: Pixels, mask: Pixels, engine: Engine, profile: ColorProfile) -> Result:
    params = EditParams(prompt="a red balloon")
    events = [event async for event in run_edit(image, mask, params, engine, profile=profile)]
    result = events[-1]
    assert isinstance(result, Result), result
    return result


@pytest.mark.parametrize(("suffix", "icc"), [(".png", ADOBE_RGB), (".jpg", DISPLAY_P3)])
async def test_pipeline_sends_srgb_and_keeps_every_pixel_outside_the_mask(
    suffix: str,
    icc: bytes,
    openai_server: FakeOpenAIServer,
    sentinel_key: str,
    tmp_path: Path,
) -> None:
    source = _write_tagged(_saturated_photo(), tmp_path / f"photo{suffix}", icc)
    loaded = imageio.load_image(source)
    mask = masks.from_rect(400, 300, RECT)
    engine = _engine(openai_server, sentinel_key)
    try:
        result = await _edit(loaded.pixels, mask, engine, loaded.profile)
    finally:
        await engine.aclose()
    imageio.save_image(result.variants[0], tmp_path / "edited.png", icc_profile=loaded.icc_profile)

    before, _ = _raw(source)
    after, written_icc = _raw(tmp_path / "edited.png")
    assert written_icc == icc
    outside = _outside(mask, result.plan.crop)
    assert np.array_equal(after[outside], before[outside])
    assert np.abs(after[mask == 255].astype(int) - before[mask == 255]).mean() > 20

    # What reached the server is the crop in sRGB.
    [request] = openai_server.requests
    [image_file] = [f for f in request.files if f.field.startswith("image")]
    assert image_file.size == len(result.plan.image_png)
    sent = np.array(Image.open(io.BytesIO(result.plan.image_png)).convert("RGBA"), np.uint8)
    plan = result.plan
    window = sizing.request_window(plan.crop, plan.request_size)
    unconverted = resample.resize_pixels(resample.window_pixels(before, window), plan.request_size)
    expected = _lcms_to_srgb(unconverted, icc)
    assert np.abs(sent[..., :3].astype(int) - expected).max() <= 1
    assert np.abs(sent[..., :3].astype(int) - unconverted[..., :3]).max() > 10


class _SolidEngine:
    """Answers every plan with one flat sRGB colour: shows how results are brought back."""

    name = "solid"
    metered = False

    def __init__(self, colour: tuple[int, int, int]) -> None:
        self.colour = colour

    async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        yield Sending()
        await asyncio.sleep(0)
        width, height = plan.request_size
        answer = np.zeros((height, width, 4), np.uint8)
        answer[...] = (*self.colour, 255)
        yield Completed((imageio.encode_png(answer),))


async def test_results_are_converted_into_the_photo_profile_before_blending() -> None:
    image = _saturated_photo()
    mask = masks.from_rect(400, 300, RECT)

    result = await _edit(image, mask, _SolidEngine((215, 93, 31)), ColorProfile.of(DISPLAY_P3))

    inside = result.variants[0][RECT.top + 5 : RECT.bottom - 5, RECT.left + 5 : RECT.right - 5]
    assert np.abs(inside[..., :3].astype(int) - _srgb_to_p3((215, 93, 31))).max() <= 1.5


async def test_without_a_profile_results_are_blended_as_they_came() -> None:
    image = _saturated_photo()
    mask = masks.from_rect(400, 300, RECT)

    result = await _edit(image, mask, _SolidEngine((215, 93, 31)), SRGB)

    inside = result.variants[0][RECT.top + 5 : RECT.bottom - 5, RECT.left + 5 : RECT.right - 5]
    assert (inside[..., :3] == (215, 93, 31)).all()


# --- references -----------------------------------------------------------------------------------


def test_tagged_references_are_sent_as_srgb() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 4), (200, 100, 50)).save(buffer, "PNG", icc_profile=DISPLAY_P3)
    reference = Reference(name="style.png", data=buffer.getvalue(), mime="image/png")

    sent = srgb_reference(reference)

    assert sent.name == "style.png"
    assert sent.mime == "image/png"
    with Image.open(io.BytesIO(sent.data)) as image:
        assert "icc_profile" not in image.info
        pixel = np.array(image.convert("RGB"))[0, 0]
    assert np.abs(pixel - _p3_to_srgb((200, 100, 50))).max() <= 1.5


def test_untagged_and_srgb_references_travel_byte_for_byte() -> None:
    for icc in (None, LCMS_SRGB):
        buffer = io.BytesIO()
        Image.new("RGB", (6, 4), (200, 100, 50)).save(buffer, "JPEG", icc_profile=icc)
        reference = Reference(name="style.jpg", data=buffer.getvalue(), mime="image/jpeg")
        assert srgb_reference(reference) is reference


def test_png_blobs_can_carry_the_profile_back() -> None:
    pixels = _saturated_photo(16, 12)

    loaded = imageio.load_image(imageio.encode_png(pixels, icc_profile=DISPLAY_P3))

    assert np.array_equal(loaded.pixels, pixels)
    assert loaded.icc_profile == DISPLAY_P3
    assert imageio.load_image(imageio.encode_png(pixels)).icc_profile is None
