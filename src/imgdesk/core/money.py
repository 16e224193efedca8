"""Money as the user's language writes it: every price and cost a user reads goes through here.

English puts the symbol first ("$1,234.50"); German after the number, with its own marks
("1.234,50 $"). Pack prices are whole minor units of any currency (`format_money`); what an edit
costs is a fraction of a US dollar, often below a cent (`format_usd`).
"""

from __future__ import annotations

from imgdesk.core.i18n import current_language, format_number

# Currencies Stripe counts in whole units rather than hundredths.
ZERO_DECIMAL = frozenset({"jpy", "krw", "vnd", "clp", "isk", "huf", "twd", "ugx", "xaf", "xof"})
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


def format_money(amount: int, currency: str, *, language: str | None = None) -> str:
    """`amount` minor units of `currency` as `language` writes it (default: the current one):
    "$1,234.50" in English, "1.234,50 $" in German.

    `language="en"` writes the English form under any translator (for sentences kept in English,
    such as the ledger's reasons); other explicit languages must be the current one.
    """
    code = currency.lower()
    value = amount if code in ZERO_DECIMAL else amount / 100
    return _with_symbol(value, ",d" if code in ZERO_DECIMAL else ",.2f", code, language)


def format_usd(value: float, decimals: int) -> str:
    """`value` US dollars with `decimals` places, as the current language writes money:
    "$0.053" in English, "0,053 $" in German."""
    return _with_symbol(value, f",.{decimals}f", "usd", None)


def _with_symbol(value: float, spec: str, code: str, language: str | None) -> str:
    current = current_language()
    language = language or current
    number = format_number(value, spec) if language == current else format(value, spec)
    symbol = _SYMBOLS.get(code)
    if symbol is None:
        return f"{number} {code.upper()}"
    return f"{symbol}{number}" if language == "en" else f"{number}\u00a0{symbol}"
