"""Drill results: in the progress database, and in result files for labs with no shared folder.

In the database (table ``drill_results``, schema 3) each answer is its own
``BEGIN IMMEDIATE`` transaction, committed before :func:`record_result`
returns, so a class of processes writing one data folder loses nothing.  A
drill never touches the spaced-repetition tables (``cards``, ``reviews``).

A result file is one JSON object::

    {"nkstudy": "drill-results", "format": 1, "drill": CODE,
     "results": [{"profile", "attempt", "position", "pack", "question", "answer",
                  "picked", "answered", "correct", "seconds", "at", "response"}, ...]}

``response`` (added later; absent in older files) is the raw response, an object
as :mod:`nkstudy.core.classroom.responses` describes.  ``correct`` is written for
other tools but never read back as a mark: a report marks each response itself.
``picked`` is a list of the options picked (choice and multi questions) or
null; ``seconds`` a number or null; ``at`` ISO 8601 with a zone.  Files are
written whole (to a temporary file, then renamed), so a reader never sees half
of one.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nkstudy.core.classroom.drill import DrillResult, DrillSpec
from nkstudy.core.packs.safeyaml import FileProblem, read_file
from nkstudy.core.text import quoted, visible
from nkstudy.store.backend import Conn
from nkstudy.store.db import Store, locate

FILE_KIND = "drill-results"
FILE_FORMAT = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
_ATTEMPT_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_COLS = ("p.name, r.attempt, r.code, r.position, r.pack_id, r.question_id, r.answer, r.picked, r.correct, "
         "r.seconds, r.ts, r.answered, r.response")


class ResultsFileError(Exception):
    """A one-line problem with a result file: which file, what is wrong, what to do."""


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- the database ---------------------------------------------------------
def record_result(store: Store, result: DrillResult) -> bool:
    """Commit one answer now; False when this sitting already has an answer to that question (kept)."""
    if not _ATTEMPT_RE.match(result.attempt):
        raise ValueError(f"attempt id {quoted(result.attempt)} must be 1 to 64 letters, digits, _ or -")
    profile_id = store.profile_id(result.profile, result.at)
    params = (
        profile_id, result.attempt, result.code, result.position, result.pack_id, result.question_id,
        result.answer, json.dumps(list(result.picked), ensure_ascii=False) if result.picked is not None else None,
        int(result.answered), int(result.correct), result.seconds, result.at.timestamp(), _iso(result.at),
        result.response,
    )

    def write(c: Conn) -> bool:
        cur = c.execute(
            "INSERT INTO drill_results(profile_id, attempt, code, position, pack_id, question_id, answer, "
            "picked, answered, correct, seconds, ts, at, response) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(attempt, pack_id, question_id) DO NOTHING",
            params,
        )
        return cur.rowcount == 1

    return store.write(write)


def _row(r: tuple[Any, ...]) -> DrillResult:
    picked = None
    if r[7] is not None:
        try:
            value = json.loads(r[7])
            picked = tuple(str(v) for v in value) if isinstance(value, list) else None
        except ValueError:
            picked = None
    return DrillResult(
        profile=r[0], attempt=r[1], code=r[2], position=int(r[3]), pack_id=r[4], question_id=r[5],
        answer=r[6], picked=picked, correct=bool(r[8]), seconds=r[9],
        at=datetime.fromtimestamp(r[10], UTC), answered=bool(r[11]), response=r[12],
    )


def results_for(store: Store, code: str, profile: str | None = None) -> list[DrillResult]:
    """Every answer to drill ``code`` in this database (every profile, or just ``profile``).

    Ordered by profile, then sitting (by its first answer), then position.
    """
    sql = (f"SELECT {_COLS} FROM drill_results r JOIN profiles p ON p.id = r.profile_id WHERE r.code = ?")
    params: list[Any] = [code]
    if profile is not None:
        sql += " AND p.name = ?"
        params.append(profile)
    rows = [_row(r) for r in store.read(sql, params)]
    first: dict[str, float] = {}
    for row in rows:
        ts = row.at.timestamp()
        first[row.attempt] = min(first.get(row.attempt, ts), ts)
    rows.sort(key=lambda r: (r.profile.casefold(), r.profile, first[r.attempt], r.attempt, r.position))
    return rows


def drill_codes(store: Store) -> list[str]:
    """The codes of every drill with results here, and of every live drill someone joined (answers or
    not; a teacher opened it), the most recently answered or joined first."""
    rows = store.read("SELECT code, max(last) AS latest FROM ("
                      "SELECT code, max(ts) AS last FROM drill_results GROUP BY code "
                      "UNION ALL SELECT s.code, max(s.joined) AS last FROM live_seats s "
                      "JOIN live_state l ON l.code = s.code GROUP BY s.code"
                      ") AS found GROUP BY code ORDER BY latest DESC, code")
    return [r[0] for r in rows]


def open_existing(data_dir: Path, db: str | None = None) -> Store | None:
    """The progress database (``db``, else the data folder's file), or None when there is none.

    Nothing is created: a missing SQLite file gives None (a PostgreSQL database is
    always there to open).  Opening upgrades an older schema in place, as any nkstudy
    command does; it creates no profile.  Raises :class:`~nkstudy.store.db.StoreError`
    for a bad database.
    """
    where = locate(data_dir, db)
    if where.path is not None and not where.path.is_file():
        return None
    return Store(where)


# -- result files ---------------------------------------------------------
def results_document(code: str, results: Sequence[DrillResult]) -> dict[str, Any]:
    """The JSON object a result file holds."""
    return {
        "nkstudy": FILE_KIND,
        "format": FILE_FORMAT,
        "drill": code,
        "results": [
            {
                "profile": r.profile,
                "attempt": r.attempt,
                "position": r.position,
                "pack": r.pack_id,
                "question": r.question_id,
                "answer": r.answer,
                "picked": list(r.picked) if r.picked is not None else None,
                "answered": r.answered,
                "correct": r.correct,
                "seconds": r.seconds,
                "at": _iso(r.at),
                **({"response": json.loads(r.response)} if r.response is not None else {}),
            }
            for r in results
        ],
    }


def write_results_file(path: Path, code: str, results: Sequence[DrillResult]) -> None:
    """Write (or replace) ``path`` with ``results`` of drill ``code``, atomically."""
    path = Path(path)
    others = sorted({r.code for r in results if r.code != code})
    if others:
        raise ValueError(f"results of drill {others[0]} cannot go into a file for drill {code}")
    text = json.dumps(results_document(code, results), ensure_ascii=False, indent=1) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ResultsFileError(f"{visible(str(path))}: cannot write the result file ({exc.strerror}); "
                               "check that its folder exists and is writable") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ResultsFileError(f"{visible(str(path))}: cannot write the result file ({exc.strerror}); "
                               "check the folder's permissions and free space") from None


def read_results_file(path: Path) -> tuple[str, list[DrillResult]]:
    """(drill code, results) from a result file; ResultsFileError (one line, naming the file) if bad."""
    path = Path(path)
    where = visible(str(path))

    def bad(what: str) -> ResultsFileError:
        return ResultsFileError(f"{where}: {what}; give a result file written by `nkstudy drill --results`")

    try:  # the loader's safe reader: a regular file only (a FIFO or a device never hangs it), size-limited
        raw, _ = read_file(path, MAX_FILE_BYTES)
    except FileProblem as exc:
        raise bad(exc.message) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad("is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise ResultsFileError(f"{where}{f':{line}' if line else ''}: is not valid JSON ({visible(str(exc))}); "
                               "give a result file written by `nkstudy drill --results`") from None
    except RecursionError:
        raise bad("nests too deeply to be a result file") from None
    if not isinstance(data, dict) or data.get("nkstudy") != FILE_KIND:
        raise bad('is not an nkstudy result file (no "nkstudy": "drill-results")')
    fmt = data.get("format")
    if not isinstance(fmt, int) or isinstance(fmt, bool):
        raise bad('has no whole-number "format"')
    if fmt > FILE_FORMAT:
        raise ResultsFileError(f"{where}: was written by a newer nkstudy (result format {fmt}; this version "
                               f"reads up to {FILE_FORMAT}); upgrade nkstudy")
    if fmt < 1:
        raise bad(f'has an unknown "format" {fmt}')
    raw_code = data.get("drill")
    if not isinstance(raw_code, str):
        raise bad('has no "drill" code')
    try:
        code = DrillSpec.parse(raw_code).format()
    except ValueError as exc:
        raise bad(visible(str(exc))) from None
    rows = data.get("results")
    if not isinstance(rows, list):
        raise bad('has no "results" list')
    return code, [_read_row(row, i, code, bad) for i, row in enumerate(rows, start=1)]


def _read_row(row: Any, number: int, code: str, bad: Callable[[str], ResultsFileError]) -> DrillResult:
    def fail(what: str) -> ResultsFileError:
        return bad(f"result {number}: {what}")

    if not isinstance(row, dict):
        raise fail("is not an object")

    def text(key: str, *, empty: bool = False, limit: int = 10_000) -> str:
        value = row.get(key)
        if not isinstance(value, str) or (not empty and not value.strip()) or len(value) > limit:
            raise fail(f'"{key}" must be {"" if empty else "non-empty "}text')
        return value

    def flag(key: str) -> bool:
        value = row.get(key)
        if not isinstance(value, bool):
            raise fail(f'"{key}" must be true or false')
        return value

    profile = text("profile", limit=200)
    attempt = text("attempt", limit=64)
    if not _ATTEMPT_RE.match(attempt):
        raise fail('"attempt" must be 1 to 64 letters, digits, _ or -')
    position = row.get("position")
    if not isinstance(position, int) or isinstance(position, bool) or position < 1:
        raise fail('"position" must be a whole number from 1')
    picked = row.get("picked")
    if picked is not None and not (isinstance(picked, list) and all(isinstance(p, str) for p in picked)):
        raise fail('"picked" must be a list of options or null')
    seconds = row.get("seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)
                                or not math.isfinite(seconds) or seconds < 0):
        raise fail('"seconds" must be a number from 0, or null')
    try:
        at = datetime.fromisoformat(text("at", limit=64))
    except ValueError:
        raise fail('"at" must be an ISO 8601 time such as 2024-05-01T12:00:00Z') from None
    if at.tzinfo is None:
        raise fail('"at" must give its time zone, such as 2024-05-01T12:00:00Z')
    return DrillResult(
        profile=profile, attempt=attempt, code=code, position=position, pack_id=text("pack", limit=200),
        question_id=text("question", limit=200), answer=text("answer", empty=True),
        picked=tuple(picked) if picked is not None else None, correct=flag("correct"),
        seconds=float(seconds) if seconds is not None else None, at=at.astimezone(UTC),
        answered=flag("answered"), response=_response(row, fail),
    )


def _response(row: dict[str, Any], fail: Callable[[str], ResultsFileError]) -> str | None:
    """The raw response object of a result row as JSON text (None when the row has none)."""
    if "response" not in row:
        return None
    value = row["response"]
    if not isinstance(value, dict):
        raise fail('"response" must be an object such as {"value": "Pyongyang"}')
    return json.dumps(value, ensure_ascii=False)


__all__ = [
    "FILE_FORMAT",
    "ResultsFileError",
    "drill_codes",
    "drill_summaries",
    "open_existing",
    "profile_uses",
    "read_results_file",
    "record_result",
    "results_document",
    "results_for",
    "write_results_file",
]


def profile_uses(store: Store, code: str) -> list[tuple[str, int, int]]:
    """(name, study answers, answers to drill ``code``) for every profile in the database."""
    rows = store.read(
        "SELECT p.name, (SELECT count(*) FROM reviews r WHERE r.profile_id = p.id), "
        "(SELECT count(*) FROM drill_results d WHERE d.profile_id = p.id AND d.code = ?) FROM profiles p", (code,))
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def drill_summaries(store: Store) -> dict[str, tuple[int, float]]:
    """Profile name -> (drill answers, time of the last one) for every profile that has drilled."""
    rows = store.read("SELECT p.name, count(r.id), max(r.ts) FROM drill_results r "
                      "JOIN profiles p ON p.id = r.profile_id GROUP BY p.id")
    return {str(r[0]): (int(r[1]), float(r[2])) for r in rows}
