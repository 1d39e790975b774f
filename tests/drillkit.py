"""A hand-made class for the item-analysis and report tests.

Seven sittings of the factory pack's six questions (``drill code test-pack@1.0#7/6``).
Every figure the analysis should give is worked out by hand in ``EXPECTED``.

                choice multi tf typed order cloze  score
    ann (1st)     1     1    1    1     1     1      6
    bob           1     1    1    1     0     0      4
    cai           1     0    1    1     0     1      4
    dan           1     0    1    0     1     1      4
    eve           0     1    1    0     0     1      3
    fay           0     0    1    0     0     -      1   (did not reach the cloze)
    ann (2nd)     0     ~    0    ~     ~     ~      0   (~ time up)

Seven students, so each group holds round(0.27 * 7) = 2.  Upper group: ann (1st)
in full, then bob, cai and dan, tied on 4, share the one place left (1/3 each).
Lower group: ann (2nd) and fay.

    choice: upper 1 + 3/3 = 2, lower 0 -> (2 - 0) / 2 = 1
    multi:  upper 1 + 1/3,     lower 0 -> 2/3
    tf:     upper 1 + 3/3 = 2, lower 1 (fay) -> 1/2
    typed:  upper 1 + 2/3,     lower 0 -> 5/6
    order:  upper 1 + 1/3,     lower 0 -> 2/3
    cloze:  upper 1 + 2/3,     lower 0 -> 5/6
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from enginekit import make_pack
from nkstudy.core.classroom.drill import DrillItem, DrillResult, DrillSpec, result_of, select
from nkstudy.core.model import Pack

T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
CODE = "test-pack@1.0#7/6"
R, W, U = "right", "wrong", "time up"
QIDS = ("q-choice", "q-multi", "q-tf", "q-typed", "q-order", "q-cloze")

# (profile, attempt, minutes after T0, marks per question in QIDS order; None = not reached)
CLASS = [
    ("ann", "ann-1", 0, (R, R, R, R, R, R)),
    ("bob", "bob-1", 1, (R, R, R, R, W, W)),
    ("cai", "cai-1", 2, (R, W, R, R, W, R)),
    ("dan", "dan-1", 3, (R, W, R, W, R, R)),
    ("eve", "eve-1", 4, (W, R, R, W, W, R)),
    ("fay", "fay-1", 5, (W, W, R, W, W, None)),
    ("ann", "ann-2", 60, (W, U, W, U, U, U)),
]

# the wrong response each wrong student gave, where it matters for distractors
WRONG_CHOICE = {"eve": "Beijing", "fay": "Beijing", "ann": "Tokyo"}
WRONG_MULTI = {"cai": frozenset({"Kim Jong Un"}), "dan": frozenset({"Kim Jong Un", "Wang Yi"}),
               "fay": frozenset({"Wang Yi"})}
WRONG_OTHER = {"q-tf": False, "q-typed": "Kim Il Sung", "q-cloze": "trade"}

EXPECTED = {
    # question: (answered, right, facility, discrimination, options)
    "q-choice": (7, 4, 4 / 7, 1.0, {"Pyongyang": 4, "Beijing": 2, "Dalian": 0, "Tokyo": 1}),
    "q-multi": (6, 3, 3 / 7, 2 / 3, {"Kim Jong Un": 5, "Choe Ryong Hae": 3, "Wang Yi": 2}),
    "q-tf": (7, 6, 6 / 7, 1 / 2, None),
    "q-typed": (6, 3, 3 / 7, 5 / 6, None),
    "q-order": (6, 2, 2 / 7, 2 / 3, None),
    "q-cloze": (5, 4, 4 / 7, 5 / 6, None),
}
# (profile, attempt, score, total, answered, seconds): answers take 10 s, a time-up 30 s
EXPECTED_STUDENTS = [
    ("ann", "ann-1", 6, 6, 6, 60.0),
    ("ann", "ann-2", 0, 6, 2, 140.0),
    ("bob", "bob-1", 4, 6, 6, 60.0),
    ("cai", "cai-1", 4, 6, 6, 60.0),
    ("dan", "dan-1", 4, 6, 6, 60.0),
    ("eve", "eve-1", 3, 6, 6, 60.0),
    ("fay", "fay-1", 1, 6, 5, 50.0),
]
# 5 missed, then 4 and 4 in drill order: the drill (seed 7) asks cloze, tf, typed, multi, choice, order
MOST_MISSED = ["q-order", "q-typed", "q-multi"]


def class_pack(folder: Path) -> Pack:
    return make_pack(folder / "test-pack")


def class_items(pack: Pack) -> list[DrillItem]:
    spec = DrillSpec.parse(CODE)
    items = select(spec, [pack])
    assert sorted(i.question_id for i in items) == sorted(QIDS)
    return items


def _response(item: DrillItem, profile: str, mark: str) -> object:
    q = item.question
    if mark == U:
        return None
    if mark == R:
        return q.answer  # every question class keeps its right answer as ``answer``
    if q.id == "q-choice":
        return WRONG_CHOICE[profile]
    if q.id == "q-multi":
        return WRONG_MULTI[profile]
    if q.id == "q-order":
        return tuple(reversed(q.answer))
    return WRONG_OTHER[q.id]


def class_results(pack: Pack) -> list[DrillResult]:
    items = {i.question_id: i for i in class_items(pack)}
    out: list[DrillResult] = []
    for profile, attempt, minutes, marks in CLASS:
        for n, (qid, mark) in enumerate(zip(QIDS, marks, strict=True)):
            if mark is None:
                continue
            item = items[qid]
            out.append(result_of(item, _response(item, profile, mark), code=CODE, profile=profile,
                                 attempt=attempt, seconds=30.0 if mark == U else 10.0,
                                 at=T0 + timedelta(minutes=minutes, seconds=n)))
    return out
