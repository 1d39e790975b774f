"""What a student answered, kept raw, and the marks given from it: never from a stored mark.

A drill result keeps its **raw response** as a small JSON value, wrapped so that
"nothing kept" (an older result) differs from "no answer"::

    {"value": V}        the response: text (choice, typed, cloze), true/false (truefalse,
                        card), a list of options (multi, picked; order, in the order given),
                        a list of [left, right] pairs (match); null for don't know or time up
    {"unparsed": TEXT}  typed text that was not understood (answered, wrong)

:func:`mark` grades a result against a question with the question's own
``grade``.  The response is read back through :data:`READERS`, one entry per
question class.  A result written before responses were kept has only its
answer text and picked options; :data:`FROM_TEXT` reads the response back from
those.  The result's stored ``correct`` is never used.

Pure: no Textual, no Rich, no SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from nkstudy.core.questions.base import Question, Response
from nkstudy.core.questions.cards import CardQuestion, MatchQuestion
from nkstudy.core.questions.tables import for_type
from nkstudy.core.questions.types import (
    ChoiceQuestion,
    ClozeQuestion,
    MultiQuestion,
    OrderQuestion,
    TrueFalseQuestion,
    TypedQuestion,
)


class Kept(Protocol):
    """What a drill result keeps of an answer (:class:`~nkstudy.core.classroom.drill.DrillResult` has it)."""

    @property
    def response(self) -> str | None: ...
    @property
    def answer(self) -> str: ...
    @property
    def picked(self) -> tuple[str, ...] | None: ...
    @property
    def answered(self) -> bool: ...

MAX_RESPONSE_CHARS = 20_000


def encode(response: Response, unparsed: str | None = None) -> str:
    """The raw response as the JSON text a result keeps."""
    if unparsed is not None:
        return json.dumps({"unparsed": unparsed}, ensure_ascii=False)
    return json.dumps({"value": _plain(response)}, ensure_ascii=False)


def _plain(response: Response) -> Any:
    if isinstance(response, (set, frozenset)):
        return sorted(str(r) for r in response)
    if isinstance(response, (tuple, list)):
        return [_plain(r) for r in response]
    if response is None or isinstance(response, (str, bool, int, float)):
        return response
    return str(response)


# -- reading a response back, by question class ------------------------------------
def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of texts")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not true or false")
    return value


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value):
        raise ValueError("not a list of pairs")
    return tuple((p[0], p[1]) for p in value)


Reader = Callable[[Any], Response]

#: the raw JSON value back to the question's own response type
READERS: dict[type[Question], Reader] = {
    ChoiceQuestion: _text,
    MultiQuestion: lambda v: frozenset(_texts(v)),
    TrueFalseQuestion: _flag,
    TypedQuestion: _text,
    ClozeQuestion: _text,
    OrderQuestion: lambda v: tuple(_texts(v)),
    CardQuestion: _flag,
    MatchQuestion: _pairs,
}


def _tf_text(answer: str, picked: tuple[str, ...] | None) -> Response:
    if answer in ("True", "False"):
        return answer == "True"
    raise ValueError("not True or False")


def _match_text(answer: str, picked: tuple[str, ...] | None) -> Response:
    pairs = []
    for part in answer.split("; "):
        left, arrow, right = part.partition(" → ")
        if not arrow:
            raise ValueError("not pairs")
        pairs.append((left, right))
    return tuple(pairs)


FromText = Callable[[str, "tuple[str, ...] | None"], Response]

#: a result kept before raw responses (answer text and picked options) back to a response
FROM_TEXT: dict[type[Question], FromText] = {
    ChoiceQuestion: lambda answer, picked: picked[0] if picked else answer,
    MultiQuestion: lambda answer, picked: frozenset(picked or ()),
    TrueFalseQuestion: _tf_text,
    TypedQuestion: lambda answer, picked: answer,
    ClozeQuestion: lambda answer, picked: answer,
    OrderQuestion: lambda answer, picked: tuple(answer.split(" → ")),
    CardQuestion: lambda answer, picked: answer == "knew it",
    MatchQuestion: _match_text,
}



@dataclass(frozen=True)
class Mark:
    """A result marked from its response: ``correct``, and what the student answered, as text."""

    correct: bool
    answer: str
    kept: bool  # False: an older result with no raw response; marked from its answer text


def response_of(question: Question, result: Kept) -> tuple[Response, str | None, bool]:
    """(response, unparsed text or None, whether a raw response was kept) of ``result`` to ``question``.

    ValueError when what is kept cannot be a response to this question.
    """
    if result.response is None:
        if not result.answered or not result.answer:
            return None, None, False
        return for_type(FROM_TEXT, type(question))(result.answer, result.picked), None, False
    if len(result.response) > MAX_RESPONSE_CHARS:
        raise ValueError("the response is too long")
    try:
        data = json.loads(result.response)
    except (ValueError, RecursionError):
        raise ValueError("the response is not JSON") from None
    if isinstance(data, dict) and set(data) == {"unparsed"} and isinstance(data["unparsed"], str):
        return None, data["unparsed"], True
    if not isinstance(data, dict) or set(data) != {"value"}:
        raise ValueError('the response is not {"value": ...}')
    if data["value"] is None:
        return None, None, True
    return for_type(READERS, type(question))(data["value"]), None, True


def mark(question: Question, result: Kept) -> Mark:
    """Grade ``result`` from its response with ``question``'s own rule (a response it cannot read is wrong)."""
    try:
        response, unparsed, kept = response_of(question, result)
    except (ValueError, LookupError):
        return Mark(False, result.answer, result.response is not None)
    if unparsed is not None:
        return Mark(False, unparsed, kept)
    if response is None:
        return Mark(False, "", kept)
    try:
        right = bool(question.grade(response))
    except (TypeError, ValueError, AttributeError):
        right = False
    return Mark(right, question.response_text(response), kept)


__all__ = ["FROM_TEXT", "READERS", "Mark", "encode", "mark", "response_of"]
