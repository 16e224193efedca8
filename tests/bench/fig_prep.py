"""prep_ms and upload_bytes: preparing the request for a 24 MP JPEG with a 2 % mask.

Measured: `planner.plan_edit` on the open photo (validation, crop, resize, image and mask PNGs),
which is what happens between pressing Edit and the upload starting. Naive: what an editor that
sends the whole photo does, i.e. encode the full 24 MP picture and a full-size mask as PNG.
"""

from __future__ import annotations

from common import Bench, Figure, blob_mask, load_photo, median, time_ms

from imgdesk.core import imageio, masks, planner
from imgdesk.core.edit_types import EditParams

FIGURES = ("prep_ms", "upload_bytes")
PREP_TARGET_MS = 400.0
BYTES_TARGET_SHARE = 0.1


def run(bench: Bench) -> list[Figure]:
    photo = load_photo(bench)
    height, width = photo.shape[:2]
    # 2 % of the picture, off-centre where a user might remove something.
    mask = blob_mask((width, height), (width * 0.7, height * 0.38), 0.02)
    params = EditParams("a wooden bench where the rock was")

    def prepare() -> object:
        return planner.plan_edit(photo, mask, params)

    plan = planner.plan_edit(photo, mask, params)
    upload = len(plan.image_png) + len(plan.mask_png)
    prep = median(time_ms(prepare, bench.pick(3, 9)))

    def naive() -> tuple[bytes, bytes]:
        return imageio.encode_png(photo), masks.export_mask_png(mask)

    whole, whole_mask = naive()
    naive_upload = len(whole) + len(whole_mask)
    naive_prep = median(time_ms(naive, bench.pick(1, 3), warmup=0))
    detail = f"crop {plan.crop.width}x{plan.crop.height} sent at {plan.size_param}"
    return [
        Figure("prep_ms", prep, naive_prep, "ms", "< 400 ms", prep < PREP_TARGET_MS, detail),
        Figure(
            "upload_bytes",
            float(upload),
            float(naive_upload),
            "bytes",
            "<= 1/10 of whole photo as PNG",
            upload <= BYTES_TARGET_SHARE * len(whole),
        ),
    ]
