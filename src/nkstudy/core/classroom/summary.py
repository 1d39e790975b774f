"""A class's figures for one drill: the score distribution, its reliability, and the time per question.

* **mean, median, standard deviation** (population: the class is all there is),
  **min, max** of the sittings' scores (marks, one per question);
* **histogram**: how many sittings scored 0, 1, ... up to the number of questions;
* **KR-20** (Kuder–Richardson 20), the reliability of a test of right/wrong
  questions: ``k / (k - 1) * (1 - sum(p * (1 - p)) / variance)`` with ``k``
  questions, ``p`` each question's facility and the variance of the scores.
  None with fewer than 2 questions, 2 sittings or scores all alike;
* **mean seconds per question**: the time of every answer given or timed out,
  divided by their number.

Pure: no Textual, no Rich, no SQLite.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from nkstudy.core.classroom.analysis import Analysis
from nkstudy.core.classroom.drill import DrillResult


@dataclass(frozen=True)
class Summary:
    sittings: int
    questions: int
    mean: float | None
    median: float | None
    sd: float | None
    low: int | None
    high: int | None
    histogram: tuple[int, ...]  # index: score
    kr20: float | None
    seconds_per_question: float | None


def summarise(analysis: Analysis, results: Iterable[DrillResult]) -> Summary:
    scores = [s.score for s in analysis.students]
    k = len(analysis.items)
    histogram = [0] * (k + 1)
    for score in scores:
        histogram[min(max(score, 0), k)] += 1
    timed = [r.seconds for r in results if r.seconds is not None]
    mean = statistics.fmean(scores) if scores else None
    variance = statistics.pvariance(scores) if len(scores) > 1 else None
    kr20 = None
    if k > 1 and variance:
        spread = sum((i.facility or 0.0) * (1 - (i.facility or 0.0)) for i in analysis.items)
        kr20 = k / (k - 1) * (1 - spread / variance)
    return Summary(
        sittings=len(scores),
        questions=k,
        mean=mean,
        median=float(statistics.median(scores)) if scores else None,
        sd=variance ** 0.5 if variance is not None else (0.0 if scores else None),
        low=min(scores) if scores else None,
        high=max(scores) if scores else None,
        histogram=tuple(histogram),
        kr20=kr20,
        seconds_per_question=statistics.fmean(timed) if timed else None,
    )


__all__ = ["Summary", "summarise"]
