"""Expand canvas (outpainting): add margins in pixels, or grow the photo to a target aspect."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import translate
from imgdesk.core.outpaint import Margins, margins_for_aspect
from imgdesk.ui.translations import option_label

ASPECTS = (
    ("1:1", 1, 1),
    ("4:3", 4, 3),
    ("3:2", 3, 2),
    ("16:9", 16, 9),
    ("3:4", 3, 4),
    ("2:3", 2, 3),
    ("9:16", 9, 16),
)
MAX_MARGIN = 8000


class ExpandCanvasDialog(QDialog):
    def __init__(self, width: int, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expandCanvasDialog")
        self.setWindowTitle(translate("ExpandCanvasDialog", "Expand canvas"))
        self._size = (width, height)
        self.by_margins = QRadioButton(translate("ExpandCanvasDialog", "Add &margins"), self)
        self.by_aspect = QRadioButton(
            translate("ExpandCanvasDialog", "Grow to an &aspect ratio"), self
        )
        self.by_margins.setChecked(True)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.addRow(self.by_margins)
        for side in ("left", "top", "right", "bottom"):
            spin = QSpinBox(self)
            spin.setObjectName(f"{side}MarginSpin")
            spin.setRange(0, MAX_MARGIN)
            spin.setSuffix(translate("ExpandCanvasDialog", " px"))
            spin.setValue(256 if side in ("left", "right") else 0)
            spin.valueChanged.connect(self._update)
            self.spins[side] = spin
            form.addRow(option_label(side), spin)
        form.addRow(self.by_aspect)
        self.aspect_combo = QComboBox(self)
        self.aspect_combo.setObjectName("aspectCombo")
        for label, aw, ah in ASPECTS:
            self.aspect_combo.addItem(label, (aw, ah))
        self.aspect_combo.currentIndexChanged.connect(self._update)
        form.addRow(translate("ExpandCanvasDialog", "Aspect"), self.aspect_combo)
        self.by_margins.toggled.connect(self._update)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("expandResultLabel")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                translate(
                    "ExpandCanvasDialog", "The new area is masked, so the next edit fills it in."
                ),
                self,
            )
        )
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self._update()

    def margins(self) -> Margins:
        if self.by_aspect.isChecked():
            aw, ah = self.aspect_combo.currentData()
            try:
                return margins_for_aspect(*self._size, aw / ah)
            except ImgdeskError:
                return Margins(0, 0, 0, 0)
        s = self.spins
        return Margins(s["left"].value(), s["top"].value(), s["right"].value(), s["bottom"].value())

    def _update(self) -> None:
        by_margins = self.by_margins.isChecked()
        for spin in self.spins.values():
            spin.setEnabled(by_margins)
        self.aspect_combo.setEnabled(not by_margins)
        width, height = self._size
        new_width, new_height = self.margins().expanded_size(width, height)
        self.result_label.setText(
            translate(
                "ExpandCanvasDialog",
                "{width} × {height} becomes {new_width} × {new_height} pixels.",
            ).format(width=width, height=height, new_width=new_width, new_height=new_height)
        )
