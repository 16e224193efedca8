"""`imgdesk --self-test`: prove an installation works by doing one real edit in the real window.

It starts the editor window (offscreen when there is no display), opens a bundled sample, paints
over the rowboat with mouse events on the canvas, runs the offline engine through the window's
EditSession, applies the variant and checks the pixels: changed under the mask, bit for bit the
same away from it. Each step prints one line; the exit code is 0, or 1 with the reason.

It never touches the user's state: everything goes to a temporary data folder unless `--data-dir`
names one, the keyring is replaced by a null one (no unlock prompt, nothing read), and the engine
is the offline one whatever key the environment holds, so nothing is sent anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import locale
import math
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import keyring
import numpy as np
import qasync
from keyring.backends import null

# The self-test drives the window, so it is Qt code like app.py (ruff's Qt ban is for core/).
from PySide6.QtCore import QLocale, QPointF, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from imgdesk import __version__
from imgdesk.app import make_application
from imgdesk.core import crash, logs, masks, sizing
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, format_number, translate_format
from imgdesk.core.paths import DATA_DIR_ENV, AppPaths, app_paths
from imgdesk.core.samples import sample_paths
from imgdesk.models.edit_session import SessionState
from imgdesk.ui.gc_on_ui_thread import UiThreadGarbageCollector
from imgdesk.ui.main_window import MainWindow, build_main_window

EXIT_OK = 0
EXIT_FAILED = 1

# Only a broken installation takes this long; a working one needs a second or two per step.
STEP_TIMEOUT_S = 60.0
SAMPLE_NAME = "lake-with-boat.jpg"
# A stroke across the rowboat in that sample (image pixels; scripts/make_samples.py paints it).
STROKE = ((660.0, 1055.0), (760.0, 1060.0), (870.0, 1055.0))
BRUSH_DIAMETER = 80
PROMPT = "Remove the boat"
CONTEXT = "selftest"  # lupdate context of the self-test's lines; markers repeat it literally


def _say(template: str, /, **values: object) -> str:
    """A self-test line (marked QT_TRANSLATE_NOOP("selftest", ...) at the call site) in the
    language the editor speaks: the command line's translator first, then the window's."""
    return translate_format(CONTEXT, template, **values)


def _failed(reason: str) -> str:
    return _say(QT_TRANSLATE_NOOP("selftest", "self-test FAILED: {reason}"), reason=reason)


class SelfTestFailed(Exception):
    """A step failed; `reason` is the sentence (in the user's language) printed before exiting
    non-zero."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Report:
    """Numbered step lines on `out`, flushed at once so a hang shows where it hung."""

    def __init__(self, out: TextIO, total: int) -> None:
        self._out = out
        self._total = total
        self._number = 0

    def line(self, text: str) -> None:
        print(text, file=self._out, flush=True)

    @contextlib.contextmanager
    def step(self, text: str) -> Iterator[list[str]]:
        """Print the step; the body appends details to the list, printed after "ok"."""
        self._number += 1
        print(f"[{self._number}/{self._total}] {text} … ", end="", file=self._out, flush=True)
        details: list[str] = []
        started = time.monotonic()
        try:
            yield details
        except BaseException:
            print(_say(QT_TRANSLATE_NOOP("selftest", "FAILED")), file=self._out, flush=True)
            raise
        details.append(f"{format_number(time.monotonic() - started, ',.1f')} s")
        ok = _say(QT_TRANSLATE_NOOP("selftest", "ok ({details})"), details="; ".join(details))
        print(ok, file=self._out, flush=True)


def run_self_test(data_dir: Path | None = None, out: TextIO | None = None) -> int:
    """Run the self-test in this process (it creates the QApplication); returns the exit code."""
    out = out or sys.stdout
    _prepare_environment()
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="imgdesk-st-")))
        # Everything reading IMGDESK_DATA_DIR later (logs, settings) must see the same folder.
        os.environ[DATA_DIR_ENV] = str(data_dir)
        try:
            paths = app_paths(data_dir).ensure()
        except OSError as error:
            reason = _say(
                QT_TRANSLATE_NOOP("selftest", "cannot use {folder}: {reason}"),
                folder=data_dir,
                reason=error.strerror,
            )
            print(_failed(reason), file=sys.stderr)
            return EXIT_FAILED
        return _run_in_qt(paths, out)
    return EXIT_FAILED  # pragma: no cover - ExitStack does not swallow; mypy wants a return


def _prepare_environment() -> None:
    # Linux without X11 or Wayland (a CI box, ssh): Qt would abort looking for a display.
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The user's keyring must not be read (a desktop keyring may ask to be unlocked).
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]


