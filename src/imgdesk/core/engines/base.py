"""The interface every engine implements."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Protocol

from imgdesk.core.edit_types import EditPlan, EngineEvent


class Engine(Protocol):
    name: str  # "openai" or "local"
    metered: bool  # whether edits cost money (and credits, when a shop is configured)

    def run(self, plan: EditPlan) -> AsyncGenerator[EngineEvent, None]:
        """Stream progress for one planned edit.

        Yields Sending, then any PartialImage events, then exactly one Completed or Failed (a
        Failed carries an ImgdeskError). Cancelling the consuming task cancels the request.
        """
        ...
