"""The PostgreSQL backend (psycopg 3), given a ``postgresql://`` URL.

The store's SQL is written for SQLite; :mod:`nkstudy.store.pgsql` translates
each statement once (cached here, with each table's primary key read from the
catalog), and the migrations' DDL.

Writes run ``REPEATABLE READ`` and are re-run on a serialisation failure: two
writers changing one row, or inserting one key, never both win, and no update
is lost, as with SQLite's one writer at a time; writers of different learners
do not wait for each other.  (``SERIALIZABLE`` was measured: its predicate locks
on the shared indexes made concurrent learners' answers fail and retry, 40 ms
p50 at 20 learners.)

Each process keeps its connection in a ``psycopg_pool`` pool (of one: the store
is used one statement at a time per process, and a serve host runs a process per
visitor, so connections stay one per learner).  The pool makes and configures
the connection, replaces one that broke, in the background and with back-off
while the server is away, and renews it after an hour.  The store re-runs a write
whose connection was lost, for up to :attr:`PostgresBackend.reconnect_seconds`;
every write the store makes is safe to re-run (answers carry an id made before
they are sent).  The schema version is kept in the table ``schema_version``.

Credentials come from the URL, libpq's environment (``PGPASSWORD``…) or a
pgpass file; messages name the host and database, never the password.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from itertools import count
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pgerrors
from psycopg.adapt import Dumper, Loader
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from nkstudy.store.backend import Conn, StoreError, redact, split_statements
from nkstudy.store.pgsql import translate, translate_ddl

T = TypeVar("T")
_LOCK_KEY = 0x6E6B7374  # the advisory lock migrations take ("nkst")
_GONE = (pgerrors.AdminShutdown, pgerrors.CannotConnectNow)
_CONNECT = {"autocommit": True, "connect_timeout": 10, "application_name": "nkstudy"}
_POOLS = count(1)
# The driver and its pool log a failed reconnection as a warning; with no handler of the program's
# own, Python would print it on stderr, across the app's screen.  The store says it in its own words,
# with the reason of the pool's last failed try (kept here by pool name) when it gives up.
logging.getLogger("psycopg").addHandler(logging.NullHandler())


class _LastConnectError(logging.Handler):
    """Keeps, for each of our pools, why its last try to connect failed (the pool only logs it)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.last: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if (str(record.msg).startswith("error connecting in") and len(args) == 2
                and str(args[0]).startswith("nkstudy-")):
            self.last[str(args[0])] = " ".join(str(args[1]).split())

    def take(self, name: str) -> str | None:
        return self.last.pop(name, None)


_LAST_ERROR = _LastConnectError()
logging.getLogger("psycopg.pool").addHandler(_LAST_ERROR)


class _IntBoolDumper(Dumper):
    """Python bools go to INTEGER columns as 0 and 1, as SQLite stores them."""

    oid = psycopg.adapters.types["int2"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumberLoader(Loader):
    """numeric (sum of a bigint, avg) comes back as int or float, as from SQLite, not Decimal."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class _Cursor:
    def __init__(self, cur: psycopg.Cursor[Any], returns_id: bool) -> None:
        self._cur = cur
        self.lastrowid: int | None = None
        self.rowcount = cur.rowcount
        if returns_id:
            row = cur.fetchone()
            self.lastrowid = int(row[0]) if row else None

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall()


class _PgConn:
    """A psycopg connection that takes the store's SQLite-flavoured SQL."""

    def __init__(self, backend: PostgresBackend, conn: psycopg.Connection[Any]) -> None:
        self._backend = backend
        self._conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> _Cursor:
        text, order, returns_id = self._backend.translated(sql)
        params = list(parameters)
        if order is not None:
            params = [params[i] for i in order]
        cur = self._conn.cursor()
        cur.execute(text.encode(), params)  # bytes: a query psycopg takes as it is
        return _Cursor(cur, returns_id)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]], /) -> _Cursor:
        text, order, _returns = self._backend.translated(sql)
        rows = (list(p) if order is None else [list(p)[i] for i in order] for p in seq)
        cur = self._conn.cursor()
        cur.executemany(text.removesuffix(" RETURNING id").encode(), rows)
        return _Cursor(cur, False)


