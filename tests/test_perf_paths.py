"""Fast paths from the performance work keep their contracts: tiled feather and blend equal a
one-pass reference, stepped base64 equals the library decode, engines build off the UI thread,
the fake server's fast render, and keyring stays unloaded until a key is asked for."""

from __future__ import annotations

import asyncio
import base64
import io
import subprocess
import sys

import cv2
import numpy as np
import pytest
from PIL import Image

from fakes.openai_fixtures import sample_mask_png, sample_png
from fakes.openai_server import FakeOpenAIServer
from imgdesk.core import masks, redaction, secrets
from imgdesk.core.composite import blend_into
from imgdesk.core.engines import openai_engine
from imgdesk.core.engines.factory import make_engine_async, preload_engines
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.settings import Settings


def whole_crop_feather(mask: np.ndarray, radius: float) -> np.ndarray:
    """The feather computed with one distance transform over the whole mask."""
    solid = mask >= 128
    if radius == 0 or not solid.any():
        return mask.copy()
    dist = cv2.distanceTransform((~solid).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    out = mask.copy()
    out[dist == 0] = 255
    band = (dist > 0) & (dist <= radius)
    t = np.clip((dist[band] - 0.5) / max(radius, 0.5), 0.0, 1.0)
    ramp = np.rint((1.0 - t * t * (3.0 - 2.0 * t)) * 255.0).astype(np.uint8)
    out[band] = np.maximum(out[band], ramp)
    return out


@pytest.mark.parametrize("radius", [0.7, 3, 25.3, 40, 200])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tiled_feather_equals_one_transform_over_the_whole_mask(seed: int, radius: float) -> None:
    # Many tiles, most of them far from the mask (so tiles are skipped, not transformed at once):
    # blobs with soft edges, some touching the border, isolated pixels.
    rng = np.random.default_rng(seed)
    mask = np.zeros((1600, 2400), np.uint8)
    for _ in range(5):
        centre = (int(rng.integers(0, 2400)), int(rng.integers(0, 1600)))
        cv2.circle(mask, centre, int(rng.integers(5, 160)), int(rng.integers(100, 256)), -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.2)
    mask[rng.random(mask.shape) < 0.00002] = 255
    np.testing.assert_array_equal(masks.feather(mask, radius), whole_crop_feather(mask, radius))


def test_tiled_blend_equals_per_pixel_blend_across_tiles() -> None:
    rng = np.random.default_rng(4)
    target = rng.integers(0, 256, (500, 700, 4), dtype=np.uint8)
    edited = rng.integers(0, 256, (500, 700, 4), dtype=np.uint8)
    weight = masks.feather(masks.from_polygon(700, 500, [(90, 40), (650, 120), (300, 470)]), 30)
    o, r, w = target.astype(np.int64), edited.astype(np.int64), weight.astype(np.int64)[..., None]
    expected = (2 * (o * (255 - w) + r * w) + 255) // 510
    blend_into(target, edited, weight)
    np.testing.assert_array_equal(target, expected)


def test_stepped_base64_decoding_equals_one_call() -> None:
    data = Image.new("RGB", (1400, 1400))
    data.putdata([(i % 251, i % 241, i % 239) for i in range(1400 * 1400)])
    out = io.BytesIO()
    data.save(out, "PNG", compress_level=0)
    png = out.getvalue()
    text = base64.b64encode(png).decode()
    assert len(text) > 4 * openai_engine._B64_STEP  # several steps
    assert openai_engine._decode(text, "png") == png
    # Malformed input is refused exactly as one call would refuse it.
    for bad in (text[:-1], text[:1000] + "=" + text[1001:], text[:-8] + "!" + text[-7:]):
        with pytest.raises(ImgdeskError) as caught:
            openai_engine._decode(bad, "png")
        assert caught.value.kind is ErrorKind.SERVER


async def test_engine_made_in_a_thread_runs_an_edit(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-" + "test-made-in-a-thread-0123456789")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    await asyncio.to_thread(preload_engines)
    assert "imgdesk.core.engines.openai_engine" in sys.modules
    engine = await make_engine_async(Settings(), "openai")
    assert engine.name == "openai"
    await engine.aclose()  # type: ignore[attr-defined]


def test_fast_render_answers_at_size_with_the_masked_area_changed() -> None:
    import httpx2

    with FakeOpenAIServer(render="fast") as server:
        files = [
            ("image", ("photo.png", sample_png(512, 320), "image/png")),
            ("mask", ("mask.png", sample_mask_png(512, 320, (100, 50, 300, 150)), "image/png")),
        ]
        fields = {"prompt": "a lighthouse", "model": "gpt-image-2", "size": "1024x640", "n": "2"}
        headers = {"Authorization": "Bearer sk-" + "test-fast-render-0123456789"}
        url = f"{server.base_url}/images/edits"
        response = httpx2.post(url, data=fields, files=files, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        outputs = [base64.b64decode(item["b64_json"]) for item in response.json()["data"]]
        first, second = (np.asarray(Image.open(io.BytesIO(o)).convert("RGB")) for o in outputs)
        assert first.shape == (640, 1024, 3)
        original = np.asarray(Image.open(io.BytesIO(sample_png(512, 320))).convert("RGB"))
        scaled = np.asarray(Image.fromarray(original).resize((1024, 640))).astype(int)
        inside = first[100:300, 200:600].astype(int) - scaled[100:300, 200:600]
        assert np.abs(inside).mean() > 30
        assert not np.array_equal(first, second)  # variants differ
        # Validation is the same as the full renderer's.
        bad = httpx2.post(
            url, data={**fields, "size": "1000x640"}, files=files, headers=headers, timeout=30
        )
        assert bad.status_code == 400
        assert bad.json()["error"]["param"] == "size"
    with pytest.raises(ValueError, match="render mode"):
        FakeOpenAIServer(render="quick")


def test_importing_and_setting_up_logs_never_touches_the_keyring(tmp_path: object) -> None:
    code = (
        "import sys; from imgdesk.core import crash, logs; "
        "from imgdesk.core.paths import app_paths; "
        f"logs.setup_logging(app_paths({str(tmp_path)!r})); "
        "print('keyring' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_key_read_from_the_keyring_is_redacted(os_keyring: object) -> None:
    key = "StoredOnlyInTheKeyring-0123456789"  # not shaped like a key: only the exact net works
    secrets.store_secret(secrets.OPENAI, key)
    redaction.forget_secrets()  # as in a fresh process: only the keyring knows it
    assert redaction.redact(f"echo {key}") == f"echo {key}"
    assert secrets.get_secret(secrets.OPENAI) == key
    assert redaction.redact(f"echo {key}") == "echo [redacted]"
