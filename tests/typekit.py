"""Every per-type table in one list, and registering a question type the way docs/architecture.md says.

A table is a ``dict`` keyed by question class (see ``nkstudy.core.questions.tables``).  The
exporters' tables come from the format registry; the others are named here, and a test holds
this list to every ``dict[type[Question], ...]`` declared in the source.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import classkit
from nkstudy.classroom.worksheet import PAPER
from nkstudy.core.classroom.drill import PICKED
from nkstudy.core.classroom.responses import FROM_TEXT, READERS
from nkstudy.core.model import QUESTION_TYPES, Question
from nkstudy.formats.registry import FORMATS
from nkstudy.formats.schema import OWN
from nkstudy.tui.widgets.answers import ANSWER_WIDGETS


def _tui_helpers() -> ModuleType:
    """tests/tui/tui_helpers.py (on sys.path only while tests/tui is collected)."""
    if "tui_helpers" not in sys.modules:
        spec = importlib.util.spec_from_file_location("tui_helpers", Path(__file__).parent / "tui" / "tui_helpers.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["tui_helpers"] = module
        spec.loader.exec_module(module)
    return sys.modules["tui_helpers"]


def tables() -> dict[str, dict[type[Question], Any]]:
    """Every table keyed by question class: name → table (the exporters' under ``format NAME``)."""
    helpers = _tui_helpers()
    exporters = {f"format {f.name}": f.types() for f in FORMATS if f.types is not None}
    return {
        **exporters,
        "ANSWER_WIDGETS": ANSWER_WIDGETS,
        "OWN": OWN,
        "PICKED": PICKED,
        "READERS": READERS,
        "FROM_TEXT": FROM_TEXT,
        "PAPER": PAPER,
        "classkit.RIGHT_LINE": classkit.RIGHT_LINE,
        "classkit.RIGHT_KEYS": classkit.RIGHT_KEYS,
        "tui_helpers.RIGHT_KEYS": helpers.RIGHT_KEYS,
        "tui_helpers.WRONG_KEYS": helpers.WRONG_KEYS,
    }


@contextmanager
def registered(cls: type[Question], entries: Mapping[str, object]) -> Iterator[None]:
    """``cls`` in QUESTION_TYPES and one entry in every table (by the names of :func:`tables`), then gone.

    Every table must get an entry: that is the recipe (docs/architecture.md, "A question type").
    """
    every = tables()
    missing = sorted(set(every) - set(entries))
    assert not missing, f"the recipe needs an entry in every table; none given for {missing}"
    assert cls.type_name not in QUESTION_TYPES
    QUESTION_TYPES[cls.type_name] = cls
    for name, table in every.items():
        table[cls] = entries[name]
    try:
        yield
    finally:
        del QUESTION_TYPES[cls.type_name]
        for table in every.values():
            table.pop(cls, None)
