"""Credits around one edit that does not go through the queue (`imgdesk edit`).

Same rules as the queue's meter (job_meter.py): hold the price before anything is sent, capture
what the edit actually cost after success (the ledger never charges more than the hold), release
everything after a failure, a refusal or Ctrl+C.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from imgdesk.core.edit_types import EditParams, MaskArray
from imgdesk.core.job_meter import Credits, unpriced_error
from imgdesk.core.metering import (
    MeteringConfig,
    cost_credits,
    planned_request_size,
    price_credits,
)
from imgdesk.core.pipeline import Result


class EditCharge:
    def __init__(self, account: Credits, config: MeteringConfig, params: EditParams) -> None:
        self._account = account
        self._config = config
        self._params = params
        self.reference = f"edit-{uuid.uuid4().hex}"
        self.held = 0
        self.charged: int | None = None  # set once captured

    async def hold(self, mask: MaskArray) -> int:
        size = await asyncio.to_thread(planned_request_size, mask, self._params)
        credits = price_credits(self._params, size, self._config)
        if credits is None:
            raise unpriced_error(self._params)
        await self._account.hold(self.reference, credits)
        self.held = credits
        return credits

    def cost(self, result: Result) -> int:
        """What capturing `result` will charge: its actual cost, never more than the hold."""
        cost = cost_credits(
            self._params,
            result.usage,
            len(result.variants),
            result.plan.request_size,
            self._config,
        )
        # No price for what came back: the estimate that was held, nothing more.
        return self.held if cost is None else min(cost, self.held)

    async def capture(self, result: Result) -> int:
        self.charged = await self._account.capture(self.reference, self.cost(result))
        return self.charged

    async def release(self) -> None:
        await self._account.release(self.reference)


@asynccontextmanager
async def charged_edit(
    account: Credits, config: MeteringConfig, params: EditParams, mask: MaskArray
) -> AsyncIterator[EditCharge]:
    """Hold on entry; whatever was not captured inside the block is released on the way out."""
    charge = EditCharge(account, config, params)
    await charge.hold(mask)
    try:
        yield charge
    finally:
        if charge.charged is None:
            # Shielded: a Ctrl+C that cancelled the edit must not also cancel giving credits back.
            await asyncio.shield(charge.release())
