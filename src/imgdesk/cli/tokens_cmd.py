"""`imgdesk tokens`: the credit balance, the packs on sale, buying one, and the ledger's history."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import sys
import webbrowser
from collections.abc import Sequence

from imgdesk.cli import data_dir_help
from imgdesk.cli.exits import EXIT_OK, EXIT_SERVICE, exit_code_for
from imgdesk.cli.language import cli_text, cli_translator, data_dir_argument
from imgdesk.cli.preflight import error_text
from imgdesk.core.account import LocalAccount, Outcome, PurchaseResult, no_shop_error
from imgdesk.core.callback_server import PURCHASE_TIMEOUT_S, BrowserPurchase
from imgdesk.core.checkout import Problem
from imgdesk.core.errors import ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, format_number, translate, translator_in_effect

# Purchases that closed without adding credits; the history says why.
_UNCREDITED = frozenset({"expired", "cancelled", "failed"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # The common options are accepted after the action too (`imgdesk tokens balance --data-dir X`).
    # SUPPRESS: an action that is not given one must not overwrite the value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help()
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser(
        "balance",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "print the credits left")),
        parents=[common],
    )
    actions.add_parser(
        "packs",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "list the token packs on sale")),
        parents=[common],
    )
    buy = actions.add_parser(
        "buy",
        help=cli_text(
            QT_TRANSLATE_NOOP("cli", "buy a pack through Stripe Checkout in the browser")
        ),
        parents=[common],
    )
    buy.add_argument(
        "pack",
        metavar="PACK",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "the pack id (see `imgdesk tokens packs`)")),
    )
    buy.add_argument(
        "--no-browser",
        action="store_true",
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli", "only print the Checkout address; open it yourself on this computer"
            )
        ),
    )
    buy.add_argument(
        "--timeout",
        type=float,
        default=PURCHASE_TIMEOUT_S,
        metavar="SECONDS",
        # argparse fills in %(default)g; the translation keeps it.
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli", "give up and close the payment page after this long (default: %(default)g)"
            )
        ),
    )
    actions.add_parser(
        "history",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "list every credit entry, oldest first")),
        parents=[common],
    )


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_run(args))
    except ImgdeskError as error:
        print(f"imgdesk: {error_text(error)}", file=sys.stderr)
        return exit_code_for(error)
    except KeyboardInterrupt:
        return EXIT_SERVICE


async def _run(args: argparse.Namespace) -> int:
    account = LocalAccount.open()
    try:
        if args.action == "buy":
            return await _buy(
                account, args.pack, open_browser=not args.no_browser, timeout=args.timeout
            )
        if args.action == "balance":
            # Someone may have paid while the app was closed; count that first.
            results = await account.reconcile() if account.shop_available else []
            print(_credits(await account.balance()))
            _print_pending_notes(results)
        elif args.action == "packs":
            for pack in await account.packs():
                credits = _credits(pack.credits, width=8)
                print(f"{pack.id:<12} {credits}  {pack.price_text:>10}  {pack.label}")
        else:
            _print_history(account)
        return EXIT_OK
    finally:
        await account.aclose()


async def _buy(account: LocalAccount, pack_id: str, *, open_browser: bool, timeout: float) -> int:
    if not account.shop_available:
        raise no_shop_error()
    account.pack(pack_id)  # an unknown pack fails before anything is created
    _print_pending_notes(await account.reconcile())
    purchase = BrowserPurchase(account, pack_id, timeout=timeout)
    pending = await purchase.start()
    print(cli_text(QT_TRANSLATE_NOOP("cli", "Checkout: {url}"), url=pending.url), flush=True)
    if open_browser:
        webbrowser.open(pending.url)
    print(
        cli_text(QT_TRANSLATE_NOOP("cli", "Waiting for the payment… (Ctrl+C cancels)")),
        file=sys.stderr,
        flush=True,
    )
    try:
        result = await purchase.wait()
    except asyncio.CancelledError:
        await purchase.cancel()
        raise
    # Fixed sentences are translated here; ones with numbers came translated (see account.py).
    print(translate("callback", result.message))
    print(
        cli_text(
            QT_TRANSLATE_NOOP("cli", "Balance: {credits}"),
            credits=_credits(await account.balance()),
        )
    )
    if result.outcome in (Outcome.CREDITED, Outcome.ALREADY_CREDITED):
        return EXIT_OK
    return EXIT_SERVICE


def _print_pending_notes(results: list[PurchaseResult]) -> None:
    """Say on stderr which earlier purchases are not in the balance yet, and why."""
    errors = [r.error for r in results if r.error is not None]
    if errors:
        if len(errors) == 1:
            template = QT_TRANSLATE_NOOP(
                "cli",
                "1 pending purchase could not be checked: {reason} Credits for a paid one are "
                "added once Stripe confirms it.",
            )
        else:
            template = QT_TRANSLATE_NOOP(
                "cli",
                "{count} pending purchases could not be checked: {reason} Credits for a paid "
                "one are added once Stripe confirms it.",
            )
        text = cli_text(template, count=len(errors), reason=errors[0].localized())
        print(f"imgdesk: {text}", file=sys.stderr)
    processing = sum(r.outcome is Outcome.PROCESSING for r in results)
    if processing:
        if processing == 1:
            template = QT_TRANSLATE_NOOP(
                "cli",
                "1 pending purchase is still being processed by the bank; the credits arrive "
                "when the payment clears.",
            )
        else:
            template = QT_TRANSLATE_NOOP(
                "cli",
                "{count} pending purchases are still being processed by the bank; the credits "
                "arrive when the payment clears.",
            )
        print(f"imgdesk: {cli_text(template, count=processing)}", file=sys.stderr)


def _credits(count: int, width: int = 0) -> str:
    """ "1,100 credits" ("1.100 Credits"); `width` right-aligns the number for a table."""
    return cli_text(
        QT_TRANSLATE_NOOP("cli", "{count} credits"), count=format_number(count, f">{width},")
    )


def _print_history(account: LocalAccount) -> None:
    """Every credit entry with the running balance, and the purchases that added nothing (with
    the ledger's English reason said in the user's language), oldest first."""
    lines: list[tuple[float, str]] = []
    running = 0
    for entry in account.ledger.entries():
        running += entry.delta
        cost = ""
        if entry.kind == "capture":
            cost = " " + cli_text(QT_TRANSLATE_NOOP("cli", "(cost {amount})"), amount=entry.amount)
        delta, total = format_number(entry.delta, ">+8,"), format_number(running, ">8,")
        text = f"{entry.kind:<8} {delta}  {total}  {entry.reference}{cost}"
        lines.append((entry.created, text))
    for purchase in account.ledger.purchases():
        if purchase.state in _UNCREDITED and purchase.reason:
            reason = Problem.from_stored(purchase.reason).localized()
            lines.append((purchase.updated, f"{purchase.state:<8} {purchase.pack}: {reason}"))
    if not lines:
        print(cli_text(QT_TRANSLATE_NOOP("cli", "No purchases or charges yet.")))
        return
    # Stable: entries of the same second keep the ledger's order.
    for when, text in sorted(lines, key=lambda line: line[0]):
        stamp = datetime.datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M")
        print(f"{stamp}  {text}")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m imgdesk.cli.tokens_cmd ...`, the same as `imgdesk tokens ...`."""
    words = list(sys.argv[1:] if argv is None else argv)
    with translator_in_effect(cli_translator(data_dir_argument(words))):
        parser = argparse.ArgumentParser(prog="imgdesk tokens")
        add_arguments(parser)
        return run(parser.parse_args(words))


if __name__ == "__main__":
    sys.exit(main())
