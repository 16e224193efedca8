"""Batch variants: prompt files, export with manifest and contact sheet, the `batch` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fakes.openai_server import FakeOpenAIServer
from imgdesk.cli import main
from imgdesk.core.batch import (
    BatchSpec,
    enqueue_batch,
    export_nodes,
    parse_prompts,
    read_prompts,
    slug,
)
from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.queue_runner import QueueRunner
from imgdesk.core.store import Store
from restart_worker import QuickEngine, mask, photo

pytest_plugins = ("fakes.openai_fixtures",)


# --- prompts ---------------------------------------------------------------------------------


def test_text_prompts_skip_blanks_and_comments() -> None:
    text = "# seasonal\n  red sneakers on sand  \n\n#draft\nblue sneakers, studio light\n"
    assert parse_prompts(text) == ["red sneakers on sand", "blue sneakers, studio light"]


def test_csv_prompts_use_the_prompt_column_or_the_first() -> None:
    with_header = 'id,prompt,notes\n1,"red, on sand",x\n2,,empty\n3,blue,y\n'
    assert parse_prompts(with_header, as_csv=True) == ["red, on sand", "blue"]
    without = 'green hat,ignored\n"a ""quoted"" one",z\n'
    assert parse_prompts(without, as_csv=True) == ["green hat", 'a "quoted" one']


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.txt", None, "does not exist"),
        ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), "not UTF-8"),
        ("empty.csv", b"prompt\n\n# nothing\n", "has no prompts"),
        ("binary.txt", b"\x00\x01\x02abc", "not a text file"),
    ],
)
def test_unreadable_prompt_files_say_why(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImgdeskError) as caught:
        read_prompts(path)
    assert caught.value.kind is ErrorKind.INVALID_REQUEST
    assert expected in caught.value.message


def test_prompt_file_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("\ufeffprompt\r\nrot\r\nbl\u00e5\r\n".encode())
    assert read_prompts(path) == ["rot", "bl\u00e5"]


def test_slug() -> None:
    assert slug("Red Sneakers — on SAND!") == "red-sneakers-on-sand"
    assert slug("Crème brûlée") == "creme-brulee"
    assert slug("!!!") == "edit"
    assert len(slug("word " * 40)) <= 48


# --- queue + export --------------------------------------------------------------------------


async def test_batch_export_manifest_and_rerun_writes_nothing_new(tmp_path: Path) -> None:
    store = Store.open()
    prompts = ("red hat", "Blue hat", "red hat!")  # two prompts share a slug
    spec = BatchSpec(photo(), mask(), prompts, 2, EditParams("", quality="low"), "quick")
    queued = enqueue_batch(store, spec)
    assert (queued.created, queued.reused) == (6, 0)
    engine = QuickEngine()
    runner = QueueRunner(store, lambda name: engine, scope=queued.node_ids)
    await runner.run(until_empty=True)
    nodes = [store.history.get(i) for i in queued.node_ids]
    store.history.set_starred([nodes[2].id], True)
    nodes = [store.history.get(i) for i in queued.node_ids]

    out = tmp_path / "export"
    report = export_nodes(store, nodes, out)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 6 + 3
    assert {"manifest.csv", "manifest.json", "contact_sheet.png"} <= set(names)
    assert "001-red-hat-01.png" in names
    assert "002-blue-hat-02.png" in names
    assert "003-red-hat-01.png" in names  # the same slug, kept apart by the prompt's number

    manifest = json.loads((out / "manifest.json").read_text())
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    assert [r["file"] for r in rows] == [m["file"] for m in manifest]
    by_file = {m["file"]: m for m in manifest}
    for entry in manifest:
        node = store.history.get(entry["node_id"])
        assert entry["prompt"] == node.prompt
        assert entry["model"] == node.model == "gpt-image-2"
        assert entry["parameters"]["quality"] == "low"
        assert "prompt" not in entry["parameters"]
        data = (out / entry["file"]).read_bytes()
        assert data == store.blobs.read(node.outputs[0])
        with Image.open(out / entry["file"]) as picture:
            assert np.asarray(picture).shape == (48, 64, 4)
    assert json.loads(rows[0]["parameters"]) == by_file[rows[0]["file"]]["parameters"]
    with Image.open(out / "contact_sheet.png") as sheet:
        assert sheet.width >= 3 * 256
        assert sheet.height >= 2 * 256

    # Rerun: same batch, same jobs, nothing sent, nothing rewritten.
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = enqueue_batch(store, spec)
    assert (again.created, again.reused) == (0, 6)
    assert again.node_ids == queued.node_ids
    calls = engine.calls
    await runner.run(until_empty=True)
    await runner.aclose()
    assert engine.calls == calls
    second = export_nodes(store, [store.history.get(i) for i in again.node_ids], out)
    assert second.written == ()
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    assert len(report.written) == 9

    starred = export_nodes(store, nodes, tmp_path / "starred", starred_only=True)
    assert [e["node_id"] for e in starred.entries] == [nodes[2].id]
    store.close()


# --- the command -----------------------------------------------------------------------------


def _inputs(tmp_path: Path, prompts: str, name: str = "prompts.txt") -> tuple[Path, Path]:
    image = tmp_path / "photo.png"
    Image.fromarray(photo(), "RGBA").save(image)
    prompt_file = tmp_path / name
    prompt_file.write_text(prompts)
    return image, prompt_file


def test_cli_batch_offline_variants_of_one_prompt_differ(tmp_path: Path) -> None:
    image, prompts = _inputs(tmp_path, "remove the box\n", "p.txt")
    out = tmp_path / "out"
    argv = ["batch", str(image), "--rect", "20,10,24,20", "--prompts", str(prompts)]
    assert main([*argv, "-n", "3", "--engine", "local", "--out", str(out)]) == 0
    variants = [np.asarray(Image.open(out / f"001-remove-the-box-0{v}.png")) for v in (1, 2, 3)]
    # Each job is one image; each asks the offline engine for a different one of its variants.
    assert not np.array_equal(variants[0], variants[1])
    assert not np.array_equal(variants[1], variants[2])
    assert not np.array_equal(variants[0], variants[2])
    # Outside the painted box every variant is the photo itself.
    outside = np.ones(variants[0].shape[:2], bool)
    outside[5:35, 15:50] = False
    original = np.asarray(Image.open(image).convert("RGBA"))
    for variant in variants:
        assert np.array_equal(variant[outside], original[outside])


@pytest.mark.slow
def test_cli_batch_local_engine_and_rerun(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image, prompts = _inputs(tmp_path, "prompt\nremove the box\n", "p.csv")
    out = tmp_path / "out"
    argv = [
        "batch",
        str(image),
        "--rect",
        "20,10,24,20",
        "--prompts",
        str(prompts),
        "-n",
        "1",
        "--engine",
        "local",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "001-remove-the-box-01.png",
        "contact_sheet.png",
        "manifest.csv",
        "manifest.json",
    ]
    (entry,) = json.loads((out / "manifest.json").read_text())
    assert entry["engine"] == "local"
    assert entry["model"] is None  # the offline engine uses no model
    assert main(argv) == 0
    assert sorted(p.name for p in out.iterdir()) == files
    err = capsys.readouterr().err
    assert "0 new, 1 from an earlier run" in err
    assert "0 files written, 4 already up to date" in err
    with Store.open() as store:
        assert store.history.count() == 1


def test_cli_batch_rerun_sends_only_what_is_missing(
    tmp_path: Path, openai_env: FakeOpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    image, prompts = _inputs(tmp_path, "a red hat\na blue hat\n")
    out = tmp_path / "out"
    argv = [
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
        str(out),
    ]
    openai_env.inject("moderation_input", count=1)  # one of the four is refused
    assert main(argv) == 3
    assert len(openai_env.requests) == 4
    first = sorted(p.name for p in out.iterdir() if p.suffix == ".png")
    assert len(first) == 3 + 1  # three results and the contact sheet
    assert "Failed:" in capsys.readouterr().err

    assert main(argv) == 0
    assert len(openai_env.requests) == 5  # only the missing one was sent again
    results = sorted(
        p.name for p in out.iterdir() if p.name != "contact_sheet.png" and p.suffix == ".png"
    )
    assert results == [
        "001-a-red-hat-01.png",
        "001-a-red-hat-02.png",
        "002-a-blue-hat-01.png",
        "002-a-blue-hat-02.png",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(m["file"] for m in manifest) == results
    assert all(m["cost_usd"] is not None and m["cost_usd"] > 0 for m in manifest)
    with Store.open() as store:
        assert store.history.count() == 4


def test_cli_batch_bad_prompt_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image, _ = _inputs(tmp_path, "x")
    code = main(
        [
            "batch",
            str(image),
            "--rect",
            "1,1,5,5",
            "--prompts",
            str(tmp_path / "nope.txt"),
            "--engine",
            "local",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
