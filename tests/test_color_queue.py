"""A tagged photo through the persistent queue: the crop leaves as sRGB, results keep the profile.

Files are decoded without colour management (as in test_color_profiles), so "the same pixels"
means the same numbers in the file.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from fakes.openai_server import FakeOpenAIServer, RecordedRequest
from imgdesk.cli import main
from imgdesk.core import imageio, masks, resample, sizing
from imgdesk.core.batch import BatchSpec, enqueue_batch
from imgdesk.core.edit_types import Box, EditParams, EditPlan
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.planner import plan_edit
from imgdesk.core.queue_runner import JobEvent, QueueRunner, params_of
from imgdesk.core.store import NewJob, Store
from test_color_profiles import (
    DISPLAY_P3,
    RECT,
    Pixels,
    _lcms_to_srgb,
    _outside,
    _raw,
    _saturated_photo,
    _write_tagged,
)

pytest_plugins = ("fakes.openai_fixtures",)


def _sent_size(request: RecordedRequest) -> int:
    [image_file] = [f for f in request.files if f.field.startswith("image")]
    return image_file.size


def _assert_sent_as_srgb(plan: EditPlan, source: Pixels) -> None:
    """The plan's crop is the source window converted to sRGB (lcms, within rounding)."""
    sent = np.array(Image.open(io.BytesIO(plan.image_png)).convert("RGBA"), np.uint8)
    window = sizing.request_window(plan.crop, plan.request_size)
    unconverted = resample.resize_pixels(resample.window_pixels(source, window), plan.request_size)
    expected = _lcms_to_srgb(unconverted, DISPLAY_P3)
    assert np.abs(sent[..., :3].astype(int) - expected).max() <= 1
    assert np.abs(sent[..., :3].astype(int) - unconverted[..., :3]).max() > 10


async def test_runner_sends_srgb_and_stores_results_with_the_profile(
    openai_server: FakeOpenAIServer, sentinel_key: str, tmp_path: Path
) -> None:
    source = _write_tagged(_saturated_photo(), tmp_path / "photo.png", DISPLAY_P3)
    loaded = imageio.load_image(source)
    mask = masks.from_rect(400, 300, RECT)
    events: list[JobEvent] = []
    with Store.open() as store:
        image, mask_hash, _ = store.put_inputs(loaded.pixels, mask, icc_profile=DISPLAY_P3)
        params = EditParams("a red balloon", quality="low", n=2, partial_images=0)
        job_id = store.jobs.enqueue(NewJob(image, mask_hash, params, "openai")).node_id
        runner = QueueRunner(
            store,
            lambda name: OpenAIEngine(
                api_key=sentinel_key, base_url=openai_server.base_url, max_retries=0
            ),
            on_event=events.append,
        )
        try:
            status = await runner.run(until_empty=True)
        finally:
            await runner.aclose()
        assert status.done == 1
        node = store.history.get(job_id)
        assert store.load_inputs(node).icc_profile == DISPLAY_P3
        outputs = [store.blobs.read(hash_) for hash_ in node.outputs]

    [done] = [e for e in events if e.kind == "done"]
    assert done.result is not None
    plan = done.result.plan
    [request] = openai_server.requests
    assert _sent_size(request) == len(plan.image_png)
    before, _ = _raw(source)
    _assert_sent_as_srgb(plan, before)

    outside = _outside(mask, plan.crop)
    assert len(outputs) == 2
    for data in outputs:
        with Image.open(io.BytesIO(data)) as image:
            assert image.info.get("icc_profile") == DISPLAY_P3
            after = np.array(image.convert("RGBA"), np.uint8)
        assert np.array_equal(after[outside], before[outside])
        assert np.abs(after[mask == 255].astype(int) - before[mask == 255]).mean() > 20


def test_cli_batch_exports_carry_the_profile_and_keep_the_pixels(
    openai_env: FakeOpenAIServer, tmp_path: Path
) -> None:
    source = _write_tagged(_saturated_photo(), tmp_path / "photo.png", DISPLAY_P3)
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a red balloon\n")
    out = tmp_path / "out"
    argv = [
        "batch", str(source), "--rect", "300,200,40,40", "--prompts", str(prompts), "-n", "2",
        "--quality", "low", "--engine", "openai", "--out", str(out),
    ]  # fmt: skip
    assert main(argv) == 0

    before, _ = _raw(source)
    mask = masks.from_rect(400, 300, RECT)
    loaded = imageio.load_image(source)
    with Store.open() as store:
        [node] = [n for n in store.history.page() if n.kind == "edit" and n.variant == 0]
        params = params_of(node)
    # The planner is deterministic: the crop that reached the server is the sRGB one.
    plan = plan_edit(loaded.pixels, mask, params, profile=loaded.profile)
    unconverted = plan_edit(loaded.pixels, mask, params)
    _assert_sent_as_srgb(plan, before)
    assert len(plan.image_png) != len(unconverted.image_png)
    assert [_sent_size(r) for r in openai_env.requests] == [len(plan.image_png)] * 2

    outside = _outside(mask, plan.crop)
    exported = sorted(p for p in out.glob("001-*.png"))
    assert len(exported) == 2
    for path in exported:
        after, icc = _raw(path)
        assert icc == DISPLAY_P3
        assert np.array_equal(after[outside], before[outside])
        assert not np.array_equal(after[mask == 255], before[mask == 255])


def test_the_same_values_in_another_colour_space_are_another_batch() -> None:
    pixels = _saturated_photo(64, 48)
    mask = masks.from_rect(64, 48, Box(10, 10, 30, 30))
    params = EditParams("a red balloon", quality="low")
    with Store.open() as store:
        untagged = enqueue_batch(store, BatchSpec(pixels, mask, ("a",), 1, params, "local"))
        tagged_spec = BatchSpec(pixels, mask, ("a",), 1, params, "local", icc_profile=DISPLAY_P3)
        tagged = enqueue_batch(store, tagged_spec)
        again = enqueue_batch(store, tagged_spec)
        assert (untagged.created, tagged.created, again.created) == (1, 1, 0)
        assert tagged.batch_id != untagged.batch_id
        assert again.node_ids == tagged.node_ids
        [node] = [store.history.get(i) for i in tagged.node_ids]
        inputs = store.load_inputs(node)
        assert inputs.icc_profile == DISPLAY_P3
        assert np.array_equal(inputs.image, pixels)
        [plain] = [store.history.get(i) for i in untagged.node_ids]
        assert store.load_inputs(plain).icc_profile is None
