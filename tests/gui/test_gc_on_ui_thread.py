"""Cyclic garbage is collected by the UI thread's timer, never by whichever thread allocates."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from imgdesk.ui.gc_on_ui_thread import UiThreadGarbageCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it


def test_cycles_wait_for_the_ui_thread_and_are_then_freed(qtbot: QtBot) -> None:
    owner = QObject()
    collector = UiThreadGarbageCollector(owner, interval_ms=10)
    try:
        assert not gc.isenabled()
        ref = weakref.ref(_Node())

        kept: list[list[list[int]]] = []

        def allocate_a_lot() -> None:
            # Far past the generation-0 threshold: automatic collection would run right here.
            kept.append([[i] for i in range(50_000)])

        worker = threading.Thread(target=allocate_a_lot)
        worker.start()
        worker.join()
        assert ref() is not None  # the worker's allocations did not collect it
        qtbot.waitUntil(lambda: ref() is None, timeout=5000)  # the UI thread's timer did
    finally:
        collector.stop()
        owner.deleteLater()
    assert gc.isenabled()