def _run_in_qt(paths: AppPaths, out: TextIO) -> int:
    app = make_application()
    crashes: list[str] = []
    handler = crash.install(paths, show=lambda report, _log: crashes.append(report))
    try:
        result: int = qasync.run(_main(paths, out, handler, crashes))
    except SelfTestFailed as failure:
        print(_failed(failure.reason), file=sys.stderr, flush=True)
        result = EXIT_FAILED
    except TimeoutError:
        reason = _say(
            QT_TRANSLATE_NOOP("selftest", "a step took longer than {seconds} s"),
            seconds=format_number(STEP_TIMEOUT_S, ",.0f"),
        )
        print(_failed(reason), file=sys.stderr, flush=True)
        result = EXIT_FAILED
    except Exception as error:  # a broken install fails anywhere; say where, never hang
        traceback.print_exc(file=sys.stderr)
        print(_failed(f"{type(error).__name__}: {error}"), file=sys.stderr, flush=True)
        result = EXIT_FAILED
    finally:
        crash.uninstall()
        logs.shutdown_logging()
        app.processEvents()  # deliver the window's deleteLater before the loop is gone
    return result


async def _main(
    paths: AppPaths,
    out: TextIO,
    handler: Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None],
    crashes: list[str],
) -> int:
    asyncio.get_running_loop().set_exception_handler(handler)
    report = _Report(out, total=6)
    report.line(
        _say(
            QT_TRANSLATE_NOOP(
                "selftest",
                "imgdesk {version} self-test: Qt {qt}, platform {platform}, locale {locale} "
                "(C library: {c_locale}), data in {folder}",
            ),
            version=__version__,
            qt=qVersion(),
            platform=QGuiApplication.platformName(),
            locale=QLocale.system().name(),
            c_locale=locale.setlocale(locale.LC_ALL, None),
            folder=paths.data,
        )
    )
    errors: list[str] = []
    collector = UiThreadGarbageCollector(QGuiApplication.instance())  # as the app does
    window = build_main_window(paths)
    window.document.error_raised.connect(lambda e: errors.append(_message(e)))
    window.session.error_raised.connect(lambda e: errors.append(_message(e)))
    try:
        await _steps(window, report, errors, paths)
        if crashes:
            happened = _say(QT_TRANSLATE_NOOP("selftest", "an unexpected error happened:"))
            raise SelfTestFailed(f"{happened}\n{crashes[0]}")
    finally:
        window.hide()
        # Straight to cleanup, not close(): a modified photo would ask to save in a dialog.
        await asyncio.wait_for(window.aclose(), STEP_TIMEOUT_S)
        collector.stop()
        window.deleteLater()
    report.line(_say(QT_TRANSLATE_NOOP("selftest", "self-test passed")))
    return EXIT_OK


