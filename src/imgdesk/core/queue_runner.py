"""The runner that sends queued edits and records their results in the history.

One asyncio task per running job, at most `concurrency` of them waiting on the service at once: a
job whose answer has arrived gives its place to the next one while it composites and stores its
result, so the service is kept busy. A few more jobs are claimed and planned ahead and wait at the
door (`_send_slot`): when a place frees, the next request leaves at once instead of after a claim,
a decode and a plan, each a trip through worker threads that are busy compositing.

Jobs of a batch share their decoded inputs and their encoded request (`InputCache`,
`planner.PlanCache`). What happens on failure is decided by the error's kind, never its text:

- NETWORK / TIMEOUT: the job goes back to the queue and the runner goes *offline*. It waits with
  exponential backoff (1 s doubling, capped at 60 s), asks the optional `probe` (a TCP connect to
  the endpoint: free, and it does not spend a request), and when the probe answers it sends one
  job at a time until one succeeds; then it runs at full concurrency again. Without a probe the
  next job itself is the probe.
- RATE_LIMIT: the job is re-queued and nothing is sent until `retry_after` has passed.
- QUOTA / AUTH: the job is re-queued and the queue *pauses* with the error's sentence; only
  `resume()` (after buying tokens or fixing the key) starts it again. No retries are burned.
- SERVER: re-queued with backoff until `max_attempts`, then failed.
- STORAGE (e.g. disk full while saving a result): the job fails (it can be retried) and the queue
  pauses, since every following result would fail the same way.
- anything else (moderation, invalid request, bad mask): the job fails with its error.

A job is recorded exactly once: results are written as blobs first, then `Jobs.complete` records
them only if the job is still running for this runner. Cancelling or closing the runner puts
running jobs back in the queue (closing) or leaves them cancelled (cancel).

Credits: an optional `meter` is called around each job — `hold` before it is sent (it may raise
QUOTA, which pauses the queue), `capture` after success, `release` after any failure, a cancel
or a failing `capture`, so a hold never stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Collection, Sequence

from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import (
    EditPlan,
    EngineEvent,
    MaskArray,
    Reference,
    RGBAArray,
)
from imgdesk.core.engines.base import Engine
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.pipeline import Failure, Preview, Result, Stage, internal_error, run_edit
from imgdesk.core.planner import PlanCache

# The runner's vocabulary lives in queue_types; importers keep finding it here too.
from imgdesk.core.queue_types import (
    DEFAULT_BACKOFF,
    Backoff,
    JobEvent,
    JobMeter,
    Probe,
    QueueStatus,
    RunnerState,
    params_of,
    tcp_probe,
)
from imgdesk.core.store import Node, Store
from imgdesk.core.store.input_cache import InputCache, input_key
from imgdesk.core.store.jobs import LEASE_SECONDS, new_owner

__all__ = [
    "Backoff",
    "JobEvent",
    "JobMeter",
    "Probe",
    "QueueRunner",
    "QueueStatus",
    "RunnerState",
    "params_of",
    "tcp_probe",
]

log = logging.getLogger("imgdesk.queue")

# Statuses that differ only in their counts are published at most this often: each one costs a
# database query on the event loop (the UI's), and a batch finishes several jobs a second.
STATUS_INTERVAL_S = 0.1


def _log_release_failure(node_id: str, release: asyncio.Future[None]) -> None:
    if not release.cancelled() and release.exception() is not None:
        log.error(
            "releasing the credit hold of job %s failed", node_id, exc_info=release.exception()
        )


class _NotSent(BaseException):
    """A job planned ahead found the runner paused, offline or stopped at the door: it goes back
    to the queue unsent. A BaseException so the pipeline passes it on instead of reporting it as
    the edit's failure."""


class _GatedEngine:
    """`engine`, but each request first waits for a sending place (`gate`)."""

    def __init__(self, engine: Engine, gate: Callable[[], Awaitable[None]]) -> None:
        self.name = engine.name
        self.metered = engine.metered
        self._engine = engine
        self._gate = gate

    async def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        await self._gate()
        async with contextlib.aclosing(self._engine.run(plan)) as events:
            async for event in events:
                yield event


