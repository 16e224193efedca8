"""One edit from start to finish: plan the crop, run the engine, composite at full resolution.

The GUI's edit session and the command line both consume `run_edit`. Everything heavy (encoding,
decoding, compositing) runs in worker threads, so the event loop (Qt's, under qasync) never waits
on pixels; the network part is the engine's own async I/O.

The photo stays in its own colour space (`profile`): the planner sends the crop as sRGB, and each
sRGB result is converted back into the photo's profile before it is blended, so pixels outside
the mask and its feather stay the photo's own, bit for bit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass

from imgdesk.core import composite, imageio, planner, pricing
from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import (
    Completed,
    EditParams,
    EditPlan,
    Failed,
    MaskArray,
    PartialImage,
    Reference,
    RGBAArray,
    Sending,
    Usage,
)
from imgdesk.core.engines.base import Engine
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate_format

log = logging.getLogger("imgdesk.pipeline")

# The sending stage names the engine as a person would, in a sentence of its own per engine
# (German words each one differently). OpenAI-compatible endpoints count as OpenAI here.
SENDING = {
    "openai": QT_TRANSLATE_NOOP("stage", "Sending a {size} crop to OpenAI…"),
    "local": QT_TRANSLATE_NOOP("stage", "Handing a {size} crop to the offline engine…"),
}


@dataclass(frozen=True)
class Stage:
    name: str  # "planning", "sending", "generating", "compositing"
    text: str  # what the user sees in the status line


@dataclass(frozen=True)
class Preview:
    index: int  # partial image index from the service
    pixels: RGBAArray  # the full document with the partial result composited in


@dataclass(frozen=True)
class Result:
    variants: tuple[RGBAArray, ...]  # full-resolution documents, one per variant
    plan: EditPlan
    usage: Usage | None
    cost: pricing.Cost | None
    notice: str | None


@dataclass(frozen=True)
class Failure:
    error: ImgdeskError


PipelineEvent = Stage | Preview | Result | Failure


def _composite_encoded(
    original: RGBAArray,
    encoded: bytes,
    plan: EditPlan,
    mask: MaskArray,
    profile: ColorProfile | None,
) -> RGBAArray:
    result = imageio.decode_result(encoded)  # sRGB
    if profile is not None:
        result = profile.from_srgb(result)
    return composite.composite(original, result, plan, mask)


def internal_error(error: BaseException) -> ImgdeskError:
    return ImgdeskError(
        ErrorKind.INTERNAL,
        QT_TRANSLATE_NOOP(
            "errors",
            "Something went wrong inside imgdesk. The photo is unchanged; details are in the log.",
        ),
        detail=f"{type(error).__name__}: {error}",
    )


async def run_edit(
    image: RGBAArray,
    mask: MaskArray,
    params: EditParams,
    engine: Engine,
    *,
    references: Sequence[Reference] = (),
    profile: ColorProfile | None = None,
    plan_with: planner.Planner = planner.plan_edit,
) -> AsyncGenerator[PipelineEvent, None]:
    """Yield stages and previews, then exactly one Result or Failure.

    `image` is in `profile`'s colour space (None: sRGB), and so are the variants and previews.
    `plan_with` plans the request (the queue passes a `planner.PlanCache`'s planner).

    Cancelling the consuming task cancels the request and leaves no partial state behind:
    nothing here mutates `image` or `mask`.
    """
    try:
        yield Stage("planning", QT_TRANSLATE_NOOP("stage", "Preparing the masked area…"))
        plan = await asyncio.to_thread(
            plan_with,
            image,
            mask,
            params,
            references=tuple(references),
            profile=profile,
        )
        async with contextlib.aclosing(engine.run(plan)) as events:
            async for event in events:
                if isinstance(event, Sending):
                    # Filled in after translation: German puts the size elsewhere.
                    sentence = SENDING.get(engine.name, SENDING["openai"])
                    yield Stage(
                        "sending", translate_format("stage", sentence, size=plan.size_param)
                    )
                    yield Stage("generating", QT_TRANSLATE_NOOP("stage", "Waiting for the result…"))
                elif isinstance(event, PartialImage):
                    pixels = await asyncio.to_thread(
                        _composite_encoded, image, event.image, plan, mask, profile
                    )
                    yield Preview(event.index, pixels)
                elif isinstance(event, Completed):
                    yield Stage(
                        "compositing",
                        QT_TRANSLATE_NOOP("stage", "Blending the results into the photo…"),
                    )
                    variants = []
                    for encoded in event.images:
                        variants.append(
                            await asyncio.to_thread(
                                _composite_encoded, image, encoded, plan, mask, profile
                            )
                        )
                    cost = None
                    if engine.metered:
                        cost = pricing.cost_from_usage(
                            params.model, event.usage, len(variants), params, plan.request_size
                        )
                    yield Result(tuple(variants), plan, event.usage, cost, event.notice)
                    return
                elif isinstance(event, Failed):
                    error = event.error
                    yield Failure(
                        error if isinstance(error, ImgdeskError) else internal_error(error)
                    )
                    return
        yield Failure(internal_error(RuntimeError("the engine ended without a result")))
    except ImgdeskError as error:
        yield Failure(error)
    except (asyncio.CancelledError, GeneratorExit):
        raise
    except Exception as error:
        log.exception("edit failed unexpectedly")
        yield Failure(internal_error(error))
