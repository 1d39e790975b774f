"""The store's SQL (SQLite's dialect) for PostgreSQL: one statement at a time, and the migrations' DDL.

Pure text to text, so each rule is tested on its own (tests/store/test_postgres.py):
``?`` and ``?N`` placeholders (and ``%`` doubled for psycopg), ``INSERT OR
IGNORE``/``OR REPLACE`` (as ``ON CONFLICT`` on the table's primary key, which the
caller reads from the catalog), ``COLLATE NOCASE``, ``json_group_array``,
``ifnull``, ``CAST(x AS INTEGER)`` (which truncates in SQLite and rounds in
PostgreSQL), and ``RETURNING id`` for ``lastrowid``.  A new SQLite-only construct
in the store needs a rule here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nkstudy.store.backend import StoreError

_NOCASE = re.compile(r"([\w.]+)\s+COLLATE\s+NOCASE", re.I)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_OR_REPLACE = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.I)


def _call_args(sql: str, name: str) -> tuple[int, int] | None:
    """(start of ``name(``, index after its closing parenthesis), for the first call of ``name``."""
    match = re.search(rf"\b{name}\s*\(", sql, re.I)
    if match is None:
        return None
    depth, i = 0, match.end() - 1
    while i < len(sql):
        depth += {"(": 1, ")": -1}.get(sql[i], 0)
        i += 1
        if depth == 0:
            return match.start(), i
    return None


def _rewrite_calls(sql: str, name: str, fn: Callable[[str], str]) -> str:
    done = ""
    while (span := _call_args(sql, name)) is not None:
        start, end = span
        inner = sql[sql.index("(", start) + 1:end - 1]
        done += sql[:start] + fn(inner)
        sql = sql[end:]
    return done + sql


def _placeholders(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """``?``/``?N`` to ``%s`` (and ``%`` to ``%%``) outside quotes; the parameter order for ``?N``."""
    out: list[str] = []
    order: list[int] = []
    numbered = False
    highest = 0  # as SQLite numbers them: a plain ? is one more than the highest so far
    i, quote = 0, ""
    while i < len(sql):
        ch = sql[i]
        if quote:
            out.append("%%" if ch == "%" else ch)
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "%":
            out.append("%%")
        elif ch == "?":
            digits = re.match(r"\d+", sql[i + 1:])
            if digits:
                numbered = True
                number = int(digits.group())
                i += len(digits.group())
            else:
                number = highest + 1
            highest = max(highest, number)
            order.append(number - 1)
            out.append("%s")
        else:
            out.append(ch)
        i += 1
    return "".join(out), tuple(order) if numbered else None


def translate(sql: str, keys: dict[str, tuple[str, ...]], with_id: frozenset[str]) -> tuple[str, tuple[int, ...] | None,
                                                                                              bool]:
    """(PostgreSQL text, parameter order or None, whether it returns the new row's id) for SQLite ``sql``.

    ``keys``: each table's primary key columns; ``with_id``: the tables with an ``id`` column.
    """
    text = sql.strip().rstrip(";")
    suffix = ""
    if _OR_IGNORE.match(text):
        text = _OR_IGNORE.sub("INSERT INTO", text, count=1)
        suffix = " ON CONFLICT DO NOTHING"
    elif (m := _OR_REPLACE.match(text)) is not None:
        table, cols = m.group(1), [c.strip() for c in m.group(2).split(",")]
        key = keys.get(table.lower())
        if not key:
            raise StoreError(f"INSERT OR REPLACE into {table}: the table has no primary key here")
        text = re.sub(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO", "INSERT INTO", text, count=1, flags=re.I)
        rest = [c for c in cols if c.lower() not in key]
        action = ("DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in rest)) if rest else "DO NOTHING"
        suffix = f" ON CONFLICT ({', '.join(key)}) {action}"
    text = _NOCASE.sub(r"lower(\1)", text)
    text = _rewrite_calls(text, "json_group_array", lambda inner: f"json_agg({inner})::text")
    text = _rewrite_calls(text, "ifnull", lambda inner: f"coalesce({inner})")

    def cast(inner: str) -> str:
        m = re.match(r"^(.*)\s+AS\s+INTEGER\s*$", inner, re.S | re.I)
        return f"CAST(trunc({m.group(1)}) AS BIGINT)" if m else f"CAST({inner})"

    text = _rewrite_calls(text, "CAST", cast)
    text += suffix
    insert = _INSERT.match(text)
    returns_id = bool(insert and insert.group(1).lower() in with_id and not re.search(r"\bRETURNING\b", text, re.I))
    if returns_id:
        text += " RETURNING id"
    out, order = _placeholders(text)
    return out, order, returns_id


def translate_ddl(statement: str) -> str | None:
    """A migration statement for PostgreSQL (None: nothing to do there, e.g. a PRAGMA)."""
    text = statement.strip().rstrip(";")
    if re.match(r"^\s*PRAGMA\b", text, re.I):
        return None
    text = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text,
                  flags=re.I)
    text = re.sub(r"\)\s*WITHOUT\s+ROWID\s*$", ")", text, flags=re.I)
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    return text


__all__ = ["translate", "translate_ddl"]
