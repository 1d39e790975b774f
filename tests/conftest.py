"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from packfactory import write_pack


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A valid six-question pack (one question of each type) in tmp_path."""
    return write_pack(tmp_path / "test-pack")