class QueueRunner:
    def __init__(
        self,
        store: Store,
        engine_for: Callable[[str], Engine],
        *,
        concurrency: int = 4,
        scope: Collection[str] | None = None,
        probe: Probe | None = None,
        meter: JobMeter | None = None,
        backoff: Backoff = DEFAULT_BACKOFF,
        max_attempts: int = 3,
        on_status: Callable[[QueueStatus], None] | None = None,
        on_event: Callable[[JobEvent], None] | None = None,
    ) -> None:
        self.store = store
        self.owner = new_owner()
        self._engine_for = engine_for
        self._engines: dict[str, asyncio.Future[Engine]] = {}
        self._retired: list[asyncio.Future[Engine]] = []
        self.concurrency = max(1, concurrency)
        self.scope = None if scope is None else frozenset(scope)
        self._probe = probe
        self._meter = meter
        self._backoff = backoff
        self._max_attempts = max_attempts
        self._on_status = on_status
        self._on_event = on_event
        self._active: dict[str, asyncio.Task[None]] = {}
        self._in_flight: set[str] = set()  # active jobs whose answer has not arrived yet
        self._sending: set[str] = set()  # those of them past the door: sent or being sent
        self._door = asyncio.Event()  # set (and replaced) when waiters at the door may go
        # Events of jobs planned ahead, told once they pass the door ("started" first): to a
        # watcher a job starts when its request does.
        self._untold: dict[str, list[JobEvent]] = {}
        self._inputs = InputCache(store)
        self._plans = PlanCache()
        self._wake = asyncio.Event()
        self._pause_error: ImgdeskError | None = None
        self._offline_error: ImgdeskError | None = None
        self._offline_failures = 0
        self._probing = False  # after being offline: one job at a time until one succeeds
        self._retry_at = 0.0
        self._stopped = False
        self.status = QueueStatus(RunnerState.IDLE, 0, 0, 0, 0, "")
        self._published: tuple[object, ...] | None = None  # `_status_key` of the last status
        self._publish_later: asyncio.TimerHandle | None = None

    # --- control -------------------------------------------------------------------------------

    def wake(self) -> None:
        """New work, or "try now": ends any backoff wait early."""
        self._retry_at = 0.0
        self._wake.set()
        self._open_door()

    def pause(self, error: ImgdeskError) -> None:
        self._pause_error = error
        self._publish()
        self._wake.set()
        self._open_door()

    def resume(self) -> None:
        self._pause_error = None
        self.wake()

    @property
    def paused(self) -> ImgdeskError | None:
        return self._pause_error

    def cancel(self, node_ids: Collection[str]) -> list[str]:
        cancelled = self.store.jobs.cancel(list(node_ids))
        for node_id in cancelled:
            self._untold.pop(node_id, None)  # never started, as far as anyone was told
            task = self._active.get(node_id)
            if task is not None:
                task.cancel()
            self._emit(JobEvent(node_id, "cancelled"))
        self._publish()
        return cancelled

    async def aclose(self) -> None:
        """Stop: running jobs go back to the queue; engines are closed."""
        self._stopped = True
        self._wake.set()
        self._open_door()
        tasks = list(self._active.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._forget_inputs()
        if self._publish_later is not None:  # nobody is listening any more
            self._publish_later.cancel()
            self._publish_later = None
        engines, self._retired = [*self._retired, *self._engines.values()], []
        self._engines.clear()
        for future in engines:
            if not future.done() or future.cancelled() or future.exception() is not None:
                future.cancel()
                continue
            close = getattr(future.result(), "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()

    def refresh_engines(self) -> None:
        """Build engines afresh for the next jobs (the key, endpoint or timeouts changed).

        Jobs already running keep the engine they have; the old ones are closed by `aclose`.
        """
        self._retired.extend(self._engines.values())
        self._engines.clear()

    # --- the loop ------------------------------------------------------------------------------

    async def run(self, *, until_empty: bool = False) -> QueueStatus:
        """Work the queue. With `until_empty`, return once nothing in scope is queued or running
        (or the queue paused); otherwise run until cancelled or `aclose()`."""
        await asyncio.to_thread(self.store.jobs.recover)
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            while not self._stopped:
                if self._pause_error is not None:
                    if self._active:  # jobs planned ahead go back to the queue meanwhile
                        await self._wait_active()
                        continue
                    if until_empty:
                        break
                    await self._wait(None)
                    continue
                if self._offline_error is not None:
                    await self._offline_step()
                    continue
                delay = self._retry_at - time.time()
                if delay > 0 and not self._active:
                    self._publish()
                    await self._wait(delay)
                    continue
                if delay <= 0:
                    await self._fill()
                self._publish()
                if self._active:
                    await self._wait_active()
                    continue
                self._forget_inputs()  # nothing running: a large photo's pixels need not stay
                if until_empty and self.store.jobs.counts(scope=self.scope)["queued"] == 0:
                    break
                wake_at = self.store.jobs.next_wake(scope=self.scope)
                await self._wait(None if wake_at is None else max(0.05, wake_at - time.time()))
        finally:
            heartbeat.cancel()
            if self._active:
                tasks = list(self._active.values())
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        self._publish_now()
        return self.status

    async def _fill(self) -> None:
        while self._has_room() and self._pause_error is None and not self._stopped:
            job = await asyncio.to_thread(self.store.jobs.claim, self.owner, scope=self.scope)
            if job is None:
                return
            self._in_flight.add(job.id)
            self._active[job.id] = asyncio.create_task(self._run_job(job), name=f"job-{job.id}")

    def _has_room(self) -> bool:
        if self._probing:  # one job from start to end, to learn whether the service is back
            return not self._active
        # Planned ahead, waiting at the door: enough to refill every place when a wave of
        # answers arrives at once (equal latencies keep the jobs in step). A batch's jobs share
        # their inputs and request, so each one waiting holds little of its own.
        ahead = self.concurrency
        # Jobs still compositing and storing hold a full-size document each: bound them too.
        finishing = max(1, self.concurrency // 2)
        return (
            len(self._in_flight) < self.concurrency + ahead
            and len(self._active) < self.concurrency + ahead + finishing
        )

    def _answered(self, node_id: str) -> None:
        """The job no longer waits on the service: its place goes to the next job."""
        if node_id in self._in_flight:
            self._in_flight.discard(node_id)
            self._wake.set()
        if node_id in self._sending:
            self._sending.discard(node_id)
            self._open_door()

    def _may_send(self) -> bool:
        if len(self._sending) >= self.concurrency:
            return False
        # Every job sent will hold a full-size document once answered: with those still
        # compositing and storing, no more than `concurrency + concurrency // 2` at once.
        finishing = len(self._active) - len(self._in_flight)
        return len(self._sending) + finishing < self.concurrency + max(1, self.concurrency // 2)

    def _open_door(self) -> None:
        """Waiters at the door look again (a place freed, or the runner's state changed)."""
        self._door.set()
        self._door = asyncio.Event()

    async def _send_slot(self, node_id: str) -> None:
        """Wait for a sending place for a planned job; `_NotSent` if it must not be sent now.

        Nothing leaves while the runner is paused, offline or stopped, nor before a rate limit's
        `retry_after` has passed.
        """
        while True:
            if self._stopped or self._pause_error is not None or self._offline_error is not None:
                raise _NotSent
            delay = self._retry_at - time.time()
            if delay <= 0 and self._may_send():
                self._sending.add(node_id)
                self._tell(node_id)
                self._publish()  # e.g. no longer waiting out a rate limit
                return
            door = self._door
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(door.wait(), delay if delay > 0 else None)

    def _forget_inputs(self) -> None:
        self._inputs.clear()
        self._plans.clear()

    async def _offline_step(self) -> None:
        if self._active:
            await self._wait_active()
            return
        delay = self._backoff.delay(self._offline_failures)
        self._retry_at = time.time() + delay
        self._publish()
        woken = await self._wait(delay)
        if self._stopped or self._pause_error is not None:
            return
        if woken or self._probe is None or await self._probe():
            # Back online as far as we can tell; the next job confirms it.
            self._offline_error = None
            self._probing = True
            self._retry_at = 0.0
        else:
            self._offline_failures += 1

    async def _wait(self, timeout: float | None) -> bool:
        """Sleep until woken or `timeout`; True when woken."""
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
            woken = True
        except TimeoutError:
            woken = False
        self._wake.clear()
        return woken

    async def _wait_active(self) -> None:
        waker = asyncio.create_task(self._wake.wait())
        try:
            await asyncio.wait({*self._active.values(), waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waker.cancel()
        self._wake.clear()

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            if self._active:
                await asyncio.to_thread(self.store.jobs.heartbeat, self.owner)

    # --- one job -------------------------------------------------------------------------------

    async def _engine(self, name: str) -> Engine:
        # Built in a worker thread: the first one may import the client library and read the
        # keyring, which would stall the UI's event loop. One build per name, shared.
        future = self._engines.get(name)
        if future is None or (
            future.done() and (future.cancelled() or future.exception() is not None)
        ):
            future = asyncio.ensure_future(asyncio.to_thread(self._engine_for, name))
            self._engines[name] = future
        return await asyncio.shield(future)

    async def _run_job(self, job: Node) -> None:
        held = False
        written: list[str] = []  # results stored but not recorded: given up on any failure
        self._untold[job.id] = [JobEvent(job.id, "started")]
        try:
            try:
                inputs = await asyncio.to_thread(self._inputs.load, job)
                if self._meter is not None:
                    await self._meter.hold(job)
                    held = True
                result = await self._edit(
                    job, inputs.image, inputs.mask, inputs.references, inputs.icc_profile
                )
                for variant in result.variants:
                    # Results are in the input's colour space: they carry its profile too.
                    written.append(
                        await asyncio.to_thread(
                            self.store.put_result, variant, job.id, icc_profile=inputs.icc_profile
                        )
                    )
                cost = result.cost
                recorded = await asyncio.to_thread(
                    self.store.complete_job,
                    job.id,
                    self.owner,
                    written,
                    usage=result.usage,
                    cost_usd=cost.usd if cost else None,
                    cost_exact=cost.exact if cost else None,
                    notice=result.notice,
                )
            except _NotSent:
                # Planned ahead but never sent: back to the queue as it was, no attempt spent.
                self._untold.pop(job.id, None)
                if held:
                    held = False
                    await self._release(job)
                await asyncio.to_thread(self.store.jobs.requeue, job.id, self.owner, sent=False)
                self._emit(JobEvent(job.id, "requeued"))
                return
            except ImgdeskError as error:
                # Whatever happened, this job was the probe: back to full concurrency (a network
                # error makes the runner offline again, which starts a new probe).
                self._tell(job.id)  # e.g. a refused mask: it started, then failed
                self._probing = False
                if held:
                    held = False
                    await self._release(job)
                await self._discard(job, written)
                self._handle_error(job, error)
                return
            except Exception as error:  # a defect: record it on the job, keep the queue going
                log.exception("job %s failed unexpectedly", job.id)
                self._tell(job.id)
                self._probing = False
                if held:
                    held = False
                    await self._release(job)
                await self._discard(job, written)
                self._handle_error(job, internal_error(error))
                return
            self._probing = False
            if not recorded:  # cancelled while running: the results are not wanted
                if held:
                    held = False
                    await self._release(job)
                await self._discard(job, written)
                return
            written = []  # recorded: nothing to give up any more
            if held and self._meter is not None:
                try:
                    await self._meter.capture(job, result)
                    held = False
                except Exception:
                    # The result is in the history either way; an open hold would block credits.
                    log.exception("charging job %s failed; its credit hold is released", job.id)
                    held = False
                    await self._release(job)
            self._offline_failures = 0
            self._emit(JobEvent(job.id, "done", result=result))
        except asyncio.CancelledError:
            # Closing (or the user cancelled): the job goes back unless it was cancelled.
            self._tell(job.id)
            sent = job.id in self._sending or job.id not in self._in_flight
            self.store.jobs.requeue(job.id, self.owner, sent=sent)
            if written:
                self.store.discard_blobs(written, job.id)
            if held:
                with contextlib.suppress(asyncio.CancelledError):
                    await self._release(job)
            raise
        finally:
            self._untold.pop(job.id, None)
            self._active.pop(job.id, None)
            self._in_flight.discard(job.id)
            self._sending.discard(job.id)
            self._open_door()  # a place to send from, or room for one more document
            self._publish()

    async def _discard(self, job: Node, written: list[str]) -> None:
        if written:
            hashes = list(written)
            written.clear()  # a cancel arriving meanwhile must not discard them again
            await asyncio.to_thread(self.store.discard_blobs, hashes, job.id)

    async def _release(self, job: Node) -> None:
        """Give a job's credit hold back. Shielded: a cancel arriving meanwhile (the runner
        closing) is passed on, but the release itself still runs to its end."""
        if self._meter is None:
            return
        release = asyncio.ensure_future(self._meter.release(job))
        release.add_done_callback(functools.partial(_log_release_failure, job.id))
        with contextlib.suppress(Exception):  # logged by the callback; the queue goes on
            await asyncio.shield(release)

    async def _edit(
        self,
        job: Node,
        image: RGBAArray,
        mask: MaskArray,
        references: Sequence[Reference],
        icc_profile: bytes | None = None,
    ) -> Result:
        engine = _GatedEngine(
            await self._engine(job.engine), functools.partial(self._send_slot, job.id)
        )
        profile = ColorProfile.of(icc_profile)  # crop sent as sRGB, variants back in `profile`
        # No local name for the generator: when an event raises, it must be dropped (and so
        # finalized, closing the engine's request) at once, not kept alive by the traceback.
        async for event in run_edit(
            image,
            mask,
            params_of(job),
            engine,
            references=references,
            profile=profile,
            plan_with=self._plans.planner(input_key(job), first_variant=job.variant or 0),
        ):
            if isinstance(event, Stage):
                if event.name == "compositing":  # the answer is here; the rest is local work
                    self._answered(job.id)
                self._job_event(JobEvent(job.id, "stage", event.text, stage=event.name))
            elif isinstance(event, Preview):
                self._emit(JobEvent(job.id, "preview", index=event.index, pixels=event.pixels))
            elif isinstance(event, Failure):
                raise event.error
            elif isinstance(event, Result):
                return event
        raise internal_error(RuntimeError("the edit ended without a result"))

    def _handle_error(self, job: Node, error: ImgdeskError) -> None:
        # On the loop thread: it changes the runner's state and sets its asyncio.Event.
        jobs = self.store.jobs
        kind = error.kind
        if kind in (ErrorKind.NETWORK, ErrorKind.TIMEOUT):
            jobs.requeue(job.id, self.owner, error=error)
            if self._offline_error is None:
                self._offline_failures = max(1, self._offline_failures)
            else:
                self._offline_failures += 1
            self._offline_error = error
            self._emit(JobEvent(job.id, "requeued", error.message, error))
        elif kind is ErrorKind.RATE_LIMIT:
            delay = error.retry_after or self._backoff.delay(job.attempts)
            jobs.requeue(job.id, self.owner, error=error, delay=delay)
            self._retry_at = max(self._retry_at, time.time() + delay)
            self._emit(JobEvent(job.id, "requeued", error.message, error))
        elif kind in (ErrorKind.QUOTA, ErrorKind.AUTH):
            jobs.requeue(job.id, self.owner, error=error)
            self._pause_error = error
            self._emit(JobEvent(job.id, "requeued", error.message, error))
        elif kind is ErrorKind.SERVER and job.attempts < self._max_attempts:
            jobs.requeue(job.id, self.owner, error=error, delay=self._backoff.delay(job.attempts))
            self._emit(JobEvent(job.id, "requeued", error.message, error))
        elif kind is ErrorKind.CANCELLED:
            jobs.cancel([job.id])
            self._emit(JobEvent(job.id, "cancelled"))
        else:
            jobs.fail(job.id, self.owner, error)
            if kind is ErrorKind.STORAGE:
                self._pause_error = error
            self._emit(JobEvent(job.id, "failed", error.message, error))
        self._wake.set()

    # --- reporting -----------------------------------------------------------------------------

    def _job_event(self, event: JobEvent) -> None:
        """`_emit`, or held back while the job waits at the door."""
        untold = self._untold.get(event.node_id)
        if untold is None:
            self._emit(event)
        else:
            untold.append(event)

    def _tell(self, node_id: str) -> None:
        for event in self._untold.pop(node_id, ()):
            self._emit(event)

    def _emit(self, event: JobEvent) -> None:
        if self._on_event is not None:
            self._on_event(event)

    def _rate_limited(self) -> bool:
        """Waiting out a rate limit: nothing sent, and nothing left to finish meanwhile (jobs
        planned ahead may wait at the door)."""
        finishing = len(self._active) - len(self._in_flight)
        return self._retry_at > time.time() and not self._sending and not finishing

    def _status_key(self) -> tuple[object, ...]:
        """What decides the status apart from the counts."""
        waiting = self._rate_limited()
        return (
            self._stopped,
            self._pause_error,
            self._offline_error,
            self._retry_at if self._offline_error is not None or waiting else None,
            bool(self._active),
        )

    def _publish(self) -> None:
        """Publish the status: at once when more than the counts may have changed, else at most
        once per `STATUS_INTERVAL_S` (the last one always shows the counts as they are then)."""
        if self._status_key() != self._published:
            self._publish_now()
            return
        if self._publish_later is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the loop (a synchronous `cancel`): nothing to defer
            self._publish_now()
            return
        self._publish_later = loop.call_later(STATUS_INTERVAL_S, self._publish_now)

    def _publish_now(self) -> None:
        if self._publish_later is not None:
            self._publish_later.cancel()
            self._publish_later = None
        self._published = self._status_key()
        counts = self.store.jobs.counts(scope=self.scope)
        # Jobs planned ahead and waiting at the door are claimed in the store, but to the user
        # they are still queued: "running" never counts more than are sent or finishing.
        waiting = len(self._in_flight - self._sending)
        queued = counts["queued"] + waiting
        running = max(0, counts["running"] - waiting)
        error: ImgdeskError | None = None
        retry_at: float | None = None
        if self._stopped:
            state, message = RunnerState.STOPPED, "Queue stopped"
        elif self._pause_error is not None:
            state, error = RunnerState.PAUSED, self._pause_error
            message = f"Queue paused: {error.message}"
        elif self._offline_error is not None:
            state, error, retry_at = RunnerState.OFFLINE, self._offline_error, self._retry_at
            message = f"offline: {queued} queued"
        elif self._rate_limited():
            state, retry_at = RunnerState.WAITING, self._retry_at
            message = f"Rate limited; waiting ({queued} queued)"
        elif queued or running:
            state, message = RunnerState.RUNNING, f"{running} running, {queued} queued"
        else:
            state, message = RunnerState.IDLE, "Queue empty"
        status = QueueStatus(
            state, queued, running, counts["done"], counts["failed"], message, error, retry_at
        )
        if status != self.status:
            self.status = status
            if self._on_status is not None:
                self._on_status(status)
