"""The batch dialog: prompts (typed or from a file) × n variants, results in a grid as they come.

The jobs go through the shared queue (`QueueModel`), so closing the dialog, losing the network or
quitting the app loses nothing; the grid is a `HistoryModel` filtered to this batch.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.batch import (
    BatchSpec,
    QueuedBatch,
    enqueue_batch,
    export_nodes,
    parse_prompts,
    read_prompts,
)
from imgdesk.core.edit_types import EditParams, MaskArray, RGBAArray
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import translate
from imgdesk.core.store import NodeFilter, Store
from imgdesk.models.history_model import HistoryModel
from imgdesk.models.queue_model import QueueModel
from imgdesk.ui.translations import queue_status_text


class BatchDialog(QDialog):
    batch_queued = Signal(object)  # QueuedBatch

    def __init__(
        self,
        store: Store,
        queue: QueueModel,
        image: RGBAArray,
        mask: MaskArray,
        params: EditParams,
        engine: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("batchDialog")
        self.setWindowTitle(translate("BatchDialog", "Batch variants"))
        self._store, self._queue = store, queue
        self._image, self._mask, self._params, self._engine = image, mask, params, engine
        self.batch: QueuedBatch | None = None

        self.prompts = QPlainTextEdit(placeholderText="One prompt per line")
        self.prompts.setObjectName("batchPrompts")
        self.load_button = QPushButton(translate("BatchDialog", "Load prompts…"))
        self.variants = QSpinBox(minimum=1, maximum=10, value=2)
        self.variants.setObjectName("batchVariants")
        self.start_button = QPushButton(translate("BatchDialog", "Start"))
        self.start_button.setDefault(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.results_model = HistoryModel(store, self)
        self.results_model.set_filter(NodeFilter(batch="", statuses=("done",)))
        self.results = QListView()
        self.results.setObjectName("batchResults")
        self.results.setViewMode(QListView.ViewMode.IconMode)
        self.results.setIconSize(QSize(128, 128))
        self.results.setUniformItemSizes(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setModel(self.results_model)
        self.export_all_button = QPushButton(translate("BatchDialog", "Export all…"))
        self.export_starred_button = QPushButton(translate("BatchDialog", "Export starred…"))

        top = QHBoxLayout()
        top.addWidget(QLabel(translate("BatchDialog", "Variants per prompt")))
        top.addWidget(self.variants)
        top.addStretch(1)
        top.addWidget(self.load_button)
        top.addWidget(self.start_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.export_all_button)
        bottom.addWidget(self.export_starred_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompts)
        layout.addLayout(top)
        layout.addWidget(self.results, 1)
        layout.addLayout(bottom)

        self.load_button.clicked.connect(self._choose_file)
        self.start_button.clicked.connect(self.start)
        self.export_all_button.clicked.connect(lambda: self._choose_export(starred_only=False))
        self.export_starred_button.clicked.connect(lambda: self._choose_export(starred_only=True))
        queue.job_finished.connect(self._on_job_finished)
        queue.message_changed.connect(self._show_progress)

    def load_prompts(self, path: Path) -> None:
        try:
            self.prompts.setPlainText("\n".join(read_prompts(path)))
        except ImgdeskError as error:
            self.message.setText(error.localized())

    def start(self) -> QueuedBatch | None:
        prompts = parse_prompts(self.prompts.toPlainText())
        if not prompts:
            self.message.setText(
                translate("BatchDialog", "Type at least one prompt (one per line).")
            )
            return None
        spec = BatchSpec(
            self._image,
            self._mask,
            tuple(prompts),
            self.variants.value(),
            self._params,
            self._engine,
        )
        try:
            self.batch = enqueue_batch(self._store, spec)
        except ImgdeskError as error:
            self.message.setText(error.localized())
            return None
        self.results_model.set_filter(NodeFilter(batch=self.batch.batch_id, statuses=("done",)))
        self._queue.reload()
        self._queue.retry_now()
        self._show_progress(queue_status_text(self._queue.status))
        self.batch_queued.emit(self.batch)
        return self.batch

    def export(self, folder: Path, *, starred_only: bool = False) -> int:
        if self.batch is None:
            return 0
        nodes = [self._store.history.get(node_id) for node_id in self.batch.node_ids]
        try:
            report = export_nodes(self._store, nodes, folder, starred_only=starred_only)
        except ImgdeskError as error:
            self.message.setText(error.localized())
            return 0
        self.message.setText(
            translate("BatchDialog", "Exported {count} pictures to {folder}.").format(
                count=len(report.entries), folder=folder
            )
        )
        return len(report.entries)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            translate("BatchDialog", "Prompts"),
            "",
            translate("BatchDialog", "Prompts (*.txt *.csv)"),
        )
        if name:
            self.load_prompts(Path(name))

    def _choose_export(self, *, starred_only: bool) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("BatchDialog", "Export to"))
        if folder:
            self.export(Path(folder), starred_only=starred_only)

    def _on_job_finished(self, node_id: str) -> None:
        if self.batch is not None and node_id in self.batch.node_ids:
            self.results_model.refresh()
            # The queue's own status may have been published before this result was recorded.
            self._show_progress(queue_status_text(self._queue.status))

    def _show_progress(self, text: str) -> None:
        if self.batch is not None:
            done = self.results_model.total
            self.message.setText(
                translate("BatchDialog", "{done}/{count} done · {text}").format(
                    done=done, count=len(self.batch.node_ids), text=text
                )
            )

    def done(self, result: int) -> None:
        self.results_model.close()
        super().done(result)
