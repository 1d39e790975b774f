"""What a new student's walk found in grading: the text of an option for its number, dates in
more written forms, the diff of an ordinal, a surname alone, and ``limit`` counting cards that
come back (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from enginekit import Clock
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.fold import match_typed, single_names
from nkstudy.core.questions.types import ChoiceQuestion, MultiQuestion, TypedQuestion
from nkstudy.engine import Engine
from nkstudy.present import answer_diff
from packfactory import write_pack

SINGAPORE = ["June 12", "12 June", "June 12, 2018", "12 June 2018", "2018-06-12"]
ZHAO_DAY = ["13 April 2024", "April 13, 2024", "2024-04-13", "13 April", "April 13"]


def test_the_option_text_is_as_good_as_its_number() -> None:
    q = ChoiceQuestion(id="c", prompt="Who?", options=("Wen Jiabao", "Hu Jintao", "2018"), answer="Wen Jiabao")
    shown = ("Hu Jintao", "Wen Jiabao", "2018")
    assert q.parse_response("2", shown) == "Wen Jiabao"
    assert q.parse_response("Wen Jiabao", shown) == "Wen Jiabao"
    assert q.parse_response("  wen  jiabao ", shown) == "Wen Jiabao"  # folded: case and spacing
    assert q.parse_response("2018", shown) == "2018"  # no option 2018: the option whose text it is
    assert q.grade(q.parse_response("Wen Jiabao", shown))
    with pytest.raises(ValueError):
        q.parse_response("Wen", shown)  # part of an option is not its text
    with pytest.raises(ValueError):
        q.parse_response("7", shown)


def test_several_options_by_text_are_separated_by_semicolons() -> None:
    q = MultiQuestion(id="m", prompt="Which?", options=("Beijing", "Dalian", "Tokyo"),
                      answer=frozenset({"Beijing", "Dalian"}))
    shown = ("Tokyo", "Dalian", "Beijing")
    assert q.parse_response("3 2", shown) == {"Beijing", "Dalian"}
    assert q.parse_response("beijing; Dalian", shown) == {"Beijing", "Dalian"}
    assert q.parse_response("Tokyo", shown) == {"Tokyo"}
    with pytest.raises(ValueError):
        q.parse_response("Beijing; Osaka", shown)


@pytest.mark.parametrize(("typed", "accepted"), [
    ("june12", SINGAPORE), ("12june", SINGAPORE), ("Tuesday, June 12", SINGAPORE), ("June twelfth", SINGAPORE),
    ("the twelfth of June", SINGAPORE), ("Saturday 13 April", ZHAO_DAY), ("Sat 13 April 2024", ZHAO_DAY),
    ("2024-4-13", ZHAO_DAY), ("13/4/2024", ZHAO_DAY), ("4/13/2024", ZHAO_DAY), ("13.4.2024", ZHAO_DAY),
    ("twenty-first of May", ["21 May"]),
])
def test_more_written_dates_are_the_same_answer(typed: str, accepted: list[str]) -> None:
    assert match_typed(typed, accepted).correct, typed


@pytest.mark.parametrize(("typed", "accepted"), [
    ("june13", SINGAPORE), ("Monday, June 12", SINGAPORE),  # 12 June 2018 was a Tuesday
    ("Sunday 13 April", ZHAO_DAY), ("2024-4-14", ZHAO_DAY), ("14/4/2024", ZHAO_DAY), ("June thirteenth", SINGAPORE),
    ("4/5/2024", ["5 April 2024"]),  # both could be the month: not read as a date
    ("Mayor 12", ["12 May"]),
])
def test_a_wrong_date_or_weekday_stays_wrong(typed: str, accepted: list[str]) -> None:
    assert not match_typed(typed, accepted).correct, typed


def test_the_diff_does_not_mark_an_ordinal_suffix() -> None:
    diff = answer_diff("June 12", "June 13th")
    assert diff is not None and diff.plain == "June 1[-3][+2]th"
    same = answer_diff("Singapore", "Singapur")
    assert same is not None and same.plain == "Singap[-u][+o]r[+e]"


EXCERPT = "Xinhua news agency reported that Zhao told Kim at the meeting concluding his three-day visit"


def test_a_surname_counts_only_where_the_passage_uses_it_alone() -> None:
    assert single_names(["Zhao Leji"], EXCERPT, "Which official told Kim Jong Un?") == ("zhao",)
    assert single_names(["Zhao Leji"], "Zhao's visit to North Korea", "Who?") == ("zhao",)
    assert single_names(["Donald Trump"], "President Trump and Kim met", "Who?") == ("trump",)
    assert single_names(["Kim Jong Un"], "Kim Song Nam met Kim Yo Jong", "Who?") == ()  # another Kim
    assert single_names(["Tong-hyung Kim"], "AP writer Kim Tong-hyung contributed", "Which writer?") == ()
    assert single_names(["Zhao Leji"], "talks in Pyongyang. Zhao met Choe", "Who?") == ("zhao",)
    assert single_names(["Zhao Leji"], "Zhao Leji told Kim", "Who?") == ()  # never alone
    assert single_names(["Zhao Leji"], EXCERPT, "What did Zhao tell Kim?") == ()  # the prompt names him
    assert single_names(["Chinese Academy of Agricultural Sciences"], "the Academy said", "Who?") == ()


def test_zhao_alone_is_right_for_a_who_question_and_nothing_else() -> None:
    who = TypedQuestion(id="z", prompt="Which senior Chinese official told Kim Jong Un?", answer="Zhao Leji",
                        accept=("Zhao Le-ji",), excerpt=EXCERPT, tags=("who",))
    assert who.assess("Zhao").correct and who.grade("Zhao")
    assert who.assess("zhao").expected == "Zhao Leji"
    assert not who.assess("Kim").correct and not who.assess("Leji").correct
    untagged = TypedQuestion(id="z", prompt="Name the official.", answer="Zhao Leji", excerpt=EXCERPT)
    assert not untagged.assess("Zhao").correct
    asks_who = TypedQuestion(id="z", prompt="Who told Kim Jong Un?", answer="Zhao Leji", excerpt=EXCERPT)
    assert asks_who.assess("Zhao").correct


PACK = "questions:\n" + "".join(f"""\
  - id: q{i}
    type: typed
    prompt: Question {i}?
    answer: answer{i}
""" for i in range(2))


def test_limit_counts_the_cards_that_come_back(tmp_path: Path) -> None:
    write_pack(tmp_path / "p", questions_yaml=PACK)
    pack = load_pack(tmp_path / "p").pack
    assert pack is not None
    eng = Engine(tmp_path / "data", "ann", [pack], clock=Clock(datetime(2024, 5, 1, 12, tzinfo=UTC)),
                 fuzz=False, seed=1)
    session = eng.start_session(limit=3)
    asked: list[str] = []
    while not session.finished and len(asked) < 10:
        item = session.current
        assert item is not None and item.index == len(asked) + 1 and item.total <= 3
        asked.append(item.question.id)
        session.answer(None)  # missed: each comes back a minute later
        assert session.score.left == 3 - len(asked)
        session.advance()
    assert asked[0] == asked[2] != asked[1]  # two new cards, then the first missed one again
    assert item.total == 3 and session.score.answered == 3
    eng.close()
