"""Fixtures for widget and model tests that need asyncio running inside Qt.

The app runs one event loop: qasync's `QEventLoop` drives asyncio from Qt's dispatcher. Tests get
the same arrangement: `qloop` installs a qasync loop as the *running* loop (as `qasync.run` does in
the app), so model code may call `asyncio.create_task` / `run_in_executor` from plain slots, and
any Qt event processing — `qtbot.waitSignal`, `qtbot.waitUntil`, `QTest` — also advances asyncio.
`arun(coro)` runs a coroutine to completion that way and returns its result (or raises).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

T = TypeVar("T")


# Generous: only a hung test waits this long; a passing one returns as soon as the task is done.
_TASK_TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_ui_thread() -> Iterator[None]:
    """Cyclic GC only on this thread, as the app does (see imgdesk/ui/gc_on_ui_thread.py).

    Otherwise a worker thread can trigger a collection that destroys QObjects off the UI thread,
    which crashes Qt later and at random.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop that counts as running for the whole test, closed cleanly afterwards.

    Not `already_running=True`: that loop's `stop()` calls `QApplication.exit()`, which makes
    every later nested `QEventLoop.exec()` (as in `qtbot.waitSignal`) return at once.
    """
    loop = qasync.QEventLoop(qapp)
    asyncio._set_running_loop(loop)
    try:
        yield loop
    finally:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        # Let cancelled tasks run their cleanup; Qt's dispatcher is what steps them.
        for _ in range(1000):
            if all(task.done() for task in pending):
                break
            qapp.processEvents()
        asyncio._set_running_loop(None)
        loop.close()


@pytest.fixture
def arun(qloop: qasync.QEventLoop, qtbot: QtBot) -> Callable[[Awaitable[T]], T]:
    """Run a coroutine (or wait for a task) on the test's loop, processing Qt events meanwhile."""

    def run(awaitable: Awaitable[T]) -> T:
        future: asyncio.Future[T] = asyncio.ensure_future(awaitable, loop=qloop)
        qtbot.waitUntil(future.done, timeout=_TASK_TIMEOUT_MS)
        return future.result()

    return run
