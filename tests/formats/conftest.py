"""Fixtures for the format tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from formatkit import BUILTIN, interop_dir

from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack


@pytest.fixture(scope="session")
def interop() -> Path:
    """The real files from other tools, read in place: absent in a checkout without shared/ beside it.

    Their tests skip then, CI included (CI's clone has shared/ beside it); real clients never skip in CI.
    """
    found = interop_dir()
    if found is None:
        pytest.skip("the interop files (shared/interop next to the checkout) are absent; set NKSTUDY_INTEROP")
    return found


@pytest.fixture(scope="session")
def builtin() -> Pack:
    result = load_pack(BUILTIN)
    assert result.ok and result.pack is not None, [p.format() for p in result.problems]
    return result.pack
