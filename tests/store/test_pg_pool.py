"""PostgreSQL: each process's connection is kept by a psycopg_pool pool of one.

What that pool must give the store: one connection per store whatever its threads
do, a call inside a stream served on the stream's connection (and a stream inside a
write on the write's), a connection that broke replaced, and not a word of the pool's
on the terminal, a quick return after a restart, no thread left behind by ``close``,
and a ``close`` that does not wait for a call waiting on a server that went away.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from nkstudy.store.backend import parse_location
from nkstudy.store.db import CardRow, ReviewRow, Store, StoreError
from pgkit import USER, PgServer

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
_roles = itertools.count()


def _review(qid: str) -> ReviewRow:
    return ReviewRow("p", qid, "src", ("who",), 1_700_000_000.0, 3, True, "yes", 900, False, None, None)


def _card(qid: str) -> CardRow:
    return CardRow("p", qid, 1, 1, 3.0, 5.0, 1_700_000_600.0, 1_700_000_000.0, 1, 0)


def _pid(store: Store) -> int:
    return int(store.read("SELECT pg_backend_pid()")[0][0])


def _pool_threads(store: Store) -> list[threading.Thread]:
    name = store.backend._pool.name  # type: ignore[attr-defined]
    return [t for t in threading.enumerate() if name in t.name]


def test_a_store_holds_one_connection_whatever_its_threads_do(pg_server: PgServer) -> None:
    store = Store(parse_location(pg_server.schema_url()))
    pid = store.profile_id("ann", T0)
    seen: set[int] = set()
    failed: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                seen.add(_pid(store))
                store.record_answer(pid, _review(f"q{n}-{i}"), _card(f"q{n}-{i}"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failed and len(seen) == 1
    assert store.read("SELECT count(*) FROM reviews") == [(90,)]
    with psycopg.connect(pg_server.url()) as admin:  # the server agrees: that one backend, and no other
        (count,) = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (seen.pop(),)).fetchone()
    assert count == 1
    store.close()


def test_a_read_inside_a_stream_runs_on_the_streams_connection(pg_server: PgServer) -> None:
    store = Store(parse_location(pg_server.schema_url()))
    pid = store.profile_id("ann", T0)
    for i in range(5):
        store.record_answer(pid, _review(f"q{i}"), _card(f"q{i}"))
    inner: list[int] = []
    streamed = []
    for rows in store.backend.stream("SELECT question_id, pg_backend_pid() FROM reviews ORDER BY id", size=2):
        streamed.extend(rows)
        inner.append(_pid(store))  # would wait for ever on a second connection of a pool of one
    assert [q for q, _p in streamed] == [f"q{i}" for i in range(5)]
    assert {p for _q, p in streamed} == set(inner) and len(set(inner)) == 1
    store.close()


def test_a_cut_connection_is_replaced(pg_server: PgServer) -> None:
    store = Store(parse_location(pg_server.schema_url()))
    pid = store.profile_id("ann", T0)
    before = _pid(store)
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (before,))
    store.record_answer(pid, _review("q1"), _card("q1"))  # lands on the pool's new connection
    assert _pid(store) != before
    assert store.read("SELECT count(*) FROM reviews") == [(1,)]
    store.close()


CUT_IN_A_PROGRAM = """
import sys, psycopg
from nkstudy.store.backend import parse_location
from nkstudy.store.db import Store
store = Store(parse_location(sys.argv[1]))
with psycopg.connect(sys.argv[2], autocommit=True) as admin:
    admin.execute("SELECT pg_terminate_backend(%s)", (store.read("SELECT pg_backend_pid()")[0][0],))
