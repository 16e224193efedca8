"""Render imgdesk's icon from its hand-written SVG into the PNG sizes desktops and bundles use.

    .venv/bin/python scripts/make_icons.py

Reads resources/icons/hicolor/scalable/apps/io.imgdesk.Imgdesk.svg and writes
resources/icons/hicolor/<N>x<N>/apps/io.imgdesk.Imgdesk.png for every size in SIZES: the freedesktop
icon-theme layout, so packaging can copy the `hicolor` tree as it is into share/icons. Rendering
uses Qt's own SVG renderer (QtSvg ships in PySide6-Essentials), offscreen, so no display is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICON_NAME = "io.imgdesk.Imgdesk"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parent.parent / "resources" / "icons" / "hicolor"
SOURCE = ROOT / "scalable" / "apps" / f"{ICON_NAME}.svg"


def png_path(size: int) -> Path:
    return ROOT / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # QImage text and SVG rendering need a Gui application
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"{SOURCE} is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target)):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(f"wrote {target.relative_to(ROOT.parent.parent.parent)}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
