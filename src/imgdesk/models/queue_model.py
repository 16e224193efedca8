"""The outbox for the GUI: the runner's state as signals, and the waiting jobs as a list model.

`QueueModel` owns the `QueueRunner` task (started by `start()`, cancelled and awaited by
`close()`), so the queue works in the background under qasync. The status line binds to
`status_changed` (e.g. "offline: 3 queued"); views bind to the rows (queued and running jobs in
order); the history model refreshes on `job_finished`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from imgdesk.core.engines.base import Engine
from imgdesk.core.errors import ErrorKind
from imgdesk.core.i18n import translate
from imgdesk.core.queue_runner import JobEvent, JobMeter, Probe, QueueRunner, QueueStatus
from imgdesk.core.store import NewJob, Node, Store
from imgdesk.models.async_tasks import TaskOwner

log = logging.getLogger("imgdesk.queue")

_Index: TypeAlias = QModelIndex | QPersistentModelIndex
NodeIdRole = Qt.ItemDataRole.UserRole + 1


class QueueModel(QAbstractListModel):
    status_changed = Signal(object)  # QueueStatus
    message_changed = Signal(str)
    job_event = Signal(object)  # JobEvent (started, stage, requeued...)
    job_finished = Signal(str)  # node id, once its result (or failure) is recorded
    error_raised = Signal(object)  # ImgdeskError from the runner task itself

    def __init__(
        self,
        store: Store,
        engine_for: Callable[[str], Engine],
        *,
        concurrency: int = 4,
        probe: Probe | None = None,
        meter: JobMeter | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._jobs: list[Node] = []
        self._tasks = TaskOwner(
            self.error_raised.emit, fallback_kind=ErrorKind.INTERNAL, logger=log
        )
        self.runner = QueueRunner(
            store,
            engine_for,
            concurrency=concurrency,
            probe=probe,
            meter=meter,
            on_status=self._on_status,
            on_event=self._on_event,
        )
        self.reload()

    @property
    def status(self) -> QueueStatus:
        return self.runner.status

    @property
    def store(self) -> Store:
        return self._store

    # --- lifetime ------------------------------------------------------------------------------

    def start(self) -> None:
        """Run the queue until `close()` (call once the event loop runs)."""
        if not self._tasks.busy:
            self._tasks.start(self.runner.run(), name="queue-runner")

    async def close(self) -> None:
        await self.runner.aclose()
        await self._tasks.close()

    # --- actions -------------------------------------------------------------------------------

    def enqueue(self, job: NewJob) -> str:
        node_id = self._store.jobs.enqueue(job).node_id
        self.reload()
        self.runner.wake()
        return node_id

    def cancel(self, node_ids: Sequence[str]) -> None:
        self.runner.cancel(node_ids)
        self.reload()

    def retry(self, node_ids: Sequence[str]) -> None:
        self._store.jobs.retry(list(node_ids))
        self.reload()
        self.runner.wake()

    def move(self, node_id: str, before: str | None) -> None:
        self._store.jobs.move(node_id, before)
        self.reload()

    def resume(self) -> None:
        """After buying tokens, fixing the key or freeing disk space."""
        self.runner.resume()

    def retry_now(self) -> None:
        """Skip the rest of an offline or rate-limit wait."""
        self.runner.wake()

    # --- runner callbacks (on the event loop's thread, i.e. Qt's under qasync) ------------------

    def _on_status(self, status: QueueStatus) -> None:
        self.reload()
        self.status_changed.emit(status)
        self.message_changed.emit(status.message)

    def _on_event(self, event: JobEvent) -> None:
        self.job_event.emit(event)
        if event.kind in ("done", "failed", "cancelled"):
            self.job_finished.emit(event.node_id)

    def reload(self) -> None:
        """Re-read the waiting jobs (after jobs were queued elsewhere, e.g. a batch)."""
        jobs = self._store.jobs.queued()
        if [(n.id, n.status) for n in jobs] == [(n.id, n.status) for n in self._jobs]:
            return
        self.beginResetModel()
        self._jobs = jobs
        self.endResetModel()

    # --- QAbstractListModel --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            state = (
                translate("QueueModel", "in progress")
                if job.status == "running"
                else translate("QueueModel", "waiting")
            )
            return f"{job.prompt} ({state})"
        if role == NodeIdRole:
            return job.id
        return None
