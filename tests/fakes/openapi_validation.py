"""Checks a multipart `/v1/images/edits` request the way the real API would.

Two layers: the non-file fields are validated against `CreateImageEditRequest` from the OpenAPI
description in shared/specs (so the fake agrees with the published contract), and the rules the spec
cannot express (file types, mask shape, sizes per model) are hard-coded here on purpose: the fake
must not borrow imgdesk's own catalog, or a wrong catalog would agree with itself.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from email.message import Message
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from PIL import Image

SPEC_PATH = Path(__file__).resolve().parents[3] / "shared" / "specs" / "openai-openapi.yaml"

MAX_IMAGES = 16
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
MAX_PROMPT_CHARS = 32_000
IMAGE_MIMES = ("image/png", "image/jpeg", "image/webp")
FILE_FIELDS = ("image", "image[]", "mask", "markup")
# Fields the library sends that the (older) spec does not list yet.
SPEC_LAG_FIELDS = {"safety_identifier": {"type": "string"}, "complexity": {"type": "string"}}
SPEC_LAG_QUALITIES = ("xhigh", "max")

FLEXIBLE_MODEL = re.compile(r"^gpt-image-2(\.[56]-[a-z]+)?(-\d{4}-\d{2}-\d{2})?$")
FIXED_MODELS = ("gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest")
FIXED_SIZES = ("1024x1024", "1536x1024", "1024x1536")
SHUT_DOWN = {
    "gpt-image-1": "GPT Image 1 was shut down on October 23, 2026. "
    "Use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.",
    "dall-e-2": "This model was retired on May 12, 2026. Use a GPT image model instead.",
    "dall-e-3": "This model was retired on May 12, 2026. Use a GPT image model instead.",
}
FLEX_MULTIPLE = 16
FLEX_MAX_EDGE = 3840
FLEX_MAX_PIXELS = 8_294_400
FLEX_MIN_PIXELS = 655_360
DEFAULT_MODEL = "gpt-image-1.5"


@dataclass
class ApiError(Exception):
    """A refusal shaped like OpenAI's error body."""

    status: int
    message: str
    param: str | None = None
    code: str | None = None
    type: str = "invalid_request_error"
    extra: dict[str, Any] = field(default_factory=dict)  # more keys inside "error"
    headers: dict[str, str] = field(default_factory=dict)  # response headers (retry-after…)

    def body(self) -> dict[str, Any]:
        error = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        error.update(self.extra)
        return {"error": error}


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str | None
    mime: str
    data: bytes


