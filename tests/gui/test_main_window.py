"""The whole window against the fake OpenAI server: open, paint, generate, pick, apply, export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from window_helpers import Run, paint_stroke

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.errors import Action, ErrorKind
from imgdesk.models.edit_session import SessionState
from imgdesk.ui.main_window import MainWindow
from imgdesk.ui.shortcuts_dialog import ShortcutsDialog

pytest_plugins = ("fixtures_session", "fixtures_window", "fakes.openai_fixtures")

TIMEOUT_MS = 20_000


def type_prompt(window: MainWindow, text: str) -> None:
    edit = window.prompt_panel.prompt_edit
    edit.setFocus()
    QTest.keyClicks(edit, text)


def test_main_parts_have_stable_object_names(window: MainWindow) -> None:
    for name in (
        "canvas",
        "promptEdit",
        "generateButton",
        "cancelButton",
        "variantsStrip",
        "errorBanner",
        "balanceLabel",
        "buyTokensButton",
    ):
        assert window.findChild(QWidget, name) is not None, name


def test_without_a_key_the_window_says_the_offline_engine_is_in_use(window: MainWindow) -> None:
    banner = window.banner
    assert banner.isVisible()
    assert banner.kind is None
    assert banner.action is Action.OPEN_SETTINGS
    assert banner.action_button().text() == "Add key…"
    assert "offline engine" in banner.message()
    assert "no OpenAI key" in window.engine_label.text()


def test_tooltips_carry_shortcuts_and_f1_lists_them(window: MainWindow) -> None:
    actions = window.actions_.by_name
    assert actions["open"].toolTip() == "Open (Ctrl+O)"
    assert actions["tool_brush"].toolTip() == "Brush (B)"
    rows = dict(ShortcutsDialog(window.actions_.menus, window).rows())
    assert rows["File › Export As"] == "Ctrl+Shift+E"
    assert rows["Help › Keyboard Shortcuts"] == "F1"
    assert rows["Prompt › Generate"] == "Ctrl+Enter"


@pytest.mark.slow
def test_whole_flow_open_paint_generate_apply_undo_export(
    qtbot: QtBot,
    openai_env: FakeOpenAIServer,
    window: MainWindow,
    opened: np.ndarray,
    tmp_path: Path,
    arun: Run,
) -> None:
    window.settings.key_changed.emit()  # the key came from the environment after start-up
    assert window.banner.isHidden()
    original = window.document.pixels.copy()
    assert np.array_equal(original, opened)

    paint_stroke(window, [(150, 150), (200, 160), (250, 170)])
    mask = window.document.mask
    assert mask[160, 200] == 255
    assert mask[10, 10] == 0
    assert mask[350, 470] == 0

    window.prompt_panel.engine_combo.setCurrentIndex(0)
    window.session.set_engine_choice("openai")
    window.prompt_panel.variants_spin.setValue(3)
    type_prompt(window, "a wooden door")
    previews: list[int] = []
    window.session.preview_received.connect(previews.append)
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        QTest.keyClick(
            window.prompt_panel.prompt_edit,
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier,
        )
    assert finished.args == ["done"]
    assert len(openai_env.requests) == 1
    assert openai_env.requests[0].fields["n"] == "3"
    assert previews == [0, 1]  # partial images reached the canvas while streaming

    strip = window.variants
    assert strip.isVisible()
    assert strip.count() == 3
    variants = window.session.variants
    x, y = strip.item_rect_center(2)
    QTest.mouseClick(strip.list_viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert window.session.selected_variant == 2
    assert window.document.preview is variants[2]

    strip.apply_button.click()
    assert np.array_equal(window.document.pixels, variants[2])
    assert not strip.isVisible()
    window.actions_.by_name["undo"].trigger()
    assert np.array_equal(window.document.pixels, original)
    window.actions_.by_name["redo"].trigger()
    assert np.array_equal(window.document.pixels, variants[2])
    # Outside the painted stroke (plus feather) the photo is bit-identical.
    assert np.array_equal(window.document.pixels[:60, :60], original[:60, :60])

    target = tmp_path / "export.png"
    arun(window.export_to(target))
    exported = np.asarray(Image.open(target).convert("RGBA"))
    assert np.array_equal(exported, window.document.pixels)
    assert window.recent.files == [(tmp_path / "photo.png").resolve()]


def test_cancel_button_mid_request_leaves_photo_untouched(
    qtbot: QtBot, openai_env: FakeOpenAIServer, window: MainWindow, opened: np.ndarray
) -> None:
    paint_stroke(window, [(100, 100), (140, 120)])
    window.session.set_engine_choice("openai")
    type_prompt(window, "a cat")
    openai_env.inject("slow", seconds=30)
    window.prompt_panel.generate_button.click()
    qtbot.waitUntil(lambda: len(openai_env.requests) == 1, timeout=TIMEOUT_MS)
    assert window.prompt_panel.cancel_button.isEnabled()
    window.prompt_panel.cancel_button.click()
    assert window.session.state is SessionState.CANCELLED
    assert window.document.preview is None
    assert np.array_equal(window.document.pixels, opened)
    assert window.progress.isHidden()
    qtbot.waitUntil(lambda: openai_env.disconnects == 1, timeout=TIMEOUT_MS)


FAULTS = [
    ("auth", ErrorKind.AUTH, "Open settings…"),
    ("model_shut_down", ErrorKind.MODEL_UNAVAILABLE, "Switch model"),
    ("server", ErrorKind.SERVER, "Try again"),
    ("rate_limit", ErrorKind.RATE_LIMIT, "Try again"),
    ("quota", ErrorKind.QUOTA, None),
    ("moderation_input", ErrorKind.MODERATION, None),
    ("org_unverified", ErrorKind.ORG_UNVERIFIED, "Switch model"),
]


@pytest.mark.parametrize(("fault", "kind", "button"), FAULTS, ids=[f[0] for f in FAULTS])
def test_each_fault_shows_its_banner(
    qtbot: QtBot,
    openai_env: FakeOpenAIServer,
    window: MainWindow,
    opened: np.ndarray,
    fault: str,
    kind: ErrorKind,
    button: str | None,
) -> None:
    paint_stroke(window, [(100, 100), (140, 120)])
    window.session.set_engine_choice("openai")
    type_prompt(window, "a cat")
    openai_env.inject(fault)
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS):
        window.generate()
    banner = window.banner
    assert banner.isVisible()
    assert banner.kind is kind
    assert banner.level == "error"
    assert banner.message()
    if button is None:
        assert banner.action_button().isHidden()
    else:
        assert banner.action_button().isVisible()
        assert banner.action_button().text() == button
    assert np.array_equal(window.document.pixels, opened)


def test_retry_button_runs_the_edit_again(
    qtbot: QtBot, openai_env: FakeOpenAIServer, window: MainWindow, opened: np.ndarray
) -> None:
    paint_stroke(window, [(100, 100), (140, 120)])
    window.session.set_engine_choice("openai")
    type_prompt(window, "a cat")
    openai_env.inject("server")
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS):
        window.generate()
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        window.banner.action_button().click()
    assert finished.args == ["done"]
    assert len(openai_env.requests) == 2
    assert window.banner.isHidden()


def test_empty_prompt_is_pointed_out_and_nothing_is_sent(
    openai_env: FakeOpenAIServer, window: MainWindow, opened: np.ndarray
) -> None:
    paint_stroke(window, [(100, 100), (140, 120)])
    window.session.set_engine_choice("openai")
    window.prompt_panel.generate_button.click()
    assert window.prompt_panel.invalid_fields() == ["prompt"]
    assert window.banner.kind is ErrorKind.INVALID_REQUEST
    assert window.session.state is SessionState.IDLE
    assert openai_env.requests == []


def test_local_engine_edits_without_any_key(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    assert window.session.engine_choice == "local"
    paint_stroke(window, [(100, 100), (140, 120)])
    type_prompt(window, "remove it")
    window.prompt_panel.variants_spin.setValue(2)
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        window.prompt_panel.generate_button.click()
    assert finished.args == ["done"]
    assert window.variants.count() == 2
    changed = window.session.variants[0]
    assert not np.array_equal(changed[95:125, 95:145], opened[95:125, 95:145])
    assert np.array_equal(changed[300:, 300:], opened[300:, 300:])


def test_loading_error_is_a_sentence_in_the_banner(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, arun: Run
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    task = window.open_path(broken)
    assert task is not None
    arun(task)
    assert window.banner.kind is ErrorKind.IMAGE
    assert "Traceback" not in window.banner.message()
    assert window.document.pixels is None
