"""The tool options strip above the canvas: brush size and softness, the mask overlay's look.

Every control mirrors a ToolState property both ways, so `[` / `]` on the canvas move the size
slider and the slider resizes the brush outline. Sizes are photo pixels, the unit the mask uses.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QLabel,
    QSlider,
    QSpinBox,
    QToolBar,
    QToolButton,
    QWidget,
)

from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.models.tools import MAX_BRUSH, MIN_BRUSH, ToolState

_SIZE_STEPS = 1000  # slider positions; the scale is logarithmic so 3 px and 300 px both fit
_SWATCH = QSize(18, 18)


def size_to_position(size: int) -> int:
    span = math.log(MAX_BRUSH / MIN_BRUSH)
    return round(_SIZE_STEPS * math.log(max(size, MIN_BRUSH) / MIN_BRUSH) / span)


def position_to_size(position: int) -> int:
    span = math.log(MAX_BRUSH / MIN_BRUSH)
    return round(MIN_BRUSH * math.exp(span * position / _SIZE_STEPS))


def _slider(name: str, maximum: int, tip: str, width: int = 120) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setObjectName(name)
    slider.setRange(0, maximum)
    slider.setFixedWidth(width)
    slider.setToolTip(tip)
    return slider


def _spin(name: str, low: int, high: int, suffix: str, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setToolTip(tip)
    spin.setKeyboardTracking(False)  # typing "120" is one change, not 1, 12, 120
    return spin


class ToolOptionsBar(QToolBar):
    def __init__(self, tools: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(translate("ToolOptions", "Tool options"), parent)
        self.setObjectName("toolOptions")
        self._tools = tools

        size_tip = translate("ToolOptions", "Brush size in photo pixels ([ smaller, ] larger)")
        self.size_slider = _slider("brushSizeSlider", _SIZE_STEPS, size_tip)
        self.size_slider.setAccessibleName(translate("ToolOptions", "Brush size"))
        self.size_spin = _spin("brushSizeSpin", MIN_BRUSH, MAX_BRUSH, " px", size_tip)
        self.size_spin.setAccessibleName(translate("ToolOptions", "Brush size in pixels"))
        soft_tip = translate(
            "ToolOptions", "Brush softness: 0 % paints a hard edge, 100 % fades from the centre"
        )
        self.softness_slider = _slider("softnessSlider", 100, soft_tip, 90)
        self.softness_slider.setAccessibleName(translate("ToolOptions", "Brush softness"))
        self.softness_spin = _spin("softnessSpin", 0, 100, " %", soft_tip)
        self.softness_spin.setAccessibleName(translate("ToolOptions", "Brush softness in percent"))
        self.color_button = QToolButton()
        self.color_button.setObjectName("overlayColorButton")
        self.color_button.setAccessibleName(translate("ToolOptions", "Mask overlay colour"))
        self.color_button.setToolTip(translate("ToolOptions", "Mask overlay colour"))
        self.color_button.setIconSize(_SWATCH)
        self.color_button.clicked.connect(self.choose_color)
        opacity_tip = translate(
            "ToolOptions", "Mask overlay opacity (hold \\ on the canvas to hide the overlay)"
        )
        self.opacity_slider = _slider("overlayOpacitySlider", 100, opacity_tip, 90)
        self.opacity_slider.setAccessibleName(translate("ToolOptions", "Mask overlay opacity"))
        self.opacity_spin = _spin("overlayOpacitySpin", 0, 100, " %", opacity_tip)
        self.opacity_spin.setAccessibleName(
            translate("ToolOptions", "Mask overlay opacity in percent")
        )
        self.color_dialog: QColorDialog | None = None

        for text, widgets in (
            (QT_TRANSLATE_NOOP("ToolOptions", "Size"), (self.size_slider, self.size_spin)),
            (
                QT_TRANSLATE_NOOP("ToolOptions", "Softness"),
                (self.softness_slider, self.softness_spin),
            ),
            (
                QT_TRANSLATE_NOOP("ToolOptions", "Overlay"),
                (self.color_button, self.opacity_slider, self.opacity_spin),
            ),
        ):
            label = QLabel(f" {translate('ToolOptions', text)} ")
            label.setBuddy(widgets[0])
            self.addWidget(label)
            for widget in widgets:
                self.addWidget(widget)
            self.addSeparator()

        self.size_slider.valueChanged.connect(
            lambda position: tools.set_brush_size(position_to_size(position))
        )
        self.size_spin.valueChanged.connect(tools.set_brush_size)
        self.softness_slider.valueChanged.connect(lambda v: tools.set_softness(v / 100))
        self.softness_spin.valueChanged.connect(lambda v: tools.set_softness(v / 100))
        self.opacity_slider.valueChanged.connect(lambda v: tools.set_overlay_opacity(v / 100))
        self.opacity_spin.valueChanged.connect(lambda v: tools.set_overlay_opacity(v / 100))
        tools.brush_size_changed.connect(self._on_size)
        tools.softness_changed.connect(self._on_softness)
        tools.overlay_color_changed.connect(self._on_color)
        tools.overlay_opacity_changed.connect(self._on_opacity)
        self._on_size(tools.brush_size)
        self._on_softness(tools.softness)
        self._on_color(tools.overlay_color)
        self._on_opacity(tools.overlay_opacity)

    def choose_color(self) -> QColorDialog:
        """Open the colour dialog (not blocking: the canvas keeps repainting behind it)."""
        if self.color_dialog is None:
            dialog = QColorDialog(self._tools.overlay_color, self)
            dialog.setObjectName("overlayColorDialog")
            dialog.setWindowTitle(translate("ToolOptions", "Mask overlay colour"))
            dialog.colorSelected.connect(self._tools.set_overlay_color)
            self.color_dialog = dialog
        self.color_dialog.setCurrentColor(self._tools.overlay_color)
        self.color_dialog.open()
        return self.color_dialog

    def _on_size(self, size: int) -> None:
        # Leave the slider alone while it is the one being dragged: positions between two
        # sizes would snap back under the pointer.
        if position_to_size(self.size_slider.value()) != size:
            _quietly(self.size_slider, size_to_position(size))
        _quietly(self.size_spin, size)

    def _on_softness(self, softness: float) -> None:
        _quietly(self.softness_slider, round(softness * 100))
        _quietly(self.softness_spin, round(softness * 100))

    def _on_opacity(self, opacity: float) -> None:
        _quietly(self.opacity_slider, round(opacity * 100))
        _quietly(self.opacity_spin, round(opacity * 100))

    def _on_color(self, color: QColor) -> None:
        swatch = QPixmap(_SWATCH)
        swatch.fill(color)
        self.color_button.setIcon(QIcon(swatch))
        self.color_button.setToolTip(
            translate("ToolOptions", "Mask overlay colour: {value} (click to change)").format(
                value=color.name()
            )
        )


def _quietly(widget: QSlider | QSpinBox, value: int) -> None:
    """Show `value` without echoing it back to the model."""
    if widget.value() != value:
        widget.blockSignals(True)
        widget.setValue(value)
        widget.blockSignals(False)
