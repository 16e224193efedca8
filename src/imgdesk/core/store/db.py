"""The history database: one SQLite file in WAL mode, versioned in `PRAGMA user_version`.

Opening follows three rules from the issue:
- a database written by a newer imgdesk is refused before anything touches it (the version is
  read from the file header, then once more through SQLite before the first write);
- a damaged database (SQLite says SQLITE_CORRUPT or SQLITE_NOTADB, or `quick_check` fails) is
  moved aside to a timestamped backup beside it and a fresh one is started; the backup is never
  overwritten and the caller gets a sentence to show (`Database.notice`). Any other failure (the
  file is locked by another process, the disk is full or read-only, an I/O error) says so as a
  STORAGE error and touches nothing: a healthy history must never be taken for a damaged one;
- migrations run in order, each in its own `BEGIN IMMEDIATE` transaction that also bumps
  `user_version`, so a crash mid-migration leaves the previous version intact.

One connection is shared by the threads of one process behind a lock: writes are short and
`synchronous=FULL` makes each commit durable, which is what job and history rows need.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate_format

log = logging.getLogger("imgdesk.store")

_HEADER = b"SQLite format 3\x00"
_USER_VERSION_OFFSET = 60  # big-endian 4-byte integer in the 100-byte database header
_SIDE_FILES = ("-wal", "-shm", "-journal")

_V1 = """
CREATE TABLE nodes (
    id TEXT PRIMARY KEY,
    parent TEXT REFERENCES nodes (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('root', 'edit', 'apply')),
    prompt TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',
    engine TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
        CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    usage TEXT,
    cost_usd REAL,
    cost_exact INTEGER,
    error TEXT,
    starred INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX nodes_by_created ON nodes (created);
CREATE INDEX nodes_by_parent ON nodes (parent);
CREATE TABLE node_blobs (
    node_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('image', 'mask', 'reference', 'output')),
    position INTEGER NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (node_id, role, position)
);
CREATE INDEX node_blobs_by_hash ON node_blobs (hash);
CREATE TABLE jobs (
    node_id TEXT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
    position REAL NOT NULL,
    batch TEXT,
    batch_key TEXT UNIQUE,
    variant INTEGER,
    not_before REAL NOT NULL DEFAULT 0,
    owner TEXT,
    lease_until REAL
)
"""

# v2: the service's notice ("the prompt was ignored") and fast queue and status look-ups.
_V2 = """
ALTER TABLE nodes ADD COLUMN notice TEXT;
CREATE INDEX nodes_by_status ON nodes (status);
CREATE INDEX jobs_by_position ON jobs (position)
"""

# MIGRATIONS[i] takes a database from version i to version i + 1. Append only; never edit.
MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def newer_version_error(path: Path, found: int) -> ImgdeskError:
    return ImgdeskError.make(
        ErrorKind.CONFIG,
        QT_TRANSLATE_NOOP(
            "errors",
            "The history in {parent} was written by a newer imgdesk (format {found}, this version "
            "reads up to {SCHEMA_VERSION}). Update imgdesk to open it; it was left untouched.",
        ),
        parent=path.parent,
        found=found,
        SCHEMA_VERSION=SCHEMA_VERSION,
    )


# Primary result codes (the low byte of an extended code) that mean the file itself is damaged.
_CORRUPT_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_READ_ONLY_CODES = frozenset(
    {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN}
)


def _primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if not isinstance(code, int) else code & 0xFF


def is_corruption(error: BaseException) -> bool:
    """True only when SQLite says the file is damaged or not a database at all."""
    return _primary_code(error) in _CORRUPT_CODES


def _storage_error(error: BaseException, path: Path) -> ImgdeskError:
    values: dict[str, object]  # the placeholders of the sentence picked below
    code = _primary_code(error)
    where = path.parent
    if code in _BUSY_CODES:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "The history is in use by another imgdesk window or process. Close it or wait for "
                "it to finish, then try again; nothing was changed.",
            ),
            {},
        )
    elif code == sqlite3.SQLITE_FULL:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "The disk holding the history ({where}) is full. Free some space and try again; "
                "the history was left as it was.",
            ),
            {"where": where},
        )
    elif code in _READ_ONLY_CODES:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "The history in {where} cannot be opened for writing (the disk or folder is "
                "read-only, or imgdesk lacks permission). Nothing was changed.",
            ),
            {"where": where},
        )
    elif code == sqlite3.SQLITE_IOERR:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "The disk reported an error while using the history in {where}. Check the disk and"
                " try again; nothing was moved or deleted.",
            ),
            {"where": where},
        )
    else:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "The history database in {where} could not be used: {error}."
            ),
            {"where": where, "error": error},
        )
    return ImgdeskError.make(ErrorKind.STORAGE, message, detail=repr(error), values=values)


class CorruptDatabase(Exception):
    """Internal signal: the file is not a usable SQLite database."""


class Database:
    """The shared connection, its lock and the write-transaction helper."""

    def __init__(
        self, path: Path, *, target_version: int = SCHEMA_VERSION, busy_timeout: float = 15.0
    ) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout  # how long to wait for another process's lock
        self.notice: str | None = None  # set when a damaged database was moved aside
        self.backup: Path | None = None
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _storage_error(error, self.path) from error
        _refuse_newer(self.path)
        try:
            self._conn = self._connect_checked()
        except CorruptDatabase as damage:
            self.backup = _move_aside(self.path)
            log.warning("damaged history database (%s) kept as %s", damage, self.backup.name)
            # In the user's language now: the front ends show it as it is.
            self.notice = translate_format(
                "notice",
                QT_TRANSLATE_NOOP(
                    "notice",
                    "The history database was damaged ({damage}); it was kept as {name} and a "
                    "new, empty history was started.",
                ),
                damage=damage,
                name=self.backup.name,
            )
            try:
                self._conn = self._connect_checked()
            except CorruptDatabase as again:
                # Even a brand-new file is unusable: the disk or folder is at fault, not the data.
                raise ImgdeskError.make(
                    ErrorKind.STORAGE,
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "The history database in {parent} was damaged and kept as {name}, but a "
                        "new one could not be started there ({again}).",
                    ),
                    detail=repr(again.__cause__ or again),
                    parent=self.path.parent,
                    name=self.backup.name,
                    again=again,
                ) from again
        try:
            migrate(self, target_version)
        except BaseException:
            self._conn.close()
            raise

    def _connect_checked(self) -> sqlite3.Connection:
        try:
            # Autocommit: every transaction is an explicit BEGIN IMMEDIATE below.
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=self._busy_timeout,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise _storage_error(error, self.path) from error
        try:
            found = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if found > SCHEMA_VERSION:
                conn.close()
                raise newer_version_error(self.path, found)
            check = conn.execute("PRAGMA quick_check").fetchall()
            if [tuple(row) for row in check] != [("ok",)]:
                conn.close()
                raise CorruptDatabase("integrity check failed")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as error:
            conn.close()
            if is_corruption(error):
                raise CorruptDatabase(str(error)) from error
            # Locked, busy, disk full, read-only, I/O error: the file may be perfectly healthy.
            raise _storage_error(error, self.path) from error
        conn.row_factory = sqlite3.Row
        return conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as error:
                raise _storage_error(error, self.path) from error

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction that holds SQLite's write lock from its first statement."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise _storage_error(error, self.path) from error
            try:
                yield self._conn
            except sqlite3.Error as error:
                # SQLite may already have rolled back (SQLITE_FULL, IOERR): a second ROLLBACK fails.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise _storage_error(error, self.path) from error
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise _storage_error(error, self.path) from error

    def integrity_ok(self) -> bool:
        with self.read() as conn:
            return [tuple(r) for r in conn.execute("PRAGMA integrity_check")] == [("ok",)]


def migrate(db: Database, target: int = SCHEMA_VERSION) -> None:
    """Apply the migrations from the database's version up to `target`, one transaction each."""
    while True:
        with db.write() as conn:
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current > SCHEMA_VERSION:
                raise newer_version_error(db.path, current)
            if current >= target:
                return
            # One statement at a time: executescript() would commit behind our back.
            for statement in MIGRATIONS[current].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            log.info("history database migrated to version %d", current + 1)


def _refuse_newer(path: Path) -> None:
    """Read the version from the header without opening the file through SQLite."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return
    except OSError as error:
        raise _storage_error(error, path) from error
    if len(header) == 100 and header.startswith(_HEADER):
        found = int.from_bytes(
            header[_USER_VERSION_OFFSET : _USER_VERSION_OFFSET + 4], "big", signed=True
        )
        if found > SCHEMA_VERSION:
            raise newer_version_error(path, found)


def _move_aside(path: Path, clock: Callable[[], float] = time.time) -> Path:
    """Rename the damaged file (and its WAL/SHM) to a backup name that does not exist yet."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    counter = 0
    while True:
        suffix = f".corrupt-{stamp}" + (f"-{counter}" if counter else "")
        backup = path.with_name(path.name + suffix)
        if not backup.exists():
            break
        counter += 1
    try:
        path.rename(backup)
        for side in _SIDE_FILES:
            extra = path.with_name(path.name + side)
            if extra.exists():
                extra.rename(backup.with_name(backup.name + side))
    except OSError as error:
        raise _storage_error(error, path) from error
    return backup
