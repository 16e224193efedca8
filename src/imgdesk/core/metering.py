"""Whether an edit costs credits, and how many: the catalog's dollar price at a rate and markup.

One credit is worth 1/`credits_per_usd` dollars of what the user pays; the markup covers what the
operator adds on top of the provider's price (card fees, margin). Credits are whole numbers and
always rounded up, so the estimate shown before sending is never below the provider's price.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from imgdesk.core import catalog, masks, secrets, sizing
from imgdesk.core.edit_types import EditParams, MaskArray, Usage
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.pricing import cost_from_usage, estimate_usd
from imgdesk.core.settings import Settings

# The only engine that spends the operator's money; the local engine is always free.
METERED_ENGINES = frozenset({"openai"})


@dataclass(frozen=True)
class MeteringConfig:
    credits_per_usd: float = 100.0  # 1 credit = 1 cent before markup
    markup: float = 1.25
    require_credits: bool = False  # meter even without a Stripe key (credits granted by hand)

    @classmethod
    def from_settings(cls, settings: Settings) -> MeteringConfig:
        return cls(settings.credits_per_usd, settings.credit_markup, settings.require_credits)

    def credits_for_usd(self, usd: float) -> int:
        raw = usd * self.markup * self.credits_per_usd
        # Round away float noise first, so $0.04 at 1.25 x 100 is 5 credits, not 6.
        return max(0, math.ceil(round(raw, 6)))


def shop_configured(config: MeteringConfig) -> bool:
    """A shop exists when a Stripe key is available or the settings say credits are required."""
    return config.require_credits or secrets.get_secret(secrets.STRIPE) is not None


def is_metered(engine: str, config: MeteringConfig) -> bool:
    """Edits cost credits only on a metered engine and only when a shop is configured."""
    return engine in METERED_ENGINES and shop_configured(config)


def price_credits(
    params: EditParams,
    request_size: tuple[int, int] | None,
    config: MeteringConfig,
) -> int | None:
    """Credits to hold before sending; None when the model has no price (it cannot be metered)."""
    estimate = estimate_usd(params, request_size)
    return None if estimate is None else config.credits_for_usd(estimate.usd)


def cost_credits(
    params: EditParams,
    usage: Usage | None,
    n_images: int,
    request_size: tuple[int, int] | None,
    config: MeteringConfig,
) -> int | None:
    """Credits a finished edit actually cost, from the service's usage (else its estimate).

    The ledger caps this at the hold, so a usage report above the estimate never overcharges.
    """
    if usage is None:
        estimate = estimate_usd(dataclasses.replace(params, n=n_images), request_size)
        return None if estimate is None else config.credits_for_usd(estimate.usd)
    cost = cost_from_usage(params.model, usage, n_images, params, request_size=request_size)
    return None if cost is None else config.credits_for_usd(cost.usd)


def planned_request_size(mask: MaskArray, params: EditParams) -> tuple[int, int] | None:
    """The size the planner will send for this mask, for pricing before anything is planned.

    None when the model or size is unknown: the planner refuses such an edit itself, before any
    credits are held or anything is sent.
    """
    try:
        model = catalog.load_catalog().get(params.model)
        size = None if params.size == "auto" else catalog.parse_size(params.size)
    except ImgdeskError:
        return None
    box = masks.bounding_box(mask)
    if box is None:
        return size
    height, width = mask.shape[:2]
    return sizing.layout_edit((width, height), box, model.sizes, size=size).request_size
