"""A runner process killed with SIGKILL mid-batch, restarted until the batch is finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from imgdesk.core.paths import app_paths
from imgdesk.core.store import Store

WORKER = Path(__file__).resolve().parent / "restart_worker.py"
JOBS = 10
CONCURRENCY = 2  # restart_worker's


def _run_worker(data_dir: Path, kill_at: tuple[str, int] | None) -> list[str]:
    """Run the worker; SIGKILL it once it printed `kill_at[1]` lines of kind `kill_at[0]`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir), str(JOBS), "0.15"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    seen = 0
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if kill_at is not None and line.startswith(kill_at[0]):
                seen += 1
                if seen >= kill_at[1]:
                    proc.send_signal(signal.SIGKILL)
                    # Keep what it printed before it died: those jobs were recorded.
                    lines += [rest.strip() for rest in proc.stdout]
                    break
    finally:
        proc.stdout.close()
        proc.wait(timeout=60)  # reaped, so the dead pid is really gone
    if kill_at is None:
        assert proc.returncode == 0, lines
        assert lines[-1] == "finished"
    else:
        assert proc.returncode == -signal.SIGKILL
    return lines


@pytest.mark.slow
def test_sigkill_mid_batch_then_restart_records_every_job_exactly_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    kills = [("started", 1), ("done", 2), ("started", 3), ("done", 1)]
    done_lines: list[str] = []
    for kill_at in kills:
        done_lines += [line for line in _run_worker(data_dir, kill_at) if line.startswith("done")]
    done_lines += [line for line in _run_worker(data_dir, None) if line.startswith("done")]

    # No job was recorded twice over all the runs, dead ones included. (A process can die
    # between recording a job and printing it, so a job may also go unreported.)
    assert len(done_lines) == len(set(done_lines))
    assert JOBS - len(kills) <= len(done_lines) <= JOBS

    with Store.open(app_paths(data_dir), sweep=False) as store:
        assert store.db.integrity_ok()
        nodes = store.history.page(limit=1000)
        assert len(nodes) == JOBS
        assert {n.status for n in nodes} == {"done"}
        assert sorted(n.prompt for n in nodes) == sorted(f"prompt number {i}" for i in range(JOBS))
        assert all(len(n.outputs) == 1 for n in nodes)
        # A job that was in flight when its process died was sent again, and that shows.
        assert max(n.attempts for n in nodes) >= 2
        assert store.jobs.counts()["running"] == 0

        referenced = store.history.referenced_blobs()
        on_disk = set(store.blobs.names())
        assert referenced <= on_disk  # no file missing
        assert {f"done {n.id}" for n in nodes} >= set(done_lines)
        for node in nodes:
            assert store.blobs.read_image(node.outputs[0]).shape == (48, 64, 4)
        # Orphans: only results written by a process killed before it recorded them; at most
        # one per job in flight per kill, and the sweep (here without grace) removes them all.
        orphans = on_disk - referenced
        assert len(orphans) <= len(kills) * CONCURRENCY
        assert sorted(store.sweep(grace=0)) == sorted(orphans)
        assert set(store.blobs.names()) == referenced