print(store.read("SELECT 41 + 1")[0][0])
store.close()
"""


def test_the_pools_warnings_never_reach_the_terminal(pg_server: PgServer) -> None:
    # The pool logs a connection it discards as a warning; in a program that set up no logging (as
    # nkstudy does not), Python would print it on stderr - over the app's screen.  pytest catches
    # logging in its own process, so this runs in a program of its own.
    done = subprocess.run([sys.executable, "-c", CUT_IN_A_PROGRAM, pg_server.schema_url(), pg_server.url()],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "42\n" and done.stderr == ""


def test_after_a_restart_the_store_is_back_within_seconds(pg_server: PgServer) -> None:
    store = Store(parse_location(pg_server.schema_url()))
    store.backend.reconnect_seconds = 1  # type: ignore[attr-defined]
    pid = store.profile_id("ann", T0)
    pg_server.pg_ctl_stop("fast")
    try:
        with pytest.raises(StoreError):  # down longer than the store waits: one error, no hang
            store.record_answer(pid, _review("q1"), _card("q1"))
    finally:
        pg_server.pg_ctl_start()
    store.backend.reconnect_seconds = 30  # type: ignore[attr-defined]
    back = time.monotonic()
    store.record_answer(pid, _review("q2"), _card("q2"))
    assert time.monotonic() - back < 3  # the pool's first try after the restart, not its back-off's last
    assert store.read("SELECT question_id FROM reviews") == [("q2",)]
    store.close()


def test_close_ends_the_pools_threads(pg_server: PgServer) -> None:
    store = Store(parse_location(pg_server.schema_url()))
    store.profile_id("ann", T0)
    assert _pool_threads(store)
    store.close()
    deadline = time.monotonic() + 5
    while _pool_threads(store) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _pool_threads(store)
    with pytest.raises(StoreError):
        store.read("SELECT 1")


@pytest.fixture
def locked_out(pg_server: PgServer):
    """(a URL as a role of its own, to a schema of its own; a function that stops that role logging in again)."""
    name = f"r{os.getpid()}_{next(_roles)}"
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN")
        admin.execute(f"CREATE SCHEMA {name} AUTHORIZATION {name}")
    url = pg_server.url().replace(f"//{USER}@", f"//{name}@") + f"&options=-csearch_path%3D{name}"

    def lock_out(pid: int) -> None:  # no new connection for the role; its connection ``pid`` cut
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f"ALTER ROLE {name} NOLOGIN")
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    yield url, lock_out
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'")
        admin.execute(f"DROP SCHEMA {name} CASCADE")
        admin.execute(f"DROP ROLE {name}")


def test_close_does_not_wait_for_a_call_that_waits_for_the_server(locked_out) -> None:
    # The app closes its store when it quits; a worker thread still waiting for a server that went away
    # must not hold that up for the rest of its wait (reconnect_seconds), and it learns the store is closed.
    url, lock_out = locked_out
    store = Store(parse_location(url))
    store.backend.reconnect_seconds = 6  # type: ignore[attr-defined]
    lock_out(_pid(store))
    failed: list[BaseException] = []

    def read() -> None:
        try:
            store.read("SELECT 1")
        except StoreError as exc:
            failed.append(exc)

    waiting = threading.Event()
    store.backend.on_wait = lambda now: waiting.set() if now else None  # type: ignore[attr-defined]
    waiter = threading.Thread(target=read)
    waiter.start()
    assert waiting.wait(5)  # the read waits for the server, holding the store
    began = time.monotonic()
    store.close()
    closed_in = time.monotonic() - began
    waiter.join(10)
    gave_up_in = time.monotonic() - began
    assert closed_in < 2.5 and gave_up_in < 3, (closed_in, gave_up_in)
    assert len(failed) == 1


def test_a_stream_inside_a_write_runs_on_the_writes_connection(pg_server: PgServer, tmp_path: Path) -> None:
    # as on SQLite: a second connection from a pool of one would be waited for until the store gave up
    for store in (Store(parse_location(pg_server.schema_url())), Store(tmp_path / "progress.sqlite3")):
        store.backend.reconnect_seconds = 2  # type: ignore[attr-defined]
        try:
            store.profile_id("ann", T0)

            def copy(c: object, store: Store = store) -> list[list[tuple[object, ...]]]:
                return list(store.backend.stream("SELECT name FROM profiles", size=1))

            began = time.monotonic()
            assert store.write(copy) == [[("ann",)]], store.kind
            assert time.monotonic() - began < 1, store.kind
        finally:
            store.close()


def test_giving_up_says_why_the_pools_last_try_failed(locked_out) -> None:
    url, lock_out = locked_out
    store = Store(parse_location(url))
    store.backend.reconnect_seconds = 1.5  # type: ignore[attr-defined]
    lock_out(_pid(store))  # the server is up, but refuses this role from now on
    with pytest.raises(StoreError) as info:
        store.read("SELECT 1")
    message = str(info.value)
    assert "\n" not in message and "reconnect" in message
    # the pool only logged why its tries failed; the store's one line now carries it
    assert "(last try: " in message and len(message.split("(last try: ", 1)[1]) > len("); ")
    store.close()
