"""SIGKILL the ledger, the history store and the queue at random moments; check what survived.

Each round starts `kill_worker.py` on the same data folder, lets it work for a random time and
kills it with SIGKILL. Then, before anything repairs the files, the harness checks what must hold
right after a crash; it then runs the app's own start-up recovery (in this process) and checks
what must hold after a restart. A final round lets a worker drain the queue. The invariants:

- both databases pass `PRAGMA integrity_check`;
- balance = sum of ledger entries >= 0, and every hold is settled by at most one release whose
  amount matches its capture;
- no purchase credited twice; every credited purchase is a session the fake Stripe saw paid,
  for the pack's amount; after recovery, every paid session of ours is credited;
- every purchase and job the worker reported as committed is still there (durability);
- every hold is settled after recovery;
- every history node's files are present and match their content hash;
- no unreferenced file older than the store's grace period (`GRACE_SECONDS`) after the start-up
  sweep; younger ones are counted (they belong to a write that had not committed yet); every
  fifth round simulates the grace period passing (sweep with grace 0) and checks nothing
  referenced went with it;
- every queued job is still queued or done (running ones are re-queued by recovery), and after
  the final drain every job is done.
"""

from __future__ import annotations

import asyncio
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fakes.stripe_server import FakeStripe, FakeStripeServer
from imgdesk.core.checkout import load_packs
from imgdesk.core.ledger import LEDGER_FILE, Ledger
from imgdesk.core.paths import AppPaths, app_paths
from imgdesk.core.store import Store
from imgdesk.core.store.blobs import GRACE_SECONDS, digest
from reliability.kill_worker import open_account, recover

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("kill_worker.py")
STARTUP_SECONDS = 60.0
DRAIN_SECONDS = 120.0


@dataclass
class KillFigures:
    kills: int = 0
    rounds_without_kill: int = 0  # the worker had stopped on its own before the kill (a defect)
    invariant_violations: int = 0
    violations: list[str] = field(default_factory=list)
    purchases_credited: int = 0
    sessions_paid: int = 0
    jobs_enqueued: int = 0
    jobs_done: int = 0
    holds_released_at_restart: int = 0
    orphans_within_grace_max: int = 0
    orphans_swept_after_grace: int = 0
    seconds: float = 0.0

    def violate(self, round_: int, text: str) -> None:
        self.invariant_violations += 1
        if len(self.violations) < 50:
            self.violations.append(f"round {round_}: {text}")


@dataclass
class Reported:
    """What the workers said they committed, accumulated over all rounds."""

    enqueued: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)
    credited: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)

    def read(self, lines: list[str]) -> None:
        for line in lines:
            word, *rest = line.split()
            if word == "enqueued":
                self.enqueued.update(rest)
            elif word == "done":
                self.done.update(rest)
            elif word == "credited":
                self.credited.update(rest)
            elif word == "deleted":
                self.deleted.update(rest)


class WorkerProcess:
    def __init__(self, data_dir: Path, seed: int, env: dict[str, str], *args: str) -> None:
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish()
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), str(seed), *args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())
            self._queue.put(line.strip())
        self._queue.put(None)

    def wait_for(self, word: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            if line == word:
                return True
        return False

    def kill(self) -> bool:
        """SIGKILL; False when the process had already ended by itself."""
        alive = self.process.poll() is None
        if alive:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return alive

    def finish(self) -> str:
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace")[-1500:]
        self._stderr.close()
        return tail


def worker_env(data_dir: Path, fake: FakeStripe) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        IMGDESK_DATA_DIR=str(data_dir),
        STRIPE_API_KEY=fake.api_key,
        IMGDESK_STRIPE_API_BASE=fake.base_url,
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO / "tests")]),
    )
    env.pop("OPENAI_API_KEY", None)
    return env


def integrity(path: Path) -> str:
    if not path.exists():
        return "ok"
    conn = sqlite3.connect(path, timeout=10)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "ok" if rows == [("ok",)] else f"{rows[:3]}"


