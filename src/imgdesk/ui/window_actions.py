"""The main window's menus and toolbar: every command as a QAction with keys and a tooltip.

Actions call the window's slots by name; the window stays the one place that knows the models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.ui.shortcuts_dialog import shortcut_tooltip
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

        file_menu = self._menu(w.top_menus["&File"])
        self.file_menu = file_menu
        self.add(
            file_menu,
            "open",
            translate("WindowActions", "&Open…"),
            QKeySequence.StandardKey.Open,
            w.choose_file,
        )
        self.recent_menu = file_menu.addMenu(translate("WindowActions", "Open &Recent"))
        self.recent_menu.setObjectName("recentMenu")
        self.add(
            file_menu,
            "paste",
            translate("WindowActions", "&Paste Image as New"),
            "Ctrl+Shift+V",
            w.paste_image,
        )
        file_menu.addSeparator()
        self.add(
            file_menu,
            "save",
            translate("WindowActions", "&Save"),
            QKeySequence.StandardKey.Save,
            w.save,
        )
        self.add(
            file_menu,
            "export",
            translate("WindowActions", "&Export As…"),
            "Ctrl+Shift+E",
            w.export_as,
        )
        file_menu.addSeparator()
        self.add(
            file_menu,
            "quit",
            translate("WindowActions", "&Quit"),
            QKeySequence.StandardKey.Quit,
            w.close,
        )

        edit_menu = self._menu(w.top_menus["&Edit"])
        stack = w.document.undo_stack
        undo = stack.createUndoAction(w, translate("WindowActions", "&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = stack.createRedoAction(w, translate("WindowActions", "&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for name, action in (("undo", undo), ("redo", redo)):
            action.setObjectName(f"{name}Action")
            self.by_name[name] = action
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        self.add(
            edit_menu,
            "generate",
            translate("WindowActions", "&Generate"),
            ("Ctrl+Return", "Ctrl+Enter"),
            w.generate,
        )
        # Esc is not a window shortcut: the canvas needs it to abandon a lasso, so the window
        # handles the Esc the canvas and the prompt leave unused (MainWindow.keyPressEvent).
        cancel = self.add(
            edit_menu,
            "cancel",
            translate("WindowActions", "&Cancel Edit"),
            None,
            w.cancel_or_dismiss,
        )
        cancel.setToolTip(translate("WindowActions", "Cancel the running edit (Esc)"))
        edit_menu.addSeparator()
        self.add(
            edit_menu,
            "preferences",
            translate("WindowActions", "&Preferences…"),
            "Ctrl+,",
            w.open_settings,
        )

        mask_menu = self._menu(w.top_menus["&Mask"])
        for name, text, key in (
            ("brush", QT_TRANSLATE_NOOP("WindowActions", "&Brush"), "B"),
            ("eraser", QT_TRANSLATE_NOOP("WindowActions", "&Eraser"), "E"),
            ("rectangle", QT_TRANSLATE_NOOP("WindowActions", "&Rectangle"), "R"),
            ("lasso", QT_TRANSLATE_NOOP("WindowActions", "&Lasso"), "L"),
        ):
            action = self.add(
                mask_menu,
                f"tool_{name}",
                translate("WindowActions", text),
                key,
                self._tool_slot(name),
            )
            action.setCheckable(True)
        mask_menu.addSeparator()
        self.add(
            mask_menu, "invert", translate("WindowActions", "&Invert Mask"), "Ctrl+I", w.invert_mask
        )
        self.add(
            mask_menu,
            "clear",
            translate("WindowActions", "&Clear Mask"),
            "Ctrl+Shift+Backspace",
            w.clear_mask,
        )
        self.add(
            mask_menu,
            "grow",
            translate("WindowActions", "&Grow Mask by 8 px"),
            "Ctrl+]",
            lambda: w.grow_mask(8),
        )
        self.add(
            mask_menu,
            "shrink",
            translate("WindowActions", "&Shrink Mask by 8 px"),
            "Ctrl+[",
            lambda: w.shrink_mask(8),
        )
        self.add(
            mask_menu,
            "grow_by",
            translate("WindowActions", "Grow Mask B&y…"),
            "Ctrl+Alt+]",
            w.ask_grow_mask,
        )
        self.add(
            mask_menu,
            "shrink_by",
            translate("WindowActions", "Shrin&k Mask By…"),
            "Ctrl+Alt+[",
            w.ask_shrink_mask,
        )
        feather = self.add(
            mask_menu, "feather", translate("WindowActions", "&Feather Preview"), "Ctrl+Alt+F", None
        )
        feather.setCheckable(True)
        feather.setToolTip(
            translate(
                "WindowActions",
                "Show the soft band where the edit fades into the photo (Ctrl+Alt+F)",
            )
        )
        feather.toggled.connect(w.set_feather_preview)
        mask_menu.addSeparator()
        self.add(
            mask_menu,
            "import_mask",
            translate("WindowActions", "I&mport Mask…"),
            None,
            w.import_mask,
        )
        self.add(
            mask_menu,
            "export_mask",
            translate("WindowActions", "E&xport Mask…"),
            None,
            w.export_mask,
        )

        view_menu = self._menu(w.top_menus["&View"])
        self.add(
            view_menu,
            "fit",
            translate("WindowActions", "&Fit to Window"),
            "Ctrl+0",
            w.canvas.fit_to_window,
        )
        self.add(
            view_menu,
            "zoom_100",
            translate("WindowActions", "&Actual Size (100 %)"),
            "Ctrl+1",
            w.canvas.zoom_100,
        )
        self.add(
            view_menu,
            "zoom_in",
            translate("WindowActions", "Zoom &In"),
            QKeySequence.StandardKey.ZoomIn,
            w.zoom_in,
        )
        self.add(
            view_menu,
            "zoom_out",
            translate("WindowActions", "Zoom &Out"),
            QKeySequence.StandardKey.ZoomOut,
            w.zoom_out,
        )
        view_menu.addSeparator()
        # Holding \ on the canvas shows the original briefly; this toggles it.
        compare = self.add(
            view_menu,
            "compare",
            translate("WindowActions", "Show &Original"),
            "Ctrl+\\",
            w.toggle_original,
        )
        compare.setCheckable(True)
        split = self.add(
            view_menu, "split", translate("WindowActions", "&Split Compare"), "Ctrl+Alt+\\", None
        )
        split.setCheckable(True)
        split.setToolTip(
            translate(
                "WindowActions",
                "Original left of a divider you drag, result right of it (Ctrl+Alt+\\)",
            )
        )
        split.toggled.connect(w.set_split_view)
        self.variant_actions = []
        for number in range(1, 10):
            self.variant_actions.append(
                self.add(
                    view_menu,
                    f"variant_{number}",
                    translate("WindowActions", "Preview Variant {number}").format(number=number),
                    f"Alt+{number}",
                    self._variant_slot(number - 1),
                )
            )
            self.variant_actions[-1].setVisible(False)

        image_menu = self._menu(w.top_menus["&Image"])
        self.add(
            image_menu,
            "expand",
            translate("WindowActions", "E&xpand Canvas…"),
            "Ctrl+Alt+C",
            w.expand_canvas,
        )

        help_menu = self._menu(w.top_menus["&Help"])
        self.add(
            help_menu,
            "shortcuts",
            translate("WindowActions", "&Keyboard Shortcuts"),
            "F1",
            w.show_shortcuts,
        )
        self.add(
            help_menu,
            "welcome",
            translate("WindowActions", "&Welcome"),
            None,
            lambda: show_welcome_dialog(w),
        )
        self.add(
            help_menu, "about", translate("WindowActions", "&About imgdesk"), None, w.show_about
        )

        toolbar = QToolBar(translate("WindowActions", "Tools"), w)
        toolbar.setObjectName("mainToolBar")
        for group in (
            ("open", "save"), ("undo", "redo"),
            ("tool_brush", "tool_eraser", "tool_rectangle", "tool_lasso"),
            ("invert", "clear"), ("fit", "zoom_100"),
        ):  # fmt: skip
            for name in group:
                toolbar.addAction(self.by_name[name])
            toolbar.addSeparator()
        w.take_toolbar_place(toolbar)
        self.toolbar = toolbar
        self.tool_options = w.tool_options  # made with the window's frame
        self.tool_options.addAction(self.by_name["feather"])
        self.tool_options.addAction(split)

        # Panels can be closed and brought back from the keyboard too.
        panels = view_menu.addMenu(translate("WindowActions", "&Panels"))
        self.panels_menu = panels
        toggles = (
            toolbar.toggleViewAction(),
            self.tool_options.toggleViewAction(),
            w.prompt_dock.toggleViewAction(),
        )
        for number, toggle in enumerate(toggles, start=1):
            toggle.setText(
                translate("WindowActions", "&{number} {value}").format(
                    number=number, value=toggle.text()
                )
            )
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
