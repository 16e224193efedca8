"""Offline to online: the endpoint disappears mid-batch and comes back on the same port."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.errors import ErrorKind
from imgdesk.core.queue_runner import Backoff, QueueRunner, QueueStatus, RunnerState, tcp_probe
from imgdesk.core.store import NewJob, Store
from restart_worker import mask, photo

pytest_plugins = ("fakes.openai_fixtures",)


class Cable:
    """A TCP forwarder on a fixed loopback port in front of the fake server: unplugging it
    refuses new connections and cuts open ones, like a network that went away."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _call(self, coro_fn: Callable[[], object]) -> None:
        asyncio.run_coroutine_threadsafe(coro_fn(), self._loop).result(10)  # type: ignore[arg-type]

    def plug(self) -> None:
        async def start() -> None:
            self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

        self._call(start)

    def unplug(self) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
                await self._server.wait_closed()
                self._server = None
            for writer in list(self._open):
                writer.transport.abort()

        self._call(stop)

    def close(self) -> None:
        self.unplug()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._open.update((writer, up_writer))

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self._open.difference_update((writer, up_writer))


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
