"""Uncaught exceptions: logged with their traceback (keys redacted), shown, and survived.

The hooks are process-wide, so the real cases run in a child process: an exception escaping the
main thread, a worker thread, and an asyncio task nobody awaited, each with a key in its message.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from imgdesk.core import crash, logs, redaction
from imgdesk.core.paths import app_paths

SENTINEL_KEY = "sentinel-openai-key-9Xc3Vb7Nm1Qa"

CHILD = textwrap.dedent(
    """
    import asyncio, gc, sys, threading
    from imgdesk.core import crash
    from imgdesk.core.paths import app_paths

    mode = sys.argv[1]
    key = sys.argv[2]

    def show(report, log_file):
        if mode == "broken-show":
            raise OSError("the dialog could not be shown")
        print("SHOWN", report.splitlines()[0], "|", log_file, flush=True)

    handler = crash.install(app_paths(), show)

    def fail():
        raise RuntimeError(f"worker failed with {key}")

    if mode == "main":
        raise RuntimeError(f"main failed with {key}")
    elif mode == "interrupt":
        raise KeyboardInterrupt
    elif mode in ("thread", "broken-show"):
        worker = threading.Thread(target=fail, name="decoder")
        worker.start()
        worker.join()
    elif mode == "storm":
        for _ in range(25):
            worker = threading.Thread(target=fail, name="painter")
            worker.start()
            worker.join()
    elif mode == "asyncio":
        async def lost():
            raise ValueError(f"task failed with {key}")

        async def main():
            asyncio.get_running_loop().set_exception_handler(handler)
            asyncio.get_running_loop().create_task(lost(), name="lost-task")  # nobody awaits
            for _ in range(3):
                await asyncio.sleep(0)
            gc.collect()
            await asyncio.sleep(0)
            print("LOOP STILL RUNNING", flush=True)

        asyncio.run(main())
    print("STILL ALIVE", flush=True)
    """
)


@dataclass
class Child:
    returncode: int
    stdout: str
    stderr: str
    log: str


def run_child(mode: str, data_dir: Path) -> Child:
    env = dict(os.environ, IMGDESK_DATA_DIR=str(data_dir), OPENAI_API_KEY=SENTINEL_KEY)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, SENTINEL_KEY],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    log_file = data_dir / "logs" / "imgdesk.log"
    log = log_file.read_text("utf-8") if log_file.exists() else ""
    return Child(result.returncode, result.stdout, result.stderr, log)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "child-data"


def assert_logged_and_redacted(child: Child, headline: str) -> None:
    assert "imgdesk.crash: Unexpected error in" in child.log
    assert "Traceback (most recent call last)" in child.log
    assert headline in child.log
    for text in (child.log, child.stdout, child.stderr):
        assert SENTINEL_KEY not in text


def test_an_exception_in_the_main_thread_is_logged_shown_and_reported(data_dir: Path) -> None:
    child = run_child("main", data_dir)
    assert child.returncode == 1  # the interpreter still ends, as it would anyway
    assert_logged_and_redacted(child, "RuntimeError: main failed with [redacted]")
    assert "in the main thread" in child.log
    log_file = data_dir / "logs" / "imgdesk.log"
    assert f"SHOWN RuntimeError: main failed with [redacted] (in the main thread) | {log_file}" in (
        child.stdout
    )
    # Not silent on a terminal either: the headline and where the details are.
    assert "imgdesk hit a problem it did not expect: RuntimeError" in child.stderr
    assert str(log_file) in child.stderr
    assert "STILL ALIVE" not in child.stdout


def test_an_exception_in_a_thread_is_logged_and_the_process_carries_on(data_dir: Path) -> None:
    child = run_child("thread", data_dir)
    assert child.returncode == 0, child.stderr
    assert_logged_and_redacted(child, "RuntimeError: worker failed with [redacted]")
    assert "Unexpected error in thread decoder" in child.log
    assert "SHOWN RuntimeError: worker failed with [redacted] (in thread decoder)" in child.stdout
    assert child.stdout.rstrip().endswith("STILL ALIVE")


def test_a_task_nobody_awaited_is_logged_and_the_loop_carries_on(data_dir: Path) -> None:
    child = run_child("asyncio", data_dir)
    assert child.returncode == 0, child.stderr
    assert_logged_and_redacted(child, "ValueError: task failed with [redacted]")
    assert "Unexpected error in an asyncio task (lost-task)" in child.log
    assert "SHOWN ValueError: task failed with [redacted]" in child.stdout
    assert "LOOP STILL RUNNING" in child.stdout
    assert "STILL ALIVE" in child.stdout


def test_ctrl_c_keeps_its_usual_meaning(data_dir: Path) -> None:
    child = run_child("interrupt", data_dir)
    assert child.returncode != 0
    assert "KeyboardInterrupt" in child.stderr
    assert "SHOWN" not in child.stdout
    assert "Unexpected error" not in child.log


def test_a_failing_show_callback_neither_recurses_nor_loses_the_crash(data_dir: Path) -> None:
    child = run_child("broken-show", data_dir)
    assert child.returncode == 0, child.stderr
    assert_logged_and_redacted(child, "RuntimeError: worker failed with [redacted]")
    assert child.stderr.count("error while handling an error") == 1
    assert "OSError: the dialog could not be shown" in child.stderr
    assert "STILL ALIVE" in child.stdout


def test_a_repeating_crash_logs_a_few_tracebacks_then_counts(data_dir: Path) -> None:
    child = run_child("storm", data_dir)
    assert child.returncode == 0, child.stderr
    assert child.log.count("Traceback (most recent call last)") == 3
    assert "Unexpected error in thread painter, 10 times so far: RuntimeError" in child.log
    assert child.stdout.count("SHOWN") == 25  # every one reaches the UI, which collapses them
    assert SENTINEL_KEY not in child.log


# In-process: the parts that need no process-wide hook to be exercised.


@pytest.fixture
def installed() -> Iterator[list[tuple[str, Path]]]:
    shown: list[tuple[str, Path]] = []
    crash.install(app_paths(), lambda report, path: shown.append((report, path)))
    yield shown
    crash.uninstall()
    logs.shutdown_logging()
    redaction.forget_secrets()


def test_uninstall_puts_the_hooks_back() -> None:
    import threading

    before = (sys.excepthook, threading.excepthook)
    crash.install(app_paths())
    try:
        assert (sys.excepthook, threading.excepthook) != before
    finally:
        crash.uninstall()
        logs.shutdown_logging()
    assert (sys.excepthook, threading.excepthook) == before


def test_report_exception_logs_and_shows_a_caught_error(
    installed: list[tuple[str, Path]],
) -> None:
    redaction.register_secret(SENTINEL_KEY)
    try:
        raise LookupError(f"no history node for {SENTINEL_KEY}")
    except LookupError as error:
        crash.report_exception(error, where="the history view")
    [(report, log_file)] = installed
    assert log_file == app_paths().logs / "imgdesk.log"
    headline, _, traceback_text = report.partition("\n\n")
    assert headline == "LookupError: no history node for [redacted] (in the history view)"
    assert "test_crash.py" in traceback_text
    assert SENTINEL_KEY not in log_file.read_text("utf-8")
    assert "Unexpected error in the history view" in log_file.read_text("utf-8")


def test_asyncio_context_without_an_exception_is_a_warning_not_a_crash(
    installed: list[tuple[str, Path]],
) -> None:
    loop = asyncio.new_event_loop()
    try:
        crash.loop_exception_handler(loop, {"message": "Unclosed client session"})
        crash.loop_exception_handler(
            loop, {"message": "cancelled", "exception": asyncio.CancelledError()}
        )
    finally:
        loop.close()
    assert installed == []
    text = (app_paths().logs / "imgdesk.log").read_text("utf-8")
    assert "WARNING imgdesk.crash: asyncio: Unclosed client session" in text
    assert "Unexpected error" not in text
