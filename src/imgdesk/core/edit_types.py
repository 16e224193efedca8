"""Plain values passed between the planner, the engines and the compositor."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

# 8-bit coverage, shape (height, width): 255 = change this pixel, 0 = keep it.
MaskArray = npt.NDArray[np.uint8]
# 8-bit RGBA, shape (height, width, 4).
RGBAArray = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Box:
    """A pixel rectangle, right and bottom exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)


@dataclass(frozen=True)
class EditParams:
    """What the user asked for. Validated against the model catalog before anything is sent."""

    prompt: str
    model: str = "gpt-image-2"
    quality: str = "auto"
    size: str = "auto"  # "auto" (planner picks from the mask) or "WIDTHxHEIGHT"
    n: int = 1
    output_format: str = "png"
    output_compression: int | None = None
    background: str = "auto"
    input_fidelity: str | None = None
    partial_images: int = 0  # streamed previews per request, 0-3


@dataclass(frozen=True)
class Reference:
    """An extra input image that rides along with the edit (style or object reference)."""

    name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class EditPlan:
    """Everything an engine needs, already encoded; produced by `planner.plan_edit`."""

    params: EditParams
    image_size: tuple[int, int]  # the full document (width, height)
    crop: Box  # region of the document that is sent
    request_size: tuple[int, int]  # (width, height) the crop is encoded at and asked back at
    image_png: bytes  # crop resized to request_size, RGBA PNG
    mask_png: bytes  # same size, alpha 0 = edit (the API's convention)
    references: tuple[Reference, ...] = ()
    # Which of an engine's own variants comes first. A batch sends each variant as its own
    # one-image job; the offline engine (which has no randomness) would otherwise repeat itself.
    first_variant: int = 0

    @property
    def size_param(self) -> str:
        return f"{self.request_size[0]}x{self.request_size[1]}"


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    input_image_tokens: int = 0
    input_text_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.input_image_tokens + other.input_image_tokens,
            self.input_text_tokens + other.input_text_tokens,
            self.output_tokens + other.output_tokens,
            self.total_tokens + other.total_tokens,
        )


# Engine progress events. An engine's event stream ends with exactly one Completed or Failed.
@dataclass(frozen=True)
class Sending:
    """The request is on its way (upload started)."""


@dataclass(frozen=True)
class PartialImage:
    index: int  # partial_image_index from the service, 0-based
    image: bytes  # encoded image at request_size


@dataclass(frozen=True)
class Completed:
    images: tuple[bytes, ...]  # encoded results at request_size, one per variant
    usage: Usage | None = None
    notice: str | None = None  # something the user should know (e.g. "the prompt was ignored")


@dataclass(frozen=True)
class Failed:
    error: Exception = field(repr=True)  # always an ImgdeskError


EngineEvent = Sending | PartialImage | Completed | Failed
