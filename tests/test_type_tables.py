"""Every per-type table handles each question type or declares it unsupported, with a reason.

A table is keyed by question class and looked up through the MRO (``for_type``); a type a
table forgets fails here at once instead of being skipped in silence somewhere else.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import pytest

import classkit
from nkstudy.classroom.worksheet import PAPER
from nkstudy.core.classroom.drill import PICKED
from nkstudy.core.model import QUESTION_TYPES, ClozeQuestion, Question, TypedQuestion
from nkstudy.core.questions import Unsupported, for_type, lookup, unhandled
from nkstudy.formats.registry import FORMATS
from nkstudy.formats.schema import OWN
from nkstudy.tui.widgets.answers import ANSWER_WIDGETS


def _tui_helpers() -> ModuleType:
    if "tui_helpers" in sys.modules:
        return sys.modules["tui_helpers"]
    spec = importlib.util.spec_from_file_location("tui_helpers", Path(__file__).parent / "tui" / "tui_helpers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tui_helpers"] = module
    spec.loader.exec_module(module)
    return module


def tables() -> dict[str, Mapping[type, object]]:
    helpers = _tui_helpers()
    # every exporter's table, from the format registry (a format without one holds every type)
    exporters = {f"format {f.name}": f.types() for f in FORMATS if f.types is not None}
    return {
        **exporters,
        "tui.widgets.answers.ANSWER_WIDGETS": ANSWER_WIDGETS,
        "formats.schema.OWN": OWN,
        "core.classroom.drill.PICKED": PICKED,
        "classroom.worksheet.PAPER": PAPER,
        "tests/classkit.py RIGHT_LINE": classkit.RIGHT_LINE,
        "tests/classkit.py RIGHT_KEYS": classkit.RIGHT_KEYS,
        "tests/tui/tui_helpers.py RIGHT_KEYS": helpers.RIGHT_KEYS,
        "tests/tui/tui_helpers.py WRONG_KEYS": helpers.WRONG_KEYS,
    }


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
