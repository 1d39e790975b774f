"""The fsrs wrapper: intervals match fsrs itself, seeded fuzz, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from nkstudy.core.study.schedule import Planner, Settings, format_interval, intervals

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
SEQUENCE = [Rating.Good, Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Easy, Rating.Hard]


def test_known_sequence_matches_fsrs_itself_with_fuzzing_off() -> None:
    planner = Planner(Settings(), fuzz=False)
    reference = Scheduler(enable_fuzzing=False)
    ours, theirs = planner.new_card(T0), Card(card_id=1, due=T0)
    now = T0
    dues = []
    for rating in SEQUENCE:
        ours = planner.review(ours, rating, now)
        theirs, _log = reference.review_card(theirs, rating, now)
        assert ours.due == theirs.due
        assert ours.stability == pytest.approx(theirs.stability)
        assert ours.state == theirs.state
        dues.append(ours.due - now)
        now = ours.due
    # learning steps 1m/10m, then days; a lapse goes to the 10-minute relearning step
    assert dues[0] == timedelta(minutes=10)
    assert dues[1] >= timedelta(days=1)
    assert dues[3] == timedelta(minutes=10)
    assert ours.state == State.Review


def test_settings_reach_the_scheduler() -> None:
    s = Settings(desired_retention=0.8, learning_steps_minutes=(5,), relearning_steps_minutes=(3,),
                 maximum_interval_days=30)
    planner = Planner(s, fuzz=False)
    sched = planner.scheduler
    assert sched.desired_retention == 0.8
    assert sched.learning_steps == (timedelta(minutes=5),)
    assert sched.relearning_steps == (timedelta(minutes=3),)
    assert sched.maximum_interval == 30
    card = planner.new_card(T0)
    for _ in range(8):
        card = planner.review(card, Rating.Easy, card.due)
    assert card.due - card.last_review <= timedelta(days=30)


def test_preview_gives_one_interval_per_rating() -> None:
    planner = Planner(Settings(), fuzz=False)
    outs = planner.outcomes(planner.new_card(T0), T0)
    ivl = intervals(outs, T0)
    assert list(ivl) == [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]
    assert ivl[Rating.Again] == timedelta(minutes=1)
    assert ivl[Rating.Good] == timedelta(minutes=10)
    assert ivl[Rating.Again] < ivl[Rating.Hard] < ivl[Rating.Good] < ivl[Rating.Easy]


def _review_card_after(planner: Planner) -> Card:
    card = planner.new_card(T0)
    now = T0
    for _ in range(4):
        card = planner.review(card, Rating.Good, now)
        now = card.due
    return card


def test_fuzz_is_seeded_and_reproducible() -> None:
    a = _review_card_after(Planner(Settings(), fuzz=True, seed=7))
    b = _review_card_after(Planner(Settings(), fuzz=True, seed=7))
    plain = _review_card_after(Planner(Settings(), fuzz=False))
    assert a.due == b.due
    assert abs((a.due - plain.due).days) <= max(3, (plain.due - T0).days // 10)
    # fuzz is really on: different seeds spread the due date around the unfuzzed one
    spread = {_review_card_after(Planner(Settings(), fuzz=True, seed=s)).due for s in range(12)}
    assert len(spread) > 1


def test_settings_validate_and_round_trip() -> None:
    s = Settings(new_per_day=5, learning_steps_minutes=(2, 20))
    assert Settings.from_dict(s.to_dict()) == s
    assert Settings.from_dict({"new_per_day": -3}) == Settings()  # bad saved values fall back
    with pytest.raises(ValueError):
        Settings(desired_retention=1.5)
    with pytest.raises(ValueError, match="unknown setting"):
        s.with_changes(colour="red")


@pytest.mark.parametrize(
    ("delta", "text"),
    [(timedelta(seconds=20), "<1m"), (timedelta(minutes=10), "10m"), (timedelta(hours=3), "3h"),
     (timedelta(days=4), "4d"), (timedelta(days=63), "2.1mo"), (timedelta(days=500), "1.4y")],
)
def test_format_interval(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text
