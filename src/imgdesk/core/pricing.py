"""What an edit will cost before it is sent, and what it did cost once the service reports usage.

Prices come from the catalog (`data/models.json`), which records the date they were taken. The
published table gives a price per image at three standard sizes; other sizes are estimated by pixel
area, because image output tokens grow with the area of the picture.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from imgdesk.core.catalog import Catalog, ModelInfo, load_catalog, parse_size
from imgdesk.core.edit_types import EditParams, Usage
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate_format
from imgdesk.core.money import format_usd

SQUARE = (1024, 1024)
PORTRAIT = (1024, 1536)
LANDSCAPE = (1536, 1024)
# The service decides what "auto" quality means per request; medium is the middle of the table.
AUTO_QUALITY_PRICED_AS = "medium"
_TOKENS = 1_000_000


@dataclass(frozen=True)
class Estimate:
    usd: float  # all images of the request, partial previews included
    per_image: float  # one image with its partial previews
    basis: str  # a sentence saying how the figure was reached


@dataclass(frozen=True)
class Cost:
    usd: float
    exact: bool  # True when computed from the service's token counts, False when estimated
    basis: str = ""


def standard_size_for(width: int, height: int) -> tuple[int, int]:
    """The priced size with the same orientation as width x height."""
    if width > height:
        return LANDSCAPE
    if width < height:
        return PORTRAIT
    return SQUARE


def _fmt_size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _usd(value: float) -> str:
    # Up to four places, as many as the price needs: $0.04, $0.0125, $0.
    places = f"{value:.4f}".rstrip("0").partition(".")[2]
    return format_usd(value, len(places))


def _requested_size(params: EditParams, request_size: tuple[int, int] | None) -> tuple[int, int]:
    if request_size is not None:
        return request_size
    if params.size != "auto":
        try:
            return parse_size(params.size)
        except ImgdeskError:
            pass  # validation reports the bad size; the estimate falls back to the square
    return SQUARE


def _model(catalog: Catalog, model_id: str) -> ModelInfo | None:
    try:
        return catalog.get(model_id)
    except ImgdeskError:
        return None


def estimate_usd(
    params: EditParams,
    request_size: tuple[int, int] | None = None,
    *,
    catalog: Catalog | None = None,
) -> Estimate | None:
    """The expected price of `params` at `request_size`, or None when the model has no price."""
    catalog = catalog or load_catalog()
    model = _model(catalog, params.model)
    if model is None or not model.per_image_usd:
        return None
    quality = AUTO_QUALITY_PRICED_AS if params.quality == "auto" else params.quality
    size = _requested_size(params, request_size)
    standard = standard_size_for(*size)
    table = model.per_image_usd.get(_fmt_size(standard), {})
    if quality not in table:
        return None
    standard_price = table[quality]
    area_ratio = (size[0] * size[1]) / (standard[0] * standard[1])
    image_price = standard_price * area_ratio

    # The basis is shown to the user (the estimate's tooltip), so each piece is a whole
    # translatable template, filled in after translation.
    notes: list[str] = []
    if params.quality == "auto":
        notes.append(
            translate_format(
                "pricing",
                QT_TRANSLATE_NOOP("pricing", "quality auto is priced as {quality}"),
                quality=AUTO_QUALITY_PRICED_AS,
            )
        )
    if size == standard:
        size_text = translate_format(
            "pricing", QT_TRANSLATE_NOOP("pricing", "at {size}"), size=_fmt_size(size)
        )
    else:
        size_text = translate_format(
            "pricing",
            QT_TRANSLATE_NOOP(
                "pricing", "at {size}, scaled by pixel area from {price} at {standard}"
            ),
            size=_fmt_size(size),
            price=_usd(standard_price),
            standard=_fmt_size(standard),
        )

    partial_price = 0.0
    if params.partial_images > 0:
        partial_tokens = params.partial_images * catalog.partial_image_output_tokens
        token_price = _output_token_price(catalog, model, quality, standard, standard_price)
        partial_price = partial_tokens * token_price
        notes.append(
            translate_format(
                "pricing",
                QT_TRANSLATE_NOOP(
                    "pricing",
                    "{count} partial previews add about {tokens:,} output tokens per image "
                    "({price})",
                ),
                count=params.partial_images,
                tokens=partial_tokens,
                price=_usd(partial_price),
            )
        )

    per_image = image_price + partial_price
    n = max(params.n, 0)
    basis = translate_format(
        "pricing",
        QT_TRANSLATE_NOOP(
            "pricing", "{n} × {price}: {model} {quality} quality {size}, prices of {date}"
        ),
        n=n,
        price=_usd(per_image),
        model=model.label,
        quality=quality,
        size=size_text,
        date=catalog.prices_taken_on,
    )
    return Estimate(usd=per_image * n, per_image=per_image, basis="; ".join([basis, *notes]) + ".")


def _output_token_price(
    catalog: Catalog,
    model: ModelInfo,
    quality: str,
    standard: tuple[int, int],
    standard_price: float,
) -> float:
    """USD per output token: the published token price, else implied by the per-image table."""
    if model.per_million_tokens_usd and "image_output" in model.per_million_tokens_usd:
        return model.per_million_tokens_usd["image_output"] / _TOKENS
    tokens_1024 = catalog.output_tokens_per_image_1024.get(quality)
    if not tokens_1024:
        return 0.0
    # The token table is for 1024x1024; the 1536 sizes make half as many tokens again.
    tokens = tokens_1024 * (standard[0] * standard[1]) / (SQUARE[0] * SQUARE[1])
    return standard_price / tokens


def cost_from_usage(
    model_id: str,
    usage: Usage | None,
    n_images: int,
    params: EditParams,
    request_size: tuple[int, int] | None = None,
    *,
    catalog: Catalog | None = None,
) -> Cost | None:
    """What a finished request cost: exact from token prices, else the estimate for n_images.

    `usage` is None when the service reported none; the cost is then estimated.
    """
    catalog = catalog or load_catalog()
    model = _model(catalog, model_id)
    if model is None:
        return None
    prices = model.per_million_tokens_usd
    if usage and prices and {"text_input", "image_input", "image_output"} <= prices.keys():
        detailed = usage.input_image_tokens + usage.input_text_tokens
        if detailed or not usage.input_tokens:
            input_usd = (
                usage.input_text_tokens * prices["text_input"]
                + usage.input_image_tokens * prices["image_input"]
            )
            input_text = (
                f"{usage.input_text_tokens} text and {usage.input_image_tokens} image input tokens"
            )
            exact = True
        else:
            # No split reported: price all input as image input, the dearer of the two.
            input_usd = usage.input_tokens * prices["image_input"]
            input_text = f"{usage.input_tokens} input tokens (all priced as image input)"
            exact = False
        usd = (input_usd + usage.output_tokens * prices["image_output"]) / _TOKENS
        basis = (
            f"{input_text} and {usage.output_tokens} output tokens at {model.label} token "
            f"prices of {catalog.prices_taken_on}."
        )
        return Cost(usd=usd, exact=exact, basis=basis)
    estimate = estimate_usd(
        dataclasses.replace(params, model=model_id, n=n_images), request_size, catalog=catalog
    )
    if estimate is None:
        return None
    return Cost(usd=estimate.usd, exact=False, basis="Estimated: " + estimate.basis)
