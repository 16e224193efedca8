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
    filled with `values`: the translation moves the placeholders where German wants them.

    A translation that names a placeholder the code does not fill falls back to the English
    sentence rather than hiding it behind an exception.
    """
    try:
        return translate(context, template).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)
