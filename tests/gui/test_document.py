"""DocumentModel: mask edits and their undo, file round trips, errors, and ToolState."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageCms
from pytestqt.qtbot import QtBot

from imgdesk.core import masks
from imgdesk.core.edit_types import Box, MaskArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.imageio import load_image
from imgdesk.core.outpaint import Margins
from imgdesk.models.document import DocumentModel
from imgdesk.models.document_commands import MaskPatchCommand
from imgdesk.models.tools import Tool, ToolState

Run = Callable[[Awaitable[Any]], Any]


def photo(width: int = 120, height: int = 90, seed: int = 0) -> np.ndarray:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    return pixels


@pytest.fixture
def doc(qapp: object) -> DocumentModel:
    return DocumentModel.from_pixels(photo())


def test_stroke_is_one_undo_step_restoring_exact_masks(doc: DocumentModel) -> None:
    doc.begin_stroke()
    doc.stroke_to([(10.0, 10.0)], 4.0)
    doc.stroke_to([(10.0, 10.0), (60.0, 40.0)], 4.0)
    doc.stroke_to([(60.0, 40.0), (100.0, 40.0)], 4.0)
    doc.end_stroke()
    assert doc.mask is not None
    painted = doc.mask.copy()

    expected = masks.empty_mask(120, 90)
    masks.paint_stroke(expected, [(10.0, 10.0), (60.0, 40.0), (100.0, 40.0)], radius=4.0)
    np.testing.assert_array_equal(painted, expected)
    assert doc.undo_stack.count() == 1

    doc.undo_stack.undo()
    assert not doc.mask.any()
    doc.undo_stack.redo()
    np.testing.assert_array_equal(doc.mask, painted)


def test_stroke_stores_only_the_tiles_it_crossed(qapp: object) -> None:
    doc = DocumentModel.from_pixels(np.zeros((2000, 3000, 4), np.uint8))
    doc.begin_stroke()
    doc.stroke_to([(100.0, 100.0), (140.0, 120.0)], 10.0)
    doc.end_stroke()
    command = doc.undo_stack.command(0)
    assert isinstance(command, MaskPatchCommand)
    # One 256x256 tile before and after: 128 KiB, not the 6 MB mask twice.
    assert command.nbytes == 2 * 256 * 256


def test_mask_changed_reports_the_dirty_rect(doc: DocumentModel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(doc.mask_changed) as blocker:
        doc.stroke_to([(30.0, 30.0)], 3.0)
    rect = blocker.args[0]
    assert doc.mask is not None
    box = masks.bounding_box(doc.mask)
    assert box is not None
    assert (rect.x(), rect.y()) <= (box.left, box.top)
    assert rect.x() + rect.width() >= box.right
    assert rect.y() + rect.height() >= box.bottom
    assert rect.width() < 12
    assert rect.height() < 12
    assert doc.mask[60:, :].sum() == 0
    assert doc.mask[:, 60:].sum() == 0


def test_eraser_stroke_clears(doc: DocumentModel) -> None:
    doc.fill_rect(Box(0, 0, 120, 90))
    doc.stroke_to([(20.0, 45.0), (100.0, 45.0)], 5.0, erase=True)
    assert doc.mask is not None
    assert doc.mask[45, 20:100].max() == 0
    assert doc.mask[0, :].min() == 255
    assert doc.mask[89, :].min() == 255
    doc.undo_stack.undo()
    assert doc.mask.min() == 255


def test_fill_rect_and_polygon_are_exact(doc: DocumentModel) -> None:
    doc.fill_rect(Box(5, 6, 25, 16))
    assert doc.mask is not None
    expected = masks.from_rect(120, 90, Box(5, 6, 25, 16))
    np.testing.assert_array_equal(doc.mask, expected)

    doc.fill_polygon([(40, 10), (80, 10), (80, 50), (40, 50)])
    expected[10:50, 40:80] = 255
    np.testing.assert_array_equal(doc.mask, expected)

    doc.fill_polygon([(50, 20), (70, 20), (70, 30), (50, 30)], erase=True)
    expected[20:30, 50:70] = 0
    np.testing.assert_array_equal(doc.mask, expected)
    assert doc.undo_stack.count() == 3


def test_fill_that_changes_nothing_adds_no_undo_step(doc: DocumentModel) -> None:
    doc.fill_rect(Box(0, 0, 10, 10), erase=True)
    doc.clear_mask()
    assert doc.undo_stack.count() == 0


def test_invert_and_clear_undo_exactly(doc: DocumentModel) -> None:
    doc.stroke_to([(50.0, 50.0)], 9.0, hardness=0.3)
    assert doc.mask is not None
    before = doc.mask.copy()
    doc.invert_mask()
    np.testing.assert_array_equal(doc.mask, 255 - before)
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.mask, before)
    doc.undo_stack.redo()
    doc.clear_mask()
    assert not doc.has_mask
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.mask, 255 - before)


def test_grow_and_shrink_run_in_the_background_and_undo(doc: DocumentModel, arun: Run) -> None:
    doc.fill_rect(Box(40, 30, 60, 50))
    assert doc.mask is not None
    before = doc.mask.copy()
    grow = doc.grow_mask(3)
    assert grow is not None
    assert arun(grow) is True
    np.testing.assert_array_equal(doc.mask, masks.grow(before, 3))
    assert doc.mask[30, 37] == 255
    assert doc.mask[30, 36] == 0
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.mask, before)

    shrink = doc.shrink_mask(4)
    assert shrink is not None
    assert arun(shrink) is True
    np.testing.assert_array_equal(doc.mask, masks.shrink(before, 4))
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.mask, before)


def test_grow_redoes_a_result_computed_while_the_mask_changed(
    doc: DocumentModel, arun: Run, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_grow = masks.grow
    in_worker, go_on = threading.Event(), threading.Event()

    def slow_grow(mask: MaskArray, px: int) -> MaskArray:
        if not go_on.is_set():  # the first run holds until the test has painted
            in_worker.set()
            go_on.wait(10)
        return real_grow(mask, px)

    monkeypatch.setattr(masks, "grow", slow_grow)
    doc.fill_rect(Box(40, 30, 60, 50))
    task = doc.grow_mask(2)
    assert task is not None
    qtbot.waitUntil(in_worker.is_set)
    doc.stroke_to([(5.0, 5.0)], 2.0)  # lands while the worker computes from the old mask
    assert doc.mask is not None
    with_stroke = doc.mask.copy()
    go_on.set()
    assert arun(task) is True
    np.testing.assert_array_equal(doc.mask, real_grow(with_stroke, 2))
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.mask, with_stroke)


def test_expand_canvas_is_one_undo_step(doc: DocumentModel, arun: Run, qtbot: QtBot) -> None:
    doc.fill_rect(Box(0, 0, 10, 10))
    assert doc.pixels is not None
    assert doc.mask is not None
    pixels, mask = doc.pixels, doc.mask.copy()
    with qtbot.waitSignal(doc.image_changed):
        assert arun(doc.expand_canvas(Margins(left=5, top=0, right=7, bottom=2))) is True
    assert doc.size == (132, 92)
    assert doc.pixels is not None
    np.testing.assert_array_equal(doc.pixels[0:90, 5:125], pixels)
    assert doc.pixels[:, :5, 3].max() == 0
    assert doc.mask[:, :5].min() == 255
    assert doc.mask[90:, :].min() == 255
    np.testing.assert_array_equal(doc.mask[0:90, 5:125], mask)
    assert doc.modified

    doc.undo_stack.undo()
    assert doc.pixels is pixels
    np.testing.assert_array_equal(doc.mask, mask)
    assert not doc.modified
    doc.undo_stack.redo()
    assert doc.size == (132, 92)


def test_opening_a_corrupt_file_reports_and_keeps_the_document(
    doc: DocumentModel, arun: Run, qtbot: QtBot, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10)
    pixels = doc.pixels
    loading: list[bool] = []
    doc.loading_changed.connect(loading.append)
    with qtbot.waitSignal(doc.error_raised) as blocker:
        assert arun(doc.open(bad)) is False
    error = blocker.args[0]
    assert isinstance(error, ImgdeskError)
    assert error.kind == ErrorKind.IMAGE
    assert doc.pixels is pixels
    assert loading == [True, False]


def test_open_replaces_document_and_clears_history(
    doc: DocumentModel, arun: Run, qtbot: QtBot, tmp_path: Path
) -> None:
    picture = photo(40, 30, seed=3)
    path = tmp_path / "in.png"
    Image.fromarray(picture).save(path)
    doc.fill_rect(Box(0, 0, 5, 5))
    paths: list[str] = []
    doc.path_changed.connect(paths.append)
    with qtbot.waitSignal(doc.image_changed):
        assert arun(doc.open(path)) is True
    assert doc.pixels is not None
    np.testing.assert_array_equal(doc.pixels, picture)
    assert doc.size == (40, 30)
    assert not doc.has_mask
    assert doc.undo_stack.count() == 0
    assert paths == [str(path)]
    assert doc.path == path
    assert not doc.modified


def test_save_as_round_trip_keeps_pixels_and_icc(
    qapp: object, arun: Run, qtbot: QtBot, tmp_path: Path
) -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    doc = DocumentModel.from_pixels(photo(64, 48, seed=1), icc_profile=icc)
    doc.set_image(photo(64, 48, seed=2), "Apply variant 1")
    assert doc.modified
    target = tmp_path / "out.png"
    modified: list[bool] = []
    doc.modified_changed.connect(modified.append)
    with qtbot.waitSignal(doc.path_changed):
        assert arun(doc.save_as(target, "PNG")) is True
    assert modified == [False]
    assert doc.path == target

    loaded = load_image(target)
    assert loaded.icc_profile == icc
    assert doc.pixels is not None
    np.testing.assert_array_equal(loaded.pixels, doc.pixels)
    with Image.open(target) as written:
        assert written.info.get("icc_profile") == icc


def test_save_failure_is_reported_as_an_error(doc: DocumentModel, arun: Run, qtbot: QtBot) -> None:
    with qtbot.waitSignal(doc.error_raised) as blocker:
        assert arun(doc.save_as(Path("/proc/not-writable/out.png"), "PNG")) is False
    assert isinstance(blocker.args[0], ImgdeskError)
    assert doc.path is None


def test_set_image_undo_tracks_modified(doc: DocumentModel, qtbot: QtBot) -> None:
    original = doc.pixels
    states: list[bool] = []
    doc.modified_changed.connect(states.append)
    with qtbot.waitSignal(doc.image_changed):
        doc.set_image(photo(seed=9), "Apply variant 2")
    assert doc.undo_stack.undoText() == "Apply variant 2"
    doc.undo_stack.undo()
    assert doc.pixels is original
    assert states == [True, False]


def test_preview_signals_only_on_change(doc: DocumentModel, qtbot: QtBot) -> None:
    shown: list[None] = []
    doc.preview_changed.connect(lambda: shown.append(None))
    variant = photo(seed=5)
    doc.show_preview(variant)
    doc.show_preview(variant)
    assert doc.preview is variant
    doc.show_preview(None)
    doc.show_preview(None)
    assert len(shown) == 2
    assert doc.preview is None
    assert doc.pixels is not None
    assert not np.array_equal(doc.pixels, variant)


def test_mask_export_import_round_trip(doc: DocumentModel, arun: Run, tmp_path: Path) -> None:
    doc.stroke_to([(20.0, 20.0), (70.0, 60.0)], 6.0, hardness=0.5)
    assert doc.mask is not None
    painted = doc.mask.copy()
    target = tmp_path / "mask.png"
    assert arun(doc.export_mask(target)) is True
    doc.clear_mask()
    assert arun(doc.import_mask(target)) is True
    np.testing.assert_array_equal(doc.mask, painted)
    doc.undo_stack.undo()
    assert not doc.has_mask


def test_importing_a_mask_of_another_size_is_a_mask_error(
    doc: DocumentModel, arun: Run, qtbot: QtBot, tmp_path: Path
) -> None:
    other = tmp_path / "small.png"
    buffer = io.BytesIO()
    Image.new("L", (10, 10), 255).save(buffer, format="PNG")
    other.write_bytes(buffer.getvalue())
    with qtbot.waitSignal(doc.error_raised) as blocker:
        assert arun(doc.import_mask(other)) is False
    assert blocker.args[0].kind == ErrorKind.MASK
    assert not doc.has_mask


def test_unexpected_task_failure_becomes_a_generic_error(
    doc: DocumentModel, arun: Run, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> None:
        raise ValueError("internal detail")

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(doc.error_raised) as blocker:
        assert arun(doc.tasks.start(broken())) is None
    error = blocker.args[0]
    assert isinstance(error, ImgdeskError)
    assert error.kind == ErrorKind.IMAGE
    assert "internal detail" not in error.message
    assert "internal detail" in caplog.text


def test_close_cancels_running_tasks(doc: DocumentModel, arun: Run) -> None:
    task = doc.tasks.start(asyncio.sleep(30))
    assert doc.tasks.busy
    arun(doc.close())
    assert task.cancelled()
    assert not doc.tasks.busy


def test_tool_state_signals_only_on_change(qtbot: QtBot) -> None:
    tools = ToolState()
    sizes: list[int] = []
    tool_names: list[str] = []
    tools.brush_size_changed.connect(sizes.append)
    tools.tool_changed.connect(tool_names.append)
    tools.set_brush_size(100)
    tools.set_brush_size(100)
    tools.grow_brush()
    tools.shrink_brush()
    tools.set_brush_size(5000)
    tools.set_brush_size(0)
    tools.shrink_brush()
    assert sizes == [100, 110, 100, 2000, 1]
    tools.set_tool("rect")
    tools.set_tool(Tool.RECTANGLE)
    tools.set_tool("lasso")
    assert tool_names == ["rectangle", "lasso"]
    with qtbot.assertNotEmitted(tools.softness_changed):
        tools.set_softness(tools.softness)
    with qtbot.waitSignal(tools.show_original_changed) as blocker:
        tools.set_show_original(True)
    assert blocker.args == [True]
