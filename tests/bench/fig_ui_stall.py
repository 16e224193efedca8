"""ui_stall_max_ms (and ui_stall_p99_ms): the longest gap of a 5 ms heartbeat during an edit.

The app's arrangement: qasync drives asyncio from Qt's loop, a CanvasView shows the document.
Measured while the heartbeat runs: opening the 24 MP JPEG through `DocumentModel.open`, then
(after the mask is drawn) `pipeline.run_edit` with the OpenAI engine from `make_engine_async`, as
the edit session makes it, against the fake server in another process: plan, upload, 3 partial
images shown as previews, the 3840x2160 result (2048x1152 with --quick) composited and applied.
Before that, as the app does after its first paint, `preload_engines` imports `openai` in a
worker thread; the longest gap during the preload is in the note. Naive: the same steps called
synchronously on the UI thread (the sync `openai` client for the request), handing control back
to the loop between steps.
"""

from __future__ import annotations

import asyncio
import base64
import math
import os
import time

import numpy as np
import qasync
from common import Bench, Figure, ensure_photo, percentile, qt_app
from fake_server import ServerProcess
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from imgdesk.core import composite, imageio, planner
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.factory import make_engine_async, preload_engines
from imgdesk.core.imageio import load_image
from imgdesk.core.pipeline import Failure, Preview, Result, run_edit
from imgdesk.core.settings import Settings
from imgdesk.models.document import DocumentModel
from imgdesk.models.tools import ToolState
from imgdesk.ui.canvas import CanvasView

FIGURES = ("ui_stall_max_ms", "ui_stall_p99_ms")
MAX_TARGET_MS = 50.0
P99_TARGET_MS = 20.0
FULL_SIZE, QUICK_SIZE = "3840x2160", "2048x1152"  # --quick asks for a smaller result


def edit_params(bench: Bench) -> EditParams:
    size = QUICK_SIZE if bench.quick else FULL_SIZE
    return EditParams("a pond with ducks", size=size, partial_images=3)


API_KEY = "sk-bench-not-a-real-key"


