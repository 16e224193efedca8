"""Full-resolution fidelity: a small edit on a 24 MP photo leaves every other pixel as it was.

The simulated model behaves like the real one: it redraws the whole picture it is sent (a global
colour drift plus noise) and changes the masked area strongly. The naive way (send the whole photo
resized to an allowed size, stretch the answer back) is measured beside it for comparison.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from imgdesk.core import masks, sizing
from imgdesk.core.catalog import load_catalog
from imgdesk.core.composite import composite
from imgdesk.core.edit_types import EditParams, EditPlan, MaskArray, RGBAArray
from imgdesk.core.planner import plan_edit

WIDTH, HEIGHT = 6000, 4000
MARKER = np.array([20, 200, 60, 255], dtype=np.uint8)  # what the model paints inside the mask


def synthetic_photo(seed: int = 7) -> RGBAArray:
    """Smooth gradients, sensor-like noise and hard-edged shapes, built quickly with numpy."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, WIDTH, dtype=np.float32)[None, :]
    y = np.linspace(0.0, 1.0, HEIGHT, dtype=np.float32)[:, None]
    photo = np.empty((HEIGHT, WIDTH, 4), dtype=np.uint8)
    channels = (40 + 150 * x + 30 * y, 60 + 120 * y + 20 * x, 180 - 100 * x * y)
    small_noise = rng.integers(-6, 7, (HEIGHT // 4, WIDTH // 4, 3), dtype=np.int16)
    noise = np.repeat(np.repeat(small_noise, 4, axis=0), 4, axis=1)
    for index, channel in enumerate(channels):
        photo[..., index] = np.clip(channel + noise[..., index], 0, 255).astype(np.uint8)
    photo[..., 3] = 255
    cv2.circle(photo, (1500, 1200), 400, (230, 40, 40, 255), -1)
    cv2.rectangle(photo, (4000, 2500), (5200, 3400), (30, 30, 120, 255), -1)
    cv2.line(photo, (0, 3900), (5999, 300), (250, 250, 250, 255), 9)
    return photo


def elliptic_mask() -> MaskArray:
    mask = np.zeros((HEIGHT, WIDTH), dtype=np.uint8)
    cv2.ellipse(mask, (3100, 1900), (520, 360), 20, 0, 360, 255, -1)
    return mask


def simulated_model(sent: RGBAArray, change: np.ndarray, seed: int = 11) -> RGBAArray:
    """Redraw everything slightly differently, and the masked area completely."""
    rng = np.random.default_rng(seed)
    drifted = sent.astype(np.int16) + np.array([6, -4, 3, 0], dtype=np.int16)
    drifted[..., :3] += rng.integers(-3, 4, drifted[..., :3].shape, dtype=np.int16)
    result = np.clip(drifted, 0, 255).astype(np.uint8)
    result[change] = MARKER
    return result


def decode(data: bytes) -> RGBAArray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA")).copy()


def changed_share(output: RGBAArray, original: RGBAArray, region: np.ndarray) -> float:
    differs = np.any(output != original, axis=2)
    return float(differs[region].mean())


def naive_edit(original: RGBAArray, mask: MaskArray, size: tuple[int, int]) -> RGBAArray:
    """Send the whole photo resized to `size`, take the answer as the new photo, stretched back."""
    sent = np.asarray(cv2.resize(original, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    change = cv2.resize(mask, size, interpolation=cv2.INTER_AREA) > 0
    result = simulated_model(sent, change)
    return np.asarray(cv2.resize(result, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC))


@pytest.mark.slow
def test_a_small_edit_on_a_24_mp_photo_keeps_every_other_pixel() -> None:
    original = synthetic_photo()
    mask = elliptic_mask()
    assert 0 < masks.coverage(mask) < 0.05
    params = EditParams(prompt="a green pond", model="gpt-image-2")
    plan: EditPlan = plan_edit(original, mask, params)

    # The edited region is sent at no less than its own resolution.
    size_rule = load_catalog().get("gpt-image-2").sizes
    crop_pixels = plan.crop.width * plan.crop.height
    request_w, request_h = plan.request_size
    assert size_rule.problem(request_w, request_h) is None
    assert crop_pixels <= size_rule.max_pixels
    assert request_w * request_h >= crop_pixels
    assert request_w >= plan.crop.width
    assert request_h >= plan.crop.height

    sent = decode(plan.image_png)
    change = decode(plan.mask_png)[..., 3] == 0
    output = composite(original, simulated_model(sent, change), plan, mask)

    assert output.shape == (HEIGHT, WIDTH, 4)
    weight = masks.feather(mask, sizing.default_feather(plan.crop))
    untouched = weight == 0
    ours = changed_share(output, original, untouched)
    assert ours == 0.0
    assert np.array_equal(output[untouched], original[untouched])
    # Inside the mask the model's change arrived, at full strength.
    assert np.array_equal(
        output[weight == 255], np.broadcast_to(MARKER, output[weight == 255].shape)
    )

    naive_size = (3504, 2336)  # the whole photo at 3:2, just under the 8.3 MP maximum
    assert size_rule.problem(*naive_size) is None
    naive = naive_edit(original, mask, naive_size)
    theirs = changed_share(naive, original, untouched)
    print(
        f"\npixels outside mask+feather that changed: planned crop {ours:.4f}, "
        f"naive whole-photo round trip {theirs:.4f}; request {plan.size_param} for a "
        f"{plan.crop.width}x{plan.crop.height} crop of a {WIDTH}x{HEIGHT} photo"
    )
    assert theirs > 0.9
