"""A drill's report: per student, per question (item analysis), the most missed questions.

:func:`build_report` joins the figures of :mod:`nkstudy.core.classroom.analysis` with the
pack text (prompt, answer, excerpt, citation).  The pack is optional: without
it (not installed, another version) the report still has every figure, keyed
by question id, and says why the text is missing.

The JSON shape (:func:`report_document`) is stable; see docs/classroom.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from nkstudy.classroom.common import citation, excerpt, h, one_line, page
from nkstudy.core.classroom.analysis import Analysis, ItemStats, analyse
from nkstudy.core.classroom.drill import DrillItem, DrillResult, DrillSpec, picked_options, select
from nkstudy.core.classroom.responses import mark
from nkstudy.core.figures import duration, percent
from nkstudy.core.model import Pack, Question

MOST_MISSED = 5
RIGHT_MARK = " (right)"  # after a right option, in the CSV's and the table's option counts
LOW_FACILITY = 0.5  # questions fewer than half the class got right are marked in HTML


@dataclass(frozen=True)
class ReportItem:
    """One question's figures with its text (``item`` is None when the pack is not at hand)."""

    stats: ItemStats
    item: DrillItem | None
    pack: Pack | None

    @property
    def prompt(self) -> str | None:
        return self.item.question.prompt if self.item else None

    @property
    def right_options(self) -> tuple[str, ...]:
        """The right options, in the order the drill showed them (empty for questions without options)."""
        if self.item is None:
            return ()
        q = self.item.question
        right = set(picked_options(q, getattr(q, "answer", None)) or ())
        return tuple(o for o in self.item.options if o in right)

    @property
    def answer(self) -> str | None:
        if self.item is None:
            return None
        return "; ".join(self.right_options) or self.item.question.answer_text()

    @property
    def type_name(self) -> str | None:
        return self.item.question.type_name if self.item else None

    @property
    def excerpt(self) -> str | None:
        return excerpt(self.item.question) if self.item else None

    @property
    def citation(self) -> str | None:
        return citation(self.pack, self.item.question) if self.item else None


@dataclass(frozen=True)
class Remark:
    """One answer whose mark from its response differs from another mark (``was``: stored, or the old key)."""

    profile: str
    attempt: str
    position: int
    pack_id: str
    question_id: str
    answer: str
    was: bool
    now: bool


@dataclass(frozen=True)
class Report:
    code: str
    analysis: Analysis
    items: tuple[ReportItem, ...]
    note: str | None = None  # why the question text is missing, if it is
    disagreements: tuple[Remark, ...] = ()  # stored marks that the responses do not bear out
    regraded: str | None = None  # the pack versions a --regrade marked against
    changes: tuple[Remark, ...] = ()  # what --regrade changed (was: the drill's own version, or stored)
    unchecked: int = 0  # answers whose question is not at hand here: their stored marks are used

    def most_missed(self, limit: int = MOST_MISSED) -> list[ReportItem]:
        by_key = {ri.stats.key: ri for ri in self.items}
        return [by_key[s.key] for s in self.analysis.most_missed(limit)]


def _remark(r: DrillResult, was: bool, now: bool, answer: str) -> Remark:
    return Remark(r.profile, r.attempt, r.position, r.pack_id, r.question_id, answer, was, now)


def _installed(spec: DrillSpec, packs: Sequence[Pack]) -> dict[tuple[str, str], Question]:
    """Every question of the drill's packs as installed here, whatever their versions."""
    out: dict[tuple[str, str], Question] = {}
    for pack in packs:
        if pack.id in spec.pack_ids:
            for q in pack.questions:
                out.setdefault((pack.id, q.id), q)
    return out


