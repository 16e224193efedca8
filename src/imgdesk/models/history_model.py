"""The history as a Qt list model: paged from the store, thumbnails loaded off the UI thread.

Rows are fetched a page at a time (`canFetchMore`/`fetchMore`), so opening 10,000 nodes costs one
COUNT query and the first page; a view asks for more only as the user scrolls. Thumbnails are made
and decoded by a small thread pool and cached (bounded); a row shows no picture until its
thumbnail arrives, then `dataChanged` repaints it.
"""

from __future__ import annotations

import logging
import queue
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage

from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.store import Node, NodeFilter, Store

log = logging.getLogger("imgdesk.history")

PAGE_SIZE = 200
THUMB_SIDE = 128
CACHE_LIMIT = 1500

NodeRole = Qt.ItemDataRole.UserRole + 1
NodeIdRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3
StarredRole = Qt.ItemDataRole.UserRole + 4
QueuePositionRole = Qt.ItemDataRole.UserRole + 5  # 1-based place among waiting jobs, or None

_STATUS_WORDS = {
    # Claimed by the queue: being prepared, sent, or its answer stored (not only "sending": the
    # queue plans a few jobs ahead of the moment a place frees for them).
    "running": QT_TRANSLATE_NOOP("HistoryModel", "in progress"),
    "failed": QT_TRANSLATE_NOOP("HistoryModel", "failed"),
    "cancelled": QT_TRANSLATE_NOOP("HistoryModel", "cancelled"),
}

_Index: TypeAlias = QModelIndex | QPersistentModelIndex


class _ThumbnailLoader(QObject):
    """Makes thumbnail files in worker threads; the UI thread turns them into QImages.

    Workers never touch Qt: they hand PNG bytes over through a plain queue, which a timer on the
    UI thread drains while work is pending. (Emitting Qt signals from Python threads is where
    PySide6 on Python 3.11 has crashed for us.)
    """

    loaded = Signal(str, QImage)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="thumbs")
        self._pending: set[str] = set()
        self._results: queue.SimpleQueue[tuple[str, bytes]] = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._deliver)

    def request(self, hash_: str) -> None:
        if hash_ not in self._pending:
            self._pending.add(hash_)
            self._pool.submit(self._load, hash_)
            self._timer.start()

    def _load(self, hash_: str) -> None:
        try:
            data = self._store.blobs.thumbnail(hash_, THUMB_SIDE).read_bytes()
        except (ImgdeskError, OSError) as error:
            log.warning("no thumbnail for %s: %s", hash_, error)
            data = b""
        self._results.put((hash_, data))

    def _deliver(self) -> None:
        while True:
            try:
                hash_, data = self._results.get_nowait()
            except queue.Empty:
                break
            self._pending.discard(hash_)
            image = QImage.fromData(data) if data else QImage()
            self.loaded.emit(hash_, image)
        if not self._pending:
            self._timer.stop()

    def shutdown(self) -> None:
        self._timer.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)


class HistoryModel(QAbstractListModel):
    """Newest first. `set_filter` searches; `refresh` re-reads after the store changed."""

    filter_changed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._closed = False  # after close() the store may be gone: never touch it again
        self._filter = NodeFilter()
        self._nodes: list[Node] = []
        self._total = 0
        self._queue: list[str] = []  # waiting (queued, not yet sent) job ids in send order
        self._thumbs: OrderedDict[str, QImage] = OrderedDict()
        self._loader = _ThumbnailLoader(store, self)
        self._loader.loaded.connect(self._on_thumbnail)
        self.refresh()

    @property
    def store(self) -> Store:
        return self._store

    @property
    def node_filter(self) -> NodeFilter:
        return self._filter

    @property
    def total(self) -> int:
        """Rows matching the filter, fetched or not."""
        return self._total

    def set_filter(self, node_filter: NodeFilter) -> None:
        if node_filter != self._filter:
            self._filter = node_filter
            self.refresh()
            self.filter_changed.emit()

    def refresh(self) -> None:
        """Start over from the first page (after deletes, new jobs or a new filter)."""
        if self._closed:
            return  # a debounced refresh that fired during shutdown
        self.beginResetModel()
        self._total = self._store.history.count(self._filter)
        self._nodes = self._store.history.page(self._filter, offset=0, limit=PAGE_SIZE)
        self._queue = self._read_queue()
        self.endResetModel()

    @property
    def queue_order(self) -> list[str]:
        """Ids of the jobs still waiting to be sent, first to go first (as of the last refresh)."""
        return list(self._queue)

    def queue_position(self, node_id: str) -> int | None:
        try:
            return self._queue.index(node_id) + 1
        except ValueError:
            return None

    def _read_queue(self) -> list[str]:
        return [n.id for n in self._store.jobs.queued() if n.status == "queued"]

    def update_node(self, node_id: str) -> None:
        """Re-read one node (status or star changed) if it is loaded."""
        for row, node in enumerate(self._nodes):
            if node.id == node_id:
                self._nodes[row] = self._store.history.get(node_id)
                self._queue = self._read_queue()
                index = self.index(row)
                self.dataChanged.emit(index, index)
                return

    def node_at(self, row: int) -> Node:
        return self._nodes[row]

    def close(self) -> None:
        self._closed = True
        self._loader.shutdown()

    # --- QAbstractListModel --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._nodes)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._nodes) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._closed:
            return
        more = self._store.history.page(self._filter, offset=len(self._nodes), limit=PAGE_SIZE)
        if not more:
            self._total = len(self._nodes)
            return
        first = len(self._nodes)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._nodes.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._nodes):
            return None
        node = self._nodes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            star = "★ " if node.starred else ""
            prompt = node.prompt or translate("HistoryModel", "(opened picture)")
            return f"{star}{prompt}{self._state_words(node)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{node.prompt}\n{node.status} · {node.engine} {node.model}".strip()
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(node)
        if role == NodeRole:
            return node
        if role == NodeIdRole:
            return node.id
        if role == StatusRole:
            return node.status
        if role == StarredRole:
            return node.starred
        if role == QueuePositionRole:
            return self.queue_position(node.id)
        return None

    def _state_words(self, node: Node) -> str:
        """ " — waiting (2 of 3)", " — failed"...: finished edits need no suffix."""
        if node.status == "queued":
            place = self.queue_position(node.id)
            if place is None:
                return " — " + translate("HistoryModel", "waiting")
            return " — " + translate("HistoryModel", "waiting ({place} of {count})").format(
                place=place, count=len(self._queue)
            )
        word = _STATUS_WORDS.get(node.status)
        return f" — {translate('HistoryModel', word)}" if word else ""

    # --- thumbnails ----------------------------------------------------------------------------

    def _thumbnail(self, node: Node) -> QImage | None:
        source = node.thumbnail_source
        if source is None:
            return None
        image = self._thumbs.get(source)
        if image is not None:
            self._thumbs.move_to_end(source)
            return image
        self._loader.request(source)
        return None

    def _on_thumbnail(self, hash_: str, image: QImage) -> None:
        if image.isNull():
            return
        self._thumbs[hash_] = image
        while len(self._thumbs) > CACHE_LIMIT:
            self._thumbs.popitem(last=False)
        for row, node in enumerate(self._nodes):
            if node.thumbnail_source == hash_:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
