"""Choosing the engine: OpenAI when a key is set, else the offline one, unless the user says."""

from __future__ import annotations

from imgdesk.core import secrets
from imgdesk.core.engines.base import Engine
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.settings import Settings

ENGINE_NAMES = ("auto", "openai", "local")


def resolve_engine_name(settings: Settings, engine: str | None = None) -> str:
    name = engine or settings.engine or "auto"
    if name not in ENGINE_NAMES:
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            f"“{name}” is not an engine; choose openai or local.",
            field="engine",
        )
    if name == "auto":
        return "openai" if secrets.get_secret(secrets.OPENAI) else "local"
    return name


def make_engine(settings: Settings, engine: str | None = None) -> Engine:
    """The engine to run edits with; OpenAI without a key raises AUTH with OPEN_SETTINGS."""
    if resolve_engine_name(settings, engine) == "openai":
        from imgdesk.core.engines.openai_engine import engine_from_settings

        return engine_from_settings(settings)
    from imgdesk.core.engines.local_engine import LocalEngine

    return LocalEngine()
