"""The card and match question types, read through the real loader."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from nkstudy.core.model import CardQuestion, MatchQuestion, Question
from nkstudy.core.packs.loader import load_pack

ARTICLE = "Canada's capital is Ottawa. Italy's capital is Rome. Japan's capital is Tokyo.\n"


def _pack(tmp_path: Path, questions: str) -> Path:
    folder = tmp_path / "p"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    head = textwrap.dedent(
        """\
        id: p
        title: P
        version: "1"
        description: d
        language: en
        sources:
          - {id: a, file: sources/a.txt, title: A, outlet: O, published: "2024"}
        questions:
        """
    )
    (folder / "pack.yaml").write_text(head + textwrap.indent(textwrap.dedent(questions), "  "), encoding="utf-8")
    return folder


GOOD = """\
- id: c1
  type: card
  prompt: Capital of Canada
  back: Ottawa
  source: a
  excerpt: Canada's capital is Ottawa.
- id: m1
  type: match
  prompt: Match each country with its capital.
  pairs:
    - [Canada, Ottawa]
    - [Italy, Rome]
    - [Japan, Tokyo]
  source: a
  excerpt: Italy's capital is Rome.
"""


def test_card_and_match_load_grade_and_export(tmp_path: Path) -> None:
    result = load_pack(_pack(tmp_path, GOOD))
    assert result.ok, [p.format() for p in result.problems]
    assert result.pack is not None
    card = result.pack.question("c1")
    match = result.pack.question("m1")
    assert isinstance(card, CardQuestion) and isinstance(match, MatchQuestion)
    assert card.self_graded and not match.self_graded and not Question.self_graded
    assert card.parse_response("y", ()) is True and card.parse_response("N", ()) is False
    assert card.grade(True) and not card.grade(False)
    with pytest.raises(ValueError):
        card.parse_response("maybe", ())
    assert card.to_export()["answer"] == "Ottawa"

    shown = match.choices(random.Random(3))
    assert sorted(shown) == sorted(match.rights()) and shown != match.rights()
    line = " ".join(f"{i + 1}{'abc'[shown.index(right)]}" for i, (_, right) in enumerate(match.pairs))
    response = match.parse_response(line, shown)
    assert match.grade(response)
    letters = "".join("abc"[shown.index(right)] for _, right in match.pairs)
    assert match.parse_response(letters, shown) == response
    wrong = match.parse_response("1a 2b 3c", shown)
    assert wrong != response and not match.grade(wrong)
    for bad in ("1a 1b 2c", "1a 2b", "1z 2a 3b", "4a 1b 2c"):
        with pytest.raises(ValueError):
            match.parse_response(bad, shown)
    out = match.to_export()
    assert out["pairs"] == [["Canada", "Ottawa"], ["Italy", "Rome"], ["Japan", "Tokyo"]]
    assert match.answer_text() == "Canada → Ottawa; Italy → Rome; Japan → Tokyo"


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ("[[Canada, Ottawa]]", "2 to 8 pairs"),
        ("[[Canada, Ottawa], [Italy]]", "two texts"),
        ("[[Canada, Ottawa], [Canada, Rome]]", "same left item"),
        ("[[Canada, Ottawa], [Italy, Ottawa]]", "same right item"),
        ("Canada", "must be a list"),
    ],
)
def test_match_refuses_bad_pairs(tmp_path: Path, pairs: str, message: str) -> None:
    body = f"""\
- id: m1
  type: match
  prompt: Match.
  pairs: {pairs}
  source: a
  excerpt: Italy's capital is Rome.
"""
    result = load_pack(_pack(tmp_path, body))
    assert not result.ok
    assert any(message in p.message for p in result.problems), [p.message for p in result.problems]


def test_card_needs_a_back(tmp_path: Path) -> None:
    body = """\
- id: c1
  type: card
  prompt: Capital of Canada
  source: a
  excerpt: Canada's capital is Ottawa.
"""
    result = load_pack(_pack(tmp_path, body))
    assert any("missing field 'back'" in p.message for p in result.problems)
