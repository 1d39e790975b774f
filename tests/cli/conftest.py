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


@pytest.fixture
def filled(home: Path) -> Path:
    """``home`` with the hand-marked class of tests/drillkit.py (drill CODE) in its progress database."""
    from drillkit import class_results
    from nkstudy.core.packs.loader import load_pack
    from nkstudy.store.db import Store
    from nkstudy.store.drills import record_result

    store = Store(home / "data" / "progress.sqlite3")
    for result in class_results(load_pack(home / "packs" / "test-pack").pack):
        assert record_result(store, result)
    store.close()
    return home
