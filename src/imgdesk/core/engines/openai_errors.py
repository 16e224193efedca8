"""Turn whatever the `openai` library raised into one ImgdeskError a person can act on.

The kind is decided by the exception class and the error body's `code`, `type` and `param`. The
single exception is organisation verification: the API answers it with a bare 403 whose only
distinguishing mark is its message, so that one shape is recognised by a narrow pattern.

Nothing that leaves this module may carry the API key: every server text is scrubbed of the key
itself, of `Bearer …` credentials and of anything shaped like an OpenAI key (`sk-…`), because an
error body can quote the request (a proxy echoing the Authorization header, or the API's own
"Incorrect API key provided: sk-…" hint).
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import httpx2
import openai

from imgdesk.core.catalog import load_catalog
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

_KEY_SHAPE = re.compile(r"\b(?:sk|sess|rk)-[A-Za-z0-9_*\-.]{3,}")
_BEARER = re.compile(r"(?i)\bbearer\s+[^\s'\"]+")
_ORG_VERIFICATION_CODES = frozenset(
    {"organization_not_verified", "organization_verification_required", "unverified_organization"}
)
_ORG_VERIFICATION_SHAPE = re.compile(r"(?i)organi[sz]ation must be verified")
_MODEL_GONE_CODES = frozenset(
    {
        "model_not_found",
        "model_shut_down",
        "model_deprecated",
        "model_retired",
        "model_not_available",
    }
)
_QUOTA_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached", "billing_not_active"})
_MASK_CODES = frozenset({"invalid_mask_image_format", "invalid_mask"})
_MAX_SERVER_TEXT = 300


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without any of `secrets`, bearer credentials or key-shaped tokens."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[key]")
            # Servers often quote a key partly masked: its first and last characters.
            if len(secret) > 12:
                text = text.replace(secret[-8:], "[key]")
    text = _BEARER.sub("Bearer [key]", text)
    return _KEY_SHAPE.sub("[key]", text)


def _body(exc: openai.APIError) -> Mapping[str, Any]:
    body = exc.body
    return body if isinstance(body, Mapping) else {}


def _server_text(exc: BaseException, secrets: Iterable[str]) -> str:
    message = ""
    if isinstance(exc, openai.APIError):
        raw = _body(exc).get("message")
        message = raw if isinstance(raw, str) and raw else exc.message
    text = scrub(message or str(exc), secrets).strip()
    if len(text) > _MAX_SERVER_TEXT:
        text = text[: _MAX_SERVER_TEXT - 1] + "…"
    # The server's text ends our sentence, so it must end like one.
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _detail(exc: BaseException, secrets: Iterable[str]) -> str:
    parts = [type(exc).__name__]
    if isinstance(exc, openai.APIStatusError):
        parts.append(f"status={exc.status_code}")
    if isinstance(exc, openai.APIError):
        parts += [
            f"{name}={value}" for name in ("code", "type", "param") if (value := getattr(exc, name))
        ]
        request_id = _request_id(exc)
        if request_id:
            parts.append(f"request_id={request_id}")
    return scrub(" ".join(parts) + ": " + _server_text(exc, secrets), secrets)


def _request_id(exc: openai.APIError) -> str | None:
    if isinstance(exc, openai.APIStatusError):
        return exc.request_id
    return None


def retry_after_seconds(headers: httpx2.Headers) -> float | None:
    """How long the service asked us to wait, from retry-after-ms or retry-after."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            parsed = email.utils.parsedate_tz(value) if name == "retry-after" else None
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - time.time()
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def _model_gone(model: str | None, detail: str) -> ImgdeskError:
    catalog = load_catalog()
    info = catalog.models.get(model or "")
    label = info.label if info else (model or "This model")
    replacement_id = (info.replacement if info else None) or catalog.default_model
    replacement = catalog.models.get(replacement_id)
    replacement_label = replacement.label if replacement else replacement_id
    if replacement_id == model:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors", "{label} is not available to this account. Pick another model."
            ),
            {"label": label},
        )
    else:
        message, values = (
            QT_TRANSLATE_NOOP(
                "errors",
                "{label} is no longer available from OpenAI. Switch to {replacement_label}.",
            ),
            {"label": label, "replacement_label": replacement_label},
        )
    return ImgdeskError.make(
        ErrorKind.MODEL_UNAVAILABLE,
        message,
        field="model",
        action=Action.SWITCH_MODEL,
        detail=detail,
        values=values,
    )


