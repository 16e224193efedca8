"""The main window's file commands: open, paste, save, export, recent files, unsaved changes.

A mixin of MainWindow, split out because the window file grew past a readable size; it uses the
window's models, banner and task tracking.
"""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    import asyncio

    from imgdesk.models.document import DocumentModel
    from imgdesk.models.edit_session import EditSession
    from imgdesk.models.recent_files import RecentFiles
    from imgdesk.models.settings_model import SettingsModel
    from imgdesk.ui.canvas import CanvasView
    from imgdesk.ui.error_banner import ErrorBanner
    from imgdesk.ui.window_actions import WindowActions

OPEN_FILTER = QT_TRANSLATE_NOOP(
    "WindowFiles",
    "Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp *.gif *.heic);;All files (*)",
)
# Whole questions per occasion: a phrase spliced into one sentence cannot be translated well.
_DISCARD_QUESTION = QT_TRANSLATE_NOOP(
    "WindowFiles", "The photo has changes that are not saved. Discard them before {doing}?"
)
_DISCARD_QUESTIONS = {
    "closing": QT_TRANSLATE_NOOP(
        "WindowFiles", "The photo has changes that are not saved. Discard them before closing?"
    ),
    "opening another photo": QT_TRANSLATE_NOOP(
        "WindowFiles",
        "The photo has changes that are not saved. Discard them before opening another photo?",
    ),
    "pasting a new photo": QT_TRANSLATE_NOOP(
        "WindowFiles",
        "The photo has changes that are not saved. Discard them before pasting a new photo?",
    ),
}
EXPORT_FILTERS = {"PNG (*.png)": "png", "JPEG (*.jpg *.jpeg)": "jpeg", "WebP (*.webp)": "webp"}
_FORMATS = {"jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}


class WindowFilesMixin:
    document: DocumentModel
    session: EditSession
    settings: SettingsModel
    recent: RecentFiles
    canvas: CanvasView
    banner: ErrorBanner
    actions_: WindowActions
    _tasks: set[asyncio.Task[Any]]

    def show_error(self, error: object) -> None:
        raise NotImplementedError

    def _dialog_parent(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _track(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a short file task; its ImgdeskError lands in the banner, not in a traceback."""

        async def guarded() -> Any:
            try:
                return await coro
            except ImgdeskError as error:
                self.show_error(error)
                return None

        import asyncio  # the event loop runs by now

        task = asyncio.ensure_future(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def open_path(self, path: Path) -> asyncio.Task[Any] | None:
        if not self._confirm_discard("opening another photo"):
            return None
        self.session.detach()  # a queued edit still runs and lands in the history
        self.session.discard_variants()
        return self._track(self._open(Path(path)))

    async def _open(self, path: Path) -> None:
        if await self.document.open(path):  # failures arrive through document.error_raised
            self.recent.add(path)
            if self.banner.kind is not None:
                self.banner.dismiss()
            self.canvas.fit_to_window()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self._dialog_parent(),
            translate("WindowFiles", "Open photo"),
            "",
            translate("WindowFiles", OPEN_FILTER),
        )
        if name:
            self.open_path(Path(name))

    def paste_image(self) -> None:
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.show_error(
                ImgdeskError(
                    ErrorKind.IMAGE, QT_TRANSLATE_NOOP("errors", "The clipboard holds no image.")
                )
            )
            return
        if not self._confirm_discard("pasting a new photo"):
            return
        # Through a lossless file so the pasted photo takes the same loader path as any other.
        target = self.settings.paths.cache / "pasted.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        # The stubs say bytes, but PySide6 6.12 only accepts the format name as str.
        if not image.save(str(target), "PNG"):  # type: ignore[call-overload]
            self.show_error(
                ImgdeskError(
                    ErrorKind.STORAGE,
                    QT_TRANSLATE_NOOP("errors", "The pasted image could not be kept."),
                )
            )
            return
        self._track(self.document.open(target))

    def save(self) -> None:
        path = self.document.path
        if path is None:
            self.export_as()
            return
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = _FORMATS.get(suffix, "png")
        self._track(self.document.save_as(Path(path), fmt))

    def export_as(self) -> None:
        if self.document.pixels is None:
            return
        start = str(Path(self.document.path).with_suffix(".png")) if self.document.path else ""
        name, chosen = QFileDialog.getSaveFileName(
            self._dialog_parent(),
            translate("WindowFiles", "Export as"),
            start,
            ";;".join(EXPORT_FILTERS),
        )
        if name:
            self.export_to(Path(name), EXPORT_FILTERS.get(chosen))

    def export_to(self, path: Path, fmt: str | None = None) -> asyncio.Task[Any]:
        suffix = path.suffix.lower().lstrip(".")
        fmt = fmt or _FORMATS.get(suffix, "png")
        return self._track(self.document.save_as(path, fmt))

    def _fill_recent(self) -> None:
        menu = self.actions_.recent_menu
        menu.clear()
        files = self.recent.files
        for path in files:
            action = menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if files:
            menu.addSeparator()
            menu.addAction(translate("WindowFiles", "Clear list"), self.recent.clear)
        menu.setEnabled(bool(files))

    def _confirm_discard(self, doing: str) -> bool:
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self._dialog_parent(),
            translate("WindowFiles", "Unsaved changes"),
            translate("WindowFiles", _DISCARD_QUESTIONS.get(doing, _DISCARD_QUESTION)).format(
                doing=doing
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.save()
            return False  # saving runs in the background; ask again once it is done
        return answer == QMessageBox.StandardButton.Discard
