"""What a study session needs from the progress store, as plain rows and a protocol.

The store (SQLite) implements :class:`ProgressStore` for one profile; the
session in :mod:`nkstudy.core.study.session` only ever sees this protocol, so it can
be tested against an in-memory store and never imports SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from fsrs import Card, State

Key = tuple[str, str]  # (pack id, question id)


@dataclass(frozen=True)
class CardRow:
    """A card's scheduling state as stored."""

    pack_id: str
    question_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: float
    last_review: float | None
    reps: int = 0
    lapses: int = 0

    def to_card(self) -> Card:
        return Card(
            card_id=0,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=datetime.fromtimestamp(self.due, UTC),
            last_review=datetime.fromtimestamp(self.last_review, UTC) if self.last_review is not None else None,
        )

    @classmethod
    def from_card(cls, key: Key, card: Card, reps: int, lapses: int) -> CardRow:
        return cls(
            key[0], key[1], int(card.state), card.step, card.stability, card.difficulty,
            card.due.timestamp(), card.last_review.timestamp() if card.last_review else None, reps, lapses,
        )


@dataclass(frozen=True)
class Marks:
    """A card's marks (all off: no row in the store)."""

    suspended: bool = False
    buried_until: float | None = None  # UTC epoch seconds
    flagged: bool = False
    leech: bool = False

    def buried(self, now_ts: float) -> bool:
        return self.buried_until is not None and self.buried_until > now_ts

    def hidden(self, now_ts: float) -> bool:
        """True when the card must not enter a queue at ``now_ts``."""
        return self.suspended or self.buried(now_ts)

    @property
    def blank(self) -> bool:
        return self == Marks()

    def changed(self, **changes: object) -> Marks:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReviewRow:
    """One answer, as the review log keeps it."""

    pack_id: str
    question_id: str
    source_id: str
    tags: tuple[str, ...]
    ts: float
    rating: int
    correct: bool
    answer: str
    response_ms: int | None
    practice: bool
    prev_state: int | None
    prev_card: Mapping[str, object] | None


class ProgressStore(Protocol):
    """One profile's progress: what :class:`~nkstudy.core.study.session.StudySession` reads and writes.

    Every write is committed before it returns.
    """

    def card(self, key: Key) -> CardRow | None:
        """The card's stored state, or None when the question was never answered."""
        ...

    def record_answer(self, review: ReviewRow, card: CardRow | None, *, uid: str | None = None) -> int:
        """Log an answer (and store the card's new state unless None); returns the log row's id.

        ``uid`` names the answer: one sent again under the same uid is not logged twice.
        """
        ...

    def change_rating(self, review_id: int, rating: int, card: CardRow | None) -> None:
        """Re-rate a logged answer (and store the card's new state unless None)."""
        ...

    def undo_answer(self, review_id: int, key: Key, prev: CardRow | None, *, touch_card: bool) -> None:
        """Delete a logged answer and, when ``touch_card``, put the card back as ``prev``."""
        ...

    def override(self, review_id: int, rating: int, correct: bool, card: CardRow | None) -> None:
        """Regrade a logged answer as the learner's override ("I was right"), or take that back."""
        ...

    def marks(self, key: Key) -> Marks:
        """The card's marks (all off when it has none)."""
        ...

    def set_marks(self, key: Key, **changes: object) -> Marks:
        """Change a card's marks (suspended, buried_until, flagged, leech); committed at once."""
        ...
