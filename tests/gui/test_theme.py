"""Dark and light themes: the palette follows the scheme, and our own colours stay readable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.ui.canvas import CanvasView
from imgdesk.ui.empty_state import EmptyStateWidget
from imgdesk.ui.error_banner import ErrorBanner
from imgdesk.ui.theme import ThemeController, contrast_ratio, install_theme

pytest_plugins = ("fixtures_session",)

DARK, LIGHT = Qt.ColorScheme.Dark, Qt.ColorScheme.Light


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[ThemeController]:
    # The app object is shared by the whole session: put its look back afterwards.
    palette, style = QApplication.palette(), qapp.style().name()
    controller = install_theme(qapp)
    yield controller
    controller.force(Qt.ColorScheme.Unknown)
    qapp.styleHints().colorSchemeChanged.disconnect(controller._on_scheme_changed)
    controller.setParent(None)
    if qapp.style().name() != style:
        qapp.setStyle(style)
    QApplication.setPalette(palette)


def pixel(image: QImage, x: int, y: int) -> QColor:
    return image.pixelColor(x * image.width() // 1000, y * image.height() // 1000)


def shown_banner(qtbot: QtBot, level: str) -> ErrorBanner:
    banner = ErrorBanner()
    qtbot.addWidget(banner)
    banner.resize(600, 60)
    if level == "info":
        banner.show_notice("Offline: 2 queued")
    else:
        kind = ErrorKind.CANCELLED if level == "warning" else ErrorKind.NETWORK
        banner.show_error(ImgdeskError(kind, "The model was shut down."))
    assert banner.level == level
    qtbot.waitExposed(banner)
    return banner


def banner_colors_drawn(banner: ErrorBanner) -> tuple[QColor, QColor]:
    """The background as painted (a pixel inside the top margin) and the message text colour."""
    image = banner.grab().toImage()
    background = image.pixelColor(image.width() // 2, 3)
    label = banner.findChild(type(banner._message), "bannerMessage")
    assert label is not None
    label.ensurePolished()
    return background, label.palette().color(QPalette.ColorRole.WindowText)


@pytest.mark.parametrize("scheme", [DARK, LIGHT])
@pytest.mark.parametrize("level", ["error", "warning", "info"])
def test_forced_scheme_sets_the_palette_and_the_banner_stays_readable(
    qtbot: QtBot, theme: ThemeController, scheme: Qt.ColorScheme, level: str
) -> None:
    theme.force(scheme)
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    text = QApplication.palette().color(QPalette.ColorRole.WindowText)
    if scheme == DARK:
        assert window.lightness() < 70
        assert text.lightness() > 200
    else:
        assert window.lightness() > 200
        assert text.lightness() < 70
    assert contrast_ratio(window, text) >= 7

    background, foreground = banner_colors_drawn(shown_banner(qtbot, level))
    assert (background.lightness() < 90) == (scheme == DARK)
    assert contrast_ratio(foreground, background) >= 4.5


def test_a_live_scheme_change_recolours_a_banner_already_shown(
    qtbot: QtBot, qapp: QApplication, theme: ThemeController
) -> None:
    theme.force(LIGHT)
    banner = shown_banner(qtbot, "error")
    light_background, _ = banner_colors_drawn(banner)
    theme.force(Qt.ColorScheme.Unknown)
    # What Qt tells the app when the desktop switches (the offscreen platform never does itself).
    qapp.styleHints().colorSchemeChanged.emit(DARK)
    QApplication.processEvents()  # widgets hear of a new app palette through posted events
    dark_background, foreground = banner_colors_drawn(banner)
    assert light_background.lightness() > 200
    assert dark_background.lightness() < 90
    assert contrast_ratio(foreground, dark_background) >= 4.5


@pytest.mark.parametrize("scheme", [DARK, LIGHT])
def test_empty_state_and_canvas_share_a_surround_that_matches_the_scheme(
    qtbot: QtBot, theme: ThemeController, scheme: Qt.ColorScheme, qt_owned: list[object]
) -> None:
    from imgdesk.models.document import DocumentModel
    from imgdesk.models.tools import ToolState

    theme.force(scheme)
    empty = EmptyStateWidget()
    qtbot.addWidget(empty)
    empty.resize(800, 500)
    document, tools = DocumentModel(), ToolState()
    qt_owned.extend([document, tools])
    canvas = CanvasView(document, tools)
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    empty_surround = pixel(empty.grab().toImage(), 20, 20)
    canvas_surround = pixel(canvas.grab().toImage(), 500, 500)
    assert empty_surround == canvas_surround
    assert (empty_surround.lightness() < 90) == (scheme == DARK)
    text = QApplication.palette().color(QPalette.ColorRole.WindowText)
    assert contrast_ratio(text, empty_surround) >= 4.5
