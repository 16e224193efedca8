"""pytest fixtures for the fake Stripe API (register in conftest `pytest_plugins`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.stripe_server import FakeStripe, FakeStripeServer


@pytest.fixture
def fake_stripe(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripe]:
    """A running fake Stripe API; STRIPE_API_KEY and IMGDESK_STRIPE_API_BASE point the app at it."""
    server = FakeStripeServer()
    fake = server.start()
    monkeypatch.setenv("STRIPE_API_KEY", fake.api_key)
    monkeypatch.setenv("IMGDESK_STRIPE_API_BASE", fake.base_url)
    try:
        yield fake
    finally:
        server.stop()
