"""`imgdesk edit` as a user runs it: a real process, the real openai client, the fake server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core import imageio, masks
from imgdesk.core.edit_types import Box

RECT = "500,300,260,200"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imgdesk", "edit", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=180,
    )


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:900, 0:1400]
    pixels = np.stack(
        [xx % 256, yy % 256, rng.integers(0, 256, (900, 1400)), np.full((900, 1400), 255)],
        axis=-1,
    ).astype(np.uint8)
    path = tmp_path / "street.png"
    Image.fromarray(pixels, "RGBA").save(path)
    return path


def _results(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.suffix != ".json")


def test_edit_writes_full_resolution_variants_with_sidecars(
    openai_env: FakeOpenAIServer, sentinel_key: str, photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = _run(str(photo), "--prompt", "a bicycle", "--rect", RECT, "-n", "3", "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = _results(out)
    assert len(written) == 3
    assert [Path(line) for line in done.stdout.split()] == written
    original = imageio.load_image(photo).pixels
    mask = masks.from_rect(1400, 900, Box(500, 300, 760, 500))
    for path in written:
        pixels = imageio.load_image(path).pixels
        assert pixels.shape == original.shape
        far_outside = masks.grow(mask, 40) == 0  # beyond any feather the planner may choose
        assert np.array_equal(pixels[far_outside], original[far_outside])
        assert not np.array_equal(pixels[mask == 255], original[mask == 255])
        sidecar = json.loads(path.with_suffix(".json").read_text())
        assert sidecar["prompt"] == "a bicycle"
        assert sidecar["model"] == "gpt-image-2"
        assert sidecar["engine"] == "openai"
        assert sidecar["size"] == [1400, 900]
        assert sidecar["usage"]["output_tokens"] > 0
        assert sidecar["cost_usd"] > 0
        assert sidecar["source"] == str(photo.resolve())
    [request] = openai_env.requests
    assert request.fields["prompt"] == "a bicycle"
    assert request.fields["n"] == "3"
    # The key went out in the Authorization header and nowhere else the user can see.
    assert request.had_auth
    for text in (done.stdout, done.stderr, *(p.read_text() for p in out.glob("*.json"))):
        assert sentinel_key not in text


def test_mask_png_in_the_api_convention(
    openai_env: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    mask = masks.from_rect(1400, 900, Box(100, 100, 300, 250))
    mask_path = tmp_path / "mask.png"
    mask_path.write_bytes(masks.export_mask_png(mask))
    out = tmp_path / "out"
    done = _run(str(photo), "--prompt", "a cat", "--mask", str(mask_path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    [path] = _results(out)
    original = imageio.load_image(photo).pixels
    pixels = imageio.load_image(path).pixels
    far_outside = masks.grow(mask, 40) == 0
    assert np.array_equal(pixels[far_outside], original[far_outside])


def test_streamed_previews_show_as_progress(
    openai_env: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    done = _run(
        str(photo), "--prompt", "a kite", "--rect", RECT, "--partial-images", "2",
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Preview 1 received" in done.stderr
    assert "Preview 2 received" in done.stderr
    assert openai_env.requests[0].fields["stream"] == "true"


def test_whole_photo_edit_keeps_size_and_aspect(
    openai_env: FakeOpenAIServer, photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = _run(str(photo), "--prompt", "as a watercolour", "--model", "gpt-image-1.5",
                "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    [path] = _results(out)
    assert imageio.image_size_of(path) == (1400, 900)
    assert openai_env.requests[0].fields["size"] in {"1536x1024", "1024x1024", "1024x1536"}


def test_offline_engine_needs_no_key_and_says_it_ignores_the_prompt(
    photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = _run(str(photo), "--prompt", "remove it", "--rect", RECT, "--engine", "local",
                "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ignores the prompt" in done.stderr
    [path] = _results(out)
    sidecar = json.loads(path.with_suffix(".json").read_text())
    assert sidecar["engine"] == "local"
    assert sidecar["cost_usd"] is None


def test_without_a_key_the_offline_engine_is_the_default(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _run(str(photo), "--prompt", "remove it", "--rect", RECT, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(_results(out)[0].with_suffix(".json").read_text())["engine"] == "local"


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--model", "gpt-image-1"], "shut down"),
        (["--model", "gpt-image-2", "--input-fidelity", "high"], "input_fidelity"),
        (["-n", "11"], "between 1 and 10"),
        (["--size", "1000x1000"], "multiples of 16"),
        (["--rect", "5000,5000,10,10"], "outside"),
    ],
)
def test_bad_parameters_exit_2_with_the_reason_and_send_nothing(
    openai_env: FakeOpenAIServer, photo: Path, tmp_path: Path, extra: list[str], needle: str
) -> None:
    args = [str(photo), "--prompt", "x", "--out", str(tmp_path / "out"), *extra]
    if "--rect" not in extra:
        args += ["--rect", RECT]
    done = _run(*args)
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr
    assert "Traceback" not in done.stderr
    assert openai_env.requests == []
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unreadable_photo_and_wrong_size_mask_exit_2(tmp_path: Path, photo: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0not really a jpeg")
    done = _run(str(broken), "--prompt", "x", "--engine", "local")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith(("imgdesk: ", "imgdesk "))

    small_mask = tmp_path / "mask.png"
    small_mask.write_bytes(masks.export_mask_png(masks.from_rect(100, 100, Box(0, 0, 50, 50))))
    done = _run(str(photo), "--prompt", "x", "--mask", str(small_mask), "--engine", "local")
    assert done.returncode == 2
    assert "must match the photo" in done.stderr


@pytest.mark.parametrize(
    ("fault", "needle"),
    [("auth", "API key"), ("quota", ""), ("server", ""), ("moderation_output", "")],
)
def test_service_refusals_exit_3_and_write_nothing(
    openai_env: FakeOpenAIServer, sentinel_key: str, photo: Path, tmp_path: Path,
    fault: str, needle: str,
) -> None:  # fmt: skip
    openai_env.inject(fault, count=5)
    out = tmp_path / "out"
    done = _run(str(photo), "--prompt", "x", "--rect", RECT, "--out", str(out))
    assert done.returncode == 3, done.stderr
    assert needle in done.stderr
    assert done.stderr.splitlines()[-1].startswith(("imgdesk: ", "imgdesk "))
    assert "Traceback" not in done.stderr
    assert sentinel_key not in done.stderr + done.stdout
    assert not out.exists() or not any(out.iterdir())


def test_network_down_exits_3_with_a_sentence(photo: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {"OPENAI_API_KEY": "sk-test-unused", "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1"}
    done = _run(str(photo), "--prompt", "x", "--rect", RECT, "--out", str(tmp_path / "o"), env=env)
    assert done.returncode == 3
    assert "reach" in done.stderr
