"""The progress store: bad files are refused untouched; SIGKILL and 8 writers lose nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nkstudy.store.backend import parse_location
from nkstudy.store.db import CardRow, ReviewRow, Store, StoreError
from nkstudy.store.schema import MIGRATIONS, SCHEMA_VERSION
from packfactory import write_pack

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    env.pop("NKSTUDY_HOME", None)
    return env


def test_new_store_uses_wal_and_schema_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "d" / "progress.sqlite3")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    store.close()
    Store(tmp_path / "d" / "progress.sqlite3").close()  # reopening is fine


def _refused(path: Path, phrase: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message and phrase in message and "\n" not in message
    assert path.read_bytes() == before  # never overwritten
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"my shopping list\nmilk\n" * 50)
    _refused(path, "not an SQLite database")


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.close()
    _refused(path, "newer nkstudy")


def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    store = Store(path)
    store.conn.execute("PRAGMA journal_mode = DELETE")
    store.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 4096
    data[100:4096] = b"\xa5" * (4096 - 100)  # wreck the schema page, keep the header
    path.write_bytes(bytes(data))
    _refused(path, "damaged")


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes(name TEXT)")
    con.commit()
    con.close()
    _refused(path, "another program")


def test_another_programs_database_with_a_user_version_is_refused_untouched(tmp_path: Path) -> None:
    # many programs set user_version; without our application id it is not ours, whatever the version
    for version in (SCHEMA_VERSION, SCHEMA_VERSION + 3):
        path = tmp_path / f"v{version}.sqlite3"
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE recipes(name TEXT)")
        con.execute(f"PRAGMA user_version = {version}")
        con.commit()
        con.close()
        _refused(path, "another program")


def test_a_file_sqlite_cannot_open_is_not_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    Store(path).close()
    Path(str(path) + "-wal").mkdir()  # stands in for a file or folder we may not write
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message and "cannot read or write" in message and "permissions" in message
    assert "damaged" not in message and "backup" not in message
    assert path.read_bytes() == before


def test_data_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder")
    with pytest.raises(StoreError, match="is a file, not a folder") as info:
        Store(data / "progress.sqlite3")
    assert str(data) in str(info.value)
    assert data.read_text() == "not a folder"


NEXT = [*MIGRATIONS, """
ALTER TABLE reviews ADD COLUMN device TEXT NOT NULL DEFAULT '';
CREATE INDEX reviews_device ON reviews(profile_id, device);
"""]


def _answer(store: Store, pid: int, qid: str) -> None:
    review = ReviewRow("p", qid, "src", ("who",), 1_700_000_000.0, 3, True, "yes", 900, False, None, None)
    card = CardRow("p", qid, 1, 1, 3.0, 5.0, 1_700_000_600.0, 1_700_000_000.0, 1, 0)
    store.record_answer(pid, review, card)


def test_schema_v1_is_upgraded_by_a_later_version(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    path = tmp_path / "progress.sqlite3"
    old = Store(path)
    pid = old.profile_id("ann", datetime(2024, 5, 1, tzinfo=UTC))
    _answer(old, pid, "q1")
    old.close()
    new = Store(path, migrations=NEXT)  # what a future nkstudy with the next schema does to this file
    assert new.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1 == new.schema_version
    assert new.conn.execute("SELECT question_id, device FROM reviews").fetchall() == [("q1", "")]
    assert new.cards(pid)[("p", "q1")].stability == 3.0
    assert new.profile_names() == ["ann"]
    _answer(new, pid, "q2")  # and it keeps working
    assert sum(n for *_k, n, _ms in new.review_groups(pid)) == 2
    new.close()
    # this version now refuses the upgraded file, untouched
    _refused(path, "newer nkstudy")
    # and a brand-new file gets every migration in turn
    fresh = Store(tmp_path / "fresh.sqlite3", migrations=NEXT)
    assert fresh.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "device" in [r[1] for r in fresh.conn.execute("PRAGMA table_info(reviews)")]
    fresh.close()


def _pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "packs" / "test-pack")


def _reviews(db: Path | str, profile: str | None = None) -> int:
    """Answers in the database: an SQLite file, or a postgresql:// URL."""
    store = Store(parse_location(str(db)))
    try:
        if profile is None:
            return int(store.read("SELECT count(*) FROM reviews")[0][0])
        return int(store.read(
            "SELECT count(*) FROM reviews JOIN profiles ON profiles.id = reviews.profile_id WHERE name = ?",
            (profile,),
        )[0][0])
    finally:
        store.close()


def _profiles(db: str) -> list[str]:
    if "://" not in db and not Path(db).exists():
        return []
    store = Store(parse_location(db))
    try:
        return store.profile_names()
    finally:
        store.close()


