"""A photo with an ICC profile in the GUI: shown in the right colours, saved back bit for bit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QColorSpace
from pytestqt.qtbot import QtBot

from imgdesk.models.document import DocumentModel
from imgdesk.models.tools import ToolState
from imgdesk.ui.canvas import CanvasView

Run = Callable[[Awaitable[Any]], Any]
DISPLAY_P3 = bytes(QColorSpace(QColorSpace.NamedColorSpace.DisplayP3).iccProfile().data())
P3_COLOUR = (200, 100, 50)
AS_SRGB = (215, 93, 31)  # Display P3 (200, 100, 50) in sRGB (relative colorimetric)


def _solid(rgb: tuple[int, int, int]) -> np.ndarray:
    pixels = np.zeros((60, 80, 4), np.uint8)
    pixels[..., :3] = rgb
    pixels[..., 3] = 255
    return pixels


def _shown(qtbot: QtBot, doc: DocumentModel) -> QColor:
    view = CanvasView(doc, ToolState())
    qtbot.addWidget(view)
    view.resize(200, 160)
    view.set_view(1.0, QPointF(0, 0))
    shown: QColor = view.grab().toImage().pixelColor(40, 30)
    return shown


def _close(shown: QColor, rgb: tuple[int, int, int]) -> bool:
    channels = (shown.red(), shown.green(), shown.blue())
    return max(abs(a - b) for a, b in zip(channels, rgb, strict=True)) <= 1


def test_canvas_shows_display_p3_pixels_in_their_real_colours(qapp: object, qtbot: QtBot) -> None:
    tagged = DocumentModel.from_pixels(_solid(P3_COLOUR), icc_profile=DISPLAY_P3)
    untagged = DocumentModel.from_pixels(_solid(P3_COLOUR))

    assert _close(_shown(qtbot, tagged), AS_SRGB)
    assert _shown(qtbot, untagged) == QColor(*P3_COLOUR)
    assert tagged.pixels is not None
    assert tuple(tagged.pixels[0, 0]) == (*P3_COLOUR, 255)  # the document itself is unchanged


def test_previews_of_a_p3_document_are_shown_in_srgb_too(qapp: object, qtbot: QtBot) -> None:
    doc = DocumentModel.from_pixels(_solid((0, 0, 0)), icc_profile=DISPLAY_P3)
    doc.show_preview(_solid(P3_COLOUR))

    assert _close(_shown(qtbot, doc), AS_SRGB)


def test_open_and_save_keep_the_files_own_pixels_and_profile(
    qapp: object, arun: Run, tmp_path: Path
) -> None:
    rng = np.random.default_rng(5)
    source = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    source[:10, :10] = (0, 255, 0)  # outside sRGB: a round trip through it would move these
    Image.fromarray(source, "RGB").save(tmp_path / "p3.png", icc_profile=DISPLAY_P3)
    doc = DocumentModel()

    assert arun(doc.open(tmp_path / "p3.png")) is True
    assert doc.icc_profile == DISPLAY_P3
    assert doc.color_profile.description == "Display P3"
    assert arun(doc.save_as(tmp_path / "saved.png")) is True

    with Image.open(tmp_path / "saved.png") as saved:
        assert saved.info.get("icc_profile") == DISPLAY_P3
        assert np.array_equal(np.array(saved.convert("RGB")), source)
