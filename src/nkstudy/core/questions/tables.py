"""Tables keyed by question class: how each consumer looks up what it does for a type.

A consumer that treats question types differently (an exporter, the worksheet, the
drill's distractor analysis, the JSON Schema, the app's answer widgets) keeps one
``dict`` from question class to its entry, and finds a question's entry with
:func:`for_type`, which walks the class's MRO: a subclass (``ClozeQuestion`` is a
``TypedQuestion``) uses its nearest registered base unless it has an entry of its own.

A consumer that cannot hold a type says so in its table with an :class:`Unsupported`
entry, whose reason is what the user is shown; nothing is left out in silence.  A
test walks every table against :data:`~nkstudy.core.questions.types.QUESTION_TYPES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Unsupported:
    """A table entry for a type the consumer cannot hold, with the reason the user is shown.

    ``{type}`` in the reason becomes the question's type name (``GIFT has no {type} type``).
    """

    reason: str

    def why(self, cls: type) -> str:
        return self.reason.replace("{type}", str(getattr(cls, "type_name", "") or cls.__name__))

    def skipped(self, question: object) -> str:
        """The line an exporter gives for ``question`` (a question of a type it cannot hold), left out."""
        return f"skipped question '{getattr(question, 'id', '?')}': {self.why(type(question))}"


def lookup(table: Mapping[type, T], cls: type) -> T | None:
    """The entry for ``cls`` in ``table``: its own, else its nearest base's through the MRO; None when none."""
    for base in cls.__mro__:
        if base in table:
            return table[base]
    return None


def for_type(table: Mapping[type, T], cls: type) -> T:
    """The entry for ``cls`` (see :func:`lookup`); LookupError when the table has none for it."""
    entry = lookup(table, cls)
    if entry is None:
        raise LookupError(f"no entry for question type {cls.__name__}")
    return entry


def unhandled(table: Mapping[type, object], types: Iterable[type]) -> list[type]:
    """The ``types`` that ``table`` neither handles nor declares :class:`Unsupported` (for the tests)."""
    return [cls for cls in types if lookup(table, cls) is None]


__all__ = ["Unsupported", "for_type", "lookup", "unhandled"]
