"""Job control from the history panel: cancel, reorder and retry queued edits, and "Retry now"
while offline, against the fake OpenAI server behind an unpluggable cable."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from test_window_queue import TIMEOUT_MS, controls, make_window
from window_helpers import photo_pixels

from fakes.cable import Cable
from fakes.openai_server import FakeOpenAIServer
from imgdesk.core.edit_types import EditParams
from imgdesk.core.store import NewJob
from imgdesk.ui.history_panel import HistoryPanel
from imgdesk.ui.main_window import MainWindow

pytest_plugins = ("fixtures_session", "fakes.openai_fixtures", "fakes.stripe_fixtures")

__all__ = ["make_window"]  # the fixture, shared with test_window_queue


def enqueue(window: MainWindow, prompts: list[str]) -> list[str]:
    """Queue one low-quality OpenAI edit per prompt straight through the queue model."""
    backend = controls(window).backend
    pixels = photo_pixels()
    image = backend.store.blobs.put_image(pixels)
    mask = np.zeros(pixels.shape[:2], dtype=np.uint8)
    mask[40:120, 60:160] = 255
    mask_hash = backend.store.blobs.put_mask(mask)
    params = [EditParams(prompt=p, quality="low") for p in prompts]
    return [backend.queue.enqueue(NewJob(image, mask_hash, p, "openai")) for p in params]


def status_of(window: MainWindow, node_id: str) -> str:
    return controls(window).backend.store.history.get(node_id).status


def select(panel: HistoryPanel, node_id: str) -> None:
    panel.model.refresh()
    panel.select_ids({node_id})
    assert [n.id for n in panel.selected_nodes()] == [node_id]


def test_cancel_and_reorder_while_offline_then_retry_now(
    qtbot: QtBot,
    openai_server: FakeOpenAIServer,
    sentinel_key: str,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[], MainWindow],
) -> None:
    cable = Cable(openai_server.port)  # unplugged: the endpoint refuses connections
    monkeypatch.setenv("OPENAI_API_KEY", sentinel_key)
    monkeypatch.setenv("OPENAI_BASE_URL", cable.base_url)
    try:
        window = make_window()
        queue_controls = controls(window)
        panel = queue_controls.panel
        first, second, last = enqueue(window, ["first door", "second door", "last door"])
        qtbot.waitUntil(
            lambda: queue_controls.status_label.text() == "offline: 3 queued", timeout=TIMEOUT_MS
        )
        qtbot.waitUntil(lambda: all(status_of(window, i) == "queued" for i in (first, last)))
        qtbot.waitUntil(queue_controls.retry_now_button.isVisible)
        assert openai_server.requests == []

        select(panel, second)
        assert panel.cancel_button.isEnabled()
        assert not panel.retry_button.isEnabled()  # nothing to retry on a waiting edit
        assert "Ctrl+." in panel.cancel_button.toolTip()
        with qtbot.waitSignal(panel.cancel_requested) as cancelled:
            panel.cancel_button.click()
        assert cancelled.args == [[second]]
        assert status_of(window, second) == "cancelled"
        row = next(r for r in range(panel.model.rowCount()) if panel.model.node_at(r).id == second)
        assert panel.model.index(row).data().endswith("— cancelled")
        assert panel.retry_button.isEnabled()  # the cancelled edit stays selected
        assert not panel.cancel_button.isEnabled()

        # The last waiting edit goes to the front of the line.
        assert panel.model.queue_order == [first, last]
        select(panel, last)
        assert panel.sooner_button.isEnabled()
        assert not panel.later_button.isEnabled()
        with qtbot.waitSignal(panel.move_requested) as moved:
            panel.sooner_button.click()
        assert moved.args == [last, first]
        assert [n.id for n in queue_controls.backend.store.jobs.queued()] == [last, first]
        assert panel.model.queue_order == [last, first]
        assert [n.id for n in panel.selected_nodes()] == [last]
        assert not panel.sooner_button.isEnabled()
        assert panel.later_button.isEnabled()
        row = next(r for r in range(panel.model.rowCount()) if panel.model.node_at(r).id == last)
        assert panel.model.index(row).data() == "last door — waiting (1 of 2)"

        cable.plug()  # back; "Retry now" skips the rest of the backoff wait
        queue_controls.retry_now_button.click()
        qtbot.waitUntil(
            lambda: all(status_of(window, i) == "done" for i in (first, last)), timeout=TIMEOUT_MS
        )
        prompts = [r.fields["prompt"] for r in openai_server.requests]
        assert prompts[0] == "last door"
        assert sorted(prompts) == ["first door", "last door"]  # the cancelled one never went
        assert status_of(window, second) == "cancelled"
        qtbot.waitUntil(lambda: not queue_controls.retry_now_button.isVisible())
    finally:
        cable.close()


def test_retry_sends_a_failed_edit_again(
    qtbot: QtBot, openai_env: FakeOpenAIServer, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    panel = controls(window).panel
    openai_env.inject("moderation_input")
    (job,) = enqueue(window, ["a red door"])
    qtbot.waitUntil(lambda: status_of(window, job) == "failed", timeout=TIMEOUT_MS)
    assert len(openai_env.requests) == 1

    select(panel, job)
    assert panel.model.index(0).data() == "a red door — failed"
    assert panel.retry_button.isEnabled()
    assert not panel.cancel_button.isEnabled()
    assert not panel.sooner_button.isEnabled()
    with qtbot.waitSignal(panel.retry_requested) as retried:
        panel.retry_button.click()
    assert retried.args == [[job]]
    qtbot.waitUntil(lambda: status_of(window, job) == "done", timeout=TIMEOUT_MS)
    assert [r.fields["prompt"] for r in openai_env.requests] == ["a red door", "a red door"]
    done = controls(window).backend.store.history.get(job)
    assert len(done.outputs) == 1
    qtbot.waitUntil(lambda: panel.model.index(0).data() == "a red door")
