"""Token packs in the window: the balance and Buy tokens… only where a shop is configured."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from window_helpers import Run

from fakes.stripe_server import FakeStripe
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.ledger import LEDGER_FILE, Ledger
from imgdesk.core.paths import AppPaths
from imgdesk.ui.main_window import MainWindow, build_main_window
from imgdesk.ui.purchase_dialog import PurchaseDialog

pytest_plugins = ("fixtures_session",)


@pytest.fixture
def make_window(
    qt_owned: list[QObject], qloop: object, qtbot: QtBot, paths: AppPaths, arun: Run
) -> Iterator[Callable[[], MainWindow]]:
    built: list[MainWindow] = []

    def make() -> MainWindow:
        window = build_main_window(paths)
        qt_owned.append(window)
        built.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in built:
        window.close()
        arun(window.aclose())


def label(window: MainWindow) -> QLabel:
    found = window.findChild(QLabel, "balanceLabel")
    assert isinstance(found, QLabel)
    return found


def buy_button(window: MainWindow) -> QPushButton:
    found = window.findChild(QPushButton, "buyTokensButton")
    assert isinstance(found, QPushButton)
    return found


def purchase_dialog(window: MainWindow) -> PurchaseDialog:
    found = window.findChild(QWidget, "purchaseDialog")
    assert isinstance(found, PurchaseDialog)
    return found


def test_with_a_shop_the_balance_shows_and_buy_opens_the_dialog(
    qtbot: QtBot,
    fake_stripe: FakeStripe,
    paths: AppPaths,
    make_window: Callable[[], MainWindow],
) -> None:
    ledger = Ledger(paths.data / LEDGER_FILE)
    ledger.grant("welcome", 1100)
    ledger.close()
    window: MainWindow = make_window()
    assert window.account is not None
    qtbot.waitUntil(lambda: label(window).text() == "1,100 credits")
    assert label(window).isVisible()
    assert buy_button(window).isVisible()

    QTest.mouseClick(buy_button(window), Qt.MouseButton.LeftButton)
    dialog = purchase_dialog(window)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.pack_list.count() == 3)
    assert dialog.balance_label.text() == "Balance: 1,100 credits"
    assert dialog.buy_button.isEnabled()  # the fake Stripe key makes the shop available
    dialog.close()
    qtbot.waitUntil(lambda: window.account is not None and window.account.dialog is None)

    # An edit refused for lack of credits offers the same dialog from the banner.
    window.show_error(
        ImgdeskError(ErrorKind.QUOTA, "Not enough credits.", action=Action.BUY_TOKENS)
    )
    assert window.account is not None
    assert window.banner.action_button().text() == "Buy tokens…"
    QTest.mouseClick(window.banner.action_button(), Qt.MouseButton.LeftButton)
    assert window.account.dialog is not None
    assert window.account.dialog is not dialog
    assert window.account.dialog.isVisible()

    with qtbot.waitSignal(window.account.model.balance_changed) as balance:
        window.account.model.account.ledger.grant("promo", 1)
        window.account.model.refresh()
    assert balance.args == [1101]
    assert label(window).text() == "1,101 credits"


def test_without_a_shop_nothing_about_tokens_shows(
    paths: AppPaths, make_window: Callable[[], MainWindow]
) -> None:
    window: MainWindow = make_window()
    assert window.account is None
    assert label(window).isHidden()
    assert buy_button(window).isHidden()
    assert not (paths.data / LEDGER_FILE).exists()  # no ledger is opened either
