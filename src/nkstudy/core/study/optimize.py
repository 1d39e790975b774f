"""Fitting a profile's own FSRS parameters with the FSRS project's optimizer (fsrs-rs-python).

The review log becomes one history per card, as the optimizer expects: each answer is a
(rating, days since the card's previous answer) pair, counted in study days.  Fitting and
scoring are the optimizer's own (``compute_parameters``, ``evaluate``); this module writes
no optimizer of its own.  fsrs-rs-python is an optional extra (``nkstudy[optimize]``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nkstudy.core.study.schedule import DEFAULT_PARAMETERS

#: answers to cards already seen on an earlier study day (what the optimizer learns from) needed to fit
MIN_REVIEWS = 100
INSTALL_HINT = 'pip install "nkstudy[optimize]"'

#: one card's answers, oldest first: (fsrs rating 1..4, study days since the previous answer; 0 for the first)
History = list[tuple[int, int]]


class OptimizerMissing(Exception):
    """fsrs-rs-python is not installed."""


@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse: float  # the optimizer's RMSE over bins of predictions


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]
    before: Score  # the parameters in use, on the profile's reviews
    after: Score  # the fitted ones, on the same reviews
    reviews: int  # the answers that were scored


def histories(log: Iterable[tuple[str, str, float, int]], day_of: Callable[[float], date]) -> list[History]:
    """One history per card from (pack, question, ts, rating) rows sorted by card, then time."""
    out: list[History] = []
    last_key: tuple[str, str] | None = None
    last_day: date | None = None
    for pack_id, question_id, ts, rating in log:
        day = day_of(ts)
        if (pack_id, question_id) != last_key:
            out.append([])
            last_key, last_day = (pack_id, question_id), None
        gap = (day - last_day).days if last_day is not None else 0
        out[-1].append((int(rating), max(0, gap)))
        last_day = day
    return out


def scored_reviews(cards: Sequence[History]) -> int:
    """Answers the optimizer can learn from: those that follow the card's answer on an earlier day."""
    total = 0
    for history in cards:
        seen_before = False
        for _rating, gap in history:
            if seen_before and gap > 0:
                total += 1
            seen_before = True
    return total


def _module() -> Any:
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizerMissing(INSTALL_HINT) from None
    return fsrs_rs_python


def _items(rs: Any, cards: Sequence[History]) -> list[Any]:
    """Every prefix of every history that ends in an answer on a later day (the optimizer's training items)."""
    items = []
    for history in cards:
        for end in range(2, len(history) + 1):
            if history[end - 1][1] > 0:
                items.append(rs.FSRSItem([rs.FSRSReview(rating, gap) for rating, gap in history[:end]]))
    return items


def evaluate(cards: Sequence[History], parameters: Sequence[float]) -> Score:
    """How well ``parameters`` predict the answers in ``cards`` (the optimizer's own measures)."""
    rs = _module()
    result = rs.FSRS(list(parameters)).evaluate(_items(rs, cards))
    return Score(float(result.log_loss), float(result.rmse_bins))


def fit(cards: Sequence[History], current: Sequence[float] = ()) -> Fit:
    """Fit parameters to ``cards`` and score them and ``current`` (default: fsrs's) on the same answers.

    Raises :class:`OptimizerMissing` without fsrs-rs-python, ValueError with too few reviews.
    """
    rs = _module()
    count = scored_reviews(cards)
    if count < MIN_REVIEWS:
        raise ValueError(f"{count} reviews to learn from; fitting needs at least {MIN_REVIEWS} "
                         "(answers to cards seen on an earlier day)")
    items = _items(rs, cards)
    fitted = tuple(float(p) for p in rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items))
    if len(fitted) != len(DEFAULT_PARAMETERS) or not all(math.isfinite(p) for p in fitted):
        raise ValueError("the optimizer returned no usable parameters; keep the ones in use")
    before = evaluate(cards, current or DEFAULT_PARAMETERS)
    return Fit(fitted, before, evaluate(cards, fitted), count)


__all__ = ["INSTALL_HINT", "MIN_REVIEWS", "Fit", "History", "OptimizerMissing", "Score", "evaluate", "fit",
           "histories", "scored_reviews"]