async def _steps(window: MainWindow, report: _Report, errors: list[str], paths: AppPaths) -> None:
    with report.step(_say(QT_TRANSLATE_NOOP("selftest", "Start the editor window"))) as details:
        window.resize(1200, 800)
        window.show()
        await _until(
            lambda: window.isVisible() and _exposed(window),
            _say(QT_TRANSLATE_NOOP("selftest", "the window to appear")),
        )
        details.append(f"{window.width()}×{window.height()}")

    with report.step(_say(QT_TRANSLATE_NOOP("selftest", "Open a bundled sample photo"))) as details:
        samples = {path.name: path for path in sample_paths()}
        sample = samples.get(SAMPLE_NAME)
        if sample is None:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP(
                        "selftest", "the sample photo {name} is not installed with imgdesk"
                    ),
                    name=SAMPLE_NAME,
                )
            )
        task = window.open_path(sample)
        if task is None:
            raise SelfTestFailed(
                _say(QT_TRANSLATE_NOOP("selftest", "the window refused to open the sample"))
            )
        await asyncio.wait_for(task, STEP_TIMEOUT_S)
        if window.document.pixels is None or window.document.path != sample:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "{name} did not open: {reason}"),
                    name=sample.name,
                    reason=_last(errors),
                )
            )
        await _until(
            lambda: window.canvas.isVisible(),
            _say(QT_TRANSLATE_NOOP("selftest", "the canvas to show the photo")),
        )
        window.canvas.fit_to_window()
        height, width = window.document.pixels.shape[:2]
        details.append(f"{sample.name}, {width}×{height}")

    with report.step(
        _say(QT_TRANSLATE_NOOP("selftest", "Paint a mask over the boat with the brush"))
    ) as details:
        canvas = window.canvas
        window.select_tool("brush")
        window.tools.set_brush_size(BRUSH_DIAMETER)

        def at(x: float, y: float) -> Any:
            return canvas.image_to_widget(QPointF(x, y)).toPoint()

        button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QTest.mousePress(canvas, button, none, at(*STROKE[0]))
        for point in STROKE[1:]:
            QTest.mouseMove(canvas, at(*point))
        QTest.mouseRelease(canvas, button, none, at(*STROKE[-1]))
        mask = window.document.mask
        box = None if mask is None else masks.bounding_box(mask)
        if mask is None or box is None:
            raise SelfTestFailed(
                _say(QT_TRANSLATE_NOOP("selftest", "the brush stroke left the mask empty"))
            )
        if not box.left <= STROKE[1][0] < box.right or not box.top <= STROKE[1][1] < box.bottom:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "the mask landed at {box}, not under the stroke"),
                    box=box,
                )
            )
        details.append(
            _say(
                QT_TRANSLATE_NOOP("selftest", "{pixels:,} px at x={x}, y={y}"),
                pixels=int(np.count_nonzero(mask)),
                x=box.left,
                y=box.top,
            )
        )

    with report.step(
        _say(QT_TRANSLATE_NOOP("selftest", "Run the offline engine (1 variant)"))
    ) as details:
        session = window.session
        session.set_engine_choice("local")
        session.update_params(prompt=PROMPT, n=1)
        pixels, live_mask = window.document.pixels, window.document.mask
        if pixels is None or live_mask is None:
            raise SelfTestFailed(
                _say(QT_TRANSLATE_NOOP("selftest", "the photo was closed before the edit"))
            )
        before, mask = pixels.copy(), live_mask.copy()
        if not session.start():
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "the edit did not start: {reason}"),
                    reason=_last(errors),
                )
            )
        await asyncio.wait_for(session.wait(), STEP_TIMEOUT_S)
        if session.state is not SessionState.DONE:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "the edit ended {state}: {reason}"),
                    state=session.state.value,
                    reason=_last(errors),
                )
            )
        if len(session.variants) != 1 or session.last_result is None:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "the edit returned {count} variants, not 1"),
                    count=len(session.variants),
                )
            )
        plan = session.last_result.plan
        details.append(
            _say(
                QT_TRANSLATE_NOOP("selftest", "crop {width}×{height}"),
                width=plan.crop.width,
                height=plan.crop.height,
            )
        )

    with report.step(_say(QT_TRANSLATE_NOOP("selftest", "Apply the variant"))) as details:
        session.apply_variant(0)
        after = window.document.pixels
        if after is None or after is before or not window.document.modified:
            raise SelfTestFailed(
                _say(QT_TRANSLATE_NOOP("selftest", "applying the variant left the photo as it was"))
            )
        details.append(
            _say(
                QT_TRANSLATE_NOOP("selftest", "undo step “{name}”"),
                name=window.document.undo_stack.undoText(),
            )
        )

    with report.step(
        _say(QT_TRANSLATE_NOOP("selftest", "Check the pixels inside and outside the mask"))
    ) as details:
        inside = mask == 255
        changed = np.any(before != after, axis=-1)
        share = float(np.count_nonzero(changed & inside)) / max(int(np.count_nonzero(inside)), 1)
        if share < 0.5:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "only {share} of the masked pixels changed"),
                    share=_percent(share),
                )
            )
        # The result is feathered into the photo; beyond that band every pixel is the original.
        reach = math.ceil(sizing.default_feather(plan.crop)) + 2
        outside = masks.grow(mask, reach) == 0
        stray = changed & outside
        if stray.any():
            y, x = (int(v) for v in np.argwhere(stray)[0])
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP(
                        "selftest",
                        "{count:,} pixels changed outside the mask, first at x={x}, y={y}",
                    ),
                    count=int(np.count_nonzero(stray)),
                    x=x,
                    y=y,
                )
            )
        details.append(
            _say(
                QT_TRANSLATE_NOOP(
                    "selftest", "{share} of the mask changed, nothing beyond {reach} px of it"
                ),
                share=_percent(share),
                reach=reach,
            )
        )

    # Saving goes through the image encoders a bundle must carry, and clears "modified".
    target = paths.cache / "self-test-result.png"
    if not await asyncio.wait_for(window.document.save_as(target, "png"), STEP_TIMEOUT_S):
        raise SelfTestFailed(
            _say(
                QT_TRANSLATE_NOOP("selftest", "the result could not be saved: {reason}"),
                reason=_last(errors),
            )
        )
    if not target.is_file() or target.stat().st_size == 0:
        raise SelfTestFailed(
            _say(
                QT_TRANSLATE_NOOP("selftest", "saving reported success but {path} is empty"),
                path=target,
            )
        )
    report.line(_say(QT_TRANSLATE_NOOP("selftest", "result saved to {path}"), path=target))


def _exposed(window: MainWindow) -> bool:
    handle = window.windowHandle()
    return handle is not None and handle.isExposed()


async def _until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise SelfTestFailed(
                _say(
                    QT_TRANSLATE_NOOP("selftest", "gave up waiting for {what} after {seconds} s"),
                    what=what,
                    seconds=format_number(STEP_TIMEOUT_S, ",.0f"),
                )
            )
        await asyncio.sleep(0.02)


def _message(error: object) -> str:
    return error.localized() if isinstance(error, ImgdeskError) else str(error)


def _last(errors: list[str]) -> str:
    return errors[-1] if errors else _say(QT_TRANSLATE_NOOP("selftest", "no error was reported"))


def _percent(share: float) -> str:
    """ "87%", and "87 %" where the language puts a space before the sign."""
    return _say(QT_TRANSLATE_NOOP("selftest", "{percent}%"), percent=round(share * 100))
