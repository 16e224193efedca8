"""Credits around queued edits: the queue's `JobMeter` on top of an account's hold/capture/release.

A job on a metered engine holds its price before anything is sent (not enough credits raises
QUOTA with a "Buy tokens" action, which pauses the queue with nothing sent), captures what it
actually cost after success (the ledger never charges more than the hold) and releases the hold
after any failure or cancel. Jobs on free engines, or when no shop is configured, pass through.

Each attempt holds under its own reference (`<job id>#<attempt>`): a released hold cannot be taken
again under the same reference, and a job re-queued after going offline is a new attempt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from typing import Protocol

from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.metering import (
    MeteringConfig,
    cost_credits,
    is_metered,
    planned_request_size,
    price_credits,
)
from imgdesk.core.pipeline import Result
from imgdesk.core.queue_runner import params_of
from imgdesk.core.store import Node, Store

log = logging.getLogger("imgdesk.credits")


class Credits(Protocol):
    """What the meter needs from an account (`Account`, or the GUI's `AccountModel`)."""

    async def hold(self, reference: str, credits: int) -> None: ...

    async def capture(self, reference: str, cost: int) -> int: ...

    async def release(self, reference: str) -> bool: ...

    async def settle_open_holds(self, keep: Collection[str] = ()) -> int: ...


def hold_reference(job: Node) -> str:
    return f"{job.id}#{job.attempts}"


def request_size(store: Store, job: Node) -> tuple[int, int] | None:
    """The size the planner will send for this job (blocking: it reads the mask)."""
    if job.mask is None:
        return None
    return planned_request_size(store.blobs.read_mask(job.mask), params_of(job))


def unpriced_error(params: EditParams) -> ImgdeskError:
    return ImgdeskError.make(
        ErrorKind.CONFIG,
        QT_TRANSLATE_NOOP(
            "errors",
            "imgdesk has no price for {model}, so it cannot be paid with credits. Choose another "
            "model.",
        ),
        field="model",
        model=params.model,
    )


class AccountMeter:
    """`JobMeter` for `QueueRunner`: credits from `account`, prices from the catalog."""

    def __init__(self, account: Credits, store: Store, config: MeteringConfig) -> None:
        self._account = account
        self._store = store
        self._config = config
        self._held: dict[str, int] = {}

    def metered(self, job: Node) -> bool:
        return is_metered(job.engine, self._config)

    async def price(self, job: Node) -> int:
        """Credits this job holds before it is sent."""
        size = await asyncio.to_thread(request_size, self._store, job)
        credits = price_credits(params_of(job), size, self._config)
        if credits is None:
            raise unpriced_error(params_of(job))
        return credits

    async def hold(self, job: Node) -> None:
        if not self.metered(job):
            return
        credits = await self.price(job)
        reference = hold_reference(job)
        await self._account.hold(reference, credits)
        self._held[reference] = credits

    async def capture(self, job: Node, result: Result) -> None:
        if not self.metered(job):
            return
        reference = hold_reference(job)
        held = self._held.pop(reference, 0)
        cost = cost_credits(
            params_of(job),
            result.usage,
            len(result.variants),
            result.plan.request_size,
            self._config,
        )
        # No price for what came back: charge the estimate that was held, nothing more.
        await self._account.capture(reference, held if cost is None else cost)

    async def release(self, job: Node) -> None:
        if not self.metered(job):
            return
        reference = hold_reference(job)
        self._held.pop(reference, None)
        await self._account.release(reference)


async def recover_jobs_and_holds(store: Store, account: Credits | None) -> None:
    """After a start: re-queue jobs a dead process left running and give back their holds.

    Jobs still running after recovery belong to another live imgdesk (a window, a batch), so their
    holds are kept.
    """
    await asyncio.to_thread(store.jobs.recover)
    if account is None:
        return
    jobs = await asyncio.to_thread(store.jobs.queued)
    keep = [hold_reference(job) for job in jobs if job.status == "running"]
    try:
        await account.settle_open_holds(keep)
    except ImgdeskError as error:
        log.warning("could not settle open holds: %s", error.message)
