"""The history panel: search, filter, star, delete, restore, compare and reuse past edits, and
cancel, retry or reorder the edits still waiting in the queue.

The panel only talks to its `HistoryModel` (and through it the store) and says what the user
wants through signals; the main window decides what "restore" or "compare" does to the document.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.store import Node, NodeFilter
from imgdesk.models.history_model import HistoryModel, NodeRole

STATUS_CHOICES = (
    (QT_TRANSLATE_NOOP("HistoryPanel", "All edits"), ()),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Done"), ("done",)),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Waiting"), ("queued", "running")),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Failed"), ("failed",)),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Cancelled"), ("cancelled",)),
)


class HistoryPanel(QWidget):
    restore_requested = Signal(str)  # node id: make its picture the document
    compare_requested = Signal(str)  # node id: compare its picture with the document
    reuse_prompt_requested = Signal(str)  # the prompt text
    reuse_mask_requested = Signal(str)  # blob hash of the node's mask
    reuse_params_requested = Signal(dict)  # the node's parameters (EditParams fields)
    cancel_requested = Signal(list)  # node ids of queued or running edits
    retry_requested = Signal(list)  # node ids of failed or cancelled edits
    move_requested = Signal(str, object)  # node id, the waiting job to go before (None: last)

    def __init__(self, model: HistoryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.model = model

        self.search = QLineEdit(placeholderText=translate("HistoryPanel", "Search prompts"))
        self.search.setObjectName("historySearch")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("historyStatus")
        for label, _ in STATUS_CHOICES:
            self.status_filter.addItem(translate("HistoryPanel", label))
        self.starred_only = QCheckBox(translate("HistoryPanel", "Starred"))
        self.starred_only.setObjectName("historyStarredOnly")

        self.view = QListView()
        self.view.setObjectName("historyList")
        self.view.setModel(model)
        self.view.setIconSize(QSize(64, 64))
        # Uniform rows let the view lay out 10,000 items without asking each one for its size.
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.count_label = QLabel()

        self.star_button = QPushButton(translate("HistoryPanel", "Star"))
        self.delete_button = QPushButton(translate("HistoryPanel", "Delete"))
        self.restore_button = QPushButton(translate("HistoryPanel", "Restore"))
        self.compare_button = QPushButton(translate("HistoryPanel", "Compare"))
        self.reuse_prompt_button = QPushButton(translate("HistoryPanel", "Use prompt"))
        self.reuse_mask_button = QPushButton(translate("HistoryPanel", "Use mask"))
        self.reuse_params_button = QPushButton(translate("HistoryPanel", "Use settings"))
        self._reselect: list[str] = []  # ids to select again once the model has reloaded

        # Job control: actions (list context menu + shortcuts while the list has focus) and
        # buttons that trigger the same actions.
        self.cancel_action = self._job_action(
            translate("HistoryPanel", "Cancel job"), "Ctrl+.", self._cancel
        )
        self.retry_action = self._job_action(
            translate("HistoryPanel", "Retry"), "Ctrl+Shift+R", self._retry
        )
        self.sooner_action = self._job_action(
            translate("HistoryPanel", "Send sooner"), "Alt+Up", self._send_sooner
        )
        self.later_action = self._job_action(
            translate("HistoryPanel", "Send later"), "Alt+Down", self._send_later
        )
        self.cancel_button = self._job_button(self.cancel_action, "historyCancelJob")
        self.retry_button = self._job_button(self.retry_action, "historyRetryJob")
        self.sooner_button = self._job_button(self.sooner_action, "historySendSooner")
        self.later_button = self._job_button(self.later_action, "historySendLater")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.starred_only)
        actions = QHBoxLayout()
        for button in (
            self.star_button,
            self.delete_button,
            self.restore_button,
            self.compare_button,
        ):
            actions.addWidget(button)
        reuse = QHBoxLayout()
        for button in (self.reuse_prompt_button, self.reuse_mask_button, self.reuse_params_button):
            reuse.addWidget(button)
        jobs = QHBoxLayout()
        for button in (
            self.cancel_button,
            self.retry_button,
            self.sooner_button,
            self.later_button,
        ):
            jobs.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(actions)
        layout.addLayout(reuse)
        layout.addLayout(jobs)

        self.search.textChanged.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.starred_only.toggled.connect(self._apply_filter)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        model.modelReset.connect(self._on_reset)
        self.star_button.clicked.connect(self._toggle_star)
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button.clicked.connect(self._restore)
        self.compare_button.clicked.connect(self._compare)
        self.reuse_prompt_button.clicked.connect(self._reuse_prompt)
        self.reuse_mask_button.clicked.connect(self._reuse_mask)
        self.reuse_params_button.clicked.connect(self._reuse_params)
        self._on_reset()

    # --- selection -----------------------------------------------------------------------------

    def selected_nodes(self) -> list[Node]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.node_at(row) for row in rows]

    def current_node(self) -> Node | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            selected = self.selected_nodes()
            return selected[0] if selected else None
        node: Node = index.data(NodeRole)
        return node

    def _update_actions(self) -> None:
        nodes = self.selected_nodes()
        one = nodes[0] if len(nodes) == 1 else None
        has_picture = one is not None and one.thumbnail_source is not None
        self.star_button.setEnabled(bool(nodes))
        self.star_button.setText(
            translate("HistoryPanel", "Unstar")
            if nodes and all(n.starred for n in nodes)
            else translate("HistoryPanel", "Star")
        )
        self.delete_button.setEnabled(any(n.status != "running" for n in nodes))
        self.restore_button.setEnabled(has_picture)
        self.compare_button.setEnabled(has_picture)
        self.reuse_prompt_button.setEnabled(one is not None and bool(one.prompt))
        self.reuse_mask_button.setEnabled(one is not None and one.mask is not None)
        self.reuse_params_button.setEnabled(one is not None and one.kind == "edit")
        self.cancel_action.setEnabled(bool(self._cancellable(nodes)))
        self.retry_action.setEnabled(bool(self._retryable(nodes)))
        order = self.model.queue_order
        place = order.index(one.id) if one is not None and one.id in order else None
        self.sooner_action.setEnabled(place is not None and place > 0)
        self.later_action.setEnabled(place is not None and place < len(order) - 1)
        for action, button in (
            (self.cancel_action, self.cancel_button),
            (self.retry_action, self.retry_button),
            (self.sooner_action, self.sooner_button),
            (self.later_action, self.later_button),
        ):
            button.setEnabled(action.isEnabled())

    def _on_reset(self) -> None:
        total = self.model.total
        self.count_label.setText(
            translate("HistoryPanel", "1 edit")
            if total == 1
            else translate("HistoryPanel", "{total} edits").format(total=total)
        )
        wanted, self._reselect = set(self._reselect), []
        if wanted:
            self.select_ids(wanted)
        self._update_actions()

    def select_ids(self, node_ids: set[str]) -> None:
        """Select the loaded rows showing these nodes (the first becomes current)."""
        selection = self.view.selectionModel()
        selection.clearSelection()
        first = True
        for row in range(self.model.rowCount()):
            if self.model.node_at(row).id not in node_ids:
                continue
            index = self.model.index(row)
            if first:
                self.view.setCurrentIndex(index)
                first = False
            selection.select(index, selection.SelectionFlag.Select)

    # --- job control ---------------------------------------------------------------------------

    def _job_action(self, text: str, shortcut: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.view)
        action.setShortcut(QKeySequence(shortcut))
        # Only while the list has focus: Alt+Up elsewhere belongs to whatever has focus there.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({native})")
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    def _job_button(self, action: QAction, name: str) -> QPushButton:
        button = QPushButton(action.text())
        button.setObjectName(name)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return button

    @staticmethod
    def _cancellable(nodes: list[Node]) -> list[str]:
        return [n.id for n in nodes if n.kind == "edit" and n.status in ("queued", "running")]

    @staticmethod
    def _retryable(nodes: list[Node]) -> list[str]:
        return [n.id for n in nodes if n.kind == "edit" and n.status in ("failed", "cancelled")]

    def _cancel(self) -> None:
        ids = self._cancellable(self.selected_nodes())
        if ids:
            self._reselect = ids
            self.cancel_requested.emit(ids)

    def _retry(self) -> None:
        ids = self._retryable(self.selected_nodes())
        if ids:
            self._reselect = ids
            self.retry_requested.emit(ids)

    def _send_sooner(self) -> None:
        self._move(-1)

    def _send_later(self) -> None:
        self._move(+1)

    def _move(self, step: int) -> None:
        nodes = self.selected_nodes()
        order = self.model.queue_order
        if len(nodes) != 1 or nodes[0].id not in order:
            return
        node_id = nodes[0].id
        place = order.index(node_id) + step
        if not 0 <= place < len(order):
            return
        # Going later means going before the job after the one it swaps with (or last).
        target = place if step < 0 else place + 1
        before = order[target] if target < len(order) else None
        self._reselect = [node_id]
        self.move_requested.emit(node_id, before)

    # --- actions -------------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        _, statuses = STATUS_CHOICES[max(0, self.status_filter.currentIndex())]
        self.model.set_filter(
            NodeFilter(
                text=self.search.text().strip(),
                statuses=tuple(statuses),
                starred_only=self.starred_only.isChecked(),
            )
        )

    def _toggle_star(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        starred = not all(n.starred for n in nodes)
        self.model.store.history.set_starred([n.id for n in nodes], starred)
        if self.starred_only.isChecked():
            self.model.refresh()
        else:
            for node in nodes:
                self.model.update_node(node.id)
        self._update_actions()

    def delete_selected(self) -> int:
        nodes = self.selected_nodes()
        deleted = self.model.store.history.delete([n.id for n in nodes]) if nodes else 0
        if deleted:
            self.model.refresh()
        return deleted

    def _restore(self) -> None:
        node = self.current_node()
        if node is not None:
            self.restore_requested.emit(node.id)

    def _compare(self) -> None:
        node = self.current_node()
        if node is not None:
            self.compare_requested.emit(node.id)

    def _reuse_prompt(self) -> None:
        node = self.current_node()
        if node is not None and node.prompt:
            self.reuse_prompt_requested.emit(node.prompt)

    def _reuse_mask(self) -> None:
        node = self.current_node()
        if node is not None and node.mask is not None:
            self.reuse_mask_requested.emit(node.mask)

    def _reuse_params(self) -> None:
        node = self.current_node()
        if node is not None and node.kind == "edit":
            params = {k: v for k, v in node.params.items() if k != "references"}
            self.reuse_params_requested.emit(params)
