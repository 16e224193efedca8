"""A Display P3 document through the window's Generate (the persistent queue) and Apply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from pytestqt.qtbot import QtBot
from test_window_queue import TIMEOUT_MS, controls, edit_node, make_window, start_edit
from window_helpers import Run, drag_rectangle

from fakes.openai_server import FakeOpenAIServer
from imgdesk.core import color
from imgdesk.ui.main_window import MainWindow
from test_color_profiles import DISPLAY_P3, _outside, _raw, _saturated_photo, _write_tagged

pytest_plugins = ("fixtures_session", "fakes.openai_fixtures", "fakes.stripe_fixtures")

__all__ = ["make_window"]  # the fixture, imported so pytest finds it here


def test_generate_and_apply_on_a_p3_document_keep_every_pixel_outside_the_mask(
    qtbot: QtBot,
    openai_env: FakeOpenAIServer,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    arun: Run,
) -> None:
    source = _write_tagged(_saturated_photo(), tmp_path / "photo.png", DISPLAY_P3)
    original, _ = _raw(source)
    window = make_window()
    task = window.open_path(source)
    assert task is not None
    arun(task)
    assert window.document.icc_profile == DISPLAY_P3
    drag_rectangle(window, 100, 80, 220, 200)
    mask = window.document.mask
    assert mask is not None
    assert mask[120, 150] == 255
    mask = mask.copy()

    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        start_edit(window, "a red door", 1)
    assert finished.args == ["done"]
    result = window.session.last_result
    assert result is not None
    store = controls(window).backend.store
    job = edit_node(window)
    assert store.load_inputs(job).icc_profile == DISPLAY_P3

    window.variants.apply_button.click()
    after = window.document.pixels
    assert after is not None
    assert window.document.icc_profile == DISPLAY_P3
    outside = _outside(mask, result.plan.crop)
    assert outside.sum() > 0.5 * outside.size
    assert np.array_equal(after[outside], original[outside])
    assert not np.array_equal(after[mask == 255], original[mask == 255])


def test_restoring_a_picture_from_another_colour_space_converts_it(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    arun: Run,
) -> None:
    # An sRGB photo first (its history root), then a P3 photo in the same window.
    srgb_photo = _saturated_photo(seed=3)
    srgb_path = tmp_path / "srgb.png"
    Image.fromarray(srgb_photo, "RGBA").save(srgb_path)
    p3_path = _write_tagged(_saturated_photo(), tmp_path / "p3.png", DISPLAY_P3)
    window = make_window()
    backend = controls(window).backend
    task = window.open_path(srgb_path)
    assert task is not None
    arun(task)
    qtbot.waitUntil(lambda: backend.cursor.current is not None, timeout=TIMEOUT_MS)
    srgb_root = backend.cursor.current
    assert srgb_root is not None
    task = window.open_path(p3_path)
    assert task is not None
    arun(task)
    qtbot.waitUntil(lambda: backend.cursor.current not in (None, srgb_root), timeout=TIMEOUT_MS)
    assert window.document.icc_profile == DISPLAY_P3

    arun(controls(window).restore(srgb_root))
    # The document stays P3, and the sRGB picture is shown as the same colours in P3 numbers.
    assert window.document.icc_profile == DISPLAY_P3
    expected = color.convert(srgb_photo, None, DISPLAY_P3)
    assert not np.array_equal(expected, srgb_photo)
    assert np.array_equal(window.document.pixels, expected)
