"""Loading and saving pictures: modes, orientation, colour profiles, guards and refusals."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageCms
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColorSpace

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.imageio import (
    MAX_PIXELS,
    decode_result,
    encode_image,
    encode_png,
    image_size_of,
    load_image,
    save_image,
)

Pixels = npt.NDArray[np.uint8]


def _save(image: Image.Image, path: Path, **options: Any) -> Path:
    image.save(path, **options)
    return path


def _only_pixel(path: Path) -> tuple[int, ...]:
    pixels = load_image(path).pixels
    assert (pixels == pixels[0, 0]).all(), "expected a single-colour picture"
    return tuple(int(value) for value in pixels[0, 0])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_with_header_only(width: int, height: int, colour_type: int = 6) -> bytes:
    """A PNG whose IHDR claims `width`×`height` but whose pixel data is a few bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def _icc(named: QColorSpace.NamedColorSpace) -> bytes:
    return bytes(QColorSpace(named).iccProfile().data())


ADOBE_RGB = _icc(QColorSpace.NamedColorSpace.AdobeRgb)


def _adobe_to_srgb(rgb: tuple[int, int, int]) -> npt.NDArray[np.float64]:
    """Adobe RGB (1998) -> sRGB by the published matrices, to check lcms independently."""
    to_xyz = np.array(
        [[0.5767309, 0.1855540, 0.1881852], [0.2973769, 0.6273491, 0.0752741],
         [0.0270343, 0.0706872, 0.9911085]]
    )  # fmt: skip
    to_srgb = np.array(
        [[3.2404542, -1.5371385, -0.4985314], [-0.9692660, 1.8760108, 0.0415560],
         [0.0556434, -0.2040259, 1.0572252]]
    )  # fmt: skip
    linear = np.clip(to_srgb @ (to_xyz @ ((np.array(rgb) / 255.0) ** (563 / 256))), 0, 1)
    encoded = np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)
    return np.asarray(encoded * 255.0)


# --- every mode becomes 8-bit RGBA ----------------------------------------------------------------


