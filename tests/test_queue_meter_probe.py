"""Runner defects found in review: credit holds left open (cancel, failing capture) and a
non-network failure while probing keeping the queue at one job at a time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from imgdesk.core.edit_types import EditParams, EditPlan, EngineEvent, Failed, Sending
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.pipeline import Result
from imgdesk.core.queue_runner import Backoff, QueueRunner
from imgdesk.core.store import NewJob, Node, Store
from restart_worker import QuickEngine, mask, photo


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open()
    yield opened
    opened.close()


def enqueue(store: Store, prompts: list[str]) -> list[str]:
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    return [
        store.jobs.enqueue(NewJob(image, mask_hash, EditParams(p, quality="low"), "quick")).node_id
        for p in prompts
    ]


class Meter:
    def __init__(self, *, capture_fails: bool = False) -> None:
        self.calls: list[tuple[str, str]] = []
        self.held = asyncio.Event()
        self._capture_fails = capture_fails

    async def hold(self, job: Node) -> None:
        self.calls.append(("hold", job.id))
        self.held.set()

    async def capture(self, job: Node, result: Result) -> None:
        self.calls.append(("capture", job.id))
        if self._capture_fails:
            raise ImgdeskError(ErrorKind.NETWORK, "The shop could not be reached.")

    async def release(self, job: Node) -> None:
        self.calls.append(("release", job.id))


async def test_cancelled_running_job_releases_its_hold(store: Store) -> None:
    (job,) = enqueue(store, ["slow"])
    meter = Meter()
    runner = QueueRunner(store, lambda name: QuickEngine(delay=3600), meter=meter)
    run = asyncio.create_task(runner.run(until_empty=True))
    await asyncio.wait_for(meter.held.wait(), 30)
    assert runner.cancel([job]) == [job]
    await asyncio.wait_for(run, 30)
    await runner.aclose()
    assert meter.calls == [("hold", job), ("release", job)]
    assert store.history.get(job).status == "cancelled"


async def test_closing_the_runner_releases_running_holds(store: Store) -> None:
    (job,) = enqueue(store, ["slow"])
    meter = Meter()
    runner = QueueRunner(store, lambda name: QuickEngine(delay=3600), meter=meter)
    run = asyncio.create_task(runner.run())
    await asyncio.wait_for(meter.held.wait(), 30)
    await runner.aclose()
    await asyncio.wait_for(run, 30)
    assert meter.calls == [("hold", job), ("release", job)]
    assert store.history.get(job).status == "queued"


async def test_failing_capture_releases_the_hold_and_keeps_the_result(store: Store) -> None:
    (job,) = enqueue(store, ["one"])
    meter = Meter(capture_fails=True)
    runner = QueueRunner(store, lambda name: QuickEngine(), meter=meter)
    await runner.run(until_empty=True)
    await runner.aclose()
    assert meter.calls == [("hold", job), ("capture", job), ("release", job)]
    node = store.history.get(job)
    assert node.status == "done"
    assert len(node.outputs) == 1


class ScriptedEngine(QuickEngine):
    """The prompt "flaky" fails: first the network is down, then the request is refused (not a
    network error). Other prompts work, slowly enough that jobs started together overlap.
    Records how many runs were in flight as each one started."""

    def __init__(self) -> None:
        super().__init__(delay=0.2)
        self.in_flight = 0
        self.starts: list[tuple[str, int]] = []

    async def run(self, plan: EditPlan) -> AsyncIterator[EngineEvent]:
        prompt = plan.params.prompt
        self.starts.append((prompt, self.in_flight))
        self.in_flight += 1
        try:
            if prompt == "flaky":
                kind = ErrorKind.NETWORK if len(self.starts) == 1 else ErrorKind.MODERATION
                yield Sending()
                yield Failed(ImgdeskError(kind, "It did not work."))
                return
            async for event in super().run(plan):
                yield event
        finally:
            self.in_flight -= 1


async def test_non_network_failure_while_probing_restores_full_concurrency(store: Store) -> None:
    flaky, *later = enqueue(store, ["flaky", "a", "b", "c"])
    with store.db.write() as conn:  # the others only become due after the flaky one's two tries
        conn.execute(
            "UPDATE jobs SET not_before = ? WHERE node_id != ?", (time.time() + 0.5, flaky)
        )
    engine = ScriptedEngine()
    runner = QueueRunner(
        store, lambda name: engine, concurrency=4, backoff=Backoff(first=0.01, cap=0.01)
    )
    await runner.run(until_empty=True)
    await runner.aclose()
    # Offline after the first try; the second try is the probe and goes alone. It was refused,
    # but the endpoint answered: the next three go out together, not one by one.
    assert engine.starts[:2] == [("flaky", 0), ("flaky", 0)]
    assert sorted(count for _, count in engine.starts[2:]) == [0, 1, 2]
    assert store.history.get(flaky).status == "failed"
    assert [store.history.get(i).status for i in later] == ["done"] * 3
