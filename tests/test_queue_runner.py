"""The outbox runner: results recorded once, errors handled by kind, disk full, cancel."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.errors import ErrorKind
from imgdesk.core.queue_runner import Backoff, JobEvent, QueueRunner, QueueStatus, RunnerState
from imgdesk.core.store import NewJob, Store
from restart_worker import QuickEngine, mask, photo

pytest_plugins = ("fakes.openai_fixtures",)


def enqueue(store: Store, prompts: list[str], engine: str = "local") -> list[str]:
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    return [
        store.jobs.enqueue(NewJob(image, mask_hash, EditParams(p, quality="low"), engine)).node_id
        for p in prompts
    ]


class Recorder:
    def __init__(self) -> None:
        self.statuses: list[QueueStatus] = []
        self.events: list[JobEvent] = []


def quick_runner(store: Store, recorder: Recorder | None = None, **kwargs: object) -> QueueRunner:
    recorder = recorder or Recorder()
    return QueueRunner(
        store,
        lambda name: QuickEngine(),
        on_status=recorder.statuses.append,
        on_event=recorder.events.append,
        **kwargs,
    )


@pytest.fixture
def store() -> Store:
    opened = Store.open()
    yield opened
    opened.close()


async def test_jobs_run_once_and_keep_pixels_outside_the_mask(store: Store) -> None:
    ids = enqueue(store, ["one", "two", "three"], engine="quick")
    recorder = Recorder()
    runner = quick_runner(store, recorder, concurrency=2)
    status = await runner.run(until_empty=True)
    await runner.aclose()

    assert status.state is RunnerState.IDLE
    assert status.done == 3
    original, area = photo(), mask() > 0
    # Compositing feathers the mask edge; well away from it every pixel is the original's.
    outside = np.ones_like(area)
    outside[4:36, 14:50] = False
    for node_id in ids:
        node = store.history.get(node_id)
        assert node.status == "done"
        assert node.attempts == 1
        assert len(node.outputs) == 1
        result = store.blobs.read_image(node.outputs[0])
        assert np.array_equal(result[outside], original[outside])
        assert not np.array_equal(result[area], original[area])
    assert [e.kind for e in recorder.events].count("done") == 3
    assert any(s.state is RunnerState.RUNNING for s in recorder.statuses)


async def test_disk_full_while_saving_fails_the_job_keeps_history_and_can_retry() -> None:
    full = {"on": False}

    def writer(path: Path, data: bytes) -> None:
        if full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        atomic_write_bytes(path, data)

    store = Store.open(writer=writer)
    try:
        first = enqueue(store, ["earlier"], engine="quick")[0]
        runner = quick_runner(store)
        await runner.run(until_empty=True)
        earlier = store.history.get(first)
        assert earlier.status == "done"

        second = enqueue(store, ["later"], engine="quick")[0]
        blobs_before = set(store.blobs.names())
        full["on"] = True
        status = await runner.run(until_empty=True)

        assert status.state is RunnerState.PAUSED
        assert status.error is not None
        assert status.error.kind is ErrorKind.STORAGE
        assert "disk is full" in status.error.message
        failed = store.history.get(second)
        assert failed.status == "failed"
        assert failed.error_kind is ErrorKind.STORAGE
        assert failed.outputs == ()
        assert set(store.blobs.names()) == blobs_before  # nothing half-written left behind
        assert store.history.get(first) == earlier
        assert np.array_equal(store.blobs.read_image(earlier.outputs[0]).shape, (48, 64, 4))
        assert store.db.integrity_ok()

        full["on"] = False
        assert store.jobs.retry([second]) == [second]
        runner.resume()
        status = await runner.run(until_empty=True)
        await runner.aclose()
        assert store.history.get(second).status == "done"
        assert store.history.get(second).attempts == 2
    finally:
        store.close()


async def test_cancelled_job_is_never_sent(store: Store) -> None:
    ids = enqueue(store, ["keep", "drop"], engine="quick")
    runner = quick_runner(store, concurrency=1)
    assert runner.cancel([ids[1]]) == [ids[1]]
    await runner.run(until_empty=True)
    await runner.aclose()
    assert store.history.get(ids[0]).status == "done"
    dropped = store.history.get(ids[1])
    assert dropped.status == "cancelled"
    assert dropped.attempts == 0
    assert dropped.outputs == ()


# --- against the fake OpenAI server ----------------------------------------------------------


def openai_runner(
    store: Store, server: FakeOpenAIServer, recorder: Recorder, **kwargs: object
) -> QueueRunner:
    def engine_for(name: str) -> Engine:
        assert name == "openai"
        return OpenAIEngine(api_key="sk-test", base_url=server.base_url, timeout=10, max_retries=0)

    return QueueRunner(
        store,
        engine_for,
        on_status=recorder.statuses.append,
        on_event=recorder.events.append,
        backoff=Backoff(first=0.05, cap=0.2),
        **kwargs,
    )


async def test_quota_pauses_the_queue_without_burning_retries(
    store: Store, openai_server: FakeOpenAIServer
) -> None:
    ids = enqueue(store, ["a", "b", "c"], engine="openai")
    openai_server.inject("quota", count=10)
    recorder = Recorder()
    runner = openai_runner(store, openai_server, recorder, concurrency=1)
    status = await runner.run(until_empty=True)

    assert status.state is RunnerState.PAUSED
    assert status.error is not None
    assert status.error.kind is ErrorKind.QUOTA
    assert status.message.startswith("Queue paused: ")
    assert len(openai_server.requests) == 1  # one request, then it stopped
    assert [store.history.get(i).status for i in ids] == ["queued"] * 3

    openai_server.reset()
    runner.resume()
    status = await runner.run(until_empty=True)
    await runner.aclose()
    assert status.done == 3
    assert len(openai_server.requests) == 3
    assert store.history.get(ids[0]).attempts == 2  # the refused try stays visible


async def test_bad_key_pauses_the_queue(store: Store, openai_server: FakeOpenAIServer) -> None:
    ids = enqueue(store, ["a", "b"], engine="openai")
    openai_server.inject("auth", count=10)
    runner = openai_runner(store, openai_server, Recorder(), concurrency=1)
    status = await runner.run(until_empty=True)
    await runner.aclose()
    assert status.state is RunnerState.PAUSED
    assert status.error is not None
    assert status.error.kind is ErrorKind.AUTH
    assert len(openai_server.requests) == 1
    assert {store.history.get(i).status for i in ids} == {"queued"}


async def test_rate_limit_waits_then_finishes(
    store: Store, openai_server: FakeOpenAIServer
) -> None:
    ids = enqueue(store, ["a"], engine="openai")
    openai_server.inject("rate_limit", count=1, retry_after_ms=300)
    recorder = Recorder()
    runner = openai_runner(store, openai_server, recorder, concurrency=1)
    status = await runner.run(until_empty=True)
    await runner.aclose()
    assert status.done == 1
    node = store.history.get(ids[0])
    assert node.status == "done"
    assert node.attempts == 2
    assert len(node.outputs) == 1
    assert any(s.state is RunnerState.WAITING for s in recorder.statuses)
    assert [e.error.kind for e in recorder.events if e.error] == [ErrorKind.RATE_LIMIT]


async def test_server_errors_retry_then_fail(store: Store, openai_server: FakeOpenAIServer) -> None:
    ids = enqueue(store, ["a"], engine="openai")
    openai_server.inject("server", count=10)
    runner = openai_runner(store, openai_server, Recorder(), concurrency=1, max_attempts=2)
    await runner.run(until_empty=True)
    await runner.aclose()
    node = store.history.get(ids[0])
    assert node.status == "failed"
    assert node.attempts == 2
    assert node.error_kind is ErrorKind.SERVER
    assert len(openai_server.requests) == 2


async def test_local_engine_end_to_end(store: Store) -> None:
    """One job through the real offline engine, as a user without a key would run it."""
    from imgdesk.core.engines.local_engine import LocalEngine

    ids = enqueue(store, ["remove the square"], engine="local")
    runner = QueueRunner(store, lambda name: LocalEngine())
    status = await runner.run(until_empty=True)
    await runner.aclose()
    node = store.history.get(ids[0])
    assert status.done == 1
    assert node.status == "done"
    assert node.engine == "local"
    assert node.notice is not None
    assert "ignores the prompt" in node.notice
    assert store.blobs.read_image(node.outputs[0]).shape == (48, 64, 4)
