"""Moving progress between databases (an SQLite file and PostgreSQL, either way), and its checksums.

:func:`copy_all` copies every table of ours, with their ids, in one transaction
on the target, after both are at this nkstudy's schema; a target that holds
any row is refused.  Rows are streamed (:data:`BATCH` at a time: a cursor
stepped through on SQLite, a server-side cursor on PostgreSQL), so a review
log of millions of rows copies and sums in bounded memory.  :func:`table_sums` gives each table's row count and a
checksum that does not depend on the database's row order or types, so the
same progress gives the same figures on both sides.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nkstudy.store.backend import Conn, StoreError
from nkstudy.store.db import Store

BATCH = 5000
_FIRST = ("profiles",)  # rows others refer to go in first


@dataclass(frozen=True)
class TableSum:
    table: str
    rows: int
    checksum: str  # 16 hex digits


def our_tables(store: Store) -> list[str]:
    """The tables to copy, those others refer to first."""
    names = [t for t in store.backend.tables() if t != "schema_version"]
    return sorted(names, key=lambda t: (t not in _FIRST, t))


def _canonical(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value)
    return value


def _row_hash(row: Sequence[Any]) -> int:
    text = json.dumps([_canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _select(store: Store, table: str, columns: Sequence[str]) -> str:
    return f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608 - names from the catalog


def table_sums(store: Store, tables: Sequence[str] | None = None) -> list[TableSum]:
    """(rows, checksum) per table: the sum of each row's hash, over its columns by name."""
    out = []
    for table in tables if tables is not None else our_tables(store):
        columns = sorted(store.backend.columns(table))
        count = total = 0
        for rows in store.backend.stream(_select(store, table, columns), size=BATCH):
            count += len(rows)
            total = (total + sum(_row_hash(r) for r in rows)) % 2**64
        out.append(TableSum(table, count, f"{total:016x}"))
    return out


def nonempty(store: Store) -> list[str]:
    """The tables of ours in ``store`` that hold a row."""
    return [t for t in our_tables(store) if store.read(f"SELECT 1 FROM {t} LIMIT 1")]  # noqa: S608


def copy_all(source: Store, target: Store) -> list[str]:
    """Copy every row of ``source`` into the empty ``target``; the tables copied.

    StoreError when the target holds anything, or lacks a table or column the source has.
    """
    full = nonempty(target)
    if full:
        raise StoreError(f"{target.where}: already holds progress (table {full[0]} has rows); nothing was "
                         "copied - give an empty database")
    tables = our_tables(source)
    there = set(our_tables(target))
    plan: list[tuple[str, list[str]]] = []
    for table in tables:
        if table not in there:
            raise StoreError(f"{target.where}: has no table {table}; upgrade both sides to the same nkstudy")
        columns = source.backend.columns(table)
        missing = set(columns) - set(target.backend.columns(table))
        if missing:
            raise StoreError(f"{target.where}: table {table} has no column {sorted(missing)[0]}; upgrade both "
                             "sides to the same nkstudy")
        plan.append((table, columns))

    def write(c: Conn) -> None:  # read inside: a write the target re-runs reads its rows again
        for table, columns in plan:
            sql = f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for rows in source.backend.stream(_select(source, table, columns), size=BATCH):
                c.executemany(sql, rows)
        target.backend.after_copy(c)

    target.write(write)
    return tables


__all__ = ["TableSum", "copy_all", "nonempty", "our_tables", "table_sums"]
