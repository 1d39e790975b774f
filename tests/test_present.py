"""``present.drill_summary``: the end of a drill, written once for the line drill and the drill app."""

from __future__ import annotations

from pathlib import Path

import pytest

from classkit import ALL
from enginekit import Clock, make_pack
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import Sitting, open_drill
from nkstudy.present import drill_summary


@pytest.fixture
def sitting(tmp_path: Path) -> Sitting:
    """Five of six answered: 1 don't know, 2 typed nonsense with an ESC in it, 3 time up, 4-5 answered."""
    drill = open_drill(DrillSpec.parse(ALL), [make_pack(tmp_path / "packs" / "test-pack")])
    s = Sitting(drill, tmp_path / "data", "ann", clock=Clock())
    for n, item in enumerate(drill.items[:5], start=1):
        if n == 2:
            s.answer(None, seconds=2, raw="nonsense \x1b[2J")
        elif n in (1, 3):
            s.answer(None, seconds=2)
        else:
            s.answer(item.question.parse_response("1", item.options), seconds=2)
    yield s
    s.close()


@pytest.mark.parametrize("plain", [True, False])
def test_both_layouts_say_the_same_things(sitting: Sitting, plain: bool) -> None:
    text = drill_summary(sitting, timed_out={3}, plain=plain).plain
    missed = [item.position for item, _ in sitting.missed()]
    assert missed[:3] == [1, 2, 3]
    assert f"Score: {sitting.right} of 6 right" in text and "1 not reached" in text and "time 10s" in text
    one, two, three = (text.split(f"\n{n}. ")[1] for n in (1, 2, 3))
    assert one.split("\n")[1].strip() == "You did not know."
    assert two.split("\n")[1].strip() == "You said: nonsense \\x1b[2J"  # the ESC shown, never sent
    assert three.split("\n")[1].strip() == "Time ran out."
    assert "\x1b" not in text
    for n in missed:
        item = sitting.drill.items[n - 1]
        assert f"Answer: {item.question.answer_text()}" in text
    assert ("Test Wire, about" if plain else "— Test Wire") in text  # each citation, in its layout
    assert text.count("Answer: ") == len(missed)


def test_the_plain_layout_indents_each_missed_question(sitting: Sitting) -> None:
    lines = drill_summary(sitting, plain=True).plain.split("\n")
    assert lines[0].endswith("; 1 not reached.") and lines[1] == "Missed:"
    assert all(line.startswith(("   ", "Missed:")) or line[0].isdigit() for line in lines[1:])


def test_no_question_of_the_bank_shows_an_open_quotation() -> None:
    from nkstudy.core.packs.loader import load_pack
    from nkstudy.core.text import unclosed_quote
    from nkstudy.present import excerpt_text

    loaded = load_pack(Path(__file__).resolve().parents[1] / "questions" / "nk-china-visits")
    assert loaded.pack is not None
    opened = 0
    for question in loaded.pack.questions:
        shown = excerpt_text(question, loaded.pack.sources.get(question.source or "")).plain
        assert unclosed_quote(shown) == "", (question.id, shown)
        opened += bool(unclosed_quote(question.excerpt or ""))
    assert opened  # the bank has such passages (wex-duyeon-center), so the test has something to check


def test_a_live_student_at_a_reveal_sees_what_they_said_when_wrong() -> None:
    from datetime import UTC, datetime

    from nkstudy.core.classroom.drill import DrillResult
    from nkstudy.present import live_verdict

    def said(answer: str, correct: bool, answered: bool = True) -> DrillResult:
        return DrillResult("ann", "a1", "p@1#1/1", 1, "p", "q", answer, None, correct, 2.0,
                           datetime(2024, 5, 2, tzinfo=UTC), answered=answered)

    assert live_verdict(said("Singapore", True), 916).plain == "right (+916 points)"
    assert live_verdict(said("Hanoi \x1b[2J", False), 0).plain == "wrong · you said: Hanoi \\x1b[2J"  # shown, not sent
    assert live_verdict(said("", False, answered=False), 0).plain == "wrong · no answer"
