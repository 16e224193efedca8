"""The editor window: canvas in the middle, prompt panel at the side, variants below, messages on
top, status at the bottom. It wires models to widgets and owns the short file tasks it starts.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from imgdesk import __version__
from imgdesk.core import secrets
from imgdesk.core.errors import Action, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.paths import AppPaths
from imgdesk.models.tools import ToolState
from imgdesk.ui.empty_state import EmptyStateWidget
from imgdesk.ui.error_banner import ErrorBanner
from imgdesk.ui.tool_options import ToolOptionsBar
from imgdesk.ui.window_files import WindowFilesMixin
from imgdesk.ui.window_mask import WindowMaskMixin
from imgdesk.ui.window_state import SavedLayout, remember_layout

# Only for types: importing these (numpy, Pillow, the store) is what `attach` defers.
if TYPE_CHECKING:
    import asyncio  # loaded with the event loop, after the frame's first paint

    from imgdesk.models.account_model import AccountModel
    from imgdesk.models.document import DocumentModel
    from imgdesk.models.edit_session import EditSession
    from imgdesk.models.prompt_history import PromptHistory
    from imgdesk.models.recent_files import RecentFiles
    from imgdesk.models.settings_model import SettingsModel
    from imgdesk.ui.window_queue import EditBackend

log = logging.getLogger("imgdesk.window")

# The menu bar's titles, made by the frame so the bar is there from the first paint.
MENU_TITLES = (
    QT_TRANSLATE_NOOP("WindowActions", "&File"),
    QT_TRANSLATE_NOOP("WindowActions", "&Edit"),
    QT_TRANSLATE_NOOP("WindowActions", "&Mask"),
    QT_TRANSLATE_NOOP("WindowActions", "&View"),
    QT_TRANSLATE_NOOP("WindowActions", "&Image"),
    QT_TRANSLATE_NOOP("WindowActions", "&Help"),
)

DOCK_WIDTH = 380  # the panels' default width; the history panel's buttons need about 365

OFFLINE_NOTICE = QT_TRANSLATE_NOOP(
    "MainWindow",
    "No OpenAI key is set, so edits use the offline engine: it removes what you paint and fills "
    "the gap from the surroundings, ignoring the prompt. Add a key in Preferences to edit with "
    "prompts.",
)


def _toolbar_stand_in(window: QMainWindow, name: str) -> QToolBar:
    """An empty toolbar as tall as the real one, whose buttons are text."""
    bar = QToolBar(window)
    bar.setObjectName(name)
    # A zero-width space: a text button's height, nothing to read (blank text counts as none).
    bar.addAction("\u200b").setEnabled(False)
    window.addToolBar(bar)
    return bar


class MainWindow(WindowFilesMixin, WindowMaskMixin, QMainWindow):
    """Built in two steps so start-up paints a window before the editor's heavy imports.

    `MainWindow()` is the frame: menu titles, toolbar and panel places, the empty state and the
    status bar, at the remembered geometry. `attach` then brings the models and fills it in
    place, so nothing moves when the editor becomes usable. `build_main_window` does both.
    """

    closed = Signal()  # the window closed for good (after the unsaved-changes question)
    painted = Signal()  # the frame's first paint reached the screen
    ready = Signal()  # the models are attached: every control works

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False
        self.attached = False
        self._painted = False
        self.saved_layout = SavedLayout(Path(), None)  # `open_frame` reads the real one
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._update_title()

        # Until a photo is open the canvas area says how to get one there.
        self.empty_state = EmptyStateWidget(self)
        # A click or a drop before `attach` is kept and carried out once the editor is there.
        self._pending_open: Path | bool = False
        self.empty_state.open_requested.connect(self._open_requested)
        self.canvas_stack = QStackedWidget(self)
        self.canvas_stack.addWidget(self.empty_state)
        self.banner = ErrorBanner(self)
        central = QWidget(self)
        self._central_layout = layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addWidget(self.canvas_stack, 1)
        self.setCentralWidget(central)

        self.top_menus = {
            title: self.menuBar().addMenu(translate("WindowActions", title))
            for title in MENU_TITLES
        }
        # The tool options need only the tool state (no pixels): real from the start. The main
        # toolbar's actions need the document, so a stand-in of its height holds its place.
        self.tools = ToolState(self)
        self._toolbar_stand_ins = [_toolbar_stand_in(self, "mainToolBar")]
        self.addToolBarBreak()
        self.tool_options = ToolOptionsBar(self.tools, self)
        self.addToolBar(self.tool_options)
        self.prompt_dock = self._dock("promptDock", translate("MainWindow", "Edit"))
        self.prompt_dock.setMinimumWidth(340)
        self.prompt_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.history_dock = self._dock("historyDock", translate("WindowHistory", "History"))
        # Wide enough for both panels' content, so filling them in does not widen the column.
        self.resizeDocks(
            [self.prompt_dock, self.history_dock],
            [DOCK_WIDTH, DOCK_WIDTH],
            Qt.Orientation.Horizontal,
        )
        # Edit gets the larger share of the column, so prompt, model, variants and Generate fit
        # unscrolled at 1280x800; History keeps enough for its list and buttons.
        self.resizeDocks([self.prompt_dock, self.history_dock], [3, 2], Qt.Orientation.Vertical)

        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.size_label = QLabel(translate("MainWindow", "No photo"), self)
        self.size_label.setObjectName("imageSizeLabel")
        self.stage_label = QLabel(self)
        self.stage_label.setObjectName("stageLabel")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progressBar")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.engine_label = QLabel(self)
        self.engine_label.setObjectName("engineLabel")
        status = self.statusBar()
        status.addWidget(self.stage_label, 1)
        status.addWidget(self.progress)
        status.addPermanentWidget(self.engine_label)
        status.addPermanentWidget(self.size_label)
        status.addPermanentWidget(self.zoom_label)

    def _dock(self, name: str, title: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def take_toolbar_place(self, toolbar: QToolBar) -> None:
        """Put `toolbar` where the frame's stand-in of the same name is, and drop the stand-in."""
        for stand_in in self._toolbar_stand_ins:
            if stand_in.objectName() == toolbar.objectName():
                self.insertToolBar(stand_in, toolbar)
                self.removeToolBar(stand_in)
                self._toolbar_stand_ins.remove(stand_in)
                stand_in.setObjectName("")  # until it is deleted, findChild must not see it
                stand_in.deleteLater()
                return
        self.addToolBar(toolbar)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Reported once this paint has been flushed, not while it is being drawn.
            QTimer.singleShot(0, self.painted.emit)

    def attach(
        self,
        document: DocumentModel,
        session: EditSession,
        settings: SettingsModel,
        history: PromptHistory,
        recent: RecentFiles,
        *,
        account: AccountModel | None = None,
        backend: EditBackend | None = None,
    ) -> None:
        """Bring the models in and build the editor into the frame (once)."""
        # The panels keep the width the frame showed them at; their content would widen them.
        docks = [self.prompt_dock, self.history_dock]
        widths = [dock.width() for dock in docks]
        # The editor's widgets import numpy, Pillow and the core; the frame needs none of it.
        from imgdesk.models.feather_preview import FeatherPreview
        from imgdesk.ui.canvas import CanvasView
        from imgdesk.ui.prompt_panel import PromptPanelWidget
        from imgdesk.ui.variants_strip import VariantsStripWidget
        from imgdesk.ui.window_account import AccountControls
        from imgdesk.ui.window_actions import WindowActions
        from imgdesk.ui.window_history import QueueControls

        self.document = document
        self.session = session
        self.settings = settings
        self.history = history
        self.recent = recent

        self.feather = FeatherPreview(document, session, self)
        tools = self.tools
        self.canvas = CanvasView(document, tools, feather=self.feather)
        self.canvas_stack.addWidget(self.canvas)
        self.variants = VariantsStripWidget(session, self, tools=tools)
        self._central_layout.addWidget(self.variants)

        # The panel scrolls its options itself and keeps Generate in a footer below them.
        self.prompt_panel = PromptPanelWidget(session, history, self)
        self.prompt_dock.setWidget(self.prompt_panel)

        self.actions_ = WindowActions(self)
        self.account: AccountControls | None = None
        if account is not None:
            panel = self.prompt_panel
            self.account = AccountControls(
                account, panel.balance_label, panel.buy_tokens_button, self
            )
            account.error_raised.connect(self.show_error)
        self.queue: QueueControls | None = None
        if backend is not None:
            self.queue = QueueControls(backend, self)
        else:  # no store: nothing to show there
            self.history_dock.hide()
            self.history_dock.toggleViewAction().setVisible(False)

        self.banner.action_triggered.connect(self._on_banner_action)
        self.prompt_panel.generate_requested.connect(self.generate)
        self.prompt_panel.error_raised.connect(self.show_error)
        document.error_raised.connect(self.show_error)
        document.path_changed.connect(self._on_path)
        document.modified_changed.connect(self._update_title)
        document.image_changed.connect(self._on_image)
        document.loading_changed.connect(self._on_loading)
        session.error_raised.connect(self.show_error)
        session.notice_raised.connect(lambda text: self.banner.show_notice(text))
        session.state_changed.connect(self._on_state)
        session.stage_changed.connect(self._on_stage)
        session.preview_received.connect(self._on_preview)
        session.variants_changed.connect(self._on_variants)
        session.compare_changed.connect(self.actions_.by_name["compare"].setChecked)
        tools.show_original_changed.connect(self.actions_.by_name["compare"].setChecked)
        tools.split_view_changed.connect(self.actions_.by_name["split"].setChecked)
        self.feather.enabled_changed.connect(self.actions_.by_name["feather"].setChecked)
        self.feather.error_raised.connect(self.show_error)
        tools.tool_changed.connect(self._on_tool)
        settings.key_changed.connect(self._on_key)
        settings.changed.connect(self._on_key)
        recent.changed.connect(self._fill_recent)
        self.canvas.zoom_changed.connect(self._on_zoom)

        self._fill_recent()
        self._on_tool(str(tools.tool))
        self._on_image()
        self._on_key()
        self._update_title()
        self._on_state(session.state.value)
        self.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
        self.attached = True
        if self._pending_open is not False:
            # After `attach` returns: a file dialog runs its own event loop.
            QTimer.singleShot(0, self._replay_pending_open)

    # Errors and notices --------------------------------------------------------------------

    def show_error(self, error: object) -> None:
        if isinstance(error, ImgdeskError):
            log.info("showing %s error: %s", error.kind.value, error.detail or error.message)
            self.banner.show_error(error)

    def _on_banner_action(self, action: Action) -> None:
        if action is Action.OPEN_SETTINGS:
            self.open_settings()
        elif action is Action.SWITCH_MODEL:
            self.switch_model()
        elif action is Action.RETRY:
            self.banner.dismiss()
            self.generate()
        elif action is Action.BUY_TOKENS and self.account is not None:
            self.account.open_purchase()

    def switch_model(self) -> None:
        """Move to the shut-down model's replacement, else the catalog's default model."""
        from imgdesk.core.catalog import load_catalog

        catalog = load_catalog()
        current = catalog.models.get(self.session.params.model)
        target = catalog.default_model
        if current is not None and current.replacement in catalog.models:
            replacement = catalog.models[current.replacement]
            if replacement.usable:
                target = replacement.id
        self.session.set_model(target)
        self.banner.show_notice(
            translate("MainWindow", "Switched to {label}.").format(
                label=catalog.models[target].label
            )
        )

    def _on_key(self) -> None:
        engine = self.settings.effective_engine(self.session.engine_choice)
        if self.settings.has_key():
            self.engine_label.setText(
                translate("MainWindow", "Engine: {value}").format(
                    value="OpenAI" if engine == "openai" else "offline"
                )
            )
            if self.offline_notice_shown():
                self.banner.dismiss()
        else:
            self.engine_label.setText(translate("MainWindow", "Engine: offline (no OpenAI key)"))
            if self.session.engine_choice != "openai":
                self.session.set_engine_choice("local")
            self.show_offline_notice()

    def show_offline_notice(self) -> None:
        self.banner.show_notice(
            translate("MainWindow", OFFLINE_NOTICE),
            Action.OPEN_SETTINGS,
            translate("MainWindow", "Add key…"),
        )

    def offline_notice_shown(self) -> bool:
        return self.banner.action is Action.OPEN_SETTINGS and self.banner.kind is None

    def layout_extras(self) -> dict[str, object]:
        """Remembered with the layout: what the next start's frame should already show."""
        return {"offline_notice": self.banner.isVisible() and self.offline_notice_shown()}

    # Edit ----------------------------------------------------------------------------------

    def generate(self) -> None:
        if self.session.running:
            return
        if self.banner.kind is not None:
            self.banner.dismiss()
        if self.session.start():
            self.history.remember(self.session.params.prompt)

    def cancel_or_dismiss(self) -> None:
        if self.session.running:
            self.session.cancel()
        else:
            self.banner.dismiss()

    def toggle_original(self) -> None:
        """Compare with the original while variants are shown; else hide overlay and preview."""
        if self.session.variants:
            self.session.set_compare(not self.session.compare)
        else:
            self.tools.set_show_original(not self.tools.show_original)

    def zoom_in(self) -> None:
        self.canvas.zoom_in()

    def zoom_out(self) -> None:
        self.canvas.zoom_out()

    # Dialogs -------------------------------------------------------------------------------

    def open_settings(self) -> None:
        from imgdesk.ui.settings_dialog import SettingsDialog

        SettingsDialog(self.settings, self).exec()

    def show_shortcuts(self) -> None:
        from imgdesk.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.actions_.menus, self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            translate("MainWindow", "About imgdesk"),
            f"<b>imgdesk {__version__}</b><p>"
            + translate(
                "MainWindow",
                "Prompt-driven masked edits of real photos at full resolution, on the OpenAI "
                "Images API or offline.",
            )
            + "</p>",
        )

    # Model -> window -----------------------------------------------------------------------

    def _on_state(self, state: str) -> None:
        running = state == "running"
        self.actions_.by_name["cancel"].setEnabled(True)
        self.actions_.by_name["generate"].setEnabled(not running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the first partial image says more
        elif state != "queued":  # queued: the session's stage line says why it waits
            self.stage_label.setText(
                {
                    "done": translate(
                        "MainWindow", "Done: pick a variant below, then Apply or Discard."
                    ),
                    "cancelled": translate("MainWindow", "Cancelled; the photo is unchanged."),
                    "failed": translate("MainWindow", "The edit failed; the photo is unchanged."),
                }.get(state, "")
            )

    def _on_stage(self, name: str, text: str) -> None:
        # The pipeline's fixed stage lines are marked QT_TRANSLATE_NOOP("stage", ...) in core.
        self.stage_label.setText(translate("stage", text))

    def _on_preview(self, index: int) -> None:
        total = max(self.session.params.partial_images, 1)
        self.progress.setRange(0, total + 1)
        self.progress.setValue(index + 1)
        self.stage_label.setText(
            translate("MainWindow", "Preview {value} of {total}…").format(
                value=index + 1, total=total
            )
        )

    def _on_variants(self) -> None:
        count = len(self.session.variants)
        for index, action in enumerate(self.actions_.variant_actions):
            action.setVisible(index < count)

    def _on_image(self) -> None:
        pixels = self.document.pixels
        self.canvas_stack.setCurrentWidget(self.empty_state if pixels is None else self.canvas)
        if pixels is None:
            self.size_label.setText(translate("MainWindow", "No photo"))
        else:
            self.size_label.setText(
                translate("MainWindow", "{shape} × {shape2} px").format(
                    shape=pixels.shape[1], shape2=pixels.shape[0]
                )
            )
        self._update_title()

    def _on_zoom(self, factor: float) -> None:
        self.zoom_label.setText(translate("MainWindow", "{value:.0f} %").format(value=factor * 100))

    def _on_loading(self, loading: bool) -> None:
        if loading:
            self.stage_label.setText(translate("MainWindow", "Opening…"))
        elif self.stage_label.text() == translate("MainWindow", "Opening…"):
            self.stage_label.setText("")

    def _on_path(self, path: str) -> None:
        self._update_title()

    def _update_title(self, *_: object) -> None:
        document = getattr(self, "document", None)  # none yet while the window is a frame
        path = document.path if document is not None else None
        name = Path(path).name if path else "Untitled"
        self.setWindowTitle(translate("MainWindow", "{name}[*] — imgdesk").format(name=name))
        self.setWindowModified(bool(document is not None and document.modified))

    # Drag and drop, closing ----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            path = Path(urls[0].toLocalFile())
            if self.attached:
                self.open_path(path)
            else:
                self._pending_open = path

    def _open_requested(self) -> None:
        if self.attached:
            self.choose_file()
        elif self._pending_open is False:
            self._pending_open = True

    def _replay_pending_open(self) -> None:
        """What the user asked for while the window was still a frame, now that it works."""
        pending, self._pending_open = self._pending_open, False
        if isinstance(pending, Path):
            self.open_path(pending)
        elif pending:
            self.choose_file()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.attached and event.key() == Qt.Key.Key_Escape:
            self.cancel_or_dismiss()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.attached:  # closed while starting: nothing is open yet
            self._closing = True
            event.accept()
            self.closed.emit()
            return
        if not self._closing and not self._confirm_discard("closing"):
            event.ignore()
            return
        self._closing = True
        self.session.detach()  # its job stays queued (or goes back) and resumes at the next start
        event.accept()
        self.closed.emit()

    async def aclose(self) -> None:
        """Cancel and await every task the window and its session own."""
        if not self.attached:
            return
        await self.session.aclose()
        await self.feather.aclose()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        import asyncio

        await asyncio.gather(*tasks, return_exceptions=True)
        if self.queue is not None:
            await self.queue.aclose()  # the queue, the history, then the store
        if self.account is not None:
            await self.account.aclose()
        await self.document.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, ImgdeskError):
                await task


