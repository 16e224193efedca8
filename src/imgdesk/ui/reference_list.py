"""Reference images that ride along with an edit: add by button or by dropping files in."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.edit_types import Reference
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate

ACCEPTED = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
MAX_BYTES = 50 * 1024 * 1024  # the service's limit per input image


def load_reference(path: Path) -> Reference:
    """Read an image file as a Reference; an ImgdeskError explains files the service refuses."""
    mime = ACCEPTED.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    if mime not in ACCEPTED.values():
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP(
                "errors", "{name} cannot be a reference image; use PNG, JPEG or WebP."
            ),
            field="references",
            name=path.name,
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "{name} could not be read: {strerror}."),
            field="references",
            name=path.name,
            strerror=error.strerror,
        ) from None
    if len(data) > MAX_BYTES:
        raise ImgdeskError.make(
            ErrorKind.IMAGE,
            QT_TRANSLATE_NOOP("errors", "{name} is larger than 50 MB."),
            field="references",
            name=path.name,
        )
    return Reference(name=path.name, data=data, mime=mime or "image/png")


class ReferenceListWidget(QWidget):
    changed = Signal(list)  # list[Reference]
    error_raised = Signal(object)  # ImgdeskError

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referenceList")
        self.setAcceptDrops(True)
        self._references: list[Reference] = []
        self._limit = 15
        self._list = QListWidget(self)
        self._list.setObjectName("referenceItems")
        self._list.setAccessibleName(translate("ReferenceList", "Reference images"))
        self._list.setViewMode(QListWidget.ViewMode.IconMode)
        self._list.setIconSize(QSize(40, 40))
        self._list.setFixedHeight(64)
        self._list.setFlow(QListWidget.Flow.LeftToRight)
        self._list.setWrapping(False)
        self._list.setToolTip(
            translate("ReferenceList", "Drop PNG, JPEG or WebP files here to add reference images")
        )
        self._hint = QLabel(self)
        self._hint.setObjectName("referenceHint")
        self._hint.setWordWrap(True)
        self.add_button = QPushButton(translate("ReferenceList", "Add…"), self)
        self.add_button.setObjectName("addReferenceButton")
        self.add_button.setToolTip(
            translate("ReferenceList", "Add reference images that guide the edit")
        )
        self.add_button.clicked.connect(self._choose)
        self.remove_button = QPushButton(translate("ReferenceList", "Remove"), self)
        self.remove_button.setObjectName("removeReferenceButton")
        self.remove_button.setToolTip(
            translate("ReferenceList", "Remove the selected reference image (Delete)")
        )
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._list)
        layout.addLayout(buttons)
        layout.addWidget(self._hint)
        self._update()

    @property
    def references(self) -> list[Reference]:
        return list(self._references)

    def set_limit(self, limit: int) -> None:
        """How many references the model takes besides the photo (0: none)."""
        self._limit = max(limit, 0)
        self._update()

    def add_paths(self, paths: list[Path]) -> None:
        for path in paths:
            if len(self._references) >= self._limit:
                self.error_raised.emit(
                    ImgdeskError.make(
                        ErrorKind.INVALID_REQUEST,
                        QT_TRANSLATE_NOOP(
                            "errors", "This model takes at most {limit} reference image(s)."
                        ),
                        field="references",
                        limit=self._limit,
                    )
                )
                break
            try:
                reference = load_reference(path)
            except ImgdeskError as error:
                self.error_raised.emit(error)
                continue
            self._references.append(reference)
            pixmap = QPixmap.fromImage(QImage.fromData(reference.data))
            item = QListWidgetItem(QIcon(pixmap), reference.name)
            item.setToolTip(reference.name)
            self._list.addItem(item)
        self._update()
        self.changed.emit(self.references)

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            translate("ReferenceList", "Add reference images"),
            "",
            translate("ReferenceList", "Images (*.png *.jpg *.jpeg *.webp)"),
        )
        if names:
            self.add_paths([Path(n) for n in names])

    def _remove_selected(self) -> None:
        row = self._list.currentRow()
        if row < 0:
            return
        self._list.takeItem(row)
        del self._references[row]
        self._update()
        self.changed.emit(self.references)

    def _update(self) -> None:
        self.add_button.setEnabled(len(self._references) < self._limit)
        self.remove_button.setEnabled(bool(self._references))
        if self._limit == 0:
            self._hint.setText(translate("ReferenceList", "This model takes no reference images."))
        else:
            self._hint.setText(
                translate("ReferenceList", "{count} of up to {limit} reference images.").format(
                    count=len(self._references), limit=self._limit
                )
            )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)