def _org_unverified(model: str | None, detail: str) -> ImgdeskError:
    return ImgdeskError.make(
        ErrorKind.ORG_UNVERIFIED,
        QT_TRANSLATE_NOOP(
            "errors",
            "OpenAI only lets verified organisations use “{model}”. Verify your organisation at "
            "platform.openai.com (Settings → Organization → General), wait about 15 minutes and "
            "try again — or pick another model.",
        )
        if model
        else QT_TRANSLATE_NOOP(
            "errors",
            "OpenAI only lets verified organisations use this model. Verify your organisation at "
            "platform.openai.com (Settings → Organization → General), wait about 15 minutes and "
            "try again — or pick another model.",
        ),
        field="model",
        action=Action.SWITCH_MODEL,
        detail=detail,
        model=model,
    )


def _moderation(body: Mapping[str, Any], detail: str) -> ImgdeskError:
    details = body.get("moderation_details")
    stage = details.get("moderation_stage") if isinstance(details, Mapping) else None
    if stage == "output":
        message = QT_TRANSLATE_NOOP(
            "errors",
            "OpenAI's safety system blocked the result of this edit. "
            "Try a different prompt or mask.",
        )
    else:
        message = QT_TRANSLATE_NOOP(
            "errors",
            "OpenAI's safety system refused this request (the prompt or the photo). "
            "Rephrase the prompt or use a different photo.",
        )
    return ImgdeskError(ErrorKind.MODERATION, message, detail=f"stage={stage}; {detail}")


def _by_code(
    exc: openai.APIError, model: str | None, secrets: Iterable[str], detail: str
) -> ImgdeskError | None:
    """Errors recognised by their body's code alone, whatever the status."""
    code = exc.code or ""
    if code == "moderation_blocked":
        return _moderation(_body(exc), detail)
    if code in _QUOTA_CODES or exc.type == "insufficient_quota":
        return ImgdeskError(
            ErrorKind.QUOTA,
            QT_TRANSLATE_NOOP(
                "errors",
                "Your OpenAI account is out of credit or has reached its spending limit. Add "
                "credit or raise the limit at platform.openai.com; retrying will not help until "
                "then.",
            ),
            detail=detail,
        )
    if code in _MASK_CODES:
        return ImgdeskError.make(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP("errors", "OpenAI could not use the mask: {exc}"),
            field="mask",
            detail=detail,
            exc=_server_text(exc, secrets),
        )
    if code in _MODEL_GONE_CODES:
        return _model_gone(model, detail)
    if code in _ORG_VERIFICATION_CODES:
        return _org_unverified(model, detail)
    return None