def _study_cmd(tmp_path: Path, profile: str) -> list[str]:
    # the test pack only: each of its questions takes one line ("don't know"), where a flashcard of the
    # built-in bank would take two (reveal, then "did you know it?")
    return [sys.executable, "-m", "nkstudy", "study", "--plain", "--data-dir", str(tmp_path / "data"),
            "--packs", str(tmp_path / "packs"), "--pack", "test-pack", "--profile", profile]


def _where(tmp_path: Path, progress_db: str | None) -> str:
    return progress_db or str(tmp_path / "data" / "progress.sqlite3")


def _db_env(tmp_path: Path, progress_db: str | None) -> dict[str, str]:
    env = _env(tmp_path)
    env.pop("NKSTUDY_DB", None)
    if progress_db:
        env["NKSTUDY_DB"] = progress_db
    return env


def test_sigkill_after_n_answers_keeps_all_n(tmp_path: Path, progress_db: str | None) -> None:
    _pack(tmp_path)
    n = 5
    proc = subprocess.Popen(_study_cmd(tmp_path, "kim"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_db_env(tmp_path, progress_db))
    assert proc.stdin is not None and proc.stdout is not None
    drain = threading.Thread(target=proc.stdout.read, daemon=True)  # the pipe never fills
    drain.start()
    where = _where(tmp_path, progress_db)
    deadline = time.monotonic() + 60
    while not _profiles(where) and time.monotonic() < deadline:  # the process is up, its profile made
        time.sleep(0.05)
    done = 0
    while done < n and time.monotonic() < deadline:
        proc.stdin.write(b"\n")  # "don't know" (or, on a flashcard, show its back first)
        proc.stdin.flush()
        wait = time.monotonic() + 2
        while time.monotonic() < wait and _reviews(where, "kim") == done:
            time.sleep(0.05)
        done = _reviews(where, "kim")
    assert done == n, proc.stderr.read() if proc.stderr and proc.poll() is not None else done
    # the process now waits for the next line, with n answers committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _reviews(_where(tmp_path, progress_db), "kim") == n
    # and the database is fine to use afterwards
    Store(parse_location(_where(tmp_path, progress_db))).close()


def test_eight_processes_answering_at_once_lose_nothing(tmp_path: Path, progress_db: str | None) -> None:
    _pack(tmp_path)
    Store(parse_location(_where(tmp_path, progress_db))).close()
    answers = 25
    procs = []
    for i in range(8):
        procs.append(subprocess.Popen(
            _study_cmd(tmp_path, f"learner{i}"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=_db_env(tmp_path, progress_db),
        ))
    for p in procs:  # all start, then all answer at once
        assert p.stdin is not None
        p.stdin.write(b"\n" * answers)
        p.stdin.close()
    told = []
    for p in procs:
        assert p.stdout is not None and p.stderr is not None
        out = p.stdout.read()
        err = p.stderr.read()
        assert p.wait(timeout=120) == 0, err.decode()
        assert err == b""
        # each line answers a question, or first shows a flashcard's back: the process says how many it recorded
        summary = re.search(rb"^Answered (\d+):", out, re.MULTILINE)
        assert summary is not None, out[-500:]
        told.append(int(summary.group(1)))
    for i in range(8):
        assert answers // 2 <= told[i] <= answers
        assert _reviews(_where(tmp_path, progress_db), f"learner{i}") == told[i]


def test_a_v2_database_gains_marks_and_overrides_and_keeps_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "data" / "progress.sqlite3"
    old = Store(path, migrations=MIGRATIONS[:2])  # what nkstudy wrote before Anki's card tools
    when = datetime(2024, 5, 1, tzinfo=UTC)
    pid = old.profile_id("ann", when)
    old.write(lambda c: c.execute(  # an answer as nkstudy wrote it then (no override, no answer id)
        "INSERT INTO reviews(profile_id, pack_id, question_id, source_id, tags, ts, at, rating, correct, answer, "
        "response_ms) VALUES (?, 'p', 'q1', 's', 'who', ?, '', 1, 0, 'no', 900)", (pid, when.timestamp())))
    Store._put_card(old.conn, pid, CardRow("p", "q1", 1, 0, 1.0, 5.0, when.timestamp() + 60, when.timestamp(), 1, 0))
    old.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.read("SELECT answer, correct, override FROM reviews") == [("no", 0, 0)]
    assert store.card(pid, "p", "q1") is not None
    from nkstudy.store import marks

    assert marks.marks(store, pid) == {}
    marks.set_marks(store, pid, ("p", "q1"), suspended=True)
    store.record_answer(pid, ReviewRow("p", "q1", "s", (), when.timestamp() + 99, 1, False, "no", None, False, 1,
                                       None), CardRow("p", "q1", 1, 0, 1.0, 5.0, when.timestamp() + 999, None, 2, 0))
    assert marks.card_marks(store, pid, ("p", "q1")).suspended  # rescheduling a card keeps its marks
    store.close()
