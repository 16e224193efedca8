"""The benchmark suite: what a user feels, each figure beside a naive way of doing the same work.

    python tests/bench/run.py [--quick] [--json PATH]

Every figure module (fig_*.py) runs in a fresh worker process of its own (this script again,
with --worker), so one module's memory, threads or Qt state never colour another's numbers, and a
module that crashes costs only its own figures, which are then reported as missing with the
reason. The table goes to stdout; --json writes one flat object: figure name -> number, and
naive_<name> -> number for the naive figures. A figure that could not be measured is null there.
Timings never fail the run: the exit status is 0 unless the suite itself broke.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, REPO, Bench, Figure, ensure_photo, missing

# Module -> its figures, in table order. Names are listed here too, so a module that cannot
# even be imported still shows up in the table and the JSON.
MODULES: dict[str, tuple[str, ...]] = {
    "fig_brush": ("brush_segment_p99_ms",),
    "fig_ui_stall": ("ui_stall_max_ms", "ui_stall_p99_ms"),
    "fig_prep": ("prep_ms", "upload_bytes"),
    "fig_composite": ("composite_ms",),
    "fig_startup": ("startup_ms", "startup_ready_ms"),
    "fig_history": ("history_open_ms", "history_rss_mb"),
    "fig_queue": ("queue_wall_ratio",),
    "fig_fidelity": ("fidelity_outside_mask_changed",),
}
FIGURE_NAMES = tuple(name for names in MODULES.values() for name in names)
WORKER_TIMEOUT_S = {True: 100, False: 300}  # per module, quick and full


def run_worker(module: str, quick: bool, workdir: Path, out: Path) -> None:
    """In the worker process: run one module and write its figures as JSON."""
    bench = Bench(quick, workdir)
    loaded = importlib.import_module(module)
    figures: list[Figure] = loaded.run(bench)
    out.write_text(json.dumps([figure.to_json() for figure in figures]))


def run_module(module: str, quick: bool, workdir: Path) -> list[Figure]:
    out = workdir / f"{module}.json"
    env = dict(os.environ)
    env["IMGDESK_DATA_DIR"] = str(workdir / f"data-{module}")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "STRIPE_API_KEY"):
        env.pop(name, None)  # never a developer's real key or endpoint
    command = [sys.executable, str(BENCH_DIR / "run.py"), "--worker", module]
    command += ["--workdir", str(workdir), "--out", str(out)] + (["--quick"] if quick else [])
    names = MODULES[module]
    try:
        proc = subprocess.run(
            command,
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S[quick],
        )
    except subprocess.TimeoutExpired:
        reason = f"{module} took longer than {WORKER_TIMEOUT_S[quick]} s"
        return [missing(name, "", "", reason) for name in names]
    if proc.returncode != 0 or not out.exists():
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        reason = f"{module} failed: {lines[-1] if lines else f'exit {proc.returncode}'}"
        return [missing(name, "", "", reason) for name in names]
    figures = [Figure.from_json(item) for item in json.loads(out.read_text())]
    got = {figure.name for figure in figures}
    figures += [missing(n, "", "", f"{module} did not report it") for n in names if n not in got]
    return figures


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def table(figures: list[Figure]) -> str:
    header = ("figure", "value", "naive", "ratio", "target", "met")
    rows = [header]
    for f in figures:
        met = "-" if f.met is None else ("yes" if f.met else "NO")
        value = "missing" if f.value is None else f"{_number(f.value)} {f.unit}".strip()
        ratio = "-" if f.ratio is None else f"{f.ratio:.3g}"
        rows.append((f.name, value, _number(f.naive), ratio, f.target, met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def flat_json(figures: list[Figure]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for figure in figures:
        out[figure.name] = figure.value
    for figure in figures:
        if figure.naive is not None:
            out["naive_" + figure.name] = figure.naive
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small version, under 2 minutes")
    parser.add_argument("--json", type=Path, help="write figure name -> number here")
    parser.add_argument("--only", nargs="+", choices=sorted(MODULES), help="run these modules")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args.worker, args.quick, args.workdir, args.out)
        return 0

    started = time.monotonic()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="imgdesk-bench-") as tmp:
        workdir = Path(tmp)
        ensure_photo(Bench(args.quick, workdir))  # generated once, outside every timing
        figures: list[Figure] = []
        for module in args.only or MODULES:
            module_start = time.monotonic()
            figures += run_module(module, args.quick, workdir)
            print(f"  {module}: {time.monotonic() - module_start:.1f} s", file=sys.stderr)
    elapsed = time.monotonic() - started
    mode = "quick" if args.quick else "full"
    print(table(figures))
    print(
        f"\n{mode} run: {elapsed:.0f} s on {os.cpu_count()} cores; "
        f"load average {load[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    )
    if args.json:
        args.json.write_text(json.dumps(flat_json(figures), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
