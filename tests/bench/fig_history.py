"""history_open_ms and history_rss_mb: opening the history panel over 10,000 nodes.

The store gets 10,000 edit nodes in one transaction (as the history panel's own test does), over
a few hundred distinct 640x480 results whose thumbnails already exist on disk, as after earlier
sessions. Measured: `HistoryModel` + `HistoryPanel` made, shown, and the list's first paint flushed;
memory is the resident growth once the visible thumbnails have arrived. Naive: every node read at
once into a QListWidget, each row with its text and its thumbnail icon (cached per picture).
"""

from __future__ import annotations

import gc
import json
import time

import numpy as np
from common import Bench, Figure, now_ms, qt_app, rss_mb
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QWidget

from imgdesk.core.paths import app_paths
from imgdesk.core.store import Store
from imgdesk.core.store.history import insert_blobs
from imgdesk.models.history_model import THUMB_SIDE, HistoryModel
from imgdesk.ui.history_panel import HistoryPanel

FIGURES = ("history_open_ms", "history_rss_mb")
NODES = 10_000
OPEN_TARGET_MS = 300.0
RSS_TARGET_MB = 200.0
WORDS = ("red", "blue", "green", "yellow", "violet")


def _picture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (6, 8, 4), dtype=np.uint8)
    pixels = np.repeat(np.repeat(small, 80, axis=0), 80, axis=1)  # 480x640 blocks
    pixels[..., 3] = 255
    return np.ascontiguousarray(pixels)


def fill(store: Store, pictures: int) -> None:
    hashes = [store.blobs.put_image(_picture(i)) for i in range(pictures)]
    for hash_ in hashes:
        store.blobs.thumbnail(hash_, THUMB_SIDE)
    mask = store.blobs.put_mask(np.full((480, 640), 255, dtype=np.uint8))
    rows = []
    for i in range(NODES):
        prompt = f"{WORDS[i % len(WORDS)]} hat number {i}"
        params = json.dumps({"prompt": prompt, "quality": "low", "n": 1})
        rows.append((f"node{i:05d}", prompt, params, "done", float(i), float(i)))
    with store.db.write() as conn:
        conn.executemany(
            "INSERT INTO nodes (id, kind, prompt, params, engine, model, status, created, "
            "updated) VALUES (?, 'edit', ?, ?, 'openai', 'gpt-image-2', ?, ?, ?)",
            rows,
        )
        for i in range(NODES):
            insert_blobs(conn, f"node{i:05d}", "image", [hashes[i % pictures]])
            insert_blobs(conn, f"node{i:05d}", "mask", [mask])
            insert_blobs(conn, f"node{i:05d}", "output", [hashes[(i * 7 + 1) % pictures]])


class FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _show_until_painted(app: QApplication, widget: QWidget, viewport: QWidget) -> None:
    first = FirstPaint()
    viewport.installEventFilter(first)
    widget.resize(360, 900)
    widget.show()
    deadline = time.monotonic() + 30
    while not first.painted and time.monotonic() < deadline:
        app.processEvents()
    app.processEvents()  # the flush after the paint
    viewport.removeEventFilter(first)


def _settle(app: QApplication, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def open_panel(app: QApplication, store: Store) -> tuple[float, float, HistoryPanel]:
    gc.collect()
    before = rss_mb()
    start = now_ms()
    model = HistoryModel(store)
    panel = HistoryPanel(model)
    _show_until_painted(app, panel, panel.view.viewport())
    elapsed = now_ms() - start
    _settle(app, 1.5)  # the visible rows' thumbnails arrive from the loader
    return elapsed, rss_mb() - before, panel


def open_naive(app: QApplication, store: Store) -> tuple[float, float, QListWidget]:
    gc.collect()
    before = rss_mb()
    start = now_ms()
    nodes = store.history.page(limit=NODES)
    widget = QListWidget()
    icons: dict[str, QIcon] = {}
    for node in nodes:
        item = QListWidgetItem(node.prompt)
        source = node.thumbnail_source
        if source is not None:
            if source not in icons:
                path = store.blobs.thumbnail(source, THUMB_SIDE)
                icons[source] = QIcon(QPixmap.fromImage(QImage(str(path))))
            item.setIcon(icons[source])
        widget.addItem(item)
    _show_until_painted(app, widget, widget.viewport())
    elapsed = now_ms() - start
    _settle(app, 0.2)
    return elapsed, rss_mb() - before, widget


def run(bench: Bench) -> list[Figure]:
    app = qt_app()
    assert isinstance(app, QApplication)
    store = Store.open(app_paths(str(bench.workdir / "history-data")))
    try:
        fill(store, bench.pick(60, 300))
        app.processEvents()
        value, rss, panel = open_panel(app, store)
        rows = panel.model.rowCount()
        panel.close()
        panel.model.close()
        naive_value, naive_rss, widget = open_naive(app, store)
        widget.close()
    finally:
        store.close()
    note = f"{rows} rows fetched of {NODES}"
    return [
        Figure(
            "history_open_ms",
            value,
            naive_value,
            "ms",
            "< 300 ms",
            value < OPEN_TARGET_MS,
            note,
        ),
        Figure("history_rss_mb", rss, naive_rss, "MB", "< 200 MB", rss < RSS_TARGET_MB),
    ]
