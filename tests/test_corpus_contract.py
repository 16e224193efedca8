"""Every file of the shared image corpus either loads as RGBA or is refused with a sentence.

The corpus holds Pillow's fuzzing crashers, decompression bombs and damaged files. The sweep runs
in a worker process (tests/corpus_worker.py) so that a decoder segfault or hang is reported as the
failure of the file that caused it, and the worker is started again for the remaining files.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

import numpy as np
import pytest

from imgdesk.core.imageio import load_image

# Computed here rather than imported from conftest: a nested conftest.py (tests/gui/) can shadow
# the module name `conftest` on sys.path.
REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "images"
WORKER = Path(__file__).with_name("corpus_worker.py")
# The contract: each file is decided within 2 s. Measured as the worker's CPU time, which a busy
# CI machine does not inflate the way it inflates wall time.
CPU_BUDGET_MS = 2000.0
# Wall-clock time after which a file counts as a hang and the worker is killed.
HANG_SECONDS = 30.0
STARTUP_SECONDS = 60.0


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(path for path in CORPUS.iterdir() if path.is_file())


# Files the contract must not merely survive but decide a particular way.
EXPECTED_LOADED = {
    "hopper.png": (128, 128),
    "hopper.jpg": (128, 128),
    "hopper.webp": (128, 128),
    "hopper.tif": (128, 128),
    "hopper.bmp": (128, 128),
    "hopper.gif": (128, 128),
    "sugarshack.mpo": (480, 640),
    "multipage.tiff": (10, 10),
    "apng__mode_16bit.png": (64, 128),
    "tiff_16bit_RGB.tiff": (40, 100),
    "pil_sample_cmyk.jpg": (100, 100),
    "hopper_bad_exif.jpg": (500, 500),
    "invalid-exif.jpg": (200, 200),
    "g4_orientation_6.tif": (88, 590),  # stored 590 wide; orientation 6 stands it upright
}
EXPECTED_REFUSED = {
    "truncated_jpeg.jpg",
    "truncated_image.png",
    "decompression_bomb.gif",
    "bmp__b__reallybig.bmp",
    "16bit.cropped.jp2",
    "hopper_16bit.pgm",
    "timeout-1ee28a249896e05b83840ae8140622de8e648ba9.psd",
    "crash-465703f71a0f0094873a3e0e82c9f798161171b8.sgi",
}
# 16-bit TIFF layouts whose 8-bit rendering Pillow's test suite keeps as a PNG.
SAME_PIXELS = [
    ("tiff_16bit_RGB.tiff", "tiff_16bit_RGB_target.png"),
    ("tiff_strip_planar_16bit_RGB.tiff", "tiff_16bit_RGB_target.png"),
    ("tiff_tiled_planar_16bit_RGB.tiff", "tiff_16bit_RGB_target.png"),
    ("tiff_16bit_RGBa.tiff", "tiff_16bit_RGBa_target.png"),
    ("tiff_strip_planar_16bit_RGBa.tiff", "tiff_16bit_RGBa_target.png"),
]


class _Worker:
    """One worker process; answers one file at a time, or dies trying."""

    def __init__(self, *, hang_seconds: float, extra_env: dict[str, str]) -> None:
        self._hang_seconds = hang_seconds
        env = {**os.environ, **extra_env}
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO / "src"), env.get("PYTHONPATH")])
        )
        # Kept open for the worker's lifetime and closed in close(), not in a with-block.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-W", "error", "-X", "faulthandler", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        ready = self._next_line(STARTUP_SECONDS)
        if ready is None or not json.loads(ready).get("ready"):
            self.close()
            pytest.fail(f"corpus worker did not start: {self.stderr_tail()}")

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _next_line(self, timeout: float) -> str | None:
        return self._lines.get(timeout=timeout)

    def ask(self, path: Path) -> dict[str, Any]:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(f"{path}\n")
            self._process.stdin.flush()
            line = self._next_line(self._hang_seconds)
        except queue.Empty:
            self.close(kill=True)
            return {
                "file": path.name,
                "outcome": "hang",
                "error": f"no answer in {self._hang_seconds} s",
            }
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            code = self._process.wait(timeout=HANG_SECONDS)
            return {
                "file": path.name,
                "outcome": "crash",
                "error": f"worker exited with {code}: {self.stderr_tail()}",
            }
        result: dict[str, Any] = json.loads(line)
        return result

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-2000:]

    def close(self, *, kill: bool = False) -> None:
        if self._process.poll() is None:
            if kill:
                self._process.kill()
            elif self._process.stdin is not None:
                self._process.stdin.close()  # end of input: the worker exits by itself
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        # The reader ends at end of file, which the exited process guarantees.
        self._reader.join(timeout=HANG_SECONDS)
        if self._process.stdout is not None:
            self._process.stdout.close()
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):  # the pipe broke when the worker died
                self._process.stdin.close()
        self._stderr.close()


def _sweep(
    files: list[Path],
    *,
    hang_seconds: float = HANG_SECONDS,
    extra_env: dict[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    worker: _Worker | None = None
    try:
        for path in files:
            if worker is None or not worker.alive:
                if worker is not None:
                    worker.close()
                worker = _Worker(hang_seconds=hang_seconds, extra_env=extra_env or {})
            results[path.name] = worker.ask(path)
            if results[path.name]["outcome"] in ("crash", "hang"):
                worker.close()
                worker = None
    finally:
        if worker is not None:
            worker.close()
    return results


@pytest.fixture(scope="module")
def corpus_results() -> dict[str, dict[str, Any]]:
    return _sweep(_corpus_files())


def test_sweep_reports_a_crash_and_a_hang_against_the_file_and_carries_on() -> None:
    # The worker's fault switch stands in for a decoder that segfaults or never returns.
    files = [
        CORPUS / "hopper.png",
        CORPUS / "hopper.jpg",
        CORPUS / "hopper.gif",
        CORPUS / "hopper.bmp",
    ]
    results = _sweep(
        files,
        hang_seconds=3.0,
        extra_env={"CORPUS_WORKER_FAULTS": "crash:hopper.jpg,hang:hopper.gif"},
    )
    assert [results[path.name]["outcome"] for path in files] == [
        "loaded",
        "crash",
        "hang",
        "loaded",
    ]
    assert "Fatal Python error" in results["hopper.jpg"]["error"]


def test_corpus_is_present() -> None:
    assert CORPUS.is_dir(), f"the shared image corpus is missing: {CORPUS}"
    assert len(_corpus_files()) >= 195


@pytest.mark.parametrize("name", [path.name for path in _corpus_files()])
def test_file_loads_or_is_refused_with_a_sentence(
    name: str, corpus_results: dict[str, dict[str, Any]]
) -> None:
    result = corpus_results[name]
    outcome = result["outcome"]
    assert outcome in ("loaded", "refused"), f"{name}: {outcome}: {result.get('error')}"
    if outcome == "loaded":
        height, width, channels = result["shape"]
        assert channels == 4
        assert height > 0
        assert width > 0
        assert result["dtype"] == "uint8"
    else:
        assert result["kind"] == "image"
        assert result["message"].strip()
        assert name in result["message"]  # names the file the designer picked
    assert result["cpu_ms"] < CPU_BUDGET_MS, f"{name} took {result['cpu_ms']:.0f} ms of CPU"


@pytest.mark.parametrize(("name", "size"), sorted(EXPECTED_LOADED.items()))
def test_known_good_files_load_upright(
    name: str, size: tuple[int, int], corpus_results: dict[str, dict[str, Any]]
) -> None:
    result = corpus_results[name]
    assert result["outcome"] == "loaded", result
    assert tuple(result["shape"][:2]) == size


@pytest.mark.parametrize("name", sorted(EXPECTED_REFUSED))
def test_known_bad_files_are_refused(name: str, corpus_results: dict[str, dict[str, Any]]) -> None:
    assert corpus_results[name]["outcome"] == "refused", corpus_results[name]


@pytest.mark.parametrize(("name", "target"), SAME_PIXELS)
def test_16bit_tiff_layouts_match_their_8bit_rendering(
    name: str, target: str, corpus_results: dict[str, dict[str, Any]]
) -> None:
    assert corpus_results[name]["outcome"] == "loaded"
    assert corpus_results[name]["sha256"] == corpus_results[target]["sha256"]


@pytest.mark.parametrize("extension", ["jpg", "webp"])
@pytest.mark.parametrize("orientation", range(2, 9))
def test_orientation_samples_come_out_like_the_upright_original(
    orientation: int, extension: str
) -> None:
    # These files hold hopper stored turned or mirrored, tagged so that viewers undo it.
    upright = load_image(CORPUS / "hopper.jpg").pixels.astype(np.int16)
    turned = load_image(CORPUS / f"hopper_orientation_{orientation}.{extension}")
    difference = np.abs(turned.pixels.astype(np.int16) - upright).mean()
    # Re-encoding costs a few levels; a wrong turn or mirror costs tens.
    assert difference < 8, f"mean difference {difference:.1f}"
    assert np.abs(np.rot90(turned.pixels).astype(np.int16) - upright).mean() > 20


def test_summary(
    corpus_results: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes = [result["outcome"] for result in corpus_results.values()]
    loaded, refused = outcomes.count("loaded"), outcomes.count("refused")
    slowest = max(corpus_results.values(), key=lambda result: result.get("cpu_ms", 0.0))
    with capsys.disabled():
        print(
            f"\nimage corpus: {len(outcomes)} files, {loaded} loaded, {refused} refused, "
            f"{len(outcomes) - loaded - refused} failed; slowest {slowest['file']} "
            f"{slowest.get('cpu_ms', 0.0):.1f} ms CPU / {slowest.get('wall_ms', 0.0):.1f} ms wall"
        )
    assert loaded + refused == len(outcomes)
    assert loaded > 0
    assert refused > 0
