"""The progress store: profiles, cards, answers and settings, over a :mod:`backend <nkstudy.store.backend>`.

An SQLite file by default (:mod:`nkstudy.store.sqlite`), or PostgreSQL given a
``postgresql://`` URL (:mod:`nkstudy.store.postgres`).  The SQL here is written
once, in the SQLite subset the PostgreSQL backend translates.  Every answer is
one transaction, committed before it returns, and carries an id made before it
is sent, so a write re-run after a lost connection never records it twice.

A database that is not ours, is damaged, or was written by a newer nkstudy
raises :class:`StoreError` and is never written to.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from nkstudy.core.names import profile_name
from nkstudy.core.study.progress import CardRow, ReviewRow
from nkstudy.core.text import quoted
from nkstudy.store.backend import Backend, Conn, Location, StoreError
from nkstudy.store.schema import MIGRATIONS

DB_NAME = "progress.sqlite3"
T = TypeVar("T")

_CARD_COLS = "pack_id, question_id, state, step, stability, difficulty, due, last_review, reps, lapses"


def open_backend(location: Location, migrations: Sequence[str], *, upgrade: bool = True,
                 synchronous: str = "NORMAL") -> Backend:
    """The backend for ``location``, checked as ours and (``upgrade``) migrated to ``migrations``."""
    if location.url is not None:
        try:
            from nkstudy.store.postgres import PostgresBackend
        except ImportError as exc:
            raise StoreError(f"{location.show()}: PostgreSQL needs psycopg and psycopg_pool ({exc}); install it with: "
                             "pip install 'nkstudy[postgres]'") from None

        return PostgresBackend(location.url, migrations, upgrade=upgrade)
    from nkstudy.store.sqlite import SqliteBackend

    assert location.path is not None
    return SqliteBackend(location.path, migrations, upgrade=upgrade, synchronous=synchronous)


def locate(data_dir: Path, db: str | None = None) -> Location:
    """The progress database: ``db`` (a ``postgresql://`` URL or an SQLite file), else the data folder's file."""
    from nkstudy.store.backend import parse_location

    return parse_location(db) if db else Location(path=Path(data_dir) / DB_NAME)


class Store:
    """The progress database at ``where`` (a path or a :class:`Location`; created when missing).

    ``migrations`` is the schema's history (see :mod:`nkstudy.store.schema`); its
    length is the schema version this store writes.  ``upgrade=False`` opens an
    older schema without migrating it (for ``nkstudy db status``).
    """

    def __init__(self, where: Path | Location, *, synchronous: str = "NORMAL",
                 migrations: Sequence[str] = MIGRATIONS, upgrade: bool = True) -> None:
        self.location = where if isinstance(where, Location) else Location(path=Path(where))
        self.schema_version = len(migrations)
        self.backend: Backend = open_backend(self.location, migrations, upgrade=upgrade, synchronous=synchronous)

    @property
    def path(self) -> Path:
        """The SQLite file (AttributeError-free only for an SQLite store)."""
        assert self.location.path is not None, "a PostgreSQL store has no file"
        return self.location.path

    @property
    def conn(self) -> Any:
        """The SQLite connection itself (tests and SQLite-only tools)."""
        return getattr(self.backend, "conn")  # noqa: B009 - only the SQLite backend has one

    @property
    def read_only(self) -> str | None:
        """Why nothing can be written here (an SQLite file or folder that is read-only), or None."""
        return getattr(self.backend, "read_only", None)

    @property
    def kind(self) -> str:
        return self.backend.kind

    @property
    def where(self) -> str:
        return self.backend.where

    def write(self, fn: Callable[[Conn], T]) -> T:
        """Run ``fn`` in one transaction, serialised against every other writer, committed on return."""
        return self.backend.write(fn)

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.backend.read(sql, params)

    def close(self) -> None:
        self.backend.close()

    # -- profiles ------------------------------------------------------
    def profile_to_open(self, wanted: Sequence[str]) -> str:
        """The first of ``wanted`` (the last profile used, then the default name) that exists, else the
        one answered in most recently, else ``wanted[-1]`` (then created).  A deleted profile is never
        made again while another one is there."""
        for name in wanted:
            if self.find_profile(name) is not None:
                return name
        known = self.profile_summaries()
        if known:
            return str(max(known, key=lambda s: (s[2] or 0.0, s[0]))[0])
        return wanted[-1]

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

        def add(c: Conn) -> int:
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

        def rename(c: Conn) -> None:
            if c.execute("SELECT 1 FROM profiles WHERE name = ?", (new,)).fetchone():
                raise StoreError(f"there is already a profile named {quoted(new)}; choose another name")
            if c.execute("UPDATE profiles SET name = ? WHERE name = ?", (new, old)).rowcount != 1:
                raise StoreError(f"there is no profile named {quoted(old)}")

        self.write(rename)

    def delete_profile(self, name: str) -> None:
        """Delete a profile and all its progress (cards, answers, drill results) in one transaction."""

        def delete(c: Conn) -> None:
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
    def _put_card(c: Conn, profile_id: int, card: CardRow) -> None:
        c.execute(
            f"INSERT OR REPLACE INTO cards(profile_id, {_CARD_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (profile_id, card.pack_id, card.question_id, card.state, card.step, card.stability,
             card.difficulty, card.due, card.last_review, card.reps, card.lapses),
        )

    # -- answers -------------------------------------------------------
    def record_answer(self, profile_id: int, review: ReviewRow, card: CardRow | None, *,
                      uid: str | None = None) -> int:
        """Append ``review`` and store ``card`` (None: leave the schedule alone), in one commit.

        ``uid`` names the answer (a fresh one when None), made before anything is sent: a
        write re-run after a lost connection, or the same answer sent twice, is recorded once.
        Returns the review's id.
        """
        uid = uid or uuid.uuid4().hex
        at = datetime.fromtimestamp(review.ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        params = (
            profile_id, review.pack_id, review.question_id, review.source_id, " ".join(review.tags),
            review.ts, at, review.rating, int(review.correct), review.answer, review.response_ms,
            int(review.practice), review.prev_state,
            json.dumps(review.prev_card) if review.prev_card is not None else None, uid,
        )

        def write(c: Conn) -> int:
            done = c.execute("SELECT id FROM reviews WHERE uid = ?", (uid,)).fetchone()
            if done is not None:  # already recorded: the first try committed
                return int(done[0])
            c.execute(
                "INSERT INTO reviews(profile_id, pack_id, question_id, source_id, tags, ts, at, rating, "
                "correct, answer, response_ms, practice, prev_state, prev_card, uid) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                params,
            )
            if card is not None:
                self._put_card(c, profile_id, card)
            return int(c.execute("SELECT id FROM reviews WHERE uid = ?", (uid,)).fetchone()[0])

        return self.write(write)

    def change_rating(self, profile_id: int, review_id: int, rating: int, card: CardRow | None) -> None:
        def write(c: Conn) -> None:
            c.execute("UPDATE reviews SET rating = ? WHERE id = ? AND profile_id = ?",
                      (rating, review_id, profile_id))
            if card is not None:
                self._put_card(c, profile_id, card)

        self.write(write)

    def undo_answer(self, profile_id: int, review_id: int, pack_id: str, question_id: str,
                    restore: CardRow | None, touch_card: bool) -> None:
        """Delete review ``review_id``; put the card back as ``restore`` (None: it was new)."""

        def write(c: Conn) -> None:
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


def profile_to_open(data_dir: Path, wanted: Sequence[str], db: str | None = None) -> str:
    """The profile the app opens when none was named (see :meth:`Store.profile_to_open`)."""
    where = locate(data_dir, db)
    if where.path is not None and not where.path.is_file():
        return wanted[-1]
    with closing(Store(where)) as store:
        return store.profile_to_open([profile_name(n) for n in wanted if _is_name(n)] or [wanted[-1]])


def _is_name(name: str) -> bool:
    try:
        profile_name(name)
    except ValueError:
        return False
    return True
