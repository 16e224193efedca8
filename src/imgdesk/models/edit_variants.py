"""The variants an edit returned: pick one, compare it with the original, apply or discard.

A mixin of `EditSession` (split out to keep the session readable); it uses the session's
document, history cursor and signals. Applying a variant is one undo step on the document and a
child node in the history, which becomes the document's current node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgdesk.core.edit_types import RGBAArray
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import translate

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from imgdesk.models.document import DocumentModel
    from imgdesk.models.history_cursor import HistoryCursor


class VariantsMixin:
    _document: DocumentModel
    _cursor: HistoryCursor | None
    _variants: list[RGBAArray]
    _variants_node: str | None  # the edit node the variants came from
    _selected: int
    _compare: bool
    variants_changed: SignalInstance
    selected_variant_changed: SignalInstance
    compare_changed: SignalInstance
    error_raised: SignalInstance

    @property
    def variants(self) -> list[RGBAArray]:
        return list(self._variants)

    @property
    def selected_variant(self) -> int:
        return self._selected

    @property
    def compare(self) -> bool:
        return self._compare

    def select_variant(self, index: int) -> None:
        if not 0 <= index < len(self._variants):
            return
        if index != self._selected:
            self._selected = index
            self.selected_variant_changed.emit(index)
        self._show_current()

    def set_compare(self, on: bool) -> None:
        """Show the original (on) or the selected variant (off) on the canvas."""
        on = on and bool(self._variants)
        if on != self._compare:
            self._compare = on
            self.compare_changed.emit(on)
        self._show_current()

    def apply_variant(self, index: int | None = None) -> None:
        """Make a variant the document's new state (one undo step) and drop the rest."""
        index = self._selected if index is None else index
        if not 0 <= index < len(self._variants):
            return
        pixels, node_id = self._variants[index], self._variants_node
        self._clear_variants()
        self._document.show_preview(None)
        self._document.set_image(
            pixels, translate("EditVariants", "Apply variant {number}").format(number=index + 1)
        )
        if node_id is not None and self._cursor is not None:
            try:
                child = self._cursor.store.history.apply_variant(node_id, index)
            except ImgdeskError as error:
                self.error_raised.emit(error)  # the picture is applied; only history missed it
                return
            current = self._document.pixels
            if current is not None:
                self._cursor.bind(current, child)

    def discard_variants(self) -> None:
        if self._variants:
            self._clear_variants()
            self._document.show_preview(None)

    def _clear_variants(self) -> None:
        self._variants = []
        self._variants_node = None
        self._selected = -1
        if self._compare:
            self._compare = False
            self.compare_changed.emit(False)
        self.selected_variant_changed.emit(-1)
        self.variants_changed.emit()

    def _show_current(self) -> None:
        if self._selected < 0:
            self._document.show_preview(None)
        elif self._compare:
            # The original as the preview: the result is still under review, so the canvas keeps
            # the mask overlay off and the two pictures flip without the tint coming and going.
            self._document.show_preview(self._document.pixels)
        else:
            self._document.show_preview(self._variants[self._selected])
