"""`imgdesk models`: the model catalog as a table (or JSON), with state, sizes and price."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from imgdesk.cli.language import cli_text
from imgdesk.core.catalog import Catalog, ModelInfo, SizeRule, load_catalog
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.money import format_usd

PRICE_SIZE = "1024x1024"
PRICE_QUALITY = "medium"
# Column headings of the table (the JSON keeps its English keys: scripts read those).
COLUMNS = (
    QT_TRANSLATE_NOOP("cli", "model"),
    QT_TRANSLATE_NOOP("cli", "state"),
    QT_TRANSLATE_NOOP("cli", "sizes"),
    QT_TRANSLATE_NOOP("cli", "qualities"),
    QT_TRANSLATE_NOOP("cli", "features"),
    QT_TRANSLATE_NOOP("cli", "price"),
)
_STATES = {
    "current": QT_TRANSLATE_NOOP("cli", "current"),
    "deprecated": QT_TRANSLATE_NOOP("cli", "deprecated"),
}
_FEATURES = {
    "mask": QT_TRANSLATE_NOOP("cli", "mask"),
    "input_fidelity": QT_TRANSLATE_NOOP("cli", "input fidelity"),
    "transparent": QT_TRANSLATE_NOOP("cli", "transparent"),
    "transparent_preview": QT_TRANSLATE_NOOP("cli", "transparent (preview)"),
    "streaming": QT_TRANSLATE_NOOP("cli", "streaming"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help=cli_text(
            QT_TRANSLATE_NOOP("cli", "print the whole catalog as JSON instead of a table")
        ),
    )


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.json:
        print(json.dumps(catalog_json(catalog), indent=2, ensure_ascii=False))
    else:
        print(render_table(catalog))
    return 0


def state_text(model: ModelInfo) -> str:
    if model.state == "shut_down":
        text = cli_text(QT_TRANSLATE_NOOP("cli", "shut down on {date}"), date=model.shut_down_on)
    else:
        state = _STATES.get(model.state)
        text = cli_text(state) if state else model.state
    if model.state != "current" and model.replacement:
        text += f" → {model.replacement}"
    return text


def sizes_text(rule: SizeRule) -> str:
    if rule.flexible:
        long_side = max(rule.max_width, rule.max_height)
        short_side = rule.max_pixels // long_side if long_side else 0
        low = round(1 / rule.min_aspect) if rule.min_aspect else 0
        high = round(rule.max_aspect)
        values = {"multiple": rule.multiple, "tall": low, "wide": high}
        if long_side and short_side:
            text = cli_text(
                QT_TRANSLATE_NOOP(
                    "cli",
                    "flexible: multiples of {multiple}, 1:{tall}–{wide}:1, up to {width}x{height}",
                ),
                width=long_side,
                height=short_side,
                **values,
            )
        else:
            text = cli_text(
                QT_TRANSLATE_NOOP("cli", "flexible: multiples of {multiple}, 1:{tall}–{wide}:1"),
                **values,
            )
    else:
        text = ", ".join(f"{w}x{h}" for w, h in rule.sizes)
    if rule.auto:
        text += ", auto"  # the value to type, so not translated
    return text


def features_text(model: ModelInfo) -> str:
    features: list[str] = []
    if model.supports_mask:
        features.append("mask")
    if model.input_fidelity:
        features.append("input_fidelity")
    if model.transparent_background == "yes":
        features.append("transparent")
    elif model.transparent_background == "preview":
        features.append("transparent_preview")
    if model.streaming:
        features.append("streaming")
    return ", ".join(cli_text(_FEATURES[feature]) for feature in features) or "—"


def price_text(model: ModelInfo) -> str:
    table = (model.per_image_usd or {}).get(PRICE_SIZE, {})
    price = table.get(PRICE_QUALITY)
    return "—" if price is None else format_usd(price, 3)


def table_rows(catalog: Catalog) -> list[tuple[str, ...]]:
    return [
        (
            model.id,
            state_text(model),
            sizes_text(model.sizes),
            ", ".join(model.qualities),
            features_text(model),
            price_text(model),
        )
        for model in catalog.models.values()
    ]


def render_table(catalog: Catalog) -> str:
    rows = [tuple(cli_text(column) for column in COLUMNS), *table_rows(catalog)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        cli_text(
            QT_TRANSLATE_NOOP(
                "cli",
                "Price: USD per image at {size}, {quality} quality; prices taken on {date}. "
                "— means no published price.",
            ),
            size=PRICE_SIZE,
            quality=PRICE_QUALITY,
            date=catalog.prices_taken_on,
        )
    )
    return "\n".join(lines)


def catalog_json(catalog: Catalog) -> dict[str, Any]:
    def size_rule(rule: SizeRule) -> dict[str, Any]:
        raw = dataclasses.asdict(rule)
        raw["sizes"] = [f"{w}x{h}" for w, h in rule.sizes]
        return raw

    models = []
    for model in catalog.models.values():
        raw = dataclasses.asdict(model)
        raw["sizes"] = size_rule(model.sizes)
        raw["qualities"] = list(model.qualities)
        raw["input_fidelity"] = list(model.input_fidelity)
        raw["usable"] = model.usable
        models.append(raw)
    return {
        "default_model": catalog.default_model,
        "prices_taken_on": catalog.prices_taken_on,
        "output_tokens_per_image_1024": catalog.output_tokens_per_image_1024,
        "partial_image_output_tokens": catalog.partial_image_output_tokens,
        "models": models,
    }
