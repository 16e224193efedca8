"""Hostile pictures: the shared corpus plus damaged variants of its good files, loaded in workers.

Variants of every corpus file that loads: each truncation point at 1/16 steps, seeded random bit
flips, and headers rewritten to claim huge sizes (PNG, JPEG, GIF, BMP, TIFF). Each file goes
through `tests/corpus_worker.py` (the corpus contract's worker) under an address-space cap; the
contract is: RGBA pixels or ImgdeskError, never another exception, a crash or a hang. CPU time
above the 2 s budget is counted separately (a figure, not a correctness count).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import random
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "images"
WORKER = REPO / "tests" / "corpus_worker.py"
MEMORY_CAP = 3 * 1024**3
CPU_BUDGET_MS = 2000.0
HANG_SECONDS = 20.0
STARTUP_SECONDS = 60.0


@dataclass
class LoaderFigures:
    files_tried: int = 0
    corpus_files: int = 0
    variants: int = 0
    loaded: int = 0
    refused: int = 0
    loader_failures_uncaught: int = 0  # another exception, a crash or a hang
    loader_over_budget: int = 0  # decided, but above 2 s of CPU
    max_cpu_ms: float = 0.0
    worker_peak_rss_mb: float = 0.0
    failures: list[str] = field(default_factory=list)


# --- variants ------------------------------------------------------------------------------


def truncations(data: bytes) -> Iterator[tuple[str, bytes]]:
    for k in range(1, 16):
        yield f"trunc{k:02d}", data[: len(data) * k // 16]


def bit_flips(name: str, data: bytes, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed ^ zlib.crc32(name.encode()))
    for j in range(count):
        out = bytearray(data)
        # Every other variant aims at the headers, where a flip changes how the rest is read.
        span = min(len(out), 512) if j % 2 else len(out)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(span)] ^= 1 << rng.randrange(8)
        yield f"flip{j}", bytes(out)


def huge_header(data: bytes) -> bytes | None:
    """The same file with its header claiming an enormous picture; None for other formats."""
    out = bytearray(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        out[16:24] = struct.pack(">II", 0x7FFFFFFF, 0x7FFFFFFF)
        out[29:33] = struct.pack(">I", zlib.crc32(bytes(out[12:29])))
        return bytes(out)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(out) and out[i] == 0xFF:
            marker, length = out[i + 1], int.from_bytes(out[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                out[i + 5 : i + 9] = b"\xff\xff\xff\xff"  # height, width = 65535
                return bytes(out)
            i += 2 + length
        return None
    if data[:6] in (b"GIF87a", b"GIF89a"):
        out[6:10] = b"\xff\xff\xff\xff"
        return bytes(out)
    if data.startswith(b"BM") and len(data) > 26:
        out[18:26] = struct.pack("<ii", 0x7FFFFFF0, 0x7FFFFFF0)
        return bytes(out)
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return _huge_tiff(out)
    return None


def _huge_tiff(out: bytearray) -> bytes | None:
    order = "<" if out[:2] == b"II" else ">"
    (ifd,) = struct.unpack_from(order + "I", out, 4)
    if ifd + 2 > len(out):
        return None
    (count,) = struct.unpack_from(order + "H", out, ifd)
    changed = False
    for n in range(count):
        entry = ifd + 2 + 12 * n
        if entry + 12 > len(out):
            break
        tag, kind = struct.unpack_from(order + "HH", out, entry)
        if tag in (256, 257):  # ImageWidth, ImageLength
            if kind == 3:  # SHORT
                struct.pack_into(order + "H", out, entry + 8, 0xFFFF)
            else:
                struct.pack_into(order + "I", out, entry + 8, 0x00FFFFFF)
            changed = True
    return bytes(out) if changed else None


def write_variants(good: list[Path], folder: Path, *, flips: int, seed: int) -> list[Path]:
    written: list[Path] = []
    for path in good:
        data = path.read_bytes()
        items = [*truncations(data), *bit_flips(path.name, data, flips, seed)]
        huge = huge_header(data)
        if huge is not None:
            items.append(("huge", huge))
        for label, payload in items:
            target = folder / f"{path.stem}.{label}{path.suffix}"
            target.write_bytes(payload)
            written.append(target)
    return written


# --- the worker ----------------------------------------------------------------------------


def _cap_memory() -> None:
    # corpus_worker lowers its soft limit to min(hard, 8 GB); a lower hard limit wins.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO / "src"), env.get("PYTHONPATH")])
        )
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-W", "error", "-X", "faulthandler", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
            preexec_fn=_cap_memory,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        ready = self._next(STARTUP_SECONDS)
        if ready is None or not json.loads(ready).get("ready"):
            raise RuntimeError(f"corpus worker did not start: {self.stderr_tail()}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _next(self, timeout: float) -> str | None:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def ask(self, path: Path) -> dict[str, Any] | None:
        """The worker's answer, or None when it crashed or hung on this file."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(f"{path}\n")
            self.process.stdin.flush()
        except OSError:
            return None
        line = self._next(HANG_SECONDS)
        return None if line is None else dict(json.loads(line))

    def stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-600:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._reader.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()


