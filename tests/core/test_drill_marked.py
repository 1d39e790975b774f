"""``+marked``: new drills draw only questions nkstudy marks, and every older code still names its old items."""

from __future__ import annotations

import re
import subprocess

import pytest

from nkstudy.core.classroom.drill import DrillSpec, candidates, select
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.types import QUESTION_TYPES
from nkstudy.paths import builtin_pack_dir


@pytest.fixture(scope="module")
def builtin() -> Pack:
    result = load_pack(builtin_pack_dir() / "nk-china-visits")
    assert result.pack is not None
    return result.pack


# Selected by nkstudy before the flag existed (main at 072f3c2), for codes such a version printed.
# The first is the code the docs showed: five of its ten are flashcards.
OLD_EXAMPLE = "nk-china-visits@1.0.0#42/10;tag=where"
OLD_EXAMPLE_ITEMS = [
    (1, "voa-kji-who", ()),
    (2, "ap-zhao-who", ()),
    (3, "bs-march-who", ()),
    (4, "voa-tokyo-where", ("Tokyo", "Singapore", "Beijing", "Seoul")),
    (5, "voa-order-northeast", ("a visit to southern China",
                                "a trip to China's northeast to discuss an economic development zone project")),
    (6, "x-who-went", ("True", "False")),
    (7, "voa-media-track", ()),
    (8, "ap-dateline", ()),
    (9, "voa-northeast-who", ()),
    (10, "x-match-where", ("Russia", "Pyongyang", "Tokyo", "Dalian", "Beijing", "Singapore")),
]
OLD_TWENTY = "nk-china-visits@1.0.0#1/20"
OLD_TWENTY_IDS = [
    "x-motive-2011", "dnk-ksn-body-date", "bs-pak-host", "ap-zhao-kim-day", "wex-xikim-third", "voa-sixparty",
    "bs-socialist-construction", "voa-northeast-who", "dnk-wh-whom", "dnk-directive-whom", "ap-2019-why",
    "wex-yonhap", "wex-no-desire", "ap-standoff", "voa-wen-role", "x-first-ksn-zhao", "ap-choe-why",
    "x-match-years", "dnk-caption-vs-body", "voa-kji-date",
]


def test_old_codes_select_exactly_what_they_did(builtin: Pack) -> None:
    example = DrillSpec.parse(OLD_EXAMPLE)
    assert not example.marked and example.format() == OLD_EXAMPLE  # stored codes read back unchanged
    items = select(example, [builtin])
    assert [(i.position, i.question_id, i.options) for i in items] == OLD_EXAMPLE_ITEMS
    assert sum(i.question.self_graded for i in items) == 5
    twenty = select(DrillSpec.parse(OLD_TWENTY), [builtin])
    assert [i.question_id for i in twenty] == OLD_TWENTY_IDS
    assert "voa-northeast-who" in OLD_TWENTY_IDS and DrillSpec.parse(OLD_TWENTY).format() == OLD_TWENTY


def test_a_new_code_carries_the_flag_and_draws_no_flashcard(builtin: Pack) -> None:
    spec = DrillSpec.build([builtin], 42, 10, tags=["where"])
    assert spec.marked and spec.format() == OLD_EXAMPLE.replace(";", "+marked;", 1)
    assert DrillSpec.parse(spec.format()) == spec
    items = select(spec, [builtin])
    assert not any(i.question.self_graded for i in items)
    # seven of the bank's "where" questions are not flashcards: a drill of 10 gets all seven
    assert sorted(i.question_id for i in items) == sorted(
        q.id for q in builtin.questions if "where" in q.tags and not type(q).self_graded) and len(items) == 7
    # the whole bank: every self-graded question is out of the pool, every other one in
    pool = candidates(DrillSpec.build([builtin], 1, 1000), [builtin])
    assert {q.id for _p, q in pool} == {q.id for q in builtin.questions if not type(q).self_graded}
    assert len(pool) < len(builtin.questions)
    # asked for, the flashcards come back: the very drill the old code names
    with_cards = DrillSpec.build([builtin], 42, 10, tags=["where"], with_cards=True)
    assert with_cards == DrillSpec.parse(OLD_EXAMPLE) and with_cards.format() == OLD_EXAMPLE


def test_the_flag_follows_the_count_and_filters_are_read_in_any_order() -> None:
    code = "nk-china-visits@1.0.0#42/10+marked;source=voa-2011;tag=where;pack=aa@2"
    assert DrillSpec.parse(code).format() == code
    shuffled = "nk-china-visits@1.0.0#42/10+marked;pack=aa@2;tag=where;source=voa-2011"
    assert DrillSpec.parse(shuffled).format() == code
    assert DrillSpec.parse(code) != DrillSpec.parse(code.replace("+marked", ""))
    for bad in ("nk-china-visits@1.0.0#42/10+marked=yes", "nk-china-visits@1.0.0#42/10+Marked",
                "nk-china-visits@1.0.0#42/10;Marked", "nk-china-visits@1.0.0#42/10;marked"):
        with pytest.raises(ValueError) as info:
            DrillSpec.parse(bad)
        assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match=re.escape("+marked, right after the count")):
        DrillSpec.parse("nk-china-visits@1.0.0#42/10;marked")  # the flag written as a filter: where it goes


def test_a_new_code_without_filters_is_one_word_in_a_shell() -> None:
    # A student who types the code unquoted must get this drill: a ";" would end the command there
    # and drill the code without its flag (another drill, under another code).
    code = DrillSpec.parse("nk-china-visits@1.0.0#42/10+marked").format()
    echoed = subprocess.run(["bash", "-c", f"printf '%s\\n' {code}"], capture_output=True, text=True, timeout=10)
    assert echoed.returncode == 0 and echoed.stdout == code + "\n"


def test_the_card_type_says_it_is_self_graded_and_no_other_does() -> None:
    graded_by_self = {name for name, cls in QUESTION_TYPES.items() if cls.self_graded}
    assert graded_by_self == {"card"}
