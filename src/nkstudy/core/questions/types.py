"""The question types: one class each, registered in :data:`QUESTION_TYPES`.

Adding a type means one class here (see :class:`~nkstudy.core.questions.base.Question`
for the protocol) plus its registry entry, and an answer widget in the app.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from nkstudy.core.packs.fields import Fields
from nkstudy.core.questions.base import Grade, Question, Response, _option_index, _option_named, _shuffled
from nkstudy.core.questions.cards import CardQuestion, MatchQuestion
from nkstudy.core.questions.fold import answers_match, fold_answer, match_typed, single_names
from nkstudy.core.text import quoted

_BLANK_RE = re.compile(r"_{3,}")


@dataclass(frozen=True)
class OptionsQuestion(Question):
    """Shared by the types that show numbered options (choice, multi): 2 to 9 of them, shown shuffled."""

    options: tuple[str, ...] = ()

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"options", "answer"}

    @staticmethod
    def read_options(f: Fields, answers: Sequence[str] | None) -> tuple[str, ...] | None:
        """The options, checked, and that every answer is one of them (None after reporting a problem)."""
        options = f.text_list("options")
        if options is None or answers is None:
            return None
        if len(options) < 2:
            f.error("options", "needs at least 2 options")
            return None
        if len(options) > 9:
            f.error("options", "has more than 9 options")
            return None
        missing = [a for a in answers if a not in options]
        if missing:
            f.error("answer", f"answer {quoted(missing[0])} is not one of its options")
            return None
        return options

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        return _shuffled(self.options, rng)


@dataclass(frozen=True)
class ChoiceQuestion(OptionsQuestion):
    """One right option among several."""

    type_name: ClassVar[str] = "choice"
    input_hint: ClassVar[str] = "the number of your choice"
    answer: str = ""

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        answer = f.text("answer")
        options = cls.read_options(f, None if answer is None else [answer])
        if options is None or answer is None:
            return None
        return {"options": options, "answer": answer}

    def parse_response(self, line: str, shown: tuple[str, ...]) -> str:
        """The option numbered ``line``, or the one whose text it is."""
        return shown[_option_named(line, shown)]

    def grade(self, response: Response) -> bool:
        return response == self.answer

    def answer_text(self) -> str:
        return self.answer

    def highlight_phrases(self) -> tuple[str, ...]:
        return (self.answer,)

    def answer_phrases(self) -> tuple[str, ...]:
        return (self.answer,)

    def export_answer(self) -> dict[str, Any]:
        return {"options": list(self.options), "answer": self.answer}


@dataclass(frozen=True)
class MultiQuestion(OptionsQuestion):
    """Select every option that applies."""

    type_name: ClassVar[str] = "multi"
    input_hint: ClassVar[str] = "the numbers of every right option, such as 1 3"
    answer: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        answer = f.text_list("answer")
        if answer is not None and not answer:
            f.error("answer", "needs at least one right option")
            return None
        options = cls.read_options(f, answer)
        if options is None or answer is None:
            return None
        return {"options": options, "answer": frozenset(answer)}

    def parse_response(self, line: str, shown: tuple[str, ...]) -> frozenset[str]:
        """The options numbered in ``line`` ("1 3"), or written out, separated by ";"."""
        parts = [p for p in re.split(r"[\s,;]+", line.strip()) if p]
        if not parts:
            raise ValueError("type the numbers of every right option, such as 1 3")
        if all(p.isdigit() for p in parts):
            return frozenset(shown[_option_index(p, len(shown))] for p in parts)
        return frozenset(shown[_option_named(p, shown)] for p in line.split(";") if p.strip())

    def grade(self, response: Response) -> bool:
        return isinstance(response, (set, frozenset, tuple, list)) and frozenset(response) == self.answer

    def ordered_answer(self) -> list[str]:
        return [o for o in self.options if o in self.answer]

    def answer_text(self) -> str:
        return "; ".join(self.ordered_answer())

    def response_text(self, response: Response) -> str:
        if not isinstance(response, (set, frozenset, tuple, list)):
            return ""
        return "; ".join(o for o in self.options if o in response)

    def highlight_phrases(self) -> tuple[str, ...]:
        return tuple(self.ordered_answer())

    def answer_phrases(self) -> tuple[str, ...]:
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

    def grade(self, response: Response) -> bool:
        return response is self.answer

    def answer_text(self) -> str:
        return "True" if self.answer else "False"

    def response_text(self, response: Response) -> str:
        if response is None:
            return ""
        return "True" if response else "False"

    def answer_phrases(self) -> tuple[str, ...]:
        return ()  # true or false tells nothing on its own

    def export_answer(self) -> dict[str, Any]:
        return {"answer": self.answer}


@dataclass(frozen=True)
class TypedQuestion(Question):
    """A free answer, matched loosely against the answer and its variants."""

    type_name: ClassVar[str] = "typed"
    input_hint: ClassVar[str] = "your answer"
    overridable: ClassVar[bool] = True
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

    def grade(self, response: Response) -> bool:
        if not isinstance(response, str):
            return False
        return answers_match(response, (self.answer, *self.accept)) or self._single_name(response)

    def assess(self, response: Response, *, exact_spelling: bool = False) -> Grade:
        """Right when it folds to an accepted answer; with a one-letter slip in a long one, right but close.

        For a question about a person (tagged who or whom, or asking "Who"), the family name or
        surname alone is right where the cited passage calls them by it alone (see
        :func:`~nkstudy.core.questions.fold.single_names`).
        """
        if not isinstance(response, str):
            return Grade(False, expected=None)
        match = match_typed(response, (self.answer, *self.accept), allow_slip=not exact_spelling)
        if not match.correct and self._single_name(response):
            return Grade(True, False, self.answer)
        return Grade(match.correct, match.close, match.nearest)

    def _single_name(self, response: str) -> bool:
        """True when ``response`` is the one-word name the excerpt uses for the person who is the answer."""
        asks_who = bool({"who", "whom"} & set(self.tags)) or self.prompt.lstrip().lower().startswith(("who ", "whom "))
        if not asks_who or not self.excerpt:
            return False
        folded = fold_answer(response)
        return bool(folded) and folded in single_names((self.answer, *self.accept), self.excerpt, self.prompt)

    def answer_text(self) -> str:
        return self.answer

    def highlight_phrases(self) -> tuple[str, ...]:
        return (self.answer, *self.accept)

    def answer_phrases(self) -> tuple[str, ...]:
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

    def hint_for(self, shown: tuple[str, ...]) -> str:
        """The numbers in order, with an example of as many numbers as there are items (``2 1`` for two)."""
        count = len(shown) or len(self.answer)
        if count < 2:
            return self.input_hint
        example = " ".join(str(n) for n in (count, *range(1, count)))
        return f"the numbers in order, earliest first, such as {example}"

    def parse_response(self, line: str, shown: tuple[str, ...]) -> tuple[str, ...]:
        parts = [p for p in re.split(r"[\s,;]+", line.strip()) if p]
        if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == len(shown):
            parts = list(parts[0])
        indexes = [_option_index(p, len(shown)) for p in parts]
        if sorted(indexes) != list(range(len(shown))):
            raise ValueError(f"use each number from 1 to {len(shown)} exactly once")
        return tuple(shown[i] for i in indexes)

    def grade(self, response: Response) -> bool:
        return isinstance(response, (tuple, list)) and tuple(response) == self.answer

    def answer_text(self) -> str:
        return " → ".join(self.answer)

    def answer_phrases(self) -> tuple[str, ...]:
        return (self.answer_text(),)  # the items in their order: shown apart, they tell nothing

    def response_text(self, response: Response) -> str:
        if not isinstance(response, (tuple, list)):
            return ""
        return " → ".join(item for item in response if isinstance(item, str))

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
        CardQuestion,
        MatchQuestion,
    )
}
