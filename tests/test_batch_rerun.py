"""Batch defects found in review: export names that moved as more jobs finished (overwriting one
result with another), a stale job that kept `imgdesk batch` from ever finishing, silent failure
exits, and a probe aimed at another host than the requests."""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fakes.openai_server import FakeOpenAIServer
from imgdesk.cli import batch_cmd, main
from imgdesk.core.batch import BatchSpec, enqueue_batch, export_nodes
from imgdesk.core.edit_types import EditParams
from imgdesk.core.paths import app_paths
from imgdesk.core.settings import Settings
from imgdesk.core.store import Store
from restart_worker import mask, photo

pytest_plugins = ("fakes.openai_fixtures",)

# Two prompts that differ only past the slug's 48 characters.
MORNING = "A photo of a red vintage bicycle leaning on a brick wall, morning light"
EVENING = "A photo of a red vintage bicycle leaning on a brick wall, evening light"


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open()
    yield opened
    opened.close()


def _finish(store: Store, node_id: str, red: int) -> None:
    claimed = store.jobs.claim("x:1:y", scope=[node_id])
    assert claimed is not None
    out = photo()
    out[..., 0] = red
    hash_ = store.put_result(out, node_id)
    assert store.complete_job(
        node_id, "x:1:y", [hash_], usage=None, cost_usd=None, cost_exact=None, notice=None
    )


def _reds(out: Path) -> dict[str, int]:
    reds = {}
    for path in sorted(out.glob("*.png")):
        if path.name != "contact_sheet.png":
            with Image.open(path) as picture:
                reds[path.name] = int(np.asarray(picture)[0, 0, 0])
    return reds


def test_export_names_do_not_depend_on_what_is_done(store: Store, tmp_path: Path) -> None:
    spec = BatchSpec(photo(), mask(), (MORNING, EVENING), 1, EditParams(MORNING), "local")
    queued = enqueue_batch(store, spec)
    out = tmp_path / "export"

    _finish(store, queued.node_ids[1], 200)  # only the second prompt is done at first
    first = export_nodes(store, [store.history.get(i) for i in queued.node_ids], out)
    assert [e["prompt"] for e in first.entries] == [EVENING]
    after_first = _reds(out)
    assert list(after_first.values()) == [200]

    _finish(store, queued.node_ids[0], 50)
    second = export_nodes(store, [store.history.get(i) for i in queued.node_ids], out)
    reds = _reds(out)
    # The evening file kept its name and pixels; the morning one got a name of its own.
    assert {name: reds[name] for name in after_first} == after_first
    assert sorted(reds.values()) == [50, 200]
    assert [p.name for p in second.written if p.name in reds] == [
        n for n in reds if n not in after_first
    ]
    assert second.renamed == ()
    by_file = {e["file"]: e["prompt"] for e in second.entries}
    assert {by_file[name] for name in reds} == {MORNING, EVENING}


def test_export_never_overwrites_a_different_file(store: Store, tmp_path: Path) -> None:
    spec = BatchSpec(photo(), mask(), ("red hat",), 1, EditParams("red hat"), "local")
    queued = enqueue_batch(store, spec)
    _finish(store, queued.node_ids[0], 90)
    nodes = [store.history.get(i) for i in queued.node_ids]
    out = tmp_path / "export"
    out.mkdir()
    clean = export_nodes(store, nodes, tmp_path / "clean")
    (name,) = [e["file"] for e in clean.entries]
    (out / name).write_bytes(b"the user's own file")

    report = export_nodes(store, nodes, out)
    assert (out / name).read_bytes() == b"the user's own file"
    ((wanted, actual),) = report.renamed
    assert wanted == out / name
    assert actual != wanted
    assert actual.read_bytes() == store.blobs.read(nodes[0].outputs[0])
    assert report.entries[0]["file"] == actual.name

    again = export_nodes(store, nodes, out)  # idempotent: found where it was put
    assert again.written == ()
    assert again.renamed == ((wanted, actual),)
    assert len(list(out.glob("*.png"))) == 3  # the user's file, ours, the contact sheet


# --- the command -------------------------------------------------------------------------------


def _argv(tmp_path: Path) -> list[str]:
    image = tmp_path / "photo.png"
    Image.fromarray(photo(), "RGBA").save(image)
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("remove the thing\nremove the other thing\n")
    return [
        "batch",
        str(image),
        "--rect",
        "20,10,24,20",
        "--prompts",
        str(prompts),
        "-n",
        "2",
        "--quality",
        "low",
        "--engine",
        "openai",
        "--out",
        str(tmp_path / "out"),
    ]


def _strand(owner: str, lease_until: float) -> str:
    """Make one done job look like it was in flight when its runner went away."""
    with sqlite3.connect(app_paths().database) as db:
        node_id = str(
            db.execute("SELECT node_id FROM jobs ORDER BY position LIMIT 1").fetchone()[0]
        )
        db.execute("UPDATE nodes SET status = 'running' WHERE id = ?", (node_id,))
        db.execute("DELETE FROM node_blobs WHERE node_id = ? AND role = 'output'", (node_id,))
        db.execute(
            "UPDATE jobs SET owner = ?, lease_until = ? WHERE node_id = ?",
            (owner, lease_until, node_id),
        )
    return node_id


def test_cli_batch_requeues_a_stale_job_and_says_why_it_stops(
    tmp_path: Path, openai_env: FakeOpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _argv(tmp_path)
    assert main(argv) == 0
    assert len(openai_env.requests) == 4
    capsys.readouterr()

    # After a reboot the dead runner's PID belongs to another process; its lease ran out long ago.
    _strand(f"{socket.gethostname()}:{os.getpid()}:deadbeef", 1.0)
    assert main(argv) == 0
    assert len(openai_env.requests) == 5

    # A live runner elsewhere still holds one: exit non-zero, and say why.
    _strand(f"{socket.gethostname()}:{os.getpid()}:cafe", time.time() + 3600)
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "1 are being sent by another imgdesk window or process" in err
    assert len(openai_env.requests) == 5


def test_probe_targets_the_host_requests_go_to(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(base_url="http://saved.invalid/v1")
    assert batch_cmd._base_url(settings) == "http://saved.invalid/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert batch_cmd._base_url(settings) == "http://127.0.0.1:9/v1"
