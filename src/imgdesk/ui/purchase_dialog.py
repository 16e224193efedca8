"""Buy token packs: the packs with their prices, the balance, Buy, then "waiting for payment".

Payment happens in the user's browser (Stripe Checkout); this dialog only starts it, offers to
open the page again or cancel, and shows the result. Closing the dialog does not cancel a purchase:
the model keeps waiting, and reconciliation catches a payment made later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import format_number
from imgdesk.models.account_model import AccountModel, PurchaseState

_PACK_ID = Qt.ItemDataRole.UserRole
W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


class PurchaseDialog(QDialog):
    def __init__(
        self,
        model: AccountModel,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[str], bool] = open_in_browser,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Buy tokens"))
        self.setObjectName("purchaseDialog")
        self._model = model
        self._open_url = open_url

        self.balance_label = _named(QLabel(), "balanceLabel")
        self.pack_list = _named(QListWidget(), "packList")
        self.buy_button = _named(QPushButton(self.tr("Buy")), "buyButton")
        self.buy_button.setDefault(True)
        self.status_label = _named(QLabel(), "statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        choose = QWidget()
        choose_layout = QVBoxLayout(choose)
        choose_layout.setContentsMargins(0, 0, 0, 0)
        choose_layout.addWidget(self.pack_list)
        choose_layout.addWidget(self.buy_button, alignment=Qt.AlignmentFlag.AlignRight)

        self.waiting_label = _named(
            QLabel(
                self.tr("Waiting for payment. Finish paying in your browser, then return here.")
            ),
            "waitingLabel",
        )
        self.waiting_label.setWordWrap(True)
        self.reopen_button = _named(QPushButton(self.tr("Reopen payment page")), "reopenButton")
        self.cancel_button = _named(QPushButton(self.tr("Cancel purchase")), "cancelPurchaseButton")
        waiting = QWidget()
        waiting_layout = QVBoxLayout(waiting)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(self.waiting_label)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.reopen_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.cancel_button)
        waiting_layout.addLayout(buttons_row)
        waiting_layout.addStretch(1)

        self.pages = _named(QStackedWidget(), "purchasePages")
        self.pages.addWidget(choose)
        self.pages.addWidget(waiting)

        close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.balance_label)
        layout.addWidget(self.pages)
        layout.addWidget(self.status_label)
        layout.addWidget(close_box)

        self.buy_button.clicked.connect(self._on_buy)
        self.pack_list.itemDoubleClicked.connect(lambda _item: self._on_buy())
        self.reopen_button.clicked.connect(self._on_reopen)
        self.cancel_button.clicked.connect(model.cancel_purchase)
        model.balance_changed.connect(self._on_balance_changed)
        model.packs_changed.connect(self._fill_packs)
        model.purchase_state_changed.connect(self._on_state_changed)
        model.message_changed.connect(self.status_label.setText)
        model.checkout_ready.connect(self._on_checkout_ready)
        model.error_raised.connect(self._on_error)

        self._fill_packs()
        self._on_balance_changed(model.balance)
        self._on_state_changed(model.purchase_state.value)
        self.status_label.setText(model.message)
        if not model.shop_available:
            self.status_label.setText(
                self.tr("Token packs are not for sale here: no shop is configured.")
            )
        model.refresh()

    def selected_pack(self) -> str | None:
        item = self.pack_list.currentItem()
        return None if item is None else str(item.data(_PACK_ID))

    def _fill_packs(self) -> None:
        current = self.selected_pack()
        self.pack_list.clear()
        for pack in self._model.packs:
            text = self.tr("{label}: {credits} credits for {price}").format(
                label=pack.label, credits=format_number(pack.credits), price=pack.price_text
            )
            item = QListWidgetItem(text)
            item.setData(_PACK_ID, pack.id)
            self.pack_list.addItem(item)
            if pack.id == current:
                self.pack_list.setCurrentItem(item)
        if self.pack_list.currentItem() is None and self.pack_list.count():
            self.pack_list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.buy_button.setEnabled(
            self._model.shop_available
            and not self._model.purchasing
            and self.pack_list.currentItem() is not None
        )

    def _on_balance_changed(self, balance: int) -> None:
        self.balance_label.setText(self.tr("Balance: {n} credits").format(n=format_number(balance)))

    def _on_state_changed(self, state: str) -> None:
        waiting = state in (PurchaseState.STARTING, PurchaseState.WAITING)
        self.pages.setCurrentIndex(1 if waiting else 0)
        self.reopen_button.setEnabled(state == PurchaseState.WAITING)
        self._update_buttons()

    def _on_buy(self) -> None:
        pack = self.selected_pack()
        if pack is not None and self.buy_button.isEnabled():
            self._model.buy(pack)

    def _on_checkout_ready(self, url: str) -> None:
        if not self._open_url(url):
            self.status_label.setText(
                self.tr(
                    "The browser could not be opened. Open this address yourself: {url}"
                ).format(url=url)
            )

    def _on_reopen(self) -> None:
        if self._model.checkout_url:
            self._on_checkout_ready(self._model.checkout_url)

    def _on_error(self, error: object) -> None:
        if isinstance(error, ImgdeskError):
            self.status_label.setText(error.localized())
