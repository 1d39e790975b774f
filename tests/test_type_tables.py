"""Every per-type table handles each question type or declares it unsupported, with a reason.

A table is keyed by question class and looked up through the MRO (``for_type``); a type a
table forgets fails here at once instead of being skipped in silence somewhere else.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from nkstudy.core.model import QUESTION_TYPES, ClozeQuestion, Question, TypedQuestion
from nkstudy.core.questions import Unsupported, for_type, lookup, unhandled
from typekit import tables

SRC = Path(__file__).resolve().parents[1] / "src" / "nkstudy"


@pytest.mark.parametrize("name", list(tables()))
def test_every_type_is_handled_or_declared_unsupported(name: str) -> None:
    table = tables()[name]
    assert unhandled(table, QUESTION_TYPES.values()) == [], f"{name} neither handles nor declares these types"
    # no catch-all: an entry for the base class would take in a new type without anyone deciding
    assert Question not in table, name
    # no stale entries: every key is a registered type or a base of one
    known = {base for cls in QUESTION_TYPES.values() for base in cls.__mro__}
    assert set(table) <= known, name
    for cls in QUESTION_TYPES.values():
        entry = for_type(table, cls)
        if isinstance(entry, Unsupported):
            assert entry.why(cls).strip() and "{type}" not in entry.why(cls), (name, cls)
        else:
            assert callable(entry) or not isinstance(entry, str), (name, cls)


def test_lookup_walks_the_mro() -> None:
    table: dict[type, str] = {TypedQuestion: "typed"}
    assert for_type(table, ClozeQuestion) == "typed"  # a cloze question is a typed one
    assert for_type({**table, ClozeQuestion: "cloze"}, ClozeQuestion) == "cloze"
    assert lookup(table, QUESTION_TYPES["choice"]) is None
    with pytest.raises(LookupError):
        for_type(table, QUESTION_TYPES["choice"])
    assert Unsupported("GIFT has no {type} type").why(QUESTION_TYPES["order"]) == "GIFT has no order type"


def test_the_walk_knows_every_table_in_the_source() -> None:
    """Every ``NAME: dict[type[Question], ...]`` in src/ is walked (exporters' through the format registry)."""
    walked = {id(t) for t in tables().values()}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for name in re.findall(r"^([A-Z_]+): dict\[type\[Question\],", path.read_text(encoding="utf-8"), re.M):
            module = ".".join(("nkstudy", *path.relative_to(SRC).with_suffix("").parts))
            found.append(name)
            assert id(getattr(importlib.import_module(module), name)) in walked, f"{module}.{name} is not walked"
    assert len(found) >= 9  # the scan sees the tables (GIFT, PAPER, ANSWER_WIDGETS, ...)
