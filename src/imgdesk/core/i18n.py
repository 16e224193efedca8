"""Translation hooks for the Qt-free core: a marker lupdate finds, a translator the app plugs in.

The core cannot import Qt, yet its sentences (error messages, the payment callback page) must
reach users in their language. Sources mark each sentence with `QT_TRANSLATE_NOOP(context, text)`,
which pyside6-lupdate collects into imgdesk_de.ts by that name; at show time `translate()` asks the
translator the app installed (QCoreApplication.translate), or returns the English text when none is
installed (tests, headless tools before start-up).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

Translator = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for translation under `context` (lupdate looks for this exact name).

    Returns `text` unchanged: the sentence is translated where it is shown, via `translate()`.
    """
    del context
    return text


def _identity(context: str, text: str) -> str:
    del context
    return text


_translator: Translator = _identity


def set_translator(fn: Translator | None) -> None:
    """Route `translate()` through `fn` (the app sets QCoreApplication.translate); None resets."""
    global _translator
    _translator = fn if fn is not None else _identity


@contextlib.contextmanager
def translator_in_effect(fn: Translator | None) -> Iterator[None]:
    """Route `translate()` through `fn` for the duration, then put back whatever was there.

    For front ends that run inside another caller (the CLI's `main()` called from a test, say):
    the translator they install must not outlive them.
    """
    global _translator
    previous = _translator
    set_translator(fn)
    try:
        yield
    finally:
        _translator = previous


def translate(context: str, text: str) -> str:
    """`text` in the user's language when a translator is installed, else `text` itself."""
    result = _translator(context, text)
    return result or text


def translate_format(context: str, template: str, /, **values: object) -> str:
    """`template` (marked QT_TRANSLATE_NOOP(context, ...) at the call site) translated, then
    filled with `values`: the translation moves the placeholders where German wants them, and a
    grouped number (`{credits:,}`) is grouped as the language writes it ("1.100" in German).

    A translation that names a placeholder the code does not fill falls back to the English
    sentence rather than hiding it behind an exception.
    """
    if _number_marks() is not None:
        values = {name: _in_language(value) for name, value in values.items()}
    try:
        return translate(context, template).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


# --- the language and its numbers -----------------------------------------------------------

# The language's code is itself a sentence ("en", which the German translation says is "de"), so
# the language always matches the translator in effect: the window's, the command line's, none.
_LANGUAGE_CODE = QT_TRANSLATE_NOOP("language", "en")
# Python's format() groups thousands with "," and marks decimals with "."; languages that write
# them the other way round swap both. Languages not listed write numbers as English does.
_SWAPPED_MARKS = str.maketrans({",": ".", ".": ","})
_NUMBER_MARKS = {"de": _SWAPPED_MARKS}


def current_language() -> str:
    """The language sentences are shown in now: "de" under the German translation, else "en"."""
    return translate("language", _LANGUAGE_CODE)


def _number_marks() -> dict[int, str] | None:
    return _NUMBER_MARKS.get(current_language())


def format_number(value: float, spec: str = ",") -> str:
    """`value` formatted with `spec` (Python's mini-language, "," for grouping), then written
    with the current language's thousands and decimal marks: 1100 -> "1,100" or "1.100"."""
    text = format(value, spec)
    marks = _number_marks()
    return text.translate(marks) if marks is not None and "," in spec else text


class _IntInLanguage(int):
    def __format__(self, spec: str) -> str:
        return format_number(int(self), spec)


class _FloatInLanguage(float):
    def __format__(self, spec: str) -> str:
        return format_number(float(self), spec)


def _in_language(value: object) -> object:
    """`value`, grouped in the language when a template's spec asks for grouping ("{n:,}").

    Only grouped specs change: "{usd:.3f}" and "{count}" stay as Python writes them, so values
    that are codes or sizes ("1536x1024", "$0.040") read the same in every language.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _IntInLanguage(value)
    if isinstance(value, float):
        return _FloatInLanguage(value)
    return value
