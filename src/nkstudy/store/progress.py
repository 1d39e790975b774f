"""The progress store bound to one profile: what a study session records its answers through."""

from __future__ import annotations

from nkstudy.core.study.progress import CardRow, Key, Marks, ReviewRow
from nkstudy.store import marks
from nkstudy.store.db import Store


class ProfileProgress:
    """The store, bound to one profile: the :class:`~nkstudy.core.study.progress.ProgressStore` a session uses."""

    def __init__(self, store: Store, profile_id: int) -> None:
        self._store = store
        self._profile_id = profile_id

    def card(self, key: Key) -> CardRow | None:
        return self._store.card(self._profile_id, *key)

    def record_answer(self, review: ReviewRow, card: CardRow | None, *, uid: str | None = None) -> int:
        return self._store.record_answer(self._profile_id, review, card, uid=uid)

    def change_rating(self, review_id: int, rating: int, card: CardRow | None) -> None:
        self._store.change_rating(self._profile_id, review_id, rating, card)

    def undo_answer(self, review_id: int, key: Key, prev: CardRow | None, *, touch_card: bool) -> None:
        self._store.undo_answer(self._profile_id, review_id, key[0], key[1], prev, touch_card=touch_card)

    def override(self, review_id: int, rating: int, correct: bool, card: CardRow | None) -> None:
        marks.override_answer(self._store, self._profile_id, review_id, rating, correct, card)

    def set_marks(self, key: Key, **changes: object) -> Marks:
        return marks.set_marks(self._store, self._profile_id, key, **changes)

    def marks(self, key: Key) -> Marks:
        return marks.card_marks(self._store, self._profile_id, key)
