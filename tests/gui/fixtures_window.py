"""Fixtures for window tests: the whole window as the app builds it, and a photo opened in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from window_helpers import Run, answer_message_box, write_photo

from imgdesk.core.paths import AppPaths
from imgdesk.ui.main_window import MainWindow, build_main_window


@pytest.fixture
def window(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> Iterator[MainWindow]:
    window = build_main_window(paths)  # the window owns its models
    qt_owned.append(window)
    window.settings.update(max_retries=0)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    if window.isVisible():
        if window.document.modified:
            answer_message_box(QMessageBox.StandardButton.Discard, [])
        window.close()
    arun(window.aclose())


@pytest.fixture
def opened(window: MainWindow, tmp_path: Path, arun: Run) -> np.ndarray:
    pixels = write_photo(tmp_path / "photo.png")
    task = window.open_path(tmp_path / "photo.png")
    assert task is not None
    arun(task)
    assert window.document.pixels is not None
    return pixels