def open_frame(paths: AppPaths) -> MainWindow:
    """The window's frame at its remembered layout, to show at once; `attach_models` follows."""
    window = MainWindow()
    # Restored before show, saved on close; kept for what `attach_models` applies later.
    window.saved_layout = remember_layout(window, window.closed, paths.config)
    # Shown last time and no key in the environment now: most likely shown again once the
    # keyring has been asked, so it is there from the first paint instead of pushing the canvas
    # down half a second later. `attach` corrects it when the keyring holds a key after all.
    if window.saved_layout.extras.get("offline_notice") is True and not secrets.environment_secret(
        secrets.OPENAI
    ):
        window.show_offline_notice()
    return window


def attach_models(window: MainWindow, paths: AppPaths) -> None:
    """Open the models (settings, store, queue, account) and attach them to `window`."""
    import asyncio

    from imgdesk.models.document import DocumentModel
    from imgdesk.models.edit_session import EditSession
    from imgdesk.models.prompt_history import PromptHistory
    from imgdesk.models.recent_files import RecentFiles
    from imgdesk.models.settings_model import SettingsModel
    from imgdesk.ui.window_account import open_account
    from imgdesk.ui.window_queue import open_backend

    settings = SettingsModel.load(paths)
    document = DocumentModel()
    account = open_account(paths, settings.settings)
    backend = open_backend(paths, settings, document, account)
    session = EditSession(document, settings, backend.queue, backend.cursor)
    history = PromptHistory(paths.data / "prompts.json")
    recent = RecentFiles(paths.data / "recent_files.json")
    window.attach(document, session, settings, history, recent, account=account, backend=backend)
    # The models live as long as the window.
    models = (settings, document, session, history, recent, account)
    for model in (*models, backend.queue, backend.cursor, backend.history):
        if model is not None:
            model.setParent(window)
    # The real toolbars and panels took the stand-ins' places; this puts them exactly back.
    window.saved_layout.apply(window, geometry=False)
    # The caller's event loop runs; `aclose` stops all of it with the window.
    if window.account is not None:
        window.account.start()
    task = asyncio.ensure_future(backend.start(account))
    window._tasks.add(task)
    task.add_done_callback(window._tasks.discard)
    window.ready.emit()


def build_main_window(paths: AppPaths) -> MainWindow:
    """The models and the window, as the app starts them (frame and models in one go)."""
    window = open_frame(paths)
    attach_models(window, paths)
    return window
