"""GIFT: our parser agrees with the reference parser's expected output (GIFT-grammar-PEG.js)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from formatkit import interop_dir

from nkstudy.formats import gift

_DIR = interop_dir()
CASES = sorted(p.stem for p in (_DIR / "gift").glob("*.gift")) if _DIR else ["(interop files absent)"]


def _flat(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _text(t: Any) -> str | None:
    return None if t is None else (_flat(t["text"] if isinstance(t, dict) else t) or None)


def _ours_text(t: gift.Text | None) -> str | None:
    return None if t is None or not t.text else _flat(t.text)


def _number(n: tuple[str, ...] | None) -> Any:
    if n is None:
        return None
    if n[0] == "simple":
        return {"type": "simple", "number": float(n[1])}
    if n[0] == "range":
        return {"type": "range", "number": float(n[1]), "range": float(n[2])}
    return {"type": "high-low", "numberLow": float(n[1]), "numberHigh": float(n[2])}


def _theirs_number(d: dict[str, Any]) -> Any:
    out = {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in d.items()}
    return out


def _compare(ours: gift.GiftItem, theirs: dict[str, Any]) -> None:
    assert ours.type == theirs["type"]
    if ours.type == "Category":
        assert ours.title == theirs["title"]
        return
    assert ours.title == theirs.get("title")
    stem = theirs.get("stem") or theirs.get("formattedStem")
    assert _ours_text(ours.stem) == _text(stem)
    assert ours.stem is not None and ours.stem.format == stem["format"]
    assert ours.embedded == theirs["hasEmbeddedAnswers"]
    if "id" in theirs:
        assert ours.id == theirs["id"]
    if theirs.get("tags") is not None:
        assert ours.tags == theirs["tags"]
    if ours.type in ("Description", "Essay"):
        return
    assert _ours_text(ours.general_feedback) == _text(theirs.get("globalFeedback"))
    if ours.type == "TF":
        assert ours.is_true == theirs["isTrue"]
        assert _ours_text(ours.true_feedback) == _text(theirs.get("trueFeedback"))
        assert _ours_text(ours.false_feedback) == _text(theirs.get("falseFeedback"))
    elif ours.type == "Matching":
        pairs = [(_ours_text(left), _flat(right)) for left, right in ours.pairs]
        assert pairs == [(_text(p["subquestion"]), _flat(p["subanswer"])) for p in theirs["matchPairs"]]
    elif ours.type == "Numerical" and isinstance(theirs["choices"], dict):
        assert len(ours.choices) == 1
        assert _number(ours.choices[0].number) == _theirs_number(theirs["choices"])
    else:
        assert len(ours.choices) == len(theirs["choices"])
        for mine, their in zip(ours.choices, theirs["choices"], strict=True):
            assert mine.correct == their["isCorrect"]
            assert mine.weight == (None if their["weight"] is None else float(their["weight"]))
            assert _ours_text(mine.feedback) == _text(their["feedback"])
            if mine.feedback is not None and isinstance(their["feedback"], dict):
                assert mine.feedback.format == their["feedback"]["format"]
            if mine.number is not None:
                assert _number(mine.number) == _theirs_number(their["text"])
            elif "type" in (their["text"] or {}):
                raise AssertionError(f"expected a number, got {mine.text}")
            else:
                assert _ours_text(mine.text) == _text(their["text"])


@pytest.mark.parametrize("name", CASES)
def test_gift_parse_agrees_with_pegjs(interop: Path, name: str) -> None:
    source = interop / "gift" / f"{name}.gift"
    expected = json.loads((interop / "gift" / f"{name}.json").read_text(encoding="utf-8"))
    if isinstance(expected, dict):
        expected = [expected]
    items = gift.parse(source.read_text(encoding="utf-8").replace("\r\n", "\n"))
    # the reference parser leaves a numeric '~' answer without a number as text '*'
    assert len(items) == len(expected)
    for ours, theirs in zip(items, expected, strict=True):
        if ours.type == "Numerical" and isinstance(theirs.get("choices"), list):
            theirs = dict(theirs)
            theirs["choices"] = [
                c for c in theirs["choices"] if not (isinstance(c["text"], dict) and c["text"].get("text") == "*")
            ]
            ours.choices = [c for c in ours.choices if c.number is not None]
        _compare(ours, theirs)
