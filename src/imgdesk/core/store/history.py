"""History nodes: every edit, as a tree, with the blobs each one needs.

A node records one step: `root` (a picture opened as a document), `edit` (a prompt sent to an
engine; it is also the job's row while queued or running) or `apply` (a variant chosen as the new
document: a child of the edit, whose image is that variant). Editing from any older node makes a
new child of it, i.e. a branch. Blob references live in `node_blobs`, so "is this file still
needed?" is one indexed query.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.store.blobs import BlobStore
from imgdesk.core.store.db import Database

STATUSES = ("queued", "running", "done", "failed", "cancelled")

NODE_COLUMNS = (
    "n.id, n.parent, n.kind, n.prompt, n.params, n.engine, n.model, n.status, n.attempts, "
    "n.usage, n.cost_usd, n.cost_exact, n.error, n.notice, n.starred, n.created, n.updated, "
    "j.batch, j.variant, j.position, "
    "(SELECT group_concat(role || ':' || position || ':' || hash, ',') FROM node_blobs b "
    " WHERE b.node_id = n.id) AS blobs"
)
NODE_FROM = "FROM nodes n LEFT JOIN jobs j ON j.node_id = n.id"


@dataclass(frozen=True)
class Node:
    id: str
    parent: str | None
    kind: str  # "root", "edit" or "apply"
    prompt: str
    params: dict[str, Any]
    engine: str
    model: str
    status: str
    attempts: int
    usage: dict[str, int] | None
    cost_usd: float | None
    cost_exact: bool | None
    error: dict[str, str] | None  # {"kind": ..., "message": ...}
    notice: str | None
    starred: bool
    created: float
    updated: float
    image: str | None
    mask: str | None
    references: tuple[str, ...]
    outputs: tuple[str, ...]
    batch: str | None = None
    variant: int | None = None
    position: float | None = None

    @property
    def thumbnail_source(self) -> str | None:
        """The blob a list shows for this node: its first result, else its input."""
        return self.outputs[0] if self.outputs else self.image

    @property
    def error_kind(self) -> ErrorKind | None:
        return ErrorKind(self.error["kind"]) if self.error else None


@dataclass(frozen=True)
class NodeFilter:
    text: str = ""  # words that must all appear in the prompt (case-insensitive)
    statuses: tuple[str, ...] = ()  # empty: any
    starred_only: bool = False
    batch: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        for word in self.text.split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("n.prompt LIKE ? ESCAPE '\\'")
            args.append(f"%{escaped}%")
        if self.statuses:
            clauses.append(f"n.status IN ({','.join('?' * len(self.statuses))})")
            args.extend(self.statuses)
        if self.starred_only:
            clauses.append("n.starred = 1")
        if self.batch is not None:
            clauses.append("j.batch = ?")
            args.append(self.batch)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def new_id() -> str:
    return uuid.uuid4().hex


def node_from_row(row: sqlite3.Row) -> Node:
    roles: dict[str, list[tuple[int, str]]] = {}
    for item in (row["blobs"] or "").split(","):
        if item:
            role, position, hash_ = item.split(":")
            roles.setdefault(role, []).append((int(position), hash_))
    ordered = {role: tuple(h for _, h in sorted(items)) for role, items in roles.items()}
    return Node(
        id=row["id"],
        parent=row["parent"],
        kind=row["kind"],
        prompt=row["prompt"],
        params=json.loads(row["params"]),
        engine=row["engine"],
        model=row["model"],
        status=row["status"],
        attempts=row["attempts"],
        usage=json.loads(row["usage"]) if row["usage"] else None,
        cost_usd=row["cost_usd"],
        cost_exact=None if row["cost_exact"] is None else bool(row["cost_exact"]),
        error=json.loads(row["error"]) if row["error"] else None,
        notice=row["notice"],
        starred=bool(row["starred"]),
        created=row["created"],
        updated=row["updated"],
        image=(ordered.get("image") or (None,))[0],
        mask=(ordered.get("mask") or (None,))[0],
        references=ordered.get("reference", ()),
        outputs=ordered.get("output", ()),
        batch=row["batch"],
        variant=row["variant"],
        position=row["position"],
    )


def error_json(error: ImgdeskError) -> str:
    return json.dumps({"kind": error.kind.value, "message": error.message})


def insert_blobs(conn: sqlite3.Connection, node_id: str, role: str, hashes: Iterable[str]) -> None:
    conn.executemany(
        "INSERT INTO node_blobs (node_id, role, position, hash) VALUES (?, ?, ?, ?)",
        [(node_id, role, index, hash_) for index, hash_ in enumerate(hashes)],
    )


class History:
    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self._db = db
        self._blobs = blobs

    # --- reading -------------------------------------------------------------------------------

    def get(self, node_id: str) -> Node:
        with self._db.read() as conn:
            row = conn.execute(
                f"SELECT {NODE_COLUMNS} {NODE_FROM} WHERE n.id = ?", (node_id,)
            ).fetchone()
        if row is None:
            raise ImgdeskError(
                ErrorKind.STORAGE,
                QT_TRANSLATE_NOOP("errors", "That history entry no longer exists."),
            )
        return node_from_row(row)

    def count(self, where: NodeFilter = NodeFilter()) -> int:
        clause, args = where.where()
        with self._db.read() as conn:
            return int(conn.execute(f"SELECT count(*) {NODE_FROM}{clause}", args).fetchone()[0])

    def page(
        self, where: NodeFilter = NodeFilter(), *, offset: int = 0, limit: int = 200
    ) -> list[Node]:
        """Newest first; the history panel pages through this as the user scrolls."""
        clause, args = where.where()
        with self._db.read() as conn:
            rows = conn.execute(
                f"SELECT {NODE_COLUMNS} {NODE_FROM}{clause} ORDER BY n.created DESC, n.id DESC "
                "LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [node_from_row(row) for row in rows]

    def children(self, node_id: str) -> list[Node]:
        with self._db.read() as conn:
            rows = conn.execute(
                f"SELECT {NODE_COLUMNS} {NODE_FROM} WHERE n.parent = ? ORDER BY n.created",
                (node_id,),
            ).fetchall()
        return [node_from_row(row) for row in rows]

    # --- writing -------------------------------------------------------------------------------

    def add_root(self, image: str, *, prompt: str = "") -> str:
        """A picture opened as a document: the start of a tree."""
        node_id = new_id()
        now = time.time()
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO nodes (id, parent, kind, prompt, status, created, updated) "
                "VALUES (?, NULL, 'root', ?, 'done', ?, ?)",
                (node_id, prompt, now, now),
            )
            insert_blobs(conn, node_id, "image", [image])
        return node_id

    def apply_variant(self, node_id: str, index: int) -> str:
        """Make output `index` of an edit the new document: a child node holding that picture."""
        node = self.get(node_id)
        if not 0 <= index < len(node.outputs):
            raise ImgdeskError(
                ErrorKind.INTERNAL, QT_TRANSLATE_NOOP("errors", "That variant does not exist.")
            )
        child = new_id()
        now = time.time()
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO nodes (id, parent, kind, prompt, params, engine, model, status, "
                "created, updated) VALUES (?, ?, 'apply', ?, ?, ?, ?, 'done', ?, ?)",
                (
                    child,
                    node_id,
                    node.prompt,
                    json.dumps({"variant": index}),
                    node.engine,
                    node.model,
                    now,
                    now,
                ),
            )
            insert_blobs(conn, child, "image", [node.outputs[index]])
        return child

    def set_starred(self, node_ids: Sequence[str], starred: bool) -> None:
        with self._db.write() as conn:
            conn.executemany(
                "UPDATE nodes SET starred = ?, updated = ? WHERE id = ?",
                [(int(starred), time.time(), node_id) for node_id in node_ids],
            )

    def delete(self, node_ids: Sequence[str]) -> int:
        """Delete nodes (never a running one) and every file nothing else references.

        Children are re-attached to the deleted node's parent so the tree stays connected. Rows go
        in one transaction; files are removed after it commits, each only if still unreferenced
        and not re-written by a `put` since the transaction began.
        """
        started = time.time()
        with self._db.write() as conn:
            doomed = [
                row[0]
                for node_id in node_ids
                for row in conn.execute(
                    "SELECT id FROM nodes WHERE id = ? AND status != 'running'", (node_id,)
                )
            ]
            hashes: set[str] = set()
            for node_id in doomed:
                hashes.update(
                    row[0]
                    for row in conn.execute(
                        "SELECT hash FROM node_blobs WHERE node_id = ?", (node_id,)
                    )
                )
                conn.execute(
                    "UPDATE nodes SET parent = (SELECT parent FROM nodes WHERE id = ?) "
                    "WHERE parent = ?",
                    (node_id, node_id),
                )
                conn.execute("DELETE FROM nodes WHERE id = ?", (node_id,))
            unreferenced = [
                hash_
                for hash_ in sorted(hashes)
                if conn.execute(
                    "SELECT 1 FROM node_blobs WHERE hash = ? LIMIT 1", (hash_,)
                ).fetchone()
                is None
            ]
        for hash_ in unreferenced:
            self._blobs.remove(hash_, unless_touched_since=started)
        return len(doomed)

    def unreferenced(self, hashes: Iterable[str]) -> set[str]:
        """Those of `hashes` no node refers to."""
        with self._db.read() as conn:
            return {
                hash_
                for hash_ in set(hashes)
                if conn.execute(
                    "SELECT 1 FROM node_blobs WHERE hash = ? LIMIT 1", (hash_,)
                ).fetchone()
                is None
            }

    def referenced_blobs(self) -> set[str]:
        with self._db.read() as conn:
            return {row[0] for row in conn.execute("SELECT DISTINCT hash FROM node_blobs")}
