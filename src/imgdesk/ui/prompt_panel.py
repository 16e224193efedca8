"""The prompt panel: what to make, with which engine and model, at what cost; Generate and Cancel.

Every control writes straight into the EditSession's parameters; the session validates, prices
and runs. A field the validator refused is outlined and carries the validator's sentence.

The options scroll when the dock is short; the field errors, the cost and Generate/Cancel sit in a
footer below them, so Generate is always in sight whatever the window's height.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.catalog import BACKGROUNDS, MAX_VARIANTS, OUTPUT_FORMATS, ModelInfo, load_catalog
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.models.edit_session import EditSession
from imgdesk.models.prompt_history import PromptHistory
from imgdesk.ui.field_outline import FieldOutlineOverlay
from imgdesk.ui.reference_list import ReferenceListWidget
from imgdesk.ui.theme import error_text, set_text_color
from imgdesk.ui.translations import option_label

FLEXIBLE_PRESETS = ("1024x1024", "1536x1024", "1024x1536", "2048x2048", "2560x1440", "1440x2560")
_SUBMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _is_submit(event: QKeyEvent) -> bool:
    return event.key() in _SUBMIT_KEYS and bool(
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


def _narrow(combo: QComboBox) -> None:
    # Long entries (recent prompts, model notes) must not widen the dock; the list pops up wide.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)


class PromptEdit(QPlainTextEdit):
    """Multi-line prompt where Ctrl+Enter asks for an edit instead of a new line."""

    submitted = Signal()

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+Enter before any window shortcut does, so exactly one edit starts.
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and _is_submit(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_submit(event):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class PromptPanelWidget(QWidget):
    generate_requested = Signal()
    buy_tokens_requested = Signal()
    error_raised = Signal(object)  # ImgdeskError from the reference list

    def __init__(
        self, session: EditSession, history: PromptHistory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("promptPanel")
        self._session = session
        self._history = history
        self._catalog = load_catalog()
        self._loading = False
        self._custom_size = False  # "Custom…" chosen: keep the size field open while it is empty

        self.prompt_edit = PromptEdit(self)
        self.prompt_edit.setObjectName("promptEdit")
        self.prompt_edit.setAccessibleName(translate("PromptPanel", "Prompt"))
        self.prompt_edit.setPlaceholderText(
            translate("PromptPanel", "Describe what should appear in the painted area…")
        )
        self.prompt_edit.setToolTip(
            translate("PromptPanel", "What to put in the masked area (Ctrl+Enter generates)")
        )
        self.prompt_edit.setTabChangesFocus(True)
        self.prompt_edit.setMinimumHeight(72)  # four lines; it grows first when there is room
        self.prompt_edit.setMaximumHeight(180)
        self.prompt_edit.submitted.connect(self.generate_requested)
        self.prompt_edit.textChanged.connect(self._write)

        self.recent_combo = QComboBox(self)
        self.recent_combo.setObjectName("recentPromptsCombo")
        _narrow(self.recent_combo)
        self.recent_combo.setAccessibleName(translate("PromptPanel", "Recent prompts and presets"))
        self.recent_combo.setToolTip(
            translate("PromptPanel", "Reuse a recent prompt or a saved preset")
        )
        self.recent_combo.activated.connect(self._on_recent)
        self.save_preset_button = QToolButton(self)
        self.save_preset_button.setObjectName("savePresetButton")
        self.save_preset_button.setText(translate("PromptPanel", "Save preset…"))
        self.save_preset_button.setToolTip(
            translate("PromptPanel", "Save the prompt as a named preset")
        )
        self.save_preset_button.clicked.connect(self._save_preset)

        self.engine_combo = self._combo("engineCombo", QT_TRANSLATE_NOOP("PromptPanel", "Engine"))
        self.engine_combo.addItem(translate("PromptPanel", "OpenAI"), "openai")
        self.engine_combo.addItem(translate("PromptPanel", "Local (offline)"), "local")
        self.engine_combo.setToolTip(
            translate(
                "PromptPanel",
                "OpenAI follows the prompt; the offline engine removes the masked content for free",
            )
        )
        self.model_combo = self._combo("modelCombo", QT_TRANSLATE_NOOP("PromptPanel", "Model"))
        self._fill_models()
        self.size_combo = self._combo("sizeCombo", QT_TRANSLATE_NOOP("PromptPanel", "Size"))
        self.custom_size = QLineEdit(self)
        self.custom_size.setObjectName("customSizeEdit")
        self.custom_size.setAccessibleName(translate("PromptPanel", "Custom size"))
        self.custom_size.setPlaceholderText(
            translate("PromptPanel", "WIDTHxHEIGHT, e.g. 1536x1024")
        )
        self.custom_size.textEdited.connect(self._write)
        self.quality_combo = self._combo(
            "qualityCombo", QT_TRANSLATE_NOOP("PromptPanel", "Quality")
        )
        self.variants_spin = QSpinBox(self)
        self.variants_spin.setObjectName("variantsSpin")
        self.variants_spin.setAccessibleName(translate("PromptPanel", "Number of variants"))
        self.variants_spin.setRange(1, MAX_VARIANTS)
        self.variants_spin.valueChanged.connect(self._write)
        self.format_combo = self._combo(
            "formatCombo", QT_TRANSLATE_NOOP("PromptPanel", "Output format")
        )
        for name in OUTPUT_FORMATS:
            self.format_combo.addItem({"png": "PNG", "jpeg": "JPEG", "webp": "WebP"}[name], name)
        self.background_combo = self._combo(
            "backgroundCombo", QT_TRANSLATE_NOOP("PromptPanel", "Background")
        )
        for name in BACKGROUNDS:
            self.background_combo.addItem(option_label(name), name)
        self.fidelity_combo = self._combo(
            "fidelityCombo", QT_TRANSLATE_NOOP("PromptPanel", "Input fidelity")
        )
        self.fidelity_label = QLabel(translate("PromptPanel", "Input fidelity"), self)
        self._fidelity_offered = False  # the model takes input_fidelity (shown or folded away)
        # Options most edits leave alone fold away, so the prompt, model, variants and Generate
        # fit a laptop-height dock without scrolling.
        self.more_options_button = QToolButton(self)
        self.more_options_button.setObjectName("moreOptionsButton")
        self.more_options_button.setText(translate("PromptPanel", "More options"))
        self.more_options_button.setToolTip(
            translate("PromptPanel", "Output format, background, input fidelity and references")
        )
        self.more_options_button.setCheckable(True)
        self.more_options_button.setAutoRaise(True)
        self.more_options_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more_options_button.toggled.connect(self._show_rows)
        self.more_options_button.clicked.connect(self._on_more_clicked)
        self.references = ReferenceListWidget(self)
        self.references.changed.connect(self._session.set_references)
        self.references.error_raised.connect(self.error_raised)

        self.cost_label = QLabel(self)
        self.cost_label.setObjectName("costLabel")
        self.cost_label.setWordWrap(True)
        self.balance_label = QLabel(self)
        self.balance_label.setObjectName("balanceLabel")
        self.balance_label.hide()  # filled in once an account model is attached
        self.buy_tokens_button = QPushButton(translate("PromptPanel", "Buy tokens…"), self)
        self.buy_tokens_button.setObjectName("buyTokensButton")
        self.buy_tokens_button.hide()
        self.buy_tokens_button.clicked.connect(self.buy_tokens_requested)
        self.field_error_label = QLabel(self)
        self.field_error_label.setObjectName("fieldErrorLabel")
        self.field_error_label.setWordWrap(True)
        self.field_error_label.hide()

        self.generate_button = QPushButton(translate("PromptPanel", "Generate"), self)
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setToolTip(translate("PromptPanel", "Generate variants (Ctrl+Enter)"))
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate_requested)
        self.cancel_button = QPushButton(translate("PromptPanel", "Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip(translate("PromptPanel", "Stop the running edit (Esc)"))
        self.cancel_button.clicked.connect(session.cancel)

        self._layout()
        self._fields: dict[str, QWidget] = {
            "prompt": self.prompt_edit,
            "model": self.model_combo,
            "size": self.size_combo,
            "quality": self.quality_combo,
            "n": self.variants_spin,
            "output_format": self.format_combo,
            "output_compression": self.format_combo,
            "background": self.background_combo,
            "input_fidelity": self.fidelity_combo,
            "references": self.references,
            "engine": self.engine_combo,
        }
        for combo in (self.engine_combo, self.model_combo, self.size_combo, self.quality_combo):
            combo.activated.connect(self._on_option)
        for combo in (self.format_combo, self.background_combo, self.fidelity_combo):
            combo.activated.connect(self._write)

        session.params_changed.connect(self._read)
        session.estimate_changed.connect(self._on_estimate)
        session.field_errors_changed.connect(self._on_field_errors)
        session.state_changed.connect(self._on_state)
        history.changed.connect(self._fill_recent)
        self._fill_recent()
        self._read()
        self._on_estimate(session.estimate_text)
        self._on_state(session.state.value)

    # Layout --------------------------------------------------------------------------------

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        _narrow(combo)
        combo.setAccessibleName(translate("PromptPanel", accessible))
        return combo

    def _layout(self) -> None:
        # What scrolls when the dock is short: the prompt and every option.
        self.options = QWidget(self)
        self.options.setObjectName("promptOptions")
        recent_row = QHBoxLayout()
        recent_row.addWidget(self.recent_combo, 1)
        recent_row.addWidget(self.save_preset_button)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_combo, 1)
        size_row.addWidget(self.custom_size, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        form.addRow(translate("PromptPanel", "&Engine"), self.engine_combo)
        form.addRow(translate("PromptPanel", "&Model"), self.model_combo)
        size_label = QLabel(translate("PromptPanel", "Si&ze"), self)
        size_label.setBuddy(self.size_combo)
        form.addRow(size_label, size_row)
        form.addRow(translate("PromptPanel", "&Quality"), self.quality_combo)
        form.addRow(translate("PromptPanel", "&Variants"), self.variants_spin)
        form.addRow(self.more_options_button)
        self._more_rows = form.rowCount()  # the rows from here on fold away
        form.addRow(translate("PromptPanel", "&Format"), self.format_combo)
        form.addRow(translate("PromptPanel", "&Background"), self.background_combo)
        self._fidelity_row = form.rowCount()
        form.addRow(self.fidelity_label, self.fidelity_combo)
        form.addRow(translate("PromptPanel", "References"), self.references)
        self._form = form
        prompt_label = QLabel(translate("PromptPanel", "&Prompt"), self)
        prompt_label.setBuddy(self.prompt_edit)
        body = QVBoxLayout(self.options)
        body.setContentsMargins(9, 6, 9, 6)
        body.addWidget(prompt_label)
        body.addWidget(self.prompt_edit)
        body.addLayout(recent_row)
        body.addLayout(form)
        body.addStretch(1)
        self._outlines = FieldOutlineOverlay(self.options)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("promptScroll")
        self.scroll_area.setWidget(self.options)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        # Always in sight: why Generate was refused, what it costs, and the buttons.
        self._footer = QWidget(self)
        self._footer.setObjectName("promptFooter")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.generate_button, 1)
        balance = QHBoxLayout()
        balance.addWidget(self.balance_label, 1)
        balance.addWidget(self.buy_tokens_button)
        footer = QVBoxLayout(self._footer)
        footer.setContentsMargins(9, 6, 9, 9)
        footer.addWidget(self.field_error_label)
        footer.addWidget(self.cost_label)
        footer.addLayout(balance)
        footer.addLayout(buttons)
        self._rule = QFrame(self)
        self._rule.setFrameShape(QFrame.Shape.HLine)
        self._rule.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self._rule)
        layout.addWidget(self._footer)
        self._show_rows(self.more_options_button.isChecked())
        self._recolor()

    def _show_rows(self, more: bool) -> None:
        self.more_options_button.setArrowType(
            Qt.ArrowType.DownArrow if more else Qt.ArrowType.RightArrow
        )
        for row in range(self._more_rows, self._form.rowCount()):
            shown = more and (row != self._fidelity_row or self._fidelity_offered)
            self._form.setRowVisible(row, shown)

    def _on_more_clicked(self, more: bool) -> None:
        if more:  # the rows just unfolded, not the prompt above them, are what was asked for
            self._reveal(self.references)

    def _reveal(self, widget: QWidget) -> None:
        # After the layout has placed the rows that just appeared.
        QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(widget))

    def sizeHint(self) -> QSize:
        # Ask for the room to show every option unscrolled (a scroll area alone asks for little);
        # the dock may still give less, and then only the options scroll.
        hint = super().sizeHint()
        below = self._rule.sizeHint().height() + self._footer.sizeHint().height()
        return QSize(hint.width(), max(hint.height(), self.options.sizeHint().height() + below))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolor()

    def _recolor(self) -> None:
        set_text_color(self.field_error_label, error_text(self.palette()))

    def _fill_models(self) -> None:
        model = QStandardItemModel(self.model_combo)
        self.model_combo.setModel(model)
        for info in self._catalog.models.values():
            self.model_combo.addItem(info.label if info.label != info.id else info.id, info.id)
            item = model.item(self.model_combo.count() - 1)
            reason = info.unavailable_reason
            if reason:
                # Shut-down models stay visible so people learn why an old preset stops working.
                item.setEnabled(False)
                item.setToolTip(reason)
            elif info.state == "deprecated":
                item.setToolTip(
                    translate("PromptPanel", "{label} is deprecated and will be shut down.").format(
                        label=info.label
                    )
                )
            elif info.note:
                item.setToolTip(info.note)

    def _fill_recent(self) -> None:
        self.recent_combo.clear()
        self.recent_combo.addItem(translate("PromptPanel", "Recent prompts and presets…"), None)
        for name, prompt in self._history.presets.items():
            self.recent_combo.addItem(
                translate("PromptPanel", "★ {name}").format(name=name), prompt
            )
        for prompt in self._history.recent:
            short = prompt if len(prompt) <= 60 else prompt[:57] + "…"
            self.recent_combo.addItem(short, prompt)
            self.recent_combo.setItemData(
                self.recent_combo.count() - 1, prompt, Qt.ItemDataRole.ToolTipRole
            )
        self.recent_combo.setEnabled(self.recent_combo.count() > 1)

    # Session -> widgets --------------------------------------------------------------------

    def _model_info(self) -> ModelInfo | None:
        return self._catalog.models.get(self._session.params.model)

    def _read(self) -> None:
        """Show the session's parameters (they may change from outside, e.g. Switch model)."""
        self._loading = True
        try:
            params = self._session.params
            if self.prompt_edit.toPlainText() != params.prompt:
                self.prompt_edit.setPlainText(params.prompt)
            self._select(self.engine_combo, self._session.engine_choice)
            self._select(self.model_combo, params.model)
            info = self._model_info()
            local = self._session.engine_choice == "local"
            for widget in (self.model_combo, self.quality_combo, self.background_combo):
                widget.setEnabled(not local)
            self.quality_combo.clear()
            for quality in info.qualities if info else ("auto",):
                self.quality_combo.addItem(option_label(quality), quality)
            self._select(self.quality_combo, params.quality)
            self._fill_sizes(info, params.size)
            self.variants_spin.setValue(params.n)
            self._select(self.format_combo, params.output_format)
            self._select(self.background_combo, params.background)
            fidelity = info.input_fidelity if info else ()
            self.fidelity_combo.clear()
            self.fidelity_combo.addItem(translate("PromptPanel", "Model default"), None)
            for value in fidelity:
                self.fidelity_combo.addItem(option_label(value), value)
            self._select(self.fidelity_combo, params.input_fidelity)
            self._fidelity_offered = bool(fidelity) and not local
            self._show_rows(self.more_options_button.isChecked())
            self.references.set_limit(max((info.max_input_images if info else 1) - 1, 0))
            self.references.setEnabled(not local)
        finally:
            self._loading = False

    def _fill_sizes(self, info: ModelInfo | None, size: str) -> None:
        self.size_combo.clear()
        if info is None or info.sizes.auto:
            self.size_combo.addItem(translate("PromptPanel", "Auto (from the mask)"), "auto")
        flexible = info is not None and info.sizes.flexible
        sizes: tuple[str, ...] = FLEXIBLE_PRESETS
        if not flexible:
            sizes = tuple(f"{w}x{h}" for w, h in info.sizes.sizes) if info else ()
        for text in sizes:
            self.size_combo.addItem(text.replace("x", " × "), text)
        if flexible:
            self.size_combo.addItem(translate("PromptPanel", "Custom…"), "custom")
        index = self.size_combo.findData(size)
        custom = flexible and (self._custom_size or (index < 0 and size != "auto"))
        if custom:
            index = self.size_combo.findData("custom")
            if size != "auto" and self.custom_size.text() != size:
                self.custom_size.setText(size)
        self.size_combo.setCurrentIndex(max(index, 0))
        self.custom_size.setVisible(custom or self.size_combo.currentData() == "custom")

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _on_estimate(self, text: str) -> None:
        self.cost_label.setText(
            translate("PromptPanel", "Estimated cost: {text}").format(text=text) if text else ""
        )
        self.cost_label.setToolTip(self._session.estimate_basis())

    def _on_state(self, state: str) -> None:
        running = state == "running"
        self.generate_button.setEnabled(not running)
        # A job waiting in the queue (offline, no credits) can be cancelled too.
        self.cancel_button.setEnabled(running or state == "queued")
        self.generate_button.setText(
            translate("PromptPanel", "Generating…")
            if running
            else translate("PromptPanel", "Generate")
        )

    def _on_field_errors(self, errors: list[ImgdeskError]) -> None:
        for widget in set(self._fields.values()):
            if widget.property("invalid"):
                widget.setToolTip(str(widget.property("plainToolTip") or ""))
                widget.setProperty("invalid", False)
        messages = []
        outlined: list[QWidget] = []
        for error in errors:
            field = self._fields.get(error.field or "")
            if field is not None:
                if not field.property("invalid"):
                    field.setProperty("plainToolTip", field.toolTip())
                field.setProperty("invalid", True)
                field.setToolTip(error.localized())
                outlined.append(field)
            messages.append(error.localized())
        folded = (self.format_combo, self.background_combo, self.fidelity_combo, self.references)
        if any(widget in folded for widget in outlined):
            self.more_options_button.setChecked(True)  # a refused option must be in sight
        self._outlines.set_fields(outlined)
        self.field_error_label.setText("\n".join(messages))
        self.field_error_label.setVisible(bool(messages))
        if errors:
            first: QWidget | None = self._fields.get(errors[0].field or "")
            if first is not None and first.isVisible():
                first.setFocus()
                self._reveal(first)

    def invalid_fields(self) -> list[str]:
        """Field names currently outlined as refused (for tests and accessibility)."""
        return [name for name, w in self._fields.items() if w.property("invalid")]

    # Widgets -> session --------------------------------------------------------------------

    def _on_option(self) -> None:
        if self._loading:
            return
        self._session.set_engine_choice(str(self.engine_combo.currentData()))
        model = self.model_combo.currentData()
        if isinstance(model, str) and model != self._session.params.model:
            self._session.set_model(model)  # resets what the new model does not offer
        else:
            self._write()
        self._read()  # qualities, sizes and fidelity depend on the model

    def _size_value(self) -> str:
        data = self.size_combo.currentData()
        self._custom_size = data == "custom"
        if data == "custom":
            self.custom_size.setVisible(True)
            return self.custom_size.text().strip() or "auto"
        self.custom_size.setVisible(False)
        return str(data or "auto")

    def _write(self) -> None:
        if self._loading:
            return
        fidelity = self.fidelity_combo.currentData() if self._fidelity_offered else None
        params = dataclasses.replace(
            self._session.params,
            prompt=self.prompt_edit.toPlainText(),
            model=str(self.model_combo.currentData() or self._session.params.model),
            size=self._size_value(),
            quality=str(self.quality_combo.currentData() or "auto"),
            n=self.variants_spin.value(),
            output_format=str(self.format_combo.currentData() or "png"),
            background=str(self.background_combo.currentData() or "auto"),
            input_fidelity=fidelity if isinstance(fidelity, str) else None,
        )
        self._session.set_params(params)

    def _on_recent(self, index: int) -> None:
        prompt = self.recent_combo.itemData(index)
        if isinstance(prompt, str):
            self.prompt_edit.setPlainText(prompt)
            self.prompt_edit.setFocus()
        self.recent_combo.setCurrentIndex(0)

    def _save_preset(self) -> None:
        prompt = self.prompt_edit.toPlainText().strip()
        if not prompt:
            return
        name, ok = QInputDialog.getText(
            self,
            translate("PromptPanel", "Save preset"),
            translate("PromptPanel", "Name for this prompt:"),
        )
        if ok and name.strip():
            self._history.save_preset(name, prompt)
