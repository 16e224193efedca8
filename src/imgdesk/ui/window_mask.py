"""The main window's mask and canvas commands: tools, grow/shrink, feather preview, expand canvas.

A mixin of MainWindow, split out along the same seam as the file commands. Dialogs here open
window-modal without blocking (`open()`), so the canvas keeps painting behind them and tests drive
them like any other widget.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from imgdesk.core.i18n import translate

if TYPE_CHECKING:
    import asyncio

    from imgdesk.models.document import DocumentModel
    from imgdesk.models.edit_session import EditSession
    from imgdesk.models.feather_preview import FeatherPreview
    from imgdesk.models.tools import ToolState
    from imgdesk.ui.expand_canvas_dialog import ExpandCanvasDialog
    from imgdesk.ui.window_actions import WindowActions

MAX_GROW_PX = 500
DEFAULT_GROW_PX = 8


class WindowMaskMixin:
    document: DocumentModel
    session: EditSession
    tools: ToolState
    feather: FeatherPreview
    actions_: WindowActions

    def _track(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        raise NotImplementedError

    def _host(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def select_tool(self, name: str) -> None:
        self.tools.set_tool(name)

    def _on_tool(self, name: str) -> None:
        for tool in ("brush", "eraser", "rectangle", "lasso"):
            self.actions_.by_name[f"tool_{tool}"].setChecked(tool == name)

    def invert_mask(self) -> None:
        self.document.invert_mask()

    def clear_mask(self) -> None:
        self.document.clear_mask()

    def grow_mask(self, px: int) -> None:
        self.document.grow_mask(px)

    def shrink_mask(self, px: int) -> None:
        self.document.shrink_mask(px)

    def ask_grow_mask(self) -> QInputDialog:
        return self._ask_pixels(
            "grow",
            translate("WindowMask", "Grow mask"),
            translate("WindowMask", "Grow the mask outward by"),
            self.grow_mask,
        )

    def ask_shrink_mask(self) -> QInputDialog:
        return self._ask_pixels(
            "shrink",
            translate("WindowMask", "Shrink mask"),
            translate("WindowMask", "Shrink the mask inward by"),
            self.shrink_mask,
        )

    def _ask_pixels(
        self, name: str, title: str, label: str, apply: Callable[[int], None]
    ) -> QInputDialog:
        dialog = QInputDialog(self._host())
        dialog.setObjectName(f"{name}MaskDialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, MAX_GROW_PX)
        dialog.setIntValue(DEFAULT_GROW_PX)
        dialog.intValueSelected.connect(apply)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_feather_preview(self, on: bool) -> None:
        self.feather.set_enabled(on)

    def set_split_view(self, on: bool) -> None:
        self.tools.set_split_view(on)

    def import_mask(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self._host(),
            translate("WindowMask", "Import mask"),
            "",
            translate("WindowMask", "PNG (*.png)"),
        )
        if name:
            self._track(self.document.import_mask(Path(name)))

    def export_mask(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self._host(),
            translate("WindowMask", "Export mask"),
            "mask.png",
            translate("WindowMask", "PNG (*.png)"),
        )
        if name:
            self._track(self.document.export_mask(Path(name)))

    def expand_canvas(self) -> ExpandCanvasDialog | None:
        pixels = self.document.pixels
        if pixels is None:
            return None
        from imgdesk.ui.expand_canvas_dialog import ExpandCanvasDialog

        dialog = ExpandCanvasDialog(pixels.shape[1], pixels.shape[0], self._host())
        dialog.accepted.connect(lambda: self._track(self.document.expand_canvas(dialog.margins())))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
