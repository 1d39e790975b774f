"""study_counts and pack_overview look only at the questions that matter; their figures are those of every question."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nkstudy.core.model import Pack, PackInfo, PartialDate, Source, TrueFalseQuestion
from nkstudy.core.study.planning import plan_queue
from nkstudy.core.study.progress import CardRow
from nkstudy.core.study.results import StudyCounts
from nkstudy.core.study.schedule import Planner, Settings
from nkstudy.core.study.stats import MASTERY_HORIZON, pack_overview, study_counts

NOW = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
DAY_END = NOW + timedelta(hours=1)


def _pack(pack_id: str, n: int) -> Pack:
    source = Source("s", "sources/s.txt", "S", "Wire", PartialDate(2024, 4, 13), False, "on Saturday")
    questions = tuple(TrueFalseQuestion(id=f"q{i:03d}", prompt=f"Statement {i}", source="s", excerpt="on Saturday",
                                        tags=(), answer=True) for i in range(n))
    return Pack(PackInfo(pack_id, pack_id.upper(), "1", "t", "en"), Path("."), {"s": source}, (), questions)


def _cards(rng: random.Random, packs: list[Pack], share: float) -> dict[tuple[str, str], CardRow]:
    now_ts = NOW.timestamp()
    out = {}
    for pack in packs:
        for q in [*pack.questions, *(TrueFalseQuestion(id=f"gone{i}", prompt="x", source="s", excerpt="on",
                                                       tags=(), answer=True) for i in range(3))]:
            if rng.random() < share:
                due = now_ts + rng.uniform(-2, 2) * 86400
                out[(pack.id, q.id)] = CardRow(pack.id, q.id, rng.choice((1, 2, 2, 3)), None,
                                               rng.uniform(1, 50), rng.uniform(1, 10), due, due - 86400, 3, 0)
    return out


def _plain_counts(pack: Pack, cards: dict, new_limit: int) -> StudyCounts:
    """The definition: plan every question of the pack."""
    keys = [(pack.id, q.id) for q in pack.questions]
    now_ts = NOW.timestamp()
    plan = plan_queue(keys, {k: (cards[k].state, cards[k].due) for k in keys if k in cards},
                      now_ts, DAY_END.timestamp(), new_limit)
    new = sum(1 for k in plan.main if k not in cards)
    # due now means due now: a learning card back in ten minutes is "later", not due
    return StudyCounts(pack.id, new, len(plan.learning_now), len(plan.main) - new, len(plan.learning_later))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("share", [0.0, 0.3, 0.97, 1.0])
@pytest.mark.parametrize("new_limit", [0, 4, 500])
def test_counts_and_overview_are_those_of_every_question(seed: int, share: float, new_limit: int) -> None:
    packs = [_pack("a", 120), _pack("b", 40)]
    cards = _cards(random.Random(seed), packs, share)
    planner = Planner(Settings(), fuzz=False, seed=1)
    for pack in packs:
        counts = study_counts(pack, cards, NOW, DAY_END, new_limit)
        assert counts == _plain_counts(pack, cards, new_limit)
        overview = pack_overview(pack, cards, counts, planner, NOW)
        rows = [cards[(pack.id, q.id)] for q in pack.questions if (pack.id, q.id) in cards]
        recall = 0.0
        for row in rows:  # in question order, as the figure was always summed
            recall += planner.retrievability(row.to_card(), NOW + MASTERY_HORIZON)
        assert overview.mastery == recall / len(pack.questions)
        assert (overview.new, overview.learning, overview.review) == (
            len(pack.questions) - len(rows), sum(r.state != 2 for r in rows), sum(r.state == 2 for r in rows))
