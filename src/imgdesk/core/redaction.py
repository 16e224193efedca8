"""Removing API keys from text before it reaches a log file, a terminal or a crash report.

Two nets: the exact keys imgdesk knows (read at start-up, or typed in later and registered through
`register_secret`), and patterns for anything that looks like an OpenAI or Stripe key, a bearer
token or an Authorization header, so a key imgdesk never saw (one inside a server's error echo, say)
is caught too. This module imports nothing from imgdesk, so `secrets` and `logs` can both use it.
"""

from __future__ import annotations

import re
import threading

REDACTED = "[redacted]"

# Shorter values are not keys, and replacing them would shred ordinary words in the log.
_MIN_SECRET_LENGTH = 8

_KEY_PATTERNS = (
    # OpenAI: sk-..., sk-proj-..., sk-svcacct-..., sk-admin-...
    re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"),
    # Stripe secret and restricted keys, live or test, and webhook signing secrets.
    re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}"),
    re.compile(r"\bwhsec_[A-Za-z0-9+/=]{8,}"),
)
# Keep the label, hide what follows it: "Authorization: [redacted]", "Bearer [redacted]".
_LABELLED_PATTERNS = (
    re.compile(r"(?i)(\bauthorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n]+"),
    re.compile(r"(?i)(\bapi[_-]?key[\"']?\s*[:=]\s*[\"']?)[^\"'\s,;}]+"),
    re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/\-]+=*"),
)

_lock = threading.Lock()
_known: frozenset[str] = frozenset()


def register_secret(value: str | None) -> None:
    """Remember a key so that every later log line and crash report hides it."""
    global _known
    value = (value or "").strip()
    if len(value) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        _known = _known | {value}


def forget_secrets() -> None:
    """Drop the remembered keys (tests; the patterns stay in force)."""
    global _known
    with _lock:
        _known = frozenset()


def redact(text: str) -> str:
    """`text` with every known key and anything shaped like a key replaced by "[redacted]"."""
    # Longest first, so a key that contains another known key is hidden whole.
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern in _KEY_PATTERNS:
        text = pattern.sub(REDACTED, text)
    for pattern in _LABELLED_PATTERNS:
        text = pattern.sub(r"\g<1>" + REDACTED, text)
    return text
