"""EditSession against the fake OpenAI server: previews, variants, apply/undo, cancel, refusals."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.edit_types import Box, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.paths import AppPaths
from imgdesk.models.document import DocumentModel
from imgdesk.models.edit_session import EditSession, SessionState
from imgdesk.models.settings_model import SettingsModel
from imgdesk.ui.window_queue import EditBackend, open_backend

pytest_plugins = ("fixtures_session", "fakes.openai_fixtures")

Run = Callable[[Coroutine[Any, Any, Any]], Any]
WIDTH, HEIGHT = 640, 480
MASK = Box(200, 150, 360, 290)
TIMEOUT_MS = 20_000


def photo() -> RGBAArray:
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    pixels[..., 0] = xx * 255 // (WIDTH - 1)
    pixels[..., 1] = yy * 255 // (HEIGHT - 1)
    pixels[..., 2] = 90
    pixels[..., 3] = 255
    return pixels


@pytest.fixture
def document(qt_owned: list[QObject], qloop: object) -> DocumentModel:
    document = DocumentModel.from_pixels(photo())
    qt_owned.append(document)
    document.fill_rect(MASK)
    return document


@pytest.fixture
def backend(
    qt_owned: list[QObject],
    paths: AppPaths,
    settings_model: SettingsModel,
    document: DocumentModel,
    arun: Run,
) -> Iterator[EditBackend]:
    """The store and the queue the session sends its jobs through, as the window opens them."""
    backend = open_backend(paths, settings_model, document, None)
    qt_owned.extend([backend.queue, backend.cursor, backend.history])
    arun(backend.start(None))
    yield backend
    arun(backend.aclose())


def make_session(
    document: DocumentModel, settings: SettingsModel, backend: EditBackend
) -> EditSession:
    return EditSession(document, settings, backend.queue, backend.cursor, parent=document)


@pytest.fixture
def session(
    openai_env: FakeOpenAIServer,
    settings_model: SettingsModel,
    document: DocumentModel,
    backend: EditBackend,
) -> EditSession:
    settings_model.update(max_retries=0)
    session = make_session(document, settings_model, backend)
    session.set_engine_choice("openai")
    session.update_params(prompt="a red door", n=3, partial_images=2, model="gpt-image-2")
    return session


def _far_from_mask() -> tuple[slice, slice]:
    # Well outside the mask plus any feather: these pixels must never change.
    return slice(0, 100), slice(0, 150)


def test_edit_streams_previews_then_three_variants_and_apply_is_undoable(
    qtbot: QtBot, session: EditSession, document: DocumentModel, openai_env: FakeOpenAIServer
) -> None:
    original = document.pixels.copy()
    previews: list[RGBAArray] = []
    document.preview_changed.connect(
        lambda: previews.append(document.preview) if document.preview is not None else None
    )
    indexes: list[int] = []
    session.preview_received.connect(indexes.append)
    with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS) as finished:
        assert session.start()
        assert session.state is SessionState.RUNNING
    assert finished.args == ["done"]
    assert indexes == [0, 1]
    assert len(openai_env.requests) == 1
    sent = openai_env.requests[0].fields
    assert sent["n"] == "3"
    assert sent["partial_images"] == "2"
    # The partial preview reached the canvas at full resolution, changed inside the mask only.
    first = previews[0]
    assert first.shape == original.shape
    rows, cols = _far_from_mask()
    assert np.array_equal(first[rows, cols], original[rows, cols])
    inside = (slice(MASK.top + 20, MASK.bottom - 20), slice(MASK.left + 20, MASK.right - 20))
    assert not np.array_equal(first[inside], original[inside])
    # Three distinct variants; the first one is on the canvas.
    variants = session.variants
    assert len(variants) == 3
    assert session.selected_variant == 0
    assert document.preview is variants[0]
    assert not np.array_equal(variants[0], variants[1])
    assert np.array_equal(document.pixels, original)  # nothing applied yet

    session.select_variant(2)
    assert document.preview is variants[2]
    session.set_compare(True)
    assert document.preview is document.pixels  # the original, still shown as a preview
    session.set_compare(False)
    assert document.preview is variants[2]

    session.apply_variant(1)
    assert np.array_equal(document.pixels, variants[1])
    assert session.variants == []
    assert document.preview is None
    document.undo_stack.undo()
    assert np.array_equal(document.pixels, original)
    document.undo_stack.redo()
    assert np.array_equal(document.pixels, variants[1])


def test_export_writes_the_applied_composite(
    qtbot: QtBot, session: EditSession, document: DocumentModel, tmp_path: Path, arun: Run
) -> None:
    with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS):
        session.start()
    session.apply_variant(0)
    target = tmp_path / "out.png"
    assert arun(document.save_as(target, "png"))
    written = np.asarray(Image.open(target).convert("RGBA"))
    assert np.array_equal(written, document.pixels)


def test_cancel_mid_request_leaves_the_document_untouched(
    qtbot: QtBot,
    session: EditSession,
    document: DocumentModel,
    openai_env: FakeOpenAIServer,
    backend: EditBackend,
) -> None:
    original = document.pixels.copy()
    mask = document.mask.copy()
    openai_env.inject("slow", seconds=30)
    with qtbot.waitSignal(
        session.stage_changed, timeout=TIMEOUT_MS, check_params_cb=lambda n, _t: n == "generating"
    ):
        session.start()
    qtbot.waitUntil(lambda: len(openai_env.requests) == 1, timeout=TIMEOUT_MS)
    job_id = session.job_id
    assert job_id is not None
    with qtbot.waitSignal(session.finished) as finished:
        session.cancel()
    assert finished.args == ["cancelled"]
    assert session.state is SessionState.CANCELLED
    assert document.preview is None
    assert np.array_equal(document.pixels, original)
    assert np.array_equal(document.mask, mask)
    assert not document.undo_stack.canUndo() or document.undo_stack.count() == 1  # the mask step
    # The request itself was abandoned, not left running in the background.
    qtbot.waitUntil(lambda: openai_env.disconnects == 1, timeout=TIMEOUT_MS)
    assert backend.store.history.get(job_id).status == "cancelled"  # not re-queued
    qtbot.waitUntil(lambda: backend.queue.status.running == 0, timeout=TIMEOUT_MS)
    assert backend.store.history.get(job_id).outputs == ()


def test_refused_field_sends_nothing(
    qtbot: QtBot, session: EditSession, openai_env: FakeOpenAIServer
) -> None:
    session.update_params(prompt="   ")
    with qtbot.waitSignal(session.error_raised) as raised:
        assert not session.start()
    error = raised.args[0]
    assert isinstance(error, ImgdeskError)
    assert error.field == "prompt"
    assert [e.field for e in session.field_errors] == ["prompt"]
    assert session.state is SessionState.IDLE
    assert openai_env.requests == []


def test_server_failure_is_an_error_value(
    qtbot: QtBot, session: EditSession, document: DocumentModel, openai_env: FakeOpenAIServer
) -> None:
    original = document.pixels.copy()
    openai_env.inject("server")
    with qtbot.waitSignal(session.error_raised, timeout=TIMEOUT_MS) as raised:
        session.start()
    error = raised.args[0]
    assert error.kind is ErrorKind.SERVER
    assert session.state is SessionState.FAILED
    assert document.preview is None
    assert np.array_equal(document.pixels, original)


def test_local_engine_needs_no_key(
    qtbot: QtBot, settings_model: SettingsModel, document: DocumentModel, backend: EditBackend
) -> None:
    assert not settings_model.has_key()
    session = make_session(document, settings_model, backend)
    assert session.engine_choice == "local"
    session.update_params(prompt="remove the sign", n=2)
    notices: list[str] = []
    session.notice_raised.connect(notices.append)
    with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS) as finished:
        assert session.start()
    assert session.last_error is None, session.last_error
    assert finished.args == ["done"]
    assert len(session.variants) == 2
    assert notices  # the offline engine says it ignored the prompt
    assert session.estimate_text == "Offline engine: free"


def test_openai_without_key_points_at_settings(
    qtbot: QtBot, settings_model: SettingsModel, document: DocumentModel, backend: EditBackend
) -> None:
    session = make_session(document, settings_model, backend)
    session.set_engine_choice("openai")
    session.update_params(prompt="a red door")
    with qtbot.waitSignal(session.error_raised) as raised:
        assert not session.start()
    assert raised.args[0].kind is ErrorKind.AUTH
    assert raised.args[0].action == "open_settings"


def test_estimate_prices_the_planned_request(
    qtbot: QtBot, session: EditSession, document: DocumentModel
) -> None:
    session.update_params(model="gpt-image-1.5", quality="high", size="auto", n=1, partial_images=0)
    qtbot.waitUntil(lambda: session.estimate_text.startswith("About $"))
    before = session.estimate_text
    session.update_params(n=2)
    assert session.estimate_text != before
    assert "gpt-image-1.5" in session.estimate_basis() or "GPT" in session.estimate_basis()
