"""What an edit will cost and which crop it will send, for the prompt panel and the feather preview.

Plain functions over the document and the parameters: the session calls them whenever either
changes, and they never touch the network.
"""

from __future__ import annotations

from imgdesk.core import catalog, masks, pricing, sizing
from imgdesk.core.edit_types import Box, EditParams
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import translate
from imgdesk.core.money import format_usd
from imgdesk.models.document import DocumentModel


def planned_layout(
    document: DocumentModel, params: EditParams, mask_box: Box | None = None
) -> sizing.Layout | None:
    """The crop and request size the planner would choose now (None: nothing to plan)."""
    pixels, mask = document.pixels, document.mask
    if pixels is None or mask is None:
        return None
    box = mask_box if mask_box is not None else masks.bounding_box(mask)
    if box is None:
        return None
    try:
        model = catalog.load_catalog().get(params.model)
        size = None if params.size == "auto" else catalog.parse_size(params.size)
    except ImgdeskError:
        return None  # validation reports it; the estimate falls back to the plain size
    height, width = pixels.shape[:2]
    return sizing.layout_edit((width, height), box, model.sizes, size=size)


def planned_request_size(document: DocumentModel, params: EditParams) -> tuple[int, int] | None:
    """The size the planner would ask for, so the estimate prices what will be sent."""
    mask = document.mask
    box = None if mask is None else masks.bounding_box(mask)
    if box is None:
        try:
            return None if params.size == "auto" else catalog.parse_size(params.size)
        except ImgdeskError:
            return None
    layout = planned_layout(document, params, box)
    return None if layout is None else layout.request_size


def estimate_text(document: DocumentModel, params: EditParams, engine_choice: str) -> str:
    if engine_choice == "local":
        return translate("EditEstimate", "Offline engine: free")
    estimate = pricing.estimate_usd(params, planned_request_size(document, params))
    if estimate is None:
        return translate("EditEstimate", "No price known for this model")
    return translate("EditEstimate", "About {price}").format(price=format_usd(estimate.usd, 3))


def estimate_basis(document: DocumentModel, params: EditParams, engine_choice: str) -> str:
    if engine_choice == "local":
        return translate(
            "EditEstimate", "The offline engine runs on this computer and costs nothing."
        )
    estimate = pricing.estimate_usd(params, planned_request_size(document, params))
    return estimate.basis if estimate else ""
