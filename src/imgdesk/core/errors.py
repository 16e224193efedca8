"""The one error type the app raises for anything a user can understand or act on.

Callers branch on `kind` (never on message text); `message` is a sentence for a designer, not a
developer; `action` names the one thing the UI can offer to fix it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from imgdesk.core.i18n import translate, translate_format

# lupdate context for every error sentence (see core/i18n.py).
ERRORS_CONTEXT = "errors"


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
        # For errors made with `make()`: the untranslated template and its values, so the UI can
        # show the sentence in the user's language while logs and tests keep the English one.
        self.template: str | None = None
        self.values: dict[str, Any] = {}

    @classmethod
    def make(
        cls,
        kind: ErrorKind,
        template: str,
        *,
        field: str | None = None,
        action: Action | None = None,
        retry_after: float | None = None,
        detail: str | None = None,
        values: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> ImgdeskError:
        """An error whose sentence is a translatable `template` filled with `values`.

        `template` must be marked with QT_TRANSLATE_NOOP("errors", ...) at the call site so
        lupdate collects it; `.message` is the English sentence, `.localized()` the translated one.
        The placeholders' values come as keywords, or as `values` when a branch picked them.
        """
        values = {**(values or {}), **kwargs}
        error = cls(
            kind,
            template.format(**values),
            field=field,
            action=action,
            retry_after=retry_after,
            detail=detail,
        )
        error.template = template
        error.values = values
        return error

    def localized(self) -> str:
        """The sentence in the user's language (English when no translation is installed)."""
        if self.template is None:  # a fixed sentence, marked QT_TRANSLATE_NOOP("errors", ...)
            return translate(ERRORS_CONTEXT, self.message)
        try:
            return translate_format(ERRORS_CONTEXT, self.template, **self.values)
        except (KeyError, IndexError, ValueError):  # a broken translation must not hide the error
            return self.message

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS

    def __repr__(self) -> str:
        return f"ImgdeskError({self.kind.value!r}, {self.message!r}, field={self.field!r})"
