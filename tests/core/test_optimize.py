"""nkstudy optimize's core: review histories, and a fit with the FSRS project's optimizer."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from nkstudy.core.study.optimize import MIN_REVIEWS, History, fit, histories, scored_reviews
from nkstudy.core.study.schedule import DEFAULT_PARAMETERS, Card, Rating, Scheduler

T0 = datetime(2024, 1, 1, 9, tzinfo=UTC)


def test_histories_count_study_days_between_answers() -> None:
    day = 86400.0
    t = T0.timestamp()
    log = [("p", "a", t, 3), ("p", "a", t + 600, 3), ("p", "a", t + 3 * day, 1), ("p", "b", t + day, 4)]
    cards = histories(log, lambda ts: datetime.fromtimestamp(ts, UTC).date())
    assert cards == [[(3, 0), (3, 0), (1, 3)], [(4, 0)]]
    assert scored_reviews(cards) == 1  # only the answer three days later teaches the long-term model


def _simulated_learner(true_parameters: tuple[float, ...], seed: int, n_cards: int = 250) -> list[History]:
    """Reviews scheduled by the default parameters, recalled as a memory with ``true_parameters`` would.

    Each answer's recall is drawn (seeded) with fsrs's own retrievability of the true memory.
    """
    rng = random.Random(seed)
    app = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    memory = Scheduler(parameters=true_parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    out = []
    for _ in range(n_cards):
        start = T0 + timedelta(days=rng.randrange(30))
        shown, true = Card(due=start), Card(due=start)
        when, last = start, start.date()
        history: list[tuple[int, int]] = []
        for _review in range(6):
            recalled = not history or rng.random() < memory.get_card_retrievability(true, when)
            rating = Rating.Good if recalled else Rating.Again
            history.append((int(rating), (when.date() - last).days if history else 0))
            last = when.date()
            shown, _ = app.review_card(shown, rating, when)
            true, _ = memory.review_card(true, rating, when)
            when = max(shown.due, when + timedelta(days=1))
        out.append(history)
    return out


def test_a_fit_predicts_a_learners_reviews_better_than_the_defaults() -> None:
    pytest.importorskip("fsrs_rs_python", reason='the optimizer is the extra "nkstudy[optimize]"')
    weak = list(DEFAULT_PARAMETERS)
    weak[0:4] = [0.08, 0.3, 0.6, 1.5]  # this learner forgets new cards far sooner than fsrs assumes
    weak[20] = 0.4  # and forgets faster at first (the curve's decay)
    cards = _simulated_learner(tuple(weak), seed=7)
    assert scored_reviews(cards) >= MIN_REVIEWS
    result = fit(cards)
    assert result.parameters != DEFAULT_PARAMETERS
    assert result.after.log_loss < result.before.log_loss
    assert result.reviews == scored_reviews(cards)


def test_too_few_reviews_says_how_many_are_needed() -> None:
    pytest.importorskip("fsrs_rs_python", reason='the optimizer is the extra "nkstudy[optimize]"')
    cards = [[(3, 0), (3, 2)]] * 5
    with pytest.raises(ValueError, match=str(MIN_REVIEWS)):
        fit(cards)


def test_the_study_day_of_each_answer_is_what_counts() -> None:
    days = {0.0: date(2024, 1, 1), 1.0: date(2024, 1, 1), 2.0: date(2024, 1, 2)}
    assert histories([("p", "a", 0.0, 3), ("p", "a", 1.0, 3), ("p", "a", 2.0, 2)], days.__getitem__) == [
        [(3, 0), (3, 0), (2, 1)]]
