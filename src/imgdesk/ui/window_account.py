"""Token packs in the main window: the balance, Buy tokens…, and the account's lifetime.

Only built when a shop is configured (`core.metering.shop_configured`); without one the balance
label and the button stay hidden and no ledger is opened.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from imgdesk.core.account import LocalAccount
from imgdesk.core.i18n import current_language, translate
from imgdesk.core.metering import MeteringConfig, shop_configured
from imgdesk.core.paths import AppPaths
from imgdesk.core.settings import Settings
from imgdesk.models.account_model import AccountModel
from imgdesk.ui.purchase_dialog import PurchaseDialog

log = logging.getLogger("imgdesk.window")


def open_account(paths: AppPaths, settings: Settings) -> AccountModel | None:
    """The account model when a shop is configured, else None (nothing is opened)."""
    if not shop_configured(MeteringConfig.from_settings(settings)):
        return None
    return AccountModel(LocalAccount.open(paths))


class AccountControls(QObject):
    """Keeps the balance label current and opens one purchase dialog at a time."""

    def __init__(
        self,
        model: AccountModel,
        balance_label: QLabel,
        buy_button: QPushButton,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.model = model
        self._label = balance_label
        self._window = window
        self.dialog: PurchaseDialog | None = None
        balance_label.setToolTip(
            translate("WindowAccount", "Credits left for edits on the OpenAI engine")
        )
        buy_button.setToolTip(
            translate("WindowAccount", "Buy a token pack; payment happens in your browser")
        )
        balance_label.show()
        buy_button.show()
        buy_button.clicked.connect(self.open_purchase)
        model.balance_changed.connect(self._on_balance)
        self._on_balance(model.balance)

    def start(self) -> None:
        """Load the balance and reconcile purchases paid while the app was closed."""
        self.model.start()

    def open_purchase(self) -> PurchaseDialog:
        if self.dialog is None:
            dialog = PurchaseDialog(self.model, self._window)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.finished.connect(self._forget_dialog)
            self.dialog = dialog
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    async def aclose(self) -> None:
        """Stop reconciling and close the ledger (a purchase in progress stays pending)."""
        if self.dialog is not None:
            self.dialog.close()
        await self.model.aclose()
        await self.model.account.aclose()

    def _forget_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def credits_text(self, balance: int) -> str:
        """ "1 credit", "1,100 credits"; in German "1 Credit", "1.100 Credits".

        The translation picks its plural form from the count by its language's rules (Qt's
        numerus forms); the number itself is grouped as that language writes numbers, which
        `%n` would not do, so the forms carry a {count} placeholder instead.
        """
        language = current_language()
        if language == "en":  # the sentences' own language: there is no translation to ask
            template = "{count} credit" if balance == 1 else "{count} credits"
        else:
            template = self.tr("{count} credit(s)", "", balance)
        return template.format(count=QLocale(language).toString(balance))

    def _on_balance(self, balance: int) -> None:
        self._label.setText(self.credits_text(balance))