def sweep(paths: list[Path], record: Callable[[Path, dict[str, Any] | None, str], None]) -> None:
    """Ask a worker about each path; a worker that crashes or hangs is replaced."""
    worker = _Worker()
    try:
        for path in paths:
            answer = worker.ask(path)
            if answer is None:
                record(path, None, worker.stderr_tail())
                worker.close()
                worker = _Worker()
            else:
                record(path, answer, "")
    finally:
        worker.close()


def run_hostile_images(*, variant_sources: int | None, flips: int, seed: int = 11) -> LoaderFigures:
    """All corpus files, plus variants of `variant_sources` good files (None: all of them)."""
    figures = LoaderFigures()
    lock = threading.Lock()
    loaded_files: list[Path] = []

    def record(path: Path, answer: dict[str, Any] | None, stderr: str) -> None:
        with lock:
            figures.files_tried += 1
            if answer is None:
                figures.loader_failures_uncaught += 1
                figures.failures.append(f"{path.name}: worker crashed or hung: {stderr[-200:]}")
                return
            outcome = answer["outcome"]
            figures.max_cpu_ms = max(figures.max_cpu_ms, float(answer["cpu_ms"]))
            if float(answer["cpu_ms"]) > CPU_BUDGET_MS:
                figures.loader_over_budget += 1
                figures.failures.append(f"{path.name}: {answer['cpu_ms']:.0f} ms CPU")
            if outcome == "loaded" and answer["dtype"] == "uint8" and answer["shape"][2:] == [4]:
                figures.loaded += 1
                if path.parent == CORPUS:
                    loaded_files.append(path)
            elif outcome == "refused":
                figures.refused += 1
            else:
                figures.loader_failures_uncaught += 1
                figures.failures.append(f"{path.name}: {answer}")

    corpus = sorted(p for p in CORPUS.iterdir() if p.is_file()) if CORPUS.is_dir() else []
    figures.corpus_files = len(corpus)
    _parallel(corpus, record)
    good = sorted(loaded_files)
    if variant_sources is not None:
        good = random.Random(seed).sample(good, min(variant_sources, len(good)))
    with tempfile.TemporaryDirectory(prefix="imgdesk-hostile-") as tmp:
        variants = write_variants(good, Path(tmp), flips=flips, seed=seed)
        figures.variants = len(variants)
        _parallel(variants, record)
    figures.worker_peak_rss_mb = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    return figures


def _parallel(
    paths: list[Path], record: Callable[[Path, dict[str, Any] | None, str], None]
) -> None:
    lanes = max(1, min(2, os.cpu_count() or 1))
    threads = [threading.Thread(target=sweep, args=(paths[i::lanes], record)) for i in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
