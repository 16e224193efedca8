"""The history dock, the queue's status line and Batch Variants in the main window.

What the history panel asks for (restore, compare, reuse) happens here, against the window's
document and session: restoring is one undo step and makes the node current, so the next edit
branches from it; comparing shows the node's picture as the preview beside the document.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QPushButton

from imgdesk.core import color
from imgdesk.core.edit_types import EditParams, RGBAArray
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.imageio import LoadedImage
from imgdesk.core.queue_runner import QueueStatus, RunnerState
from imgdesk.core.store import Node
from imgdesk.ui.batch_dialog import BatchDialog
from imgdesk.ui.history_panel import HistoryPanel
from imgdesk.ui.translations import queue_status_text
from imgdesk.ui.window_queue import EditBackend

if TYPE_CHECKING:
    from imgdesk.ui.main_window import MainWindow

log = logging.getLogger("imgdesk.window")

_PARAM_FIELDS = frozenset(f.name for f in dataclasses.fields(EditParams)) - {"prompt"}


def status_text(status: QueueStatus) -> str:
    """The status bar's words for the queue ("offline: 3 queued", "paused: not enough credits")."""
    if status.state is RunnerState.PAUSED and status.error is not None:
        if status.error.action is Action.BUY_TOKENS:
            return translate("EditSession", "paused: not enough credits")
        return translate("WindowHistory", "paused: {reason}").format(
            reason=status.error.localized()
        )
    if status.state is RunnerState.RUNNING and not status.queued:
        return translate("WindowHistory", "{running} running").format(running=status.running)
    if status.state is RunnerState.IDLE:
        return ""
    return queue_status_text(status)


