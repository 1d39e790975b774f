"""A drill report as CSV: students, questions, every answer; and the gradebook for Moodle and Google Classroom.

Every cell is spreadsheet-safe: one line, and never read as a formula.
"""

from __future__ import annotations

import csv
import io

from nkstudy.classroom.common import one_line
from nkstudy.classroom.report import RIGHT_MARK, Report
from nkstudy.core.classroom.gate import Roster, name_key


def _cell(value: object) -> object:
    """A spreadsheet-safe cell: text on one line, never read as a formula."""
    if not isinstance(value, str):
        return "" if value is None else value
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render_csv(report: Report) -> str:
    """Three tables, separated by a blank line: students, questions, then every answer (the response grid)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["profile", "attempt", "score", "total", "answered", "seconds"])
    for st in report.analysis.students:
        w.writerow([_cell(st.profile), _cell(st.attempt), st.score, st.total, st.answered, round(st.seconds, 3)])
    w.writerow([])
    w.writerow(["position", "pack", "question", "type", "prompt", "answer", "answered", "right", "facility",
                "discrimination", "options"])
    for ri in report.items:
        s = ri.stats
        options = "; ".join(f"{one_line(o)}{RIGHT_MARK if o in ri.right_options else ''}={n}"
                            for o, n in (s.options or {}).items())
        w.writerow([s.position, _cell(s.pack_id), _cell(s.question_id), _cell(ri.type_name or ""),
                    _cell(ri.prompt or ""), _cell(ri.answer or ""), s.answered, s.right, _fmt(s.facility),
                    _fmt(s.discrimination), _cell(options)])
    w.writerow([])
    w.writerow(["profile", "attempt", "position", "question", "answered", "correct", "answer", "seconds"])
    for st in report.analysis.students:
        for r in sorted(report.answers(st.attempt).values(), key=lambda r: r.position):
            w.writerow([_cell(st.profile), _cell(st.attempt), r.position, _cell(r.question_id), int(r.answered),
                        int(r.correct), _cell(r.answer), "" if r.seconds is None else round(r.seconds, 3)])
    return out.getvalue()


GRADEBOOK_COLUMNS = ("Email address", "Full name", "Score", "Out of", "Percent", "Sittings")


def render_gradebook(report: Report, roster: Roster | None = None) -> str:
    """One row per student: their best sitting's score (Moodle's "highest grade"), for a gradebook import.

    Columns: ``Email address`` (from the roster, else empty), ``Full name``,
    ``Score`` (right answers), ``Out of`` (questions), ``Percent`` (0-100, one
    decimal), ``Sittings``.  With a roster every listed student has a row, in
    roster order; those who never sat have empty scores and 0 sittings.
    """
    best: dict[str, tuple[str, int, int, int]] = {}  # name key -> (name, score, total, sittings)
    for st in report.analysis.students:
        key = name_key(st.profile)
        name, score, _total, sittings = best.get(key, (st.profile, -1, st.total, 0))
        best[key] = (name, max(score, st.score), st.total, sittings + 1)
    names = list(roster.names) if roster is not None else []
    names += sorted((v[0] for k, v in best.items() if roster is None or roster.find(v[0]) is None), key=str.casefold)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(GRADEBOOK_COLUMNS)
    for name in names:
        email = roster.email(name) if roster is not None else ""
        found = best.get(name_key(name))
        if found is None:
            w.writerow([_cell(email), _cell(name), "", len(report.items), "", 0])
            continue
        _name, score, total, sittings = found
        w.writerow([_cell(email), _cell(name), score, total, f"{100 * score / total:.1f}" if total else "", sittings])
    return out.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


__all__ = ["GRADEBOOK_COLUMNS", "render_csv", "render_gradebook"]
