"""Jobs planned ahead wait at the door; statuses that only count are coalesced."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Iterator

import pytest

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.edit_types import Completed, EditPlan, EngineEvent
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.queue_runner import QueueRunner, RunnerState
from imgdesk.core.store import Store
from restart_worker import QuickEngine
from test_queue_runner import Recorder, enqueue, openai_runner, quick_runner

pytest_plugins = ("fakes.openai_fixtures",)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open()
    yield opened
    opened.close()


class HeldEngine(QuickEngine):
    """QuickEngine whose requests stay open until `release` is set; counts them."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.open = 0
        self.most_open = 0

    async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        answered = False
        try:
            await self.release.wait()
            async for event in super().run(plan):
                if isinstance(event, Completed):  # the answer is in: the request is over
                    answered = True
                    self.open -= 1
                yield event
        finally:
            if not answered:
                self.open -= 1


async def _until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def test_jobs_planned_ahead_wait_at_the_door(store: Store) -> None:
    ids = enqueue(store, [f"p{i}" for i in range(6)], engine="quick")
    engine = HeldEngine()
    recorder = Recorder()
    runner = QueueRunner(store, lambda name: engine, concurrency=2, on_event=recorder.events.append)
    task = asyncio.create_task(runner.run(until_empty=True))
    # Two requests open, two more jobs claimed and planned behind them.
    await _until(lambda: store.jobs.counts()["running"] == 4 and engine.open == 2)
    await asyncio.sleep(0.2)  # room for a third request, were there no door
    assert store.jobs.counts()["running"] == 4
    assert engine.open == 2
    # A watcher hears of a job when its request starts, not when it is planned.
    started = [e.node_id for e in recorder.events if e.kind == "started"]
    assert len(started) == 2
    assert all(e.node_id in started for e in recorder.events)
    # And the status tells the user two run and four wait, not four run.
    runner._publish_now()
    assert (runner.status.running, runner.status.queued) == (2, 4)

    engine.release.set()
    status = await asyncio.wait_for(task, 30)
    await runner.aclose()
    assert status.done == 6
    assert engine.most_open == 2
    assert {store.history.get(i).attempts for i in ids} == {1}
    kinds = [e.kind for e in recorder.events]
    assert kinds.count("started") == kinds.count("done") == 6


async def test_jobs_planned_ahead_go_back_unsent_when_the_queue_pauses(
    store: Store, openai_server: FakeOpenAIServer
) -> None:
    ids = enqueue(store, [f"p{i}" for i in range(5)], engine="openai")
    openai_server.inject("quota", count=10)
    recorder = Recorder()
    runner = openai_runner(store, openai_server, recorder, concurrency=2)
    status = await runner.run(until_empty=True)
    await runner.aclose()

    assert status.state is RunnerState.PAUSED
    assert status.error is not None
    assert status.error.kind is ErrorKind.QUOTA
    nodes = [store.history.get(i) for i in ids]
    assert {n.status for n in nodes} == {"queued"}
    sent = [n for n in nodes if n.attempts == 1]
    # Only the jobs whose request left count an attempt; the others were never sent.
    assert 1 <= len(sent) <= 2
    assert len(openai_server.requests) == len(sent)
    assert {n.attempts for n in nodes} <= {0, 1}
    started = {e.node_id for e in recorder.events if e.kind == "started"}
    assert started == {n.id for n in sent}
    requeued = {e.node_id for e in recorder.events if e.kind == "requeued"}
    assert {n.id for n in sent} < requeued  # and at least one planned ahead went back too
    assert status.queued == 5
    assert status.running == 0


async def test_coalesced_statuses_end_with_the_final_counts(store: Store) -> None:
    ids = enqueue(store, [f"p{i}" for i in range(12)], engine="quick")
    recorder = Recorder()
    runner = quick_runner(store, recorder, concurrency=4)
    status = await runner.run(until_empty=True)
    await runner.aclose()

    assert status.done == len(ids)
    last = recorder.statuses[-1]
    assert last == runner.status == status
    assert last.state is RunnerState.IDLE
    assert (last.queued, last.running, last.done, last.failed) == (0, 0, 12, 0)
    assert any(s.state is RunnerState.RUNNING for s in recorder.statuses)
    # Counts never go backwards, whichever statuses were merged.
    done = [s.done for s in recorder.statuses]
    assert done == sorted(done)


async def test_a_status_that_changes_state_is_not_delayed(store: Store) -> None:
    enqueue(store, ["a"], engine="quick")
    recorder = Recorder()
    runner = quick_runner(store, recorder, concurrency=1)
    task = asyncio.create_task(runner.run())
    await _until(lambda: runner.status.done == 1 and runner.status.state is RunnerState.IDLE)
    before = len(recorder.statuses)
    runner.pause(ImgdeskError(ErrorKind.QUOTA, "No credits left."))
    # Published by the call itself, not by a timer.
    assert len(recorder.statuses) == before + 1
    assert recorder.statuses[-1].state is RunnerState.PAUSED
    await runner.aclose()
    await asyncio.wait_for(task, 10)
