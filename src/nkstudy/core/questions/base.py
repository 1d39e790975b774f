"""The question base class: the fields every question type shares and the protocol each type fills in.

The types themselves are in :mod:`nkstudy.core.questions.types`; the loader, the
grader, the exporters, the plain quiz and the app all go through this protocol.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from nkstudy.core.packs.fields import Fields
from nkstudy.core.questions.fold import fold_answer

#: the tags of the built-in pack (who, whom, ...); any pack may use others that follow the tag rule
TAGS = ("who", "whom", "where", "when", "why", "context")
#: the tag rule: lowercase ASCII letters, digits, '-', '_' and '.', starting with a letter or a digit
#: (the characters a drill code and a --tag filter carry as they are), at most MAX_TAG_LENGTH long
TAG_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
MAX_TAG_LENGTH = 64
TAG_RULE = (
    f"a tag holds lowercase letters a-z, digits, '-', '_' and '.', starts with a letter or a digit, "
    f"and has at most {MAX_TAG_LENGTH} characters (such as 'who' or 'geo.europe')"
)
_TAG_RE = re.compile(TAG_PATTERN)


def is_tag(text: str) -> bool:
    """True when ``text`` follows the tag rule."""
    return len(text) <= MAX_TAG_LENGTH and _TAG_RE.fullmatch(text) is not None

DIFFICULTIES = ("easy", "medium", "hard")

#: what a learner's answer is, by type: an option (choice), options (multi), a verdict (truefalse),
#: text (typed, cloze), an order (order), (left, right) pairs (match); None means "don't know"
Response = str | bool | frozenset[str] | tuple[str, ...] | tuple[tuple[str, str], ...] | None


@dataclass(frozen=True)
class Grade:
    """What grading an answer found."""

    correct: bool
    close: bool = False  # right, with a one-letter slip (typed answers): rated Hard by default
    expected: str | None = None  # the accepted answer a typed response is nearest to (to show what differs)


@dataclass(frozen=True)
class Question:
    """Fields shared by every question type.  Subclasses add their answer."""

    type_name: ClassVar[str] = ""
    #: how the plain-text quiz asks for an answer
    input_hint: ClassVar[str] = ""
    #: True when the learner grades themself (a flashcard): the session shows the
    #: answer first and then allows every rating, Again to Easy
    self_graded: ClassVar[bool] = False
    #: True when a wrong answer may be overridden by the learner ("I was right"): the answer
    #: was typed, so the grader may have missed a right spelling of it
    overridable: ClassVar[bool] = False

    id: str
    prompt: str
    source: str | None = None  # None: the question cites no source (imported and custom packs)
    excerpt: str | None = None
    explanation: str | None = None
    tags: tuple[str, ...] = ()
    difficulty: str = "medium"
    event: str | None = None
    #: ids of questions in the same pack that give this one away (or that it gives away):
    #: a session keeps them apart, as it does questions on one event or one passage
    related: tuple[str, ...] = ()
    #: images and sounds the question shows, each ``media/NAME`` inside the pack (:mod:`nkstudy.core.media`)
    media: tuple[str, ...] = ()

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

    def option_lines(self, shown: tuple[str, ...]) -> list[str]:
        """The options as the plain quiz lists them, one line each (``1. Dalian``)."""
        return [f"{number}. {option}" for number, option in enumerate(shown, start=1)]

    def hint_for(self, shown: tuple[str, ...]) -> str:
        """How to answer, for these shown choices (the example fits their number); else :attr:`input_hint`."""
        return self.input_hint

    def parse_response(self, line: str, shown: tuple[str, ...]) -> Response:
        """Turn one line of plain text into a response, or raise ValueError."""
        raise NotImplementedError

    # -- grading -------------------------------------------------------
    def grade(self, response: Response) -> bool:
        raise NotImplementedError

    def assess(self, response: Response, *, exact_spelling: bool = False) -> Grade:
        """Grade ``response`` with the details the feedback shows (types with typed answers add some).

        ``exact_spelling`` turns off the forgiving of a one-letter slip.
        """
        try:
            return Grade(bool(self.grade(response)))
        except (TypeError, ValueError, AttributeError):
            return Grade(False)

    def answer_text(self) -> str:
        """The right answer as one line of text."""
        raise NotImplementedError

    def response_text(self, response: Response) -> str:
        """A response as one line of text, for the review log."""
        if response is None:
            return ""
        return str(response)

    def highlight_phrases(self) -> tuple[str, ...]:
        """Parts of the answer worth highlighting inside the excerpt."""
        return ()

    def answer_phrases(self) -> tuple[str, ...]:
        """The texts that, shown by another question, give this one's answer away (the
        give-away graph, :mod:`nkstudy.core.packs.giveaways`); empty when no text does.

        By default the answer as feedback shows it; a type whose answer has several
        forms (accepted spellings, several right options) lists each."""
        return (self.answer_text(),)

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
        if self.related:
            out["related"] = list(self.related)
        if self.media:
            out["media"] = list(self.media)
        return out


COMMON_FIELDS = {
    "id", "type", "prompt", "source", "excerpt", "explanation", "tags", "difficulty", "event", "related",
    "media",
}


def _option_index(line: str, count: int) -> int:
    text = line.strip()
    if not text.isdigit():
        raise ValueError(f"type the number of an option, 1 to {count}")
    index = int(text)
    if not 1 <= index <= count:
        raise ValueError(f"there is no option {index}; choose 1 to {count}")
    return index - 1


def _option_named(line: str, shown: tuple[str, ...]) -> int:
    """The index in ``shown`` of the option numbered ``line`` (1 to n) or written out in full:
    its exact text, compared folded (case, accents, punctuation and spacing ignored).

    A number within range is always the option's number, so an option that is itself a
    number ("2018") is typed as its number or, when no number is that big, as its text.
    """
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(shown):
        return int(text) - 1
    folded = fold_answer(text)
    if folded:
        hits = [i for i, option in enumerate(shown) if fold_answer(option) == folded]
        if len(hits) == 1:
            return hits[0]
    if text.isdigit():
        return _option_index(text, len(shown))
    raise ValueError(f"type the number of an option, 1 to {len(shown)}, or its exact text")


def _shuffled(items: tuple[str, ...], rng: random.Random | None) -> tuple[str, ...]:
    if rng is None:
        return items
    out = list(items)
    rng.shuffle(out)
    return tuple(out)
