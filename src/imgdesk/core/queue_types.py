"""What the queue runner reports and takes: its states and status, job events, the credit meter
interface, backoff and the endpoint probe. Kept apart from the runner (`queue_runner`), which
re-exports them, so the runner's file holds its scheduling alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from imgdesk.core.edit_types import EditParams, RGBAArray
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.store import Node

if TYPE_CHECKING:
    from imgdesk.core.pipeline import Result

Probe = Callable[[], Awaitable[bool]]


class RunnerState(enum.StrEnum):
    IDLE = "idle"  # nothing to do
    RUNNING = "running"
    OFFLINE = "offline"  # the endpoint cannot be reached; probing with backoff
    WAITING = "waiting"  # rate limited until `retry_at`
    PAUSED = "paused"  # quota, key or disk problem: waits for resume()
    STOPPED = "stopped"


@dataclass(frozen=True)
class QueueStatus:
    state: RunnerState
    queued: int
    running: int
    done: int
    failed: int
    message: str  # what the status line says, e.g. "offline: 3 queued"
    error: ImgdeskError | None = None  # why the queue is paused or offline
    retry_at: float | None = None  # wall-clock time of the next attempt while offline/waiting


@dataclass(frozen=True)
class JobEvent:
    node_id: str
    kind: str  # "started", "stage", "preview", "done", "failed", "requeued", "cancelled"
    text: str = ""
    error: ImgdeskError | None = None
    stage: str = ""  # the pipeline's stage name ("sending", "generating"...) for "stage"
    index: int = -1  # the partial image's index for "preview"
    # For "preview": the whole document with the partial result blended in (a watcher shows it).
    pixels: RGBAArray | None = field(default=None, compare=False, repr=False)
    # For "done": the variants in memory (also in the store), so a watcher need not decode them.
    result: Result | None = field(default=None, compare=False, repr=False)


class JobMeter(Protocol):
    """Credits around a job; the token-pack account plugs in here (None: not metered)."""

    async def hold(self, job: Node) -> None: ...

    async def capture(self, job: Node, result: Result) -> None: ...

    async def release(self, job: Node) -> None: ...


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0
    cap: float = 60.0

    def delay(self, failures: int) -> float:
        return float(min(self.cap, self.first * 2 ** max(0, failures - 1)))


def tcp_probe(base_url: str, *, timeout: float = 5.0) -> Probe:
    """A probe that opens (and closes) a TCP connection to the endpoint's host and port."""
    parts = urlsplit(base_url)
    host = parts.hostname or "api.openai.com"
    port = parts.port or (80 if parts.scheme == "http" else 443)

    async def probe() -> bool:
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        except (OSError, TimeoutError):
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    return probe


def params_of(node: Node) -> EditParams:
    known = {f.name for f in dataclasses.fields(EditParams)}
    return EditParams(**{k: v for k, v in node.params.items() if k in known})


DEFAULT_BACKOFF = Backoff()
