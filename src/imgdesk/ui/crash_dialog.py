"""The dialog shown after an unexpected error, and the bridge from `core.crash` to it.

`core.crash` calls its callback on whatever thread failed, possibly from inside a paint event or
once per frame. `CrashReporter` takes those calls on any thread, collapses a burst into one queued
delivery, and on the UI thread shows a single non-modal `CrashDialog`; repeats while it is open
only bump its counter. Non-modal on purpose: a nested event loop inside an exception hook is how
crash dialogs end up stacked on each other.
"""

from __future__ import annotations

import platform
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from imgdesk import __version__
from imgdesk.core import crash


class CrashDialog(QDialog):
    """Says that something went wrong, where the log is, and lets the user copy the details."""

    def __init__(self, report: str, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("imgdesk: unexpected problem"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.log_file = log_file
        self.repeats = 1

        heading = QLabel(self.tr("imgdesk hit a problem it did not expect."), self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(
            self.tr(
                "You can keep working, but save your picture soon. The details were written "
                "to the log file below; attach it when you report the problem."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.log_label = QLabel(str(log_file), self)
        self.log_label.setObjectName("crashLogPath")
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setWordWrap(True)
        self.repeat_label = QLabel(self)
        self.repeat_label.setObjectName("crashRepeats")
        self.repeat_label.hide()
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_folder_button = QPushButton(self.tr("Open log folder"), self)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_folder_button.clicked.connect(self.open_log_folder)
        self.copy_button.clicked.connect(self.copy_details)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.log_label)
        layout.addWidget(self.repeat_label)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.set_report(report)

    def set_report(self, report: str) -> None:
        """Show the newest report (headline, then the end of the traceback)."""
        self.details.setPlainText(report)

    def add_repeats(self, count: int, report: str) -> None:
        """`count` more crashes arrived while the dialog was open; show the latest one."""
        self.repeats += count
        self.repeat_label.setText(
            self.tr("This happened %n time(s) since the dialog opened.", "", self.repeats)
        )
        self.repeat_label.show()
        self.set_report(report)

    def details_text(self) -> str:
        """What "Copy details" puts on the clipboard: the report plus what a bug report needs."""
        return (
            f"{self.details.toPlainText()}\n\n"
            f"imgdesk {__version__}, Python {platform.python_version()}, Qt {qVersion()}, "
            f"{platform.platform()}\n"
            f"Log file: {self.log_file}\n"
        )

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))


class CrashReporter(QObject):
    """Receives crash reports from any thread and shows them, one dialog at a time."""

    # Emitted (queued, to this object's thread) when reports wait to be shown.
    reports_pending = Signal()
    # Emitted on the UI thread after a report was shown: the dialog and how many it covered.
    dialog_updated = Signal(CrashDialog, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending = 0
        self._latest: tuple[str, Path] | None = None
        self.dialog: CrashDialog | None = None
        self.reports_pending.connect(self._show_pending, Qt.ConnectionType.QueuedConnection)

    def report(self, report: str, log_file: Path) -> None:
        """The `core.crash` callback: safe from any thread, cheap when called in a storm."""
        with self._lock:
            self._latest = (report, log_file)
            self._pending += 1
            if self._pending > 1:
                return  # a delivery is already queued; it will pick this one up
        self.reports_pending.emit()

    @Slot()
    def _show_pending(self) -> None:
        with self._lock:
            count, latest = self._pending, self._latest
            self._pending, self._latest = 0, None
        if latest is None:
            return
        report, log_file = latest
        dialog = self.dialog
        if dialog is not None and dialog.isVisible():
            dialog.add_repeats(count, report)
        else:
            if dialog is not None:
                dialog.deleteLater()
            # No parent: a crash inside a short-lived dialog must not take this one down with it.
            dialog = CrashDialog(report, log_file)
            self.dialog = dialog
            if count > 1:
                dialog.add_repeats(count - 1, report)
            dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_updated.emit(dialog, count)


def install_qt_crash_dialog(app: QApplication) -> CrashReporter:
    """Show crashes from anywhere in a dialog on `app`'s thread; returns the reporter.

    Call after `core.crash.install(...)`; the reporter lives as long as the application.
    """
    reporter = CrashReporter(app)
    crash.set_show(reporter.report)
    return reporter
