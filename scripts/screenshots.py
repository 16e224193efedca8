"""Make the README screenshots from the real window, driven like a user against the fake server.

Run under a virtual display so fonts and styles are the desktop's, not the offscreen plugin's:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py

Writes docs/screenshots/{empty,masked,generating,variants}.png. Nothing touches the network: the
edit goes to tests/fakes/openai_server.py on 127.0.0.1, and all state lives in a temporary folder.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from imgdesk.core.edit_types import Box

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

OUT = REPO / "docs" / "screenshots"
WINDOW_SIZE = (1480, 920)


def sample_photo(path: Path, width: int = 1800, height: int = 1200) -> None:
    """A made-up landscape: sky gradient, sun, hills, a lake and a small house."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    t = yy / height
    sky = np.stack([110 + 100 * t, 160 + 70 * t, 235 - 20 * t], axis=-1)
    image = sky.copy()
    sun = (xx - width * 0.78) ** 2 + (yy - height * 0.22) ** 2 < (height * 0.07) ** 2
    image[sun] = (255, 236, 170)
    hill1 = yy > height * 0.55 + 70 * np.sin(xx / 260.0)
    image[hill1] = np.stack([60 + 0 * t, 120 + 40 * t, 60 + 0 * t], axis=-1)[hill1]
    hill2 = yy > height * 0.68 + 40 * np.sin(xx / 170.0 + 1.3)
    image[hill2] = np.stack([40 + 20 * t, 95 + 30 * t, 45 + 0 * t], axis=-1)[hill2]
    lake = (yy > height * 0.8) & (
        (xx - width * 0.35) ** 2 / (width * 0.3) ** 2
        + (yy - height * 0.9) ** 2 / (height * 0.1) ** 2
        < 1
    )
    image[lake] = (70, 130, 190)
    pixels = np.clip(image, 0, 255).astype(np.uint8)
    house_x, house_y = int(width * 0.58), int(height * 0.62)
    cv2.rectangle(pixels, (house_x, house_y), (house_x + 160, house_y + 120), (225, 210, 180), -1)
    roof = np.array(
        [[house_x - 20, house_y], [house_x + 80, house_y - 80], [house_x + 180, house_y]], np.int32
    )
    cv2.fillPoly(pixels, [roof], (150, 50, 40))
    cv2.rectangle(
        pixels, (house_x + 60, house_y + 50), (house_x + 100, house_y + 120), (90, 60, 40), -1
    )
    noise = np.random.default_rng(7).normal(0, 3, pixels.shape)
    pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    Image.fromarray(pixels, "RGB").save(path)


async def capture(work: Path) -> None:
    from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from imgdesk.core.paths import app_paths
    from imgdesk.ui.main_window import MainWindow, build_main_window

    app = QApplication.instance()
    assert app is not None
    window: MainWindow = build_main_window(app_paths().ensure())
    window.resize(*WINDOW_SIZE)
    window.show()
    await asyncio.sleep(0.3)

    def shoot(name: str) -> None:
        # No brush outline in the pictures: the pointer "leaves" the canvas first.
        QApplication.sendEvent(window.canvas, QEvent(QEvent.Type.Leave))
        app.processEvents()
        target = OUT / f"{name}.png"
        if not window.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        print("wrote", target.relative_to(REPO))

    shoot("empty")

    photo = work / "lakeside.jpg"
    sample_photo(photo)
    task = window.open_path(photo)
    assert task is not None
    await task
    await asyncio.sleep(0.2)
    window.settings.key_changed.emit()  # the key in the environment: the offline notice goes
    window.session.set_engine_choice("openai")
    window.prompt_panel._read()

    # Paint over the house with real mouse events, as a user would.
    window.select_tool("brush")
    window.tools.set_brush_size(90)
    canvas = window.canvas

    def at(x: float, y: float) -> QPoint:
        return QPoint(canvas.image_to_widget(QPointF(x, y)).toPoint())

    for row in range(690, 770, 40):
        QTest.mousePress(
            canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(1020, row)
        )
        for x in range(1040, 1240, 20):
            QTest.mouseMove(canvas, at(x, row))
        QTest.mouseRelease(
            canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(1240, row)
        )
    window.document.fill_rect(_box(1010, 650, 1250, 860))
    edit = window.prompt_panel.prompt_edit
    edit.setFocus()
    QTest.keyClicks(edit, "a small wooden boathouse with a green door, morning light")
    window.prompt_panel.variants_spin.setValue(3)
    await asyncio.sleep(0.3)
    shoot("masked")

    session = window.session
    shot_partial = asyncio.Event()

    def on_preview(index: int) -> None:
        if index == 1 and not shot_partial.is_set():
            shoot("generating")
            shot_partial.set()

    session.preview_received.connect(on_preview)
    finished = asyncio.Event()
    session.finished.connect(lambda _state: finished.set())
    window.generate()
    await finished.wait()
    if session.last_error is not None:
        raise SystemExit(f"the edit failed: {session.last_error.message}")
    session.select_variant(1)
    # Split compare: the original left of the divider, the variant right of it.
    window.tools.set_split_view(True)
    middle = canvas.image_to_widget(QPointF(1130, 0)).x()
    window.tools.set_split_position(middle / canvas.width())
    await asyncio.sleep(0.3)
    shoot("variants")
    window.close()
    await window.aclose()


def _box(left: int, top: int, right: int, bottom: int) -> Box:
    from imgdesk.core.edit_types import Box

    return Box(left, top, right, bottom)


def main() -> int:
    import qasync

    from fakes.openai_server import FakeOpenAIServer
    from imgdesk.app import make_application

    OUT.mkdir(parents=True, exist_ok=True)
    server = FakeOpenAIServer().start()
    with tempfile.TemporaryDirectory(prefix="imgdesk-shots-") as folder:
        work = Path(folder)
        os.environ["IMGDESK_DATA_DIR"] = str(work / "data")
        os.environ["OPENAI_API_KEY"] = "sk-screenshots-not-a-real-key"
        os.environ["OPENAI_BASE_URL"] = server.base_url
        try:
            make_application()
            qasync.run(capture(work))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
