"""Queue order, mixing, the 4 am study day and streaks (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from nkstudy.core.study.planning import (
    LEARNING,
    RELEARNING,
    REVIEW,
    day_bounds,
    mix,
    plan_queue,
    streak_days,
    study_day,
)
from nkstudy.core.study.session import ScoreKeeper

SEOUL = ZoneInfo("Asia/Seoul")


def test_mix_spreads_new_cards_through_reviews() -> None:
    out = mix([f"r{i}" for i in range(9)], ["n0", "n1", "n2"])
    positions = [out.index(n) for n in ("n0", "n1", "n2")]
    assert len(out) == 12
    assert positions[0] > 0 and positions[-1] < 11  # not bunched at either end
    assert positions == sorted(positions)
    assert min(b - a for a, b in zip(positions, positions[1:], strict=False)) >= 3


def test_plan_queue_order_and_new_limit() -> None:
    now = 1000.0
    cards = {
        "learn-late": (LEARNING, 990.0),
        "learn-early": (RELEARNING, 900.0),
        "learn-future": (LEARNING, 1500.0),
        "rev-slightly": (REVIEW, 999.0),
        "rev-very": (REVIEW, 100.0),
        "rev-tomorrow": (REVIEW, 5000.0),
        "rev-later-today": (REVIEW, 1900.0),
    }
    candidates = [*cards, "new1", "new2", "new3"]
    plan = plan_queue(candidates, cards, now, 2000.0, new_limit=2)
    assert plan.learning_now == ["learn-early", "learn-late"]
    reviews = [k for k in plan.main if k.startswith("rev")]
    assert reviews == ["rev-very", "rev-slightly", "rev-later-today"]
    assert [k for k in plan.main if k.startswith("new")] == ["new1", "new2"]
    assert plan.learning_later == [(1500.0, "learn-future")]


def test_plan_queue_limit_caps_everything() -> None:
    plan = plan_queue(["a", "b", "c", "d"], {"a": (LEARNING, 0.0)}, 10.0, 100.0, new_limit=10, limit=2)
    assert plan.learning_now == ["a"]
    assert len(plan.main) == 1


def test_day_rolls_over_at_4am_local() -> None:
    # 03:59 Seoul on 2 May is still study day 1 May; 04:00 is 2 May
    before = datetime(2024, 5, 2, 3, 59, tzinfo=SEOUL).astimezone(UTC)
    after = datetime(2024, 5, 2, 4, 0, tzinfo=SEOUL).astimezone(UTC)
    assert study_day(before, SEOUL) == date(2024, 5, 1)
    assert study_day(after, SEOUL) == date(2024, 5, 2)
    start, end = day_bounds(after, SEOUL)
    assert start == datetime(2024, 5, 2, 4, 0, tzinfo=SEOUL)
    assert (end - start).total_seconds() == 86400
    assert study_day(after, SEOUL, starts_hour=6) == date(2024, 5, 1)


def test_streak_counts_back_from_today_or_yesterday() -> None:
    today = date(2024, 5, 10)
    days = [date(2024, 5, d) for d in (5, 7, 8, 9)]
    assert streak_days(days, today) == 3  # not yet studied today: streak still alive
    assert streak_days([*days, today], today) == 4
    assert streak_days([date(2024, 5, 1)], today) == 0


def test_score_keeper() -> None:
    s = ScoreKeeper()
    for ok in (True, True, False, True):
        s.add(ok)
    assert (s.answered, s.right, s.wrong, s.streak, s.best_streak) == (4, 3, 1, 1, 2)
    assert s.accuracy == 0.75
    snap = s.snapshot()
    s.add(False)
    s.restore(snap)
    assert s.answered == 4
