"""The fast writer of imported questions: every value loads back exactly as it was."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nkstudy.core.packs.safeyaml import load_yaml
from nkstudy.formats.yamlout import list_item, text

TRICKY = [
    "yes", "No", "on", "null", "~", "true", "1.10", "0x1F", "2024-04-13", "12:30", ".inf", "-", "- a", "? x",
    "a: b", "a #b", "a:", "trailing ", " leading", "#hash", "quote 'x'", '"q"', "[x]", "{x}", "a, b", "*star",
    "&anchor", "!tag", "|pipe", ">fold", "%pct", "@at", "`tick", "line\nbreak", "tab\there", "é ü 中文 🙂",
    "back\\slash", "\u2028sep", "\ufeffbom", "...", "---", "a ---", "\u00a0nbsp",
]


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return str(x) if isinstance(x, str) else x


def _round_trip(entry: dict[str, Any]) -> Any:
    doc = "questions:\n" + list_item(entry)
    return _plain(load_yaml(doc.encode("utf-8")))["questions"][0]


def test_tricky_texts_load_back_exactly() -> None:
    for value in TRICKY:
        pairs = [[value, "b"], ["c", value]]
        entry = {"id": "q", "prompt": value, "tags": [value, "x"], "pairs": pairs, "answer": True}
        assert _round_trip(entry) == entry, (value, text(value))


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.lists(_TEXT, max_size=4), st.booleans())
def test_any_text_loads_back_exactly(value: str, items: list[str], flag: bool) -> None:
    entry = {"prompt": value, "accept": items, "answer": flag, "back": value + "\n" + value}
    assert _round_trip(entry) == entry
