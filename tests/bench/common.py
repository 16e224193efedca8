"""What every benchmark module shares: the figure record, inputs, timing and Qt helpers.

Inputs are generated, never downloaded: a deterministic 6000x4000 "photo" (smooth structure plus
sensor-like noise, so it compresses like a real one) encoded as JPEG once per run into the run's
work folder, and masks painted with the app's own brush.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

BENCH_DIR = Path(__file__).resolve().parent
TESTS_DIR = BENCH_DIR.parent
REPO = TESTS_DIR.parent
for _entry in (str(REPO / "src"), str(TESTS_DIR), str(BENCH_DIR)):
    if _entry not in sys.path:
        sys.path.insert(0, _entry)

PHOTO_SIZE = (6000, 4000)  # 24 MP, width x height
PHOTO_NAME = "photo-24mp.jpg"


@dataclass(frozen=True)
class Figure:
    """One measured figure and the naive way of doing the same work, measured in the same run."""

    name: str
    value: float | None  # None: not measured (see `note`)
    naive: float | None
    unit: str
    target: str  # what the issue asks for, in words
    met: bool | None  # None when there is nothing to judge
    note: str = ""  # why a figure is missing, or what else a reader should know

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.naive is None or self.naive == 0:
            return None
        return self.value / self.naive

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "naive": self.naive,
            "unit": self.unit,
            "target": self.target,
            "met": self.met,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Figure:
        def num(key: str) -> float | None:
            value = data.get(key)
            return float(value) if isinstance(value, int | float) else None

        met = data.get("met")
        return cls(
            str(data["name"]),
            num("value"),
            num("naive"),
            str(data.get("unit", "")),
            str(data.get("target", "")),
            met if isinstance(met, bool) else None,
            str(data.get("note", "")),
        )


def missing(name: str, unit: str, target: str, reason: str) -> Figure:
    return Figure(name, None, None, unit, target, None, reason)


@dataclass(frozen=True)
class Bench:
    quick: bool
    workdir: Path  # shared by every module of one run; holds the generated photo

    @property
    def photo_path(self) -> Path:
        return self.workdir / PHOTO_NAME

    def pick(self, quick: int, full: int) -> int:
        return quick if self.quick else full


# ---- inputs --------------------------------------------------------------------------------


def make_photo_pixels(size: tuple[int, int] = PHOTO_SIZE, seed: int = 6) -> npt.NDArray[np.uint8]:
    """An opaque RGB "photo": soft shapes and gradients at low resolution, scaled up, plus noise."""
    import cv2

    width, height = size
    rng = np.random.default_rng(seed)
    small_w, small_h = max(width // 40, 2), max(height // 40, 2)
    yy, xx = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    base = np.empty((small_h, small_w, 3), np.float32)
    for channel in range(3):
        fx, fy, phase = rng.uniform(0.02, 0.12), rng.uniform(0.02, 0.12), rng.uniform(0, 6.3)
        base[..., channel] = 110 + 60 * np.sin(xx * fx + phase) * np.cos(yy * fy - phase)
    base += rng.normal(0, 18, base.shape).astype(np.float32)  # blotches: texture at every scale
    big = cv2.resize(base, (width, height), interpolation=cv2.INTER_CUBIC)
    noise = rng.normal(0, 4, (height, width, 1)).astype(np.float32)  # luminance grain
    pixels: npt.NDArray[np.uint8] = np.clip(big + noise, 0, 255).astype(np.uint8)
    return pixels


def ensure_photo(bench: Bench) -> Path:
    """The 24 MP JPEG for this run, written once into the work folder."""
    path = bench.photo_path
    if not path.exists():
        from PIL import Image

        tmp = path.with_suffix(".tmp")
        Image.fromarray(make_photo_pixels(), "RGB").save(tmp, "JPEG", quality=90)
        os.replace(tmp, path)
    return path


def load_photo(bench: Bench) -> npt.NDArray[np.uint8]:
    """The photo as the app holds it: (h, w, 4) uint8 sRGB RGBA, through the app's loader."""
    from imgdesk.core.imageio import load_image

    pixels: npt.NDArray[np.uint8] = load_image(ensure_photo(bench)).pixels
    return pixels


def blob_mask(
    size: tuple[int, int], centre: tuple[float, float], share: float
) -> npt.NDArray[np.uint8]:
    """A round brush dab covering `share` of the picture, painted with the app's brush."""
    from imgdesk.core import masks

    width, height = size
    mask = masks.empty_mask(width, height)
    radius = math.sqrt(share * width * height / math.pi)
    masks.paint_stroke(mask, [centre], radius=radius)
    out: npt.NDArray[np.uint8] = mask
    return out


def ellipse_mask(size: tuple[int, int], box: tuple[int, int, int, int]) -> npt.NDArray[np.uint8]:
    """A filled ellipse inscribed in `box` (left, top, right, bottom)."""
    import cv2

    width, height = size
    left, top, right, bottom = box
    mask = np.zeros((height, width), np.uint8)
    centre = ((left + right) // 2, (top + bottom) // 2)
    axes = ((right - left) // 2, (bottom - top) // 2)
    cv2.ellipse(mask, centre, axes, 0, 0, 360, 255, -1, cv2.LINE_AA)
    return mask


# ---- timing --------------------------------------------------------------------------------


def now_ms() -> float:
    return time.perf_counter() * 1000.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def time_ms(fn: Callable[[], object], repeats: int, *, warmup: int = 1) -> list[float]:
    """Wall times of `repeats` calls (after `warmup` untimed calls), in ms."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = now_ms()
        fn()
        times.append(now_ms() - start)
    return times


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as elapsed:` leaves the block's wall time in ms in `elapsed[0]`."""
    elapsed: list[float] = []
    start = now_ms()
    try:
        yield elapsed
    finally:
        elapsed.append(now_ms() - start)


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc; 0 where unavailable)."""
    try:
        fields = Path("/proc/self/statm").read_text().split()
    except OSError:
        return 0.0
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / 1024**2


# ---- Qt ------------------------------------------------------------------------------------


def qt_app() -> object:
    """The one QApplication of this worker process (offscreen unless the caller chose)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication(sys.argv[:1])
