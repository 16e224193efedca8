"""Dark and light themes that follow the system, and the colours derived from them.

Qt reports the desktop's preference through QStyleHints.colorScheme (and colorSchemeChanged when
the user flips it). Native styles that draw dark themselves (macOS, Windows 11) are left alone;
everywhere else the app uses Fusion with a palette matching the scheme, because Fusion with the
default palette stays light on desktops that have no native dark style for Qt.

Widgets with their own colours (banner, empty state, canvas, field errors) derive them from their
palette here, so both schemes read well. They must not freeze those colours in a style sheet: Qt 6
tells only top-level windows about a new application palette (ApplicationPaletteChange) and passes
the change down as PaletteChange to children that are not style-sheet styled, so a child with a
style sheet, and everything inside it, keeps the colours of the scheme it was made in. Paint from
`self.palette()` and recolour on PaletteChange instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# These styles follow the colour scheme on their own (Breeze through the KDE palette); replacing
# them would look foreign there.
_NATIVE_SCHEME_STYLES = frozenset({"macos", "windows11", "breeze"})

# Hue of each banner level; the shades come from the palette.
_BANNER_ACCENTS = {
    "error": QColor("#d93025"),
    "warning": QColor("#e8a317"),
    "info": QColor("#1a73e8"),
}

_MIN_TEXT_CONTRAST = 4.5  # WCAG AA for body text

# "Something is wrong" text and outlines, by scheme (dark: True). Both clear 4.5:1 on their own
# scheme's window; error_text() still lightens or darkens them on a foreign (native) palette.
_ERROR_TEXT = {True: "#ff8a80", False: "#b3261e"}

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_DARK = {
    Role.Window: "#2d2d2d",
    Role.WindowText: "#e8e8e8",
    Role.Base: "#1e1e1e",
    Role.AlternateBase: "#282828",
    Role.Text: "#e8e8e8",
    Role.Button: "#363636",
    Role.ButtonText: "#e8e8e8",
    Role.BrightText: "#ff8a80",
    Role.Highlight: "#2f6fce",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
    Role.ToolTipBase: "#3a3a3a",
    Role.ToolTipText: "#f0f0f0",
    Role.PlaceholderText: "#9e9e9e",
    Role.Light: "#4a4a4a",
    Role.Midlight: "#3e3e3e",
    Role.Mid: "#262626",
    Role.Dark: "#1a1a1a",
    Role.Shadow: "#000000",
}
_LIGHT = {
    Role.Window: "#efefef",
    Role.WindowText: "#1b1b1b",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f5f5",
    Role.Text: "#1b1b1b",
    Role.Button: "#efefef",
    Role.ButtonText: "#1b1b1b",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2f6fce",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1558b0",
    Role.LinkVisited: "#6b2fa8",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#1b1b1b",
    Role.PlaceholderText: "#6e6e6e",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e3e3",
    Role.Mid: "#a0a0a0",
    Role.Dark: "#8a8a8a",
    Role.Shadow: "#5a5a5a",
}
_DISABLED_TEXT = {True: "#7a7a7a", False: "#9a9a9a"}


def scheme_palette(dark: bool) -> QPalette:
    palette = QPalette()
    for role, color in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(color))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(_DISABLED_TEXT[dark]))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < 128


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved the fraction `t` towards `b`."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def relative_luminance(color: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _readable_on(color: QColor, background: QColor, extreme: QColor) -> QColor:
    # Tinted text keeps the level's hue, but never at the cost of legibility.
    step = 0.0
    candidate = color
    while contrast_ratio(candidate, background) < _MIN_TEXT_CONTRAST and step < 1.0:
        step = min(1.0, step + 0.1)
        candidate = mix(color, extreme, step)
    return candidate


def banner_colors(level: str, palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """Background, text and border of a banner at `level` ("error", "warning", "info")."""
    accent = _BANNER_ACCENTS[level]
    if is_dark(palette):
        background = mix(palette.color(Role.Window), accent, 0.22)
        text = mix(accent, QColor("white"), 0.65)
        border = mix(palette.color(Role.Window), accent, 0.55)
        return background, _readable_on(text, background, QColor("white")), border
    background = mix(palette.color(Role.Base), accent, 0.12)
    text = mix(accent, QColor("black"), 0.5)
    border = mix(palette.color(Role.Base), accent, 0.45)
    return background, _readable_on(text, background, QColor("black")), border


def canvas_background(palette: QPalette) -> QColor:
    """The neutral surround of the photo: a step darker than the window, in either scheme."""
    return palette.color(Role.Window).darker(125 if is_dark(palette) else 110)


def secondary_text(palette: QPalette, background: QColor) -> QColor:
    """Hint text: softer than the main text, still readable on `background`."""
    text = palette.color(Role.WindowText)
    return _readable_on(mix(text, background, 0.35), background, text)


def error_text(palette: QPalette) -> QColor:
    """Red for field errors and other "this went wrong" text, readable on the window background."""
    dark = is_dark(palette)
    extreme = QColor("white" if dark else "black")
    return _readable_on(QColor(_ERROR_TEXT[dark]), palette.color(Role.Window), extreme)


def set_text_color(widget: QWidget, color: QColor) -> None:
    """Give `widget` its own text colour while every other role still follows its parent.

    A fresh palette with only the text roles set, so a later scheme change still reaches the rest.
    """
    palette = QPalette()
    for role in (Role.WindowText, Role.Text):
        palette.setColor(role, color)
    widget.setPalette(palette)  # Qt skips it (no PaletteChange) when nothing differs


class ThemeController(QObject):
    """Keeps the app's style and palette in step with the system's colour scheme."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._forced = Qt.ColorScheme.Unknown
        self._system = app.styleHints().colorScheme()
        # What the platform offered before we touched it: the answer when the scheme is unknown.
        self._platform_dark = is_dark(QGuiApplication.palette())
        self._own_palette = app.style().name().lower() not in _NATIVE_SCHEME_STYLES
        if self._own_palette:
            app.setStyle("Fusion")
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self.apply()

    def dark(self) -> bool:
        scheme = self._forced
        if scheme == Qt.ColorScheme.Unknown:
            scheme = self._system
        if scheme == Qt.ColorScheme.Unknown:
            return self._platform_dark
        return scheme == Qt.ColorScheme.Dark

    def force(self, scheme: Qt.ColorScheme) -> None:
        """Ask for `scheme` (Unknown: follow the system again).

        The request goes to Qt too, so native styles follow it; platforms that ignore it (the
        offscreen one, some X11 desktops) still get the matching palette from us.
        """
        self._forced = scheme
        hints = self._app.styleHints()
        if scheme == Qt.ColorScheme.Unknown:
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(scheme)
        if hints.colorScheme() != Qt.ColorScheme.Unknown:
            self._system = hints.colorScheme()
        self.apply()

    def apply(self) -> None:
        if self._own_palette:
            self._app.setPalette(scheme_palette(self.dark()))

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self._system = scheme  # the desktop's new preference, as Qt reports it
        self.apply()


def install_theme(app: QApplication) -> ThemeController:
    """Follow the system's dark/light preference from now on, live."""
    existing = app.findChild(ThemeController)
    if isinstance(existing, ThemeController):
        return existing
    return ThemeController(app)
