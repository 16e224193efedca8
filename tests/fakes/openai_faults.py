"""The faults the fake OpenAI server can inject, and the error bodies the real API sends for them.

Bodies follow OpenAI's shape, {"error": {"message", "type", "param", "code"}}; where public reports
show the real text, the fake uses the same shape (the organisation-verification 403 comes with no
code at all, for instance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakes.openapi_validation import ApiError

FAULTS = (
    "auth",
    "org_unverified",
    "model_not_found",
    "model_shut_down",
    "moderation_input",
    "moderation_output",
    "invalid_param",
    "invalid_mask",
    "rate_limit",
    "quota",
    "billing",
    "server",
    "drop",
    "slow",
    "garbage",
    "short",  # one image fewer than asked for
    "no_completed",  # a stream that ends without any completed event
    "echo_auth",
)


@dataclass
class Fault:
    name: str
    remaining: int
    opts: dict[str, Any] = field(default_factory=dict)


def answers_with_error(fault: Fault, raw_fields: dict[str, str]) -> bool:
    """Faults that replace the answer with an error body (the rest change a good answer)."""
    if fault.name in ("drop", "slow", "garbage", "short", "no_completed"):
        return False
    # While streaming, output moderation strikes mid-stream, after the partial images.
    return fault.name != "moderation_output" or raw_fields.get("stream") != "true"


def fault_error(fault: Fault, raw_fields: dict[str, str], auth: str) -> ApiError:
    model = raw_fields.get("model", "gpt-image-1.5")
    opts = fault.opts
    name = fault.name
    if name == "auth":
        hint = auth[7:10] + "*" * 8 + auth[-4:] if len(auth) > 20 else "****"
        return ApiError(
            401,
            f"Incorrect API key provided: {hint}. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            None,
            "invalid_api_key",
        )
    if name == "echo_auth":
        return ApiError(400, f"Malformed request header 'Authorization: {auth}'.", None, None)
    if name == "org_unverified":
        # The real API sends no code for this; only the message says what happened.
        return ApiError(
            403,
            f"Your organization must be verified to use the model `{model}`. Please go to: "
            "https://platform.openai.com/settings/organization/general and click on Verify "
            "Organization. If you just verified, it can take up to 15 minutes for access to "
            "propagate.",
            None,
            None,
        )
    if name == "model_not_found":
        return ApiError(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            None,
            "model_not_found",
        )
    if name == "model_shut_down":
        return ApiError(
            int(opts.get("status", 400)),
            "GPT Image 1 was shut down on October 23, 2026. "
            "Use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.",
            "model",
            "model_shut_down",
        )
    if name in ("moderation_input", "moderation_output"):
        return moderation_error(name.removeprefix("moderation_"))
    if name == "invalid_param":
        param = str(opts.get("param", "size"))
        return ApiError(
            400, opts.get("message", f"Invalid value for '{param}'."), param, "invalid_value"
        )
    if name == "invalid_mask":
        return ApiError(
            400,
            "Invalid mask image format - mask size does not match image size",
            "mask",
            "invalid_mask_image_format",
        )
    if name == "rate_limit":
        retry_ms = int(opts.get("retry_after_ms", 1500))
        error = ApiError(
            429,
            "Rate limit reached for images per minute. Please try again later.",
            None,
            "rate_limit_exceeded",
            "requests",
        )
        error.headers["retry-after-ms"] = str(retry_ms)
        error.headers["retry-after"] = str(max(1, round(retry_ms / 1000)))
        return error
    if name == "quota":
        return ApiError(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            None,
            "insufficient_quota",
            "insufficient_quota",
        )
    if name == "billing":
        return ApiError(
            400, "Billing hard limit has been reached.", None, "billing_hard_limit_reached"
        )
    assert name == "server", name
    return ApiError(
        int(opts.get("status", 500)),
        "The server had an error while processing your request. Sorry about that!",
        None,
        None,
        "server_error",
    )


def moderation_error(stage: str) -> ApiError:
    return ApiError(
        400,
        "Your request was rejected by the safety system. If you believe this is an error, "
        "contact us at help.openai.com and include the request ID.",
        None,
        "moderation_blocked",
        "image_generation_user_error",
        {"moderation_details": {"moderation_stage": stage}},
    )
