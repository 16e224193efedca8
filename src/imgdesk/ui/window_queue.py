"""The history and the outbox in the main window: the store, the queue and its credits at start-up,
the history panel as a dock, the queue's status line, and Batch Variants.

`open_backend` runs before the window exists (the edit session needs the queue); `QueueControls`
then puts it into the window. A database that cannot be used (from a newer imgdesk, unreadable)
never stops the app: edits run through a scratch store in a temporary folder, the banner says why
and the history panel stays disabled.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.factory import make_engine
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import translate
from imgdesk.core.job_meter import AccountMeter, recover_jobs_and_holds
from imgdesk.core.metering import MeteringConfig, shop_configured
from imgdesk.core.paths import AppPaths
from imgdesk.core.queue_runner import Probe, tcp_probe
from imgdesk.core.store import Store
from imgdesk.models.account_model import AccountModel
from imgdesk.models.document import DocumentModel
from imgdesk.models.history_cursor import HistoryCursor
from imgdesk.models.history_model import HistoryModel
from imgdesk.models.queue_model import QueueModel
from imgdesk.models.settings_model import SettingsModel

log = logging.getLogger("imgdesk.window")

DEFAULT_ENDPOINT = "https://api.openai.com/v1"


@dataclass
class EditBackend:
    store: Store
    queue: QueueModel
    cursor: HistoryCursor
    history: HistoryModel
    meter: AccountMeter | None
    notice: str | None  # for the banner: the database was replaced, or could not be used
    history_enabled: bool
    scratch: Path | None = None  # the temporary folder of a scratch store, removed on close

    async def start(self, account: AccountModel | None) -> None:
        """Re-queue jobs a dead process left running, give back their holds, start the queue."""
        await recover_jobs_and_holds(self.store, account)
        self.queue.start()

    async def aclose(self) -> None:
        """Queue first (running jobs go back to the queue), then the models, then the database."""
        await self.queue.close()
        await self.cursor.aclose()
        self.history.close()
        self.store.close()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def engine_factory(settings: SettingsModel) -> Callable[[str], Engine]:
    def engine_for(name: str) -> Engine:
        # Read at build time (in the runner's worker thread): the current key and endpoint.
        return make_engine(settings.settings, name)

    return engine_for


def endpoint_probe(settings: SettingsModel) -> Probe:
    """A free TCP probe of whatever endpoint the settings name when it runs."""

    async def probe() -> bool:
        url = settings.settings.effective_base_url() or DEFAULT_ENDPOINT
        return await tcp_probe(url, timeout=5)()

    return probe


def _open_store(paths: AppPaths) -> tuple[Store, str | None, bool, Path | None]:
    try:
        store = Store.open(paths)
    except ImgdeskError as error:
        log.warning("history unavailable: %s", error.detail or error.message)
        scratch = Path(tempfile.mkdtemp(prefix="imgdesk-scratch-"))
        store = Store.open(AppPaths(data=scratch, config=scratch, logs=scratch, cache=scratch))
        notice = (
            error.localized()
            + " "
            + translate("WindowQueue", "History is off for this session; edits still work.")
        )
        return store, notice, False, scratch
    return store, store.notice, True, None


def open_backend(
    paths: AppPaths,
    settings: SettingsModel,
    document: DocumentModel,
    account: AccountModel | None,
) -> EditBackend:
    store, notice, enabled, scratch = _open_store(paths)
    config = MeteringConfig.from_settings(settings.settings)
    meter = None
    if account is not None and shop_configured(config):
        meter = AccountMeter(account, store, config)
    queue = QueueModel(
        store,
        engine_factory(settings),
        concurrency=settings.settings.queue_concurrency,
        probe=endpoint_probe(settings),
        meter=meter,
    )
    cursor = HistoryCursor(store, document)
    history = HistoryModel(store)
    return EditBackend(store, queue, cursor, history, meter, notice, enabled, scratch)
