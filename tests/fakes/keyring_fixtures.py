"""A real OS keyring for tests: a private D-Bus session bus with gnome-keyring's Secret Service.

Nothing here imitates a keyring. `os_keyring` starts `dbus-daemon` and `gnome-keyring-daemon`
(with a throwaway password and a temporary home) and points the `keyring` library's SecretService
backend at them, so keys really travel over D-Bus and are stored encrypted on disk by the daemon.
`no_keyring` selects keyring's own `fail` backend: what a machine without any keyring reports.

Needs the Debian packages `gnome-keyring` and `dbus` (for `dbus-daemon`); without them the tests
skip, or fail when IMGDESK_REQUIRE_SYSTEM_TESTS=1 (CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail

from system_deps import require_program

STARTUP_TIMEOUT_S = 15.0
THROWAWAY_PASSWORD = b"imgdesk-test-keyring"

# A session bus that only we use: no service activation, so nothing else gets started on it.
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass(frozen=True)
class OsKeyring:
    bus_address: str  # DBUS_SESSION_BUS_ADDRESS of the private bus
    keyrings_dir: Path  # where gnome-keyring keeps its encrypted files
    env: dict[str, str]  # environment for a subprocess that should use the same keyring


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_for_secret_service(address: str, daemon: subprocess.Popen[bytes], log: Path) -> None:
    # secretstorage reads the bus address from the environment of this process.
    import secretstorage

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            break
        with secretstorage.dbus_init() as connection:
            if secretstorage.check_service_availability(connection):
                return
        time.sleep(0.05)
    _stop(daemon)
    output = log.read_text("utf-8", errors="replace")
    pytest.fail(f"gnome-keyring-daemon did not offer the Secret Service on {address}: {output}")


@pytest.fixture
def os_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[OsKeyring]:
    """The Secret Service (gnome-keyring over a private D-Bus), selected as keyring's backend."""
    # Skips without the programs (fails instead with IMGDESK_REQUIRE_SYSTEM_TESTS=1, as in CI).
    dbus_daemon = require_program("dbus-daemon", "dbus")
    keyring_daemon = require_program("gnome-keyring-daemon", "gnome-keyring")
    # Socket paths are limited to about 100 bytes, so keep the folder short, under /tmp.
    root = Path(tempfile.mkdtemp(prefix="imgdesk-keyring-"))
    home, data, runtime, socket_dir = (root / n for n in ("home", "data", "run", "bus"))
    for folder in (home, data, runtime, socket_dir):
        folder.mkdir(mode=0o700)
    config = root / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket_dir=socket_dir), "utf-8")

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL", "SSH_AUTH_SOCK"}
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(data),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),
    )
    bus = subprocess.Popen(
        [dbus_daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # it complains about fd limits it may not raise; harmless
        env=env,
    )
    daemon: subprocess.Popen[bytes] | None = None
    log = root / "gnome-keyring.log"
    previous: KeyringBackend = keyring.get_keyring()
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        if not address:
            pytest.fail("dbus-daemon exited without printing a bus address")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        with log.open("wb") as log_file:
            daemon = subprocess.Popen(
                [keyring_daemon, "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                # A file, not a pipe: read only if start-up fails, and a pipe could fill up.
                stderr=log_file,
                env=env,
            )
        assert daemon.stdin is not None
        # --unlock reads the password for the login keyring from stdin until end of file.
        daemon.stdin.write(THROWAWAY_PASSWORD)
        daemon.stdin.close()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        _wait_for_secret_service(address, daemon, log)
        keyring.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]
        yield OsKeyring(address, data / "keyrings", dict(env))
    finally:
        keyring.set_keyring(previous)
        if daemon is not None:
            _stop(daemon)
        _stop(bus)
        if bus.stdout:
            bus.stdout.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's `fail` backend: what the library selects when no keyring exists at all."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(previous)
