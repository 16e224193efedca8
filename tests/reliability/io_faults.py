"""Disk full while writing a result and while writing a database: a clear error, nothing lost,
and the same work succeeds once there is room again.

Every scenario counts one injected fault. It is *mishandled* unless all of these hold:
the failure surfaced as ImgdeskError(STORAGE) (never a raw OSError or sqlite3 error), everything
written before is intact (rows, files and their hashes, `integrity_check`), no half-written file
is left, and retrying after the disk has room again succeeds.

Faults, from most to least portable:
- injected write errors: a blob writer that raises ENOSPC (the store's documented test seam);
- SQLite `PRAGMA max_page_count` lowered to the current size on the app's own connection;
- a real full filesystem: a tiny tmpfs mounted over the blob folder, the data folder or the
  export folder (only when running as root with mount permitted; skipped otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from imgdesk.core import imageio
from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.batch import BatchSpec, enqueue_batch
from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.ledger import LEDGER_FILE, Ledger
from imgdesk.core.paths import AppPaths, app_paths
from imgdesk.core.queue_runner import QueueRunner, RunnerState
from imgdesk.core.store import Store
from imgdesk.core.store.blobs import digest
from restart_worker import QuickEngine, mask, photo


@dataclass
class FaultFigures:
    faults_injected: int = 0
    faults_mishandled: int = 0
    faults_skipped: int = 0  # real-filesystem scenarios that need root and mount
    results: dict[str, str] = field(default_factory=dict)  # scenario -> "ok" or what went wrong


class Mishandled(Exception):
    """The scenario saw the fault handled badly; the message says how."""


def expect_storage(action: Callable[[], object], what: str) -> ImgdeskError:
    try:
        action()
    except ImgdeskError as error:
        if error.kind is not ErrorKind.STORAGE:
            raise Mishandled(f"{what}: ImgdeskError({error.kind.value}), not storage") from error
        return error
    except Exception as error:  # the point: anything but ImgdeskError is a mishandled fault
        raise Mishandled(f"{what}: raw {type(error).__name__}: {error}") from error
    raise Mishandled(f"{what}: no error at all")


def require(condition: bool, text: str) -> None:
    if not condition:
        raise Mishandled(text)


# --- helpers -------------------------------------------------------------------------------


class SwitchableWriter:
    """The blob writer, failing with ENOSPC while `full` is set."""

    def __init__(self) -> None:
        self.full = False

    def __call__(self, path: Path, data: bytes) -> None:
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        atomic_write_bytes(path, data)


def spec(prompt: str) -> BatchSpec:
    return BatchSpec(photo(), mask(), (prompt,), 1, EditParams("", quality="low"), "quick")


def run_queue(store: Store) -> QueueRunner:
    async def go() -> QueueRunner:
        runner = QueueRunner(store, lambda name: QuickEngine(0.0), concurrency=1)
        try:
            await runner.run(until_empty=True)
        finally:
            await runner.aclose()
        return runner

    return asyncio.run(go())


def snapshot(store: Store) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every node's status and files, with each file's content verified against its name."""
    seen = {}
    for node in store.history.page(limit=10_000):
        hashes = (*([node.image] if node.image else []), *node.outputs)
        for hash_ in hashes:
            require(digest(store.blobs.read(hash_)) == hash_, f"file {hash_[:12]} damaged")
        seen[node.id] = (node.status, hashes)
    return seen


def no_temp_files(root: Path) -> None:
    leftovers = [p.name for p in root.rglob(".*.tmp")]
    require(not leftovers, f"half-written files left behind: {leftovers[:3]}")


