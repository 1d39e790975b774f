"""A drill's report: per student, per question (item analysis), the most missed questions.

:func:`build_report` joins the figures of :mod:`nkstudy.core.classroom.analysis` with the
pack text (prompt, answer, excerpt, citation).  The pack is optional: without
it (not installed, another version) the report still has every figure, keyed
by question id, and says why the text is missing.

The JSON shape (:func:`report_document`) is stable; see docs/classroom.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from nkstudy.classroom.common import citation, excerpt, media_html
from nkstudy.core.classroom.analysis import Analysis, ItemStats, analyse
from nkstudy.core.classroom.drill import DrillItem, DrillResult, DrillSpec, picked_options, select
from nkstudy.core.classroom.gate import Roster
from nkstudy.core.classroom.live import Roll, absences, not_asked
from nkstudy.core.classroom.responses import mark
from nkstudy.core.classroom.summary import Summary, summarise
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
    def media(self) -> str:
        """The question's pictures and sounds as HTML (empty without the pack or media)."""
        return media_html(self.pack, self.item.question) if self.item else ""

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
class SkippedItem:
    """A question of a live drill left out of every score: the teacher skipped it before revealing it,
    or ended the drill before asking it."""

    position: int
    pack_id: str
    question_id: str
    prompt: str | None  # None when the pack is not at hand

    @property
    def label(self) -> str:
        return f"{self.position}. {self.prompt if self.prompt is not None else self.question_id}"


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
    results: tuple[DrillResult, ...] = ()  # every answer, as marked here
    summary: Summary | None = None
    never_sat: tuple[str, ...] = ()  # roster names with no sitting
    skipped: tuple[SkippedItem, ...] = ()  # questions skipped unrevealed in a live drill: not marked
    not_asked: tuple[SkippedItem, ...] = ()  # questions of a live drill ended before them: not marked

    def answers(self, attempt: str) -> dict[tuple[str, str], DrillResult]:
        """One sitting's answers by question key (the first, when a question was answered twice)."""
        out: dict[tuple[str, str], DrillResult] = {}
        for r in self.results:
            if r.attempt == attempt:
                out.setdefault(r.key, r)
        return out

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
                 regrade: bool = False, roster: Roster | None = None, live: Roll | None = None) -> Report:
    """The report on drill ``code`` from ``results`` (only this drill's are used).

    Every answer is marked again from its response with the drill's own pack
    version (never the stored ``correct``); stored marks that differ are listed.
    ``regrade``: mark with the packs installed here instead (a fixed key in a
    newer version with the same question ids), listing what that changed.
    ``live``: what the store knows of a live run of the drill.  The questions
    its teacher skipped before revealing them, and those never asked because
    the teacher ended the drill before them, count for nobody (out of every
    score and total) and are listed as such; every student who joined is a
    sitting, answers or not, and a question asked while they were away is
    unanswered (:func:`nkstudy.core.classroom.live.absences`).
    """
    live = live or Roll()
    spec = DrillSpec.parse(code)
    code = spec.format()
    once: dict[tuple[str, str, str], DrillResult] = {}
    for r in results:  # a sitting read from a file and from the database counts once
        if r.code == code:
            once.setdefault((r.attempt, *r.key), r)
    rows = list(once.values())
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
    marked += absences(live, marked, code=code, items=items or ())
    regraded = None
    if regrade:
        regraded = ", ".join(f"{p.id} {p.info.version}" for p in packs if p.id in spec.pack_ids) or None
        if items is None and marker:
            items = _items_from(rows, marker)
            note = None if items else note
    skipped = live.skipped
    unasked = not_asked(live, marked, [*(i.position for i in items or ()), *(r.position for r in rows)], code=code)
    left_out, never_asked = _skipped_items(skipped, items, rows), _skipped_items(unasked, items, rows)
    out = skipped | unasked
    if out:
        items = None if items is None else [i for i in items if i.position not in out]
        marked = [r for r in marked if r.position not in out]
    analysis = analyse(marked, items, sittings=live.sittings())
    by_key = {i.key: i for i in items or ()}
    pack_by_id = {p.id: p for p in packs}
    report_items = tuple(ReportItem(s, by_key.get(s.key), pack_by_id.get(s.pack_id)) for s in analysis.items)
    if unchecked:
        extra = f"{unchecked} answers are shown with their stored marks: their questions are not here to mark them"
        note = f"{note}; {extra}" if note else extra
    never = tuple(roster.missing([s.profile for s in analysis.students])) if roster is not None else ()
    return Report(code, analysis, report_items, note, tuple(disagreements), regraded, tuple(changes), unchecked,
                  tuple(marked), summarise(analysis, marked), never, left_out, never_asked)


def _skipped_items(skipped: Collection[int], items: Sequence[DrillItem] | None,
                   rows: Sequence[DrillResult]) -> tuple[SkippedItem, ...]:
    """The questions at positions ``skipped``, in drill order: from the pack, else from any answer given."""
    found: dict[int, SkippedItem] = {}
    for i in items or ():
        if i.position in skipped:
            found[i.position] = SkippedItem(i.position, i.pack_id, i.question.id, i.question.prompt)
    for r in rows:
        if r.position in skipped and r.position not in found:
            found[r.position] = SkippedItem(r.position, r.pack_id, r.question_id, None)
    return tuple(found[p] for p in sorted(found))


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
        "summary": summary_document(report.summary),
        "responses": [
            {"profile": st.profile, "attempt": st.attempt, "answers": [
                {"position": r.position, "pack": r.pack_id, "question": r.question_id, "answered": r.answered,
                 "correct": r.correct, "answer": r.answer, "seconds": r.seconds, "absent": r.absent}
                for r in sorted(report.answers(st.attempt).values(), key=lambda r: r.position)]}
            for st in a.students
        ],
        "never_sat": list(report.never_sat),
        "skipped": [_left_out(k) for k in report.skipped],
        "not_asked": [_left_out(k) for k in report.not_asked],
        "regrade": None if report.regraded is None else {
            "against": report.regraded, "changes": [remark_document(r) for r in report.changes]},
    }


def _left_out(k: SkippedItem) -> dict[str, object]:
    return {"position": k.position, "pack": k.pack_id, "question": k.question_id, "prompt": k.prompt}


_UNSAFE_IN_JSON = re.compile("[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def summary_document(summary: Summary | None) -> dict[str, object] | None:
    if summary is None:
        return None
    return {"sittings": summary.sittings, "questions": summary.questions, "mean": _round(summary.mean),
            "median": _round(summary.median), "sd": _round(summary.sd), "min": summary.low, "max": summary.high,
            "histogram": list(summary.histogram), "kr20": _round(summary.kr20),
            "seconds_per_question": _round(summary.seconds_per_question, 3)}


def render_json(report: Report) -> str:
    """The report as JSON text: exact, but no character in it can steer a terminal."""
    text = json.dumps(report_document(report), ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# -- words shared by the table (CLI) and HTML ------------------------------------------
def index(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


__all__ = [
    "Remark",
    "Report",
    "ReportItem",
    "SkippedItem",
    "build_report",
    "duration",
    "index",
    "percent",
    "render_json",
    "report_document",
]
