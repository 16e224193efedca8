"""API keys go to the OS keyring (gnome-keyring's Secret Service here), never into our files."""

from __future__ import annotations

import string
import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakes.keyring_fixtures import OsKeyring
from imgdesk.core import secrets
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.paths import app_paths
from imgdesk.core.secrets import (
    OPENAI,
    SERVICE,
    STRIPE,
    delete_secret,
    get_secret,
    keyring_available,
    mask_secret,
    secret_source,
    set_session_secret,
    store_secret,
)
from imgdesk.core.settings import Settings

KEY = "sk-" + "proj-Zq8vL2mN4pR6tX0yB3dF5hJ7kW9sC1eG"
OTHER_KEY = "sk-" + "proj-from-the-environment-0123456789"

READ_FROM_ANOTHER_PROCESS = (
    "import sys; from keyring.backends import SecretService; "
    "print(SecretService.Keyring().get_password(sys.argv[1], sys.argv[2]))"
)


@pytest.fixture(autouse=True)
def _no_session_keys() -> Iterator[None]:
    secrets._session_keys.clear()
    yield
    secrets._session_keys.clear()


def read_in_another_process(os_keyring: OsKeyring, name: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", READ_FROM_ANOTHER_PROCESS, SERVICE, name],
        env=os_keyring.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_store_get_delete_round_trip_through_the_daemon(os_keyring: OsKeyring) -> None:
    assert keyring_available()
    assert get_secret(OPENAI) is None
    assert secret_source(OPENAI) is None

    store_secret(OPENAI, f"  {KEY}\n")
    assert get_secret(OPENAI) == KEY
    assert secret_source(OPENAI) == "keyring"
    assert get_secret(STRIPE) is None
    # Another process on the same session bus sees it: the key lives in the daemon, not in us.
    assert read_in_another_process(os_keyring, OPENAI) == KEY

    delete_secret(OPENAI)
    assert get_secret(OPENAI) is None
    assert read_in_another_process(os_keyring, OPENAI) == "None"
    delete_secret(OPENAI)  # deleting what is not there is not an error


def test_the_daemon_keeps_the_key_encrypted_on_disk(os_keyring: OsKeyring) -> None:
    store_secret(OPENAI, KEY)
    files = [path for path in os_keyring.keyrings_dir.rglob("*") if path.is_file()]
    assert files, "gnome-keyring wrote no keyring file"
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


def test_environment_beats_keyring(os_keyring: OsKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    store_secret(OPENAI, KEY)
    monkeypatch.setenv(OPENAI, OTHER_KEY)
    assert get_secret(OPENAI) == OTHER_KEY
    assert secret_source(OPENAI) == "environment"

    monkeypatch.setenv(OPENAI, "   ")  # blank counts as unset
    assert get_secret(OPENAI) == KEY
    monkeypatch.delenv(OPENAI)
    assert get_secret(OPENAI) == KEY


def test_session_key_beats_keyring_and_is_forgotten_on_delete(os_keyring: OsKeyring) -> None:
    store_secret(OPENAI, KEY)
    set_session_secret(OPENAI, OTHER_KEY)
    assert get_secret(OPENAI) == OTHER_KEY
    assert secret_source(OPENAI) == "session"
    delete_secret(OPENAI)
    assert get_secret(OPENAI) is None


def test_empty_key_is_refused(os_keyring: OsKeyring) -> None:
    with pytest.raises(ImgdeskError) as raised:
        store_secret(OPENAI, "  ")
    assert raised.value.kind is ErrorKind.CONFIG
    assert get_secret(OPENAI) is None


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_storing_offers_a_session_key() -> None:
    assert not keyring_available()
    with pytest.raises(ImgdeskError) as raised:
        store_secret(OPENAI, KEY)
    assert raised.value.kind is ErrorKind.CONFIG
    assert "this session only" in raised.value.message
    assert OPENAI in raised.value.message
    assert KEY not in raised.value.message
    assert get_secret(OPENAI) is None
    assert secret_source(OPENAI) is None

    set_session_secret(OPENAI, KEY)
    assert get_secret(OPENAI) == KEY
    assert secret_source(OPENAI) == "session"


def test_key_never_reaches_the_settings_file(
    os_keyring: OsKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_secret(OPENAI, KEY)
    monkeypatch.setenv(STRIPE, OTHER_KEY)
    path = app_paths().ensure().settings_file
    settings = Settings.load(path)
    settings.model = "gpt-image-1.5"
    settings.save(path)

    text = path.read_text("utf-8")
    assert "gpt-image-1.5" in text  # the file was written
    assert KEY not in text
    assert OTHER_KEY not in text
    assert "sk-" not in text
    assert get_secret(OPENAI) == KEY


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=200))
def test_mask_never_shows_the_whole_key(key: str) -> None:
    masked = mask_secret(key)
    assert key not in masked
    shown = [c for c in masked if c not in "•…"]
    assert len(shown) <= 0.35 * len(key)


def test_mask_shows_a_recognisable_hint_for_real_keys() -> None:
    assert mask_secret(KEY) == "sk-…C1eG"
    assert mask_secret("short-key") == "•" * 8
