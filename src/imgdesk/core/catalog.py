"""The model catalog: which image models exist, what they accept, what they cost.

The facts live in `imgdesk/data/models.json` because they change every few months; this module only
reads them and checks requests against them before anything is sent.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP

_SIZE_RE = re.compile(r"^(\d{1,5})x(\d{1,5})$")
OUTPUT_FORMATS = ("png", "jpeg", "webp")
BACKGROUNDS = ("auto", "opaque", "transparent")
MAX_VARIANTS = 10


@dataclass(frozen=True)
class SizeRule:
    kind: str  # "fixed" or "flexible"
    sizes: tuple[tuple[int, int], ...] = ()  # fixed sizes
    auto: bool = True
    multiple: int = 16
    min_aspect: float = 1 / 3
    max_aspect: float = 3.0
    max_width: int = 0
    max_height: int = 0
    max_pixels: int = 0
    min_pixels: int = 0

    @property
    def flexible(self) -> bool:
        return self.kind == "flexible"

    def problem(self, width: int, height: int) -> str | None:
        """Why the model refuses width x height (an English sentence for logs and checks), or
        None when it accepts it. `problem_template` gives the same sentence to translate."""
        found = self.problem_template(width, height)
        if found is None:
            return None
        template, values = found
        return template.format(label="This model", **values)

    def problem_template(self, width: int, height: int) -> tuple[str, dict[str, object]] | None:
        """Why the model refuses width x height as a translatable "errors" template and its
        values (all but {label}, the model's name), or None when it accepts that size."""
        size: dict[str, object] = {"width": width, "height": height}
        if not self.flexible:
            if (width, height) in self.sizes:
                return None
            allowed = ", ".join(f"{w}x{h}" for w, h in self.sizes)
            template = QT_TRANSLATE_NOOP(
                "errors",
                "{label} cannot make {width}x{height}: it only makes these sizes: {allowed}.",
            )
            return template, {**size, "allowed": allowed}
        if width % self.multiple or height % self.multiple:
            template = QT_TRANSLATE_NOOP(
                "errors",
                "{label} cannot make {width}x{height}: width and height must both be multiples "
                "of {multiple}.",
            )
            return template, {**size, "multiple": self.multiple}
        aspect = width / height
        if aspect < self.min_aspect - 1e-9 or aspect > self.max_aspect + 1e-9:
            template = QT_TRANSLATE_NOOP(
                "errors",
                "{label} cannot make {width}x{height}: the aspect ratio must be between "
                "1:{tall} and {wide}:1.",
            )
            tall, wide = round(1 / self.min_aspect), round(self.max_aspect)
            return template, {**size, "tall": tall, "wide": wide}
        if width > self.max_width or height > self.max_height:
            template = QT_TRANSLATE_NOOP(
                "errors",
                "{label} cannot make {width}x{height}: no side may be longer than {longest} "
                "pixels.",
            )
            return template, {**size, "longest": max(self.max_width, self.max_height)}
        if width * height > self.max_pixels:
            template = QT_TRANSLATE_NOOP(
                "errors",
                "{label} cannot make {width}x{height}: that is more than its maximum of "
                "{max_pixels:,} pixels.",
            )
            return template, {**size, "max_pixels": self.max_pixels}
        if width * height < self.min_pixels:
            template = QT_TRANSLATE_NOOP(
                "errors",
                "{label} cannot make {width}x{height}: that is less than its minimum of "
                "{min_pixels:,} pixels.",
            )
            return template, {**size, "min_pixels": self.min_pixels}
        return None


@dataclass(frozen=True)
class ModelInfo:
    id: str
    label: str
    state: str  # "current", "deprecated" or "shut_down"
    sizes: SizeRule
    qualities: tuple[str, ...]
    supports_mask: bool
    input_fidelity: tuple[str, ...]  # empty: leave the parameter out
    transparent_background: str  # "yes", "preview" or "no"
    streaming: bool
    max_partial_images: int
    max_input_images: int
    prompt_max_chars: int
    per_image_usd: dict[str, dict[str, float]] | None
    per_million_tokens_usd: dict[str, float] | None
    shut_down_on: str | None = None
    replacement: str | None = None
    snapshot_of: str | None = None
    note: str | None = None

    @property
    def usable(self) -> bool:
        return self.state != "shut_down"

    @property
    def unavailable_reason(self) -> str | None:
        """Why the model cannot be chosen, in the user's language; None when it can."""
        error = self.unavailable_error()
        return error.localized() if error is not None else None

    def unavailable_error(self) -> ImgdeskError | None:
        if self.state != "shut_down":
            return None
        if self.replacement:
            template = QT_TRANSLATE_NOOP(
                "errors", "{label} was shut down on {date}; use {replacement} instead."
            )
        else:
            template = QT_TRANSLATE_NOOP("errors", "{label} was shut down on {date}.")
        return ImgdeskError.make(
            ErrorKind.MODEL_UNAVAILABLE,
            template,
            field="model",
            action=Action.SWITCH_MODEL,
            label=self.label,
            date=self.shut_down_on,
            replacement=self.replacement,
        )


@dataclass(frozen=True)
class Catalog:
    models: dict[str, ModelInfo]
    default_model: str
    prices_taken_on: str
    output_tokens_per_image_1024: dict[str, int]
    partial_image_output_tokens: int

    def get(self, model_id: str) -> ModelInfo:
        try:
            return self.models[model_id]
        except KeyError:
            known = ", ".join(m.id for m in self.models.values() if m.usable)
            suggestion = self.closest(model_id)
            if suggestion is None:
                template = QT_TRANSLATE_NOOP(
                    "errors", "imgdesk does not know the model “{model_id}”. Known models: {known}."
                )
            else:
                template = QT_TRANSLATE_NOOP(
                    "errors",
                    "imgdesk does not know the model “{model_id}”. Did you mean {suggestion}? "
                    "Known models: {known}.",
                )
            raise ImgdeskError.make(
                ErrorKind.MODEL_UNAVAILABLE,
                template,
                field="model",
                action=Action.SWITCH_MODEL,
                model_id=model_id,
                known=known,
                suggestion=suggestion,
            ) from None

    def closest(self, model_id: str) -> str | None:
        """The catalog's model whose name is nearest a mistyped one ("gpt-imag-2"), if any is
        near enough; shut-down models count, since their own error names the replacement."""
        typed = model_id.strip().lower()
        matches = difflib.get_close_matches(typed, list(self.models), n=1, cutoff=0.6)
        return matches[0] if matches else None

    def usable_models(self) -> list[ModelInfo]:
        return [m for m in self.models.values() if m.usable]


def _model_from_json(raw: dict[str, Any]) -> ModelInfo:
    sizes_raw = raw["sizes"]
    sizes = SizeRule(
        kind=sizes_raw["kind"],
        sizes=tuple(parse_size(s) for s in sizes_raw.get("sizes", ())),
        auto=sizes_raw.get("auto", True),
        multiple=sizes_raw.get("multiple", 16),
        min_aspect=sizes_raw.get("min_aspect", 1 / 3),
        max_aspect=sizes_raw.get("max_aspect", 3.0),
        max_width=sizes_raw.get("max_width", 0),
        max_height=sizes_raw.get("max_height", 0),
        max_pixels=sizes_raw.get("max_pixels", 0),
        min_pixels=sizes_raw.get("min_pixels", 0),
    )
    prices = raw.get("prices") or {}
    return ModelInfo(
        id=raw["id"],
        label=raw["label"],
        state=raw["state"],
        sizes=sizes,
        qualities=tuple(raw["qualities"]),
        supports_mask=raw["supports_mask"],
        input_fidelity=tuple(raw.get("input_fidelity") or ()),
        transparent_background=raw["transparent_background"],
        streaming=raw["streaming"],
        max_partial_images=raw["max_partial_images"],
        max_input_images=raw["max_input_images"],
        prompt_max_chars=raw["prompt_max_chars"],
        per_image_usd=prices.get("per_image_usd"),
        per_million_tokens_usd=prices.get("per_million_tokens_usd"),
        shut_down_on=raw.get("shut_down_on"),
        replacement=raw.get("replacement"),
        snapshot_of=raw.get("snapshot_of"),
        note=raw.get("note"),
    )


@cache
def load_catalog() -> Catalog:
    text = resources.files("imgdesk.data").joinpath("models.json").read_text("utf-8")
    raw = json.loads(text)
    models = {m["id"]: _model_from_json(m) for m in raw["models"]}
    return Catalog(
        models=models,
        default_model=raw["default_model"],
        prices_taken_on=raw["prices_taken_on"],
        output_tokens_per_image_1024=raw["output_tokens_per_image_1024"],
        partial_image_output_tokens=raw["partial_image_output_tokens"],
    )


def parse_size(text: str) -> tuple[int, int]:
    match = _SIZE_RE.match(text.strip().lower())
    if not match:
        raise ImgdeskError.make(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP(
                "errors",
                "“{text}” is not a size; write it as WIDTHxHEIGHT, for example 1536x1024, or auto.",
            ),
            field="size",
            text=text,
        )
    return int(match.group(1)), int(match.group(2))


def validation_problems(
    params: EditParams, *, reference_count: int = 0, catalog: Catalog | None = None
) -> list[ImgdeskError]:
    """Every field of `params` the chosen model would refuse, each as an error naming its field."""
    catalog = catalog or load_catalog()
    try:
        model = catalog.get(params.model)
    except ImgdeskError as error:
        return [error]
    problems: list[ImgdeskError] = []

    def bad(
        field: str, template: str, kind: ErrorKind = ErrorKind.INVALID_REQUEST, **values: object
    ) -> None:
        action = Action.SWITCH_MODEL if kind is ErrorKind.MODEL_UNAVAILABLE else None
        problems.append(
            ImgdeskError.make(kind, template, field=field, action=action, values=values)
        )

    unavailable = model.unavailable_error()
    if unavailable is not None:
        return [unavailable]
    if not model.supports_mask:
        bad(
            "model",
            QT_TRANSLATE_NOOP("errors", "{label} cannot edit inside a mask."),
            ErrorKind.MODEL_UNAVAILABLE,
            label=model.label,
        )
    if not params.prompt.strip():
        bad(
            "prompt", QT_TRANSLATE_NOOP("errors", "Describe what should appear in the masked area.")
        )
    elif len(params.prompt) > model.prompt_max_chars:
        bad(
            "prompt",
            QT_TRANSLATE_NOOP(
                "errors",
                "The prompt has {count:,} characters; {label} reads at most {prompt_max_chars:,}.",
            ),
            count=len(params.prompt),
            label=model.label,
            prompt_max_chars=model.prompt_max_chars,
        )
    if params.quality not in model.qualities:
        bad(
            "quality",
            QT_TRANSLATE_NOOP(
                "errors", "{label} offers the qualities {qualities}, not “{quality}”."
            ),
            label=model.label,
            qualities=", ".join(model.qualities),
            quality=params.quality,
        )
    if not 1 <= params.n <= MAX_VARIANTS:
        bad(
            "n",
            QT_TRANSLATE_NOOP("errors", "Ask for between 1 and {MAX_VARIANTS} variants, not {n}."),
            MAX_VARIANTS=MAX_VARIANTS,
            n=params.n,
        )
    if params.size != "auto":
        try:
            width, height = parse_size(params.size)
        except ImgdeskError as error:
            problems.append(error)
        else:
            found = model.sizes.problem_template(width, height)
            if found is not None:
                template, values = found
                problems.append(
                    ImgdeskError.make(
                        ErrorKind.INVALID_REQUEST,
                        template,
                        field="size",
                        values={**values, "label": model.label},
                    )
                )
    elif not model.sizes.auto:
        bad(
            "size",
            QT_TRANSLATE_NOOP("errors", "{label} needs an explicit size."),
            label=model.label,
        )
    if params.output_format not in OUTPUT_FORMATS:
        bad(
            "output_format",
            QT_TRANSLATE_NOOP("errors", "Choose PNG, JPEG or WebP output, not “{output_format}”."),
            output_format=params.output_format,
        )
    if params.output_compression is not None:
        if params.output_format == "png":
            bad(
                "output_compression",
                QT_TRANSLATE_NOOP("errors", "Compression applies to JPEG and WebP output only."),
            )
        elif not 0 <= params.output_compression <= 100:
            bad(
                "output_compression",
                QT_TRANSLATE_NOOP("errors", "Compression is a percentage from 0 to 100."),
            )
    if params.background not in BACKGROUNDS:
        bad(
            "background",
            QT_TRANSLATE_NOOP(
                "errors", "Background must be auto, opaque or transparent, not “{background}”."
            ),
            background=params.background,
        )
    elif params.background == "transparent":
        if model.transparent_background == "no":
            bad(
                "background",
                QT_TRANSLATE_NOOP("errors", "{label} cannot make transparent backgrounds."),
                label=model.label,
            )
        elif params.output_format == "jpeg":
            bad(
                "background",
                QT_TRANSLATE_NOOP(
                    "errors",
                    "A transparent background needs PNG or WebP output; JPEG has no alpha.",
                ),
            )
    if params.input_fidelity is not None:
        if not model.input_fidelity:
            bad(
                "input_fidelity",
                QT_TRANSLATE_NOOP("errors", "{label} does not take an input fidelity setting."),
                label=model.label,
            )
        elif params.input_fidelity not in model.input_fidelity:
            bad(
                "input_fidelity",
                QT_TRANSLATE_NOOP(
                    "errors", "{label} supports input fidelity {input_fidelity} only."
                ),
                label=model.label,
                input_fidelity=", ".join(model.input_fidelity),
            )
    if params.partial_images and not model.streaming:
        bad(
            "partial_images",
            QT_TRANSLATE_NOOP("errors", "{label} cannot stream partial images."),
            label=model.label,
        )
    elif not 0 <= params.partial_images <= max(model.max_partial_images, 0):
        bad(
            "partial_images",
            QT_TRANSLATE_NOOP(
                "errors", "Partial images must be between 0 and {max_partial_images}."
            ),
            max_partial_images=model.max_partial_images,
        )
    if 1 + reference_count > model.max_input_images:
        bad(
            "references",
            QT_TRANSLATE_NOOP(
                "errors",
                "{label} takes at most {max_input_images} input images including the photo; remove"
                " {value} reference image(s).",
            ),
            label=model.label,
            max_input_images=model.max_input_images,
            value=1 + reference_count - model.max_input_images,
        )
    return problems


def validate(params: EditParams, *, reference_count: int = 0) -> ModelInfo:
    """Raise the first problem with `params`, or return the model they are valid for."""
    problems = validation_problems(params, reference_count=reference_count)
    if problems:
        raise problems[0]
    return load_catalog().get(params.model)
