"""Tests that need a program from the operating system skip without it, except in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(program: str, package: str) -> str:
    """The program's path; skip when it is absent (fail with IMGDESK_REQUIRE_SYSTEM_TESTS=1)."""
    path = shutil.which(program)
    if path:
        return path
    reason = f"needs `{program}` (Debian package {package})"
    if os.environ.get("IMGDESK_REQUIRE_SYSTEM_TESTS") == "1":
        pytest.fail(reason + "; CI must install it")
    pytest.skip(reason)
