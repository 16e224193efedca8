"""API keys: from the environment, else the OS keyring. Never from or into any file we write.

When no keyring backend exists (a bare Linux box without Secret Service), storing a key raises a
CONFIG error that says so; the UI then offers a key for this session only. There is no plaintext
fallback, on purpose.

`keyring` is imported on first use, never at import: importing it and resolving its backend
(an entry-point scan and a D-Bus probe) takes about 0.4 s, which start-up must not pay when the
key comes from the environment or is not needed yet. Keys read from the keyring are registered
for redaction as they are read; keys from the environment are registered by `logs` at setup.
"""

from __future__ import annotations

import logging
import os
import threading

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.redaction import register_secret

log = logging.getLogger("imgdesk.secrets")

SERVICE = "imgdesk"
OPENAI = "OPENAI_API_KEY"
STRIPE = "STRIPE_API_KEY"

# Keys typed in for this session only, when the keyring cannot keep them.
_session_keys: dict[str, str] = {}
# keyring resolves its backend without a lock; two threads resolving at once would do it twice.
_resolving = threading.Lock()


def keyring_available() -> bool:
    """Whether a real keyring backend exists (the first call resolves it: about 0.2 s)."""
    with _resolving:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def resolve_keyring_in_background() -> threading.Thread:
    """Start resolving the keyring backend on a worker thread, so the first key lookup (on the
    UI thread, while the window is built) finds it ready instead of waiting for it."""
    thread = threading.Thread(target=keyring_available, name="keyring-resolve", daemon=True)
    thread.start()
    return thread


def environment_secret(name: str) -> str | None:
    """The key from the environment variable `name` (blank counts as unset); never the keyring."""
    return os.environ.get(name, "").strip() or None


def get_secret(name: str) -> str | None:
    """The key from the environment, the session, or the keyring, in that order; None if unset."""
    value = environment_secret(name)
    if value:
        return value
    if name in _session_keys:
        return _session_keys[name]
    stored = _stored_secret(name, warn=True)
    return stored.strip() if stored else None


def secret_source(name: str) -> str | None:
    """Where the key comes from ("environment", "session", "keyring") without revealing it."""
    if environment_secret(name):
        return "environment"
    if name in _session_keys:
        return "session"
    return "keyring" if _stored_secret(name, warn=False) else None


def _stored_secret(name: str, *, warn: bool) -> str | None:
    """The raw value in the keyring, registered for redaction; None when unset or unreadable."""
    if not keyring_available():
        return None  # a normal state on bare Linux; the settings dialog explains it
    import keyring.errors

    try:
        stored = keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError as error:
        if warn:
            # The backend's own message can be long or cryptic; the type name is enough.
            log.warning("keyring could not be read for %s: %s", name, type(error).__name__)
        return None
    # Logs no longer read the keyring at setup, so a stored key is remembered when it is read.
    register_secret(stored)
    return stored


def store_secret(name: str, value: str) -> None:
    value = value.strip()
    if not value:
        raise ImgdeskError(ErrorKind.CONFIG, QT_TRANSLATE_NOOP("errors", "The key is empty."))
    if not keyring_available():
        raise ImgdeskError.make(
            ErrorKind.CONFIG,
            QT_TRANSLATE_NOOP(
                "errors",
                "No system keyring is available to store the key safely. Use it for this "
                "session only, or set the environment variable {name} before starting imgdesk.",
            ),
            name=name,
        )
    # Before the keyring call: its own error message might quote the value.
    register_secret(value)
    import keyring.errors

    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as error:
        raise ImgdeskError.make(
            ErrorKind.CONFIG,
            QT_TRANSLATE_NOOP("errors", "The system keyring refused to store the key ({reason})."),
            reason=type(error).__name__,
        ) from None


def set_session_secret(name: str, value: str) -> None:
    register_secret(value)
    _session_keys[name] = value.strip()


def delete_secret(name: str) -> None:
    _session_keys.pop(name, None)
    if not keyring_available():  # also waits for a resolve already under way on another thread
        return
    import keyring.errors

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