def _palette_with_transparency() -> Image.Image:
    image = Image.new("P", (4, 2), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.putpixel((3, 1), 1)
    image.info["transparency"] = 1
    return image


MODE_CASES: dict[
    str, tuple[Callable[[], Image.Image], str, dict[tuple[int, int], tuple[int, ...]]]
] = {
    # name: (make the image, file suffix, {(x, y): expected RGBA})
    "1": (
        lambda: Image.frombytes("1", (8, 1), b"\x80"),
        ".png",
        {(0, 0): (255, 255, 255, 255), (1, 0): (0, 0, 0, 255)},
    ),
    "L": (lambda: Image.new("L", (3, 2), 100), ".png", {(2, 1): (100, 100, 100, 255)}),
    "LA": (lambda: Image.new("LA", (3, 2), (100, 50)), ".png", {(0, 0): (100, 100, 100, 50)}),
    "RGB": (lambda: Image.new("RGB", (3, 2), (10, 20, 30)), ".png", {(1, 1): (10, 20, 30, 255)}),
    "RGBA": (
        lambda: Image.new("RGBA", (3, 2), (10, 20, 30, 40)),
        ".png",
        {(1, 1): (10, 20, 30, 40)},
    ),
    "P+transparency PNG": (
        _palette_with_transparency,
        ".png",
        {(0, 0): (255, 0, 0, 255), (3, 1): (0, 0, 255, 0)},
    ),
    "P+transparency GIF": (
        _palette_with_transparency,
        ".gif",
        {(0, 0): (255, 0, 0, 255), (3, 1): (0, 0, 255, 0)},
    ),
    "CMYK": (
        lambda: Image.new("CMYK", (3, 2), (0, 255, 255, 0)),
        ".tif",
        {(0, 0): (255, 0, 0, 255)},
    ),
    "I;16": (
        lambda: Image.frombytes("I;16", (3, 1), struct.pack("<3H", 65535, 32768, 0)),
        ".png",
        {(0, 0): (255, 255, 255, 255), (1, 0): (128, 128, 128, 255), (2, 0): (0, 0, 0, 255)},
    ),
    "I;16B": (
        lambda: Image.frombytes("I;16B", (3, 1), struct.pack(">3H", 65535, 32768, 257)),
        ".tif",
        {(0, 0): (255, 255, 255, 255), (1, 0): (128, 128, 128, 255), (2, 0): (1, 1, 1, 255)},
    ),
    "I (16-bit range)": (
        lambda: Image.frombytes("I", (2, 1), struct.pack("<2i", 65535, 32768)),
        ".tif",
        {(0, 0): (255, 255, 255, 255), (1, 0): (128, 128, 128, 255)},
    ),
    "I (signed)": (
        lambda: Image.frombytes("I", (3, 1), struct.pack("<3i", -1000, 0, 1000)),
        ".tif",
        {(0, 0): (0, 0, 0, 255), (1, 0): (128, 128, 128, 255), (2, 0): (255, 255, 255, 255)},
    ),
    "F (0..1)": (
        lambda: Image.frombytes("F", (3, 1), struct.pack("<3f", 0.0, 0.5, 1.0)),
        ".tif",
        {(0, 0): (0, 0, 0, 255), (1, 0): (128, 128, 128, 255), (2, 0): (255, 255, 255, 255)},
    ),
    "F (any range, NaN)": (
        lambda: Image.frombytes("F", (4, 1), struct.pack("<4f", -2.0, 1.0, 4.0, float("nan"))),
        ".tif",
        {(0, 0): (0, 0, 0, 255), (1, 0): (128, 128, 128, 255), (2, 0): (255, 255, 255, 255)},
    ),
}


@pytest.mark.parametrize("case", MODE_CASES)
def test_every_mode_becomes_8bit_rgba(case: str, tmp_path: Path) -> None:
    make, suffix, expected = MODE_CASES[case]
    path = _save(make(), tmp_path / f"picture{suffix}")

    loaded = load_image(path)

    assert loaded.pixels.dtype == np.uint8
    assert loaded.pixels.shape == (loaded.height, loaded.width, 4)
    for (x, y), rgba in expected.items():
        assert tuple(int(v) for v in loaded.pixels[y, x]) == rgba, f"pixel {(x, y)}"


def test_transparent_colour_keys_become_alpha(tmp_path: Path) -> None:
    gray = Image.new("L", (2, 1), 7)
    gray.putpixel((1, 0), 9)
    rgb = Image.new("RGB", (2, 1), (1, 2, 3))
    rgb.putpixel((1, 0), (4, 5, 6))
    deep = Image.frombytes("I;16", (2, 1), struct.pack("<2H", 1000, 60000))

    gray_px = load_image(_save(gray, tmp_path / "l.png", transparency=9)).pixels
    rgb_px = load_image(_save(rgb, tmp_path / "rgb.png", transparency=(4, 5, 6))).pixels
    deep_px = load_image(_save(deep, tmp_path / "i16.png", transparency=60000)).pixels

    for pixels in (gray_px, rgb_px, deep_px):
        assert pixels[0, 0, 3] == 255
        assert pixels[0, 1, 3] == 0
    assert tuple(deep_px[0, 1, :3]) == (233, 233, 233)  # 60000 scaled, not clipped


def test_has_alpha_means_some_pixel_is_not_opaque(tmp_path: Path) -> None:
    opaque = Image.new("RGBA", (4, 4), (1, 2, 3, 255))
    see_through = opaque.copy()
    see_through.putpixel((2, 2), (1, 2, 3, 254))

    assert not load_image(_save(opaque, tmp_path / "opaque.png")).has_alpha
    assert load_image(_save(see_through, tmp_path / "alpha.png")).has_alpha
    assert not load_image(_save(Image.new("RGB", (2, 2)), tmp_path / "rgb.jpg")).has_alpha


def test_cmyk_jpeg_comes_out_in_roughly_the_right_colours(tmp_path: Path) -> None:
    image = Image.new("CMYK", (32, 16), (0, 0, 0, 0))  # white
    image.paste((0, 255, 255, 0), (0, 0, 16, 16))  # red ink: magenta + yellow
    path = _save(image, tmp_path / "cmyk.jpg", quality=98)

    pixels = load_image(path).pixels.astype(int)

    assert np.abs(pixels[8, 8, :3] - (255, 0, 0)).max() <= 6
    assert np.abs(pixels[8, 24, :3] - (255, 255, 255)).max() <= 6


def test_loaded_image_reports_what_it_came_from(tmp_path: Path) -> None:
    path = _save(Image.new("RGB", (5, 3), (9, 9, 9)), tmp_path / "small.webp", lossless=True)

    loaded = load_image(str(path))

    assert (loaded.width, loaded.height) == (5, 3)
    assert loaded.format == "WEBP"
    assert loaded.path == path
    assert loaded.icc_profile is None
    assert load_image(path.read_bytes()).path is None


# --- EXIF orientation -----------------------------------------------------------------------------

# A 2×3 grid of distinct colour blocks; what each orientation tag means for how it is shown.
_GRID = np.array(
    [[[255, 0, 0], [0, 255, 0], [0, 0, 255]], [[255, 255, 0], [0, 255, 255], [255, 0, 255]]],
    dtype=np.uint8,
)
_UPRIGHT: dict[int, Callable[[Pixels], Pixels]] = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],  # mirrored left-right
    3: lambda a: a[::-1, ::-1],  # turned 180°
    4: lambda a: a[::-1, :],  # mirrored top-bottom
    5: lambda a: a.swapaxes(0, 1),  # mirrored along the main diagonal
    6: lambda a: np.rot90(a, -1),  # turned 90° clockwise
    7: lambda a: a.swapaxes(0, 1)[::-1, ::-1],  # mirrored along the other diagonal
    8: lambda a: np.rot90(a, 1),  # turned 90° anticlockwise
}


