"""A toy question type that lives only in the test suite, and its entry for every per-type table.

Registered with ``typekit.registered(YearQuestion, ENTRIES)``, the way docs/architecture.md
says a type is added (its class, its widget, one entry per table).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from nkstudy.core.model import Pack, Question
from nkstudy.core.packs.fields import Fields
from nkstudy.core.questions import Unsupported
from nkstudy.formats.common import citation
from nkstudy.formats.schema import Shape
from nkstudy.tui.widgets.answers import TypedAnswer


@dataclass(frozen=True)
class YearQuestion(Question):
    """A toy type: the answer is a year, typed as four digits."""

    type_name: ClassVar[str] = "year"
    input_hint: ClassVar[str] = "a year, like 2018"
    answer: str = ""

    @classmethod
    def own_fields(cls) -> set[str]:
        return {"answer"}

    @classmethod
    def read(cls, f: Fields) -> dict[str, Any] | None:
        answer = f.text("answer")
        if answer is None:
            return None
        if not (answer.isdigit() and len(answer) == 4):
            f.error("answer", "a year is four digits, like 2018")
            return None
        return {"answer": answer}

    def parse_response(self, line: str, shown: tuple[str, ...]) -> str:
        text = line.strip()
        if not text.isdigit():
            raise ValueError("type a year, like 2018")
        return text

    def grade(self, response: Any) -> bool:
        return response == self.answer

    def answer_text(self) -> str:
        return self.answer

    def choices(self, rng: random.Random | None = None) -> tuple[str, ...]:
        return ()

    def export_answer(self) -> dict[str, Any]:
        return {"answer": self.answer}


GIFT_SAYS = "GIFT has no {type} type"
MOODLE_SAYS = "Moodle XML export has no {type} type here"
AIKEN_SAYS = "Aiken holds only single-answer multiple choice, not {type}"
PAPER_SAYS = "a worksheet has no layout for {type} questions yet"


def _row(q: YearQuestion, pack: Pack) -> list[str]:
    return [q.prompt, q.answer, citation(q, pack)]


def _note(q: YearQuestion, extra: str) -> tuple[str, list[str]]:
    return "card", [q.prompt, q.answer, extra]


#: one entry per table, by typekit's names: handled, or declared unsupported with the reason
ENTRIES: dict[str, object] = {
    "format apkg": _note,
    "format moodlexml": Unsupported(MOODLE_SAYS),
    "format aiken": Unsupported(AIKEN_SAYS),
    "format gift": Unsupported(GIFT_SAYS),
    "format tsv": _row,
    "format csv": _row,  # tsv, csv and quizlet share one table
    "format quizlet": _row,
    "ANSWER_WIDGETS": TypedAnswer,
    "OWN": Shape({"answer": {"type": "string", "pattern": r"^\d{4}$"}}),
    "PICKED": lambda q, response: None,
    "READERS": lambda value: str(value),
    "FROM_TEXT": lambda answer, picked: answer,
    "PAPER": Unsupported(PAPER_SAYS),
    "classkit.RIGHT_LINE": lambda item, q: q.answer,
    "classkit.RIGHT_KEYS": lambda item, q: [*q.answer, "enter"],
    "tui_helpers.RIGHT_KEYS": lambda item, q: [*q.answer, "enter"],
    "tui_helpers.WRONG_KEYS": lambda item, q: [*"1066", "enter"],
}
