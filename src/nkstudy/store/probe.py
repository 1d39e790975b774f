"""What an open progress database allows: found at once, not at the first answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

_SQLITE_READONLY = 8


def read_only_problem(conn: sqlite3.Connection, path: Path, version: int) -> str | None:
    """Why nothing can be written to the database at ``path`` (a read-only file, or a folder
    where its journal cannot go), or None.

    Found by a write that is rolled back (``version`` is the schema version it already has),
    so a command that only reads still works and one that writes can say so before it asks
    anything.  A database busy with another writer is not read-only.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if (code & 0xFF if isinstance(code, int) else None) == _SQLITE_READONLY or "readonly" in str(exc):
            return (f"{path}: the progress database is read-only, so no answer can be saved; "
                    "make it and its folder writable, or use another --data-dir")
    return None