def integrity_ok(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    require(rows == [("ok",)], f"{path.name} integrity_check: {rows[:2]}")


@contextlib.contextmanager
def tiny_filesystem(folder: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` mounted on `folder`; PermissionError where that is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        raise PermissionError("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise PermissionError(done.stderr.decode(errors="replace").strip())
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the filesystem holding `folder` to the last byte; returns the filler to delete."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for chunk in (65536, 4096, 1):  # unbuffered, down to the last byte
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * chunk) == chunk:
                    pass
    finally:
        os.close(fd)
    return filler


# --- scenarios -----------------------------------------------------------------------------


def _result_write_fails(
    paths: AppPaths, writer: SwitchableWriter, make_full: Callable[[], Callable[[], None]]
) -> None:
    """A queued edit whose result cannot be written: the job fails with STORAGE, the queue
    pauses, earlier results are intact, and the retried job completes once there is room."""
    with Store.open(paths, writer=writer) as store:
        enqueue_batch(store, spec("earlier edit"))
        run_queue(store)
        before = snapshot(store)
        require(all(status == "done" for status, _ in before.values()), "setup edit did not run")
        queued = enqueue_batch(store, spec("edit on a full disk"))
        node_id = queued.node_ids[0]
        make_room = make_full()
        runner = run_queue(store)
        node = store.history.get(node_id)
        require(node.status == "failed", f"job is {node.status}, not failed")
        require(node.error_kind is ErrorKind.STORAGE, f"job failed with {node.error}")
        require(runner.status.state is RunnerState.PAUSED, f"queue {runner.status.state}")
        require(
            runner.status.error is not None and runner.status.error.kind is ErrorKind.STORAGE,
            "the queue paused without a storage error",
        )
        after = snapshot(store)
        require(all(after.get(k) == v for k, v in before.items()), "earlier results changed")
        no_temp_files(paths.blobs)
        make_room()
        require(store.jobs.retry([node_id]) == [node_id], "the failed job cannot be retried")
        run_queue(store)
        require(store.history.get(node_id).status == "done", "the retried job did not complete")
    integrity_ok(paths.database)


def result_injected(root: Path) -> None:
    writer = SwitchableWriter()

    def full() -> Callable[[], None]:
        writer.full = True

        def make_room() -> None:
            writer.full = False

        return make_room

    _result_write_fails(app_paths(root), writer, full)


def result_tmpfs(root: Path) -> None:
    paths = app_paths(root)
    with tiny_filesystem(paths.blobs, 512):

        def full() -> Callable[[], None]:
            filler = fill(paths.blobs)
            return filler.unlink

        _result_write_fails(paths, SwitchableWriter(), full)


def export_tmpfs(root: Path) -> None:
    """`imgdesk edit` writing its variant to a full export folder."""
    out = root / "exports"
    pixels = np.zeros((300, 400, 4), dtype=np.uint8)
    pixels[..., 0] = np.arange(400, dtype=np.uint8)[None, :]
    pixels[..., 3] = 255
    with tiny_filesystem(out, 256):
        imageio.save_image(pixels, out / "earlier.png")
        earlier = (out / "earlier.png").read_bytes()
        filler = fill(out)
        expect_storage(lambda: imageio.save_image(pixels, out / "variant.png"), "save_image")
        require(not (out / "variant.png").exists(), "a partial variant file was left")
        no_temp_files(out)
        require((out / "earlier.png").read_bytes() == earlier, "the earlier export changed")
        filler.unlink()
        imageio.save_image(pixels, out / "variant.png")
        require(imageio.load_image(out / "variant.png").width == 400, "retried export unreadable")


def _history_write_fails(paths: AppPaths, make_full: Callable[[Store], Callable[[], None]]) -> None:
    with Store.open(paths) as store:
        enqueue_batch(store, spec("earlier edit"))
        run_queue(store)
        before = snapshot(store)
        make_room = make_full(store)
        expect_storage(lambda: enqueue_batch(store, spec("x" * 20_000)), "queueing an edit")
        require(snapshot(store) == before, "earlier history changed")
        make_room()
        queued = enqueue_batch(store, spec("x" * 20_000))
        run_queue(store)
        require(store.history.get(queued.node_ids[0]).status == "done", "retry did not run")
    integrity_ok(paths.database)


def lift_page_limit(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA max_page_count = 1073741823")


def history_page_limit(root: Path) -> None:
    def full(store: Store) -> Callable[[], None]:
        conn: sqlite3.Connection = store.db._conn
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return lambda: lift_page_limit(conn)

    _history_write_fails(app_paths(root), full)


def history_tmpfs(root: Path) -> None:
    paths = app_paths(root)
    with tiny_filesystem(paths.data, 2048):
        _history_write_fails(paths, lambda store: fill(paths.data).unlink)


def _ledger_write_fails(path: Path, make_full: Callable[[Ledger], Callable[[], None]]) -> None:
    ledger = Ledger(path)
    try:
        ledger.grant("welcome", 1000)
        ledger.hold("job-1", 100)
        ledger.capture("job-1", 60)
        before = (ledger.balance(), ledger.entries())
        make_room = make_full(ledger)
        for n in range(200):  # holds until the file has to grow
            reference = f"job-full-{n}" + "x" * 500
            try:
                ledger.hold(reference, 1)
            except ImgdeskError as error:
                if error.kind is not ErrorKind.STORAGE:
                    raise Mishandled(f"hold: ImgdeskError({error.kind.value})") from error
                break
            except Exception as error:  # anything but ImgdeskError is mishandled
                raise Mishandled(f"hold: raw {type(error).__name__}: {error}") from error
        else:
            raise Mishandled("the ledger never ran out of room")
        entries = ledger.entries()
        require(entries[: len(before[1])] == before[1], "earlier entries changed")
        require(all(e.reference != reference for e in entries), "the failed hold was kept")
        make_room()
        ledger.hold("job-after", 10)
        require(ledger.capture("job-after", 10) == 10, "retried hold could not be captured")
    finally:
        ledger.close()
    integrity_ok(path)


def ledger_page_limit(root: Path) -> None:
    def full(ledger: Ledger) -> Callable[[], None]:
        conn: sqlite3.Connection = ledger._db
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return lambda: lift_page_limit(conn)

    _ledger_write_fails(app_paths(root).data / LEDGER_FILE, full)


def ledger_tmpfs(root: Path) -> None:
    paths = app_paths(root)
    with tiny_filesystem(paths.data, 1024):
        _ledger_write_fails(paths.data / LEDGER_FILE, lambda ledger: fill(paths.data).unlink)


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "result_write_injected_enospc": result_injected,
    "result_write_full_tmpfs": result_tmpfs,
    "export_full_tmpfs": export_tmpfs,
    "history_db_max_page_count": history_page_limit,
    "history_db_full_tmpfs": history_tmpfs,
    "ledger_db_max_page_count": ledger_page_limit,
    "ledger_db_full_tmpfs": ledger_tmpfs,
}


def run_io_faults() -> FaultFigures:
    figures = FaultFigures()
    for name, scenario in SCENARIOS.items():
        with tempfile.TemporaryDirectory(prefix="imgdesk-faults-") as tmp:
            try:
                scenario(Path(tmp) / "data")
            except PermissionError as error:
                figures.faults_skipped += 1
                figures.results[name] = f"skipped: {error}"
                continue
            except Mishandled as problem:
                figures.faults_injected += 1
                figures.faults_mishandled += 1
                figures.results[name] = f"MISHANDLED: {problem}"
                continue
            except Exception as error:
                figures.faults_injected += 1
                figures.faults_mishandled += 1
                where = traceback.format_exception(error)[-2].strip().splitlines()[0]
                figures.results[name] = f"MISHANDLED: {type(error).__name__}: {error} ({where})"
                continue
            figures.faults_injected += 1
            figures.results[name] = "ok"
    return figures
