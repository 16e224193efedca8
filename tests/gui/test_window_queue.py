"""The editor through the persistent queue: offline then online, history across restarts, credits
metered per job, history restore and apply."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from window_helpers import Run, drag_rectangle, write_photo

from fakes.cable import Cable
from fakes.openai_server import FakeOpenAIServer
from fakes.stripe_server import FakeStripe
from imgdesk.core.edit_types import Usage
from imgdesk.core.errors import Action, ErrorKind
from imgdesk.core.ledger import LEDGER_FILE, Ledger
from imgdesk.core.metering import MeteringConfig, cost_credits, price_credits
from imgdesk.core.paths import AppPaths
from imgdesk.core.queue_runner import params_of
from imgdesk.core.store import Node
from imgdesk.models.edit_session import SessionState
from imgdesk.ui.main_window import MainWindow, build_main_window
from imgdesk.ui.window_history import QueueControls

pytest_plugins = ("fixtures_session", "fakes.openai_fixtures", "fakes.stripe_fixtures")

TIMEOUT_MS = 30_000
GRANT = 1000


@pytest.fixture
def make_window(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> Iterator[Callable[[], MainWindow]]:
    built: list[MainWindow] = []

    def make() -> MainWindow:
        window = build_main_window(paths)
        qt_owned.append(window)
        built.append(window)
        window.settings.update(max_retries=0)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in built:
        close(window, arun)


def close(window: MainWindow, arun: Run) -> None:
    if window.isVisible():
        window._closing = True  # no unsaved-changes question: the edits are in the history
        window.close()
    arun(window.aclose())


def controls(window: MainWindow) -> QueueControls:
    assert window.queue is not None
    return window.queue


def open_and_mask(window: MainWindow, tmp_path: Path, arun: Run) -> np.ndarray:
    pixels = write_photo(tmp_path / "photo.png")
    task = window.open_path(tmp_path / "photo.png")
    assert task is not None
    arun(task)
    drag_rectangle(window, 100, 80, 220, 200)
    assert window.document.mask is not None
    assert window.document.mask[120, 150] == 255
    return pixels


def start_edit(
    window: MainWindow, prompt: str, n: int, engine: str = "openai", quality: str = "low"
) -> None:
    window.session.set_engine_choice(engine)
    window.session.update_params(prompt=prompt, n=n, partial_images=0, quality=quality)
    window.generate()


def edit_node(window: MainWindow) -> Node:
    store = controls(window).backend.store
    edits = [n for n in store.history.page() if n.kind == "edit"]
    assert len(edits) == 1
    return edits[0]


@pytest.mark.slow
def test_offline_edit_waits_then_drains_and_survives_a_restart(
    qtbot: QtBot,
    openai_server: FakeOpenAIServer,
    sentinel_key: str,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    arun: Run,
) -> None:
    cable = Cable(openai_server.port)  # unplugged: the endpoint's port refuses connections
    monkeypatch.setenv("OPENAI_API_KEY", sentinel_key)
    monkeypatch.setenv("OPENAI_BASE_URL", cable.base_url)
    try:
        window = make_window()
        open_and_mask(window, tmp_path, arun)
        with qtbot.waitSignal(
            window.session.state_changed,
            timeout=TIMEOUT_MS,
            check_params_cb=lambda s: s == "queued",
        ):
            start_edit(window, "a blue door", 2)
        store = controls(window).backend.store
        job = edit_node(window)
        assert job.status == "queued"
        assert job.parent is not None
        assert store.history.get(job.parent).kind == "root"
        qtbot.waitUntil(lambda: controls(window).status_label.text() == "offline: 1 queued")
        assert window.banner.level == "info"
        assert "offline: 1 queued — it will run when the connection is back" in (
            window.banner.message()
        )
        assert window.session.variants == []
        assert window.prompt_panel.generate_button.isEnabled()  # the user keeps working
        assert openai_server.requests == []

        cable.plug()  # back on the same port; nobody tells the app
        with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
            pass
        assert finished.args == ["done"]
        assert len(openai_server.requests) == 1
        assert window.variants.count() == 2
        done = store.history.get(job.id)
        assert done.status == "done"
        assert len(done.outputs) == 2
        assert np.array_equal(window.session.variants[1], store.blobs.read_image(done.outputs[1]))

        window.session.apply_variant(1)
        children = store.history.children(job.id)
        assert [c.kind for c in children] == ["apply"]
        assert children[0].image == done.outputs[1]
        assert controls(window).backend.cursor.current == children[0].id
        close(window, arun)

        again = make_window()  # a restart over the same data folder
        panel = controls(again).panel
        qtbot.waitUntil(lambda: panel.model.total == 3)
        kinds = sorted(panel.model.node_at(row).kind for row in range(panel.model.rowCount()))
        assert kinds == ["apply", "edit", "root"]
        assert panel.isEnabled()
    finally:
        cable.close()


def test_history_restore_and_apply_make_nodes_current(
    qtbot: QtBot, make_window: Callable[[], MainWindow], tmp_path: Path, arun: Run
) -> None:
    window = make_window()
    original = open_and_mask(window, tmp_path, arun)
    backend = controls(window).backend
    qtbot.waitUntil(lambda: backend.cursor.current is not None, timeout=TIMEOUT_MS)
    root = backend.cursor.current
    assert root is not None
    assert backend.store.history.get(root).kind == "root"
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        start_edit(window, "remove it", 2, engine="local")
    assert finished.args == ["done"]
    job = edit_node(window)
    assert job.parent == root

    window.variants.apply_button.click()
    applied = backend.store.history.children(job.id)
    assert [c.kind for c in applied] == ["apply"]
    assert backend.cursor.current == applied[0].id
    after_apply = window.document.pixels.copy()
    assert not np.array_equal(after_apply, original)

    # Restore the opened picture from the panel: the document shows it, as one undo step.
    panel = controls(window).panel
    qtbot.waitUntil(lambda: panel.model.total == 3)
    row = next(r for r in range(panel.model.rowCount()) if panel.model.node_at(r).id == root)
    panel.view.setCurrentIndex(panel.model.index(row))
    assert panel.restore_button.isEnabled()
    panel.restore_button.click()
    qtbot.waitUntil(lambda: backend.cursor.current == root, timeout=TIMEOUT_MS)
    assert np.array_equal(
        window.document.pixels,
        backend.store.blobs.read_image(backend.store.history.get(root).image or ""),
    )
    assert np.array_equal(window.document.pixels, original)
    window.document.undo_stack.undo()
    assert np.array_equal(window.document.pixels, after_apply)
    assert backend.cursor.current == applied[0].id


def _ledger_rows(paths: AppPaths) -> list[tuple[str, str, int, int]]:
    ledger = Ledger(paths.data / LEDGER_FILE)
    try:
        return [(e.kind, e.reference, e.delta, e.amount) for e in ledger.entries()]
    finally:
        ledger.close()


def _grant(paths: AppPaths, credits: int) -> None:
    ledger = Ledger(paths.data / LEDGER_FILE)
    ledger.grant("welcome", credits)
    ledger.close()


def test_metered_edit_holds_then_captures_its_cost(
    qtbot: QtBot,
    fake_stripe: FakeStripe,
    openai_env: FakeOpenAIServer,
    paths: AppPaths,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    arun: Run,
) -> None:
    _grant(paths, GRANT)
    window = make_window()
    open_and_mask(window, tmp_path, arun)
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        start_edit(window, "a red door", 1)
    assert finished.args == ["done"]
    job = edit_node(window)
    reference = f"{job.id}#1"
    rows = [r for r in _ledger_rows(paths) if r[1] == reference]
    config = MeteringConfig.from_settings(window.settings.settings)
    width, height = openai_env.requests[0].fields["size"].split("x")
    request_size = (int(width), int(height))  # what was actually sent
    price = price_credits(params_of(job), request_size, config)
    assert job.usage is not None
    cost = cost_credits(params_of(job), Usage(**job.usage), 1, request_size, config)
    assert price is not None
    assert cost is not None
    assert price > 0
    assert [r[0] for r in rows] == ["hold", "capture", "release"]
    hold = rows[0][3]
    assert hold == price
    assert rows[1][3] == min(cost, hold)  # exactly the cost, never more than the hold
    assert rows[2][3] == hold - rows[1][3]
    qtbot.waitUntil(
        lambda: window.account is not None and window.account.model.balance == GRANT - rows[1][3]
    )


def test_failed_metered_edit_costs_nothing(
    qtbot: QtBot,
    fake_stripe: FakeStripe,
    openai_env: FakeOpenAIServer,
    paths: AppPaths,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    arun: Run,
) -> None:
    _grant(paths, GRANT)
    window = make_window()
    open_and_mask(window, tmp_path, arun)
    openai_env.inject("moderation_input")
    with qtbot.waitSignal(window.session.finished, timeout=TIMEOUT_MS) as finished:
        start_edit(window, "a red door", 1)
    assert finished.args == ["failed"]
    assert window.banner.kind is ErrorKind.MODERATION
    job = edit_node(window)
    assert job.status == "failed"
    rows = [r for r in _ledger_rows(paths) if r[1] == f"{job.id}#1"]
    assert [r[0] for r in rows] == ["hold", "release"]
    assert rows[0][3] == rows[1][3] > 0
    assert sum(r[2] for r in _ledger_rows(paths)) == GRANT


def test_not_enough_credits_pauses_with_buy_tokens_and_sends_nothing(
    qtbot: QtBot,
    fake_stripe: FakeStripe,
    openai_env: FakeOpenAIServer,
    paths: AppPaths,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    arun: Run,
) -> None:
    _grant(paths, 1)
    window = make_window()
    open_and_mask(window, tmp_path, arun)
    with qtbot.waitSignal(window.session.error_raised, timeout=TIMEOUT_MS) as raised:
        start_edit(window, "a red door", 3, quality="high")  # far more than the 1 credit left
    error = raised.args[0]
    assert error.kind is ErrorKind.QUOTA
    assert error.action is Action.BUY_TOKENS
    assert window.banner.kind is ErrorKind.QUOTA
    assert window.banner.action is Action.BUY_TOKENS
    assert window.session.state is SessionState.QUEUED
    qtbot.waitUntil(lambda: controls(window).status_label.text() == "paused: not enough credits")
    assert openai_env.requests == []
    assert edit_node(window).status == "queued"  # nothing lost: it runs once credits arrive
    assert sum(r[2] for r in _ledger_rows(paths)) == 1
