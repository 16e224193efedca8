"""Help › Keyboard shortcuts: every menu action with its keys, read from the menus themselves."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate

# Keys that are not menu actions: the canvas and the prompt handle them directly.
EXTRA_SHORTCUTS = (
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Prompt"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Generate"),
        "Ctrl+Enter",
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Canvas"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Brush size smaller / larger"),
        "[ / ]",
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Canvas"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Pan"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Space + drag, or middle button"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Canvas"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Zoom around the cursor"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Mouse wheel"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Canvas"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Show the original while held"),
        "\\",
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Canvas"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Finish / abandon a lasso"),
        "Enter / Esc",
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Edit"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Cancel the running edit / dismiss the message"),
        "Esc",
    ),
)


def _clean(text: str) -> str:
    return text.replace("&", "").replace("…", "")


class ShortcutsDialog(QDialog):
    def __init__(self, menus: Iterable[QMenu], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.resize(520, 560)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsTree")
        self.tree.setHeaderLabels(
            [translate("ShortcutsDialog", "Action"), translate("ShortcutsDialog", "Keys")]
        )
        self.tree.setRootIsDecorated(False)
        for menu in menus:
            self._add_menu(menu, _clean(menu.title()))
        for group, text, keys in EXTRA_SHORTCUTS:
            label = f"{translate('ShortcutsDialog', group)} › {translate('ShortcutsDialog', text)}"
            QTreeWidgetItem(self.tree, [label, translate("ShortcutsDialog", keys)])
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _add_menu(self, menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                self._add_menu(sub, f"{path} › {_clean(action.text())}")
                continue
            if action.isSeparator() or not action.text():
                continue
            keys = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            if keys:
                QTreeWidgetItem(self.tree, [f"{path} › {_clean(action.text())}", keys])

    def rows(self) -> list[tuple[str, str]]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items if item is not None]


def shortcut_tooltip(action: QAction) -> str:
    """“Text (Keys)”: tooltips carry the shortcut so people learn it."""
    text = _clean(action.text())
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({keys})" if keys else text
