"""Fixtures for the format tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from formatkit import BUILTIN, interop_dir, need

from nkstudy.core.loader import load_pack
from nkstudy.core.model import Pack


@pytest.fixture(scope="session")
def interop() -> Path:
    found = interop_dir()
    need(found, "the interop files (shared/interop next to the checkout) are absent; set NKSTUDY_INTEROP")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def builtin() -> Pack:
    result = load_pack(BUILTIN)
    assert result.ok and result.pack is not None, [p.format() for p in result.problems]
    return result.pack
