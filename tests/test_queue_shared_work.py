"""The runner's throughput work: jobs of a batch share one encoded request, and a job whose answer
has arrived gives its place to the next one while it composites and stores its result."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core import composite, imageio
from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.edit_types import Completed, EditParams, EditPlan, EngineEvent
from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.planner import plan_edit
from imgdesk.core.queue_runner import JobEvent, QueueRunner
from imgdesk.core.store import NewJob, Store
from restart_worker import QuickEngine, mask, photo

pytest_plugins = ("fakes.openai_fixtures",)


@dataclass
class Recording:
    """Wraps an engine; keeps each plan it was given and the images it answered with."""

    inner: Engine | QuickEngine
    sent: list[EditPlan] = field(default_factory=list)
    answers: dict[str, bytes] = field(default_factory=dict)  # prompt -> answered image
    in_flight: int = 0
    most_in_flight: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def metered(self) -> bool:
        return self.inner.metered

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()

    async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        self.sent.append(plan)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            async for event in self.inner.run(plan):
                if isinstance(event, Completed):
                    self.answers[plan.params.prompt] = event.images[0]
                    self.in_flight -= 1  # the answer is in: no longer waiting on the service
                yield event
        finally:
            if plan.params.prompt not in self.answers:
                self.in_flight -= 1


def enqueue(store: Store, prompts: list[str], engine: str) -> list[str]:
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    return [
        store.jobs.enqueue(NewJob(image, mask_hash, EditParams(p, quality="low"), engine)).node_id
        for p in prompts
    ]


def assert_results_are_the_answers_composited(
    store: Store, ids: list[str], engine: Recording
) -> None:
    for node_id in ids:
        node = store.history.get(node_id)
        assert node.status == "done"
        assert node.attempts == 1
        params = EditParams(node.prompt or "", quality="low")
        [plan] = [p for p in engine.sent if p.params.prompt == node.prompt]
        # The request is byte for byte the one a fresh planning of this job would send.
        assert plan == plan_edit(photo(), mask(), params)
        answer = imageio.decode_result(engine.answers[plan.params.prompt])
        expected = composite.composite(photo(), answer, plan, mask())
        assert np.array_equal(store.blobs.read_image(node.outputs[0]), expected)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open()
    yield opened
    opened.close()


async def test_jobs_sharing_a_photo_and_mask_send_the_same_request_with_their_own_prompt(
    store: Store,
) -> None:
    prompts = [f"take {i}" for i in range(6)]
    ids = enqueue(store, prompts, engine="quick")
    engine = Recording(QuickEngine(delay=0.01))
    runner = QueueRunner(store, lambda name: engine, concurrency=3)
    status = await runner.run(until_empty=True)
    await runner.aclose()

    assert status.done == 6
    assert sorted(plan.params.prompt for plan in engine.sent) == prompts
    assert len({plan.image_png for plan in engine.sent}) == 1
    assert 1 <= engine.most_in_flight <= 3
    assert_results_are_the_answers_composited(store, ids, engine)
    # Each job's masked area has its own prompt's colour: no answer went to another job.
    outputs = {store.history.get(node_id).outputs[0] for node_id in ids}
    assert len(outputs) == 6


async def test_requests_to_the_fake_service_are_identical_but_for_the_prompt(
    store: Store, openai_server: FakeOpenAIServer
) -> None:
    prompts = ["a red boat", "a blue boat", "a green boat", "a grey boat"]
    ids = enqueue(store, prompts, engine="openai")
    engine = Recording(
        OpenAIEngine(api_key="sk-test", base_url=openai_server.base_url, max_retries=0)
    )
    runner = QueueRunner(store, lambda name: engine, concurrency=2)
    status = await runner.run(until_empty=True)
    await runner.aclose()

    assert status.done == 4
    requests = openai_server.requests
    assert sorted(request.fields["prompt"] for request in requests) == sorted(prompts)
    assert len({request.files for request in requests}) == 1  # same fields, names and sizes
    plan = engine.sent[0]
    assert sorted(f.size for f in requests[0].files) == sorted(
        [len(plan.image_png), len(plan.mask_png)]
    )
    assert engine.most_in_flight <= 2
    assert_results_are_the_answers_composited(store, ids, engine)


def blocking_writer(release: threading.Event, blocked: list[Path]) -> Callable[[Path, bytes], None]:
    """Writes blobs once `release` is set; until then each write waits (and is counted)."""
    lock = threading.Lock()

    def write(path: Path, data: bytes) -> None:
        with lock:
            blocked.append(path)
        try:
            if not release.wait(10):
                raise OSError("the test never released the write")
        finally:
            with lock:
                blocked.remove(path)
        atomic_write_bytes(path, data)

    return write


async def test_the_next_job_is_sent_while_the_previous_one_stores_its_result() -> None:
    sent_second = threading.Event()
    blocked: list[Path] = []
    store = Store.open(writer=blocking_writer(sent_second, blocked))
    try:
        sent_second.set()  # inputs are written before the batch starts
        ids = enqueue(store, ["first", "second"], engine="quick")
        sent_second.clear()
        quick = QuickEngine()

        class SignallingEngine:
            name = "quick"
            metered = False

            async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
                if quick.calls == 1:
                    sent_second.set()  # the second request goes out: storing may go on
                async for event in quick.run(plan):
                    yield event

        runner = QueueRunner(store, lambda name: SignallingEngine(), concurrency=1)
        # Holding the place until the first result is stored would wait forever (10 s here).
        status = await asyncio.wait_for(runner.run(until_empty=True), 30)
        await runner.aclose()
        assert status.done == 2
        assert [store.history.get(node_id).status for node_id in ids] == ["done", "done"]
        assert quick.calls == 2
    finally:
        store.close()


async def test_jobs_still_storing_results_are_bounded() -> None:
    release = threading.Event()
    blocked: list[Path] = []
    store = Store.open(writer=blocking_writer(release, blocked))
    try:
        release.set()
        ids = enqueue(store, [f"p{i}" for i in range(8)], engine="quick")
        release.clear()
        events: list[JobEvent] = []
        quick = QuickEngine()
        runner = QueueRunner(store, lambda name: quick, concurrency=2, on_event=events.append)
        task = asyncio.create_task(runner.run(until_empty=True))
        deadline = time.monotonic() + 10
        while len(blocked) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # room for a fourth job to start, were there no bound
        # Two places on the service plus one job finishing (concurrency // 2, at least 1).
        assert len(blocked) == 3
        assert quick.calls == 3
        assert [e.kind for e in events].count("started") == 3
        release.set()
        status = await asyncio.wait_for(task, 30)
        await runner.aclose()
        assert status.done == 8
        assert {store.history.get(node_id).status for node_id in ids} == {"done"}
    finally:
        store.close()
