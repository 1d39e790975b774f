"""The progress store: one SQLite file, stdlib ``sqlite3`` only.

Safe for several processes at once (a class on one server, a profile each):
WAL mode, a long busy timeout, ``BEGIN IMMEDIATE`` for every write, short
transactions, and a retry loop for the rare ``database is locked`` that the
busy handler does not cover.  Every answer is committed before it returns.

A file that is not SQLite, is damaged, belongs to another program, or was
written by a newer nkstudy raises :class:`StoreError` and is never written to.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from nkstudy.core.study.progress import CardRow, ReviewRow
from nkstudy.core.text import quoted
from nkstudy.store.probe import read_only_problem
from nkstudy.store.schema import APPLICATION_ID, MIGRATIONS

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"
# primary SQLite result codes that mean the file itself is bad (not permissions, space or locks)
_SQLITE_ERROR, _SQLITE_CORRUPT, _SQLITE_NOTADB = 1, 11, 26
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL = 5, 6, 13
T = TypeVar("T")


class StoreError(Exception):
    """A one-line problem with the progress database: what, which file, what to do."""


_CARD_COLS = "pack_id, question_id, state, step, stability, difficulty, due, last_review, reps, lapses"


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


class Store:
    """The progress database at ``path`` (created when missing).

    ``migrations`` is the schema's history (see :mod:`nkstudy.store.schema`); its
    length is the schema version this store writes.
    """

    #: why nothing can be written here (see :func:`~nkstudy.store.probe.read_only_problem`), or None
    read_only: str | None = None

    def __init__(self, path: Path, *, synchronous: str = "NORMAL",
                 migrations: Sequence[str] = MIGRATIONS) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._migrations = tuple(migrations)
        self.schema_version = len(self._migrations)
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
            self._setup(synchronous)
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

    def _setup(self, synchronous: str) -> None:
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
        if version < self.schema_version:
            self._migrate()
        self.read_only = read_only_problem(c, self.path, self.schema_version)

    def _migrate(self) -> None:
        def step(c: sqlite3.Connection) -> None:
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

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
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

    def close(self) -> None:
        with self._lock:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass

    # -- profiles ------------------------------------------------------
    def _same_name(self, name: str) -> int | None:
        """The id of the profile called ``name``, or else of one whose name differs only in case."""
        rows = self.read("SELECT id FROM profiles WHERE name = ?", (name,))
        if rows:
            return int(rows[0][0])
        key = name.casefold()
        for pid, other in self.read("SELECT id, name FROM profiles ORDER BY id"):
            if str(other).casefold() == key:
                return int(pid)
        return None

    def profile_id(self, name: str, now: datetime) -> int:
        """The id of profile ``name`` (names compare without case), created (as of ``now``) when missing."""
        found = self._same_name(name)
        if found is not None:
            return found
        created = now.astimezone(UTC).isoformat(timespec="seconds")

        def add(c: sqlite3.Connection) -> int:
            c.execute(
                "INSERT OR IGNORE INTO profiles(name, created) VALUES (?, ?)",
                (name, created),
            )
            return int(c.execute("SELECT id FROM profiles WHERE name = ?", (name,)).fetchone()[0])

        return self.write(add)

    def profile_names(self) -> list[str]:
        return [r[0] for r in self.read("SELECT name FROM profiles ORDER BY name COLLATE NOCASE")]

    def find_profile(self, name: str) -> int | None:
        """The id of profile ``name`` (names compare without case), or None; never creates one."""
        return self._same_name(name)

    def profile_summaries(self) -> list[tuple[str, int, float | None]]:
        """(name, answers, time of the last answer) for every profile, by name."""
        return [(r[0], int(r[1]), r[2]) for r in self.read(
            "SELECT p.name, count(r.id), max(r.ts) FROM profiles p LEFT JOIN reviews r ON r.profile_id = p.id "
            "GROUP BY p.id ORDER BY p.name COLLATE NOCASE")]

    def rename_profile(self, old: str, new: str) -> None:
        """Rename a profile; StoreError when ``old`` is missing or ``new`` is taken."""

        def rename(c: sqlite3.Connection) -> None:
            if c.execute("SELECT 1 FROM profiles WHERE name = ?", (new,)).fetchone():
                raise StoreError(f"there is already a profile named {quoted(new)}; choose another name")
            if c.execute("UPDATE profiles SET name = ? WHERE name = ?", (new, old)).rowcount != 1:
                raise StoreError(f"there is no profile named {quoted(old)}")

        self.write(rename)

    def delete_profile(self, name: str) -> None:
        """Delete a profile and all its progress (cards, answers, drill results) in one transaction."""

        def delete(c: sqlite3.Connection) -> None:
            row = c.execute("SELECT id FROM profiles WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise StoreError(f"there is no profile named {quoted(name)}")
            for table in ("drill_results", "reviews", "cards"):
                c.execute(f"DELETE FROM {table} WHERE profile_id = ?", (row[0],))  # noqa: S608 - fixed names
            c.execute("DELETE FROM profiles WHERE id = ?", (row[0],))

        self.write(delete)

    def load_settings(self, profile_id: int) -> dict[str, Any]:
        rows = self.read("SELECT settings FROM profiles WHERE id = ?", (profile_id,))
        if not rows:
            return {}
        try:
            data = json.loads(rows[0][0])
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def save_settings(self, profile_id: int, settings: dict[str, Any]) -> None:
        text = json.dumps(settings, sort_keys=True)
        self.write(lambda c: c.execute("UPDATE profiles SET settings = ? WHERE id = ?", (text, profile_id)))

    # -- cards ---------------------------------------------------------
    def cards(self, profile_id: int, pack_ids: Iterable[str] | None = None, *,
              due_before: float | None = None) -> dict[tuple[str, str], CardRow]:
        """The profile's cards (in ``pack_ids``; with ``due_before``, only those due before that time)."""
        sql = f"SELECT {_CARD_COLS} FROM cards WHERE profile_id = ?"
        params: list[Any] = [profile_id]
        if due_before is not None:  # a range of the index cards_due
            sql += " AND due < ?"
            params.append(due_before)
        sql += self._pack_filter(pack_ids, params)
        return {(r[0], r[1]): CardRow(*r) for r in self.read(sql, params)}

    def card_ids(self, profile_id: int, pack_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """pack id -> the question ids of the profile's cards in that pack (questions seen).

        One JSON array per pack, built by SQLite from the primary key: at 100,000 cards
        this is several times cheaper than a row per card.
        """
        params: list[Any] = [profile_id]
        sql = ("SELECT pack_id, json_group_array(question_id) FROM cards WHERE profile_id = ?"
               + self._pack_filter(pack_ids, params) + " GROUP BY pack_id")
        return {r[0]: json.loads(r[1]) for r in self.read(sql, params)}

    def card(self, profile_id: int, pack_id: str, question_id: str) -> CardRow | None:
        rows = self.read(
            f"SELECT {_CARD_COLS} FROM cards WHERE profile_id = ? AND pack_id = ? AND question_id = ?",
            (profile_id, pack_id, question_id),
        )
        return CardRow(*rows[0]) if rows else None

    @staticmethod
    def _put_card(c: sqlite3.Connection, profile_id: int, card: CardRow) -> None:
        c.execute(
            f"INSERT OR REPLACE INTO cards(profile_id, {_CARD_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (profile_id, card.pack_id, card.question_id, card.state, card.step, card.stability,
             card.difficulty, card.due, card.last_review, card.reps, card.lapses),
        )

    # -- answers -------------------------------------------------------
    def record_answer(self, profile_id: int, review: ReviewRow, card: CardRow | None) -> int:
        """Append ``review`` and store ``card`` (None: leave the schedule alone), in one commit."""
        at = datetime.fromtimestamp(review.ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        params = (
            profile_id, review.pack_id, review.question_id, review.source_id, " ".join(review.tags),
            review.ts, at, review.rating, int(review.correct), review.answer, review.response_ms,
            int(review.practice), review.prev_state,
            json.dumps(review.prev_card) if review.prev_card is not None else None,
        )

        def write(c: sqlite3.Connection) -> int:
            cur = c.execute(
                "INSERT INTO reviews(profile_id, pack_id, question_id, source_id, tags, ts, at, rating, "
                "correct, answer, response_ms, practice, prev_state, prev_card) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                params,
            )
            if card is not None:
                self._put_card(c, profile_id, card)
            return int(cur.lastrowid or 0)

        return self.write(write)

    def change_rating(self, profile_id: int, review_id: int, rating: int, card: CardRow | None) -> None:
        def write(c: sqlite3.Connection) -> None:
            c.execute("UPDATE reviews SET rating = ? WHERE id = ? AND profile_id = ?",
                      (rating, review_id, profile_id))
            if card is not None:
                self._put_card(c, profile_id, card)

        self.write(write)

    def undo_answer(self, profile_id: int, review_id: int, pack_id: str, question_id: str,
                    restore: CardRow | None, touch_card: bool) -> None:
        """Delete review ``review_id``; put the card back as ``restore`` (None: it was new)."""

        def write(c: sqlite3.Connection) -> None:
            c.execute("DELETE FROM reviews WHERE id = ? AND profile_id = ?", (review_id, profile_id))
            if not touch_card:
                return
            if restore is None:
                c.execute("DELETE FROM cards WHERE profile_id = ? AND pack_id = ? AND question_id = ?",
                          (profile_id, pack_id, question_id))
            else:
                self._put_card(c, profile_id, restore)

        self.write(write)

    # -- queries for sessions and statistics ----------------------------
    def new_cards_since(self, profile_id: int, ts: float) -> int:
        """New cards introduced (first real answer) at or after ``ts``."""
        return int(self.read(
            "SELECT count(*) FROM reviews WHERE profile_id = ? AND ts >= ? AND practice = 0 "
            "AND prev_state IS NULL",
            (profile_id, ts),
        )[0][0])

    def _pack_filter(self, pack_ids: Iterable[str] | None, params: list[Any]) -> str:
        if pack_ids is None:
            return ""
        ids = list(pack_ids)
        params.extend(ids)
        return f" AND pack_id IN ({','.join('?' * len(ids))})"

    def review_groups(self, profile_id: int, pack_ids: Iterable[str] | None = None,
                      since: float | None = None) -> list[tuple[str, str, str, int, int, int]]:
        """(pack_id, source_id, tags, right, total, response_ms) per group."""
        params: list[Any] = [profile_id]
        sql = ("SELECT pack_id, source_id, tags, sum(correct), count(*), coalesce(sum(response_ms), 0) "
               "FROM reviews WHERE profile_id = ?")
        if since is not None:
            sql += " AND ts >= ?"
            params.append(since)
        sql += self._pack_filter(pack_ids, params) + " GROUP BY pack_id, source_id, tags"
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in self.read(sql, params)]

    def review_buckets(self, profile_id: int, since: float, pack_ids: Iterable[str] | None = None,
                       bucket_seconds: int = 900) -> list[tuple[float, int, int]]:
        """(bucket start ts, reviews, right) per ``bucket_seconds``, for per-day counts in any zone."""
        params: list[Any] = [bucket_seconds, profile_id, since]
        sql = ("SELECT CAST(ts / ?1 AS INTEGER) AS b, count(*), sum(correct) FROM reviews "
               "WHERE profile_id = ?2 AND ts >= ?3")
        if pack_ids is not None:
            ids = list(pack_ids)
            sql += f" AND pack_id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        sql += " GROUP BY b"
        return [(r[0] * bucket_seconds, r[1], r[2]) for r in self.read(sql, params)]

    def true_retention(self, profile_id: int, pack_ids: Iterable[str] | None = None) -> tuple[int, int]:
        """(passed, total) over scheduled answers to cards that were in review."""
        params: list[Any] = [profile_id]
        sql = ("SELECT coalesce(sum(correct), 0), count(*) FROM reviews "
               "WHERE profile_id = ? AND practice = 0 AND prev_state = 2")
        sql += self._pack_filter(pack_ids, params)
        row = self.read(sql, params)[0]
        return int(row[0]), int(row[1])


__all__ = ["DB_NAME", "CardRow", "ReviewRow", "Store", "StoreError"]
