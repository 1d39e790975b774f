"""``nkstudy db``: status and upgrade on both backends; copy SQLite -> PostgreSQL -> SQLite with equal checksums."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from enginekit import Clock, make_pack
from nkstudy.cli import main
from nkstudy.engine import Engine
from nkstudy.store.schema import MIGRATIONS, SCHEMA_VERSION
from pgkit import PgServer


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _study(tmp_path: Path, db: str | None, names: tuple[str, ...] = ("ann", "bob")) -> None:
    """Some progress: two profiles, each answering three questions, one setting changed."""
    pack = make_pack(tmp_path / "pack", n=4)
    clock = Clock()
    for name in names:
        eng = Engine(tmp_path / "data", name, [pack], clock=clock, fuzz=False, seed=1, db=db)
        session = eng.start_session()
        for _ in range(3):
            item = session.current
            assert item is not None
            session.answer(True)
            session.advance()
            clock.advance(seconds=30)
        eng.update_settings(new_per_day=7)
        eng.close()


def _sums(out: str) -> dict[str, tuple[str, str, str, str]]:
    rows = {}
    for line in out.splitlines()[2:]:
        table, n, checksum, n_there, checksum_there = line.split()[:5]
        rows[table] = (n, checksum, n_there, checksum_there)
    return rows


def test_status_and_upgrade_of_an_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NKSTUDY_DB", raising=False)
    data = tmp_path / "data"
    code, _, err = _run(capsys, "db", "status", "--data-dir", str(data))
    assert code == 1 and err.count("\n") == 1 and "no progress database yet" in err
    assert not data.exists()  # status creates nothing
    from nkstudy.store.db import Store

    Store(data / "progress.sqlite3", migrations=MIGRATIONS[:2]).close()  # as an older nkstudy left it
    code, out, _ = _run(capsys, "db", "status", "--data-dir", str(data), "--json")
    assert code == 0 and json.loads(out)["schema"] == 2 and json.loads(out)["nkstudy_schema"] == SCHEMA_VERSION
    code, out, _ = _run(capsys, "db", "upgrade", "--data-dir", str(data))
    assert code == 0 and f"schema {SCHEMA_VERSION} (upgraded from 2)" in out
    code, out, _ = _run(capsys, "db", "status", "--data-dir", str(data), "--json")
    assert json.loads(out)["schema"] == SCHEMA_VERSION
    store = Store(data / "progress.sqlite3")
    store.profile_id("ann", datetime(2024, 5, 1, tzinfo=UTC))
    store.close()
    code, out, _ = _run(capsys, "db", "status", "--data-dir", str(data))
    counts = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("  ")}
    assert counts["profiles"] == ["1", "row"] and counts["reviews"] == ["0", "rows"]


def test_copy_sqlite_to_postgresql_and_back_keeps_every_row(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            pg_server: PgServer) -> None:
    _study(tmp_path, None)
    lab = tmp_path / "data" / "progress.sqlite3"
    school = pg_server.schema_url()

    code, out, err = _run(capsys, "db", "copy", "--from", str(lab), "--to", school)
    assert code == 0, err
    sums = _sums(out)
    assert {"profiles", "cards", "reviews", "drill_results"} <= set(sums)
    assert sums["profiles"][0] == "2" and sums["reviews"][0] == "6"
    for n, checksum, n_there, checksum_there in sums.values():
        assert (n, checksum) == (n_there, checksum_there)

    # the school's copy works on: settings kept, and a new answer gets a new id after the copied ones
    pack = make_pack(tmp_path / "pack", n=4)
    eng = Engine(tmp_path / "elsewhere", "ann", [pack], clock=Clock(), fuzz=False, seed=1, db=school)
    assert eng.settings.new_per_day == 7
    session = eng.start_session()
    session.answer(True)
    assert eng.store.read("SELECT count(*), count(DISTINCT id) FROM reviews") == [(7, 7)]
    eng.close()

    # a copy never overwrites
    code, _, err = _run(capsys, "db", "copy", "--from", str(lab), "--to", school)
    assert code == 1 and err.count("\n") == 1 and "already holds progress" in err

    # and back to a new SQLite file, the same figures both sides
    home = tmp_path / "home.sqlite3"
    code, out, err = _run(capsys, "db", "copy", "--from", school, "--to", f"sqlite:///{home}")
    assert code == 0, err
    back = _sums(out)
    assert back["reviews"][0] == "7" and all(v[:2] == v[2:] for v in back.values())
    assert back["profiles"] == sums["profiles"]  # profiles did not change at the school

    code, out, _ = _run(capsys, "db", "status", "--db", school, "--json")
    status = json.loads(out)
    assert code == 0 and status["kind"] == "postgresql" and status["tables"]["reviews"] == 7
    assert status["schema"] == SCHEMA_VERSION and "nkstudy@" not in status["database"]


def test_copy_refuses_passwords_and_the_same_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "db", "copy", "--from", str(tmp_path / "a.sqlite3"), "--to",
                        "postgresql://ann:s3cret@localhost/nk")
    assert code == 2 and "s3cret" not in err and "PGPASSWORD" in err
    code, _, err = _run(capsys, "db", "copy", "--from", str(tmp_path / "a.sqlite3"), "--to",
                        f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert code == 2 and "same database" in err
    code, _, err = _run(capsys, "db", "copy", "--from", str(tmp_path / "none.sqlite3"), "--to",
                        str(tmp_path / "b.sqlite3"))
    assert code == 1 and "no such progress database" in err and not (tmp_path / "b.sqlite3").exists()


def test_db_names_another_sqlite_file_for_every_command(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKSTUDY_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NKSTUDY_DB", raising=False)
    other = tmp_path / "elsewhere" / "mine.sqlite3"
    _study(tmp_path, str(other), names=("ann",))
    code, out, _ = _run(capsys, "profiles", "--json", "--db", str(other))
    assert code == 0 and [p["name"] for p in json.loads(out)] == ["ann"]
    monkeypatch.setenv("NKSTUDY_DB", f"sqlite:///{other}")  # the environment does the same
    code, out, _ = _run(capsys, "db", "status", "--json")
    assert code == 0 and json.loads(out)["tables"]["reviews"] == 3
    assert not (tmp_path / "home" / "progress.sqlite3").exists()
    code, _, err = _run(capsys, "profiles", "--db", "mysql://h/db")
    assert code == 2 and err.count("\n") == 1 and "unknown kind of database" in err
