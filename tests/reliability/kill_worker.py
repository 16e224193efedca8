"""The process the kill harness SIGKILLs: the ledger, the history store and the queue at work.

Usage: python kill_worker.py DATA_DIR SEED [--drain]
Needs STRIPE_API_KEY and IMGDESK_STRIPE_API_BASE pointing at the harness's fake Stripe.

It first does what the app does at start-up (`recover`), then loops over real work: buying a
token pack against the fake Stripe (paying on the fake's checkout page, then fulfilling through
the redirect path, sometimes twice, sometimes leaving it to reconciliation), queueing batch jobs
and running them through `QueueRunner` with credits held, captured and released on the ledger,
and now and then deleting a finished history node. Each step that has committed prints one line
on stdout, so the harness knows what must survive a kill:

    ready | recovered | enqueued ID... | done ID | credited PURCHASE_ID | deleted ID | drained

With --drain it recovers, runs the queue until it is empty and exits.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
from collections.abc import Sequence
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

import aiohttp  # noqa: E402

from imgdesk.core.account import LocalAccount, Outcome  # noqa: E402
from imgdesk.core.batch import BatchSpec, enqueue_batch  # noqa: E402
from imgdesk.core.checkout import Checkout  # noqa: E402
from imgdesk.core.edit_types import EditParams  # noqa: E402
from imgdesk.core.errors import ErrorKind, ImgdeskError  # noqa: E402
from imgdesk.core.ledger import LEDGER_FILE, Ledger  # noqa: E402
from imgdesk.core.paths import AppPaths, app_paths  # noqa: E402
from imgdesk.core.pipeline import Result  # noqa: E402
from imgdesk.core.queue_runner import JobEvent, QueueRunner  # noqa: E402
from imgdesk.core.store import Node, NodeFilter, Store  # noqa: E402
from restart_worker import QuickEngine, mask, photo  # noqa: E402

HOLD_CREDITS = 40
COST_CREDITS = 25
PACK = "starter"


def say(*words: str) -> None:
    print(*words, flush=True)


def hold_reference(job: Node) -> str:
    # One hold per attempt: a job re-queued after a crash gets a fresh hold, and the hold of
    # the attempt that died is released at start-up (`recover`), never reused.
    return f"{job.id}#{job.attempts}"


class LedgerMeter:
    """Credits around each job, as the token-pack account would plug into the queue."""

    def __init__(self, account: LocalAccount) -> None:
        self._account = account

    async def hold(self, job: Node) -> None:
        await self._account.hold(hold_reference(job), HOLD_CREDITS)

    async def capture(self, job: Node, result: Result) -> None:
        await self._account.capture(hold_reference(job), COST_CREDITS)

    async def release(self, job: Node) -> None:
        await self._account.release(hold_reference(job))


def open_account(paths: AppPaths) -> LocalAccount:
    checkout = Checkout.from_environment()
    assert checkout is not None, "STRIPE_API_KEY must point at the fake Stripe"
    return LocalAccount(Ledger(paths.data / LEDGER_FILE), checkout)


async def recover(account: LocalAccount, store: Store) -> None:
    """The start-up routine: credit what was paid, re-queue dead jobs, settle their holds."""
    await account.reconcile()
    await asyncio.to_thread(store.jobs.recover)
    await account.settle_open_holds()


class Worker:
    def __init__(self, paths: AppPaths, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tag = f"{seed}-{os.getpid()}"
        self.account = open_account(paths)
        self.store = Store.open(paths)
        self.counter = 0

    async def aclose(self) -> None:
        await self.account.aclose()
        self.store.close()

    async def purchase(self, browser: aiohttp.ClientSession) -> None:
        pending = await self.account.start_purchase(PACK, "http://127.0.0.1:9/return")
        session_id = pending.url.rstrip("/").rsplit("/", 1)[1]
        # The customer pays on the (fake) hosted page; we do not follow its redirect.
        pay = pending.url.replace(f"/pay/{session_id}", f"/pay/{session_id}/pay")
        async with browser.post(pay, allow_redirects=False) as response:
            if response.status != 303:
                raise RuntimeError(f"fake checkout answered {response.status}")
        if self.rng.random() < 0.25:
            return  # the browser never came back: reconciliation at the next start credits it
        result = await self.account.fulfil(session_id, pending.state)
        if result.outcome is Outcome.CREDITED:
            say("credited", pending.purchase_id)
        if self.rng.random() < 0.3:  # a replayed redirect must add nothing
            again = await self.account.fulfil(session_id, pending.state)
            if again.outcome is not Outcome.ALREADY_CREDITED:
                raise RuntimeError(f"replayed fulfil answered {again.outcome}")

    async def batch(self) -> None:
        self.counter += 1
        count = self.rng.randint(1, 3)
        prompts = tuple(f"kill {self.tag} {self.counter} {i}" for i in range(count))
        spec = BatchSpec(photo(), mask(), prompts, 1, EditParams("", quality="low"), "quick")
        queued = await asyncio.to_thread(enqueue_batch, self.store, spec)
        say("enqueued", *queued.node_ids)
        await self.run_queue()

    async def run_queue(self) -> None:
        def report(event: JobEvent) -> None:
            if event.kind == "done":
                say("done", event.node_id)

        runner = QueueRunner(
            self.store,
            lambda name: QuickEngine(0.0),
            concurrency=2,
            meter=LedgerMeter(self.account),
            on_event=report,
        )
        try:
            status = await runner.run(until_empty=True)
        finally:
            await runner.aclose()
        if status.error is not None and status.error.kind is not ErrorKind.QUOTA:
            raise status.error  # only running out of credits is expected here

    async def delete_one(self) -> None:
        done = await asyncio.to_thread(
            self.store.history.page, NodeFilter(statuses=("done",)), limit=50
        )
        edits = [node for node in done if node.kind == "edit"]
        if edits:
            victim = self.rng.choice(edits)
            if await asyncio.to_thread(self.store.history.delete, [victim.id]):
                say("deleted", victim.id)


async def main(argv: Sequence[str]) -> None:
    data_dir, seed = argv[0], int(argv[1])
    say("ready")
    worker = Worker(app_paths(data_dir), seed)
    try:
        await recover(worker.account, worker.store)
        say("recovered")
        if "--drain" in argv:
            await worker.run_queue()
            say("drained")
            return
        async with aiohttp.ClientSession() as browser:
            while True:
                step = worker.rng.random()
                try:
                    if step < 0.35:
                        await worker.purchase(browser)
                    elif step < 0.9:
                        await worker.batch()
                    else:
                        await worker.delete_one()
                except ImgdeskError as error:
                    if error.kind is not ErrorKind.QUOTA:
                        raise
    finally:
        await worker.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
