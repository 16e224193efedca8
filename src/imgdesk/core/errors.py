"""The one error type the app raises for anything a user can understand or act on.

Callers branch on `kind` (never on message text); `message` is a sentence for a designer, not a
developer; `action` names the one thing the UI can offer to fix it.
"""

from __future__ import annotations

import enum


class ErrorKind(enum.StrEnum):
    IMAGE = "image"  # the photo cannot be read, is too large, or is not a supported format
    MASK = "mask"  # mask missing, empty, or the wrong size
    INVALID_REQUEST = "invalid_request"  # a parameter the model does not accept (see `field`)
    MODEL_UNAVAILABLE = "model_unavailable"  # shut down, retired or unknown to the endpoint
    AUTH = "auth"  # missing or rejected API key
    ORG_UNVERIFIED = "org_unverified"  # the OpenAI organisation must be verified for this model
    MODERATION = "moderation"  # blocked by the safety system
    RATE_LIMIT = "rate_limit"  # too many requests; waiting helps
    QUOTA = "quota"  # out of credit or billing limit reached; waiting does not help
    SERVER = "server"  # the service failed
    NETWORK = "network"  # cannot reach the service
    TIMEOUT = "timeout"  # the service did not answer in time
    STORAGE = "storage"  # disk full, permission denied, unwritable folder
    CONFIG = "config"  # settings, keyring or data folder problems
    CANCELLED = "cancelled"
    INTERNAL = "internal"  # a defect in imgdesk itself; details go to the log


class Action(enum.StrEnum):
    OPEN_SETTINGS = "open_settings"
    SWITCH_MODEL = "switch_model"
    RETRY = "retry"
    BUY_TOKENS = "buy_tokens"


# Kinds where trying the same request again later can succeed.
RETRYABLE_KINDS = frozenset(
    {ErrorKind.RATE_LIMIT, ErrorKind.SERVER, ErrorKind.NETWORK, ErrorKind.TIMEOUT}
)


class ImgdeskError(Exception):
    """An error with a sentence a user understands and, where there is one, what to do next."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        field: str | None = None,
        action: Action | None = None,
        retry_after: float | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.field = field  # the request field at fault, for INVALID_REQUEST
        self.action = action
        self.retry_after = retry_after  # seconds, when the service said how long to wait
        self.detail = detail  # extra technical context for logs (never secrets)

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS

    def __repr__(self) -> str:
        return f"ImgdeskError({self.kind.value!r}, {self.message!r}, field={self.field!r})"