class Heartbeat:
    """A 5 ms precise timer; while `recording`, the gaps between its ticks are kept."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last: float | None = None
        self._recording = False

    def record(self, on: bool) -> None:
        now = time.perf_counter()
        if not on and self._recording and self._last is not None:
            self.gaps.append((now - self._last) * 1000)  # the stall still running at the end
        self._recording, self._last = on, now

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._recording and self._last is not None:
            self.gaps.append((now - self._last) * 1000)
        self._last = now


def ellipse_points(box: tuple[int, int, int, int], count: int = 180) -> list[tuple[float, float]]:
    left, top, right, bottom = box
    cx, cy, rx, ry = (left + right) / 2, (top + bottom) / 2, (right - left) / 2, (bottom - top) / 2
    return [
        (cx + rx * math.cos(2 * math.pi * i / count), cy + ry * math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]


MASK_BOX = (1500, 900, 4700, 2700)  # the crop comes back at 3840x2160 (see fig_composite)


async def settle(seconds: float = 0.15) -> None:
    """Let queued repaints happen while the heartbeat keeps ticking."""
    await asyncio.sleep(seconds)


async def async_edit(document: DocumentModel, params: EditParams) -> str:
    # As the edit session does: the engine is made in a worker thread when the edit starts (the
    # client library was imported after the first paint; see `preload`).
    engine = await make_engine_async(Settings(), "openai")
    pixels, mask = document.pixels, document.mask
    assert pixels is not None
    assert mask is not None
    previews = 0
    try:
        async for event in run_edit(pixels, mask, params, engine):
            if isinstance(event, Preview):
                previews += 1
                document.show_preview(event.pixels)
            elif isinstance(event, Result):
                document.show_preview(None)
                document.set_image(event.variants[0], "Apply variant 1")
            elif isinstance(event, Failure):
                raise event.error
    finally:
        close = getattr(engine, "aclose", None)
        if close is not None:
            await close()
    return f"{previews} previews"


async def sync_edit(document: DocumentModel, base_url: str, params: EditParams) -> str:
    """The naive edit: each step runs on the UI thread; the loop gets control between steps."""
    import openai

    from imgdesk.core.engines.openai_engine import request_arguments

    pixels, mask = document.pixels, document.mask
    assert pixels is not None
    assert mask is not None
    plan = planner.plan_edit(pixels, mask, params)
    await asyncio.sleep(0)
    client = openai.OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0)
    arguments = request_arguments(plan)
    arguments.pop("stream")
    previews = 0
    with client.images.edit(stream=True, **arguments) as stream:
        for event in stream:  # blocks the loop until each event arrives
            result = imageio.decode_result(base64.b64decode(event.b64_json))
            pixels_out = composite.composite(pixels, result, plan, mask)
            if event.type == "image_edit.partial_image":
                previews += 1
                document.show_preview(pixels_out)
            else:
                document.show_preview(None)
                document.set_image(pixels_out, "Apply variant 1")
            await asyncio.sleep(0)
    client.close()
    return f"{previews} previews"


async def preload(heart: Heartbeat) -> float:
    """As the app does after its first paint: import the engines in a worker thread. Returns the
    longest heartbeat gap meanwhile (reported in the note, not part of the edit's figure)."""
    heart.record(True)
    await asyncio.to_thread(preload_engines)
    heart.record(False)
    longest = max(heart.gaps, default=0.0)
    heart.gaps.clear()
    return longest


async def one_run(
    app: QApplication, bench: Bench, base_url: str, *, naive: bool
) -> tuple[list[float], str]:
    document = DocumentModel()
    canvas = CanvasView(document, ToolState())
    canvas.resize(1400, 900)
    canvas.show()
    heart = Heartbeat()
    heart.timer.start()
    await settle(0.3)
    preload_gap = None if naive else await preload(heart)

    heart.record(True)
    if naive:
        document.set_document(load_image(ensure_photo(bench)))
    else:
        if not await document.open(ensure_photo(bench)):
            raise RuntimeError("the photo did not open")
    await settle()
    heart.record(False)

    document.fill_polygon(ellipse_points(MASK_BOX))
    await settle()

    heart.record(True)
    if naive:
        detail = await sync_edit(document, base_url, edit_params(bench))
    else:
        detail = await async_edit(document, edit_params(bench))
    await settle()
    heart.record(False)
    heart.timer.stop()
    canvas.close()
    await document.close()
    if preload_gap is not None:
        detail += f", longest gap while preloading the engines {preload_gap:.0f} ms"
    return heart.gaps, detail


def run(bench: Bench) -> list[Figure]:
    app = qt_app()
    assert isinstance(app, QApplication)
    ensure_photo(bench)
    with ServerProcess() as server:
        os.environ["OPENAI_API_KEY"] = API_KEY
        os.environ["OPENAI_BASE_URL"] = server.base_url

        async def both() -> tuple[list[float], list[float], str]:
            gaps, detail = await one_run(app, bench, server.base_url, naive=False)
            naive_gaps, _ = await one_run(app, bench, server.base_url, naive=True)
            return gaps, naive_gaps, detail

        gaps, naive_gaps, detail = qasync.run(both())
    max_gap, p99_gap = float(np.max(gaps)), percentile(gaps, 99)
    naive_max, naive_p99 = float(np.max(naive_gaps)), percentile(naive_gaps, 99)
    size = QUICK_SIZE if bench.quick else FULL_SIZE
    note = f"{len(gaps)} heartbeats, {detail}, result {size}"
    return [
        Figure(
            "ui_stall_max_ms", max_gap, naive_max, "ms", "< 50 ms", max_gap < MAX_TARGET_MS, note
        ),
        Figure("ui_stall_p99_ms", p99_gap, naive_p99, "ms", "< 20 ms", p99_gap < P99_TARGET_MS),
    ]
