"""The card browser's model: each question with its card, its marks and its state, and the search.

Pure: the facade reads the rows, this joins and filters them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from nkstudy.core.model import Pack, Question
from nkstudy.core.study.planning import REVIEW
from nkstudy.core.study.progress import CardRow, Key, Marks

#: the states a search may ask for, in the order help and docs list them
STATES = ("new", "learning", "review", "suspended", "buried", "flagged", "leech")


@dataclass(frozen=True)
class CardQuery:
    """What the browser and ``nkstudy cards`` search for (None or empty: no filter)."""

    text: str = ""  # in the prompt, the answer, the id, the tags (case does not matter)
    pack: str | None = None
    source: str | None = None
    tag: str | None = None
    event: str | None = None
    type: str | None = None  # a question type's name: choice, typed, cloze, ...
    state: str | None = None  # one of STATES

    def __post_init__(self) -> None:
        if self.state is not None and self.state not in STATES:
            raise ValueError(f"unknown state {self.state!r} (states: {', '.join(STATES)})")


@dataclass(frozen=True)
class CardInfo:
    """One question as the browser lists it."""

    pack_id: str
    question: Question
    row: CardRow | None  # None: never answered (new)
    marks: Marks
    states: tuple[str, ...]  # from STATES: the schedule's state, then the marks

    @property
    def key(self) -> Key:
        return (self.pack_id, self.question.id)

    @property
    def due(self) -> datetime | None:
        return datetime.fromtimestamp(self.row.due, UTC) if self.row is not None else None

    def to_json(self) -> dict[str, object]:
        q, row = self.question, self.row
        return {
            "pack": self.pack_id, "id": q.id, "type": q.type_name, "prompt": q.prompt, "answer": q.answer_text(),
            "source": q.source, "event": q.event, "tags": list(q.tags), "states": list(self.states),
            "due": self.due.isoformat() if self.due is not None else None,
            "reps": row.reps if row else 0, "lapses": row.lapses if row else 0,
        }


#: the words of a search in the browser: ``state:suspended tag:who Dalian``
FIELDS = ("pack", "source", "tag", "event", "type", "state")


def parse_query(text: str) -> CardQuery:
    """A query from the browser's search line: ``field:value`` words (FIELDS), the rest is text.

    ValueError (one line) on an unknown state.
    """
    found: dict[str, str] = {}
    words = []
    for word in text.split():
        name, sep, value = word.partition(":")
        if sep and name.casefold() in FIELDS and value:
            found[name.casefold()] = value
        else:
            words.append(word)
    return CardQuery(" ".join(words), **found)


def states_of(row: CardRow | None, marks: Marks, now_ts: float) -> tuple[str, ...]:
    """A card's states: new, learning or review; then suspended, buried, flagged, leech as marked."""
    base = "new" if row is None else ("review" if row.state == REVIEW else "learning")
    extra = (("suspended", marks.suspended), ("buried", marks.buried(now_ts)), ("flagged", marks.flagged),
             ("leech", marks.leech))
    return (base, *(name for name, on in extra if on))


def _matches(q: Question, query: CardQuery, needle: str) -> bool:
    if query.source is not None and q.source != query.source:
        return False
    if query.tag is not None and query.tag not in q.tags:
        return False
    if query.event is not None and q.event != query.event:
        return False
    if query.type is not None and q.type_name != query.type:
        return False
    if needle:
        hay = " ".join((q.id, q.prompt, q.answer_text(), *q.tags)).casefold()
        return needle in hay
    return True


def browse(packs: Iterable[Pack], cards: Mapping[Key, CardRow], marks: Mapping[Key, Marks], query: CardQuery,
           now: datetime) -> list[CardInfo]:
    """The questions of ``packs`` that match ``query``, in pack order, each with its card and marks."""
    now_ts = now.timestamp()
    needle = query.text.strip().casefold()
    out: list[CardInfo] = []
    for pack in packs:
        if query.pack is not None and pack.id != query.pack:
            continue
        for q in pack.questions:
            if not _matches(q, query, needle):
                continue
            key = (pack.id, q.id)
            row, m = cards.get(key), marks.get(key, Marks())
            states = states_of(row, m, now_ts)
            if query.state is None or query.state in states:
                out.append(CardInfo(pack.id, q, row, m, states))
    return out


__all__ = ["FIELDS", "STATES", "CardInfo", "CardQuery", "browse", "parse_query", "states_of"]
