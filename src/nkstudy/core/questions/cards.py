"""The question types a learner answers by pairing or by grading themself: ``card`` and ``match``.

Registered with the others in :data:`nkstudy.core.questions.types.QUESTION_TYPES`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, ClassVar, TypeGuard

from nkstudy.core.packs.fields import Fields
from nkstudy.core.questions.base import Question, Response, _shuffled

_YES_WORDS = {"y", "yes", "1", "t", "true", "ok"}
_NO_WORDS = {"n", "no", "0", "f", "false"}


@dataclass(frozen=True)
class CardQuestion(Question):
    """A flashcard: the prompt is the front, ``back`` the answer; the learner grades it.

    Plain-text quiz: the front is shown and Enter shows the back; then the learner
    answers y (I knew it) or n (I did not), and rates it Again to Easy.
    """

    type_name: ClassVar[str] = "card"
    input_hint: ClassVar[str] = "y if you knew it, n if not"
    self_graded: ClassVar[bool] = True
    back: str = ""

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"back"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        back = f.text("back")
        if back is None:
            return None
        return {"back": back}

    def parse_response(self, line: str, shown: tuple[str, ...]) -> bool:
        word = line.strip().casefold()
        if word in _YES_WORDS:
            return True
        if word in _NO_WORDS:
            return False
        raise ValueError("type y if you knew the answer, n if you did not")

    def grade(self, response: Response) -> bool:
        """The learner's own verdict: True when they knew the back."""
        return response is True

    def answer_text(self) -> str:
        return self.back

    def response_text(self, response: Response) -> str:
        if response is None:
            return ""
        return "knew it" if response else "did not know it"

    def highlight_phrases(self) -> tuple[str, ...]:
        return (self.back,)

    def answer_phrases(self) -> tuple[str, ...]:
        return (self.back,)

    def export_answer(self) -> dict[str, Any]:
        return {"answer": self.back}


_LETTERS = "abcdefgh"

Pairs = tuple[tuple[str, str], ...]


def _is_pairs(response: Response) -> TypeGuard[Pairs]:
    """True when ``response`` is a match response: a tuple of (left, right) pairs."""
    return isinstance(response, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in response)


@dataclass(frozen=True)
class MatchQuestion(Question):
    """Pair each left item with its right item (2 to 8 pairs).

    The left items keep the pack's order and are numbered 1, 2, ...; the right
    items are shown shuffled and lettered a, b, ....  Plain-text input pairs a
    number with a letter, such as ``1b 2a 3c`` (or just ``bac``: the letters in
    the left items' order).  A response is a tuple of (left, right) pairs.
    """

    type_name: ClassVar[str] = "match"
    input_hint: ClassVar[str] = "each number with its letter, such as 1b 2a 3c"
    pairs: Pairs = ()

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"pairs"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        from nkstudy.core.packs.safeyaml import LList, LMap

        value = f.data.get("pairs")
        f.used.add("pairs")
        if value is None:
            f.error(None, "missing field 'pairs'")
            return None
        if not isinstance(value, LList):
            f.error("pairs", "field 'pairs' must be a list of [left, right] pairs")
            return None
        pairs: list[tuple[str, str]] = []
        for item, line in zip(value, value.item_lines, strict=True):
            if (
                not isinstance(item, LList)
                or len(item) != 2
                or any(isinstance(x, (LMap, LList, bool)) or x is None or not str(x).strip() for x in item)
            ):
                f.error("pairs", "each pair must be a list of two texts, such as [Canada, Ottawa]", line)
                return None
            pairs.append((str(item[0]).strip(), str(item[1]).strip()))
        if not 2 <= len(pairs) <= 8:
            f.error("pairs", "a match question needs 2 to 8 pairs")
            return None
        for side, name in ((0, "left"), (1, "right")):
            items = [p[side] for p in pairs]
            if len(set(items)) != len(items):
                f.error("pairs", f"'pairs' lists the same {name} item twice")
                return None
        return {"pairs": tuple(pairs)}

    def lefts(self) -> tuple[str, ...]:
        return tuple(left for left, _ in self.pairs)

    def rights(self) -> tuple[str, ...]:
        return tuple(right for _, right in self.pairs)

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        """The right items in display order (shuffled when ``rng`` is given)."""
        shown = _shuffled(self.rights(), rng)
        if rng is not None and shown == self.rights() and len(shown) > 1:
            shown = shown[1:] + shown[:1]
        return shown

    def parse_response(self, line: str, shown: tuple[str, ...]) -> Pairs:
        lefts = self.lefts()
        letters = _LETTERS[: len(shown)]
        text = line.strip().casefold()
        compact = re.sub(r"[\s,;]+", "", text)
        if compact.isalpha() and len(compact) == len(lefts):
            picks = list(enumerate(compact, start=1))
        else:
            picks = []
            for part in re.split(r"[\s,;]+", text):
                if not part:
                    continue
                m = re.fullmatch(r"(\d+)\s*[-:=]?\s*([a-z])", part)
                if not m:
                    raise ValueError(f"pair each number with a letter, such as 1{letters[0]} 2{letters[1]}")
                picks.append((int(m.group(1)), m.group(2)))
        chosen: dict[int, str] = {}
        for number, letter in picks:
            if not 1 <= number <= len(lefts):
                raise ValueError(f"there is no item {number}; use 1 to {len(lefts)}")
            if letter not in letters:
                raise ValueError(f"there is no option {letter}; use {letters[0]} to {letters[-1]}")
            if number in chosen:
                raise ValueError(f"item {number} is paired twice")
            chosen[number] = shown[letters.index(letter)]
        if len(chosen) != len(lefts):
            raise ValueError(f"pair every item, 1 to {len(lefts)}, with a letter")
        return tuple((lefts[n - 1], chosen[n]) for n in sorted(chosen))

    def grade(self, response: Response) -> bool:
        if not _is_pairs(response):
            return False
        return set(response) == set(self.pairs) and len(response) == len(self.pairs)

    def answer_text(self) -> str:
        return "; ".join(f"{left} → {right}" for left, right in self.pairs)

    def response_text(self, response: Response) -> str:
        if not response:
            return ""
        if not _is_pairs(response):
            return super().response_text(response)
        return "; ".join(f"{left} → {right}" for left, right in response)

    def highlight_phrases(self) -> tuple[str, ...]:
        return tuple(x for pair in self.pairs for x in pair)

    def answer_phrases(self) -> tuple[str, ...]:
        return tuple(f"{left} → {right}" for left, right in self.pairs)  # a pair, not its items alone

    def export_answer(self) -> dict[str, Any]:
        return {"pairs": [list(p) for p in self.pairs], "answer": [list(p) for p in self.pairs]}

    def option_lines(self, shown: tuple[str, ...]) -> list[str]:
        """The left items numbered, then the right items (in ``shown`` order) lettered."""
        lefts = [f"{number}. {left}" for number, left in enumerate(self.lefts(), start=1)]
        return [*lefts, *(f"{letter}) {right}" for letter, right in zip(_LETTERS, shown, strict=False))]
