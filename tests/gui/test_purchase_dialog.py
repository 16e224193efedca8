"""The purchase dialog end to end: Buy, the "browser" pays on the fake Checkout page, credits show.

The dialog opens the page through QDesktopServices; a URL handler registered for http stands in
for the desktop's browser and records what it was asked to open.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from fakes.stripe_server import FakeStripe, browser_submit
from imgdesk.core.account import LocalAccount
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.models.account_model import AccountModel, PurchaseState
from imgdesk.ui.purchase_dialog import PurchaseDialog

Arun = Callable[[Coroutine[Any, Any, Any]], Any]


class RecordingBrowser(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


@pytest.fixture
def browser() -> Iterator[RecordingBrowser]:
    recorder = RecordingBrowser()
    # The stubs ask for bytes, but PySide6 6.12 only accepts the slot name as str.
    QDesktopServices.setUrlHandler("http", recorder, "open")  # type: ignore[arg-type]
    try:
        yield recorder
    finally:
        QDesktopServices.unsetUrlHandler("http")


@pytest.fixture
def model(arun: Arun) -> Iterator[AccountModel]:
    account = LocalAccount.open()
    opened = AccountModel(account, poll_interval=60)
    try:
        yield opened
    finally:
        arun(opened.aclose())
        arun(account.aclose())


def make_dialog(qtbot: QtBot, model: AccountModel) -> PurchaseDialog:
    dialog = PurchaseDialog(model)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.pack_list.count() == 3)
    return dialog


def click(widget: Any) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_buying_a_pack_shows_the_new_balance(
    qtbot: QtBot,
    arun: Arun,
    fake_stripe: FakeStripe,
    browser: RecordingBrowser,
    model: AccountModel,
) -> None:
    dialog = make_dialog(qtbot, model)
    assert dialog.balance_label.text() == "Balance: 0 credits"
    assert dialog.pack_list.item(1).text() == "Standard: 1,100 credits for $10.00"
    dialog.pack_list.setCurrentRow(1)
    click(dialog.buy_button)
    qtbot.waitUntil(lambda: len(browser.urls) == 1)
    assert browser.urls[0] == fake_stripe.only_session()["url"]
    assert dialog.pages.currentIndex() == 1
    assert dialog.reopen_button.isEnabled()
    assert not dialog.buy_button.isEnabled()

    with qtbot.waitSignal(model.balance_changed, timeout=20_000) as balance:
        status, _url, body = arun(browser_submit(browser.urls[0]))
    assert balance.args == [1100]
    assert status == 200
    assert "1,100 credits were added" in body
    qtbot.waitUntil(lambda: model.purchase_state is PurchaseState.DONE)
    assert dialog.balance_label.text() == "Balance: 1,100 credits"
    assert dialog.status_label.text() == "Payment received: 1,100 credits were added."
    assert dialog.pages.currentIndex() == 0
    assert dialog.buy_button.isEnabled()


def test_reopen_and_cancel(
    qtbot: QtBot, fake_stripe: FakeStripe, browser: RecordingBrowser, model: AccountModel
) -> None:
    dialog = make_dialog(qtbot, model)
    click(dialog.buy_button)
    qtbot.waitUntil(lambda: len(browser.urls) == 1)
    click(dialog.reopen_button)
    assert browser.urls == [browser.urls[0]] * 2
    with qtbot.waitSignal(model.purchase_finished, timeout=20_000):
        click(dialog.cancel_button)
    assert model.purchase_state is PurchaseState.CANCELLED
    assert fake_stripe.only_session()["status"] == "expired"
    assert dialog.status_label.text() == "The purchase was cancelled. No money was taken."
    assert dialog.balance_label.text() == "Balance: 0 credits"
    assert dialog.pages.currentIndex() == 0


def test_payment_made_while_the_app_was_closed_is_credited_at_start(
    qtbot: QtBot, arun: Arun, fake_stripe: FakeStripe, model: AccountModel
) -> None:
    pending = arun(model.account.start_purchase("starter", "http://127.0.0.1:9/tok"))
    fake_stripe.mark_paid(fake_stripe.only_session()["id"])
    assert pending.purchase_id
    with qtbot.waitSignal(model.balance_changed, timeout=20_000) as balance:
        model.start()
    assert balance.args == [500]


def test_without_a_shop_buy_is_disabled(qtbot: QtBot, model: AccountModel) -> None:
    dialog = make_dialog(qtbot, model)
    assert not dialog.buy_button.isEnabled()
    assert "no shop is configured" in dialog.status_label.text()


def test_hold_refused_offers_buying_tokens(arun: Arun, model: AccountModel) -> None:
    with pytest.raises(ImgdeskError) as caught:
        arun(model.hold("job-1", 12))
    assert caught.value.kind is ErrorKind.QUOTA
    assert caught.value.message == "Not enough credits: this edit needs 12, you have 0."
    assert model.balance == 0


def test_hold_capture_updates_the_balance(qtbot: QtBot, arun: Arun, model: AccountModel) -> None:
    account = model.account
    assert isinstance(account, LocalAccount)
    account.ledger.grant("welcome", 100)
    arun(model.load())
    assert model.balance == 100
    with qtbot.waitSignal(model.balance_changed) as held:
        arun(model.hold("job-1", 30))
    assert held.args == [70]
    with qtbot.waitSignal(model.balance_changed) as captured:
        assert arun(model.capture("job-1", 12)) == 12
    assert captured.args == [88]
    assert arun(model.release("job-1")) is False
    assert model.balance == 88


def test_bank_debit_still_clearing_waits_instead_of_failing(
    qtbot: QtBot,
    arun: Arun,
    fake_stripe: FakeStripe,
    browser: RecordingBrowser,
    model: AccountModel,
) -> None:
    dialog = make_dialog(qtbot, model)
    click(dialog.buy_button)
    qtbot.waitUntil(lambda: len(browser.urls) == 1)
    with qtbot.waitSignal(model.purchase_finished, timeout=20_000):
        arun(browser_submit(browser.urls[0], button="pay_delayed"))
    assert model.purchase_state is PurchaseState.PROCESSING
    assert "still being processed" in dialog.status_label.text()
    assert dialog.balance_label.text() == "Balance: 0 credits"
    # The money arrives later; reconciliation credits it.
    fake_stripe.clear_payment(fake_stripe.only_session()["id"])
    with qtbot.waitSignal(model.balance_changed, timeout=20_000) as balance:
        arun(model.reconcile())
    assert balance.args[0] > 0