@dataclass(frozen=True)
class EditRequest:
    """A request that passed validation, with its fields coerced to their schema types."""

    model: str
    fields: dict[str, Any]
    images: tuple[UploadedFile, ...]
    mask: UploadedFile | None
    size: tuple[int, int]  # the size the answer will have
    first_image: Image.Image


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], list[UploadedFile]]:
    """Split a multipart/form-data body into text fields and uploaded files."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if header.get_content_type() != "multipart/form-data" or not isinstance(boundary, str):
        raise ApiError(
            400, "The request must be multipart/form-data.", None, "invalid_content_type"
        )
    fields: dict[str, str] = {}
    files: list[UploadedFile] = []
    sections = (b"\r\n" + body).split(b"\r\n--" + boundary.encode("latin-1"))
    if len(sections) < 2 or not sections[-1].startswith(b"--"):
        raise ApiError(400, "The multipart body is incomplete.", None, "invalid_body")
    for section in sections[1:-1]:
        head, separator, data = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise ApiError(400, "A multipart part has no headers.", None, "invalid_body")
        part = Message()
        for line in head.decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            part[name.strip()] = value.strip()
        field_name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        if not isinstance(field_name, str):
            raise ApiError(400, "A multipart part has no name.", None, "invalid_body")
        if filename is None and field_name not in FILE_FIELDS:
            fields[field_name] = data.decode("utf-8")
        else:
            mime = part.get("content-type", "application/octet-stream").split(";")[0].strip()
            files.append(UploadedFile(field_name, filename, mime, data))
    return fields, files


@cache
def _spec() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_PATH.open("rb") as handle:
        return dict(yaml.load(handle, Loader=loader))


def _resolve(node: Any, schemas: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return _resolve(schemas[ref.rsplit("/", 1)[1]], schemas)
        return {key: _resolve(value, schemas) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, schemas) for item in node]
    return node


@cache
def field_schema() -> dict[str, Any]:
    """CreateImageEditRequest without its file parts, $refs inlined, as a JSON schema."""
    schemas = _spec()["components"]["schemas"]
    request = _resolve(schemas["CreateImageEditRequest"], schemas)
    properties = {
        name: prop for name, prop in request["properties"].items() if not _is_file_schema(prop)
    }
    properties.update(SPEC_LAG_FIELDS)
    quality = dict(properties["quality"])
    quality["enum"] = [*quality["enum"], *SPEC_LAG_QUALITIES]
    properties["quality"] = quality
    required = [name for name in request.get("required", ()) if name in properties]
    return {"type": "object", "properties": properties, "required": required}


def _is_file_schema(prop: dict[str, Any]) -> bool:
    if prop.get("format") == "binary":
        return True
    return any(_is_file_schema(option) for option in prop.get("anyOf", ()))


def _types_of(prop: dict[str, Any]) -> set[str]:
    types = {prop["type"]} if isinstance(prop.get("type"), str) else set()
    for option in prop.get("anyOf", ()):
        types |= _types_of(option)
    return types


def coerce_fields(raw: dict[str, str]) -> dict[str, Any]:
    """Multipart sends every field as text; turn each into its schema type where it parses."""
    properties = field_schema()["properties"]
    coerced: dict[str, Any] = {}
    for name, text in raw.items():
        types = _types_of(properties.get(name, {}))
        value: Any = text
        if "integer" in types and re.fullmatch(r"-?\d+", text.strip()):
            value = int(text)
        elif "boolean" in types and text.strip().lower() in ("true", "false"):
            value = text.strip().lower() == "true"
        coerced[name] = value
    return coerced


def check_fields(raw: dict[str, str]) -> dict[str, Any]:
    """Coerce and validate the non-file fields; raise ApiError naming the first bad one."""
    schema = field_schema()
    for name in raw:
        if name not in schema["properties"]:
            raise ApiError(400, f"Unknown parameter: '{name}'.", name, "unknown_parameter")
    fields = coerce_fields(raw)
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(fields), key=lambda e: list(e.path)):
        if error.validator == "required":
            missing = str(error.message).split("'")[1]
            raise ApiError(
                400,
                f"Missing required parameter: '{missing}'.",
                missing,
                "missing_required_parameter",
            )
        param = str(error.path[0]) if error.path else None
        raise ApiError(
            400,
            f"Invalid value for '{param}': {error.message}.",
            param,
            "invalid_value",
        )
    return fields


def _magic_mime(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _check_image(upload: UploadedFile) -> Image.Image:
    supported = ", ".join(f"'{mime}'" for mime in IMAGE_MIMES)
    if upload.mime not in IMAGE_MIMES:
        raise ApiError(
            400,
            f"Invalid file '{upload.field}': unsupported mimetype ('{upload.mime}'). "
            f"Supported file formats are {supported}.",
            "image",
            "unsupported_file_mimetype",
        )
    if len(upload.data) >= MAX_IMAGE_BYTES:
        raise ApiError(400, "Each image must be smaller than 50 MB.", "image", "image_too_large")
    if _magic_mime(upload.data) != upload.mime:
        raise ApiError(
            400,
            f"Invalid image file: the content of '{upload.filename}' is not {upload.mime}.",
            "image",
            "invalid_image_format",
        )
    try:
        image = Image.open(io.BytesIO(upload.data))
        image.load()
    except Exception:
        raise ApiError(400, "The image could not be decoded.", "image", "invalid_image") from None
    return image


def _check_mask(mask: UploadedFile, first: Image.Image) -> None:
    def bad(message: str) -> ApiError:
        return ApiError(
            400, f"Invalid mask image format - {message}", "mask", "invalid_mask_image_format"
        )

    if mask.mime != "image/png" or _magic_mime(mask.data) != "image/png":
        raise bad("mask must be a PNG file")
    if len(mask.data) >= MAX_MASK_BYTES:
        raise bad("mask must be smaller than 4 MB")
    try:
        image = Image.open(io.BytesIO(mask.data))
        image.load()
    except Exception:
        raise bad("mask could not be decoded") from None
    if image.size != first.size:
        raise bad("mask size does not match image size")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if not has_alpha:
        raise bad("mask image missing alpha channel")


def _parse_size(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{1,5})x(\d{1,5})", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _flexible_size_problem(width: int, height: int) -> str | None:
    if width % FLEX_MULTIPLE or height % FLEX_MULTIPLE:
        return "width and height must both be divisible by 16"
    if not 1 / 3 - 1e-9 <= width / height <= 3 + 1e-9:
        return "the aspect ratio must be between 1:3 and 3:1"
    if max(width, height) > FLEX_MAX_EDGE or width * height > FLEX_MAX_PIXELS:
        return "the maximum supported resolution is 3840x2160"
    if width * height < FLEX_MIN_PIXELS:
        return f"the size must have at least {FLEX_MIN_PIXELS} pixels"
    return None


def _answer_size(model: str, size: str, first: Image.Image) -> tuple[int, int]:
    flexible = FLEXIBLE_MODEL.match(model) is not None
    if size == "auto":
        if flexible and _flexible_size_problem(*first.size) is None:
            return first.size
        return (1024, 1024)
    parsed = _parse_size(size)
    if parsed is None:
        raise ApiError(
            400,
            f"Invalid value: '{size}'. Sizes are written WIDTHxHEIGHT.",
            "size",
            "invalid_value",
        )
    if flexible:
        problem = _flexible_size_problem(*parsed)
        if problem:
            raise ApiError(400, f"Invalid size '{size}': {problem}.", "size", "invalid_value")
    elif size not in FIXED_SIZES:
        supported = ", ".join(f"'{s}'" for s in (*FIXED_SIZES, "auto"))
        raise ApiError(
            400,
            f"Invalid value: '{size}'. Supported values are: {supported}.",
            "size",
            "invalid_value",
        )
    return parsed


def _check_model_rules(model: str, fields: dict[str, Any]) -> None:
    if model in SHUT_DOWN:
        raise ApiError(400, SHUT_DOWN[model], "model", "model_shut_down")
    flexible = FLEXIBLE_MODEL.match(model) is not None
    if not flexible and model not in FIXED_MODELS:
        raise ApiError(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            None,
            "model_not_found",
        )
    quality = fields.get("quality")
    if quality == "standard" or (
        quality in SPEC_LAG_QUALITIES and not model.startswith("gpt-image-2.5-")
    ):
        raise ApiError(
            400,
            f"Invalid value: '{quality}' is not supported by {model}.",
            "quality",
            "invalid_value",
        )
    fidelity = fields.get("input_fidelity")
    if fidelity is not None and (flexible or (model == "gpt-image-1-mini" and fidelity != "low")):
        raise ApiError(
            400,
            f"The parameter 'input_fidelity' is not supported with {model}.",
            "input_fidelity",
            "unsupported_parameter",
        )
    output_format = fields.get("output_format", "png")
    compression = fields.get("output_compression")
    if compression is not None:
        if output_format == "png":
            raise ApiError(
                400,
                "output_compression is only supported for the webp and jpeg output formats.",
                "output_compression",
                "unsupported_parameter",
            )
        if not 0 <= compression <= 100:
            raise ApiError(
                400,
                "output_compression must be between 0 and 100.",
                "output_compression",
                "invalid_value",
            )
    if fields.get("background") == "transparent" and output_format == "jpeg":
        raise ApiError(
            400,
            "Transparent backgrounds need the png or webp output format.",
            "background",
            "invalid_value",
        )
    prompt = str(fields.get("prompt", ""))
    if not prompt.strip():
        raise ApiError(400, "The prompt must not be empty.", "prompt", "invalid_value")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise ApiError(
            400, "The prompt is longer than 32000 characters.", "prompt", "string_above_max_length"
        )


def validate_edit(raw_fields: dict[str, str], files: list[UploadedFile]) -> EditRequest:
    """Everything the real endpoint checks before it starts; raises ApiError at the first fault."""
    fields = check_fields(raw_fields)
    images = tuple(f for f in files if f.field in ("image", "image[]"))
    masks = [f for f in files if f.field == "mask"]
    if not images:
        raise ApiError(
            400, "Missing required parameter: 'image'.", "image", "missing_required_parameter"
        )
    if len(images) > MAX_IMAGES:
        raise ApiError(
            400, f"You can provide up to {MAX_IMAGES} images.", "image", "array_above_max_length"
        )
    if len(masks) > 1:
        raise ApiError(400, "Only one mask may be given.", "mask", "invalid_value")
    if masks and any(f.field == "markup" for f in files):
        raise ApiError(400, "markup cannot be combined with mask.", "markup", "invalid_value")
    model = str(fields.get("model") or DEFAULT_MODEL)
    _check_model_rules(model, fields)
    decoded = [_check_image(upload) for upload in images]
    mask = masks[0] if masks else None
    if mask is not None:
        _check_mask(mask, decoded[0])
    size = _answer_size(model, str(fields.get("size") or "auto"), decoded[0])
    return EditRequest(model, fields, images, mask, size, decoded[0])