def build_report(code: str, results: Iterable[DrillResult], packs: Sequence[Pack] = (), *,
                 regrade: bool = False) -> Report:
    """The report on drill ``code`` from ``results`` (only this drill's are used).

    Every answer is marked again from its response with the drill's own pack
    version (never the stored ``correct``); stored marks that differ are listed.
    ``regrade``: mark with the packs installed here instead (a fixed key in a
    newer version with the same question ids), listing what that changed.
    """
    spec = DrillSpec.parse(code)
    code = spec.format()
    rows = [r for r in results if r.code == code]
    note = None
    items: list[DrillItem] | None
    try:
        items = select(spec, packs)
    except ValueError as exc:
        items, note = None, f"question text not shown: {exc}"
    own = {i.key: i.question for i in items or ()}
    marker = _installed(spec, packs) if regrade else own
    marked: list[DrillResult] = []
    disagreements: list[Remark] = []
    changes: list[Remark] = []
    unchecked = 0
    for r in rows:
        question = marker.get(r.key)
        if question is None:
            unchecked += 1
            marked.append(r)
            continue
        now = mark(question, r)
        base = mark(own[r.key], r).correct if r.key in own else r.correct
        if regrade and base != now.correct:
            changes.append(_remark(r, base, now.correct, now.answer))
        if r.key in own and r.correct != base:
            disagreements.append(_remark(r, r.correct, base, now.answer))
        marked.append(replace(r, correct=now.correct, answer=now.answer))
    regraded = None
    if regrade:
        regraded = ", ".join(f"{p.id} {p.info.version}" for p in packs if p.id in spec.pack_ids) or None
        if items is None and marker:
            items = _items_from(rows, marker)
            note = None if items else note
    analysis = analyse(marked, items)
    by_key = {i.key: i for i in items or ()}
    pack_by_id = {p.id: p for p in packs}
    report_items = tuple(ReportItem(s, by_key.get(s.key), pack_by_id.get(s.pack_id)) for s in analysis.items)
    if unchecked:
        extra = f"{unchecked} answers are shown with their stored marks: their questions are not here to mark them"
        note = f"{note}; {extra}" if note else extra
    return Report(code, analysis, report_items, note, tuple(disagreements), regraded, tuple(changes), unchecked)


def _items_from(rows: Sequence[DrillResult], questions: dict[tuple[str, str], Question]) -> list[DrillItem]:
    """The drill's items rebuilt from its results' positions, with the questions installed here."""
    seen: dict[tuple[str, str], int] = {}
    for r in sorted(rows, key=lambda r: r.position):
        seen.setdefault(r.key, r.position)
    return [DrillItem(position, key[0], questions[key], questions[key].choices(None))
            for key, position in seen.items() if key in questions]


def remark_document(r: Remark) -> dict[str, object]:
    return {"profile": r.profile, "attempt": r.attempt, "position": r.position, "pack": r.pack_id,
            "question": r.question_id, "answer": r.answer, "was": r.was, "now": r.now}


# -- JSON -----------------------------------------------------------------------
def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def report_document(report: Report) -> dict[str, object]:
    """The report as one JSON-ready object (the stable shape documented in docs/classroom.md)."""
    a = report.analysis
    return {
        "drill": report.code,
        "students": [
            {"profile": s.profile, "attempt": s.attempt, "score": s.score, "total": s.total,
             "answered": s.answered, "seconds": round(s.seconds, 3)}
            for s in a.students
        ],
        "items": [
            {
                "position": ri.stats.position,
                "pack": ri.stats.pack_id,
                "question": ri.stats.question_id,
                "type": ri.type_name,
                "prompt": ri.prompt,
                "answer": ri.answer,
                "answered": ri.stats.answered,
                "right": ri.stats.right,
                "facility": _round(ri.stats.facility),
                "discrimination": _round(ri.stats.discrimination),
                "options": dict(ri.stats.options or {}),
                "right_options": list(ri.right_options),
            }
            for ri in report.items
        ],
        "most_missed": [
            {
                "position": ri.stats.position,
                "pack": ri.stats.pack_id,
                "question": ri.stats.question_id,
                "prompt": ri.prompt,
                "answer": ri.answer,
                "missed": ri.stats.missed,
                "facility": _round(ri.stats.facility),
                "excerpt": ri.excerpt,
                "citation": ri.citation,
            }
            for ri in report.most_missed()
        ],
        "group_size": a.group_size,
        "note": report.note,
        "disagreements": [remark_document(r) for r in report.disagreements],
        "regrade": None if report.regraded is None else {
            "against": report.regraded, "changes": [remark_document(r) for r in report.changes]},
    }


