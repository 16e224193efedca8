"""The credit ledger: append-only entries in their own SQLite file, balance = sum of entries.

Every change to the balance is one row with a signed `delta`; nothing is ever updated or deleted.
A unique (kind, reference) pair makes each purchase credited, each hold taken and each hold settled
at most once, even across processes and crashes: SQLite refuses the second row, not our code.
Writes run inside `BEGIN IMMEDIATE`, so the balance check and the insert see the same state.

Kinds and the sign of their delta:
- purchase (+credits, reference = local purchase id), grant (+credits, any reference)
- hold (-estimate, reference = job id), taken before a job is sent
- capture (0, amount = what the job actually cost), written together with the release
- release (+hold - cost, reference = job id): exactly one per settled hold
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

SCHEMA_VERSION = 1
LEDGER_FILE = "ledger.sqlite3"

PURCHASE_STATES = ("pending", "credited", "expired", "cancelled", "failed")
# A purchase in one of these states will never change again.
FINAL_STATES = frozenset({"credited", "expired", "cancelled", "failed"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'grant', 'hold', 'capture', 'release')),
    reference TEXT NOT NULL,
    delta INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    created REAL NOT NULL,
    UNIQUE (kind, reference)
);
CREATE TABLE IF NOT EXISTS purchases (
    id TEXT PRIMARY KEY,
    pack TEXT NOT NULL,
    credits INTEGER NOT NULL CHECK (credits > 0),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL,
    nonce TEXT NOT NULL UNIQUE,
    session_id TEXT UNIQUE,
    url TEXT,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS purchases_by_state ON purchases (state);
"""


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    reference: str
    delta: int
    amount: int
    created: float


@dataclass(frozen=True)
class Purchase:
    id: str  # random, sent to Stripe as client_reference_id
    pack: str
    credits: int
    amount: int  # in the currency's minor unit (cents)
    currency: str  # lower case, as Stripe writes it
    nonce: str  # the per-purchase `state` the callback must carry back
    session_id: str | None
    url: str | None
    state: str
    reason: str
    created: float
    updated: float


def not_enough_credits(needed: int, balance: int) -> ImgdeskError:
    return ImgdeskError.make(
        ErrorKind.QUOTA,
        QT_TRANSLATE_NOOP(
            "errors", "Not enough credits: this edit needs {needed}, you have {balance}."
        ),
        action=Action.BUY_TOKENS,
        needed=needed,
        balance=balance,
    )


