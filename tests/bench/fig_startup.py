"""startup_ms: from starting a process to the first painted main window.

Each sample starts `startup_probe.py` as a new Python process (interpreter start and imports
count) and stops the clock when it prints that the main window was painted. The app paints its
window's frame first and fills it in place once the editor's imports are done, so the time until
every control works is measured too (`startup_ready_ms`, held to the 1500 ms target). `app` runs
the real `imgdesk.app.run_gui`; naive (`naive_startup_ms`) is a bare PySide6 QMainWindow. The
medians of alternating runs are compared, after one untimed warm-up of each.
"""

from __future__ import annotations

import os
import subprocess
import sys

from common import BENCH_DIR, REPO, Bench, Figure, median, now_ms

FIGURES = ("startup_ms", "startup_ready_ms")
TARGET_MS = 1500.0
MAX_RATIO = 2.0


def start_once(kind: str, env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds to the first paint and to ready, for one new process."""
    start = now_ms()
    proc = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "startup_probe.py"), kind],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    painted = now_ms() - start
    second = proc.stdout.readline()
    ready = now_ms() - start
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    if line.strip() != "painted" or second.strip() != "ready":
        raise RuntimeError(f"{kind} start-up did not paint: {err.strip()[-300:]}")
    return painted, ready


def run(bench: Bench) -> list[Figure]:
    env = dict(os.environ)
    env["IMGDESK_DATA_DIR"] = str(bench.workdir / "startup-data")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "STRIPE_API_KEY"):
        env.pop(name, None)
    # A user's Python caches compiled modules; a sandbox that forbids it would time compiling
    # imgdesk's sources at every start instead. The warm-up below writes the caches.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start_once("app", env)  # warm-up: fills the data folder and the file cache
    start_once("bare", env)
    app_runs, bare_runs = [], []
    for _ in range(bench.pick(3, 9)):
        app_runs.append(start_once("app", env))
        bare_runs.append(start_once("bare", env))
    value = median([painted for painted, _ in app_runs])
    ready = median([ready for _, ready in app_runs])
    naive = median([painted for painted, _ in bare_runs])
    note = "app runs (painted/ready): " + ", ".join(f"{p:.0f}/{r:.0f}" for p, r in app_runs)
    met = value < TARGET_MS and value <= MAX_RATIO * naive
    return [
        Figure("startup_ms", value, naive, "ms", "< 1500 ms and <= 2x bare", met, note),
        Figure(
            "startup_ready_ms",
            ready,
            naive,
            "ms",
            "< 1500 ms",
            ready < TARGET_MS,
            "the same runs, until the filled-in window takes input",
        ),
    ]
