"""What happens when imgdesk meets an exception nobody caught: log it, tell the user, carry on.

`install` hooks the three places such exceptions surface: `sys.excepthook` (the main thread, and
Qt slots and virtual methods, which PySide6 routes there), `threading.excepthook` (worker
threads) and an asyncio loop's exception handler (tasks whose exception nobody retrieved). Each
writes the traceback to the "imgdesk.crash" logger, where the log filter redacts keys, and calls
the registered `show` callback with a redacted report and the log file's path. This module stays
Qt-free: the UI registers a callback that shows a dialog (`ui/crash_dialog.py`).

The handlers must never make things worse: an exception inside one (in `show`, say) is written
to stderr and dropped, never handed back to the hook that is running, and a crash that repeats
(an exception in a paint event fires on every frame) logs its traceback only a few times.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from imgdesk.core import logs
from imgdesk.core.paths import AppPaths
from imgdesk.core.redaction import redact

ShowCallback = Callable[[str, Path], None]
if TYPE_CHECKING:  # the app paints its first window before asyncio is imported
    import asyncio

LoopExceptionHandler = Callable[["asyncio.AbstractEventLoop", dict[str, Any]], None]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

log = logging.getLogger("imgdesk.crash")

# Full tracebacks for the first few repeats of one crash; after that one line at 10, 100, 1000...
_FULL_TRACEBACKS_PER_CRASH = 3
# Enough of the traceback to recognise a crash in the dialog; the whole of it is in the log.
_REPORT_TRACEBACK_LINES = 40


@dataclass
class _State:
    log_file: Path | None = None
    show: ShowCallback | None = None
    installed: bool = False
    previous_excepthook: Callable[..., Any] = sys.excepthook
    previous_thread_hook: Callable[[threading.ExceptHookArgs], Any] = threading.excepthook
    seen: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


_state = _State()
_busy = threading.local()  # set while this thread is inside a handler: no recursion


def install(paths: AppPaths, show: ShowCallback | None = None) -> LoopExceptionHandler:
    """Install the process-wide hooks; returns the handler for `loop.set_exception_handler`.

    Sets up logging to `paths.logs` unless it is already writing there. Calling again replaces
    the callback and keeps the hooks (the originals are remembered once, for `uninstall`).
    """
    log_file = logs.log_file_path(paths)
    if logs.active_log_file() != log_file:
        logs.setup_logging(paths)
    _state.log_file = log_file
    _state.show = show
    if not _state.installed:
        _state.previous_excepthook = sys.excepthook
        _state.previous_thread_hook = threading.excepthook
        sys.excepthook = _excepthook
        threading.excepthook = _thread_excepthook
        _state.installed = True
    return loop_exception_handler


def uninstall() -> None:
    """Put the hooks back as `install` found them and forget the callback."""
    if _state.installed:
        sys.excepthook = _state.previous_excepthook
        threading.excepthook = _state.previous_thread_hook
        _state.installed = False
    _state.show = None
    _state.log_file = None
    with _state.lock:
        _state.seen.clear()


def set_show(show: ShowCallback | None) -> None:
    """Register (or with None, remove) what to call after a crash was logged; from any thread."""
    _state.show = show


def current_log_file() -> Path | None:
    return _state.log_file or logs.active_log_file()


def report_exception(error: BaseException, *, where: str = "the main thread") -> None:
    """Log `error` as a crash and show it, as the hooks do; for code that caught it itself."""
    _handle((type(error), error, error.__traceback__), where)


def loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    import asyncio  # a loop exists, so this is loaded already

    """For `loop.set_exception_handler`: a failed task nobody awaited is a crash.

    Context without an exception (an unclosed transport, a slow callback) is a warning for the
    log, not a reason to interrupt the user with a dialog.
    """
    error = context.get("exception")
    if isinstance(error, BaseException) and not isinstance(error, asyncio.CancelledError):
        task = context.get("task") or context.get("future")
        where = f"an asyncio task ({_task_name(task)})" if task is not None else "asyncio"
        _handle((type(error), error, error.__traceback__), where)
        return
    log.warning("asyncio: %s", context.get("message", "unknown problem"))


def _excepthook(
    exc_type: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        # Ctrl+C keeps its usual meaning: the default hook prints it, the process ends.
        _state.previous_excepthook(exc_type, error, tb)
        return
    _handle((exc_type, error, tb), "the main thread")
    _tell_terminal(exc_type, error)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # what the default hook does: a thread calling sys.exit() just ends
    if args.exc_value is None or issubclass(args.exc_type, KeyboardInterrupt):
        _state.previous_thread_hook(args)
        return
    name = args.thread.name if args.thread is not None else "unknown"
    _handle((args.exc_type, args.exc_value, args.exc_traceback), f"thread {name}")


def _handle(exc_info: ExcInfo, where: str) -> None:
    if getattr(_busy, "active", False):
        # The handler itself failed (a broken `show`, a full disk): say so once, don't recurse.
        _last_resort(exc_info)
        return
    _busy.active = True
    try:
        _log_crash(exc_info, where)
        show = _state.show
        log_file = current_log_file()
        if show is not None and log_file is not None:
            show(_report(exc_info, where), log_file)
    except BaseException as handler_error:
        _last_resort((type(handler_error), handler_error, handler_error.__traceback__))
    finally:
        _busy.active = False


def _log_crash(exc_info: ExcInfo, where: str) -> None:
    signature = _signature(exc_info)
    with _state.lock:
        _state.seen[signature] += 1
        count = _state.seen[signature]
    if count <= _FULL_TRACEBACKS_PER_CRASH:
        log.error("Unexpected error in %s", where, exc_info=exc_info)
    elif _is_power_of_ten(count):
        log.error("Unexpected error in %s, %d times so far: %s", where, count, _headline(exc_info))


def _report(exc_info: ExcInfo, where: str) -> str:
    """A headline line, then the end of the traceback; redacted, for the dialog and clipboard."""
    lines = "".join(traceback.format_exception(*exc_info)).splitlines()
    tail = "\n".join(lines[-_REPORT_TRACEBACK_LINES:])
    return redact(f"{_headline(exc_info)} (in {where})\n\n{tail}")


def _headline(exc_info: ExcInfo) -> str:
    exc_type, error, _ = exc_info
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if len(message) > 300:
        message = message[:300] + "…"
    return redact(f"{exc_type.__name__}: {message}" if message else exc_type.__name__)


def _signature(exc_info: ExcInfo) -> str:
    """Type plus the innermost frame: the same crash again, even when its message differs."""
    exc_type, _, tb = exc_info
    frames = traceback.extract_tb(tb) if tb is not None else []
    last = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    return f"{exc_type.__qualname__}@{last}"


def _is_power_of_ten(count: int) -> bool:
    while count % 10 == 0:
        count //= 10
    return count == 1


def _tell_terminal(exc_type: type[BaseException], error: BaseException) -> None:
    # The default hook would have printed the traceback; someone starting imgdesk from a terminal
    # should still learn that something went wrong and where the details are.
    # No terminal to tell (stderr closed, say) is no reason to raise from a hook.
    with contextlib.suppress(Exception):
        where = current_log_file()
        detail = f" Details are in {where}." if where is not None else ""
        headline = _headline((exc_type, error, None))
        print(f"imgdesk hit a problem it did not expect: {headline}.{detail}", file=sys.stderr)


def _last_resort(exc_info: ExcInfo) -> None:
    # Nothing sensible is left to do if even this fails.
    with contextlib.suppress(BaseException):
        text = "".join(traceback.format_exception(*exc_info))
        stream = sys.__stderr__
        if stream is not None:
            stream.write("imgdesk: error while handling an error:\n" + redact(text))
            stream.flush()


def _task_name(task: object) -> str:
    get_name = getattr(task, "get_name", None)
    return str(get_name()) if callable(get_name) else type(task).__name__
