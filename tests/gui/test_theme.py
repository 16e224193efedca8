"""Dark and light themes: the palette follows the scheme, and our own colours stay readable.

The live-switch tests use the whole window as the app builds it: widgets deep inside it hear of a
new scheme differently from a lone top-level widget (see imgdesk.ui.theme).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.ui.canvas import CanvasView
from imgdesk.ui.empty_state import EmptyStateWidget
from imgdesk.ui.error_banner import ErrorBanner
from imgdesk.ui.main_window import MainWindow
from imgdesk.ui.theme import ThemeController, contrast_ratio, error_text, install_theme

pytest_plugins = ("fixtures_session", "fixtures_window")

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


def switch_like_the_desktop(
    qapp: QApplication, theme: ThemeController, scheme: Qt.ColorScheme
) -> None:
    """What Qt tells the app when the desktop flips its scheme (offscreen never does itself)."""
    theme.force(Qt.ColorScheme.Unknown)
    qapp.styleHints().colorSchemeChanged.emit(scheme)
    QApplication.processEvents()


def ink(image: QImage, background: QColor) -> QColor:
    """The drawn colour that stands out most from `background` (text, outline)."""
    best, best_ratio = background, 1.0
    for y in range(image.height()):
        for x in range(image.width()):
            color = image.pixelColor(x, y)
            ratio = contrast_ratio(color, background)
            if ratio > best_ratio:
                best, best_ratio = color, ratio
    return best


def test_a_live_switch_recolours_the_whole_window_without_a_photo(
    qapp: QApplication, theme: ThemeController, window: MainWindow
) -> None:
    theme.force(LIGHT)
    QApplication.processEvents()
    button = window.empty_state.open_button
    assert window.banner.isVisible()  # the no-key notice, made while the window was light

    def drawn() -> tuple[QColor, QColor, QColor, QColor]:
        surround = pixel(window.empty_state.grab().toImage(), 20, 20)
        face = button.grab().toImage()
        hint = window.empty_state.findChild(QLabel, "emptyHint")
        assert isinstance(hint, QLabel)
        hint_ink = ink(hint.grab().toImage(), surround)
        return (
            surround,
            face.pixelColor(8, face.height() // 2),
            hint_ink,
            banner_colors_drawn(window.banner)[0],
        )

    light = drawn()
    switch_like_the_desktop(qapp, theme, DARK)
    dark = drawn()
    switch_like_the_desktop(qapp, theme, LIGHT)
    light_again = drawn()

    surround, face, hint_ink, banner = light
    assert min(surround.lightness(), face.lightness(), banner.lightness()) > 200
    assert contrast_ratio(hint_ink, surround) >= 4.5
    surround, face, hint_ink, banner = dark
    assert max(surround.lightness(), face.lightness(), banner.lightness()) < 90
    assert contrast_ratio(hint_ink, surround) >= 4.5
    assert hint_ink.lightness() > surround.lightness()  # light text on the dark surround
    assert light_again == light


def test_a_live_switch_recolours_the_canvas_around_an_open_photo(
    qapp: QApplication, theme: ThemeController, window: MainWindow, opened: object
) -> None:
    theme.force(LIGHT)
    QApplication.processEvents()
    window.canvas.resize(900, 500)  # wider than the photo's fit: surround at the left edge

    def surround() -> QColor:
        return window.canvas.grab().toImage().pixelColor(3, window.canvas.height() // 2)

    light = surround()
    switch_like_the_desktop(qapp, theme, DARK)
    assert light.lightness() > 200
    assert surround().lightness() < 90


@pytest.mark.parametrize("scheme", [LIGHT, DARK])
def test_field_errors_are_readable_red_in_either_scheme_and_follow_a_switch(
    qapp: QApplication, theme: ThemeController, window: MainWindow, scheme: Qt.ColorScheme
) -> None:
    other = DARK if scheme == LIGHT else LIGHT
    theme.force(other)
    panel = window.prompt_panel
    assert [p.field for p in window.session.validate()] == ["prompt"]  # flagged in `other`
    switch_like_the_desktop(qapp, theme, scheme)
    label = panel.field_error_label
    assert label.isVisible()

    palette = label.palette()
    background = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    assert (background.lightness() < 90) == (scheme == DARK)
    assert text == error_text(QApplication.palette())
    assert contrast_ratio(text, background) >= 4.5
    # What is actually drawn: red text, AA contrast on the footer it sits on.
    drawn = ink(label.grab().toImage(), background)
    assert drawn.red() > drawn.green() + 60
    assert drawn.red() > drawn.blue() + 60
    assert contrast_ratio(drawn, background) >= 4.5
    # The refused prompt's outline is drawn in the same red, in the new scheme.
    edit = panel.prompt_edit
    corner = edit.mapTo(panel.options, edit.rect().topLeft())
    options = panel.options.grab().toImage()
    outline = options.pixelColor(corner.x() + edit.width() // 2, corner.y())
    assert contrast_ratio(outline, background) >= 3
    assert outline.red() > outline.green() + 60
