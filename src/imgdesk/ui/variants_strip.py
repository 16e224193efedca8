"""The strip of variant thumbnails under the canvas: pick one, compare, apply or discard."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.edit_types import RGBAArray
from imgdesk.core.i18n import translate
from imgdesk.models.edit_session import EditSession
from imgdesk.models.tools import ToolState

THUMB = QSize(112, 72)  # landscape photos fill it; portrait ones sit centred in it


def thumbnail(pixels: RGBAArray, box: QSize = THUMB) -> QPixmap:
    """A small copy of `pixels` that fits in `box`."""
    height, width = pixels.shape[:2]
    scale = min(box.width() / width, box.height() / height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.ascontiguousarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA))
    image = QImage(small.data, size[0], size[1], size[0] * 4, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(image.copy())  # copy: `small` dies with this frame


class VariantsStripWidget(QWidget):
    """One compact row: title, thumbnails, and the buttons in a 2 x 2 grid."""

    def __init__(
        self,
        session: EditSession,
        parent: QWidget | None = None,
        *,
        tools: ToolState | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("variantsStrip")
        self._session = session

        self._title = QLabel(translate("VariantsStrip", "Variants"), self)
        self._title.setObjectName("variantsTitle")
        self._title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._list = QListWidget(self)
        self._list.setObjectName("variantsList")
        self._list.setAccessibleName(translate("VariantsStrip", "Variants"))
        self._list.setViewMode(QListWidget.ViewMode.IconMode)
        self._list.setFlow(QListWidget.Flow.LeftToRight)
        self._list.setWrapping(False)
        self._list.setMovement(QListWidget.Movement.Static)
        self._list.setIconSize(THUMB)
        self._list.setSpacing(3)
        self._list.setFixedHeight(THUMB.height() + self._list.fontMetrics().height() + 22)
        self._list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list.currentRowChanged.connect(self._on_row)
        self._list.setToolTip(
            translate(
                "VariantsStrip",
                "Click a variant to see it on the canvas at full size (Alt+1…Alt+9)",
            )
        )

        self.compare_button = QPushButton(translate("VariantsStrip", "&Compare"), self)
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setCheckable(True)
        self.compare_button.setToolTip(
            translate("VariantsStrip", "Show the original instead of the variant (Alt+C)")
        )
        self.compare_button.toggled.connect(session.set_compare)
        self.apply_button = QPushButton(translate("VariantsStrip", "&Apply"), self)
        self.apply_button.setObjectName("applyButton")
        self.apply_button.setToolTip(
            translate("VariantsStrip", "Make this variant the photo (Alt+A; undo with Ctrl+Z)")
        )
        self.apply_button.clicked.connect(lambda: session.apply_variant())
        self.discard_button = QPushButton(translate("VariantsStrip", "&Discard"), self)
        self.discard_button.setObjectName("discardButton")
        self.discard_button.setToolTip(
            translate("VariantsStrip", "Drop all variants and keep the photo as it is (Alt+D)")
        )
        self.discard_button.clicked.connect(session.discard_variants)

        self.split_button = QPushButton(translate("VariantsStrip", "S&plit"), self)
        self.split_button.setObjectName("splitButton")
        self.split_button.setCheckable(True)
        self.split_button.setToolTip(
            translate(
                "VariantsStrip",
                "Original left of a divider you drag, variant right of it (Ctrl+Alt+\\)",
            )
        )
        self.split_button.setVisible(tools is not None)
        if tools is not None:
            self.split_button.setChecked(tools.split_view)
            self.split_button.toggled.connect(tools.set_split_view)
            tools.split_view_changed.connect(self._on_split)

        buttons = QGridLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.compare_button, 0, 0)
        buttons.addWidget(self.split_button, 0, 1)
        buttons.addWidget(self.apply_button, 1, 0)
        buttons.addWidget(self.discard_button, 1, 1)
        side = QVBoxLayout()
        side.addWidget(self._title)
        side.addLayout(buttons)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.addWidget(self._list, 1)
        layout.addLayout(side)

        session.variants_changed.connect(self._on_variants)
        session.selected_variant_changed.connect(self._on_selected)
        session.compare_changed.connect(self._on_compare)
        self._on_variants()

    def count(self) -> int:
        return self._list.count()

    def item_rect_center(self, index: int) -> tuple[int, int]:
        """Where to click on thumbnail `index`, in the list viewport's coordinates (tests)."""
        rect = self._list.visualItemRect(self._list.item(index))
        return rect.center().x(), rect.center().y()

    def list_viewport(self) -> QWidget:
        return self._list.viewport()

    def _on_variants(self) -> None:
        variants = self._session.variants
        self._list.blockSignals(True)
        self._list.clear()
        for number, pixels in enumerate(variants, start=1):
            item = QListWidgetItem(QIcon(thumbnail(pixels)), str(number))
            item.setToolTip(translate("VariantsStrip", "Variant {number}").format(number=number))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._list.addItem(item)
        self._list.blockSignals(False)
        self.setVisible(bool(variants))
        self._title.setText(f"{len(variants)} variants" if len(variants) != 1 else "1 variant")
        self._on_selected(self._session.selected_variant)

    def _on_selected(self, index: int) -> None:
        if self._list.currentRow() != index:
            self._list.blockSignals(True)
            self._list.setCurrentRow(index)
            self._list.blockSignals(False)
        self.apply_button.setEnabled(index >= 0)

    def _on_compare(self, on: bool) -> None:
        self.compare_button.blockSignals(True)
        self.compare_button.setChecked(on)
        self.compare_button.blockSignals(False)

    def _on_split(self, on: bool) -> None:
        self.split_button.blockSignals(True)
        self.split_button.setChecked(on)
        self.split_button.blockSignals(False)

    def _on_row(self, row: int) -> None:
        if row >= 0:
            self._session.select_variant(row)
