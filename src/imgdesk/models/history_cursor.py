"""Which history node the document shows: the parent of the next edit.

The document's pixels are immutable arrays, and every change (apply, restore, undo, redo) swaps
one array for another, so the node is found by the identity of the array on screen. An undo
brings back the earlier array and with it the earlier node; editing from there makes a branch.
A picture with no node yet (just opened, or an expanded canvas) becomes a root node, written off
the UI thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from typing import Any

from PySide6.QtCore import QObject, Signal

from imgdesk.core.edit_types import RGBAArray
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.store import Store
from imgdesk.models.document import DocumentModel

log = logging.getLogger("imgdesk.history")


class HistoryCursor(QObject):
    current_changed = Signal(str)  # node id ("" when the picture has none yet)
    node_added = Signal(str)  # a root node was written
    error_raised = Signal(object)  # ImgdeskError

    def __init__(
        self, store: Store, document: DocumentModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._document = document
        self._nodes: dict[int, tuple[weakref.ref[Any], str]] = {}
        self._pending: dict[int, asyncio.Task[str | None]] = {}
        self._current = ""
        document.image_changed.connect(self._on_image)

    @property
    def current(self) -> str | None:
        return self._current or None

    def node_for(self, pixels: RGBAArray | None) -> str | None:
        if pixels is None:
            return None
        entry = self._nodes.get(id(pixels))
        if entry is None or entry[0]() is not pixels:
            return None
        return entry[1]

    def bind(self, pixels: RGBAArray, node_id: str) -> None:
        """`pixels` (as the document holds them) are the picture of `node_id`."""
        for key, (ref, _) in list(self._nodes.items()):
            if ref() is None:
                del self._nodes[key]
        self._nodes[id(pixels)] = (weakref.ref(pixels), node_id)
        if pixels is self._document.pixels:
            self._set_current(node_id)

    async def ensure_node(self, pixels: RGBAArray, image_hash: str | None = None) -> str | None:
        """The node of `pixels`, writing a root node for them when they have none."""
        known = self.node_for(pixels)
        if known is not None:
            return known
        return await asyncio.shield(self._root_task(pixels, image_hash))

    def _root_task(self, pixels: RGBAArray, image_hash: str | None) -> asyncio.Task[str | None]:
        key = id(pixels)
        task = self._pending.get(key)
        if task is None:
            task = asyncio.ensure_future(self._add_root(pixels, image_hash))
            self._pending[key] = task
            task.add_done_callback(lambda _: self._pending.pop(key, None))
        return task

    async def _add_root(self, pixels: RGBAArray, image_hash: str | None) -> str | None:
        try:
            if image_hash is None:
                image_hash = await asyncio.to_thread(
                    self.store.blobs.put_image, pixels, self._document.icc_profile
                )
            node_id = await asyncio.to_thread(self.store.history.add_root, image_hash)
        except ImgdeskError as error:
            self.error_raised.emit(error)
            return None
        self.bind(pixels, node_id)
        self.node_added.emit(node_id)
        return node_id

    def _on_image(self) -> None:
        pixels = self._document.pixels
        node = self.node_for(pixels)
        self._set_current(node or "")
        # A freshly opened picture (no undo steps yet) starts its own tree at once, so the
        # history lists it; other new pictures get their node when an edit needs a parent.
        if pixels is not None and node is None and self._document.undo_stack.count() == 0:
            with contextlib.suppress(RuntimeError):  # no event loop (a script): on demand only
                asyncio.get_running_loop()
                self._root_task(pixels, None)

    def _set_current(self, node_id: str) -> None:
        if node_id != self._current:
            self._current = node_id
            self.current_changed.emit(node_id)

    async def aclose(self) -> None:
        tasks = list(self._pending.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
