"""The account as Qt state: balance, packs, the purchase in progress, and periodic reconciliation.

Every network call runs as an asyncio task owned here (in qasync's loop), cancelled and awaited by
`aclose()`. The browser is not opened here: `checkout_ready` carries the URL to whoever shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Collection, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from imgdesk.core.account import Account, Outcome, PurchaseResult
from imgdesk.core.callback_server import POLL_INTERVAL_S, PURCHASE_TIMEOUT_S, BrowserPurchase
from imgdesk.core.checkout import Pack
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate

log = logging.getLogger("imgdesk.account")

RECONCILE_INTERVAL_S = 10 * 60


class PurchaseState(enum.StrEnum):
    IDLE = "idle"
    STARTING = "starting"  # creating the Checkout page
    WAITING = "waiting"  # the page is open in the browser; waiting for payment
    DONE = "done"  # credited
    CANCELLED = "cancelled"  # cancelled or expired, nothing taken
    # Paid by a method that takes days (bank debit) or not confirmable right now: still pending,
    # reconciliation credits it later. Not a failure: nothing is lost.
    PROCESSING = "processing"
    FAILED = "failed"  # could not start, or paid but refused (see the message)


class AccountModel(QObject):
    balance_changed = Signal(int)
    packs_changed = Signal()
    purchase_state_changed = Signal(str)  # PurchaseState value
    checkout_ready = Signal(str)  # the Checkout URL to open in the browser
    purchase_finished = Signal(object)  # PurchaseResult
    message_changed = Signal(str)  # a sentence about the last purchase step ("" when none)
    error_raised = Signal(object)  # ImgdeskError

    def __init__(
        self,
        account: Account,
        *,
        purchase_timeout: float = PURCHASE_TIMEOUT_S,
        poll_interval: float = POLL_INTERVAL_S,
        reconcile_interval: float = RECONCILE_INTERVAL_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._account = account
        self._purchase_timeout = purchase_timeout
        self._poll_interval = poll_interval
        self._reconcile_interval = reconcile_interval
        self._balance = 0
        self._packs: tuple[Pack, ...] = ()
        self._state = PurchaseState.IDLE
        self._message = ""
        self._checkout_url = ""
        self._purchase: BrowserPurchase | None = None
        self._purchase_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- state ---------------------------------------------------------------------------------

    @property
    def account(self) -> Account:
        return self._account

    @property
    def balance(self) -> int:
        return self._balance

    @property
    def packs(self) -> tuple[Pack, ...]:
        return self._packs

    @property
    def shop_available(self) -> bool:
        return self._account.shop_available

    @property
    def purchase_state(self) -> PurchaseState:
        return self._state

    @property
    def message(self) -> str:
        return self._message

    @property
    def checkout_url(self) -> str:
        """The payment page of the purchase in progress, to open it again."""
        return self._checkout_url

    def _set_balance(self, value: int) -> None:
        if value != self._balance:
            self._balance = value
            self.balance_changed.emit(value)

    def _set_state(self, state: PurchaseState) -> None:
        if state is not self._state:
            self._state = state
            self.purchase_state_changed.emit(state.value)

    def _set_message(self, message: str) -> None:
        if message != self._message:
            self._message = message
            self.message_changed.emit(message)

    # --- loading and reconciling ---------------------------------------------------------------

    def start(self) -> None:
        """Load the balance and packs, then reconcile now and every `reconcile_interval`."""
        self._spawn(self._reconcile_forever())

    def refresh(self) -> None:
        self._spawn(self.load())

    async def load(self) -> None:
        packs = tuple(await self._account.packs())
        if packs != self._packs:
            self._packs = packs
            self.packs_changed.emit()
        self._set_balance(await self._account.balance())

    async def reconcile(self) -> list[PurchaseResult]:
        results = await self._account.reconcile() if self.shop_available else []
        await self.load()
        return results

    async def _reconcile_forever(self) -> None:
        await self.load()
        while True:
            try:
                await self.reconcile()
            except ImgdeskError as error:
                # Offline or Stripe down: pending purchases wait for the next round.
                log.info("reconciliation postponed: %s", error.kind)
            await asyncio.sleep(self._reconcile_interval)

    # --- credits for the edit queue ------------------------------------------------------------

    async def hold(self, reference: str, credits: int) -> None:
        """Set credits aside for a job before it is sent; raises QUOTA with a Buy tokens action."""
        try:
            await self._account.hold(reference, credits)
        finally:
            self._set_balance(await self._account.balance())

    async def capture(self, reference: str, cost: int) -> int:
        charged = await self._account.capture(reference, cost)
        self._set_balance(await self._account.balance())
        return charged

    async def release(self, reference: str) -> bool:
        released = await self._account.release(reference)
        self._set_balance(await self._account.balance())
        return released

    async def settle_open_holds(self, keep: Collection[str] = ()) -> int:
        released = await self._account.settle_open_holds(keep)
        self._set_balance(await self._account.balance())
        return released

    # --- buying --------------------------------------------------------------------------------

    @property
    def purchasing(self) -> bool:
        return self._state in (PurchaseState.STARTING, PurchaseState.WAITING)

    def buy(self, pack_id: str) -> None:
        """Start buying a pack; `checkout_ready` follows with the page to open."""
        if self.purchasing:
            return
        self._checkout_url = ""
        self._set_message(translate("AccountModel", "Opening the payment page…"))
        self._set_state(PurchaseState.STARTING)
        self._purchase_task = self._spawn(self._buy(pack_id))

    def cancel_purchase(self) -> None:
        """Give up the purchase in progress; its payment page is closed so it cannot be paid."""
        if self._purchase is not None and self._state is PurchaseState.WAITING:
            self._spawn(self._purchase.cancel())
        elif self._purchase_task is not None and self._state is PurchaseState.STARTING:
            self._purchase_task.cancel()

    async def _buy(self, pack_id: str) -> None:
        purchase = BrowserPurchase(
            self._account,
            pack_id,
            timeout=self._purchase_timeout,
            poll_interval=self._poll_interval,
        )
        self._purchase = purchase
        try:
            pending = await purchase.start()
            self._checkout_url = pending.url
            self._set_message(translate("AccountModel", "Waiting for the payment in your browser…"))
            self._set_state(PurchaseState.WAITING)
            self.checkout_ready.emit(pending.url)
            result = await purchase.wait()
        except asyncio.CancelledError:
            self._set_message(
                translate("AccountModel", "The purchase was cancelled. No money was taken.")
            )
            self._set_state(PurchaseState.CANCELLED)
            raise
        except ImgdeskError as error:
            self._set_message(error.localized())
            self._set_state(PurchaseState.FAILED)
            self.error_raised.emit(error)
            return
        finally:
            self._purchase = None
        self._set_balance(await self._account.balance())
        self._set_message(translate("callback", result.message))
        if result.outcome in (Outcome.CREDITED, Outcome.ALREADY_CREDITED):
            self._set_state(PurchaseState.DONE)
        elif result.outcome in (Outcome.CANCELLED, Outcome.EXPIRED):
            self._set_state(PurchaseState.CANCELLED)
        elif not result.final:
            self._set_state(PurchaseState.PROCESSING)
        else:
            self._set_state(PurchaseState.FAILED)
        self.purchase_finished.emit(result)

    # --- tasks ---------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(self._report(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _report(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Errors of background work become `error_raised`, never an unhandled task exception."""
        try:
            return await coro
        except ImgdeskError as error:
            self.error_raised.emit(error)
        except (OSError, ValueError) as error:
            log.exception("account task failed")
            self.error_raised.emit(
                ImgdeskError(
                    ErrorKind.STORAGE,
                    QT_TRANSLATE_NOOP("errors", "The credit ledger failed."),
                    detail=repr(error),
                )
            )
        return None

    async def wait_purchase(self) -> None:
        """Wait until the purchase in progress ends (tests and scripts)."""
        if self._purchase_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._purchase_task

    async def aclose(self) -> None:
        """Cancel every task (a waiting purchase stays pending for the next reconciliation)."""
        tasks: Sequence[asyncio.Task[Any]] = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
