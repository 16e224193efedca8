"""The main window's menus and toolbar: every command as a QAction with keys and a tooltip.

Actions call the window's slots by name; the window stays the one place that knows the models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from imgdesk.ui.shortcuts_dialog import shortcut_tooltip
from imgdesk.ui.tool_options import ToolOptionsBar
from imgdesk.ui.welcome_dialog import show_welcome_dialog

if TYPE_CHECKING:
    from imgdesk.ui.main_window import MainWindow

Keys = str | QKeySequence.StandardKey | tuple[str, ...] | None


class WindowActions:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.by_name: dict[str, QAction] = {}
        self.menus: list[QMenu] = []
        w = window
        bar = w.menuBar()

        file_menu = self._menu(bar.addMenu("&File"))
        self.file_menu = file_menu
        self.add(file_menu, "open", "&Open…", QKeySequence.StandardKey.Open, w.choose_file)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.add(file_menu, "paste", "&Paste Image as New", "Ctrl+Shift+V", w.paste_image)
        file_menu.addSeparator()
        self.add(file_menu, "save", "&Save", QKeySequence.StandardKey.Save, w.save)
        self.add(file_menu, "export", "&Export As…", "Ctrl+Shift+E", w.export_as)
        file_menu.addSeparator()
        self.add(file_menu, "quit", "&Quit", QKeySequence.StandardKey.Quit, w.close)

        edit_menu = self._menu(bar.addMenu("&Edit"))
        stack = w.document.undo_stack
        undo = stack.createUndoAction(w, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = stack.createRedoAction(w, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for name, action in (("undo", undo), ("redo", redo)):
            action.setObjectName(f"{name}Action")
            self.by_name[name] = action
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        self.add(edit_menu, "generate", "&Generate", ("Ctrl+Return", "Ctrl+Enter"), w.generate)
        # Esc is not a window shortcut: the canvas needs it to abandon a lasso, so the window
        # handles the Esc the canvas and the prompt leave unused (MainWindow.keyPressEvent).
        cancel = self.add(edit_menu, "cancel", "&Cancel Edit", None, w.cancel_or_dismiss)
        cancel.setToolTip("Cancel the running edit (Esc)")
        edit_menu.addSeparator()
        self.add(edit_menu, "preferences", "&Preferences…", "Ctrl+,", w.open_settings)

        mask_menu = self._menu(bar.addMenu("&Mask"))
        for name, text, key in (
            ("brush", "&Brush", "B"),
            ("eraser", "&Eraser", "E"),
            ("rectangle", "&Rectangle", "R"),
            ("lasso", "&Lasso", "L"),
        ):
            action = self.add(mask_menu, f"tool_{name}", text, key, self._tool_slot(name))
            action.setCheckable(True)
        mask_menu.addSeparator()
        self.add(mask_menu, "invert", "&Invert Mask", "Ctrl+I", w.invert_mask)
        self.add(mask_menu, "clear", "&Clear Mask", "Ctrl+Shift+Backspace", w.clear_mask)
        self.add(mask_menu, "grow", "&Grow Mask by 8 px", "Ctrl+]", lambda: w.grow_mask(8))
        self.add(mask_menu, "shrink", "&Shrink Mask by 8 px", "Ctrl+[", lambda: w.shrink_mask(8))
        self.add(mask_menu, "grow_by", "Grow Mask B&y…", "Ctrl+Alt+]", w.ask_grow_mask)
        self.add(mask_menu, "shrink_by", "Shrin&k Mask By…", "Ctrl+Alt+[", w.ask_shrink_mask)
        feather = self.add(mask_menu, "feather", "&Feather Preview", "Ctrl+Alt+F", None)
        feather.setCheckable(True)
        feather.setToolTip("Show the soft band where the edit fades into the photo (Ctrl+Alt+F)")
        feather.toggled.connect(w.set_feather_preview)
        mask_menu.addSeparator()
        self.add(mask_menu, "import_mask", "I&mport Mask…", None, w.import_mask)
        self.add(mask_menu, "export_mask", "E&xport Mask…", None, w.export_mask)

        view_menu = self._menu(bar.addMenu("&View"))
        self.add(view_menu, "fit", "&Fit to Window", "Ctrl+0", w.canvas.fit_to_window)
        self.add(view_menu, "zoom_100", "&Actual Size (100 %)", "Ctrl+1", w.canvas.zoom_100)
        self.add(view_menu, "zoom_in", "Zoom &In", QKeySequence.StandardKey.ZoomIn, w.zoom_in)
        self.add(view_menu, "zoom_out", "Zoom &Out", QKeySequence.StandardKey.ZoomOut, w.zoom_out)
        view_menu.addSeparator()
        # Holding \ on the canvas shows the original briefly; this toggles it.
        compare = self.add(view_menu, "compare", "Show &Original", "Ctrl+\\", w.toggle_original)
        compare.setCheckable(True)
        split = self.add(view_menu, "split", "&Split Compare", "Ctrl+Alt+\\", None)
        split.setCheckable(True)
        split.setToolTip("Original left of a divider you drag, result right of it (Ctrl+Alt+\\)")
        split.toggled.connect(w.set_split_view)
        self.variant_actions = []
        for number in range(1, 10):
            self.variant_actions.append(
                self.add(
                    view_menu,
                    f"variant_{number}",
                    f"Preview Variant {number}",
                    f"Alt+{number}",
                    self._variant_slot(number - 1),
                )
            )
            self.variant_actions[-1].setVisible(False)

        image_menu = self._menu(bar.addMenu("&Image"))
        self.add(image_menu, "expand", "E&xpand Canvas…", "Ctrl+Alt+C", w.expand_canvas)

        help_menu = self._menu(bar.addMenu("&Help"))
        self.add(help_menu, "shortcuts", "&Keyboard Shortcuts", "F1", w.show_shortcuts)
        self.add(help_menu, "welcome", "&Welcome", None, lambda: show_welcome_dialog(w))
        self.add(help_menu, "about", "&About imgdesk", None, w.show_about)

        toolbar = QToolBar("Tools", w)
        toolbar.setObjectName("mainToolBar")
        for group in (
            ("open", "save"), ("undo", "redo"),
            ("tool_brush", "tool_eraser", "tool_rectangle", "tool_lasso"),
            ("invert", "clear"), ("fit", "zoom_100"),
        ):  # fmt: skip
            for name in group:
                toolbar.addAction(self.by_name[name])
            toolbar.addSeparator()
        w.addToolBar(toolbar)
        self.toolbar = toolbar
        w.addToolBarBreak()
        self.tool_options = ToolOptionsBar(w.tools, w)
        self.tool_options.addAction(self.by_name["feather"])
        self.tool_options.addAction(split)
        w.addToolBar(self.tool_options)

        # Panels can be closed and brought back from the keyboard too.
        panels = view_menu.addMenu("&Panels")
        self.panels_menu = panels
        toggles = (
            toolbar.toggleViewAction(),
            self.tool_options.toggleViewAction(),
            w.prompt_dock.toggleViewAction(),
        )
        for number, toggle in enumerate(toggles, start=1):
            toggle.setText(f"&{number} {toggle.text()}")
            panels.addAction(toggle)

    def _menu(self, menu: QMenu) -> QMenu:
        self.menus.append(menu)
        return menu

    def add(
        self, menu: QMenu, name: str, text: str, keys: Keys, slot: Callable[[], object] | None
    ) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(f"{name}Action")
        if isinstance(keys, tuple):
            action.setShortcuts([QKeySequence(k) for k in keys])
        elif isinstance(keys, str):
            action.setShortcut(QKeySequence(keys))
        elif keys is not None:
            action.setShortcuts(keys)
        action.setToolTip(shortcut_tooltip(action))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.by_name[name] = action
        return action

    def _tool_slot(self, name: str) -> Callable[[], None]:
        return lambda: self._window.select_tool(name)

    def _variant_slot(self, index: int) -> Callable[[], None]:
        return lambda: self._window.session.select_variant(index)
