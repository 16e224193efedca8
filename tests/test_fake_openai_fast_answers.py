"""The fake server's fast mode (for benchmarks): answers drawn once, ready when the latency ends."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from fakes import openai_render
from fakes.openai_server import FakeOpenAIServer
from test_fake_openai_server import GOOD, _mask, _png, post


def test_concurrent_fast_answers_of_one_size_are_drawn_once() -> None:
    openai_render._fast_answer.cache_clear()
    with FakeOpenAIServer(render="fast") as server:
        server.inject("slow", 6, seconds=0.3)
        files = [_png(1024, 640), _mask(1024, 640)]
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: post(server, GOOD, files), range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert openai_render._fast_answer.cache_info().misses == 1
    pictures = {a.json()["data"][0]["b64_json"] for a in answers}
    assert len(pictures) == 1
    image = Image.open(io.BytesIO(base64.b64decode(pictures.pop())))
    assert image.size == (1024, 640)
