"""Offline to online: the endpoint disappears mid-batch and comes back on the same port."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest

from fakes.cable import Cable
from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.errors import ErrorKind
from imgdesk.core.queue_runner import Backoff, QueueRunner, QueueStatus, RunnerState, tcp_probe
from imgdesk.core.store import NewJob, Store
from restart_worker import mask, photo

pytest_plugins = ("fakes.openai_fixtures",)


@pytest.fixture
def cable(openai_server: FakeOpenAIServer) -> Iterator[Cable]:
    cable = Cable(openai_server.port)
    cable.plug()
    yield cable
    cable.close()


async def _until(predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def test_queue_goes_offline_and_drains_by_itself_when_back(
    openai_server: FakeOpenAIServer, cable: Cable
) -> None:
    store = Store.open()
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    ids = [
        store.jobs.enqueue(
            NewJob(image, mask_hash, EditParams(f"p{i}", quality="low"), "openai")
        ).node_id
        for i in range(6)
    ]
    statuses: list[QueueStatus] = []
    runner = QueueRunner(
        store,
        lambda name: OpenAIEngine(
            api_key="sk-test", base_url=cable.base_url, timeout=10, max_retries=0
        ),
        concurrency=2,
        probe=tcp_probe(cable.base_url, timeout=1),
        backoff=Backoff(first=0.05, cap=0.2),
        on_status=statuses.append,
    )
    # The first two requests hang in the "model" until the cable is pulled.
    openai_server.inject("slow", count=2, seconds=30)
    task = asyncio.create_task(runner.run(until_empty=True))
    try:
        await asyncio.to_thread(openai_server.wait_for, requests=2)
        cable.unplug()
        await _until(lambda: runner.status.state is RunnerState.OFFLINE)
        offline = runner.status
        assert offline.message == "offline: 6 queued"
        assert offline.error is not None
        assert offline.error.kind in (ErrorKind.NETWORK, ErrorKind.TIMEOUT)
        # While offline only the free TCP probe runs: no job is sent, none fails.
        await asyncio.sleep(0.5)
        assert len(openai_server.requests) == 2
        assert store.jobs.counts()["queued"] == 6
        assert store.jobs.counts()["failed"] == 0

        cable.plug()  # back on the same port; nobody tells the runner
        status = await asyncio.wait_for(task, 30)
    finally:
        task.cancel()
        await runner.aclose()

    assert status.state is RunnerState.IDLE
    assert status.done == 6
    nodes = [store.history.get(i) for i in ids]
    assert all(n.status == "done" and len(n.outputs) == 1 for n in nodes)
    assert sorted(n.attempts for n in nodes) == [1, 1, 1, 1, 2, 2]
    assert len(openai_server.requests) == 8
    states = [s.state for s in statuses]
    assert RunnerState.OFFLINE in states
    assert states.index(RunnerState.OFFLINE) < len(states) - 1 - states[::-1].index(
        RunnerState.RUNNING
    )
    store.close()
