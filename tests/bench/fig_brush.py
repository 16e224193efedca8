"""brush_segment_p99_ms: one brush stroke segment applied and repainted, 6000x4000, offscreen.

A real CanvasView over a real DocumentModel receives mouse-move events (left button held) and
the event loop is run until the canvas has painted; one sample is that whole round trip. The
canvas repaints only the widget rectangle a segment touched. Naive: the same segments, but every
one repaints the whole canvas (the whole picture, scaled), as a canvas without dirty rectangles
does. Both are measured at fit-to-window and at 100 % zoom; the figure is the worse of the two.
"""

from __future__ import annotations

import math

from common import Bench, Figure, load_photo, now_ms, percentile, qt_app
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from imgdesk.models.document import DocumentModel
from imgdesk.models.tools import ToolState
from imgdesk.ui.canvas import CanvasView

FIGURES = ("brush_segment_p99_ms",)
TARGET_MS = 8.0
STEP_PX = 6.0  # widget pixels between mouse-move events: a brisk stroke at 120 Hz


class PaintCounter(QObject):
    """Counts paint events on the canvas, so a sample ends only after a repaint happened."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0
        self.area = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
            rect = event.rect()  # type: ignore[attr-defined]
            self.area += rect.width() * rect.height()
        return False


def _mouse(kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> QMouseEvent:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    return QMouseEvent(kind, pos, pos, button, buttons, Qt.KeyboardModifier.NoModifier)


def _path(width: int, height: int, count: int) -> list[QPointF]:
    """A wavy stroke across the canvas, STEP_PX apart."""
    points = []
    x, y0 = 60.0, height / 2
    for i in range(count + 1):
        x = 60.0 + (i * STEP_PX) % max(width - 120.0, 1.0)
        points.append(QPointF(x, y0 + (height / 3) * math.sin(i / 40.0)))
    return points


def _stroke(
    app: QApplication, canvas: CanvasView, counter: PaintCounter, segments: int, *, full: bool
) -> tuple[list[float], float]:
    """Per-segment times in ms and the mean repainted area per segment (widget pixels)."""
    points = _path(canvas.width(), canvas.height(), segments)
    left = Qt.MouseButton.LeftButton
    QApplication.sendEvent(canvas, _mouse(QEvent.Type.MouseButtonPress, points[0], left))
    app.processEvents()
    counter.paints = counter.area = 0
    times = []
    for point in points[1:]:
        before = counter.paints
        start = now_ms()
        QApplication.sendEvent(canvas, _mouse(QEvent.Type.MouseMove, point, left))
        if full:
            canvas.update()
        app.processEvents()
        times.append(now_ms() - start)
        if counter.paints == before:
            raise RuntimeError("a brush segment was not repainted")
    QApplication.sendEvent(
        canvas, _mouse(QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)
    )
    app.processEvents()
    return times, counter.area / max(len(times), 1)


def run(bench: Bench) -> list[Figure]:
    app = qt_app()
    assert isinstance(app, QApplication)
    document = DocumentModel.from_pixels(load_photo(bench))
    tools = ToolState()
    canvas = CanvasView(document, tools)
    counter = PaintCounter()
    canvas.installEventFilter(counter)
    canvas.resize(1400, 900)
    canvas.show()
    for _ in range(20):
        app.processEvents()

    segments, naive_segments = bench.pick(150, 600), bench.pick(15, 60)
    results: dict[str, float] = {}
    notes = []
    for label, set_zoom in (("fit", canvas.fit_to_window), ("100%", canvas.zoom_100)):
        set_zoom()
        app.processEvents()
        _stroke(app, canvas, counter, 10, full=False)  # warm-up: first paints at this zoom
        times, area = _stroke(app, canvas, counter, segments, full=False)
        naive, _naive_area = _stroke(app, canvas, counter, naive_segments, full=True)
        results[label] = percentile(times, 99)
        results["naive " + label] = percentile(naive, 99)
        notes.append(
            f"{label}: p99 {results[label]:.2f} ms (median {percentile(times, 50):.2f}, "
            f"{area:.0f} px/segment) vs naive {results['naive ' + label]:.1f} ms"
        )
    canvas.close()
    value = max(results["fit"], results["100%"])
    naive_value = max(results["naive fit"], results["naive 100%"])
    return [
        Figure(
            "brush_segment_p99_ms",
            value,
            naive_value,
            "ms",
            "p99 < 8 ms",
            value < TARGET_MS,
            "; ".join(notes),
        )
    ]
