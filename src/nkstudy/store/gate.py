"""The door state one ``nkstudy serve`` shares with its visitors' processes: wrong codes and who is in.

A small SQLite file in the server's own private folder (not the data folder):
``wrong`` holds the time and client address of each wrong class code, and
``inside`` each name (by :func:`~nkstudy.core.classroom.gate.name_key`) that a
visitor's process holds, with that process's id and the browser it came from
(a random id the server gave it).  A name whose process has ended is free
again.  Every change is one ``BEGIN IMMEDIATE`` transaction, so
visitors joining at once never both get a name.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS wrong (address TEXT NOT NULL, ts REAL NOT NULL);
CREATE INDEX IF NOT EXISTS wrong_ts ON wrong(ts);
CREATE TABLE IF NOT EXISTS inside (key TEXT PRIMARY KEY, name TEXT NOT NULL, pid INTEGER NOT NULL, ts REAL NOT NULL,
                                   client TEXT NOT NULL DEFAULT '');
"""
KEEP = 3600.0  # seconds a wrong code is remembered


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class GateState:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def wrong_times(self, address: str, since: float) -> tuple[list[float], list[float]]:
        """(times of wrong codes from ``address``, from every address) since ``since``."""
        rows = self.conn.execute("SELECT address, ts FROM wrong WHERE ts >= ?", (since,)).fetchall()
        return [t for a, t in rows if a == address], [t for _a, t in rows]

    def add_wrong(self, address: str, now: float) -> None:
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("INSERT INTO wrong(address, ts) VALUES (?, ?)", (address, now))
            c.execute("DELETE FROM wrong WHERE ts < ?", (now - KEEP,))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def client_of(self, key: str) -> str | None:
        """The browser that last held ``key`` ("" when unknown; None when nobody has)."""
        row = self.conn.execute("SELECT client FROM inside WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def take(self, key: str, name: str, pid: int, now: float, client: str = "") -> str | None:
        """Hold ``key`` for process ``pid``; None when taken now, else the name of whoever holds it."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            row = c.execute("SELECT name, pid FROM inside WHERE key = ?", (key,)).fetchone()
            if row is not None and row[1] != pid and _alive(int(row[1])):
                c.execute("ROLLBACK")
                return str(row[0])
            c.execute("INSERT OR REPLACE INTO inside(key, name, pid, ts, client) VALUES (?, ?, ?, ?, ?)",
                      (key, name, pid, now, client))
            c.execute("COMMIT")
            return None
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def held(self) -> int:
        """How many names live processes hold."""
        return sum(1 for (pid,) in self.conn.execute("SELECT pid FROM inside") if _alive(int(pid)))


__all__ = ["GateState"]
