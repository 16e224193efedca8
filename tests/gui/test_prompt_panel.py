"""The prompt panel: what it offers for each model, Ctrl+Enter, refused fields, live cost."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from imgdesk.core.catalog import load_catalog
from imgdesk.models.document import DocumentModel
from imgdesk.models.edit_session import EditSession
from imgdesk.models.prompt_history import PromptHistory
from imgdesk.models.settings_model import SettingsModel
from imgdesk.ui.prompt_panel import PromptPanelWidget

# Fixture modules beside this one (tests/gui is on sys.path while it runs).
pytest_plugins = ("fixtures_session", "fakes.keyring_fixtures")


@pytest.fixture
def session(qt_owned: list[QObject], qloop: object, settings_model: SettingsModel) -> EditSession:
    document = DocumentModel()
    session = EditSession(document, settings_model)
    qt_owned.extend([document, session])
    session.set_engine_choice("openai")
    return session


@pytest.fixture
def panel(qtbot: QtBot, session: EditSession, history: PromptHistory) -> PromptPanelWidget:
    widget = PromptPanelWidget(session, history)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_stable_object_names(panel: PromptPanelWidget) -> None:
    for name in ("promptEdit", "generateButton", "cancelButton", "balanceLabel", "buyTokensButton"):
        assert panel.findChild(QObject, name) is not None, name
    # Placeholders for the token-pack work stay out of sight until an account is attached.
    assert not panel.balance_label.isVisible()
    assert not panel.buy_tokens_button.isVisible()
    assert panel.generate_button.isEnabled()
    assert not panel.cancel_button.isEnabled()


def test_shut_down_models_are_listed_disabled_with_the_reason(panel: PromptPanelWidget) -> None:
    model = panel.model_combo.model()
    assert isinstance(model, QStandardItemModel)
    index = panel.model_combo.findData("gpt-image-1")
    item = model.item(index)
    assert not item.isEnabled()
    assert item.toolTip() == load_catalog().get("gpt-image-1").unavailable_reason
    assert model.item(panel.model_combo.findData("gpt-image-2")).isEnabled()


def _choose(combo: object, data: str) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_fields_follow_the_model(panel: PromptPanelWidget, session: EditSession) -> None:
    panel.prompt_edit.setPlainText("a lighthouse")
    panel.more_options_button.click()  # input fidelity sits among the folded options
    _choose(panel.model_combo, "gpt-image-1.5")
    assert session.params.model == "gpt-image-1.5"
    assert panel.fidelity_combo.isVisible()
    sizes = [panel.size_combo.itemData(i) for i in range(panel.size_combo.count())]
    assert sizes == ["auto", "1024x1024", "1536x1024", "1024x1536"]
    _choose(panel.fidelity_combo, "high")
    assert session.params.input_fidelity == "high"

    _choose(panel.model_combo, "gpt-image-2")
    assert not panel.fidelity_combo.isVisible()
    assert session.params.input_fidelity is None
    _choose(panel.size_combo, "custom")
    assert panel.custom_size.isVisible()
    panel.custom_size.setText("1280x720")
    panel.custom_size.textEdited.emit("1280x720")
    assert session.params.size == "1280x720"
    assert session.validate() == []
    panel.custom_size.setText("1000x700")
    panel.custom_size.textEdited.emit("1000x700")
    problems = session.validate()
    assert [p.field for p in problems] == ["size"]
    assert panel.invalid_fields() == ["size"]


def test_folding_the_options_away_keeps_their_values(
    panel: PromptPanelWidget, session: EditSession
) -> None:
    panel.more_options_button.click()
    _choose(panel.model_combo, "gpt-image-1.5")
    _choose(panel.fidelity_combo, "high")
    _choose(panel.format_combo, "webp")
    panel.more_options_button.click()
    assert not panel.fidelity_combo.isVisible()
    panel.variants_spin.setValue(2)  # any later write sends every field again
    assert session.params.n == 2
    assert session.params.input_fidelity == "high"
    assert session.params.output_format == "webp"


def test_ctrl_enter_asks_for_one_edit(qtbot: QtBot, panel: PromptPanelWidget) -> None:
    panel.prompt_edit.setFocus()
    QTest.keyClicks(panel.prompt_edit, "a red door")
    with qtbot.waitSignal(panel.generate_requested):
        QTest.keyClick(panel.prompt_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.prompt_edit.toPlainText() == "a red door"  # no new line was inserted


def test_refused_field_is_outlined_until_changed(
    qtbot: QtBot, panel: PromptPanelWidget, session: EditSession
) -> None:
    with qtbot.waitSignal(session.field_errors_changed):
        problems = session.validate()
    assert [p.field for p in problems] == ["prompt"]
    assert panel.invalid_fields() == ["prompt"]
    assert panel.field_error_label.text() == problems[0].message
    assert panel.prompt_edit.toolTip() == problems[0].message
    QTest.keyClicks(panel.prompt_edit, "x")
    assert panel.invalid_fields() == []
    assert not panel.field_error_label.isVisible()
    assert "Ctrl+Enter" in panel.prompt_edit.toolTip()


def test_cost_estimate_is_live(panel: PromptPanelWidget, session: EditSession) -> None:
    _choose(panel.model_combo, "gpt-image-1.5")
    _choose(panel.quality_combo, "high")
    _choose(panel.size_combo, "1024x1024")
    panel.variants_spin.setValue(1)
    one = session.estimate_text
    panel.variants_spin.setValue(3)
    three = session.estimate_text
    assert one != three
    assert panel.cost_label.text() == f"Estimated cost: {three}"
    assert "3 ×" in panel.cost_label.toolTip()
    _choose(panel.engine_combo, "local")
    assert session.engine_choice == "local"
    assert "free" in panel.cost_label.text()
    assert not panel.model_combo.isEnabled()


def test_recent_prompts_and_presets(
    panel: PromptPanelWidget,
    history: PromptHistory,
) -> None:
    history.remember("a blue sky")
    history.save_preset("Door", "a red door")
    texts = [panel.recent_combo.itemText(i) for i in range(panel.recent_combo.count())]
    assert texts[1:] == ["★ Door", "a blue sky"]
    panel.recent_combo.activated.emit(1)
    assert panel.prompt_edit.toPlainText() == "a red door"


def test_reference_images(tmp_path: Path, panel: PromptPanelWidget, session: EditSession) -> None:
    picture = tmp_path / "style.png"
    out = io.BytesIO()
    Image.fromarray(np.full((8, 8, 4), 200, np.uint8), "RGBA").save(out, "PNG")
    picture.write_bytes(out.getvalue())
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture", "utf-8")
    errors: list[object] = []
    panel.error_raised.connect(errors.append)
    panel.references.add_paths([picture, notes])
    assert [r.name for r in session.references] == ["style.png"]
    assert session.references[0].data == picture.read_bytes()
    assert session.references[0].mime == "image/png"
    assert len(errors) == 1
    assert getattr(errors[0], "field", None) == "references"