class QueueControls(QObject):
    def __init__(self, backend: EditBackend, window: MainWindow) -> None:
        super().__init__(window)
        self.backend = backend
        self._window = window
        self._tasks: set[asyncio.Task[Any]] = set()
        self.batch_dialog: BatchDialog | None = None
        queue = backend.queue

        self.panel = HistoryPanel(backend.history, window)
        self.panel.setEnabled(backend.history_enabled)
        self.dock = window.history_dock  # placed by the window's frame
        self.dock.setWidget(self.panel)
        toggle = self.dock.toggleViewAction()
        panels = window.actions_.panels_menu
        toggle.setText(
            translate("WindowHistory", "&{value} History").format(value=len(panels.actions()) + 1)
        )
        panels.addAction(toggle)
        actions = window.actions_
        batch = actions.add(
            actions.file_menu, "batch", "&Batch Variants…", "Ctrl+Shift+B", self.open_batch
        )
        actions.file_menu.removeAction(batch)
        actions.file_menu.insertAction(actions.by_name["quit"], batch)

        self.status_label = QLabel(window)
        self.status_label.setObjectName("queueLabel")
        window.statusBar().addPermanentWidget(self.status_label)
        # While offline (or waiting out a rate limit) the queue retries on its own with backoff;
        # this skips the rest of the wait, e.g. right after the user reconnected.
        self.retry_now_button = QPushButton(translate("WindowHistory", "Retry now"), window)
        self.retry_now_button.setObjectName("queueRetryNow")
        self.retry_now_button.setToolTip(
            translate("WindowHistory", "Try sending the waiting edits now")
        )
        self.retry_now_button.setFlat(True)
        self.retry_now_button.setVisible(False)
        self.retry_now_button.clicked.connect(queue.retry_now)
        window.statusBar().addPermanentWidget(self.retry_now_button)
        # Many jobs finishing at once reload the history once.
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(150)
        self._refresh.timeout.connect(backend.history.refresh)

        queue.status_changed.connect(self._on_status)
        queue.job_finished.connect(lambda _id: self._refresh.start())
        queue.error_raised.connect(window.show_error)
        backend.cursor.node_added.connect(lambda _id: self._refresh.start())
        backend.cursor.current_changed.connect(lambda _id: self._refresh.start())
        backend.cursor.error_raised.connect(window.show_error)
        self.panel.restore_requested.connect(self.restore)
        self.panel.compare_requested.connect(self.compare)
        self.panel.reuse_prompt_requested.connect(self.reuse_prompt)
        self.panel.reuse_mask_requested.connect(self.reuse_mask)
        self.panel.reuse_params_requested.connect(self.reuse_params)
        self.panel.cancel_requested.connect(self.cancel_jobs)
        self.panel.retry_requested.connect(self.retry_jobs)
        self.panel.move_requested.connect(self.move_job)
        window.settings.key_changed.connect(self._on_settings)
        window.settings.changed.connect(self._on_settings)
        if window.account is not None:
            window.account.model.balance_changed.connect(self._on_balance)
        if backend.notice:
            window.banner.show_notice(backend.notice)
        self._on_status(queue.status)

    # --- queue ---------------------------------------------------------------------------------

    def _on_status(self, status: QueueStatus) -> None:
        self.status_label.setText(status_text(status))
        waiting = status.state in (RunnerState.OFFLINE, RunnerState.WAITING)
        self.retry_now_button.setVisible(waiting and status.queued > 0)
        self._refresh.start()
        error = status.error
        paused = status.state is RunnerState.PAUSED
        shown = self._window.banner.kind
        if paused and error is not None and error.action is Action.BUY_TOKENS and shown is None:
            self._window.show_error(error)  # with its Buy tokens button

    def _on_balance(self, _balance: int) -> None:
        paused = self.backend.queue.runner.paused
        if paused is not None and paused.action is Action.BUY_TOKENS:
            self.backend.queue.resume()  # credits arrived: the waiting jobs go out

    def _on_settings(self, *_: object) -> None:
        runner = self.backend.queue.runner
        runner.refresh_engines()  # a new key or endpoint applies to the next job
        if runner.paused is not None and runner.paused.kind is ErrorKind.AUTH:
            self.backend.queue.resume()

    # --- job control (from the history panel) ---------------------------------------------------

    def cancel_jobs(self, node_ids: list[str]) -> None:
        self.backend.queue.cancel(node_ids)
        self.backend.history.refresh()  # at once: the rows show "cancelled"

    def retry_jobs(self, node_ids: list[str]) -> None:
        self.backend.queue.retry(node_ids)
        self.backend.history.refresh()

    def move_job(self, node_id: str, before: str | None) -> None:
        try:
            self.backend.queue.move(node_id, before)
        except ImgdeskError as error:  # the job it was to go before has just been sent
            self._window.show_error(error)
        self.backend.history.refresh()

    # --- history -------------------------------------------------------------------------------

    def restore(self, node_id: str) -> asyncio.Task[Any]:
        """Make the node's picture the document (one undo step) and the node current."""
        return self._spawn(self._restore(node_id))

    async def _restore(self, node_id: str) -> None:
        store = self.backend.store
        node = await asyncio.to_thread(store.history.get, node_id)
        target: str | None = node.id
        if node.kind == "edit" and node.outputs:
            # An edit's picture is its first result: restoring it applies that variant.
            target = await asyncio.to_thread(store.history.apply_variant, node.id, 0)
            picture = node.outputs[0]
        elif node.kind == "edit":
            target, picture = node.parent, node.image or ""
        else:
            picture = node.image or ""
        loaded = await asyncio.to_thread(store.blobs.read_loaded, picture)
        pixels = loaded.pixels
        document = self._window.document
        if document.pixels is None:
            alpha = bool((pixels[..., 3] < 255).any())
            # The blob embeds the colour space its pixels are in (a P3 photo stays P3).
            document.set_document(LoadedImage(pixels, loaded.icc_profile, "PNG", None, alpha))
        else:
            # The open document keeps its colour space: a picture kept in another one (another
            # photo's, a P3 picture into an sRGB document) is converted, not misread.
            pixels = await asyncio.to_thread(
                color.convert, pixels, loaded.icc_profile, document.icc_profile
            )
            self._window.session.discard_variants()
            document.set_image(pixels, translate("WindowHistory", "Restore from history"))
        current = document.pixels
        if target is not None and current is not None:
            self.backend.cursor.bind(current, target)
        self._refresh.start()

    def compare(self, node_id: str) -> asyncio.Task[Any]:
        return self._spawn(self._compare(node_id))

    async def _compare(self, node_id: str) -> None:
        node = await asyncio.to_thread(self.backend.store.history.get, node_id)
        document = self._window.document
        pixels = await asyncio.to_thread(self._picture, node, document.icc_profile)
        if document.pixels is None or pixels.shape != document.pixels.shape:
            self._window.banner.show_notice(
                translate(
                    "WindowHistory",
                    "That picture has a different size, so it cannot be compared side by side.",
                )
            )
            return
        document.show_preview(pixels)
        self._window.tools.set_split_view(True)

    def _picture(self, node: Node, icc_profile: bytes | None) -> RGBAArray:
        """The node's picture in the colour space `icc_profile` describes (the document's)."""
        source = node.thumbnail_source
        if source is None:
            raise ImgdeskError(
                ErrorKind.STORAGE, QT_TRANSLATE_NOOP("errors", "That history entry has no picture.")
            )
        loaded = self.backend.store.blobs.read_loaded(source)
        return color.convert(loaded.pixels, loaded.icc_profile, icc_profile)

    def reuse_prompt(self, prompt: str) -> None:
        self._window.session.update_params(prompt=prompt)

    def reuse_params(self, params: dict[str, Any]) -> None:
        known = {k: v for k, v in params.items() if k in _PARAM_FIELDS}
        self._window.session.update_params(**known)

    def reuse_mask(self, mask_hash: str) -> asyncio.Task[Any]:
        return self._spawn(self._reuse_mask(mask_hash))

    async def _reuse_mask(self, mask_hash: str) -> None:
        mask = await asyncio.to_thread(self.backend.store.blobs.read_mask, mask_hash)
        task = self._window.document.replace_mask(
            mask, translate("WindowHistory", "Use mask from history")
        )
        if task is not None:
            await task

    # --- batch ---------------------------------------------------------------------------------

    def open_batch(self) -> BatchDialog | None:
        window = self._window
        pixels, mask = window.document.pixels, window.document.mask
        if pixels is None or mask is None or not mask.any():
            window.show_error(
                ImgdeskError(
                    ErrorKind.MASK,
                    QT_TRANSLATE_NOOP("errors", "Open a photo and paint the area to change first."),
                )
            )
            return None
        session = window.session
        engine = window.settings.effective_engine(session.engine_choice)
        dialog = BatchDialog(
            self.backend.store,
            self.backend.queue,
            pixels,
            mask.copy(),
            session.params,
            engine,
            window,
        )
        dialog.setObjectName("batchDialog")
        dialog.finished.connect(self._forget_batch)
        dialog.show()
        self.batch_dialog = dialog
        return dialog

    def _forget_batch(self) -> None:
        if self.batch_dialog is not None:
            self.batch_dialog.deleteLater()
            self.batch_dialog = None

    # --- tasks ---------------------------------------------------------------------------------

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        async def guarded() -> None:
            try:
                await coro
            except ImgdeskError as error:
                self._window.show_error(error)

        task = asyncio.ensure_future(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def aclose(self) -> None:
        self._refresh.stop()
        if self.batch_dialog is not None:
            self.batch_dialog.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.backend.aclose()
