"""Work the jobs of a batch share: one encoded request (`PlanCache`), one decoded input
(`InputCache`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.planner import PlanCache, plan_edit
from imgdesk.core.store import NewJob, Store
from imgdesk.core.store.input_cache import InputCache, input_key
from restart_worker import mask, photo

PARAMS = EditParams("a brass lantern", quality="low")


def other_photo() -> np.ndarray:
    pixels = photo()
    pixels[..., 2] = 200
    return pixels


def test_a_hit_is_the_plan_a_fresh_planning_would_give_with_the_jobs_own_params() -> None:
    cache = PlanCache()
    first = cache.plan("photo+mask", photo(), mask(), PARAMS)
    second_params = dataclasses.replace(PARAMS, prompt="a copper kettle")
    second = cache.plan("photo+mask", photo(), mask(), second_params)

    assert first == plan_edit(photo(), mask(), PARAMS)
    assert second == plan_edit(photo(), mask(), second_params)  # bytes, crop, size, params
    assert second.params.prompt == "a copper kettle"
    assert second.image_png is first.image_png  # shared, not encoded again
    assert second.mask_png is first.mask_png


def test_the_key_names_the_pixels_so_a_hit_does_not_look_at_them() -> None:
    cache = PlanCache()
    kept = cache.plan("same key", photo(), mask(), PARAMS)
    hit = cache.plan("same key", other_photo(), mask(), PARAMS)
    fresh = PlanCache().plan("same key", other_photo(), mask(), PARAMS)

    assert hit.image_png == kept.image_png
    assert fresh.image_png != kept.image_png  # the two photos do give different requests


def test_every_parameter_but_the_prompt_is_part_of_the_key() -> None:
    cache = PlanCache()
    auto = cache.plan("k", photo(), mask(), PARAMS)
    square = cache.plan("k", photo(), mask(), dataclasses.replace(PARAMS, size="1024x1024"))
    assert auto.request_size != (1024, 1024)
    assert square.request_size == (1024, 1024)
    assert square == plan_edit(photo(), mask(), dataclasses.replace(PARAMS, size="1024x1024"))
    assert len(cache) == 2


def test_a_hit_still_refuses_a_bad_prompt_and_failures_are_not_kept() -> None:
    cache = PlanCache()
    with pytest.raises(ImgdeskError) as refused_first:
        cache.plan("k", photo(), mask(), dataclasses.replace(PARAMS, prompt="  "))
    assert refused_first.value.kind is ErrorKind.INVALID_REQUEST
    assert len(cache) == 0

    cache.plan("k", photo(), mask(), PARAMS)
    with pytest.raises(ImgdeskError) as refused_hit:
        cache.plan("k", photo(), mask(), dataclasses.replace(PARAMS, prompt=""))
    assert refused_hit.value.kind is ErrorKind.INVALID_REQUEST
    assert refused_hit.value.field == "prompt"


def test_the_oldest_plan_makes_room() -> None:
    cache = PlanCache(capacity=1)
    cache.plan("a", photo(), mask(), PARAMS)
    cache.plan("b", photo(), mask(), PARAMS)
    assert len(cache) == 1
    # "a" was forgotten: planned afresh from the pixels given now.
    again = cache.plan("a", other_photo(), mask(), PARAMS)
    assert again.image_png == plan_edit(other_photo(), mask(), PARAMS).image_png
    cache.clear()
    assert len(cache) == 0


def test_jobs_arriving_together_share_one_plan() -> None:
    cache = PlanCache()
    planner = cache.planner("k")
    # Each thread brings different pixels under the same key: all get the one plan made first.
    images = [photo() if i == 0 else other_photo() for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        plans = list(
            pool.map(
                lambda i: planner(images[i], mask(), dataclasses.replace(PARAMS, prompt=f"p{i}")),
                range(8),
            )
        )
    assert len({plan.image_png for plan in plans}) == 1
    assert [plan.params.prompt for plan in plans] == [f"p{i}" for i in range(8)]
    assert len(cache) == 1


# --- decoded inputs ----------------------------------------------------------------------------


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open()
    yield opened
    opened.close()


def test_jobs_with_the_same_blobs_share_read_only_inputs(store: Store) -> None:
    image, mask_hash, _ = store.put_inputs(photo(), mask())
    other_mask = mask()
    other_mask[:5] = 255
    _, other_mask_hash, _ = store.put_inputs(photo(), other_mask)
    ids = [
        store.jobs.enqueue(NewJob(image, m, EditParams(p), "quick")).node_id
        for p, m in (("one", mask_hash), ("two", mask_hash), ("three", other_mask_hash))
    ]
    one, two, three = (store.history.get(node_id) for node_id in ids)
    cache = InputCache(store)

    shared = cache.load(one)
    assert cache.load(two) is shared
    assert input_key(one) == input_key(two) != input_key(three)
    assert np.array_equal(shared.image, store.load_inputs(one).image)
    assert np.array_equal(shared.mask, mask())
    assert not shared.image.flags.writeable
    assert not shared.mask.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        shared.image[0, 0, 0] = 1

    third = cache.load(three)
    assert np.array_equal(third.mask, other_mask)
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0
    assert cache.load(two) is not shared  # decoded again after clear
