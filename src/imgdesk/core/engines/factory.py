"""Choosing the engine: OpenAI when a key is set, else the offline one, unless the user says."""

from __future__ import annotations

import asyncio
import importlib
import logging

from imgdesk.core import secrets
from imgdesk.core.engines.base import Engine
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.settings import Settings

log = logging.getLogger("imgdesk.engines")

ENGINE_NAMES = ("auto", "openai", "local")
# Imported on first use, not at start-up: `openai` alone (with httpx and SSL) takes about a
# second to import, longer than the whole window takes to appear.
_ENGINE_MODULES = ("imgdesk.core.engines.openai_engine", "imgdesk.core.engines.local_engine")


def resolve_engine_name(settings: Settings, engine: str | None = None) -> str:
    name = engine or settings.engine or "auto"
    if name not in ENGINE_NAMES:
        raise ImgdeskError.make(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "“{name}” is not an engine; choose openai or local."),
            field="engine",
            name=name,
        )
    if name == "auto":
        return "openai" if secrets.get_secret(secrets.OPENAI) else "local"
    return name


def make_engine(settings: Settings, engine: str | None = None) -> Engine:
    """The engine to run edits with; OpenAI without a key raises AUTH with OPEN_SETTINGS.

    Blocking (it may import the client library, read the keyring and build an HTTP client) but
    safe in any thread: nothing it makes is tied to the calling thread or to an event loop.
    From the event loop use `make_engine_async`.
    """
    if resolve_engine_name(settings, engine) == "openai":
        from imgdesk.core.engines.openai_engine import engine_from_settings

        return engine_from_settings(settings)
    from imgdesk.core.engines.local_engine import LocalEngine

    return LocalEngine()


async def make_engine_async(settings: Settings, engine: str | None = None) -> Engine:
    """`make_engine` in a worker thread, so the event loop (the UI thread, under qasync) keeps
    running while the first edit imports the client library."""
    return await asyncio.to_thread(make_engine, settings, engine)


def preload_engines() -> None:
    """Import every engine's module now, so the first edit does not wait for it.

    Blocking for about a second: run it in a worker thread once the window has been painted.
    Only a head start: a module that fails to import is logged and left for `make_engine`,
    which then reports it where the user asked for the engine.
    """
    for name in _ENGINE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            log.warning("could not preload %s", name, exc_info=True)
