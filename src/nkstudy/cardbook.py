"""The second facade beside the engine: Anki's card tools over one profile.

The card browser and ``nkstudy cards`` (search, history, unsuspend, unflag), the
overrides ``stats --json`` counts, and ``nkstudy optimize``.  It wires the pure code
in ``core`` to the store through an open :class:`~nkstudy.engine.Engine`.  No Textual,
no Rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from nkstudy.core.study import optimize
from nkstudy.core.study.browse import CardInfo, CardQuery, browse, states_of
from nkstudy.core.study.progress import Key, Marks
from nkstudy.engine import Engine
from nkstudy.store import marks


@dataclass(frozen=True)
class Answer:
    """One answer in a card's history."""

    when: datetime
    rating: int
    correct: bool
    answer: str
    practice: bool
    overridden: bool


@dataclass(frozen=True)
class CardHistory:
    card: CardInfo
    answers: tuple[Answer, ...]


class CardBook:
    """Anki's card tools for the engine's profile and packs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(self, query: CardQuery) -> list[CardInfo]:
        """The questions matching ``query`` with their cards, marks and states (ValueError: unknown pack)."""
        eng = self.engine
        packs = eng._pack_list([query.pack] if query.pack is not None else None)
        ids = [p.id for p in packs]
        return browse(packs, eng.store.cards(eng.profile_id, ids), marks.marks(eng.store, eng.profile_id, ids),
                      query, eng.now())

    def history(self, key: Key) -> CardHistory:
        """The card and every answer to it, oldest first (KeyError: no such question)."""
        eng = self.engine
        pack = eng.packs[key[0]]
        question = next((q for q in pack.questions if q.id == key[1]), None)
        if question is None:
            raise KeyError(key)
        row = eng.store.card(eng.profile_id, *key)
        m = marks.card_marks(eng.store, eng.profile_id, key)
        info = CardInfo(key[0], question, row, m, states_of(row, m, eng.now().timestamp()))
        answers = tuple(Answer(datetime.fromtimestamp(ts, UTC), rating, correct, text, practice, over)
                        for ts, rating, correct, text, practice, over in marks.history(eng.store, eng.profile_id, key))
        return CardHistory(info, answers)

    def set_marks(self, key: Key, **changes: object) -> Marks:
        """Change a card's marks (unsuspend: ``suspended=False``; unflag: ``flagged=False``)."""
        if changes.get("suspended") is False:  # unsuspending a leech keeps its leech tag, as Anki does
            changes.setdefault("buried_until", None)
        return marks.set_marks(self.engine.store, self.engine.profile_id, key, **changes)

    def overrides(self, pack_ids: list[str] | None = None) -> dict[str, int]:
        """"pack/question" -> answers the learner overrode as right ("I was right")."""
        return marks.overrides(self.engine.store, self.engine.profile_id, pack_ids)

    # -- nkstudy optimize ----------------------------------------------------
    def histories(self) -> list[optimize.History]:
        """The profile's scheduled answers, one history per card, in study days."""
        eng = self.engine
        return optimize.histories(marks.review_log(eng.store, eng.profile_id),
                                  lambda ts: eng.study_day(datetime.fromtimestamp(ts, UTC)))

    def fit(self) -> optimize.Fit:
        """Fit the profile's FSRS parameters (OptimizerMissing, or ValueError with too few reviews)."""
        return optimize.fit(self.histories(), self.engine.settings.parameters)

    def save_parameters(self, parameters: tuple[float, ...]) -> None:
        self.engine.update_settings(parameters=parameters)


__all__ = ["Answer", "CardBook", "CardHistory"]
