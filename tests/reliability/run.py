"""The reliability and security report: `python tests/reliability/run.py [--quick] [--json PATH]`.

Runs, in order: hostile pictures through the loader, disk-full faults, the sentinel-key flow with
the egress guard, and the SIGKILL harness; prints the figures and, with --json, writes them as
one flat JSON object. Exit status 0 when every correctness count is zero (see `MUST_BE_ZERO`),
1 otherwise. See docs/reliability.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for entry in (REPO / "src", REPO / "tests"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from reliability.hostile_images import run_hostile_images  # noqa: E402
from reliability.io_faults import run_io_faults  # noqa: E402
from reliability.kill_harness import run_kill_harness  # noqa: E402
from reliability.sentinel_keys import run_sentinel_flow  # noqa: E402

MUST_BE_ZERO = (
    "invariant_violations",
    "loader_failures_uncaught",
    "faults_mishandled",
    "secrets_found",
    "egress_violations",
    "sentinel_flow_failures",
)

# quick: < 3 minutes on 2 cores; full: the documented run.
PROFILES: dict[str, dict[str, Any]] = {
    "quick": {"kills": 20, "flips": 2},
    "full": {"kills": 200, "flips": 16},
}


def collect(profile: dict[str, Any], seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(flat figures, details for people reading a failure)."""
    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    started = time.monotonic()

    loader = run_hostile_images(variant_sources=None, flips=profile["flips"], seed=seed)
    figures.update(
        files_tried=loader.files_tried,
        corpus_files=loader.corpus_files,
        variant_files=loader.variants,
        files_loaded=loader.loaded,
        files_refused=loader.refused,
        loader_failures_uncaught=loader.loader_failures_uncaught,
        loader_over_budget=loader.loader_over_budget,
        loader_max_cpu_ms=round(loader.max_cpu_ms, 1),
        loader_worker_peak_rss_mb=loader.worker_peak_rss_mb,
    )
    details["loader_failures"] = loader.failures[:30]

    faults = run_io_faults()
    figures.update(
        faults_injected=faults.faults_injected,
        faults_mishandled=faults.faults_mishandled,
        faults_skipped=faults.faults_skipped,
    )
    details["faults"] = faults.results

    sentinel = run_sentinel_flow()
    figures.update(
        secrets_found=sentinel.secrets_found,
        secret_files_scanned=sentinel.files_scanned,
        secret_outputs_scanned=sentinel.outputs_scanned,
        sentinel_flow_steps=sentinel.flow_steps,
        sentinel_flow_failures=sentinel.flow_failures,
        egress_violations=sentinel.egress_violations,
        egress_guard_selftest=sentinel.egress_guard_selftest,
    )
    details.update(
        leaks=sentinel.leaks, sentinel_failures=sentinel.failures, egress=sentinel.egress_log
    )

    kills = run_kill_harness(profile["kills"], seed=seed)
    figures.update(
        kills=kills.kills,
        invariant_violations=kills.invariant_violations,
        kill_rounds_without_kill=kills.rounds_without_kill,
        purchases_credited=kills.purchases_credited,
        sessions_paid=kills.sessions_paid,
        jobs_enqueued=kills.jobs_enqueued,
        jobs_done=kills.jobs_done,
        holds_released_at_restart=kills.holds_released_at_restart,
        orphans_within_grace_max=kills.orphans_within_grace_max,
        orphans_swept_after_grace=kills.orphans_swept_after_grace,
        kill_harness_seconds=kills.seconds,
    )
    details["violations"] = kills.violations
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures, details


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="the CI-sized run (< 3 minutes)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as flat JSON")
    parser.add_argument("--seed", type=int, default=7, help="seed for kills and bit flips")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    figures, details = collect(PROFILES[mode], args.seed)
    figures = {"mode": mode, "seed": args.seed, **figures}
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        flag = "  <-- must be 0" if name in MUST_BE_ZERO and value else ""
        print(f"{name:<{width}}  {value}{flag}")
    problems = {
        k: v
        for k, v in details.items()
        if v
        and (
            not isinstance(v, dict)
            or any(not str(text).startswith(("ok", "skipped")) for text in v.values())
        )
    }
    if problems:
        print("\ndetails:")
        print(json.dumps(problems, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if any(figures[name] for name in MUST_BE_ZERO) else 0


if __name__ == "__main__":
    sys.exit(main())