def _grid_image(block: int) -> Image.Image:
    return Image.fromarray(np.repeat(np.repeat(_GRID, block, axis=0), block, axis=1))


def _orientation_exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def _block_colours(pixels: Pixels, block: int) -> Pixels:
    centres = pixels[block // 2 :: block, block // 2 :: block, :3]
    return np.asarray(centres)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp"])
def test_exif_orientation_is_applied(orientation: int, suffix: str, tmp_path: Path) -> None:
    block = 16
    path = _save(
        _grid_image(block),
        tmp_path / f"o{orientation}{suffix}",
        exif=_orientation_exif(orientation),
    )

    pixels = load_image(path).pixels
    expected = _UPRIGHT[orientation](_GRID)

    assert pixels.shape[:2] == (expected.shape[0] * block, expected.shape[1] * block)
    difference = np.abs(_block_colours(pixels, block).astype(int) - expected.astype(int))
    assert difference.max() <= 40  # JPEG and WebP smear colours a little, never swap blocks
    assert image_size_of(path) == (pixels.shape[1], pixels.shape[0])


@pytest.mark.parametrize(
    "exif",
    [
        b"Exif\x00\x00" + b"\xff" * 40,  # not a TIFF structure at all
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03",  # ends inside the IFD
        _orientation_exif(9),  # a value no camera writes
    ],
)
def test_broken_exif_still_loads_unturned(exif: bytes, tmp_path: Path) -> None:
    path = _save(_grid_image(8), tmp_path / "broken-exif.jpg", exif=exif, quality=95)

    pixels = load_image(path).pixels

    assert pixels.shape == (16, 24, 4)
    assert np.abs(_block_colours(pixels, 8).astype(int) - _GRID.astype(int)).max() <= 40


# --- colour profiles ------------------------------------------------------------------------------


@pytest.mark.parametrize("colour", [(128, 64, 200), (200, 150, 100), (30, 200, 60)])
def test_adobe_rgb_picture_keeps_its_own_pixels_and_profile_and_converts_to_srgb(
    colour: tuple[int, int, int], tmp_path: Path
) -> None:
    path = _save(Image.new("RGB", (4, 4), colour), tmp_path / "adobe.png", icc_profile=ADOBE_RGB)

    loaded = load_image(path)

    # The document holds the file's own numbers, in the file's own profile...
    assert tuple(loaded.pixels[0, 0]) == (*colour, 255)
    assert loaded.icc_profile == ADOBE_RGB
    assert not loaded.profile.is_srgb
    # ...and what is sent to a model is the published sRGB equivalent.
    srgb = loaded.profile.to_srgb(loaded.pixels)
    assert np.abs(srgb[0, 0, :3] - _adobe_to_srgb(colour)).max() <= 1.5
    assert srgb[0, 0, 3] == 255


def test_alpha_survives_colour_conversion(tmp_path: Path) -> None:
    image = Image.new("RGBA", (2, 1), (128, 64, 200, 77))
    loaded = load_image(_save(image, tmp_path / "adobe-alpha.png", icc_profile=ADOBE_RGB))

    assert tuple(loaded.pixels[0, 0]) == (128, 64, 200, 77)
    srgb = loaded.profile.to_srgb(loaded.pixels)
    assert srgb[0, 0, 3] == 77
    assert np.abs(srgb[0, 0, :3] - _adobe_to_srgb((128, 64, 200))).max() <= 1.5


def test_grey_profile_is_applied_but_not_kept_for_export(tmp_path: Path) -> None:
    linear_grey = QColorSpace(QPointF(0.3127, 0.3290), QColorSpace.TransferFunction.Gamma, 1.0)
    profile = bytes(linear_grey.iccProfile().data())
    path = _save(Image.new("L", (2, 2), 128), tmp_path / "linear.png", icc_profile=profile)

    loaded = load_image(path)

    # Linear 128/255 is sRGB-encoded as 188: proof the profile was used, not ignored.
    assert np.abs(loaded.pixels[0, 0, :3].astype(int) - 188).max() <= 1
    assert loaded.icc_profile is None


def test_damaged_profile_is_ignored_not_fatal(tmp_path: Path) -> None:
    path = _save(Image.new("RGB", (2, 2), (1, 2, 3)), tmp_path / "bad-icc.png", icc_profile=b"junk")

    loaded = load_image(path)

    assert tuple(loaded.pixels[0, 0]) == (1, 2, 3, 255)
    assert loaded.icc_profile is None


# --- saving ---------------------------------------------------------------------------------------


def _random_rgba(height: int = 24, width: int = 32, seed: int = 1) -> Pixels:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)