class Ledger:
    """One connection to the ledger file. Not shared between threads; open one per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: every transaction below is explicit; none is left open by accident.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (sqlite3.Error, OSError) as error:
            raise _storage_error(error) from error

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        with self._write():
            # One statement at a time: executescript() would commit behind our back.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            elif int(row[0]) > SCHEMA_VERSION:
                raise ImgdeskError(
                    ErrorKind.CONFIG,
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "The credit ledger was written by a newer imgdesk. Update imgdesk to use "
                        "it.",
                    ),
                )

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction that holds the write lock from its first statement."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _storage_error(error) from error
        try:
            yield
        except sqlite3.Error as error:
            # SQLite may already have rolled back (SQLITE_FULL, IOERR): a second ROLLBACK fails.
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise _storage_error(error) from error
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise _storage_error(error) from error

    # --- reading -------------------------------------------------------------------------------

    def balance(self) -> int:
        row = self._db.execute("SELECT COALESCE(SUM(delta), 0) FROM entries").fetchone()
        return int(row[0])

    def entries(self, *, reference: str | None = None) -> list[Entry]:
        query = "SELECT seq, kind, reference, delta, amount, created FROM entries"
        params: tuple[str, ...] = ()
        if reference is not None:
            query += " WHERE reference = ?"
            params = (reference,)
        return [Entry(*row) for row in self._db.execute(query + " ORDER BY seq", params)]

    def open_holds(self) -> list[Entry]:
        """Holds that were never captured or released: jobs that have not finished (yet)."""
        rows = self._db.execute(
            "SELECT seq, kind, reference, delta, amount, created FROM entries AS h "
            "WHERE kind = 'hold' AND NOT EXISTS "
            "(SELECT 1 FROM entries AS r WHERE r.kind = 'release' AND r.reference = h.reference) "
            "ORDER BY seq"
        )
        return [Entry(*row) for row in rows]

    # --- credits in ----------------------------------------------------------------------------

    def grant(self, reference: str, credits: int) -> bool:
        """Free credits (a promotion, a refund by hand). False if `reference` was granted before."""
        if credits <= 0:
            raise ValueError("a grant must add credits")
        with self._write():
            return self._insert("grant", reference, credits, credits)

    # --- holds ---------------------------------------------------------------------------------

    def hold(self, reference: str, credits: int) -> None:
        """Set aside `credits` for job `reference`, or refuse with a "Buy tokens" error.

        Taking the same hold twice is harmless (a job retried after a crash); a different amount
        for the same job is a bug in the caller.
        """
        if credits < 0:
            raise ValueError("a hold cannot be negative")
        with self._write():
            existing = self._db.execute(
                "SELECT amount FROM entries WHERE kind = 'hold' AND reference = ?", (reference,)
            ).fetchone()
            if existing is not None:
                if int(existing[0]) != credits:
                    raise ValueError(f"job {reference} already holds {existing[0]} credits")
                return
            balance = self.balance()
            if credits > balance:
                raise not_enough_credits(credits, balance)
            self._insert("hold", reference, -credits, credits)

    def capture(self, reference: str, cost: int) -> int:
        """Charge job `reference` its actual cost (capped at its hold); give back the rest.

        Returns what was charged. A hold settled before (captured or released) charges nothing
        more; a job without a hold was never metered and charges nothing.
        """
        if cost < 0:
            raise ValueError("a cost cannot be negative")
        with self._write():
            held = self._held(reference)
            if held is None or self._settled(reference):
                return 0
            charged = min(cost, held)
            self._insert("capture", reference, 0, charged)
            self._insert("release", reference, held - charged, held - charged)
            return charged

    def release(self, reference: str) -> bool:
        """Give back all the hold of a failed, cancelled or abandoned job; False if none is open."""
        with self._write():
            held = self._held(reference)
            if held is None or self._settled(reference):
                return False
            self._insert("release", reference, held, held)
            return True

    def _held(self, reference: str) -> int | None:
        row = self._db.execute(
            "SELECT amount FROM entries WHERE kind = 'hold' AND reference = ?", (reference,)
        ).fetchone()
        return None if row is None else int(row[0])

    def _settled(self, reference: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM entries WHERE kind = 'release' AND reference = ?", (reference,)
        ).fetchone()
        return row is not None

    def _insert(self, kind: str, reference: str, delta: int, amount: int) -> bool:
        try:
            self._db.execute(
                "INSERT INTO entries (kind, reference, delta, amount, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, reference, delta, amount, time.time()),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    # --- purchases -----------------------------------------------------------------------------

    def create_purchase(self, pack: str, credits: int, amount: int, currency: str) -> Purchase:
        now = time.time()
        purchase_id = "pur_" + secrets.token_hex(12)
        nonce = secrets.token_urlsafe(24)
        with self._write():
            self._db.execute(
                "INSERT INTO purchases (id, pack, credits, amount, currency, nonce, state, "
                "created, updated) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                (purchase_id, pack, credits, amount, currency.lower(), nonce, now, now),
            )
        found = self.purchase(purchase_id)
        assert found is not None
        return found

    def attach_session(self, purchase_id: str, session_id: str, url: str) -> None:
        with self._write():
            self._db.execute(
                "UPDATE purchases SET session_id = ?, url = ?, updated = ? "
                "WHERE id = ? AND session_id IS NULL",
                (session_id, url, time.time(), purchase_id),
            )

    def purchase(self, purchase_id: str) -> Purchase | None:
        return self._one_purchase("id = ?", purchase_id)

    def purchase_by_nonce(self, nonce: str) -> Purchase | None:
        return self._one_purchase("nonce = ?", nonce)

    def purchases(self, *, state: str | None = None) -> list[Purchase]:
        query = f"SELECT {_PURCHASE_COLUMNS} FROM purchases"
        params: tuple[str, ...] = ()
        if state is not None:
            query += " WHERE state = ?"
            params = (state,)
        return [Purchase(*row) for row in self._db.execute(query + " ORDER BY created", params)]

    def _one_purchase(self, where: str, value: str) -> Purchase | None:
        row = self._db.execute(
            f"SELECT {_PURCHASE_COLUMNS} FROM purchases WHERE {where}", (value,)
        ).fetchone()
        return None if row is None else Purchase(*row)

    def credit_purchase(self, purchase_id: str) -> bool:
        """Add a verified purchase's credits. True only for the one call that actually credits."""
        with self._write():
            row = self._db.execute(
                "SELECT credits FROM purchases WHERE id = ?", (purchase_id,)
            ).fetchone()
            if row is None:
                return False
            credits = int(row[0])
            # The unique (kind, reference) row is the real guard; the state is for people.
            credited = self._insert("purchase", purchase_id, credits, credits)
            self._db.execute(
                "UPDATE purchases SET state = 'credited', reason = '', updated = ? WHERE id = ?",
                (time.time(), purchase_id),
            )
            return credited

    def close_purchase(self, purchase_id: str, state: str, reason: str = "") -> bool:
        """Move a pending purchase to expired, cancelled or failed. False if it was not pending."""
        if state not in FINAL_STATES or state == "credited":
            raise ValueError(f"cannot close a purchase as {state!r}")
        with self._write():
            cursor = self._db.execute(
                "UPDATE purchases SET state = ?, reason = ?, updated = ? "
                "WHERE id = ? AND state = 'pending'",
                (state, reason, time.time(), purchase_id),
            )
            return cursor.rowcount == 1


_PURCHASE_COLUMNS = (
    "id, pack, credits, amount, currency, nonce, session_id, url, state, reason, created, updated"
)


def _storage_error(error: sqlite3.Error | OSError) -> ImgdeskError:
    return ImgdeskError(
        ErrorKind.STORAGE,
        QT_TRANSLATE_NOOP(
            "errors",
            "The credit ledger could not be read or written. Check that the data folder is "
            "writable and the disk is not full.",
        ),
        detail=f"{type(error).__name__}: {error}",
    )
