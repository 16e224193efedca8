"""API keys: from the environment, else the OS keyring. Never from or into any file we write.

When no keyring backend exists (a bare Linux box without Secret Service), storing a key raises a
CONFIG error that says so; the UI then offers a key for this session only. There is no plaintext
fallback, on purpose.
"""

from __future__ import annotations

import logging
import os

import keyring
import keyring.errors
from keyring.backends import fail

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.redaction import register_secret

log = logging.getLogger("imgdesk.secrets")

SERVICE = "imgdesk"
OPENAI = "OPENAI_API_KEY"
STRIPE = "STRIPE_API_KEY"

# Keys typed in for this session only, when the keyring cannot keep them.
_session_keys: dict[str, str] = {}


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def get_secret(name: str) -> str | None:
    """The key from the environment, the session, or the keyring, in that order; None if unset."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if name in _session_keys:
        return _session_keys[name]
    if not keyring_available():
        return None  # a normal state on bare Linux; the settings dialog explains it
    try:
        stored = keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError as error:
        # The backend's own message can be long or cryptic; the type name is enough for a log.
        log.warning("keyring could not be read for %s: %s", name, type(error).__name__)
        return None
    return stored.strip() if stored else None


def secret_source(name: str) -> str | None:
    """Where the key comes from ("environment", "session", "keyring") without revealing it."""
    if os.environ.get(name, "").strip():
        return "environment"
    if name in _session_keys:
        return "session"
    if not keyring_available():
        return None
    try:
        return "keyring" if keyring.get_password(SERVICE, name) else None
    except keyring.errors.KeyringError:
        return None


def store_secret(name: str, value: str) -> None:
    value = value.strip()
    if not value:
        raise ImgdeskError(ErrorKind.CONFIG, "The key is empty.")
    if not keyring_available():
        raise ImgdeskError(
            ErrorKind.CONFIG,
            "No system keyring is available to store the key safely. Use it for this session "
            "only, or set the environment variable " + name + " before starting imgdesk.",
        )
    # Before the keyring call: its own error message might quote the value.
    register_secret(value)
    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as error:
        raise ImgdeskError(
            ErrorKind.CONFIG,
            "The system keyring refused to store the key (" + type(error).__name__ + ").",
        ) from None


def set_session_secret(name: str, value: str) -> None:
    register_secret(value)
    _session_keys[name] = value.strip()


def delete_secret(name: str) -> None:
    _session_keys.pop(name, None)
    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        log.warning("keyring could not delete %s: %s", name, type(error).__name__)


def mask_secret(value: str) -> str:
    """A hint that shows a key is set without showing it: first 3 and last 4 characters.

    Short values get no hint at all, so the hint never gives away more than about a third.
    """
    if len(value) < 20:
        return "•" * 8
    return f"{value[:3]}…{value[-4:]}"
