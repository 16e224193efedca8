"""Start the editor: one QApplication, one qasync event loop, the models, the window.

Everything long-running is an asyncio task owned by a model; when the window closes they are
cancelled and awaited before the loop ends, so no request outlives the app.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from imgdesk import __version__
from imgdesk.core import secrets
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import translate
from imgdesk.core.paths import AppPaths, app_paths
from imgdesk.core.settings import Settings
from imgdesk.ui.gc_on_ui_thread import UiThreadGarbageCollector
from imgdesk.ui.main_window import MainWindow, attach_models, open_frame
from imgdesk.ui.theme import install_theme
from imgdesk.ui.translations import choose_language, install_translators

log = logging.getLogger("imgdesk.app")

# How long start-up waits for the frame's first paint before attaching the models anyway (a
# window that starts minimised or on another desktop may not paint until it is looked at).
FIRST_PAINT_WAIT_S = 0.5


def make_application() -> QApplication:
    """The QApplication with the names settings and the desktop use to find it."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (125 %, 150 %) render sharply instead of being rounded.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("imgdesk")
    app.setOrganizationDomain("imgdesk.app")
    app.setApplicationName("imgdesk")
    app.setApplicationDisplayName("imgdesk")
    app.setApplicationVersion(__version__)
    # Lets Wayland and the taskbar match the window to packaging/io.imgdesk.Imgdesk.desktop.
    app.setDesktopFileName("io.imgdesk.Imgdesk")
    install_theme(app)  # dark or light as the system says, live
    install_language()
    return app


def install_language() -> str:
    """German or English as Settings.language says, else as the system locale says.

    Read before the window exists so every label is made in that language; a change in the
    settings dialog therefore applies on the next start.
    """
    paths = app_paths()
    language = choose_language(Settings.load(paths.settings_file).language)
    install_translators(language, cache=paths.cache)
    return language


def _wait_for_first_paint(window: MainWindow) -> None:
    """Run Qt's events until `window` has painted once (or FIRST_PAINT_WAIT_S has passed)."""
    loop = QEventLoop()
    window.painted.connect(loop.quit)
    QTimer.singleShot(round(FIRST_PAINT_WAIT_S * 1000), loop.quit)
    loop.exec()
    window.painted.disconnect(loop.quit)


async def _main(app: QApplication, window: MainWindow, paths: AppPaths, image: str | None) -> int:
    import asyncio  # with qasync, after the first paint

    from imgdesk.core import crash, logs
    from imgdesk.ui.crash_dialog import install_qt_crash_dialog

    # Logs go to the rotating file (secrets redacted); an unexpected exception anywhere (Qt slot,
    # thread, orphaned task) is logged and shown in one dialog instead of killing the app quietly.
    # (Before this, only the frame was built; Python's default hooks print to the terminal.)
    crash.install(paths)
    install_qt_crash_dialog(app)
    asyncio.get_running_loop().set_exception_handler(crash.loop_exception_handler)
    collector = UiThreadGarbageCollector(app)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    if not window.isVisible():  # closed while it was being painted
        closed.set()
    if closed.is_set():
        collector.stop()
        logs.shutdown_logging()
        return 0
    try:
        attach_models(window, paths)
    except Exception as error:
        # The frame is on screen: say why the editor could not open in it instead of vanishing,
        # and leave when the user closes the window.
        if isinstance(error, ImgdeskError):
            log.error("the editor could not open: %s", error.detail or error.message)
            window.banner.show_error(error)
        else:
            crash.report_exception(error, where="opening the editor")
        await closed.wait()
        collector.stop()
        logs.shutdown_logging()
        return 2 if isinstance(error, ImgdeskError) else 1
    from imgdesk.core.engines.factory import preload_engines
    from imgdesk.ui.welcome_dialog import show_welcome_on_first_run

    # Importing the OpenAI client takes about a second; do it in a worker now, not on the UI
    # thread at the first Generate.
    preload = asyncio.get_running_loop().run_in_executor(None, preload_engines)
    if image:
        window.open_path(Path(image))
    else:  # someone who opened a photo knows what to do; the welcome waits for a plain start
        show_welcome_on_first_run(window, paths)
    await closed.wait()
    await window.aclose()
    await preload
    collector.stop()
    logs.shutdown_logging()
    return 0


def run_gui(image: str | None = None) -> int:
    app = make_application()
    paths = app_paths()
    try:
        paths.ensure()
    except OSError as error:
        print(
            translate("App", "imgdesk cannot use its data folder {folder}: {reason}").format(
                folder=paths.data, reason=error.strerror
            ),
            file=sys.stderr,
        )
        return 2
    # The frame is painted first, before the event loop's and the editor's imports (asyncio,
    # numpy, Pillow, the store: about half a second); `_main` then fills the same window in place.
    window = open_frame(paths)
    # The window decides when to quit (after the unsaved-changes question), not the last close.
    app.setQuitOnLastWindowClosed(False)
    window.show()
    _wait_for_first_paint(window)
    # Overlaps the keyring's entry-point scan with the editor's imports (after the paint: on
    # two cores a second Python thread would slow the paint itself).
    secrets.resolve_keyring_in_background()
    import qasync

    try:
        result: int = qasync.run(_main(app, window, paths, image))
    except ImgdeskError as error:
        print(error.localized(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result
