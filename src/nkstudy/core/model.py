"""The domain model: packs, sources and events, plus the question types (re-exported).

Question types live in :mod:`nkstudy.core.questions.base` (the base) and
:mod:`nkstudy.core.questions.types` (one class each, and the registry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    @property
    def id(self) -> str:
        return self.info.id

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
