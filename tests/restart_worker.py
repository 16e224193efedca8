"""A queue runner in its own process, for tests that kill it (SIGKILL) mid-batch.

Usage: python restart_worker.py DATA_DIR JOBS DELAY
Queues the same JOBS-job batch (idempotent: batch keys) on a small generated photo, then works the
queue with `QuickEngine`, printing "done <node id>" as each job is recorded, and "finished" at
the end. Also holds `QuickEngine`, the fast engine other queue tests use.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
from PIL import Image

from imgdesk.core.batch import BatchSpec, enqueue_batch
from imgdesk.core.edit_types import Completed, EditParams, EditPlan, EngineEvent, Sending
from imgdesk.core.paths import app_paths
from imgdesk.core.queue_runner import JobEvent, QueueRunner
from imgdesk.core.store import Store

SIZE = (64, 48)


class QuickEngine:
    """Paints the masked area in a colour derived from the prompt; optionally slow.

    The local engine plans at the model's request size and takes seconds per job; queue tests
    need many jobs, so they use this engine, which still goes through planning and compositing.
    """

    name = "quick"
    metered = False

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls = 0

    async def run(self, plan: EditPlan) -> AsyncIterator[EngineEvent]:
        self.calls += 1
        yield Sending()
        if self.delay:
            await asyncio.sleep(self.delay)
        image = np.asarray(Image.open(io.BytesIO(plan.image_png)).convert("RGBA")).copy()
        alpha = np.asarray(Image.open(io.BytesIO(plan.mask_png)).convert("RGBA"))[..., 3]
        colour = hashlib.sha256(plan.params.prompt.encode()).digest()[:3]
        image[alpha < 128, :3] = np.frombuffer(colour, dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(image, "RGBA").save(out, "PNG", compress_level=1)
        yield Completed(images=(out.getvalue(),))


def photo() -> np.ndarray:
    yy, xx = np.mgrid[0 : SIZE[1], 0 : SIZE[0]]
    pixels = np.zeros((SIZE[1], SIZE[0], 4), dtype=np.uint8)
    pixels[..., 0] = (xx * 4) % 256
    pixels[..., 1] = (yy * 5) % 256
    pixels[..., 2] = 90
    pixels[..., 3] = 255
    return pixels


def mask() -> np.ndarray:
    out = np.zeros((SIZE[1], SIZE[0]), dtype=np.uint8)
    out[10:30, 20:44] = 255
    return out


def batch_spec(jobs: int) -> BatchSpec:
    prompts = tuple(f"prompt number {i}" for i in range(jobs))
    return BatchSpec(photo(), mask(), prompts, 1, EditParams("", quality="low"), "quick")


async def main(data_dir: str, jobs: int, delay: float) -> None:
    store = Store.open(app_paths(data_dir))
    queued = enqueue_batch(store, batch_spec(jobs))

    def report(event: JobEvent) -> None:
        if event.kind in ("started", "done"):
            print(event.kind, event.node_id, flush=True)

    runner = QueueRunner(
        store,
        lambda name: QuickEngine(delay),
        concurrency=2,
        scope=queued.node_ids,
        on_event=report,
    )
    await runner.run(until_empty=True)
    await runner.aclose()
    store.close()
    print("finished", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
