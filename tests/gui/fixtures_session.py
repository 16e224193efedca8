"""Fixtures for the window, panel and session tests: real models over a fresh data folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from imgdesk.core import secrets
from imgdesk.core.paths import AppPaths, app_paths
from imgdesk.models.prompt_history import PromptHistory
from imgdesk.models.settings_model import SettingsModel


@pytest.fixture
def paths() -> AppPaths:
    return app_paths().ensure()  # IMGDESK_DATA_DIR is per test (tests/conftest.py)


@pytest.fixture
def settings_model(qt_owned: list[QObject], paths: AppPaths) -> Iterator[SettingsModel]:
    model = SettingsModel.load(paths)
    qt_owned.append(model)
    yield model
    # Session keys live in the process; never let one test's key reach the next.
    secrets.delete_secret(secrets.OPENAI)


@pytest.fixture
def history(qt_owned: list[QObject], paths: AppPaths) -> PromptHistory:
    history = PromptHistory(paths.data / "prompts.json")
    qt_owned.append(history)
    return history


@pytest.fixture
def qt_owned(qapp: QApplication) -> Iterator[list[QObject]]:
    """Qt objects to delete at teardown, on the GUI thread, after the test's loop has closed.

    Left to Python's cyclic garbage collector, a parentless model can be destroyed from whatever
    thread happens to trigger a collection (an executor thread, the fake server's thread); its
    Qt timers then stay registered with the GUI thread and fire into freed memory. Request this
    fixture before `qloop` so that it is torn down after it.
    """
    objects: list[QObject] = []
    yield objects
    for obj in reversed(objects):
        if shiboken6.isValid(obj):
            shiboken6.delete(obj)
