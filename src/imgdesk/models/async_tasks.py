"""Asyncio tasks owned by a model: kept, cancelled on close, their failures turned into errors.

A model starts its long work (decode, save, network) through its `TaskOwner`. The owner keeps a
reference (asyncio only keeps weak ones), cancels and awaits everything on `close()`, and reports
what went wrong through one callback, normally the model's `error_raised.emit`: an ImgdeskError as
it is, anything else logged with its traceback and replaced by a generic sentence, the way Krita's
`_report_errors` does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

T = TypeVar("T")

_UNEXPECTED = QT_TRANSLATE_NOOP(
    "errors", "Something went wrong inside imgdesk; the details are in the log."
)


class TaskOwner:
    """The set of tasks one model has running."""

    def __init__(
        self,
        report: Callable[[ImgdeskError], None],
        *,
        fallback_kind: ErrorKind,
        logger: logging.Logger,
    ) -> None:
        self._report = report
        self._fallback_kind = fallback_kind  # kind given to errors that were not ImgdeskErrors
        self._log = logger
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def busy(self) -> bool:
        return any(not task.done() for task in self._tasks)

    def start(
        self, coro: Coroutine[Any, Any, T], *, name: str | None = None
    ) -> asyncio.Task[T | None]:
        """Run `coro` as an owned task. Its result is the coroutine's, or None when it failed
        (the failure has then been reported) — awaiting the task never raises except on cancel."""
        task = asyncio.get_running_loop().create_task(self.guard(coro), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def guard(self, awaitable: Awaitable[T]) -> T | None:
        """Await `awaitable` and report its failure instead of raising it."""
        try:
            return await awaitable
        except asyncio.CancelledError:
            raise
        except ImgdeskError as error:
            self._report(error)
        except Exception as error:
            self._log.exception("unexpected failure in a background task")
            self._report(ImgdeskError(self._fallback_kind, _UNEXPECTED, detail=repr(error)))
        return None

    def cancel_all(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def close(self) -> None:
        """Cancel every task and wait until each has finished its cleanup."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
