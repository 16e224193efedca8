"""Any sequence of ledger operations and crashes keeps the books straight (hypothesis, stateful).

Invariants after every step: balance == sum of entries >= 0; each (kind, reference) appears once;
each purchase is credited at most once; a settled job never has more charged than it held; and the
balance equals the model's count of what was bought, granted and charged.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.ledger import Ledger

JOBS = st.sampled_from([f"job-{i}" for i in range(6)])
CREDITS = st.integers(min_value=0, max_value=400)


class LedgerMachine(RuleBasedStateMachine):
    purchases = Bundle("purchases")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-"))
        self.path = self.folder / "ledger.sqlite3"
        self.ledger = Ledger(self.path)
        self.expected = 0  # what the balance must be, kept by the model
        self.holds: dict[str, int] = {}  # open holds
        self.settled: set[str] = set()
        self.credited: set[str] = set()

    def teardown(self) -> None:
        self.ledger.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(target=purchases, credits=st.integers(min_value=1, max_value=1000))
    def start_purchase(self, credits: int) -> str:
        purchase_id: str = self.ledger.create_purchase("pack", credits, credits, "usd").id
        return purchase_id

    @rule(purchase_id=purchases)
    def credit(self, purchase_id: str) -> None:
        credited = self.ledger.credit_purchase(purchase_id)
        assert credited == (purchase_id not in self.credited)
        if credited:
            row = self.ledger.purchase(purchase_id)
            assert row is not None
            self.expected += row.credits
            self.credited.add(purchase_id)

    @rule(reference=st.text(min_size=1, max_size=4), credits=st.integers(1, 50))
    def grant(self, reference: str, credits: int) -> None:
        if self.ledger.grant("g:" + reference, credits):
            self.expected += credits

    @rule(job=JOBS, credits=CREDITS)
    def hold(self, job: str, credits: int) -> None:
        if job in self.holds or job in self.settled:
            return  # the app takes one hold per job id
        if credits > self.expected:
            with pytest.raises(ImgdeskError) as refused:
                self.ledger.hold(job, credits)
            assert refused.value.kind is ErrorKind.QUOTA
            return
        self.ledger.hold(job, credits)
        self.holds[job] = credits
        self.expected -= credits

    @rule(job=JOBS, cost=CREDITS)
    def capture(self, job: str, cost: int) -> None:
        charged = self.ledger.capture(job, cost)
        if job in self.holds:
            held = self.holds.pop(job)
            assert charged == min(cost, held)
            self.expected += held - charged
            self.settled.add(job)
        else:
            assert charged == 0

    @rule(job=JOBS)
    def release(self, job: str) -> None:
        released = self.ledger.release(job)
        assert released == (job in self.holds)
        if released:
            self.expected += self.holds.pop(job)
            self.settled.add(job)

    @rule()
    def crash_and_reopen(self) -> None:
        self.ledger.close()
        self.ledger = Ledger(self.path)

    @rule(credits=st.integers(1, 100))
    def crash_mid_transaction(self, credits: int) -> None:
        # A write that was started but never committed (the process died): it must leave no trace.
        self.ledger._db.execute("BEGIN IMMEDIATE")
        self.ledger._db.execute(
            "INSERT INTO entries (kind, reference, delta, amount, created) "
            "VALUES ('grant', 'torn-write', ?, ?, 0)",
            (credits, credits),
        )
        self.ledger.close()
        self.ledger = Ledger(self.path)

    @rule()
    def settle_at_startup(self) -> None:
        for entry in self.ledger.open_holds():
            assert self.ledger.release(entry.reference)
            self.expected += self.holds.pop(entry.reference)
            self.settled.add(entry.reference)
        assert self.holds == {}

    @invariant()
    def books_balance(self) -> None:
        db = sqlite3.connect(self.path)
        try:
            total = db.execute("SELECT COALESCE(SUM(delta), 0) FROM entries").fetchone()[0]
            duplicates = db.execute(
                "SELECT COUNT(*) FROM (SELECT kind, reference FROM entries "
                "GROUP BY kind, reference HAVING COUNT(*) > 1)"
            ).fetchone()[0]
            purchases = db.execute(
                "SELECT COUNT(*) FROM entries WHERE kind = 'purchase'"
            ).fetchone()[0]
            overcharged = db.execute(
                "SELECT COUNT(*) FROM entries AS h JOIN entries AS c "
                "ON c.reference = h.reference AND c.kind = 'capture' "
                "WHERE h.kind = 'hold' AND c.amount > h.amount"
            ).fetchone()[0]
        finally:
            db.close()
        assert self.ledger.balance() == total == self.expected
        assert total >= 0
        assert duplicates == 0
        assert purchases == len(self.credited)
        assert overcharged == 0
        assert {e.reference for e in self.ledger.open_holds()} == set(self.holds)


LedgerMachine.TestCase.settings = settings(max_examples=50, stateful_step_count=30, deadline=None)
# Every write is fsynced (synchronous=FULL), which makes a few thousand steps take seconds.
TestLedgerMachine = pytest.mark.slow(LedgerMachine.TestCase)
