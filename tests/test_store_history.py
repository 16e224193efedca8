"""History nodes and blobs: the tree, search, stars, reference-counted deletion, the sweep."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from imgdesk.core.edit_types import EditParams
from imgdesk.core.store import NewJob, NodeFilter, Store
from imgdesk.core.store.blobs import GRACE_SECONDS


def _pixels(seed: int, size: tuple[int, int] = (24, 16)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (size[1], size[0], 4), dtype=np.uint8)
    pixels[..., 3] = 255
    return pixels


def _mask(size: tuple[int, int] = (24, 16)) -> np.ndarray:
    mask = np.zeros((size[1], size[0]), dtype=np.uint8)
    mask[4:10, 6:14] = 255
    return mask


@pytest.fixture
def store() -> Store:
    opened = Store.open()
    yield opened
    opened.close()


def _done_edit(
    store: Store, prompt: str, image: np.ndarray, output: np.ndarray, parent: str | None = None
) -> str:
    image_hash, mask_hash, _ = store.put_inputs(image, _mask())
    node_id = store.jobs.enqueue(
        NewJob(image_hash, mask_hash, EditParams(prompt), "local", parent=parent)
    ).node_id
    claimed = store.jobs.claim("tester", scope=[node_id])
    assert claimed is not None
    assert claimed.id == node_id
    output_hash = store.blobs.put_image(output)
    assert store.jobs.complete(
        node_id, "tester", [output_hash], usage=None, cost_usd=0.04, cost_exact=False, notice=None
    )
    return node_id


def test_blobs_round_trip_pixels_and_masks_losslessly(store: Store) -> None:
    pixels, mask = _pixels(1), _mask()
    image_hash, mask_hash, _ = store.put_inputs(pixels, mask)
    assert np.array_equal(store.blobs.read_image(image_hash), pixels)
    assert np.array_equal(store.blobs.read_mask(mask_hash), mask)
    # Content addressed: the same picture is one file.
    assert store.blobs.put_image(pixels) == image_hash
    assert len(list(store.blobs.names())) == 2


def test_variant_applied_is_a_child_and_editing_an_older_node_branches(store: Store) -> None:
    root = store.history.add_root(store.blobs.put_image(_pixels(0)))
    first = _done_edit(store, "a red hat", _pixels(0), _pixels(1), parent=root)
    applied = store.history.apply_variant(first, 0)
    second = _done_edit(store, "a blue hat", _pixels(1), _pixels(2), parent=applied)
    branch = _done_edit(store, "a green hat", _pixels(0), _pixels(3), parent=root)

    assert store.history.get(applied).parent == first
    assert store.history.get(applied).image == store.history.get(first).outputs[0]
    assert store.history.get(second).parent == applied
    assert [n.id for n in store.history.children(root)] == [first, branch]


def test_search_filter_and_star(store: Store) -> None:
    ids = [
        _done_edit(store, p, _pixels(i), _pixels(i + 10))
        for i, p in enumerate(["Red hat on a dog", "blue sky", "red_car 100%"])
    ]
    store.history.set_starred([ids[1]], True)
    assert {n.id for n in store.history.page(NodeFilter(text="red"))} == {ids[0], ids[2]}
    assert [n.id for n in store.history.page(NodeFilter(text="hat red"))] == [ids[0]]
    # LIKE wildcards in the search text are literal characters.
    assert [n.id for n in store.history.page(NodeFilter(text="d_c"))] == [ids[2]]
    assert [n.id for n in store.history.page(NodeFilter(text="100%"))] == [ids[2]]
    assert [n.id for n in store.history.page(NodeFilter(starred_only=True))] == [ids[1]]
    assert store.history.count(NodeFilter(statuses=("done",))) == 3
    assert store.history.count(NodeFilter(statuses=("failed",))) == 0
    # Newest first, paged.
    assert [n.id for n in store.history.page(offset=1, limit=1)] == [ids[1]]


def test_delete_removes_only_unreferenced_files(store: Store) -> None:
    shared_input = _pixels(7)
    a = _done_edit(store, "a", shared_input, _pixels(8))
    b = _done_edit(store, "b", shared_input, _pixels(9))
    node_a, node_b = store.history.get(a), store.history.get(b)
    thumb = store.blobs.thumbnail(node_a.outputs[0])
    assert thumb.exists()

    assert store.history.delete([a]) == 1
    # Still used by b: the input image and mask stay; a's own result goes, thumbnail too.
    assert store.blobs.path(node_b.image).exists()
    assert store.blobs.path(node_b.mask).exists()
    assert not store.blobs.path(node_a.outputs[0]).exists()
    assert not thumb.exists()

    store.history.delete([b])
    assert list(store.blobs.names()) == []


def test_delete_reattaches_children_and_spares_running_jobs(store: Store) -> None:
    root = store.history.add_root(store.blobs.put_image(_pixels(0)))
    middle = _done_edit(store, "middle", _pixels(0), _pixels(1), parent=root)
    leaf = _done_edit(store, "leaf", _pixels(1), _pixels(2), parent=middle)
    image, mask, _ = store.put_inputs(_pixels(3), _mask())
    running = store.jobs.enqueue(NewJob(image, mask, EditParams("busy"), "local")).node_id
    assert store.jobs.claim("tester", scope=[running]) is not None

    assert store.history.delete([middle, running]) == 1
    assert store.history.get(leaf).parent == root
    assert store.history.get(running).status == "running"
    assert store.blobs.path(image).exists()


def test_sweep_removes_old_orphans_only(store: Store) -> None:
    kept = _done_edit(store, "kept", _pixels(1), _pixels(2))
    old_orphan = store.blobs.put_image(_pixels(3))
    fresh_orphan = store.blobs.put_image(_pixels(4))
    long_ago = time.time() - GRACE_SECONDS - 60
    os.utime(store.blobs.path(old_orphan), (long_ago, long_ago))
    # Referenced files are never removed, however old.
    for hash_ in store.history.get(kept).outputs:
        os.utime(store.blobs.path(hash_), (long_ago, long_ago))

    assert store.sweep() == [old_orphan]
    assert store.blobs.path(fresh_orphan).exists()
    assert all(store.blobs.path(h).exists() for h in store.history.get(kept).outputs)


def test_put_of_an_existing_blob_refreshes_its_grace(store: Store) -> None:
    orphan = store.blobs.put_image(_pixels(5))
    long_ago = time.time() - GRACE_SECONDS - 60
    os.utime(store.blobs.path(orphan), (long_ago, long_ago))
    store.blobs.put_image(_pixels(5))  # another writer is about to reference it
    assert store.sweep() == []


def test_jobs_cancel_retry_and_reorder(store: Store) -> None:
    image, mask, _ = store.put_inputs(_pixels(0), _mask())
    ids = [
        store.jobs.enqueue(NewJob(image, mask, EditParams(f"p{i}"), "local")).node_id
        for i in range(4)
    ]
    store.jobs.move(ids[3], before=ids[0])
    store.jobs.move(ids[0], before=None)
    assert [n.id for n in store.jobs.queued()] == [ids[3], ids[1], ids[2], ids[0]]

    assert store.jobs.cancel([ids[1]]) == [ids[1]]
    assert store.jobs.cancel([ids[1]]) == []  # already cancelled
    claimed = store.jobs.claim("tester")
    assert claimed is not None
    assert claimed.id == ids[3]
    assert claimed.attempts == 1
    assert [n.id for n in store.jobs.queued()] == [ids[3], ids[2], ids[0]]

    assert store.jobs.retry([ids[1]]) == [ids[1]]
    assert store.history.get(ids[1]).status == "queued"
    assert store.jobs.queued()[-1].id == ids[1]


def test_batch_key_is_never_queued_twice(store: Store) -> None:
    image, mask, _ = store.put_inputs(_pixels(0), _mask())
    job = NewJob(image, mask, EditParams("p"), "local", batch_key="same")
    first, second = store.jobs.enqueue(job), store.jobs.enqueue(job)
    assert first.created
    assert not second.created
    assert first.node_id == second.node_id
    assert store.history.count() == 1


def test_recover_requeues_jobs_of_dead_owners_with_attempts(store: Store, tmp_path: Path) -> None:
    image, mask, _ = store.put_inputs(_pixels(0), _mask())
    mine = store.jobs.enqueue(NewJob(image, mask, EditParams("alive"), "local")).node_id
    theirs = store.jobs.enqueue(NewJob(image, mask, EditParams("dead"), "local")).node_id
    import socket

    alive_owner = f"{socket.gethostname()}:{os.getpid()}:aaaa"
    dead_owner = f"{socket.gethostname()}:{_dead_pid()}:bbbb"
    assert store.jobs.claim(alive_owner, scope=[mine]) is not None
    assert store.jobs.claim(dead_owner, scope=[theirs]) is not None

    assert store.jobs.recover() == [theirs]
    recovered = store.history.get(theirs)
    assert recovered.status == "queued"
    assert recovered.attempts == 1
    assert store.history.get(mine).status == "running"
    # The dead owner can no longer record a result.
    assert not store.jobs.complete(
        theirs, dead_owner, [], usage=None, cost_usd=None, cost_exact=None, notice=None
    )


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
