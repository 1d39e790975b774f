"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from packfactory import write_pack


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data dir as $NKSTUDY_HOME, and no $NKSTUDY_PACKS."""
    home = tmp_path / "home"
    monkeypatch.setenv("NKSTUDY_HOME", str(home))
    monkeypatch.delenv("NKSTUDY_PACKS", raising=False)
    return home


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A valid six-question pack (one question of each type) in tmp_path."""
    return write_pack(tmp_path / "test-pack")


# -- the progress database: SQLite, and PostgreSQL started by the tests (tests/pgkit.py) ----------
@pytest.fixture(scope="session")
def pg_server():
    from pgkit import start_server

    server = start_server()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def progress_db(request: pytest.FixtureRequest) -> str | None:
    """None (the data folder's SQLite file) or the URL of a fresh, empty PostgreSQL schema."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_server").schema_url()
