"""The domain model: packs, sources and events, plus the question types (re-exported).

Question types live in :mod:`nkstudy.core.questions.base` (the base) and
:mod:`nkstudy.core.questions.types` (one class each, and the registry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkstudy.core.packs.giveaways import GiveAwayGraph, build_graph
from nkstudy.core.questions.base import COMMON_FIELDS, DIFFICULTIES, TAGS, Question, Response
from nkstudy.core.questions.cards import CardQuestion, MatchQuestion
from nkstudy.core.questions.types import (
    QUESTION_TYPES,
    ChoiceQuestion,
    ClozeQuestion,
    MultiQuestion,
    OrderQuestion,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.text import quoted

__all__ = [
    "COMMON_FIELDS", "DIFFICULTIES", "EVENT_KINDS", "QUESTION_TYPES", "TAGS", "CardQuestion", "ChoiceQuestion",
    "ClozeQuestion", "Event", "MatchQuestion", "MultiQuestion", "OrderQuestion", "Pack", "PackInfo", "PartialDate",
    "Question", "Response", "Source", "TrueFalseQuestion", "TypedQuestion",
]

EVENT_KINDS = ("visit", "meeting", "summit", "delegation", "directive")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{quoted(text)} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        import datetime as _dt

        try:
            _dt.date(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"{quoted(text)} is not a real date") from None
        return cls(year, month, day)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    title: str
    outlet: str
    published: PartialDate
    date_from_outside: bool
    text: str

    def dateline(self) -> str:
        approx = "about " if self.date_from_outside else ""
        return f"{self.outlet}, {approx}{self.published.iso()}"

    def citation_line(self) -> str:
        """The citation the app shows with a question citing this source (``present.citation``)."""
        return f"{self.title} — {self.dateline()}"


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    who: str
    when: PartialDate
    source: str
    excerpt: str
    whom: str | None = None
    where: str | None = None
    when_text: str | None = None
    why: str | None = None
    why_by: str | None = None
    #: the id of the event (of the same pack) this one is a part of: a meeting during a visit.
    #: Questions on events of one visit (the same root) give each other away.
    part_of: str | None = None

    def headline(self) -> str:
        target = self.whom or self.where or ""
        joiner = {"directive": "to"}.get(self.kind, "→")
        return f"{self.who} {joiner} {target}".strip()

    def to_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "who": self.who,
            "whom": self.whom,
            "where": self.where,
            "when": self.when.iso(),
            "when_text": self.when_text,
            "why": self.why,
            "why_by": self.why_by,
            "part_of": self.part_of,
            "source": self.source,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class PackInfo:
    id: str
    title: str
    version: str
    description: str
    language: str
    author: str | None = None
    license: str | None = None

    def to_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "description": self.description,
            "language": self.language,
            "author": self.author,
            "license": self.license,
        }


@dataclass(frozen=True)
class Pack:
    info: PackInfo
    path: Path
    sources: dict[str, Source]
    events: tuple[Event, ...]
    questions: tuple[Question, ...]
    #: which questions give which away: built by the loader (or on first use), kept in the pack cache
    #: (not an argument, so ``dataclasses.replace`` of a pack with other questions never keeps it)
    giveaways: GiveAwayGraph | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.info.id

    def giveaway_graph(self) -> GiveAwayGraph:
        """The pack's give-away graph (:mod:`nkstudy.core.packs.giveaways`), built once."""
        graph = self.giveaways
        if graph is None:
            graph = build_graph(self.questions, {s.id: s.citation_line() for s in self.sources.values()},
                                {e.id: e.part_of for e in self.events if e.part_of is not None})
            self.keep_graph(graph)
        return graph

    def keep_graph(self, graph: GiveAwayGraph) -> None:
        """Keep ``graph`` (built for these questions, as the pack cache read it) as the pack's own."""
        if graph.ids != tuple(q.id for q in self.questions):
            raise ValueError("the give-away graph is of other questions")
        object.__setattr__(self, "giveaways", graph)  # derived data: the pack stays equal to itself

    @property
    def title(self) -> str:
        return self.info.title

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def event(self, event_id: str) -> Event:
        for e in self.events:
            if e.id == event_id:
                return e
        raise KeyError(event_id)

    def timeline(self) -> list[Event]:
        return sorted(self.events, key=lambda e: (e.when.sort_key(), e.id))

    def questions_for_event(self, event_id: str) -> list[Question]:
        return [q for q in self.questions if q.event == event_id]

    def source_of(self, question: Question) -> Source | None:
        """The source ``question`` cites, or None when it cites none."""
        return self.sources.get(question.source) if question.source is not None else None

    def questions_citing(self, source_id: str) -> list[Question]:
        return [q for q in self.questions if q.source == source_id]

    def to_export(self) -> dict[str, Any]:
        return {
            "format": 1,
            "pack": self.info.to_export(),
            "sources": [
                {
                    "id": s.id,
                    "title": s.title,
                    "outlet": s.outlet,
                    "published": s.published.iso(),
                    "date_from_outside": s.date_from_outside,
                    "file": s.file,
                    "text": s.text,
                }
                for s in self.sources.values()
            ],
            "events": [e.to_export() for e in self.events],
            "questions": [q.to_export() for q in self.questions],
        }
