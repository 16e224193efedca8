"""Loads picture files named on stdin and reports each outcome as one JSON line on stdout.

Run by tests/test_corpus_contract.py in its own process, so that a decoder crash or hang costs
this process, not the test run. Started with `-W error`, so a warning escaping load_image shows
up as an "error" outcome. Protocol: prints {"ready": true} once imported, then for every path
read from stdin one line {"file", "outcome", ...}; outcome is "loaded", "refused" or "error".
CORPUS_WORKER_FAULTS="crash:NAME,hang:NAME" makes it crash or hang on a file, to test the sweep.
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

# Caps the address space so that a memory bomb fails inside this process (as MemoryError, which
# load_image must turn into a refusal) instead of exhausting the machine.
_ADDRESS_SPACE_LIMIT = 8 * 1024**3


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Windows
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = (
        _ADDRESS_SPACE_LIMIT if hard == resource.RLIM_INFINITY else min(hard, _ADDRESS_SPACE_LIMIT)
    )
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _inject_fault(name: str) -> None:
    # Lets the test of the sweep itself fake a decoder that crashes or never returns.
    for fault in filter(None, os.environ.get("CORPUS_WORKER_FAULTS", "").split(",")):
        kind, _, target = fault.partition(":")
        if target == name and kind == "crash":
            faulthandler.enable()
            os.abort()
        if target == name and kind == "hang":
            time.sleep(3600)


def _outcome(path: Path) -> dict[str, Any]:
    from imgdesk.core.errors import ImgdeskError
    from imgdesk.core.imageio import load_image

    _inject_fault(path.name)
    result: dict[str, Any] = {"file": path.name}
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    try:
        loaded = load_image(path)
    except ImgdeskError as error:
        result.update(outcome="refused", kind=str(error.kind.value), message=error.message)
    except BaseException as error:  # the contract says this never happens; report what did
        result.update(outcome="error", error=repr(error))
    else:
        pixels = loaded.pixels
        result.update(
            outcome="loaded",
            shape=list(pixels.shape),
            dtype=str(pixels.dtype),
            format=loaded.format,
            has_alpha=loaded.has_alpha,
            sha256=hashlib.sha256(pixels.tobytes()).hexdigest(),
        )
    result["cpu_ms"] = (time.process_time() - started_cpu) * 1000
    result["wall_ms"] = (time.perf_counter() - started_wall) * 1000
    return result


def main() -> None:
    _limit_memory()
    import imgdesk.core.imageio  # noqa: F401  (imported before "ready" so timing excludes it)

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        name = line.rstrip("\n")
        if name:
            print(json.dumps(_outcome(Path(name))), flush=True)


if __name__ == "__main__":
    main()