def _from_status(
    exc: openai.APIStatusError, model: str | None, secrets: Iterable[str], detail: str
) -> ImgdeskError:
    status = exc.status_code
    if status == 401:
        return ImgdeskError(
            ErrorKind.AUTH,
            QT_TRANSLATE_NOOP("errors", "OpenAI did not accept the API key. Check it in Settings."),
            action=Action.OPEN_SETTINGS,
            detail=detail,
        )
    if status == 403:
        if _ORG_VERIFICATION_SHAPE.search(_server_text(exc, secrets)):
            return _org_unverified(model, detail)
        return ImgdeskError(
            ErrorKind.AUTH,
            QT_TRANSLATE_NOOP(
                "errors",
                "This API key is not allowed to make this edit. Check the key's permissions and "
                "project in Settings, or pick another model.",
            ),
            action=Action.OPEN_SETTINGS,
            detail=detail,
        )
    if status == 404:
        return _model_gone(model, detail)
    if status == 429:
        retry_after = retry_after_seconds(exc.response.headers)
        sentence = (
            QT_TRANSLATE_NOOP(
                "errors",
                "OpenAI is getting too many requests from this key. Wait {seconds} seconds and "
                "try again.",
            )
            if retry_after
            else QT_TRANSLATE_NOOP(
                "errors",
                "OpenAI is getting too many requests from this key. Wait a moment and try again.",
            )
        )
        return ImgdeskError.make(
            ErrorKind.RATE_LIMIT,
            sentence,
            action=Action.RETRY,
            retry_after=retry_after,
            detail=detail,
            seconds=math.ceil(retry_after or 0),
        )
    if status >= 500:
        return _server_failed(detail, status)
    if status == 400 and exc.param == "model":
        return _model_gone(model, detail)
    if exc.param:
        return ImgdeskError.make(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "OpenAI refused the setting “{param}”: {exc}"),
            field=exc.param,
            detail=detail,
            param=exc.param,
            exc=_server_text(exc, secrets),
        )
    return ImgdeskError.make(
        ErrorKind.INVALID_REQUEST,
        QT_TRANSLATE_NOOP("errors", "OpenAI refused the request: {exc}"),
        detail=detail,
        exc=_server_text(exc, secrets),
    )


def _server_failed(detail: str, status: int | None = None) -> ImgdeskError:
    return ImgdeskError.make(
        ErrorKind.SERVER,
        QT_TRANSLATE_NOOP(
            "errors",
            "OpenAI had a problem making this edit (error {status}). The edit can be retried.",
        )
        if status
        else QT_TRANSLATE_NOOP(
            "errors", "OpenAI had a problem making this edit. The edit can be retried."
        ),
        action=Action.RETRY,
        detail=detail,
        status=status,
    )


def error_from_openai(
    exc: BaseException, *, model: str | None = None, secrets: Iterable[str] = ()
) -> ImgdeskError:
    """The ImgdeskError for `exc`; `secrets` are strings that must never appear in it."""
    secrets = tuple(s for s in secrets if s)
    if isinstance(exc, ImgdeskError):
        exc.message = scrub(exc.message, secrets)
        exc.args = (exc.message,)
        # The translated sentence is built from the values, so they are scrubbed the same way.
        exc.values = {
            key: scrub(value, secrets) if isinstance(value, str) else value
            for key, value in exc.values.items()
        }
        exc.detail = scrub(exc.detail, secrets) if exc.detail else exc.detail
        return exc
    detail = _detail(exc, secrets)
    if isinstance(exc, openai.APITimeoutError):
        return ImgdeskError(
            ErrorKind.TIMEOUT,
            QT_TRANSLATE_NOOP("errors", "OpenAI did not answer in time. The edit can be retried."),
            action=Action.RETRY,
            detail=detail,
        )
    if isinstance(exc, openai.APIConnectionError):
        host = exc.request.url.host or "the OpenAI service"
        return ImgdeskError.make(
            ErrorKind.NETWORK,
            QT_TRANSLATE_NOOP(
                "errors",
                "imgdesk cannot reach {host}. Check the connection; the edit can be retried.",
            ),
            action=Action.RETRY,
            detail=detail,
            host=host,
        )
    if isinstance(exc, openai.APIError):
        known = _by_code(exc, model, secrets, detail)
        if known is not None:
            return known
        if isinstance(exc, openai.APIStatusError):
            return _from_status(exc, model, secrets, detail)
        # A plain APIError is an error event inside a stream: the service failed mid-answer.
        return _server_failed(detail)
    return _server_failed(detail)
