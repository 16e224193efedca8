"""Store defects found in review: a locked history taken for a damaged one, a cancelled job's
discard taking another job's result, a stale job kept by a recycled PID."""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.store import NewJob, Store
from imgdesk.core.store.db import CorruptDatabase, Database
from restart_worker import mask, photo


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open()
    yield opened
    opened.close()


# --- a locked history is not a damaged one ----------------------------------------------------


def test_locked_history_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "imgdesk.sqlite3"
    db = Database(path)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO nodes (id, kind, status, created, updated) "
            "VALUES ('keepme', 'root', 'done', 0, 0)"
        )
    db.close()
    holder = sqlite3.connect(path, isolation_level=None)  # a backup tool, another imgdesk
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ImgdeskError) as raised:
            Database(path, busy_timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert raised.value.kind is ErrorKind.STORAGE
    assert "in use by another imgdesk" in raised.value.message
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    reopened = Database(path)
    with reopened.read() as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM nodes")] == ["keepme"]
    reopened.close()


class _NeverOpens(Database):
    def _connect_checked(self) -> sqlite3.Connection:
        raise CorruptDatabase("disk image is malformed")


def test_damage_again_after_moving_aside_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "imgdesk.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(ImgdeskError) as raised:
        _NeverOpens(path)
    assert raised.value.kind is ErrorKind.STORAGE
    backups = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(backups) == 1
    assert backups[0].read_bytes() == b"not a database" * 100
    assert backups[0].name in raised.value.message


# --- discarding a cancelled job's results ------------------------------------------------------


def _two_running_jobs(store: Store) -> tuple[str, str]:
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    a = store.jobs.enqueue(NewJob(image, mask_hash, EditParams("p"), "local")).node_id
    b = store.jobs.enqueue(NewJob(image, mask_hash, EditParams("p"), "local")).node_id
    assert store.jobs.claim("h:1:a", scope=[a]) is not None
    assert store.jobs.claim("h:1:b", scope=[b]) is not None
    return a, b


@pytest.mark.parametrize("order", ["a-first", "b-first"])
def test_cancelled_job_never_discards_anothers_identical_result(store: Store, order: str) -> None:
    a, b = _two_running_jobs(store)
    same = photo()
    same[..., 1] = 9  # the local engine gives both jobs the same pixels
    if order == "a-first":
        xa = store.put_result(same, a)
        xb = store.put_result(same, b)
    else:
        xb = store.put_result(same, b)
        xa = store.put_result(same, a)
    assert xa == xb
    store.jobs.cancel([b])
    assert store.discard_blobs([xb], b) == []
    assert store.complete_job(
        a, "h:1:a", [xa], usage=None, cost_usd=None, cost_exact=None, notice=None
    )
    assert np.array_equal(store.blobs.read_image(store.history.get(a).outputs[0]), same)


def test_cancelled_job_alone_gives_its_result_up(store: Store) -> None:
    a, b = _two_running_jobs(store)
    own = photo()
    own[..., 2] = 7
    xb = store.put_result(own, b)
    store.jobs.cancel([b])
    assert not store.complete_job(
        b, "h:1:b", [xb], usage=None, cost_usd=None, cost_exact=None, notice=None
    )
    assert store.discard_blobs([xb], b) == [xb]
    assert not store.blobs.path(xb).exists()
    store.discard_blobs([xb], b)  # again: harmless
    # A job that wrote bytes already on disk for someone else never removes them.
    earlier = store.blobs.put_image(photo())
    xa = store.put_result(photo(), a)
    assert xa == earlier
    assert store.discard_blobs([xa], a) == []
    assert store.blobs.path(earlier).exists()


# --- recovering jobs left running ----------------------------------------------------------------


def test_expired_lease_requeues_even_when_the_pid_is_alive(store: Store) -> None:
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    stale = store.jobs.enqueue(NewJob(image, mask_hash, EditParams("stale"), "local")).node_id
    live = store.jobs.enqueue(NewJob(image, mask_hash, EditParams("live"), "local")).node_id
    # After a reboot the dead runner's PID belongs to some other live process (here: ours).
    recycled = f"{socket.gethostname()}:{os.getpid()}:deadbeef"
    assert store.jobs.claim(recycled, scope=[stale], now=time.time() - 3600) is not None
    assert store.jobs.claim(f"{socket.gethostname()}:{os.getpid()}:cafe", scope=[live])
    assert store.jobs.recover() == [stale]
    assert store.history.get(stale).status == "queued"
    assert store.history.get(stale).attempts == 1
    assert store.history.get(live).status == "running"
