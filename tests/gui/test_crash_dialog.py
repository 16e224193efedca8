"""The crash dialog: one at a time, on the UI thread, with the log's location and the details."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from imgdesk.core import crash, logs, redaction
from imgdesk.core.paths import app_paths
from imgdesk.ui.crash_dialog import CrashDialog, CrashReporter, install_qt_crash_dialog

SENTINEL_KEY = "sentinel-key-for-the-dialog-4Wq8"


@pytest.fixture
def log_file() -> Iterator[Path]:
    path = logs.setup_logging(app_paths())
    redaction.register_secret(SENTINEL_KEY)
    yield path
    logs.shutdown_logging()
    redaction.forget_secrets()


@pytest.fixture
def reporter(qapp: QApplication, log_file: Path) -> Iterator[CrashReporter]:
    reporter = install_qt_crash_dialog(qapp)
    yield reporter
    crash.set_show(None)
    if reporter.dialog is not None:
        reporter.dialog.close()
        reporter.dialog.deleteLater()
    reporter.deleteLater()


def crash_now(message: str = f"the canvas lost its layer ({SENTINEL_KEY})") -> None:
    try:
        raise RuntimeError(message)
    except RuntimeError as error:
        crash.report_exception(error, where="a paint event")


def visible_crash_dialogs() -> list[CrashDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()
    ]


def test_a_crash_shows_one_dialog_with_the_log_location(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path
) -> None:
    with qtbot.waitSignal(reporter.dialog_updated) as shown:
        crash_now()
    dialog, count = shown.args
    assert count == 1
    assert visible_crash_dialogs() == [dialog]
    assert dialog.log_label.text() == str(log_file)
    assert dialog.details.toPlainText().startswith(
        "RuntimeError: the canvas lost its layer ([redacted]) (in a paint event)"
    )
    assert not dialog.repeat_label.isVisible()


def test_a_second_crash_while_it_is_open_counts_instead_of_stacking(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    with qtbot.waitSignal(reporter.dialog_updated) as first:
        crash_now()
    with qtbot.waitSignal(reporter.dialog_updated) as second:
        crash_now("a different problem")
    assert second.args[0] is first.args[0]
    dialog = first.args[0]
    assert visible_crash_dialogs() == [dialog]
    assert dialog.repeat_label.isVisible()
    assert dialog.repeat_label.text() == "This happened 2 time(s) since the dialog opened."
    assert dialog.details.toPlainText().startswith("RuntimeError: a different problem")

    # Closed, the next crash gets a fresh dialog.
    dialog.close()
    with qtbot.waitSignal(reporter.dialog_updated) as third:
        crash_now()
    assert third.args[0] is not dialog
    assert visible_crash_dialogs() == [third.args[0]]


def test_a_storm_of_crashes_from_a_thread_lands_in_one_dialog_on_the_ui_thread(
    qtbot: QtBot, qapp: QApplication, reporter: CrashReporter
) -> None:
    deliveries: list[int] = []
    reporter.dialog_updated.connect(lambda _dialog, count: deliveries.append(count))

    def storm() -> None:
        for _ in range(200):
            crash_now()

    worker = threading.Thread(target=storm)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: sum(deliveries) == 200)
    [dialog] = visible_crash_dialogs()
    assert dialog.thread() is qapp.thread()
    assert dialog.repeats == 200
    # The UI thread was blocked in join() throughout: all 200 arrive as one delivery.
    assert deliveries == [200]


class _UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def record(self, url: QUrl) -> None:
        self.urls.append(url)


def test_copy_details_and_open_log_folder(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path
) -> None:
    with qtbot.waitSignal(reporter.dialog_updated) as shown:
        crash_now()
    dialog: CrashDialog = shown.args[0]

    QTest.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("RuntimeError: the canvas lost its layer ([redacted])")
    assert "Traceback (most recent call last)" in copied
    assert f"Log file: {log_file}" in copied
    assert SENTINEL_KEY not in copied

    recorder = _UrlRecorder()
    # The stubs ask for bytes, but PySide6 only accepts the method name as str.
    QDesktopServices.setUrlHandler("file", recorder, "record")  # type: ignore[arg-type]
    try:
        QTest.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in recorder.urls] == [str(log_file.parent)]
