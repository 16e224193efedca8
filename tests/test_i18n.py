"""German translation: complete, placeholder-safe, and used by errors and the callback page.

The .ts is checked against a fresh lupdate run over the code, so a new sentence without a German
translation fails here rather than reaching a German user in English.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from imgdesk.core import i18n
from imgdesk.core.callback_server import page
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.imageio_open import too_large_error
from imgdesk.ui.translations import (
    choose_language,
    install_translators,
    package_translations,
    remove_translators,
)

TS = package_translations() / "imgdesk_de.ts"
SRC = Path(__file__).resolve().parents[1] / "src" / "imgdesk"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")
# {name}, {value:.0f}, %n, %1: what the code fills in; a translation must keep every one.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d")


def _messages(path: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return forms or [translation.text or ""]


def test_every_german_entry_is_finished() -> None:
    messages = _messages(TS)
    assert len(messages) > 300
    for context, message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") is None, (context, source, translation.get("type"))
        assert all(text.strip() for text in _translations(message)), (context, source)


def test_the_ts_holds_every_sentence_the_code_marks(tmp_path: Path) -> None:
    if not LUPDATE.is_file():
        pytest.skip("pyside6-lupdate is not installed beside this Python")
    fresh = tmp_path / "fresh_de.ts"
    files = sorted(str(path) for path in SRC.rglob("*.py"))
    subprocess.run(
        [str(LUPDATE), "-locations", "none", *files, "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    marked = {(context, m.findtext("source")) for context, m in _messages(fresh)}
    translated = {(context, m.findtext("source")) for context, m in _messages(TS)}
    assert marked, "lupdate found nothing: the markers are not recognised"
    assert marked - translated == set(), "run scripts/update_translations.sh and translate"
    assert translated - marked == set(), "the .ts holds sentences the code no longer has"


def test_every_translation_keeps_the_placeholders_and_at_most_one_accelerator() -> None:
    for context, message in _messages(TS):
        source = message.findtext("source") or ""
        for text in _translations(message):
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                context,
                source,
                text,
            )
            # "&&" is a literal ampersand; a single "&" marks the Alt key letter.
            accelerators = len(re.findall(r"(?<!&)&(?!&)", text.replace("&&", "")))
            assert accelerators == len(re.findall(r"(?<!&)&(?!&)", source.replace("&&", ""))), (
                context,
                source,
                text,
            )


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("", "de_DE", "de"),
        ("", "de_AT", "de"),
        ("", "en_GB", "en"),
        ("", "fr_FR", "en"),
        ("", "C", "en"),
        ("en", "de_DE", "en"),
        ("de", "en_US", "de"),
        ("xx", "de_CH", "de"),
    ],
)
def test_the_language_follows_the_setting_then_the_system(
    setting: str, system: str, expected: str
) -> None:
    assert choose_language(setting, QLocale(system)) == expected


@pytest.fixture
def german(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    if (
        shutil.which("pyside6-lrelease") is None
        and not Path(sys.executable).with_name("pyside6-lrelease").is_file()
    ):
        pytest.skip("pyside6-lrelease is not installed")
    assert install_translators("de", cache=tmp_path / "cache")
    yield
    remove_translators()


@pytest.mark.usefixtures("german")
def test_an_error_reads_german_while_its_message_stays_english() -> None:
    error = too_large_error("street.png", (20_000, 12_000), 100_000_000)
    assert error.message == (
        "street.png is 20000×12000 pixels (240 MP); imgdesk opens pictures up to 100 MP."
    )
    assert error.localized() == (
        "street.png hat 20000×12000 Pixel (240 MP); imgdesk öffnet Bilder bis 100 MP."
    )
    fixed = ImgdeskError(
        ErrorKind.MASK,
        QT_TRANSLATE_NOOP("errors", "The mask is empty: paint the area to change first."),
    )
    assert fixed.localized() == "Die Maske ist leer: Malen Sie zuerst den zu ändernden Bereich aus."


@pytest.mark.usefixtures("german")
def test_the_callback_page_is_german() -> None:
    response = page(
        400,
        "Payment received",
        "This link does not belong to the purchase in progress.",
    )
    body = response.text or ""
    assert "<html lang='de'>" in body
    assert "<h1>Zahlung erhalten</h1>" in body
    assert "Dieser Link gehört nicht zum laufenden Kauf." in body
    assert "Sie können diesen Tab schließen und zu imgdesk zurückkehren." in body
    assert "Payment received" not in body


def test_without_a_translator_everything_is_english() -> None:
    i18n.set_translator(None)
    error = too_large_error("street.png", (20_000, 12_000), 100_000_000)
    assert error.localized() == error.message
    body = page(200, "Payment received", "x").text or ""
    assert "<html lang='en'>" in body
    assert "<h1>Payment received</h1>" in body


def test_a_broken_translation_falls_back_to_the_english_sentence() -> None:
    i18n.set_translator(lambda _context, _text: "{no_such_value} kaputt")
    try:
        error = too_large_error("street.png", (20_000, 12_000), 100_000_000)
        assert error.localized() == error.message
    finally:
        i18n.set_translator(None)


# --- sentences with values: translated first, filled in after ---------------------------------


@pytest.mark.usefixtures("german")
def test_size_and_model_refusals_read_german() -> None:
    from imgdesk.core.catalog import load_catalog, validation_problems
    from imgdesk.core.edit_types import EditParams

    (size,) = validation_problems(EditParams(prompt="a kite", size="1000x1000"))
    assert size.message == (
        "GPT Image 2 cannot make 1000x1000: width and height must both be multiples of 16."
    )
    assert size.localized() == (
        "GPT Image 2 kann 1000x1000 nicht erzeugen: Breite und Höhe müssen beide Vielfache von 16 "
        "sein."
    )
    (shut,) = validation_problems(EditParams(prompt="a kite", model="dall-e-3"))
    assert shut.localized() == (
        "DALL·E 3 wurde am 2026-05-12 abgeschaltet; verwenden Sie stattdessen gpt-image-2."
    )
    assert load_catalog().get("dall-e-3").unavailable_reason == shut.localized()
    (unknown,) = validation_problems(EditParams(prompt="a kite", model="gpt-imag-2"))
    assert unknown.localized().startswith(
        "imgdesk kennt das Modell „gpt-imag-2“ nicht. Meinten Sie gpt-image-2? Bekannte Modelle: "
    )


@pytest.mark.usefixtures("german")
def test_numbers_in_errors_and_prices_are_written_the_german_way() -> None:
    from imgdesk.core.catalog import validation_problems
    from imgdesk.core.edit_types import EditParams
    from imgdesk.core.money import format_money

    (size,) = validation_problems(EditParams(prompt="a kite", size="3840x3840"))
    assert "8,294,400" in size.message  # the log's English
    assert "8.294.400" in size.localized()
    assert format_money(123_450, "usd") == "1.234,50\u00a0$"
    assert format_money(500, "eur") == "5,00\u00a0€"
    assert format_money(1000, "jpy") == "1.000 JPY"


@pytest.mark.usefixtures("german")
def test_the_estimate_explains_itself_in_german() -> None:
    from imgdesk.core.edit_types import EditParams
    from imgdesk.core.pricing import estimate_usd

    params = EditParams(prompt="x", quality="auto", n=2, partial_images=2)
    estimate = estimate_usd(params, (1536, 1536))
    assert estimate is not None
    assert estimate.basis.startswith("2 × ")
    assert ", Qualität medium, bei 1536x1536, nach Pixelfläche hochgerechnet von " in estimate.basis
    assert "Qualität „auto“ wird wie medium berechnet" in estimate.basis
    assert "2 Vorschaubilder kosten etwa " in estimate.basis
    assert "0,053\u00a0$" in estimate.basis  # German money, as everywhere


def test_prices_are_written_the_english_way_without_a_translation() -> None:
    from imgdesk.core.money import format_money

    assert format_money(123_450, "usd") == "$1,234.50"
    assert format_money(500, "eur") == "€5.00"


@pytest.mark.usefixtures("german")
def test_the_outpaint_anchor_error_reads_german() -> None:
    from imgdesk.core.outpaint import margins_for_aspect

    with pytest.raises(ImgdeskError) as raised:
        margins_for_aspect(100, 80, 1.5, anchor="middle")
    assert raised.value.message.endswith("not “middle”.")
    assert raised.value.localized().startswith("Das Foto kann an center, ")
    assert raised.value.localized().endswith("verankert werden, nicht an „middle“.")


@pytest.mark.usefixtures("german")
async def test_purchase_results_with_numbers_read_german(tmp_path: Path) -> None:
    from imgdesk.core.account import LocalAccount, Outcome
    from imgdesk.core.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.sqlite3")
    account = LocalAccount(ledger, checkout=None)
    try:
        purchase = ledger.create_purchase("starter", 1_100, 1100, "usd")
        assert ledger.credit_purchase(purchase.id)
        result = await account.check_purchase(purchase.id)
    finally:
        await account.aclose()
    assert result.outcome is Outcome.ALREADY_CREDITED
    assert result.message == (
        "Diese 1.100 Credits wurden bereits gutgeschrieben; es wurde nichts weiter hinzugefügt."
    )
    # Shown through the callback page and the dialog, which translate again: unchanged.
    assert i18n.translate("callback", result.message) == result.message


@pytest.mark.usefixtures("german")
async def test_the_sending_stage_line_reads_german() -> None:
    import numpy as np

    from imgdesk.core import masks
    from imgdesk.core.edit_types import Box, EditParams
    from imgdesk.core.engines.local_engine import LocalEngine
    from imgdesk.core.pipeline import Stage, run_edit

    image = np.full((96, 128, 4), 200, dtype=np.uint8)
    mask = masks.from_rect(128, 96, Box(40, 30, 70, 60))
    stages = [
        event.text
        async for event in run_edit(image, mask, EditParams(prompt="x"), LocalEngine())
        if isinstance(event, Stage)
    ]
    [sending] = [text for text in stages if "Engine" in text]
    assert sending.startswith("Ein Ausschnitt mit ")
    assert sending.endswith(" wird an die Offline-Engine übergeben…")


def test_a_broken_template_translation_falls_back_to_english() -> None:
    with i18n.translator_in_effect(lambda _context, _text: "{nope} kaputt"):
        text = i18n.translate_format("cli", "{count} credits", count=3)
    assert text == "3 credits"
    assert i18n.translate("cli", "{count} credits") == "{count} credits"  # put back


def test_numbers_are_grouped_as_the_language_writes_them() -> None:
    assert i18n.current_language() == "en"
    assert i18n.format_number(1_234_567) == "1,234,567"
    with i18n.translator_in_effect(lambda context, text: "de" if context == "language" else ""):
        assert i18n.current_language() == "de"
        assert i18n.format_number(1_234_567) == "1.234.567"
        assert i18n.format_number(-1100, ">+8,") == "  -1.100"
        assert i18n.format_number(1234.5, ",.2f") == "1.234,50"
        # Only grouped specs change: prices, sizes and codes read the same in every language.
        assert i18n.format_number(0.04, ".3f") == "0.040"
        text = i18n.translate_format(
            "cli", "{n:,} of {total} at ${usd:.3f}", n=1100, total=2048, usd=0.04
        )
        assert text == "1.100 of 2048 at $0.040"
    assert i18n.current_language() == "en"