def check_ledger(paths: AppPaths, fake: FakeStripe, figures: KillFigures, round_: int) -> None:
    path = paths.data / LEDGER_FILE
    if not path.exists():
        return
    ledger = Ledger(path)
    try:
        entries = ledger.entries()
        purchases = {p.id: p for p in ledger.purchases()}
        balance = ledger.balance()
    finally:
        ledger.close()
    total = sum(entry.delta for entry in entries)
    if balance != total or balance < 0:
        figures.violate(round_, f"balance {balance}, sum of entries {total}")
    kinds = Counter((entry.kind, entry.reference) for entry in entries)
    for (kind, reference), count in kinds.items():
        if count > 1:
            figures.violate(round_, f"{count} {kind} entries for {reference}")
    by_kind: dict[str, dict[str, int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, {})[entry.reference] = entry.amount
    holds, captures = by_kind.get("hold", {}), by_kind.get("capture", {})
    for reference, released in by_kind.get("release", {}).items():
        if reference not in holds:
            figures.violate(round_, f"release without a hold: {reference}")
        elif released != holds[reference] - captures.get(reference, 0):
            figures.violate(round_, f"release of {reference} does not match hold minus capture")
    for reference in captures:
        if reference not in by_kind.get("release", {}):
            figures.violate(round_, f"capture without its release: {reference}")
    prices = {pack.id: (pack.price, pack.currency, pack.credits) for pack in load_packs()}
    sessions_credited: Counter[str] = Counter()
    for reference, credits in by_kind.get("purchase", {}).items():
        purchase = purchases.get(reference)
        if purchase is None or purchase.session_id is None:
            figures.violate(round_, f"credit for unknown purchase {reference}")
            continue
        sessions_credited[purchase.session_id] += 1
        session = fake.session(purchase.session_id)
        price, currency, pack_credits = prices[purchase.pack]
        if (
            session["status"] != "complete"
            or session["payment_status"] != "paid"
            or session["amount_total"] != price
            or session["currency"] != currency
            or credits != pack_credits
        ):
            figures.violate(round_, f"purchase {reference} credited without a matching payment")
    for session_id, count in sessions_credited.items():
        if count > 1:
            figures.violate(round_, f"session {session_id} credited {count} times")


def check_store(
    paths: AppPaths,
    reported: Reported,
    figures: KillFigures,
    round_: int,
    *,
    allowed: frozenset[str],
) -> None:
    """Nodes, their files and the jobs; `allowed` are the job states acceptable right now."""
    if not paths.database.exists():
        return
    conn = sqlite3.connect(paths.database, timeout=10)
    try:
        nodes = dict(conn.execute("SELECT id, status FROM nodes").fetchall())
        blobs = conn.execute("SELECT node_id, hash FROM node_blobs").fetchall()
        outputs = Counter(
            row[0] for row in conn.execute("SELECT node_id FROM node_blobs WHERE role = 'output'")
        )
    finally:
        conn.close()
    for node_id, hash_ in blobs:
        path = paths.blobs / hash_[:2] / hash_
        try:
            if digest(path.read_bytes()) != hash_:
                figures.violate(round_, f"file {hash_[:12]} of node {node_id[:8]} is damaged")
        except FileNotFoundError:
            figures.violate(round_, f"file {hash_[:12]} of node {node_id[:8]} is missing")
    for node_id in reported.enqueued - reported.deleted:
        status = nodes.get(node_id)
        if status is None:
            figures.violate(round_, f"queued job {node_id[:8]} vanished")
        elif status not in allowed:
            figures.violate(round_, f"job {node_id[:8]} is {status}")
    for node_id in reported.done - reported.deleted:
        if nodes.get(node_id) != "done" or not outputs.get(node_id):
            figures.violate(round_, f"job {node_id[:8]} reported done is {nodes.get(node_id)}")


def check_durable_purchases(
    paths: AppPaths, reported: Reported, figures: KillFigures, round_: int
) -> None:
    if not reported.credited:
        return
    ledger = Ledger(paths.data / LEDGER_FILE)
    try:
        credited = {e.reference for e in ledger.entries() if e.kind == "purchase"}
    finally:
        ledger.close()
    for purchase_id in reported.credited - credited:
        figures.violate(round_, f"purchase {purchase_id} reported credited was lost")


async def restart(paths: AppPaths, fake: FakeStripe, *, grace_passed: bool) -> tuple[int, int]:
    """The app's start-up in this process; returns (holds released, files swept)."""
    account = open_account(paths)
    store = Store.open(paths)
    try:
        before = len(account.ledger.open_holds())
        await recover(account, store)
        swept = len(store.sweep(grace=0)) if grace_passed else 0
        return before - len(account.ledger.open_holds()), swept
    finally:
        await account.aclose()
        store.close()


def check_after_restart(
    paths: AppPaths, fake: FakeStripe, figures: KillFigures, round_: int
) -> None:
    ledger = Ledger(paths.data / LEDGER_FILE)
    try:
        open_holds = ledger.open_holds()
        ours = {p.id for p in ledger.purchases()}
        credited = {e.reference for e in ledger.entries() if e.kind == "purchase"}
    finally:
        ledger.close()
    if open_holds:
        figures.violate(round_, f"{len(open_holds)} holds still open after restart")
    with fake._lock:
        sessions = [dict(s) for s in fake.sessions.values()]
    paid = [s for s in sessions if s["payment_status"] == "paid"]
    figures.sessions_paid = len(paid)
    for session in paid:
        purchase_id = session["client_reference_id"]
        if purchase_id in ours and purchase_id not in credited:
            figures.violate(round_, f"paid purchase {purchase_id} not credited after restart")
    store = Store.open(paths, sweep=False)
    try:
        referenced = store.history.referenced_blobs()
        cutoff = time.time() - GRACE_SECONDS
        young = 0
        for name in store.blobs.names():
            if name in referenced:
                continue
            if store.blobs.path(name).stat().st_mtime < cutoff:
                figures.violate(round_, f"orphaned file {name[:12]} older than the grace period")
            else:
                young += 1
        figures.orphans_within_grace_max = max(figures.orphans_within_grace_max, young)
    finally:
        store.close()


def run_kill_harness(
    kills: int, *, seed: int = 7, max_delay: float = 1.2, work_dir: Path | None = None
) -> KillFigures:
    figures = KillFigures()
    started = time.monotonic()
    rng = random.Random(seed)
    server = FakeStripeServer(FakeStripe(api_key="sk_test_killharness0123456789"))
    fake = server.start()
    with tempfile.TemporaryDirectory(prefix="imgdesk-kill-", dir=work_dir) as tmp:
        data_dir = Path(tmp) / "data"
        paths = app_paths(data_dir)
        env = worker_env(data_dir, fake)
        saved = {k: os.environ.get(k) for k in ("STRIPE_API_KEY", "IMGDESK_STRIPE_API_BASE")}
        os.environ["STRIPE_API_KEY"] = fake.api_key
        os.environ["IMGDESK_STRIPE_API_BASE"] = fake.base_url
        reported = Reported()
        try:
            for round_ in range(1, kills + 1):
                worker = WorkerProcess(data_dir, seed * 100_000 + round_, env)
                if worker.wait_for("ready", STARTUP_SECONDS):
                    time.sleep(rng.uniform(0.0, max_delay))
                if worker.kill():
                    figures.kills += 1
                else:
                    figures.rounds_without_kill += 1
                    figures.violate(round_, "worker stopped by itself: " + worker.finish())
                worker.finish()
                reported.read(worker.lines)
                for name, path in (
                    ("ledger", paths.data / LEDGER_FILE),
                    ("history", paths.database),
                ):
                    if (result := integrity(path)) != "ok":
                        figures.violate(round_, f"{name} integrity_check: {result}")
                check_ledger(paths, fake, figures, round_)
                check_durable_purchases(paths, reported, figures, round_)
                running_ok = frozenset({"queued", "running", "done"})
                check_store(paths, reported, figures, round_, allowed=running_ok)
                released, swept = asyncio.run(restart(paths, fake, grace_passed=round_ % 5 == 0))
                figures.holds_released_at_restart += released
                figures.orphans_swept_after_grace += swept
                check_after_restart(paths, fake, figures, round_)
                check_store(paths, reported, figures, round_, allowed=frozenset({"queued", "done"}))
            drain = WorkerProcess(data_dir, seed, env, "--drain")
            drained = drain.wait_for("drained", DRAIN_SECONDS)
            drain.process.wait(timeout=DRAIN_SECONDS)
            tail = drain.finish()
            reported.read(drain.lines)
            if not drained or drain.process.returncode != 0:
                figures.violate(kills + 1, f"final drain failed: {tail}")
            check_store(paths, reported, figures, kills + 1, allowed=frozenset({"done"}))
            check_ledger(paths, fake, figures, kills + 1)
            check_after_restart(paths, fake, figures, kills + 1)
            ledger = Ledger(paths.data / LEDGER_FILE)
            try:
                figures.purchases_credited = sum(e.kind == "purchase" for e in ledger.entries())
            finally:
                ledger.close()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            server.stop()
    figures.jobs_enqueued = len(reported.enqueued)
    figures.jobs_done = len(reported.done - reported.deleted)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures
