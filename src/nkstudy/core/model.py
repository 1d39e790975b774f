"""The domain model: packs, sources, events and the question types.

Each question type is one class.  The loader, the grader, the exporter, the
plain-text quiz and the app all go through the class, so adding a type means
adding one class here and registering it in :data:`QUESTION_TYPES`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from nkstudy.core.fields import Fields
from nkstudy.core.text import answers_match, fold_answer

TAGS = ("who", "whom", "where", "when", "why", "context")
DIFFICULTIES = ("easy", "medium", "hard")
EVENT_KINDS = ("visit", "meeting", "summit", "delegation", "directive")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_BLANK_RE = re.compile(r"_{3,}")


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
            raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        import datetime as _dt

        try:
            _dt.date(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"{text!r} is not a real date") from None
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
class Question:
    """Fields shared by every question type.  Subclasses add their answer."""

    type_name: ClassVar[str] = ""
    #: how the plain-text quiz asks for an answer
    input_hint: ClassVar[str] = ""

    id: str
    prompt: str
    source: str | None = None  # None: the question cites no source (custom packs)
    excerpt: str | None = None
    explanation: str | None = None
    tags: tuple[str, ...] = ()
    difficulty: str = "medium"
    event: str | None = None

    # -- loading -------------------------------------------------------
    @classmethod
    def own_fields(cls) -> set[str]:
        return set()

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        """Read and check the type's own fields; None when they are wrong."""
        raise NotImplementedError

    # -- asking --------------------------------------------------------
    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        """The options to show, in display order (empty for free answers)."""
        return ()

    def parse_response(self, line: str, shown: tuple[str, ...]) -> Any:
        """Turn one line of plain text into a response, or raise ValueError."""
        raise NotImplementedError

    # -- grading -------------------------------------------------------
    def grade(self, response: Any) -> bool:
        raise NotImplementedError

    def answer_text(self) -> str:
        """The right answer as one line of text."""
        raise NotImplementedError

    def response_text(self, response: Any) -> str:
        """A response as one line of text, for the review log."""
        if response is None:
            return ""
        return str(response)

    def highlight_phrases(self) -> tuple[str, ...]:
        """Parts of the answer worth highlighting inside the excerpt."""
        return ()

    # -- export --------------------------------------------------------
    def export_answer(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_export(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type_name, "prompt": self.prompt}
        out.update(self.export_answer())
        out.update(
            {
                "source": self.source,
                "excerpt": self.excerpt,
                "explanation": self.explanation,
                "tags": list(self.tags),
                "difficulty": self.difficulty,
                "event": self.event,
            }
        )
        return out


def _option_index(line: str, count: int) -> int:
    text = line.strip()
    if not text.isdigit():
        raise ValueError(f"type the number of an option, 1 to {count}")
    index = int(text)
    if not 1 <= index <= count:
        raise ValueError(f"there is no option {index}; choose 1 to {count}")
    return index - 1


def _shuffled(items: tuple[str, ...], rng: random.Random | None) -> tuple[str, ...]:
    if rng is None:
        return items
    out = list(items)
    rng.shuffle(out)
    return tuple(out)


@dataclass(frozen=True)
class ChoiceQuestion(Question):
    """One right option among several."""

    type_name: ClassVar[str] = "choice"
    input_hint: ClassVar[str] = "the number of your choice"
    options: tuple[str, ...] = ()
    answer: str = ""

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"options", "answer"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        options = f.text_list("options")
        answer = f.text("answer")
        if options is None or answer is None:
            return None
        if len(options) < 2:
            f.error("options", "needs at least 2 options")
            return None
        if len(options) > 9:
            f.error("options", "has more than 9 options")
            return None
        if answer not in options:
            f.error("answer", f"answer {answer!r} is not one of its options")
            return None
        return {"options": options, "answer": answer}

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        return _shuffled(self.options, rng)

    def parse_response(self, line: str, shown: tuple[str, ...]) -> str:
        return shown[_option_index(line, len(shown))]

    def grade(self, response: Any) -> bool:
        return response == self.answer

    def answer_text(self) -> str:
        return self.answer

    def highlight_phrases(self) -> tuple[str, ...]:
        return (self.answer,)

    def export_answer(self) -> dict[str, Any]:
        return {"options": list(self.options), "answer": self.answer}


@dataclass(frozen=True)
class MultiQuestion(Question):
    """Select every option that applies."""

    type_name: ClassVar[str] = "multi"
    input_hint: ClassVar[str] = "the numbers of every right option, such as 1 3"
    options: tuple[str, ...] = ()
    answer: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"options", "answer"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        options = f.text_list("options")
        answer = f.text_list("answer")
        if options is None or answer is None:
            return None
        if len(options) < 2 or len(options) > 9:
            f.error("options", "needs 2 to 9 options")
            return None
        if not answer:
            f.error("answer", "needs at least one right option")
            return None
        missing = [a for a in answer if a not in options]
        if missing:
            f.error("answer", f"answer {missing[0]!r} is not one of its options")
            return None
        return {"options": options, "answer": frozenset(answer)}

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        return _shuffled(self.options, rng)

    def parse_response(self, line: str, shown: tuple[str, ...]) -> frozenset[str]:
        parts = [p for p in re.split(r"[\s,;]+", line.strip()) if p]
        if not parts:
            raise ValueError("type the numbers of every right option, such as 1 3")
        return frozenset(shown[_option_index(p, len(shown))] for p in parts)

    def grade(self, response: Any) -> bool:
        return frozenset(response or ()) == self.answer

    def ordered_answer(self) -> list[str]:
        return [o for o in self.options if o in self.answer]

    def answer_text(self) -> str:
        return "; ".join(self.ordered_answer())

    def response_text(self, response: Any) -> str:
        if not response:
            return ""
        return "; ".join(o for o in self.options if o in response)

    def highlight_phrases(self) -> tuple[str, ...]:
        return tuple(self.ordered_answer())

    def export_answer(self) -> dict[str, Any]:
        return {"options": list(self.options), "answer": self.ordered_answer()}


_TRUE_WORDS = {"t", "true", "y", "yes", "1"}
_FALSE_WORDS = {"f", "false", "n", "no", "2"}


@dataclass(frozen=True)
class TrueFalseQuestion(Question):
    """A statement that is true or false."""

    type_name: ClassVar[str] = "truefalse"
    input_hint: ClassVar[str] = "t for true or f for false"
    answer: bool = True

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"answer"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        answer = f.boolean("answer")
        if answer is None:
            return None
        return {"answer": answer}

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        return ("True", "False")

    def parse_response(self, line: str, shown: tuple[str, ...]) -> bool:
        word = line.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ValueError("type t (true) or f (false)")

    def grade(self, response: Any) -> bool:
        return response is self.answer

    def answer_text(self) -> str:
        return "True" if self.answer else "False"

    def response_text(self, response: Any) -> str:
        if response is None:
            return ""
        return "True" if response else "False"

    def export_answer(self) -> dict[str, Any]:
        return {"answer": self.answer}


@dataclass(frozen=True)
class TypedQuestion(Question):
    """A free answer, matched loosely against the answer and its variants."""

    type_name: ClassVar[str] = "typed"
    input_hint: ClassVar[str] = "your answer"
    answer: str = ""
    accept: tuple[str, ...] = ()

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"answer", "accept"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        answer = f.text("answer")
        accept = f.text_list("accept", required=False)
        if answer is None or accept is None:
            return None
        if not fold_answer(answer):
            f.error("answer", "answer has no letters or digits to match")
            return None
        return {"answer": answer, "accept": accept}

    def parse_response(self, line: str, shown: tuple[str, ...]) -> str:
        return line.strip()

    def grade(self, response: Any) -> bool:
        if not isinstance(response, str):
            return False
        return answers_match(response, (self.answer, *self.accept))

    def answer_text(self) -> str:
        return self.answer

    def highlight_phrases(self) -> tuple[str, ...]:
        return (self.answer, *self.accept)

    def export_answer(self) -> dict[str, Any]:
        return {"answer": self.answer, "accept": list(self.accept)}


@dataclass(frozen=True)
class ClozeQuestion(TypedQuestion):
    """A sentence with one blank to fill."""

    type_name: ClassVar[str] = "cloze"
    input_hint: ClassVar[str] = "the missing word or words"

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        prompt = f.data.get("prompt")
        if isinstance(prompt, str) and len(_BLANK_RE.findall(prompt)) != 1:
            f.error("prompt", "a cloze prompt needs exactly one blank (___)")
            return None
        return super().read(f)

    def filled_prompt(self) -> str:
        return _BLANK_RE.sub(self.answer, self.prompt, count=1)


@dataclass(frozen=True)
class OrderQuestion(Question):
    """Items to put in chronological order, earliest first."""

    type_name: ClassVar[str] = "order"
    input_hint: ClassVar[str] = "the numbers in order, earliest first, such as 3 1 2"
    answer: tuple[str, ...] = ()

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"answer"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        answer = f.text_list("answer")
        if answer is None:
            return None
        if not 2 <= len(answer) <= 9:
            f.error("answer", "an order question needs 2 to 9 items")
            return None
        return {"answer": answer}

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        shown = _shuffled(self.answer, rng)
        if rng is not None and shown == self.answer and len(shown) > 1:
            shown = shown[1:] + shown[:1]
        return shown

    def parse_response(self, line: str, shown: tuple[str, ...]) -> tuple[str, ...]:
        parts = [p for p in re.split(r"[\s,;]+", line.strip()) if p]
        if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == len(shown):
            parts = list(parts[0])
        indexes = [_option_index(p, len(shown)) for p in parts]
        if sorted(indexes) != list(range(len(shown))):
            raise ValueError(f"use each number from 1 to {len(shown)} exactly once")
        return tuple(shown[i] for i in indexes)

    def grade(self, response: Any) -> bool:
        return tuple(response or ()) == self.answer

    def answer_text(self) -> str:
        return " → ".join(self.answer)

    def response_text(self, response: Any) -> str:
        return " → ".join(response) if response else ""

    def export_answer(self) -> dict[str, Any]:
        return {"options": list(self.answer), "answer": list(self.answer)}


QUESTION_TYPES: dict[str, type[Question]] = {
    cls.type_name: cls
    for cls in (
        ChoiceQuestion,
        MultiQuestion,
        TrueFalseQuestion,
        TypedQuestion,
        OrderQuestion,
        ClozeQuestion,
    )
}

COMMON_FIELDS = {"id", "type", "prompt", "source", "excerpt", "explanation", "tags", "difficulty", "event"}


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
