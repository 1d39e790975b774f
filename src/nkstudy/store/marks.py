"""Card marks, overrides and per-card history: the queries behind Anki's tools.

Functions over a :class:`~nkstudy.store.db.Store` (its ``read`` and ``write``), so the
store module stays about opening, migrating and the answer path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nkstudy.core.study.progress import CardRow, Key, Marks
from nkstudy.store.backend import Conn
from nkstudy.store.db import Store

_MARK_COLS = "suspended, buried_until, flagged, leech"


def _row(r: tuple[Any, ...]) -> Marks:
    return Marks(bool(r[0]), r[1], bool(r[2]), bool(r[3]))


def _pack_filter(pack_ids: Iterable[str] | None, params: list[Any]) -> str:
    if pack_ids is None:
        return ""
    ids = list(pack_ids)
    params.extend(ids)
    return f" AND pack_id IN ({','.join('?' * len(ids))})"


def marks(store: Store, profile_id: int, pack_ids: Iterable[str] | None = None) -> dict[Key, Marks]:
    """Every card of the profile that carries a mark (in ``pack_ids``)."""
    params: list[Any] = [profile_id]
    sql = (f"SELECT pack_id, question_id, {_MARK_COLS} FROM card_marks WHERE profile_id = ?"
           + _pack_filter(pack_ids, params))
    return {(r[0], r[1]): _row(r[2:]) for r in store.read(sql, params)}


def card_marks(store: Store, profile_id: int, key: Key) -> Marks:
    rows = store.read(f"SELECT {_MARK_COLS} FROM card_marks WHERE profile_id = ? AND pack_id = ? "
                      "AND question_id = ?", (profile_id, *key))
    return _row(rows[0]) if rows else Marks()


def put_marks(c: Conn, profile_id: int, key: Key, m: Marks) -> None:
    """Store ``m`` for ``key`` inside a write transaction (no marks: no row)."""
    if m.blank:
        c.execute("DELETE FROM card_marks WHERE profile_id = ? AND pack_id = ? AND question_id = ?",
                  (profile_id, *key))
        return
    c.execute(f"INSERT OR REPLACE INTO card_marks(profile_id, pack_id, question_id, {_MARK_COLS}) "
              "VALUES (?,?,?,?,?,?,?)",
              (profile_id, *key, int(m.suspended), m.buried_until, int(m.flagged), int(m.leech)))


def set_marks(store: Store, profile_id: int, key: Key, **changes: object) -> Marks:
    """Change some of a card's marks in one transaction; returns the marks now stored."""

    def write(c: Conn) -> Marks:
        rows = c.execute(f"SELECT {_MARK_COLS} FROM card_marks WHERE profile_id = ? AND pack_id = ? "
                         "AND question_id = ?", (profile_id, *key)).fetchall()
        new = (_row(rows[0]) if rows else Marks()).changed(**changes)
        put_marks(c, profile_id, key, new)
        return new

    return store.write(write)


def override_answer(store: Store, profile_id: int, review_id: int, rating: int, correct: bool,
                    card: CardRow | None) -> None:
    """Regrade a logged answer (``correct`` with ``rating``), marked as the learner's override
    (or unmarked when ``correct`` is False again), and store the card's new state."""

    def write(c: Conn) -> None:
        c.execute("UPDATE reviews SET rating = ?, correct = ?, override = ? WHERE id = ? AND profile_id = ?",
                  (rating, int(correct), int(correct), review_id, profile_id))
        if card is not None:
            Store._put_card(c, profile_id, card)

    store.write(write)


def overrides(store: Store, profile_id: int, pack_ids: Iterable[str] | None = None) -> dict[str, int]:
    """"pack/question" -> how many answers the learner overrode as right."""
    params: list[Any] = [profile_id]
    sql = ("SELECT pack_id, question_id, count(*) FROM reviews WHERE profile_id = ? AND override = 1"
           + _pack_filter(pack_ids, params) + " GROUP BY pack_id, question_id ORDER BY pack_id, question_id")
    return {f"{r[0]}/{r[1]}": int(r[2]) for r in store.read(sql, params)}


def history(store: Store, profile_id: int, key: Key) -> list[tuple[float, int, bool, str, bool, bool]]:
    """The card's answers, oldest first: (ts, rating, correct, answer, practice, override)."""
    return [(r[0], int(r[1]), bool(r[2]), r[3], bool(r[4]), bool(r[5])) for r in store.read(
        "SELECT ts, rating, correct, answer, practice, override FROM reviews "
        "WHERE profile_id = ? AND pack_id = ? AND question_id = ? ORDER BY ts, id", (profile_id, *key))]


def review_log(store: Store, profile_id: int) -> list[tuple[str, str, float, int]]:
    """Every scheduled answer of the profile, by card then time: (pack, question, ts, rating).

    Practice answers leave the schedule alone, so they are left out (as an optimizer expects).
    """
    return [(r[0], r[1], r[2], int(r[3])) for r in store.read(
        "SELECT pack_id, question_id, ts, rating FROM reviews WHERE profile_id = ? AND practice = 0 "
        "ORDER BY pack_id, question_id, ts, id", (profile_id,))]


__all__ = ["card_marks", "history", "marks", "override_answer", "overrides", "put_marks", "review_log",
           "set_marks"]
