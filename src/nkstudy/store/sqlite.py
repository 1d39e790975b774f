"""The SQLite backend: one file, stdlib ``sqlite3`` only (the default).

Safe for several processes at once (a class on one server, a profile each):
WAL mode, a long busy timeout, ``BEGIN IMMEDIATE`` for every write, short
transactions, and a retry loop for the rare ``database is locked`` that the
busy handler does not cover.  Every write is committed before it returns.

A file that is not SQLite, is damaged, belongs to another program, or was
written by a newer nkstudy raises :class:`StoreError` and is never written to.
``PRAGMA user_version`` holds the schema version, ``PRAGMA application_id`` our mark.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from nkstudy.store.backend import Conn, StoreError
from nkstudy.store.probe import read_only_problem
from nkstudy.store.schema import APPLICATION_ID

BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"
# primary SQLite result codes that mean the file itself is bad (not permissions, space or locks)
_SQLITE_ERROR, _SQLITE_CORRUPT, _SQLITE_NOTADB = 1, 11, 26
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL = 5, 6, 13
T = TypeVar("T")


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


class SqliteBackend:
    """The progress file at ``path`` (created when missing)."""

    kind = "sqlite"
    on_wait: Callable[[bool], None] | None = None  # never called: a file does not go away
    #: why nothing can be written here (see :func:`~nkstudy.store.probe.read_only_problem`), or None
    read_only: str | None = None

    def __init__(self, path: Path, migrations: Sequence[str], *, upgrade: bool = True,
                 synchronous: str = "NORMAL") -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self._lock = threading.RLock()
        self._migrations = tuple(migrations)
        self.schema_version = len(self._migrations)
        self.found_version = 0
        self._check_file()
        if self.path.parent.exists() and not self.path.parent.is_dir():
            raise StoreError(f"{self.path.parent}: is a file, not a folder, so progress cannot be kept there; "
                             "use another --data-dir or $NKSTUDY_HOME")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path.parent}: cannot create the data folder ({exc.strerror}); "
                             "choose another with --data-dir or $NKSTUDY_HOME") from None
        try:
            self.conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the progress database ({exc}); "
                             "check the folder's permissions or use --data-dir") from None
        try:
            self._setup(synchronous, upgrade)
        except StoreError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise self._problem(exc) from None

    # -- opening -------------------------------------------------------
    def _check_file(self) -> None:
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a progress database; "
                             "move it aside or use another --data-dir")
        if not self.path.exists():
            return
        try:
            with self.path.open("rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the progress database ({exc.strerror}); "
                             "check its permissions") from None
        if head and head != _SQLITE_MAGIC:
            raise StoreError(f"{self.path}: is not an SQLite database, so it is not nkstudy progress; "
                             "it was left untouched - move it aside or use another --data-dir")

    def _damaged(self, exc: Exception) -> StoreError:
        return StoreError(f"{self.path}: the progress database is damaged ({exc}); it was left untouched - "
                          "restore a backup or move it aside to start afresh")

    def _problem(self, exc: sqlite3.DatabaseError) -> StoreError:
        """A one-line StoreError for ``exc``: only a bad file is called damaged."""
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or (primary is None and _is_locked(exc)):
            return StoreError(f"{self.path}: the progress database stayed locked by another program; try again")
        if primary == _SQLITE_FULL:
            return StoreError(f"{self.path}: the disk is full ({exc}); free some space and try again")
        if primary in (None, _SQLITE_ERROR, _SQLITE_CORRUPT, _SQLITE_NOTADB):  # e.g. a table of ours is missing
            return self._damaged(exc)
        return StoreError(f"{self.path}: cannot read or write the progress database ({exc}); check the "
                          "permissions of the file and its folder, or use another --data-dir")

    def _setup(self, synchronous: str, upgrade: bool) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

        # one read transaction, so a process creating the schema meanwhile is seen whole
        def snapshot() -> tuple[int, int, int]:
            c.execute("BEGIN")
            try:
                version = c.execute("PRAGMA user_version").fetchone()[0]
                app_id = c.execute("PRAGMA application_id").fetchone()[0]
                tables = c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            finally:
                c.execute("COMMIT")
            return version, app_id, tables

        version, app_id, tables = self._retry(snapshot)
        self.found_version = int(version)
        # ours: stamped with our application id (every migration sets it), or brand new and empty
        if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or tables):
            raise StoreError(f"{self.path}: is an SQLite database of another program, not nkstudy progress; "
                             "it was left untouched - use another --data-dir")
        if version > self.schema_version:
            raise StoreError(
                f"{self.path}: was written by a newer nkstudy (schema {version}; this version reads up to "
                f"{self.schema_version}); upgrade nkstudy, or use another --data-dir"
            )
        self._retry(lambda: c.execute("PRAGMA journal_mode = WAL"))
        c.execute(f"PRAGMA synchronous = {synchronous}")
        c.execute("PRAGMA foreign_keys = ON")
        if version < self.schema_version and upgrade:
            self._migrate()
        if upgrade:  # found at once, not at the first answer (a probe write, rolled back)
            self.read_only = read_only_problem(c, self.path, self.schema_version)

    def _migrate(self) -> None:
        def step(c: Conn) -> None:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version > self.schema_version:
                raise StoreError(f"{self.path}: was upgraded by a newer nkstudy meanwhile; upgrade nkstudy")
            for script in self._migrations[version:]:
                for statement in _statements(script):
                    c.execute(statement)
            c.execute(f"PRAGMA user_version = {self.schema_version}")
            c.execute(f"PRAGMA application_id = {APPLICATION_ID}")

        self.write(step)

    # -- transactions --------------------------------------------------
    def _retry(self, fn: Callable[[], T]) -> T:
        delay = 0.005
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000 * 2
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    def write(self, fn: Callable[[Conn], T]) -> T:
        """Run ``fn`` in one ``BEGIN IMMEDIATE`` transaction, retried while locked."""

        def attempt() -> T:
            c = self.conn
            c.execute("BEGIN IMMEDIATE")
            try:
                result = fn(c)
            except BaseException:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")
            return result

        with self._lock:
            try:
                return self._retry(attempt)
            except StoreError:
                raise
            except sqlite3.DatabaseError as exc:
                raise self._problem(exc) from None

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._retry(lambda: self.conn.execute(sql, params).fetchall())
            except sqlite3.DatabaseError as exc:
                raise self._problem(exc) from None

    def stream(self, sql: str, params: Sequence[Any] = (), *, size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``sql`` in lists of at most ``size``, stepped through a cursor as they are used."""
        with self._lock:
            try:
                cur = self._retry(lambda: self.conn.execute(sql, params))
                try:
                    while rows := cur.fetchmany(size):
                        yield rows
                finally:
                    cur.close()
            except sqlite3.DatabaseError as exc:
                raise self._problem(exc) from None

    def tables(self) -> list[str]:
        return [r[0] for r in self.read("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.read(f"PRAGMA table_info({table})")]

    def after_copy(self, conn: Conn) -> None:
        """Nothing to do: SQLite's next rowid follows the largest."""

    def close(self) -> None:
        with self._lock:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass


__all__ = ["BUSY_TIMEOUT_MS", "SqliteBackend"]
