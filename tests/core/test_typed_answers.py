"""Typed answers: written dates and ordinals, one-letter slips ("close spelling") and the
setting that turns them off, graded through a real session and a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enginekit import Clock
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.fold import answers_match, fold_typed, match_typed, one_slip
from nkstudy.core.questions.types import TypedQuestion
from nkstudy.core.study.schedule import Rating, Settings, default_rating
from nkstudy.engine import Engine
from packfactory import write_pack

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SUFFIX = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def ordinal(day: int) -> str:
    return f"{day}{SUFFIX.get(day, 'th')}"


def test_the_issues_examples_match() -> None:
    assert answers_match("June 12th", ["12 June"])
    assert answers_match("12 June", ["12 June"])
    assert answers_match("the 12th of June", ["12 June"])
    assert answers_match("13th April 2024", ["13 April 2024"])
    assert answers_match("April 13, 2024", ["13 April 2024"])
    assert answers_match("Apr. 13th 2024", ["13 April 2024"])
    assert not answers_match("June 13th", ["12 June"])
    assert not answers_match("12 July", ["12 June"])
    assert not answers_match("13 April 2023", ["13 April 2024"])
    assert not answers_match("13 April", ["13 April 2024"])


@given(st.integers(1, 31), st.integers(0, 11), st.one_of(st.none(), st.integers(1900, 2100)),
       st.sampled_from(["{d} {m}{y}", "{o} {m}{y}", "{m} {d}{yc}", "{m} {o}{yc}", "the {o} of {m}{y}",
                        "{M} {o}{yc}", "{o} {M}{y}"]))
def test_every_written_form_of_a_date_is_the_same_answer(day: int, month: int, year: int | None, form: str) -> None:
    name = MONTHS[month]
    y = f" {year}" if year else ""
    yc = f", {year}" if year else ""
    written = form.format(d=day, o=ordinal(day), m=name, M=name.upper(), y=y, yc=yc)
    assert answers_match(written, [f"{day} {name}{y}"]), written
    other = f"{day % 28 + 1} {name}{y}"
    assert not answers_match(written, [other]), (written, other)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=20), st.data())
def test_one_slip_is_close_and_two_are_not(word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 1))
    dropped = word[:i] + word[i + 1:]
    assert one_slip(dropped, word) and one_slip(word, dropped)
    result = match_typed(dropped, [word])
    assert result.correct and result.close and result.nearest == word
    assert not match_typed(dropped, [word], allow_slip=False).correct
    j = data.draw(st.integers(0, len(dropped) - 1))
    twice = dropped[:j] + dropped[j + 1:]
    if fold_typed(twice) != fold_typed(word) and not one_slip(twice, word):
        assert not match_typed(twice, [word]).correct


def test_slips_of_each_kind_and_where_none_is_forgiven() -> None:
    assert match_typed("educaional", ["educational"]).close
    assert match_typed("educationnal", ["educational"]).close
    assert match_typed("edukational", ["educational"]).close
    assert match_typed("eudcational", ["educational"]).close  # two neighbours swapped
    assert not match_typed("Dalan", ["Dalia"]).correct  # short answers must be exact
    assert not match_typed("2019", ["2018"]).correct  # digits are never a slip
    assert not match_typed("May 2019", ["May 2018"]).correct
    exact = match_typed("Educational", ["educational"])
    assert exact.correct and not exact.close


def test_the_rating_rule_for_a_close_answer() -> None:
    assert default_rating(True, close=True) == Rating.Hard
    assert default_rating(True) == Rating.Good
    assert default_rating(False, close=True) == Rating.Again
    with pytest.raises(ValueError):
        Settings(exact_spelling="yes")  # type: ignore[arg-type]
    assert Settings.from_dict({"exact_spelling": True}).exact_spelling is True


TYPED_YAML = """\
questions:
  - id: q-typed
    type: typed
    prompt: What did Zhao discuss how to promote, with cooperation?
    answer: exchanges
    source: art
    excerpt: how to promote "exchanges and cooperation"
  - id: q-date
    type: typed
    prompt: On what date was the article published?
    answer: 13 April 2024
    source: art
    excerpt: during a meeting Saturday
"""


def engine(tmp_path: Path) -> Engine:
    write_pack(tmp_path / "p", questions_yaml=TYPED_YAML)
    pack = load_pack(tmp_path / "p").pack
    assert pack is not None
    return Engine(tmp_path / "data", "ann", [pack], clock=Clock(datetime(2024, 5, 1, 12, tzinfo=UTC)),
                  fuzz=False, seed=1)


def answer_in_session(eng: Engine, qid: str, text: str):
    session = eng.start_session(question_ids=[qid])
    return session.answer(text)


def test_a_close_answer_is_right_rated_hard_and_logged(tmp_path: Path) -> None:
    eng = engine(tmp_path)
    outcome = answer_in_session(eng, "q-typed", "exchnges")
    assert outcome.correct and outcome.close and outcome.rating == Rating.Hard
    assert outcome.expected == "exchanges"
    assert Rating.Good in outcome.allowed
    stats = eng.stats()
    assert stats.right == 1
    eng.close()


def test_exact_spelling_turns_slips_off_and_is_saved(tmp_path: Path) -> None:
    eng = engine(tmp_path)
    eng.update_settings(exact_spelling=True)
    eng.close()
    eng = engine(tmp_path)
    assert eng.settings.exact_spelling is True
    outcome = answer_in_session(eng, "q-typed", "exchnges")
    assert not outcome.correct and not outcome.close and outcome.rating == Rating.Again
    assert outcome.expected == "exchanges"
    eng.close()


def test_a_written_date_is_right_in_a_session(tmp_path: Path) -> None:
    eng = engine(tmp_path)
    outcome = answer_in_session(eng, "q-date", "April 13th, 2024")
    assert outcome.correct and not outcome.close and outcome.rating == Rating.Good
    eng.close()


def test_other_types_carry_no_expected_text() -> None:
    q = TypedQuestion(id="x", prompt="p", answer="Pyongyang")
    assert q.assess(None).expected is None
    assert q.assess("Pyongyan").close
    assert not q.assess("Pyongyan", exact_spelling=True).correct