@lru_cache(maxsize=2048)
def _translated(sql: str, keys: tuple[tuple[str, tuple[str, ...]], ...],
                with_id: frozenset[str]) -> tuple[str, tuple[int, ...] | None, bool]:
    return translate(sql, dict(keys), with_id)


class PostgresBackend:
    kind = "postgresql"
    reconnect_seconds = 30.0
    on_wait: Callable[[bool], None] | None = None
    #: seconds the pool keeps retrying one lost connection (with back-off: 1 s, then 2 s) before it
    #: starts again from a first, immediate try at the store's next request
    retry_window = 2.5

    def __init__(self, url: str, migrations: Sequence[str], *, upgrade: bool = True) -> None:
        self.url = url
        info = _conninfo(url)
        host = info.get("host") or "localhost"
        self.where = f"PostgreSQL database {info.get('dbname') or info.get('user') or '?'} on {host}" + (
            f":{info['port']}" if info.get("port") else "")
        self._lock = threading.RLock()  # one statement at a time per process, as with one SQLite connection
        self._migrations = tuple(migrations)
        self.schema_version = len(self._migrations)
        self._held: psycopg.Connection[Any] | None = None  # the connection in use (by the lock's holder)
        self.conflicts = 0  # writes re-run after a serialisation failure (for benchmarks)
        self._keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
        self._with_id: frozenset[str] = frozenset()
        self.found_version = 0
        # The first connection is made here, so that a wrong URL, password or server is one clear error
        # at once (a pool would only keep retrying).  It reads the schema and is closed before the pool
        # makes the connection it keeps: never two at once, so a full server refuses nobody for it.
        first = self._first_connection()
        with self._lock:
            self._held = first
            try:
                self.found_version = self._version_check()
                if self.found_version < self.schema_version and upgrade:
                    self._migrate()
                self._load_catalog(first)
            finally:
                self._held = None
                first.close()
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url, min_size=1, max_size=1, kwargs=dict(_CONNECT), configure=_configure, open=False,
            name=f"nkstudy-{next(_POOLS)}", num_workers=1, reconnect_timeout=self.retry_window)
        self._pool.open()
        try:  # its connection made (the pool's own wait would close the pool when it times out)
            self._pool.putconn(self._pool.getconn(timeout=10))
        except PoolTimeout:
            pass  # the server went away just now: the first request waits for it, as after a restart

    # -- connecting ------------------------------------------------------
    def _hidden(self, text: str) -> str:
        """``text`` on one line, with no password in it (the URL's, or one a message quotes)."""
        text = redact(" ".join(text.split()))
        password = _conninfo(self.url).get("password")
        return text.replace(password, "***") if password else text

    def _error(self, exc: Exception, doing: str) -> StoreError:
        detail = self._hidden(str(exc)) or type(exc).__name__
        return StoreError(f"{self.where}: {doing} ({detail[:300]})")

    def _gone(self) -> StoreError:
        why = self._hidden(_LAST_ERROR.take(self._pool.name) or "")
        return StoreError(f"{self.where}: lost the connection and could not reconnect within "
                          f"{self.reconnect_seconds:g} s" + (f" (last try: {why[:200]})" if why else "")
                          + "; the last change was not saved - try again when the server is back")

    def _first_connection(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(self.url, **_CONNECT)  # type: ignore[arg-type]
            _configure(conn)
            return conn
        except psycopg.Error as exc:
            raise self._error(exc, "cannot connect; check the URL, that the server runs, and PGPASSWORD or "
                              "~/.pgpass") from None

    def _load_catalog(self, conn: psycopg.Connection[Any]) -> None:
        rows = conn.execute(
            "SELECT c.relname, a.attname, array_position(i.indkey::int2[], a.attnum) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a "
            "ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace").fetchall()
        keys: dict[str, list[tuple[int, str]]] = {}
        for table, column, place in rows:
            keys.setdefault(table, []).append((int(place), column))
        self._keys = tuple(sorted((t, tuple(c for _p, c in sorted(cols))) for t, cols in keys.items()))
        self._with_id = frozenset(t for t, cols in self._keys if cols == ("id",))

    def translated(self, sql: str) -> tuple[str, tuple[int, ...] | None, bool]:
        return _translated(sql, self._keys, self._with_id)

    @contextmanager
    def _borrow(self, deadline: float, wait: Callable[[bool], None]) -> Iterator[psycopg.Connection[Any]]:
        """The pool's connection, waited for while the pool reconnects (until ``deadline``), given back after.

        Called with the lock held.  Inside, the connection is also the one a nested call on this thread uses.
        """
        while True:
            try:
                conn = self._pool.getconn(timeout=max(0.05, min(0.5, deadline - time.monotonic())))
                break
            except PoolTimeout:
                if time.monotonic() > deadline:
                    wait(False)
                    raise self._gone() from None
                wait(True)
            except PoolClosed:
                raise StoreError(f"{self.where}: the store was closed") from None
        self._held = conn
        try:
            yield conn
        finally:
            self._held = None
            self._pool.putconn(conn)  # rolled back if a transaction was left open, replaced if broken

    def _run(self, attempt: Callable[[psycopg.Connection[Any]], T], doing: str) -> T:
        """``attempt`` on a live connection: re-run on a serialisation failure, and after a lost connection.

        A server that goes away is waited for (``reconnect_seconds``) while the pool reconnects, so a
        restart loses nothing.  A call made inside another (by the same thread) runs on its connection.
        """
        deadline = time.monotonic() + self.reconnect_seconds
        waiting = False

        def wait(now: bool) -> None:
            nonlocal waiting
            if now != waiting and self.on_wait is not None:
                self.on_wait(now)
            waiting = now

        with self._lock:
            if self._held is not None:
                try:
                    return attempt(self._held)
                except psycopg.Error as exc:
                    raise self._error(exc, doing) from None
            while True:
                with self._borrow(deadline, wait) as conn:
                    try:
                        result = attempt(conn)
                        wait(False)
                        return result
                    except (pgerrors.SerializationFailure, pgerrors.DeadlockDetected):
                        time.sleep(random.uniform(0, 0.002))  # the other writer has committed: go again at once
                        self.conflicts += 1
                    except psycopg.OperationalError as exc:
                        if not (conn.closed or conn.broken or isinstance(exc, _GONE)):
                            raise self._error(exc, doing) from None
                        conn.close()  # given back closed: the pool makes a new one
                        if time.monotonic() > deadline:
                            wait(False)
                            raise self._gone() from None
                        wait(True)
                    except psycopg.Error as exc:
                        raise self._error(exc, doing) from None

    # -- the schema --------------------------------------------------------
    def _version_check(self) -> int:
        def look(conn: psycopg.Connection[Any]) -> tuple[int | None, int]:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()]
            if "schema_version" not in tables:
                return None, len(tables)
            row = conn.execute("SELECT version FROM schema_version WHERE app = 'nkstudy'").fetchone()
            return (int(row[0]) if row else None), len(tables)

        version, tables = self._run(look, "cannot read the schema version")
        if version is None and tables:
            raise StoreError(f"{self.where}: holds tables of another program, not nkstudy progress; it was left "
                             "untouched - give an empty database or schema")
        version = version or 0
        if version > self.schema_version:
            raise StoreError(f"{self.where}: was written by a newer nkstudy (schema {version}; this version reads "
                             f"up to {self.schema_version}); upgrade nkstudy")
        return version

    def _migrate(self) -> None:
        def step(conn: psycopg.Connection[Any]) -> None:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (app TEXT PRIMARY KEY, version INTEGER "
                             "NOT NULL)")
                row = conn.execute("SELECT version FROM schema_version WHERE app = 'nkstudy'").fetchone()
                version = int(row[0]) if row else 0
                if version > self.schema_version:
                    raise StoreError(f"{self.where}: was upgraded by a newer nkstudy meanwhile; upgrade nkstudy")
                for script in self._migrations[version:]:
                    for statement in split_statements(script):
                        ddl = translate_ddl(statement)
                        if ddl:
                            conn.execute(ddl.encode())
                conn.execute("INSERT INTO schema_version(app, version) VALUES ('nkstudy', %s) ON CONFLICT (app) "
                             "DO UPDATE SET version = EXCLUDED.version", (self.schema_version,))

        self._run(step, "cannot upgrade the schema")

    # -- transactions ------------------------------------------------------
    def write(self, fn: Callable[[Conn], T]) -> T:
        """Run ``fn`` in one repeatable-read transaction (re-run on a conflict), committed before this returns."""

        def attempt(conn: psycopg.Connection[Any]) -> T:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try:
                result = fn(_PgConn(self, conn))
            except BaseException:
                if not conn.closed:
                    try:
                        conn.execute("ROLLBACK")
                    except psycopg.Error:
                        pass
                raise
            conn.execute("COMMIT")
            return result

        return self._run(attempt, "cannot write the progress")

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        def attempt(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in _PgConn(self, conn).execute(sql, params).fetchall()]

        return self._run(attempt, "cannot read the progress")

    def stream(self, sql: str, params: Sequence[Any] = (), *, size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``sql`` in lists of at most ``size``, through a server-side cursor in one read
        transaction (what the server sends at a time is one list).  Reconnects before it starts, like a read;
        a connection lost halfway is a StoreError (a stream cannot be re-run from where it was).  Inside
        another call on this thread (a write that copies the rows), it runs on that call's connection."""
        text, order, _returns = self.translated(sql)
        values = list(params) if order is None else [list(params)[i] for i in order]
        deadline = time.monotonic() + self.reconnect_seconds
        with self._lock, (nullcontext(self._held) if self._held is not None
                          else self._borrow(deadline, lambda _now: None)) as conn:
            try:
                with conn.transaction(), conn.cursor(name="nkstudy_stream") as cur:
                    cur.execute(text.encode(), values)
                    while rows := cur.fetchmany(size):
                        yield [tuple(r) for r in rows]
            except psycopg.Error as exc:
                raise self._error(exc, "cannot read the progress") from None

    def tables(self) -> list[str]:
        return [r[0] for r in self._run(lambda conn: conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version' "
            "ORDER BY tablename").fetchall(), "cannot list the tables")]

    def columns(self, table: str) -> list[str]:
        return [r[0] for r in self.read(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (table,))]

    def after_copy(self, conn: Conn) -> None:
        """Identity columns continue after the largest id copied in."""
        for table in sorted(self._with_id):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"coalesce(max(id), 0) + 1, false) FROM {table}")

    def close(self) -> None:
        """Close the pool, without the store's lock: a call waiting for a server that is away (holding the
        lock for up to ``reconnect_seconds``) then fails at once, "closed".  A call that has the connection
        finishes its statement or transaction first; the pool closes the connection when it comes back."""
        self._pool.close(timeout=1.0)  # its worker may be waiting on a server that is away
        _LAST_ERROR.take(self._pool.name)


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_dumper(bool, _IntBoolDumper)
    conn.adapters.register_loader("numeric", _NumberLoader)


def _conninfo(url: str) -> dict[str, str]:
    try:
        return {k: str(v) for k, v in psycopg.conninfo.conninfo_to_dict(url).items() if v is not None}
    except psycopg.ProgrammingError:
        return {}


__all__ = ["PostgresBackend"]
