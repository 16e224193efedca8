"""The log file: where it is, one handler however often it is set up, and no key ever in it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from imgdesk.core import logs, redaction, secrets
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.paths import AppPaths, app_paths

# Shaped like no known key format on purpose: only the "keys imgdesk knows" net can catch these.
OPENAI_SENTINEL = "openai-sentinel-7Hq2Lw9Zx4Kd"
STRIPE_SENTINEL = "stripe-sentinel-3Rt8Vn1Bm6Pc"
TYPED_SENTINEL = "typed-in-sentinel-5Gy0Ja2Qe8Ws"


@pytest.fixture(autouse=True)
def _fresh_logging() -> Iterator[None]:
    yield
    logs.shutdown_logging()
    redaction.forget_secrets()
    secrets._session_keys.clear()


@pytest.fixture
def paths() -> AppPaths:
    return app_paths()


def file_bytes(log_file: Path) -> bytes:
    for handler in logging.getLogger("imgdesk").handlers:
        handler.flush()
    return b"".join(p.read_bytes() for p in sorted(log_file.parent.glob(log_file.name + "*")))


def area_lines(log_file: Path, *areas: str) -> list[str]:
    lines = file_bytes(log_file).decode("utf-8").splitlines()
    return [line for line in lines if any(f" {area}: " in line for area in areas)]


def test_lines_from_every_area_reach_the_file_in_the_log_folder(paths: AppPaths) -> None:
    log_file = logs.setup_logging(paths)
    assert log_file == paths.logs / "imgdesk.log"
    logs.logger("engine").info("edit %s finished in %d ms", "a1b2", 812)
    logging.getLogger("imgdesk.store").warning("database is busy")
    logging.getLogger("imgdesk.store").debug("below the level")
    lines = area_lines(log_file, "imgdesk.engine", "imgdesk.store")
    assert len(lines) == 2
    assert lines[0].endswith("INFO    imgdesk.engine: edit a1b2 finished in 812 ms")
    assert lines[1].endswith("WARNING imgdesk.store: database is busy")
    assert lines[0][:4].isdigit()  # starts with the date


def test_setting_up_twice_writes_each_line_once(paths: AppPaths, tmp_path: Path) -> None:
    logs.setup_logging(paths)
    log_file = logs.setup_logging(paths, level=logging.DEBUG)
    logs.logger("ui").debug("only once")
    assert file_bytes(log_file).count(b"only once") == 1
    ours = [h for h in logging.getLogger("imgdesk").handlers if isinstance(h, logging.FileHandler)]
    assert len(ours) == 1

    # A new folder moves the log; the old file gets nothing more.
    moved = logs.setup_logging(app_paths(tmp_path / "elsewhere"))
    logs.logger("ui").info("after the move")
    assert logs.active_log_file() == moved
    assert b"after the move" in file_bytes(moved)
    assert b"after the move" not in log_file.read_bytes()


def test_configured_keys_never_reach_the_file(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(secrets.OPENAI, OPENAI_SENTINEL)
    monkeypatch.setenv(secrets.STRIPE, STRIPE_SENTINEL)
    log_file = logs.setup_logging(paths)
    log = logs.logger("engine")
    log.info("sending with key %s to %s", OPENAI_SENTINEL, "api.openai.com")
    log.info(f"stripe key is {STRIPE_SENTINEL} in an f-string")
    log.info("args as a mapping: %(key)s", {"key": STRIPE_SENTINEL})
    try:
        raise RuntimeError(f"server echoed Authorization for {OPENAI_SENTINEL}")
    except RuntimeError:
        log.exception("request failed")
    log.info("where am I", stack_info=True)

    data = file_bytes(log_file)
    assert OPENAI_SENTINEL.encode() not in data
    assert STRIPE_SENTINEL.encode() not in data
    text = data.decode("utf-8")
    # The redacted lines are still there, with everything but the key.
    assert "sending with key [redacted] to api.openai.com" in text
    assert "stripe key is [redacted] in an f-string" in text
    assert "args as a mapping: [redacted]" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: server echoed Authorization for [redacted]" in text
    assert "Stack (most recent call last)" in text


def test_a_key_typed_in_later_is_redacted_from_then_on(paths: AppPaths) -> None:
    log_file = logs.setup_logging(paths)
    secrets.set_session_secret(secrets.OPENAI, TYPED_SENTINEL)
    logs.logger("settings").info("user typed %r", TYPED_SENTINEL)
    data = file_bytes(log_file)
    assert TYPED_SENTINEL.encode() not in data
    assert b"user typed '[redacted]'" in data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-" + "proj-Zq8vL2mN4pR6tX0yB3dF5hJ7kW9sC1eG ok", "key [redacted] ok"),
        ("key sk-" + "Zq8vL2mN4pR6tX0yB3dF5hJ7 ok", "key [redacted] ok"),
        ("stripe sk_" + "live_51HxYzAbCdEfGhIj ok", "stripe [redacted] ok"),
        ("stripe sk_test_51HxYzAbCdEfGhIj ok", "stripe [redacted] ok"),
        ("restricted rk_" + "live_51HxYzAbCdEf ok", "restricted [redacted] ok"),
        ("restricted rk_test_51HxYzAbCdEf ok", "restricted [redacted] ok"),
        ("webhook whsec_AbCdEfGh12345678 ok", "webhook [redacted] ok"),
        ("header Bearer eyJhbGciOi.JIUzI1Ni-J9_x", "header Bearer [redacted]"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: [redacted]"),
        (
            "{'authorization': 'Bearer abc.def', 'x-trace': '7'}",
            "{'authorization': '[redacted]', 'x-trace': '7'}",
        ),
        ("api_key='hunter2hunter2'", "api_key='[redacted]'"),
        # Ordinary text that only resembles the patterns stays as it is.
        ("the desk-lamp task-runner sk- prefix", "the desk-lamp task-runner sk- prefix"),
        ("OPENAI_API_KEY is not set", "OPENAI_API_KEY is not set"),
    ],
)
def test_key_shaped_text_is_redacted(text: str, expected: str) -> None:
    assert redaction.redact(text) == expected


def test_key_shaped_text_in_an_exception_is_redacted_in_the_file(paths: AppPaths) -> None:
    key = "sk-" + "proj-Sentinel0123456789abcdefXYZ"
    log_file = logs.setup_logging(paths)
    try:
        raise ValueError(f"Incorrect API key provided: {key}")
    except ValueError as error:
        logs.logger("engine").error("edit failed: %s", error, exc_info=True)
    data = file_bytes(log_file)
    assert key.encode() not in data
    assert data.count(b"Incorrect API key provided: [redacted]") == 2  # message and traceback


def test_other_handlers_see_the_redacted_record(
    paths: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    logs.setup_logging(paths)
    redaction.register_secret(TYPED_SENTINEL)
    with caplog.at_level(logging.INFO, logger="imgdesk"):
        logs.logger("engine").info("key %s", TYPED_SENTINEL)
    engine = [r.getMessage() for r in caplog.records if r.name == "imgdesk.engine"]
    assert engine == ["key [redacted]"]


def test_console_output_is_redacted_too(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.setup_logging(paths, console=True)
    redaction.register_secret(TYPED_SENTINEL)
    logs.logger("cli").warning("key %s", TYPED_SENTINEL)
    err = capsys.readouterr().err
    assert "imgdesk.cli: key [redacted]" in err
    assert TYPED_SENTINEL not in err


def test_arguments_that_do_not_fit_the_format_keep_the_line(paths: AppPaths) -> None:
    log_file = logs.setup_logging(paths)
    logs.logger("engine").info("%d images for %s", "three", TYPED_SENTINEL)
    redaction.register_secret(TYPED_SENTINEL)
    logs.logger("engine").info("%d images for %s", "three", TYPED_SENTINEL)
    lines = area_lines(log_file, "imgdesk.engine")
    assert len(lines) == 2
    assert "%d images for %s (arguments: ('three', " in lines[0]
    assert TYPED_SENTINEL not in lines[1]


def test_the_file_rotates_and_backups_stay_redacted(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 4_000)
    log_file = logs.setup_logging(paths)
    redaction.register_secret(TYPED_SENTINEL)
    for index in range(400):
        logs.logger("jobs").info("job %d used %s", index, TYPED_SENTINEL)
    files = sorted(paths.logs.glob("imgdesk.log*"))
    # The current file plus the five backups; the oldest lines are gone.
    assert [f.name for f in files] == ["imgdesk.log"] + [f"imgdesk.log.{i}" for i in range(1, 6)]
    assert all(f.stat().st_size <= 4_000 for f in files)
    data = file_bytes(log_file)
    assert b"job 399 used [redacted]" in data
    assert b"job 0 used" not in data
    assert TYPED_SENTINEL.encode() not in data


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_backend_is_a_normal_state_not_a_warning(paths: AppPaths) -> None:
    # Bare Linux boxes have no Secret Service; the settings dialog explains it, the log stays calm.
    log_file = logs.setup_logging(paths)
    text = file_bytes(log_file).decode()
    assert "WARNING" not in text


def test_an_unwritable_log_folder_is_a_storage_error(paths: AppPaths, tmp_path: Path) -> None:
    working = logs.setup_logging(paths)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    with pytest.raises(ImgdeskError) as caught:
        logs.setup_logging(app_paths(blocker))
    assert caught.value.kind is ErrorKind.STORAGE
    assert str(blocker / "logs") in caught.value.message
    # The log that worked keeps working.
    logs.logger("app").info("still logging")
    assert logs.active_log_file() == working
    assert b"still logging" in file_bytes(working)
