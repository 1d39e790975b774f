"""Item analysis against a class worked out by hand (see tests/drillkit.py)."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction
from pathlib import Path

import pytest

from drillkit import EXPECTED, EXPECTED_STUDENTS, MOST_MISSED, class_items, class_pack, class_results
from nkstudy.core.classroom.analysis import analyse, group_size, group_weights


def test_every_figure_of_the_hand_computed_class(tmp_path: Path) -> None:
    pack = class_pack(tmp_path)
    items = class_items(pack)
    analysis = analyse(class_results(pack), items)

    assert analysis.group_size == 2
    assert [(s.profile, s.attempt, s.score, s.total, s.answered, s.seconds) for s in analysis.students] == \
        EXPECTED_STUDENTS
    assert [i.question_id for i in analysis.items] == [i.question_id for i in items]  # drill order
    for stats, item in zip(analysis.items, items, strict=True):
        answered, right, facility, discrimination, options = EXPECTED[stats.question_id]
        assert stats.position == item.position
        assert stats.students == 7
        assert (stats.answered, stats.right) == (answered, right), stats.question_id
        assert stats.facility == facility, stats.question_id
        assert stats.discrimination == discrimination, stats.question_id
        assert stats.options == options, stats.question_id
        if options is not None:
            assert list(stats.options) == list(item.options)  # in the order the class saw them
    assert [i.question_id for i in analysis.most_missed(3)] == MOST_MISSED
    assert [i.missed for i in analysis.most_missed()] == [5, 4, 4, 3, 3]  # five by default
    assert [i.missed for i in analysis.most_missed(10)] == [5, 4, 4, 3, 3, 1]


def test_order_of_rows_changes_nothing(tmp_path: Path) -> None:
    pack = class_pack(tmp_path)
    rows = class_results(pack)
    shuffled = rows[:]
    random.Random(5).shuffle(shuffled)
    assert analyse(shuffled, class_items(pack)) == analyse(rows, class_items(pack))


def test_a_second_answer_in_one_sitting_is_ignored(tmp_path: Path) -> None:
    pack = class_pack(tmp_path)
    rows = class_results(pack)
    again = dataclasses.replace(rows[0], correct=False, answer="Tokyo", picked=("Tokyo",))
    analysis = analyse([*rows, again], class_items(pack))
    assert analysis.students[0].score == 6
    assert analysis.item(("test-pack", "q-choice")).options["Tokyo"] == 1


def test_without_items_the_questions_come_from_the_rows(tmp_path: Path) -> None:
    pack = class_pack(tmp_path)
    analysis = analyse(class_results(pack))
    items = class_items(pack)
    assert [i.question_id for i in analysis.items] == [i.question_id for i in items]
    choice = analysis.item(("test-pack", "q-choice"))
    assert choice.options == {"Pyongyang": 4, "Beijing": 2, "Tokyo": 1}  # only options somebody picked
    assert choice.discrimination == 1.0 and choice.facility == 4 / 7
    assert analysis.item(("test-pack", "q-tf")).options is None
    assert [s.total for s in analysis.students] == [6] * 7


def test_results_of_two_drills_are_not_mixed(tmp_path: Path) -> None:
    pack = class_pack(tmp_path)
    rows = class_results(pack)
    with pytest.raises(ValueError, match="2 drills"):
        analyse([rows[0], dataclasses.replace(rows[1], code="test-pack@1.0#8/6")])


@pytest.mark.parametrize(("students", "size"), [(0, 0), (1, 0), (2, 1), (3, 1), (5, 1), (6, 2), (7, 2),
                                                 (10, 3), (11, 3), (20, 5), (30, 8), (100, 27)])
def test_group_size_is_27_percent_rounded(students: int, size: int) -> None:
    assert group_size(students) == size


def test_ties_at_a_group_edge_share_the_places_left() -> None:
    assert group_weights([9, 5, 5, 5, 1], 2, top=True) == [1, Fraction(1, 3), Fraction(1, 3), Fraction(1, 3), 0]
    assert group_weights([9, 5, 5, 5, 1], 2, top=False) == [0, Fraction(1, 3), Fraction(1, 3), Fraction(1, 3), 1]
    assert group_weights([4, 4, 4, 4], 1, top=True) == [Fraction(1, 4)] * 4


def test_one_student_has_no_discrimination_and_equal_scores_discriminate_nothing(tmp_path: Path) -> None:
    pack = class_pack(tmp_path)
    rows = class_results(pack)
    alone = analyse([r for r in rows if r.attempt == "bob-1"], class_items(pack))
    assert alone.group_size == 0
    assert all(i.discrimination is None for i in alone.items)
    assert [i.facility for i in alone.items if i.question_id == "q-order"] == [0.0]
    # bob, cai and dan all score 4 of 6: upper and lower groups are the same mix
    tied = analyse([r for r in rows if r.attempt in ("bob-1", "cai-1", "dan-1")], class_items(pack))
    assert all(i.discrimination == 0.0 for i in tied.items)
    assert analyse([], class_items(pack)).items[0].facility is None


def test_a_sitting_without_an_answer_is_a_student_with_every_question_wrong() -> None:
    from datetime import UTC, datetime

    from nkstudy.core.classroom.drill import DrillResult

    at = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
    rows = [DrillResult("ann", "ann-1", "c", 1, "p", "q1", "x", None, True, 2.0, at),
            DrillResult("ann", "ann-1", "c", 2, "p", "q2", "x", None, False, 2.0, at)]
    a = analyse(rows, sittings=[("bob", "bob-1"), ("ann", "ann-0"), ("ann", "ann-1")])
    # a sitting without an answer comes after the same profile's sittings with answers
    assert [(s.profile, s.attempt, s.score, s.total, s.answered) for s in a.students] == [
        ("ann", "ann-1", 1, 2, 2), ("ann", "ann-0", 0, 2, 0), ("bob", "bob-1", 0, 2, 0)]
    assert [(i.students, i.right, i.facility) for i in a.items] == [(3, 1, 1 / 3), (3, 0, 0.0)]
    assert analyse([], sittings=[("bob", "bob-1")]).students[0].total == 0
