"""Helpers for window tests that act like a user: a photo to open, strokes, drags, message boxes."""

from __future__ import annotations

import io
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from imgdesk.ui.main_window import MainWindow

Run = Callable[[Coroutine[Any, Any, Any]], Any]
WIDTH, HEIGHT = 480, 360


def photo_pixels() -> np.ndarray:
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    pixels[..., 0] = xx * 255 // (WIDTH - 1)
    pixels[..., 1] = yy * 255 // (HEIGHT - 1)
    pixels[..., 2] = 120
    pixels[..., 3] = 255
    return pixels


def write_photo(path: Path) -> np.ndarray:
    pixels = photo_pixels()
    out = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(out, "PNG")
    path.write_bytes(out.getvalue())
    return pixels


def answer_message_box(button: QMessageBox.StandardButton, texts: list[str]) -> None:
    """Click `button` on the next modal message box once it is up; record its text."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            texts.append(box.text())
            box.button(button).click()
        else:  # not shown yet: the caller is about to open it
            QTimer.singleShot(5, click)

    QTimer.singleShot(0, click)


def widget_point(window: MainWindow, x: float, y: float) -> QPoint:
    point: QPoint = window.canvas.image_to_widget(QPointF(x, y)).toPoint()
    return point


def canvas_color(window: MainWindow, x: float, y: float) -> QColor:
    """The colour the canvas shows at image point (x, y), as rendered."""
    return pixel_at(window.canvas, widget_point(window, x, y))


def pixel_at(widget: QWidget, point: QPoint) -> QColor:
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def paint_stroke(window: MainWindow, points: list[tuple[float, float]], size: int = 40) -> None:
    window.select_tool("brush")
    window.tools.set_brush_size(size)
    canvas = window.canvas
    first = widget_point(window, *points[0])
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    for x, y in points[1:]:
        QTest.mouseMove(canvas, widget_point(window, x, y))
    last = widget_point(window, *points[-1])
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, last)


def drag_rectangle(window: MainWindow, left: int, top: int, right: int, bottom: int) -> None:
    window.select_tool("rectangle")
    canvas = window.canvas
    start, end = widget_point(window, left, top), widget_point(window, right, bottom)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(canvas, end)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
