"""Pytest fixtures for the fake OpenAI Images server (registered from tests/conftest.py)."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image

from fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A fresh fake server per test, on 127.0.0.1 at a random port."""
    server = FakeOpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sentinel_key() -> str:
    """An API key that must never surface in any message, detail or log line."""
    return "sk-test-SENTINEL-" + secrets.token_hex(12)


@pytest.fixture
def openai_env(
    openai_server: FakeOpenAIServer, sentinel_key: str, monkeypatch: pytest.MonkeyPatch
) -> FakeOpenAIServer:
    """OPENAI_API_KEY and OPENAI_BASE_URL pointing at the fake, for CLI and app tests."""
    monkeypatch.setenv("OPENAI_API_KEY", sentinel_key)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    return openai_server


def sample_png(width: int, height: int) -> bytes:
    """An opaque RGBA photo stand-in with structure in both directions."""
    yy, xx = np.mgrid[0:height, 0:width]
    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    pixels[..., 0] = (xx * 255 // max(width - 1, 1)).astype(np.uint8)
    pixels[..., 1] = (yy * 255 // max(height - 1, 1)).astype(np.uint8)
    pixels[..., 2] = 90
    pixels[..., 3] = 255
    out = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(out, "PNG")
    return out.getvalue()


def sample_mask_png(
    width: int, height: int, box: tuple[int, int, int, int], *, alpha: bool = True
) -> bytes:
    """The API's mask convention: alpha 0 inside `box` (left, top, right, bottom) = edit."""
    pixels = np.full((height, width, 4), 255, dtype=np.uint8)
    left, top, right, bottom = box
    pixels[top:bottom, left:right, 3] = 0
    out = io.BytesIO()
    image = Image.fromarray(pixels, "RGBA")
    (image if alpha else image.convert("RGB")).save(out, "PNG")
    return out.getvalue()
