"""Fixtures for the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from packfactory import write_pack


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test pack in $NKSTUDY_PACKS, progress in tmp_path/data, plain wide output."""
    write_pack(tmp_path / "packs" / "test-pack")
    monkeypatch.setenv("NKSTUDY_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("NKSTUDY_PACKS", str(tmp_path / "packs"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path
