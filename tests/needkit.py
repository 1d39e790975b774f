"""CI's no-skip rule for tests that need a real client (a browser, npm, the anki library).

Import with ``from needkit import need`` (tests/ is on pytest's pythonpath).
"""

from __future__ import annotations

import os

import pytest


def need(condition: object, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; under CI=true that is a failure."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must not skip: {reason}")
    pytest.skip(reason)
