"""The rules of a live drill: phases, pause keeping the clock, points for right and fast, the leaderboard."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillResult
from nkstudy.core.classroom.live import LiveState

AT = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


def _r(profile: str, position: int, correct: bool, seconds: float | None, *, answered: bool = True,
       picked: tuple[str, ...] | None = None, answer: str = "x") -> DrillResult:
    return DrillResult(profile, f"{profile}-1", "c", position, "p", f"q{position}", answer if answered else "",
                       picked, correct, seconds, AT, answered)


def test_next_walks_waiting_asking_reveal_and_ends_after_the_last() -> None:
    s = LiveState("c")
    s = rules.advance(s, 2, 100.0, 20)
    assert (s.phase, s.position, s.asked_at, s.deadline) == (rules.ASKING, 1, 100.0, 120.0)
    s = rules.advance(s, 2, 105.0, 20)
    assert (s.phase, s.position) == (rules.REVEAL, 1)
    s = rules.advance(s, 2, 110.0, 20)
    assert (s.phase, s.position, s.deadline) == (rules.ASKING, 2, 130.0)
    s = rules.advance(rules.advance(s, 2, 111.0, 20), 2, 112.0, 20)
    assert s.phase == rules.ENDED
    assert rules.advance(s, 2, 113.0, 20) == s


def test_skip_asks_the_next_unrevealed_and_end_ends_from_anywhere() -> None:
    s = rules.ask(LiveState("c"), 1, 0.0, 10)
    assert (rules.skip(s, 3, 5.0, 10).phase, rules.skip(s, 3, 5.0, 10).position) == (rules.ASKING, 2)
    assert rules.skip(rules.ask(s, 3, 0.0, 10), 3, 1.0, 10).phase == rules.ENDED
    for phase in (rules.WAITING, rules.ASKING, rules.PAUSED, rules.REVEAL):
        assert rules.end(LiveState("c", 1, phase)).phase == rules.ENDED


def test_pause_stops_the_clock_and_resume_picks_it_up() -> None:
    s = rules.ask(LiveState("c"), 1, 100.0, 20)
    paused = rules.toggle_pause(s, 108.0)
    assert paused.phase == rules.PAUSED and paused.remaining(500.0) == 12.0
    assert rules.settle(paused, 500.0, 0, 3) == paused  # time does not run out while paused
    resumed = rules.toggle_pause(paused, 200.0)
    assert resumed.phase == rules.ASKING and resumed.remaining(200.0) == 12.0
    assert resumed.allowed == 20.0 and resumed.asked_at == 192.0  # seconds taken leave the pause out
    assert rules.toggle_pause(LiveState("c"), 1.0) == LiveState("c")  # nothing to pause while waiting


def test_the_answer_is_revealed_when_time_is_up_or_everyone_answered() -> None:
    s = rules.ask(LiveState("c"), 1, 100.0, 20)
    assert rules.settle(s, 110.0, 2, 3).phase == rules.ASKING
    assert rules.settle(s, 110.0, 3, 3).phase == rules.REVEAL
    assert rules.settle(s, 120.0, 0, 3).phase == rules.REVEAL
    assert rules.settle(s, 110.0, 0, 0).phase == rules.ASKING  # nobody joined yet: wait for the teacher


@pytest.mark.parametrize(("seconds", "expected"), [(0.0, 1000), (10.0, 750), (20.0, 500), (35.0, 500)])
def test_points_for_right_and_fast(seconds: float, expected: int) -> None:
    assert rules.points(_r("a", 1, True, seconds), 20) == expected


def test_no_points_for_wrong_or_unanswered() -> None:
    assert rules.points(_r("a", 1, False, 1.0), 20) == 0
    assert rules.points(_r("a", 1, False, 1.0, answered=False), 20) == 0
    assert rules.points(_r("a", 1, True, 5.0), None) == 1000  # untimed: speed cannot be measured


def test_leaderboard_orders_by_points_then_time_and_shares_ranks() -> None:
    results = [_r("bob", 1, True, 10.0), _r("ann", 1, True, 0.0), _r("cai", 1, True, 10.0),
               _r("dee", 1, False, 1.0), _r("ann", 1, False, 1.0)]  # ann's second answer to 1 is ignored
    board = rules.leaderboard(results, 20)
    assert [(s.rank, s.profile, s.points) for s in board] == [(1, "ann", 1000), (2, "bob", 750), (2, "cai", 750),
                                                               (4, "dee", 0)]


def test_distribution_of_options_and_of_typed_answers() -> None:
    results = [_r("a", 1, True, 1, picked=("Rome",)), _r("b", 1, False, 1, picked=("Oslo",)),
               _r("c", 1, True, 1, picked=("Rome",)), _r("d", 1, False, None, answered=False)]
    shares = rules.distribution(results, ("Oslo", "Rome", "Bern"), ("Rome",))
    assert [(s.label, s.count, s.right) for s in shares] == [("Oslo", 1, False), ("Rome", 2, True),
                                                             ("Bern", 0, False), (rules.NO_ANSWER, 1, False)]
    typed = [_r("a", 1, True, 1, answer="Pyongyang"), _r("b", 1, False, 1, answer="Seoul"),
             _r("c", 1, True, 1, answer="Pyongyang")]
    assert [(s.label, s.count, s.right) for s in rules.distribution(typed, ())] == [("Pyongyang", 2, True),
                                                                                   ("Seoul", 1, False)]


def test_an_unknown_phase_is_refused() -> None:
    with pytest.raises(ValueError):
        LiveState("c", 1, "dancing")


def test_seats_away_do_not_hold_up_the_reveal_and_may_be_taken_back() -> None:
    from nkstudy.core.classroom.live import AWAY_SECONDS, Seat, may_retake, waiting_on

    now = 1000.0
    seats = [Seat("ann", "a", now - 1), Seat("bob", "b", now - AWAY_SECONDS), Seat("cai", "c", now - 3)]
    assert [s.away(now) for s in seats] == [False, True, False]
    assert waiting_on(seats, {"a"}, now) == (1, 2)  # bob is away: only ann and cai are waited for
    assert waiting_on(seats, {"a", "b", "c"}, now) == (2, 2)  # an away seat's answer is not counted twice
    asked = rules.ask(LiveState("c"), 1, now - 5, None)
    assert rules.settle(asked, now, *waiting_on(seats, {"a", "c"}, now)).phase == rules.REVEAL
    assert rules.settle(asked, now, *waiting_on(seats[1:2], set(), now)).phase == rules.ASKING  # nobody here
    assert may_retake(now - 1, now, same_client=True)
    assert not may_retake(now - AWAY_SECONDS + 1, now, same_client=False)
    assert may_retake(now - AWAY_SECONDS, now, same_client=False)


def test_a_question_asked_while_a_seat_was_away_is_unanswered_for_it_and_only_once_it_closed() -> None:
    from nkstudy.core.classroom.live import Roll, Seat, absences, closed, counted

    seats = (Seat("ann", "ann-1", 0.0, 0.0), Seat("cai", "cai-1", 0.0, 50.0))  # cai joined late
    given = [_r("ann", 1, True, 3.0), _r("ann", 2, True, 3.0), _r("cai", 3, True, 2.0),
             DrillResult("zed", "zed-1", "c", 5, "p", "q5", "x", None, True, 1.0, AT)]  # sat outside the live class
    asking_3 = rules.ask(LiveState("c", 2, rules.REVEAL), 3, 100.0, 20)
    assert [closed(s) for s in (None, LiveState("c"), asking_3, rules.advance(asking_3, 6, 101.0, 20))] == [0, 0, 2, 3]
    roll = Roll.of(seats, asking_3)
    assert (roll.asked, roll.open) == (2, 3)
    made = absences(roll, given, code="c")
    # cai missed 1 and 2 (away, or not there yet); question 3 is still open: nobody is marked for it
    assert [(r.profile, r.position, r.answered, r.correct, r.absent, r.question_id) for r in made] == [
        ("cai", 1, False, False, True, "q1"), ("cai", 2, False, False, True, "q2")]
    # a question someone answered was asked, whatever the state says (a host that restarted); zed's is no sign
    assert [(r.profile, r.position) for r in absences(Roll(seats, 0), given, code="c")] == [
        ("ann", 3), ("cai", 1), ("cai", 2)]
    # a skipped question counts for nobody: no absence made, and every answer to it left out
    kept = counted(Roll(seats, 3, frozenset({2})), given, code="c")
    assert sorted((r.profile, r.position, r.absent) for r in kept if r.profile != "zed") == [
        ("ann", 1, False), ("ann", 3, True), ("cai", 1, True), ("cai", 3, False)]
    assert absences(Roll(), given, code="c") == []  # a drill never run live: nothing made
    assert absences(roll, given, code="other") == []


def test_at_equal_points_more_questions_answered_come_first_then_less_time() -> None:
    away = [DrillResult("amy", "amy-1", "c", p, "p", f"q{p}", "", None, False, None, AT, False, absent=True)
            for p in (1, 2)]  # away the whole drill: nothing answered, no time
    tried = [_r("bea", 1, False, 9.0), _r("bea", 2, False, 9.0)]  # there, and wrong every time
    once = [_r("cy", 1, False, 1.0), _r("cy", 2, False, 1.0, answered=False)]  # one answer, one "don't know"
    fast = [_r("dot", 1, False, 2.0), _r("dot", 2, False, 2.0)]
    board = rules.leaderboard([*away, *tried, *once, *fast], 20)
    assert [(s.rank, s.profile, s.points, s.answered, s.seconds) for s in board] == [
        (1, "dot", 0, 2, 4.0), (2, "bea", 0, 2, 18.0), (3, "cy", 0, 1, 2.0), (4, "amy", 0, 0, 0.0)]
    # equal on points, answers and time: one rank, shared, in name order
    twins = rules.leaderboard([_r("eve", 1, True, 5.0), _r("al", 1, True, 5.0), _r("bo", 1, True, 6.0)], 20)
    assert [(s.rank, s.profile) for s in twins] == [(1, "al"), (1, "eve"), (3, "bo")]


def test_questions_after_the_end_are_not_asked_only_once_the_drill_has_ended() -> None:
    from nkstudy.core.classroom.live import Roll, Seat, counted, last_asked, not_asked

    seats = (Seat("ann", "ann-1", 0.0, 0.0), Seat("bob", "bob-1", 0.0, 0.0))
    given = [_r("ann", 1, True, 3.0), _r("ann", 2, True, 3.0), _r("bob", 1, False, 3.0),
             DrillResult("zed", "zed-1", "c", 5, "p", "q5", "x", None, True, 1.0, AT)]  # sat outside the live class
    revealed_2 = LiveState("c", 2, rules.REVEAL)
    running = Roll.of(seats, revealed_2)
    ended = Roll.of(seats, rules.end(revealed_2))
    assert not running.ended and ended.ended
    assert Roll.of(seats, None) == Roll()  # no teacher opened it: not run live, and those who joined sat nothing
    assert last_asked(running, given, code="c") is None and not_asked(running, given, range(1, 7), code="c") == set()
    assert last_asked(ended, given, code="c") == 2
    assert not_asked(ended, given, range(1, 7), code="c") == {3, 4, 5, 6}  # zed's answer is no sign it was asked
    # a seated answer after where the state says the drill ended: it was asked (a host that restarted)
    assert last_asked(ended, [*given, _r("bob", 4, True, 1.0)], code="c") == 4
    # ended while question 3 was asked, 2 skipped: 3 was asked, 2 stays skipped (not "not asked")
    on_3 = Roll.of(seats, rules.end(rules.ask(revealed_2, 3, 0.0, 20)), skipped=(2,))
    assert not_asked(on_3, given, range(1, 7), code="c") == {4, 5, 6}
    kept = counted(ended, given, code="c")
    assert sorted((r.profile, r.position, r.absent) for r in kept) == [
        ("ann", 1, False), ("ann", 2, False), ("bob", 1, False), ("bob", 2, True)]  # zed's 5 counts for nobody
    assert len(counted(running, given, code="c")) == 5  # still running: zed's answer to 5 counts
    assert Roll().sittings() == [] and ended.sittings() == [("ann", "ann-1"), ("bob", "bob-1")]
