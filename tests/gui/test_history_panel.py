"""The history panel over 10,000 nodes: opens paged, scrolls, searches, stars, deletes, reuses."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from imgdesk.core.edit_types import EditParams
from imgdesk.core.paths import app_paths
from imgdesk.core.store import NodeFilter, Store
from imgdesk.core.store.history import insert_blobs
from imgdesk.models.history_model import PAGE_SIZE, HistoryModel
from imgdesk.models.queue_model import QueueModel
from imgdesk.ui.batch_dialog import BatchDialog
from imgdesk.ui.history_panel import HistoryPanel
from restart_worker import QuickEngine, mask, photo

NODES = 10_000
WORDS = ("red", "blue", "green", "yellow", "violet")


def _picture(seed: int) -> np.ndarray:
    pixels = np.zeros((40, 60, 4), dtype=np.uint8)
    pixels[..., seed % 3] = 200
    pixels[..., 3] = 255
    return pixels


def _fill(store: Store) -> dict[str, str]:
    """10,000 edit nodes in one transaction; a few distinct pictures, as a long session has."""
    pictures = [store.blobs.put_image(_picture(i)) for i in range(3)]
    mask = store.blobs.put_mask(np.full((40, 60), 255, dtype=np.uint8))
    rows = []
    for i in range(NODES):
        prompt = f"{WORDS[i % len(WORDS)]} hat number {i}"
        params = json.dumps({"prompt": prompt, "quality": "low", "n": 1})
        rows.append((f"node{i:05d}", prompt, params, "done", float(i)))
    with store.db.write() as conn:
        conn.executemany(
            "INSERT INTO nodes (id, kind, prompt, params, engine, model, status, created, "
            "updated) VALUES (?, 'edit', ?, ?, 'local', 'gpt-image-2', ?, ?, ?)",
            [(*row, row[-1]) for row in rows],
        )
        for i in range(NODES):
            insert_blobs(conn, f"node{i:05d}", "image", [pictures[i % 3]])
            insert_blobs(conn, f"node{i:05d}", "mask", [mask])
            insert_blobs(conn, f"node{i:05d}", "output", [pictures[(i + 1) % 3]])
    return {"newest": f"node{NODES - 1:05d}", "mask": mask}


@pytest.fixture
def filled() -> Iterator[tuple[Store, dict[str, str]]]:
    store = Store.open()
    info = _fill(store)
    yield store, info
    store.close()


@pytest.fixture
def panel(qtbot: QtBot, filled: tuple[Store, dict[str, str]]) -> Iterator[HistoryPanel]:
    model = HistoryModel(filled[0])
    widget = HistoryPanel(model)
    qtbot.addWidget(widget)
    widget.resize(360, 600)
    widget.show()
    yield widget
    model.close()


def _select(panel: HistoryPanel, row: int) -> None:
    index = panel.model.index(row)
    panel.view.setCurrentIndex(index)
    panel.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_opens_with_one_page_and_counts_all(panel: HistoryPanel) -> None:
    assert panel.objectName() == "historyPanel"
    assert panel.model.total == NODES
    assert panel.model.rowCount() == PAGE_SIZE
    assert panel.count_label.text() == "10000 edits"
    assert panel.model.index(0).data() == f"violet hat number {NODES - 1}"


def test_scrolling_fetches_more_and_thumbnails_arrive(qtbot: QtBot, panel: HistoryPanel) -> None:
    view = panel.view
    for _ in range(4):
        view.scrollToBottom()  # the view asks the model for the next page
        qtbot.wait(10)
    assert panel.model.rowCount() >= 3 * PAGE_SIZE
    # Rows keep their order across pages: newest first, no gaps.
    rows = [panel.model.node_at(r).id for r in range(panel.model.rowCount())]
    assert rows == [f"node{i:05d}" for i in range(NODES - 1, NODES - 1 - len(rows), -1)]
    # The visible rows get their thumbnails from the worker threads.
    top = view.indexAt(view.viewport().rect().topLeft())
    qtbot.waitUntil(
        lambda: isinstance(top.data(Qt.ItemDataRole.DecorationRole), QImage), timeout=10000
    )
    thumb = top.data(Qt.ItemDataRole.DecorationRole)
    assert (thumb.width(), thumb.height()) == (60, 40)  # small pictures are not enlarged
    assert thumb.pixelColor(30, 20).alpha() == 255


def test_search_filters_and_star_filter(qtbot: QtBot, panel: HistoryPanel) -> None:
    qtbot.keyClicks(panel.search, "number 999")
    # Every word must appear: 999, 1999, ..., 9999 and 9990..9998.
    assert panel.model.total == 19
    assert panel.count_label.text() == "19 edits"
    assert all("999" in panel.model.node_at(r).prompt for r in range(panel.model.rowCount()))
    panel.search.clear()
    qtbot.keyClicks(panel.search, "violet")
    assert panel.model.total == NODES // len(WORDS)

    _select(panel, 0)
    node_id = panel.model.node_at(0).id
    panel.star_button.click()
    assert panel.model.store.history.get(node_id).starred
    assert panel.model.index(0).data().startswith("★ ")
    panel.search.clear()
    panel.starred_only.setChecked(True)
    assert panel.model.total == 1
    assert panel.model.node_at(0).id == node_id
    _select(panel, 0)
    assert panel.star_button.text() == "Unstar"
    panel.star_button.click()
    assert panel.model.total == 0

    panel.starred_only.setChecked(False)
    panel.status_filter.setCurrentIndex(3)  # Failed
    assert panel.model.total == 0
    assert panel.model.node_filter == NodeFilter(statuses=("failed",))


def test_reuse_restore_compare_and_delete(
    qtbot: QtBot, panel: HistoryPanel, filled: tuple[Store, dict[str, str]]
) -> None:
    store, info = filled
    _select(panel, 0)
    with qtbot.waitSignal(panel.reuse_prompt_requested) as prompt:
        panel.reuse_prompt_button.click()
    assert prompt.args == [f"violet hat number {NODES - 1}"]
    with qtbot.waitSignal(panel.reuse_mask_requested) as mask:
        panel.reuse_mask_button.click()
    assert mask.args == [info["mask"]]
    with qtbot.waitSignal(panel.reuse_params_requested) as params:
        panel.reuse_params_button.click()
    assert params.args[0]["quality"] == "low"
    with qtbot.waitSignal(panel.restore_requested) as restore:
        panel.restore_button.click()
    assert restore.args == [info["newest"]]
    with qtbot.waitSignal(panel.compare_requested) as compare:
        panel.compare_button.click()
    assert compare.args == [info["newest"]]

    panel.view.selectionModel().select(
        panel.model.index(1), QItemSelectionModel.SelectionFlag.Select
    )
    assert panel.delete_selected() == 2
    assert panel.model.total == NODES - 2
    assert store.history.count() == NODES - 2
    # The pictures are shared with other nodes, so every file is still there.
    assert len(list(store.blobs.names())) == 4


# --- the batch dialog and the queue model, which feed the same history -----------------------


def test_batch_dialog_grid_fills_as_results_arrive(
    qtbot: QtBot, arun: Callable[[Awaitable[object]], object], tmp_path: Path
) -> None:
    store = Store.open()
    queue = QueueModel(store, lambda name: QuickEngine(), concurrency=2)
    messages: list[str] = []
    queue.message_changed.connect(messages.append)
    dialog = BatchDialog(store, queue, photo(), mask(), EditParams("", quality="low"), "quick")
    qtbot.addWidget(dialog)
    queue.start()
    try:
        dialog.prompts.setPlainText("# spring\nred hat\n\nblue hat\n")
        dialog.variants.setValue(2)
        batch = dialog.start()
        assert batch is not None
        assert len(batch.node_ids) == 4
        qtbot.waitUntil(lambda: dialog.results_model.rowCount() == 4, timeout=20_000)
        assert {dialog.results_model.node_at(r).prompt for r in range(4)} == {"red hat", "blue hat"}
        qtbot.waitUntil(lambda: queue.status.message == "Queue empty", timeout=5000)
        assert any(m.endswith("queued") for m in messages)
        assert queue.rowCount() == 0
        assert dialog.message.text().startswith("4/4 done")

        assert dialog.export(tmp_path / "out") == 4
        assert (tmp_path / "out" / "manifest.csv").exists()
        assert len(list((tmp_path / "out").glob("*-0[12].png"))) == 4
    finally:
        arun(queue.close())
        dialog.results_model.close()
        store.close()


def test_a_refresh_after_close_leaves_the_closed_store_alone(tmp_path: Path) -> None:
    # A debounced refresh can fire while the window shuts down, after the store has closed.
    store = Store.open(app_paths(tmp_path / "closing"))
    model = HistoryModel(store)
    model.close()
    store.close()
    model.refresh()
    model.fetchMore()
    assert model.rowCount() == 0


def test_a_claimed_job_reads_in_progress_not_sending(
    qtbot: QtBot, panel: HistoryPanel, filled: tuple[Store, dict[str, str]]
) -> None:
    # The queue plans a few jobs ahead of sending them: a claimed job may not be sent yet.
    store, info = filled
    with store.db.write() as conn:
        conn.execute("UPDATE nodes SET status = 'running' WHERE id = ?", (info["newest"],))
    panel.model.refresh()
    qtbot.waitUntil(lambda: panel.model.node_at(0).status == "running", timeout=5000)
    text = panel.model.data(panel.model.index(0))
    assert text.endswith(" — in progress")
