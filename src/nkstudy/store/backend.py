"""Where progress is kept, and the small interface every database behind the store offers.

The store's SQL is written once, in the subset of SQLite that PostgreSQL can be
given after a mechanical translation (:mod:`nkstudy.store.postgres` does it:
placeholders, ``INSERT OR REPLACE``/``OR IGNORE``, ``COLLATE NOCASE``, the DDL
types).  A :class:`Backend` runs it: :class:`~nkstudy.store.sqlite.SqliteBackend`
on a file (the default), :class:`~nkstudy.store.postgres.PostgresBackend` on a
``postgresql://`` URL.

Both keep the same promises: :meth:`Backend.write` runs one function in one
transaction that is serialised against every other writer (SQLite's
``BEGIN IMMEDIATE``, PostgreSQL's ``REPEATABLE READ``, re-run on a conflict) and is
committed before it returns; a function is re-run whole when the database asks
for a retry, so it must only read and write through the connection it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
ENV_DB = "NKSTUDY_DB"
_PG_SCHEMES = ("postgresql://", "postgres://")


class StoreError(Exception):
    """A one-line problem with the progress database: what, which database, what to do."""


class Cursor(Protocol):
    """What a statement gives back (``sqlite3.Cursor`` is one)."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Conn(Protocol):
    """The connection a write function is handed (``sqlite3.Connection`` is one)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Sequence[Any]], /) -> Cursor: ...


class Backend(Protocol):
    kind: str  # "sqlite" or "postgresql"
    where: str  # the database, for messages: a path, or "database D on host H" (never a password)
    found_version: int  # the schema version the database had when opened
    #: told True when a write or read starts waiting for a lost server, False once it got through
    on_wait: Callable[[bool], None] | None

    def write(self, fn: Callable[[Conn], T]) -> T: ...

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def stream(self, sql: str, params: Sequence[Any] = (), *, size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``sql`` in lists of at most ``size``, fetched as they are used (memory stays bounded
        whatever the table's size); a read that fails halfway is a StoreError, never re-run."""
        ...

    def tables(self) -> list[str]: ...

    def columns(self, table: str) -> list[str]: ...

    def after_copy(self, conn: Conn) -> None:
        """Inside the transaction that copied rows in with their ids: let new ids follow them."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class Location:
    """A progress database: an SQLite file (``path``) or a PostgreSQL URL (``url``)."""

    path: Path | None = None
    url: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.url is not None

    def show(self) -> str:
        return redact(self.url) if self.url is not None else str(self.path)


def is_postgres_url(text: str) -> bool:
    return text.startswith(_PG_SCHEMES)


def parse_location(text: str) -> Location:
    """``postgresql://…``, ``sqlite:///path`` or a plain file path; ValueError for another scheme."""
    if is_postgres_url(text):
        return Location(url=text)
    if text.startswith("sqlite://"):
        rest = text[len("sqlite://"):]
        if not rest.startswith("/") or rest == "/":
            raise ValueError(f"{text}: write sqlite:///path/to/progress.sqlite3 (three slashes, then the path)")
        return Location(path=Path(rest[1:] if rest.startswith("//") else rest).expanduser())
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        raise ValueError(f"{redact(text)}: unknown kind of database; give postgresql://… or an SQLite file")
    return Location(path=Path(text).expanduser())


def url_password(url: str) -> str | None:
    """The password written in ``url`` (``user:pw@`` or ``password=`` in the query), if any."""
    match = re.match(r"^[a-z]+://([^@/?#]*)@", url)
    if match and ":" in match.group(1):
        return match.group(1).split(":", 1)[1] or None
    query = re.search(r"[?&]password=([^&#]*)", url)
    return query.group(1) or None if query else None


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``."""
    out = re.sub(r"^([a-z]+://[^:@/?#]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", out)


def split_statements(script: str) -> list[str]:
    """A migration script's statements (``;`` at a line's end, outside comments, closes one)."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        code = line.split("--", 1)[0].rstrip()
        buf.append(line)
        if code.endswith(";"):
            out.append("\n".join(buf).strip())
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return [s for s in out if s.rstrip(";").strip()]


__all__ = ["ENV_DB", "Backend", "Conn", "Cursor", "Location", "StoreError", "parse_location",
           "redact", "split_statements", "url_password"]
