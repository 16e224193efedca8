"""The outbox: edits waiting to be sent, as rows written before anything leaves the machine.

A job is an `edit` node plus a `jobs` row (queue position, batch, owner). Its life:

    queued --claim--> running --complete--> done
       ^                 |  \\--fail------> failed --retry--> queued
       |                 |   \\-cancel----> cancelled --retry--> queued
       +---- requeue ----+   (network down, rate limit, quota/auth pause, process died)

`claim` moves one job to running and counts the attempt in the same transaction. `complete` only
acts on a job that is still running *for the same owner*, so a result is recorded exactly once
even when a dead runner's job was re-queued and finished by another. A runner that dies leaves
jobs in `running`; `recover` re-queues those whose owner process is gone (same machine) or whose
lease ran out, keeping the attempt count, which is how a possible double charge stays visible.
An expired lease wins over a live-looking PID: after a reboot the dead runner's PID may belong to
another program, while a live runner renews its lease every `LEASE_SECONDS / 3`.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass

from imgdesk.core.edit_types import EditParams, Usage
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.store.db import Database
from imgdesk.core.store.history import (
    NODE_COLUMNS,
    NODE_FROM,
    STATUSES,
    Node,
    error_json,
    insert_blobs,
    new_id,
    node_from_row,
)

LEASE_SECONDS = 60.0


def new_owner() -> str:
    """Who runs a job: host and process (to spot a dead one), plus a token unique to the run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_alive(owner: str) -> bool | None:
    """True/False when the owner ran on this machine and we can tell; None when unknown."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or os.name != "posix":
        # Windows' os.kill would terminate the process; there the lease decides.
        return None
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class NewJob:
    """What `enqueue` needs: blob hashes of the inputs (already stored) and the request."""

    image: str
    mask: str
    params: EditParams
    engine: str
    references: tuple[str, ...] = ()
    reference_meta: tuple[tuple[str, str], ...] = ()  # (name, mime) per reference
    parent: str | None = None
    batch: str | None = None
    batch_key: str | None = None
    variant: int | None = None


@dataclass(frozen=True)
class Enqueued:
    node_id: str
    created: bool  # False when a job with the same batch key already existed


class Jobs:
    def __init__(self, db: Database) -> None:
        self._db = db

    def enqueue(self, job: NewJob) -> Enqueued:
        """Write the job (queued) at the end of the queue; the same batch key never twice."""
        now = time.time()
        node_id = new_id()
        params = asdict(job.params)
        if job.reference_meta:
            params["references"] = [{"name": n, "mime": m} for n, m in job.reference_meta]
        with self._db.write() as conn:
            if job.batch_key is not None:
                row = conn.execute(
                    "SELECT node_id FROM jobs WHERE batch_key = ?", (job.batch_key,)
                ).fetchone()
                if row is not None:
                    return Enqueued(row[0], created=False)
            conn.execute(
                "INSERT INTO nodes (id, parent, kind, prompt, params, engine, model, status, "
                "created, updated) VALUES (?, ?, 'edit', ?, ?, ?, ?, 'queued', ?, ?)",
                (
                    node_id,
                    job.parent,
                    job.params.prompt,
                    json.dumps(params, sort_keys=True),
                    job.engine,
                    job.params.model,
                    now,
                    now,
                ),
            )
            insert_blobs(conn, node_id, "image", [job.image])
            insert_blobs(conn, node_id, "mask", [job.mask])
            insert_blobs(conn, node_id, "reference", job.references)
            conn.execute(
                "INSERT INTO jobs (node_id, position, batch, batch_key, variant) "
                "VALUES (?, ?, ?, ?, ?)",
                (node_id, _end_position(conn), job.batch, job.batch_key, job.variant),
            )
        return Enqueued(node_id, created=True)

    def claim(
        self, owner: str, *, scope: Collection[str] | None = None, now: float | None = None
    ) -> Node | None:
        """The first queued job that may run now, moved to running with its attempt counted."""
        now = time.time() if now is None else now
        query = (
            "SELECT j.node_id FROM jobs j JOIN nodes n ON n.id = j.node_id "
            "WHERE n.status = 'queued' AND j.not_before <= ?"
        )
        args: list[object] = [now]
        if scope is not None:
            query += " AND j.node_id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(scope)))
        with self._db.write() as conn:
            row = conn.execute(query + " ORDER BY j.position LIMIT 1", args).fetchone()
            if row is None:
                return None
            node_id = row[0]
            conn.execute(
                "UPDATE nodes SET status = 'running', attempts = attempts + 1, updated = ? "
                "WHERE id = ?",
                (now, node_id),
            )
            conn.execute(
                "UPDATE jobs SET owner = ?, lease_until = ? WHERE node_id = ?",
                (owner, now + LEASE_SECONDS, node_id),
            )
            return _get(conn, node_id)

    def complete(
        self,
        node_id: str,
        owner: str,
        outputs: Sequence[str],
        *,
        usage: Usage | None,
        cost_usd: float | None,
        cost_exact: bool | None,
        notice: str | None,
    ) -> bool:
        """Record the results; False (and nothing written) unless the job is still ours."""
        with self._db.write() as conn:
            if not _still_ours(conn, node_id, owner):
                return False
            conn.execute(
                "UPDATE nodes SET status = 'done', usage = ?, cost_usd = ?, cost_exact = ?, "
                "notice = ?, error = NULL, updated = ? WHERE id = ?",
                (
                    json.dumps(asdict(usage)) if usage else None,
                    cost_usd,
                    None if cost_exact is None else int(cost_exact),
                    notice,
                    time.time(),
                    node_id,
                ),
            )
            conn.execute("DELETE FROM node_blobs WHERE node_id = ? AND role = 'output'", (node_id,))
            insert_blobs(conn, node_id, "output", outputs)
            conn.execute(
                "UPDATE jobs SET owner = NULL, lease_until = NULL WHERE node_id = ?", (node_id,)
            )
        return True

    def requeue(
        self,
        node_id: str,
        owner: str | None,
        *,
        error: ImgdeskError | None = None,
        delay: float = 0,
        sent: bool = True,
    ) -> bool:
        """Put a running job back in the queue. Its attempt stays counted unless it was never
        `sent` (a runner claimed it ahead, then paused)."""
        with self._db.write() as conn:
            if owner is not None and not _still_ours(conn, node_id, owner):
                return False
            conn.execute(
                "UPDATE nodes SET status = 'queued', error = ?, updated = ?, "
                "attempts = max(0, attempts - ?) WHERE id = ? AND status = 'running'",
                (error_json(error) if error else None, time.time(), 0 if sent else 1, node_id),
            )
            conn.execute(
                "UPDATE jobs SET owner = NULL, lease_until = NULL, not_before = ? "
                "WHERE node_id = ?",
                (time.time() + delay if delay > 0 else 0, node_id),
            )
        return True

    def fail(self, node_id: str, owner: str | None, error: ImgdeskError) -> bool:
        with self._db.write() as conn:
            if owner is not None and not _still_ours(conn, node_id, owner):
                return False
            conn.execute(
                "UPDATE nodes SET status = 'failed', error = ?, updated = ? WHERE id = ?",
                (error_json(error), time.time(), node_id),
            )
            conn.execute(
                "UPDATE jobs SET owner = NULL, lease_until = NULL WHERE node_id = ?", (node_id,)
            )
        return True

    def cancel(self, node_ids: Sequence[str]) -> list[str]:
        """Cancel queued or running jobs; a running one's runner notices at completion."""
        cancelled = []
        with self._db.write() as conn:
            for node_id in node_ids:
                changed = conn.execute(
                    "UPDATE nodes SET status = 'cancelled', updated = ? "
                    "WHERE id = ? AND kind = 'edit' AND status IN ('queued', 'running')",
                    (time.time(), node_id),
                ).rowcount
                if changed:
                    conn.execute(
                        "UPDATE jobs SET owner = NULL, lease_until = NULL WHERE node_id = ?",
                        (node_id,),
                    )
                    cancelled.append(node_id)
        return cancelled

    def retry(self, node_ids: Sequence[str]) -> list[str]:
        """Queue failed or cancelled jobs again, at the end of the queue."""
        retried = []
        with self._db.write() as conn:
            for node_id in node_ids:
                changed = conn.execute(
                    "UPDATE nodes SET status = 'queued', error = NULL, updated = ? "
                    "WHERE id = ? AND kind = 'edit' AND status IN ('failed', 'cancelled')",
                    (time.time(), node_id),
                ).rowcount
                if changed:
                    conn.execute(
                        "UPDATE jobs SET position = ?, not_before = 0 WHERE node_id = ?",
                        (_end_position(conn), node_id),
                    )
                    retried.append(node_id)
        return retried

    def move(self, node_id: str, before: str | None) -> None:
        """Reorder: put `node_id` just before `before`, or at the end when `before` is None."""
        with self._db.write() as conn:
            if before is None:
                position = _end_position(conn)
            else:
                row = conn.execute(
                    "SELECT position FROM jobs WHERE node_id = ?", (before,)
                ).fetchone()
                if row is None:
                    raise ImgdeskError(
                        ErrorKind.STORAGE,
                        QT_TRANSLATE_NOOP("errors", "That queued edit no longer exists."),
                    )
                previous = conn.execute(
                    "SELECT max(position) FROM jobs WHERE position < ? AND node_id != ?",
                    (row[0], node_id),
                ).fetchone()[0]
                position = (row[0] - 1.0) if previous is None else (previous + row[0]) / 2
            conn.execute("UPDATE jobs SET position = ? WHERE node_id = ?", (position, node_id))

    def heartbeat(self, owner: str) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE jobs SET lease_until = ? WHERE owner = ?",
                (time.time() + LEASE_SECONDS, owner),
            )

    def recover(self, *, now: float | None = None) -> list[str]:
        """Re-queue jobs left running by a process that died (attempts are kept)."""
        now = time.time() if now is None else now
        recovered = []
        with self._db.write() as conn:
            rows = conn.execute(
                "SELECT j.node_id, j.owner, j.lease_until FROM jobs j JOIN nodes n "
                "ON n.id = j.node_id WHERE n.status = 'running'"
            ).fetchall()
            for node_id, owner, lease_until in rows:
                expired = (lease_until or 0) < now
                if expired or not owner or owner_alive(owner) is False:
                    conn.execute(
                        "UPDATE nodes SET status = 'queued', updated = ? WHERE id = ?",
                        (now, node_id),
                    )
                    conn.execute(
                        "UPDATE jobs SET owner = NULL, lease_until = NULL WHERE node_id = ?",
                        (node_id,),
                    )
                    recovered.append(node_id)
        return recovered

    def queued(self, *, scope: Collection[str] | None = None) -> list[Node]:
        """Queued and running jobs in queue order."""
        query = f"SELECT {NODE_COLUMNS} {NODE_FROM} WHERE n.status IN ('queued', 'running')"
        args: list[object] = []
        if scope is not None:
            query += " AND n.id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(scope)))
        with self._db.read() as conn:
            rows = conn.execute(query + " ORDER BY j.position", args).fetchall()
        return [node_from_row(row) for row in rows]

    def counts(self, *, scope: Collection[str] | None = None) -> dict[str, int]:
        query = "SELECT n.status, count(*) FROM nodes n JOIN jobs j ON j.node_id = n.id"
        args: list[object] = []
        if scope is not None:
            query += " WHERE n.id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(scope)))
        with self._db.read() as conn:
            found = dict(conn.execute(query + " GROUP BY n.status", args).fetchall())
        return {status: int(found.get(status, 0)) for status in STATUSES}

    def next_wake(self, *, scope: Collection[str] | None = None) -> float | None:
        """When the earliest delayed queued job may run (None: nothing is delayed)."""
        query = (
            "SELECT min(j.not_before) FROM jobs j JOIN nodes n ON n.id = j.node_id "
            "WHERE n.status = 'queued'"
        )
        args: list[object] = []
        if scope is not None:
            query += " AND n.id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(scope)))
        with self._db.read() as conn:
            value = conn.execute(query, args).fetchone()[0]
        return None if value is None else float(value)

    def by_batch_key(self, keys: Sequence[str]) -> dict[str, str]:
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT batch_key, node_id FROM jobs WHERE batch_key IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(list(keys)),),
            ).fetchall()
        return {str(key): str(node_id) for key, node_id in rows}


def _end_position(conn: sqlite3.Connection) -> float:
    return float(conn.execute("SELECT coalesce(max(position), 0) + 1 FROM jobs").fetchone()[0])


def _still_ours(conn: sqlite3.Connection, node_id: str, owner: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM jobs j JOIN nodes n ON n.id = j.node_id "
        "WHERE j.node_id = ? AND j.owner = ? AND n.status = 'running'",
        (node_id, owner),
    ).fetchone()
    return row is not None


def _get(conn: sqlite3.Connection, node_id: str) -> Node:
    row = conn.execute(f"SELECT {NODE_COLUMNS} {NODE_FROM} WHERE n.id = ?", (node_id,)).fetchone()
    return node_from_row(row)
