"""`imgdesk models`: the model catalog as a table (or JSON), with state, sizes and price."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from imgdesk.core.catalog import Catalog, ModelInfo, SizeRule, load_catalog

PRICE_SIZE = "1024x1024"
PRICE_QUALITY = "medium"
COLUMNS = ("model", "state", "sizes", "qualities", "features", "price")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print the whole catalog as JSON instead of a table"
    )


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.json:
        print(json.dumps(catalog_json(catalog), indent=2, ensure_ascii=False))
    else:
        print(render_table(catalog))
    return 0


def state_text(model: ModelInfo) -> str:
    text = f"shut down on {model.shut_down_on}" if model.state == "shut_down" else model.state
    if model.state != "current" and model.replacement:
        text += f" → {model.replacement}"
    return text


def sizes_text(rule: SizeRule) -> str:
    if rule.flexible:
        long_side = max(rule.max_width, rule.max_height)
        short_side = rule.max_pixels // long_side if long_side else 0
        low = round(1 / rule.min_aspect) if rule.min_aspect else 0
        high = round(rule.max_aspect)
        text = f"flexible: multiples of {rule.multiple}, 1:{low}–{high}:1"
        if long_side and short_side:
            text += f", up to {long_side}x{short_side}"
    else:
        text = ", ".join(f"{w}x{h}" for w, h in rule.sizes)
    if rule.auto:
        text += ", auto"
    return text


def features_text(model: ModelInfo) -> str:
    features: list[str] = []
    if model.supports_mask:
        features.append("mask")
    if model.input_fidelity:
        features.append("input fidelity")
    if model.transparent_background == "yes":
        features.append("transparent")
    elif model.transparent_background == "preview":
        features.append("transparent (preview)")
    if model.streaming:
        features.append("streaming")
    return ", ".join(features) or "—"


def price_text(model: ModelInfo) -> str:
    table = (model.per_image_usd or {}).get(PRICE_SIZE, {})
    price = table.get(PRICE_QUALITY)
    return "—" if price is None else f"${price:.3f}"


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
    rows = [COLUMNS, *table_rows(catalog)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        f"Price: USD per image at {PRICE_SIZE}, {PRICE_QUALITY} quality; "
        f"prices taken on {catalog.prices_taken_on}. — means no published price."
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
