"""Photos in and out of the window, expanding the canvas, and reaching it all by keyboard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData, QObject, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from window_helpers import HEIGHT, WIDTH, answer_message_box, drag_rectangle, write_photo

from imgdesk.ui.expand_canvas_dialog import ExpandCanvasDialog
from imgdesk.ui.main_window import MainWindow

pytest_plugins = ("fixtures_session", "fixtures_window")

TIMEOUT_MS = 20_000
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def open_expand_dialog(window: MainWindow) -> ExpandCanvasDialog:
    window.activateWindow()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_C, CTRL_ALT)
    dialog = window.findChild(ExpandCanvasDialog)
    assert isinstance(dialog, ExpandCanvasDialog)
    assert dialog.isVisible()
    return dialog


def click_ok(qtbot: QtBot, window: MainWindow, dialog: ExpandCanvasDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert isinstance(box, QDialogButtonBox)
    with qtbot.waitSignal(window.document.image_changed, timeout=TIMEOUT_MS):
        QTest.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_expand_canvas_by_margins_masks_the_new_area_and_undoes_exactly(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    drag_rectangle(window, 100, 100, 200, 160)
    mask_before = window.document.mask.copy()
    dialog = open_expand_dialog(window)
    for side, value in (("left", "30"), ("top", "10"), ("right", "0"), ("bottom", "20")):
        spin = dialog.spins[side]
        spin.setFocus()
        spin.selectAll()
        QTest.keyClicks(spin, value)
    assert dialog.result_label.text() == "480 × 360 becomes 510 × 390 pixels."
    click_ok(qtbot, window, dialog)

    pixels, mask = window.document.pixels, window.document.mask
    assert pixels.shape == (HEIGHT + 30, WIDTH + 30, 4)
    assert np.array_equal(pixels[10 : 10 + HEIGHT, 30 : 30 + WIDTH], opened)
    assert (mask[:, :30] == 255).all()  # the new strips are masked...
    assert (mask[:10, :] == 255).all()
    assert (mask[10 + HEIGHT :, :] == 255).all()
    assert mask[10 + 200, 30 + 300] == 0  # ...the old photo is not, apart from what was painted
    assert mask[10 + 130, 30 + 150] == 255

    window.actions_.by_name["undo"].trigger()
    assert np.array_equal(window.document.pixels, opened)
    assert np.array_equal(window.document.mask, mask_before)


def test_expand_canvas_to_an_aspect_ratio(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    dialog = open_expand_dialog(window)
    QTest.mouseClick(dialog.by_aspect, Qt.MouseButton.LeftButton)
    assert dialog.by_aspect.isChecked()
    dialog.aspect_combo.setFocus()
    dialog.aspect_combo.setCurrentIndex(dialog.aspect_combo.findText("1:1"))
    assert dialog.result_label.text() == "480 × 360 becomes 480 × 480 pixels."
    click_ok(qtbot, window, dialog)
    pixels, mask = window.document.pixels, window.document.mask
    assert pixels.shape == (480, 480, 4)
    rows = np.flatnonzero((pixels[:, :, :3] != 0).any(axis=(1, 2)) & (mask < 255).any(axis=1))
    assert len(rows) >= HEIGHT - 2  # the photo keeps its rows, unmasked
    assert (mask == 255).sum() >= (480 - HEIGHT) * 480  # the added band is masked
    window.actions_.by_name["undo"].trigger()
    assert np.array_equal(window.document.pixels, opened)


def test_paste_an_image_from_the_clipboard_as_a_new_photo(qtbot: QtBot, window: MainWindow) -> None:
    pixels = np.zeros((40, 64, 4), np.uint8)
    pixels[..., 0] = np.arange(64, dtype=np.uint8)[None, :] * 4
    pixels[..., 1] = 200
    pixels[..., 3] = 255
    image = QImage(pixels.data, 64, 40, 64 * 4, QImage.Format.Format_RGBA8888).copy()
    QGuiApplication.clipboard().setImage(image)
    window.activateWindow()
    with qtbot.waitSignal(window.document.image_changed, timeout=TIMEOUT_MS):
        QTest.keyClick(
            window,
            Qt.Key.Key_V,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert np.array_equal(window.document.pixels, pixels)
    assert window.canvas_stack.currentWidget() is window.canvas


def test_drop_a_file_on_the_window_opens_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    pixels = write_photo(tmp_path / "dropped.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped.png"))])
    where = window.canvas_stack.geometry().center()
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.document.path_changed, timeout=TIMEOUT_MS) as changed:
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert changed.args == [str((tmp_path / "dropped.png").resolve())]
    assert np.array_equal(window.document.pixels, pixels)


def test_open_recent_reopens_a_photo(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    first = write_photo(tmp_path / "first.png")
    window.recent.add(tmp_path / "first.png")
    menu = window.actions_.recent_menu
    assert menu.isEnabled()
    entry = menu.actions()[0]
    assert entry.text() == "first.png"
    with qtbot.waitSignal(window.document.image_changed, timeout=TIMEOUT_MS):
        entry.trigger()
    assert np.array_equal(window.document.pixels, first)
    clear = [a for a in menu.actions() if a.text() == "Clear list"]
    clear[0].trigger()
    assert window.recent.files == []
    assert not menu.isEnabled()


def test_empty_state_invites_opening_a_photo(window: MainWindow) -> None:
    assert window.canvas_stack.currentWidget() is window.empty_state
    button = window.empty_state.findChild(QPushButton, "openPhotoButton")
    assert isinstance(button, QPushButton)
    assert button.isVisible()
    opened: list[bool] = []
    window.empty_state.open_requested.connect(lambda: opened.append(True))
    window.empty_state.open_requested.disconnect(window._open_requested)  # no file dialog here
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [True]


def test_closing_with_unsaved_changes_asks_first(
    qtbot: QtBot, window: MainWindow, opened: np.ndarray
) -> None:
    window.document.set_image(np.ascontiguousarray(opened[::-1]), "Flip")
    assert window.document.modified
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))

    texts: list[str] = []
    answer_message_box(QMessageBox.StandardButton.Cancel, texts)
    assert not window.close()
    assert texts == ["The photo has changes that are not saved. Discard them before closing?"]
    assert window.isVisible()
    assert closed == []

    answer_message_box(QMessageBox.StandardButton.Discard, texts)
    assert window.close()
    assert len(texts) == 2
    assert closed == [True]


def test_unmodified_photo_closes_without_a_question(window: MainWindow, opened: np.ndarray) -> None:
    drag_rectangle(window, 10, 10, 50, 50)  # the mask is not part of the saved photo
    assert not window.document.modified
    assert window.close()
    assert QApplication.activeModalWidget() is None


def _reachable_by_menu(action: QAction, window: MainWindow) -> bool:
    """In a menu whose every level, from the menu bar down, has a mnemonic."""
    for widget in action.associatedObjects():
        menu: QObject | None = widget
        while isinstance(menu, QMenu):
            owner = menu.menuAction()
            if "&" not in owner.text():
                break
            if owner in window.menuBar().actions():
                return True
            parents = [w for w in owner.associatedObjects() if isinstance(w, QMenu)]
            menu = parents[0] if parents else None
    return False


def test_every_window_action_is_reachable_from_the_keyboard(
    window: MainWindow, opened: np.ndarray, tmp_path: Path
) -> None:
    write_photo(tmp_path / "again.png")
    window.recent.add(tmp_path / "again.png")
    bar = window.menuBar()
    menus = [a.menu() for a in bar.actions()]
    assert all("&" in a.text() for a in bar.actions())
    actions = {a for a in window.findChildren(QAction) if a.text() and not a.isSeparator()}
    actions |= {a for m in menus if isinstance(m, QMenu) for a in m.actions()}
    actions |= set(window.actions_.toolbar.actions()) | set(window.actions_.tool_options.actions())
    commands = [a for a in actions if not a.menu() and not a.isSeparator() and a.text()]
    assert len(commands) > 40
    unreachable = [
        a.text() for a in commands if a.shortcut().isEmpty() and not _reachable_by_menu(a, window)
    ]
    assert unreachable == []
    # And the shortcuts do not collide.
    keys = [k.toString() for a in commands for k in a.shortcuts()]
    assert len(keys) == len(set(keys))


def test_keyboard_shortcut_reaches_a_tool_and_tooltips_show_it(window: MainWindow) -> None:
    window.activateWindow()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_L)
    assert window.tools.tool == "lasso"
    assert window.actions_.by_name["feather"].toolTip().endswith("(Ctrl+Alt+F)")
    assert window.actions_.by_name["grow_by"].toolTip() == "Grow Mask By (Ctrl+Alt+])"
    tip = window.actions_.tool_options.opacity_slider.toolTip()
    assert "\\" in tip
