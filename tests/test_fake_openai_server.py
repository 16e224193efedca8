"""The fake OpenAI Images server checks requests like the real API: raw HTTP requests, no client."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import httpx2
import numpy as np
import pytest
from PIL import Image

from fakes.openai_fixtures import sample_mask_png, sample_png
from fakes.openai_server import FakeOpenAIServer

KEY = "sk-" + "test-raw-client-0123456789"  # split so it is not mistaken for a real key
FileSpec = tuple[str, tuple[str, bytes, str]]


def _png(width: int, height: int) -> FileSpec:
    return ("image", ("photo.png", sample_png(width, height), "image/png"))


def _mask(width: int, height: int, *, alpha: bool = True) -> FileSpec:
    data = sample_mask_png(width, height, (10, 10, width // 2, height // 2), alpha=alpha)
    return ("mask", ("mask.png", data, "image/png"))


def post(
    server: FakeOpenAIServer,
    fields: dict[str, str],
    files: list[FileSpec],
    *,
    key: str | None = KEY,
) -> httpx2.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx2.post(
        f"{server.base_url}/images/edits",
        data=fields,
        files=files,
        headers=headers,
        timeout=30,
    )


GOOD = {"prompt": "a lighthouse", "model": "gpt-image-2", "size": "1024x640"}

REJECTIONS: list[tuple[str, dict[str, str], list[FileSpec], int, str | None, str]] = [
    # name, fields, files, status, param, code
    (
        "bare bytes",
        GOOD,
        [("image", ("photo.png", sample_png(1024, 640), "application/octet-stream"))],
        400,
        "image",
        "unsupported_file_mimetype",
    ),
    (
        "jpeg bytes sent as png",
        GOOD,
        [("image", ("photo.png", b"\xff\xd8\xff\xe0" + b"\0" * 64, "image/png"))],
        400,
        "image",
        "invalid_image_format",
    ),
    (
        "mask of another size",
        GOOD,
        [_png(1024, 640), _mask(1024, 1024)],
        400,
        "mask",
        "invalid_mask_image_format",
    ),
    (
        "mask without alpha",
        GOOD,
        [_png(1024, 640), _mask(1024, 640, alpha=False)],
        400,
        "mask",
        "invalid_mask_image_format",
    ),
    ("too many images", GOOD, [_png(64, 64)] * 17, 400, "image", "array_above_max_length"),
    ("only a mask", GOOD, [_mask(64, 64)], 400, "image", "missing_required_parameter"),
    (
        "no prompt",
        {"model": "gpt-image-2"},
        [_png(64, 64)],
        400,
        "prompt",
        "missing_required_parameter",
    ),
    ("n above 10", {**GOOD, "n": "11"}, [_png(64, 64)], 400, "n", "invalid_value"),
    ("n not a number", {**GOOD, "n": "three"}, [_png(64, 64)], 400, "n", "invalid_value"),
    (
        "partial_images above 3",
        {**GOOD, "partial_images": "4"},
        [_png(64, 64)],
        400,
        "partial_images",
        "invalid_value",
    ),
    (
        "fidelity outside enum",
        {**GOOD, "model": "gpt-image-1.5", "size": "1024x1024", "input_fidelity": "medium"},
        [_png(64, 64)],
        400,
        "input_fidelity",
        "invalid_value",
    ),
    (
        "fidelity on gpt-image-2",
        {**GOOD, "input_fidelity": "high"},
        [_png(64, 64)],
        400,
        "input_fidelity",
        "unsupported_parameter",
    ),
    (
        "unknown field",
        {**GOOD, "strength": "0.5"},
        [_png(64, 64)],
        400,
        "strength",
        "unknown_parameter",
    ),
    ("size not /16", {**GOOD, "size": "1000x1000"}, [_png(64, 64)], 400, "size", "invalid_value"),
    (
        "size below minimum",
        {**GOOD, "size": "512x512"},
        [_png(64, 64)],
        400,
        "size",
        "invalid_value",
    ),
    ("size too long", {**GOOD, "size": "4096x1024"}, [_png(64, 64)], 400, "size", "invalid_value"),
    (
        "aspect beyond 3:1",
        {**GOOD, "size": "2560x768"},
        [_png(64, 64)],
        400,
        "size",
        "invalid_value",
    ),
    (
        "free size on a fixed model",
        {**GOOD, "model": "gpt-image-1.5"},
        [_png(64, 64)],
        400,
        "size",
        "invalid_value",
    ),
    (
        "xhigh on gpt-image-2",
        {**GOOD, "quality": "xhigh"},
        [_png(64, 64)],
        400,
        "quality",
        "invalid_value",
    ),
    (
        "compression with png",
        {**GOOD, "output_compression": "50"},
        [_png(64, 64)],
        400,
        "output_compression",
        "unsupported_parameter",
    ),
    (
        "gpt-image-1 is shut down",
        {**GOOD, "model": "gpt-image-1"},
        [_png(64, 64)],
        400,
        "model",
        "model_shut_down",
    ),
    (
        "dall-e-2 is retired",
        {**GOOD, "model": "dall-e-2"},
        [_png(64, 64)],
        400,
        "model",
        "model_shut_down",
    ),
    (
        "unknown model",
        {**GOOD, "model": "gpt-image-9"},
        [_png(64, 64)],
        404,
        None,
        "model_not_found",
    ),
]


@pytest.mark.parametrize(
    ("fields", "files", "status", "param", "code"),
    [case[1:] for case in REJECTIONS],
    ids=[case[0] for case in REJECTIONS],
)
def test_invalid_requests_are_refused_like_the_api(
    openai_server: FakeOpenAIServer,
    fields: dict[str, str],
    files: list[FileSpec],
    status: int,
    param: str | None,
    code: str,
) -> None:
    response = post(openai_server, fields, files)

    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= {"message", "type", "param", "code"}
    assert (error["param"], error["code"]) == (param, code)
    assert response.headers["x-request-id"].startswith("req_")


def test_mask_messages_match_the_api(openai_server: FakeOpenAIServer) -> None:
    wrong_size = post(openai_server, GOOD, [_png(1024, 640), _mask(1024, 1024)]).json()
    no_alpha = post(openai_server, GOOD, [_png(1024, 640), _mask(1024, 640, alpha=False)]).json()

    assert "mask size does not match image size" in wrong_size["error"]["message"]
    assert "mask image missing alpha channel" in no_alpha["error"]["message"]


def test_missing_key_is_refused(openai_server: FakeOpenAIServer) -> None:
    response = post(openai_server, GOOD, [_png(1024, 640)], key=None)

    assert response.status_code == 401


def test_answer_is_at_the_requested_size_drifts_and_changes_the_mask(
    openai_server: FakeOpenAIServer,
) -> None:
    fields = {**GOOD, "n": "2", "output_format": "webp", "output_compression": "80"}
    response = post(openai_server, fields, [_png(512, 320), _mask_at(512, 320)])

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["size"] == "1024x640"
    assert body["output_format"] == "webp"
    assert (
        body["usage"]["total_tokens"]
        == body["usage"]["input_tokens"] + body["usage"]["output_tokens"]
    )
    outputs = [base64.b64decode(item["b64_json"]) for item in body["data"]]
    assert [o[8:12] for o in outputs] == [b"WEBP", b"WEBP"]
    first, second = (
        np.asarray(Image.open(io.BytesIO(o)).convert("RGB")).astype(int) for o in outputs
    )
    assert first.shape == (640, 1024, 3)
    original = np.asarray(
        Image.open(io.BytesIO(sample_png(512, 320))).convert("RGB").resize((1024, 640))
    ).astype(int)
    inside = np.zeros((640, 1024), dtype=bool)
    inside[100:300, 200:600] = True
    outside_change = np.abs(first - original).mean(axis=2)[~inside]
    assert 0.5 < outside_change.mean() < 12  # drifted, but still the same picture
    assert np.abs(first - original).mean(axis=2)[inside].mean() > 30
    assert np.abs(first - second)[inside].mean() > 5  # variants differ


def _mask_at(width: int, height: int) -> FileSpec:
    # Edit area (100..300, 50..150) in input pixels, doubled in the 1024x640 answer.
    return ("mask", ("mask.png", sample_mask_png(width, height, (100, 50, 300, 150)), "image/png"))


def test_streaming_wire_format(openai_server: FakeOpenAIServer) -> None:
    fields = {**GOOD, "stream": "true", "partial_images": "2", "n": "2"}
    response = post(openai_server, fields, [_png(1024, 640)])

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block.split("\n") for block in response.text.strip().split("\n\n")]
    names = [lines[0].removeprefix("event: ") for lines in events]
    assert names == ["image_edit.partial_image"] * 2 + ["image_edit.completed"] * 2
    payloads: list[dict[str, Any]] = [
        json.loads(lines[1].removeprefix("data: ")) for lines in events
    ]
    assert [p["type"] for p in payloads] == names
    assert [p.get("partial_image_index") for p in payloads[:2]] == [0, 1]
    assert all("usage" in p for p in payloads[2:])


def test_records_requests_without_the_key_and_echo_fault_really_leaks(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.inject("echo_auth")
    response = post(openai_server, GOOD, [_png(1024, 640)])

    # The fault exists to prove the engine scrubs: the raw body does carry the key.
    assert KEY in response.text
    recorded = openai_server.requests[-1]
    assert recorded.had_auth
    assert "authorization" not in recorded.headers
    assert KEY not in repr(recorded)
    assert recorded.fields == GOOD


def test_faults_queue_and_count_down(openai_server: FakeOpenAIServer) -> None:
    openai_server.inject("server", count=2, status=503)
    openai_server.inject("quota")
    statuses = [post(openai_server, GOOD, [_png(1024, 640)]).status_code for _ in range(4)]

    assert statuses == [503, 503, 429, 200]
    with pytest.raises(ValueError, match="unknown fault"):
        openai_server.inject("gremlins")