def _smooth_rgb(height: int = 48, width: int = 64) -> Pixels:
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    pixels[..., 0] = x * 255 // (width - 1)
    pixels[..., 1] = y * 255 // (height - 1)
    pixels[..., 2] = 128
    pixels[..., 3] = 255
    return pixels


def test_png_round_trip_is_bit_exact(tmp_path: Path) -> None:
    pixels = _random_rgba()
    save_image(pixels, tmp_path / "out.png")

    assert np.array_equal(load_image(tmp_path / "out.png").pixels, pixels)
    assert np.array_equal(decode_result(encode_png(pixels)), pixels)


@pytest.mark.parametrize("suffix", [".jpg", ".jpeg", ".webp"])
def test_lossy_formats_round_trip_approximately(suffix: str, tmp_path: Path) -> None:
    pixels = _smooth_rgb()
    save_image(pixels, tmp_path / f"out{suffix}")

    loaded = load_image(tmp_path / f"out{suffix}")

    assert loaded.format == {".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}[suffix]
    assert np.abs(loaded.pixels.astype(int) - pixels.astype(int)).mean() < 2.0


def test_jpeg_flattens_transparency_onto_white(tmp_path: Path) -> None:
    pixels = np.zeros((16, 32, 4), dtype=np.uint8)
    pixels[:, :16] = (255, 0, 0, 128)  # half-transparent red
    pixels[:, 16:] = (0, 0, 0, 0)  # fully transparent black
    save_image(pixels, tmp_path / "flat.jpg")

    loaded = load_image(tmp_path / "flat.jpg").pixels.astype(int)

    assert np.abs(loaded[8, 4] - (255, 127, 127, 255)).max() <= 4
    assert np.abs(loaded[8, 28] - (255, 255, 255, 255)).max() <= 4


def test_webp_keeps_transparency(tmp_path: Path) -> None:
    pixels = _smooth_rgb()
    pixels[:, :10, 3] = 0
    save_image(pixels, tmp_path / "alpha.webp")

    loaded = load_image(tmp_path / "alpha.webp")

    assert loaded.has_alpha
    assert np.array_equal(loaded.pixels[..., 3], pixels[..., 3])


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp"])
def test_export_embeds_the_profile_without_converting(suffix: str, tmp_path: Path) -> None:
    adobe = (128, 64, 200)  # pixels already in Adobe RGB, as a document keeps them
    pixels = np.zeros((8, 8, 4), dtype=np.uint8)
    pixels[...] = (*adobe, 255)
    path = tmp_path / f"tagged{suffix}"

    save_image(pixels, path, icc_profile=ADOBE_RGB, quality=100)

    with Image.open(path) as raw:
        assert raw.info.get("icc_profile") == ADOBE_RGB
        stored = np.array(raw.convert("RGB"), dtype=int)[4, 4]
    assert np.abs(stored - adobe).max() <= (0 if suffix == ".png" else 3)
    reloaded = load_image(path)
    assert np.abs(reloaded.pixels[4, 4, :3].astype(int) - adobe).max() <= (
        0 if suffix == ".png" else 3
    )
    assert reloaded.icc_profile == ADOBE_RGB


def test_unusable_export_profile_leaves_srgb_untagged(tmp_path: Path) -> None:
    pixels = _random_rgba()
    save_image(pixels, tmp_path / "plain.png", icc_profile=b"not a profile")

    with Image.open(tmp_path / "plain.png") as raw:
        assert "icc_profile" not in raw.info
    assert np.array_equal(load_image(tmp_path / "plain.png").pixels, pixels)


def test_save_refuses_an_unknown_ending(tmp_path: Path) -> None:
    with pytest.raises(ImgdeskError) as caught:
        save_image(_random_rgba(), tmp_path / "picture.xcf")
    assert caught.value.kind is ErrorKind.IMAGE
    assert not (tmp_path / "picture.xcf").exists()


def test_save_refuses_webp_beyond_its_size_limit() -> None:
    pixels = np.zeros((1, 16_384, 4), dtype=np.uint8)
    with pytest.raises(ImgdeskError) as caught:
        encode_image(pixels, format="webp")
    assert caught.value.kind is ErrorKind.IMAGE
    assert "16383" in caught.value.message


def test_encoders_reject_arrays_that_are_not_rgba() -> None:
    with pytest.raises(ValueError, match="uint8 RGBA"):
        encode_png(np.zeros((4, 4, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8 RGBA"):
        encode_png(np.zeros((4, 4, 4), dtype=np.uint16))


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder this process may not create files in, even when it runs as root."""
    if os.name == "posix" and os.geteuid() == 0:
        # Root ignores file modes; sysfs refuses new files to everyone.
        folder = Path("/sys")
        try:
            fd, name = tempfile.mkstemp(dir=folder)
        except PermissionError:
            yield folder
            return
        except OSError:
            pytest.skip("no sysfs here, and root may write anywhere else")
        os.close(fd)
        os.unlink(name)
        pytest.skip("sysfs here lets root create files")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    yield folder
    folder.chmod(0o700)


def test_saving_where_writing_is_not_allowed_is_a_storage_error(unwritable_folder: Path) -> None:
    with pytest.raises(ImgdeskError) as caught:
        save_image(_random_rgba(), unwritable_folder / "out.png")

    assert caught.value.kind is ErrorKind.STORAGE
    assert "not allowed to write" in caught.value.message
    assert not (unwritable_folder / "out.png").exists()


def test_saving_under_a_file_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(ImgdeskError) as caught:
        save_image(_random_rgba(), tmp_path / "file" / "out.png")
    assert caught.value.kind is ErrorKind.STORAGE


# --- size guard -----------------------------------------------------------------------------------


def test_huge_header_is_refused_before_decoding(tmp_path: Path) -> None:
    # 108 MP claimed, a few bytes of pixels: decoding would end in "damaged", not this sentence.
    path = tmp_path / "huge.png"
    path.write_bytes(_png_with_header_only(12_000, 9_000))

    with pytest.raises(ImgdeskError) as caught:
        load_image(path)

    assert caught.value.kind is ErrorKind.IMAGE
    assert caught.value.message == (
        "huge.png is 12000×9000 pixels (108 MP); imgdesk opens pictures up to 100 MP."
    )
    assert image_size_of(path) == (12_000, 9_000)


def test_bomb_sized_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_with_header_only(50_000, 50_000))

    with pytest.raises(ImgdeskError) as caught:
        load_image(path)

    assert caught.value.kind is ErrorKind.IMAGE
    assert "up to 100 MP" in caught.value.message
    assert "damaged" not in caught.value.message


def test_pillow_bomb_warning_stays_inside(tmp_path: Path) -> None:
    # 90 MP is above Pillow's warning threshold and below imgdesk's limit; pytest turns warnings
    # into errors, so this would raise if the warning escaped.
    data = _png_with_header_only(10_000, 9_000, colour_type=0)
    assert MAX_PIXELS >= 10_000 * 9_000
    filters_before = list(warnings.filters)

    assert image_size_of(data) == (10_000, 9_000)
    with pytest.raises(ImgdeskError) as caught:
        load_image(data)

    assert "ends early" in caught.value.message
    assert warnings.filters == filters_before


def test_pixel_limit_can_be_lowered(tmp_path: Path) -> None:
    path = _save(Image.new("RGB", (100, 50)), tmp_path / "small.png")
    assert load_image(path, max_pixels=5000).width == 100
    with pytest.raises(ImgdeskError, match=r"100×50 pixels \(0\.005 MP\)"):
        load_image(path, max_pixels=4999)


# --- refusals -------------------------------------------------------------------------------------


def _encoded(image: Image.Image, format: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_truncated_picture_is_refused_as_damaged(format: str, tmp_path: Path) -> None:
    noisy = Image.fromarray(_random_rgba(256, 256)[..., :3])
    data = _encoded(noisy, format)
    path = tmp_path / f"cut.{format.lower()}"
    path.write_bytes(data[: len(data) * 6 // 10])

    with pytest.raises(ImgdeskError) as caught:
        load_image(path)

    assert caught.value.kind is ErrorKind.IMAGE
    assert caught.value.message.startswith("cut.")
    assert "damaged" in caught.value.message


def test_truncated_jpeg_says_it_ends_early(tmp_path: Path) -> None:
    data = _encoded(Image.fromarray(_random_rgba(128, 128)[..., :3]), "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(ImgdeskError) as caught:
        load_image(path)

    assert caught.value.message == "cut.jpg is damaged: it ends early, so part of it is missing."


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"8BPS\x00\x01" + b"\x00" * 64, "(it looks like a Photoshop document)"),
        (b"%PDF-1.7\n" + b"\x00" * 64, "(it looks like a PDF document)"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "(it looks like an SVG"),
        (b"just some notes\n", "is not a picture imgdesk can open. imgdesk opens PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "is damaged: imgdesk could not read its PNG header"),
    ],
)
def test_foreign_or_broken_files_are_named(content: bytes, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "thing.dat"
    path.write_bytes(content)

    with pytest.raises(ImgdeskError) as caught:
        load_image(path)

    assert caught.value.kind is ErrorKind.IMAGE
    assert expected in caught.value.message


def test_formats_outside_the_allow_list_are_refused_even_when_pillow_reads_them(
    tmp_path: Path,
) -> None:
    path = _save(Image.new("RGB", (4, 4)), tmp_path / "picture.ppm")
    with pytest.raises(ImgdeskError, match="Netpbm"):
        load_image(path)


def _empty_file(folder: Path) -> Path:
    path = folder / "empty.png"
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda folder: folder / "missing.png", "cannot find missing.png"),
        (lambda folder: folder, "is a folder"),
        (_empty_file, "empty.png is empty"),
    ],
)
def test_file_problems_are_sentences(
    make: Callable[[Path], Path], expected: str, tmp_path: Path
) -> None:
    with pytest.raises(ImgdeskError) as caught:
        load_image(make(tmp_path))
    assert caught.value.kind is ErrorKind.IMAGE
    assert expected in caught.value.message


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads any file whatever its mode"
)
def test_unreadable_file_is_a_sentence(tmp_path: Path) -> None:
    path = _save(Image.new("RGB", (2, 2)), tmp_path / "secret.png")
    path.chmod(0)
    try:
        with pytest.raises(ImgdeskError) as caught:
            load_image(path)
    finally:
        path.chmod(0o600)
    assert caught.value.kind is ErrorKind.IMAGE
    assert caught.value.message == (
        "imgdesk is not allowed to read secret.png. Check the file's permissions."
    )


# --- first frames ---------------------------------------------------------------------------------


def _frames() -> list[Image.Image]:
    return [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 0, 255))]


@pytest.mark.parametrize(
    ("suffix", "options"),
    [
        (".gif", {}),
        (".png", {}),  # APNG
        (".tif", {}),
        (".webp", {"lossless": True}),
        (".mpo", {"format": "MPO"}),
    ],
)
def test_multi_frame_files_give_their_first_frame(
    suffix: str, options: dict[str, Any], tmp_path: Path
) -> None:
    first, second = _frames()
    path = tmp_path / f"frames{suffix}"
    first.save(path, save_all=True, append_images=[second], **options)
    with Image.open(path) as check:
        assert getattr(check, "n_frames", 1) == 2  # the file really has two frames

    assert np.abs(np.array(_only_pixel(path)) - (255, 0, 0, 255)).max() <= 3


# --- engine results -------------------------------------------------------------------------------


def test_decode_result_reads_png_jpeg_and_webp() -> None:
    pixels = _smooth_rgb()
    image = Image.fromarray(pixels)
    for format in ("PNG", "JPEG", "WEBP"):
        data = _encoded(image.convert("RGB") if format == "JPEG" else image, format)
        decoded = decode_result(data)
        assert decoded.shape == pixels.shape
        assert np.abs(decoded.astype(int) - pixels.astype(int)).mean() < 3


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b'{"error": "not an image"}',
        _encoded(Image.new("RGB", (4, 4)), "BMP"),
        _encoded(Image.new("RGB", (64, 64)), "PNG")[:60],
    ],
)
def test_decode_result_refuses_anything_else(data: bytes) -> None:
    with pytest.raises(ImgdeskError) as caught:
        decode_result(data)
    assert caught.value.kind is ErrorKind.IMAGE
    assert caught.value.message


def test_concurrent_loads_leave_warning_filters_as_they_were(tmp_path: Path) -> None:
    paths = [
        _save(_grid_image(4), tmp_path / f"p{index}.jpg", exif=b"Exif\x00\x00" + b"\xff" * 40)
        for index in range(8)
    ]
    before = list(warnings.filters)

    with ThreadPoolExecutor(max_workers=4) as pool:
        shapes = list(pool.map(lambda path: load_image(path).pixels.shape, paths * 4))

    assert shapes == [(8, 12, 4)] * 32
    assert warnings.filters == before


def test_srgb_profile_changes_nothing(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    pixels = _random_rgba()
    path = _save(Image.fromarray(pixels), tmp_path / "srgb.png", icc_profile=srgb)

    loaded = load_image(path)

    assert np.array_equal(loaded.pixels, pixels)
    assert loaded.icc_profile == srgb
    assert loaded.profile.is_srgb
    assert loaded.profile.to_srgb(loaded.pixels) is loaded.pixels