_UNSAFE_IN_JSON = re.compile("[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def render_json(report: Report) -> str:
    """The report as JSON text: exact, but no character in it can steer a terminal."""
    text = json.dumps(report_document(report), ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# -- CSV --------------------------------------------------------------------------
def _cell(value: object) -> object:
    """A spreadsheet-safe cell: text on one line, never read as a formula."""
    if not isinstance(value, str):
        return "" if value is None else value
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render_csv(report: Report) -> str:
    """Two tables, students then questions, separated by a blank line."""
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
    return out.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


# -- words shared by the table (CLI) and HTML ------------------------------------------
def index(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


# -- HTML ---------------------------------------------------------------------------
def render_html(report: Report) -> str:
    """One self-contained printable page."""
    a = report.analysis
    parts = [f"<h1>Drill report</h1>\n<p class=\"meta\">Drill code <code>{h(report.code)}</code> · "
             f"{len(a.students)} sitting{'s' if len(a.students) != 1 else ''} · {len(report.items)} questions"
             f" · upper and lower groups of {a.group_size}</p>"]
    if report.note:
        parts.append(f"<p class=\"meta\">{h(report.note)}</p>")
    rows = "".join(
        f"<tr><td>{h(st.profile)}</td><td class=\"num\">{st.score} / {st.total}</td>"
        f"<td class=\"num\">{percent(st.score / st.total if st.total else None)}</td>"
        f"<td class=\"num\">{st.answered}</td><td class=\"num\">{duration(st.seconds)}</td></tr>\n"
        for st in a.students
    )
    parts.append("<h2>Students</h2>\n<table><thead><tr><th>profile</th><th class=\"num\">score</th>"
                 "<th class=\"num\">%</th><th class=\"num\">answered</th><th class=\"num\">time</th></tr></thead>"
                 f"<tbody>\n{rows}</tbody></table>")
    rows = ""
    for ri in report.items:
        s = ri.stats
        low = " class=\"low\"" if s.facility is not None and s.facility < LOW_FACILITY else ""
        neg = " neg" if s.discrimination is not None and s.discrimination < 0 else ""
        prompt = h(ri.prompt) if ri.prompt is not None else f"<code>{h(s.question_id)}</code>"
        options = "<br>".join(f"{'<strong>✓ ' if o in ri.right_options else ''}{h(o)}: {n}"
                              f"{'</strong>' if o in ri.right_options else ''}"
                              for o, n in (s.options or {}).items()) or "–"
        answer = f"<br><span class=\"cite\">answer: {h(ri.answer)}</span>" if ri.answer else ""
        rows += (f"<tr{low}><td class=\"num\">{s.position}</td><td>{prompt}{answer}</td>"
                 f"<td class=\"num\">{s.answered} / {s.students}</td><td class=\"num\">{s.right} / {s.students}</td>"
                 f"<td class=\"num\">{percent(s.facility)}</td>"
                 f"<td class=\"num{neg}\">{index(s.discrimination)}</td><td>{options}</td></tr>\n")
    parts.append("<h2>Questions</h2>\n<table><thead><tr><th class=\"num\">#</th><th>question</th>"
                 "<th class=\"num\">answered</th><th class=\"num\">right</th><th class=\"num\">facility</th>"
                 "<th class=\"num\">discrimination</th><th>options picked</th></tr></thead>"
                 f"<tbody>\n{rows}</tbody></table>")
    missed = report.most_missed()
    if missed:
        items = ""
        for ri in missed:
            s = ri.stats
            prompt = h(ri.prompt) if ri.prompt is not None else f"<code>{h(s.question_id)}</code>"
            items += f"<li class=\"q\"><p>{prompt} — missed by {s.missed} of {s.students}</p>"
            if ri.answer:
                items += f"<p>Answer: <strong>{h(ri.answer)}</strong></p>"
            if ri.excerpt:
                items += f"<blockquote>{h(ri.excerpt)}</blockquote><p class=\"cite\">{h(ri.citation or '')}</p>"
            items += "</li>\n"
        parts.append(f"<h2>Most missed</h2>\n<ol>\n{items}</ol>")
    parts.append("<p class=\"meta\">Facility: the share of sittings that got a question right. "
                 "Discrimination: right answers in the top 27% of sittings by score minus those in the "
                 "bottom 27%, divided by the group size (from −1 to +1; near 0 or below, the question does "
                 "not tell stronger students from weaker ones).</p>")
    return page(f"Drill report {report.code}", "\n".join(parts))


__all__ = [
    "Report",
    "ReportItem",
    "build_report",
    "duration",
    "index",
    "percent",
    "render_csv",
    "render_html",
    "render_json",
    "report_document",
]
