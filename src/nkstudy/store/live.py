"""Live drills in the progress database (schemas 6 and 7): where each live drill stands, and who joined it.

The host writes ``live_state`` (one row per drill code) and ``live_skips`` (the
questions skipped unrevealed); students read the state a few times a second and
note in ``live_seats.seen`` that they are still there.  Plain SQL (an upsert with ``ON CONFLICT ... DO UPDATE``)
that SQLite and PostgreSQL both take.
"""

from __future__ import annotations

from datetime import UTC, datetime

from nkstudy.core.classroom.live import LiveState, Roll, Seat
from nkstudy.store.backend import Conn
from nkstudy.store.db import Store


def save_state(store: Store, state: LiveState, now: float) -> None:
    """Write ``state`` as where its drill stands now."""
    params = (state.code, state.position, state.phase, state.asked_at, state.deadline, state.left, now)

    def write(c: Conn) -> None:
        c.execute(
            "INSERT INTO live_state(code, position, phase, asked_at, deadline, time_left, updated) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET position = excluded.position, "
            "phase = excluded.phase, asked_at = excluded.asked_at, deadline = excluded.deadline, "
            "time_left = excluded.time_left, updated = excluded.updated",
            params,
        )

    store.write(write)


def load_state(store: Store, code: str) -> LiveState | None:
    """Where live drill ``code`` stands (None: no host has opened it)."""
    rows = store.read("SELECT position, phase, asked_at, deadline, time_left FROM live_state WHERE code = ?", (code,))
    if not rows:
        return None
    position, phase, asked_at, deadline, left = rows[0]
    try:
        return LiveState(code, int(position), str(phase), asked_at, deadline, left)
    except ValueError:
        return None


def take_seat(store: Store, code: str, profile: str, attempt: str, now: datetime) -> str:
    """Seat ``profile`` in live drill ``code``; the attempt they answer in (theirs already, when rejoining)."""
    profile_id = store.profile_id(profile, now)
    at = now.astimezone(UTC).timestamp()

    def write(c: Conn) -> str:
        c.execute("INSERT INTO live_seats(code, profile_id, attempt, joined, seen) VALUES (?,?,?,?,?) "
                  "ON CONFLICT(code, profile_id) DO UPDATE SET seen = excluded.seen",
                  (code, profile_id, attempt, at, at))
        row = c.execute("SELECT attempt FROM live_seats WHERE code = ? AND profile_id = ?",
                        (code, profile_id)).fetchone()
        return str(row[0])

    return store.write(write)


def seated(store: Store, code: str) -> list[str]:
    """The names of everyone who joined live drill ``code``, in the order they joined."""
    rows = store.read("SELECT p.name FROM live_seats s JOIN profiles p ON p.id = s.profile_id "
                      "WHERE s.code = ? ORDER BY s.joined, p.name", (code,))
    return [str(r[0]) for r in rows]


def seats(store: Store, code: str) -> list[Seat]:
    """Everyone who joined live drill ``code``, in the order they joined, with when each was last seen."""
    rows = store.read("SELECT p.name, s.attempt, coalesce(s.seen, s.joined), s.joined FROM live_seats s "
                      "JOIN profiles p ON p.id = s.profile_id WHERE s.code = ? ORDER BY s.joined, p.name", (code,))
    return [Seat(str(name), str(attempt), float(seen), float(joined)) for name, attempt, seen, joined in rows]


def roll(store: Store, code: str) -> Roll:
    """Who joined live drill ``code``, how many of its questions were asked, and which were skipped
    (empty for a drill never run live)."""
    return Roll.of(seats(store, code), load_state(store, code), skipped(store, code))


def touch(store: Store, code: str, attempt: str, now: float) -> None:
    """Say that the seat answering in ``attempt`` is still here."""
    store.write(lambda c: c.execute("UPDATE live_seats SET seen = ? WHERE code = ? AND attempt = ?",
                                    (now, code, attempt)))


def answered_by(store: Store, code: str, position: int) -> set[str]:
    """The attempts (of seated students) that have answered question ``position`` of live drill ``code``."""
    rows = store.read("SELECT DISTINCT r.attempt FROM drill_results r JOIN live_seats s ON s.attempt = r.attempt "
                      "AND s.code = r.code WHERE r.code = ? AND r.position = ?", (code, position))
    return {str(r[0]) for r in rows}


def mark_skipped(store: Store, code: str, position: int, skipped: bool) -> None:
    """Record that the teacher skipped question ``position`` unrevealed (``skipped``), or asked it after all."""
    sql = ("INSERT INTO live_skips(code, position) VALUES (?,?) ON CONFLICT(code, position) DO NOTHING" if skipped
           else "DELETE FROM live_skips WHERE code = ? AND position = ?")
    store.write(lambda c: c.execute(sql, (code, position)))


def skipped(store: Store, code: str) -> set[int]:
    """The positions of live drill ``code`` that the teacher skipped unrevealed (empty for other drills)."""
    return {int(r[0]) for r in store.read("SELECT position FROM live_skips WHERE code = ?", (code,))}


def answered_at(store: Store, code: str, position: int) -> int:
    """How many seated sittings have answered question ``position`` of live drill ``code``."""
    rows = store.read("SELECT count(*) FROM drill_results r JOIN live_seats s ON s.attempt = r.attempt "
                      "AND s.code = r.code WHERE r.code = ? AND r.position = ?", (code, position))
    return int(rows[0][0])


__all__ = ["answered_at", "answered_by", "load_state", "mark_skipped", "roll", "save_state", "seated", "seats",
           "skipped", "take_seat", "touch"]
