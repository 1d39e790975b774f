"""Snapshots at 80×24 of each answer widget, the rating bar and the engine-problem banner.

The clock, the theme, the seed and the data folder are pinned by ``make_app``
(conftest.py); regenerate with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import answer, ready, settle, settled, start_study

from nkstudy.core.model import QUESTION_TYPES
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.study.session import StudyRequest
from nkstudy.tui.study.screens.study import StudyScreen
from packfactory import CARD_MATCH_YAML, QUESTIONS_YAML, write_pack

SIZE = (80, 24)
#: questions of any type the factory pack lacks (YAML list items), for their snapshots
EXTRA_YAML = ""
#: one question of each type, by type name: a new type adds its question id here (and to EXTRA_YAML)
QUESTION_OF = {"choice": "q-choice", "multi": "q-multi", "truefalse": "q-tf", "typed": "q-typed",
               "cloze": "q-cloze", "order": "q-order", "card": "q-card", "match": "q-match"}


def test_every_question_type_has_a_widget_snapshot() -> None:
    assert set(QUESTION_OF) == set(QUESTION_TYPES)  # a new type needs its snapshot here


@pytest.fixture
def every_type(tmp_path: Path):
    """The factory pack with its six questions, the card, the match and EXTRA_YAML: one of each type."""
    questions = QUESTIONS_YAML + CARD_MATCH_YAML.split("questions:\n", 1)[1] + EXTRA_YAML
    result = load_pack(write_pack(tmp_path / "every-type", questions_yaml=questions))
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


def one_question(question_id: str):
    """``run_before`` for a practice session of one question, shown and waiting for an answer."""

    async def run_before(pilot) -> None:
        await ready(pilot)
        pilot.app.start_study(StudyRequest(pack_ids=["test-pack"], question_ids=[question_id], practice=True))
        await settled(pilot, lambda: isinstance(pilot.app.screen, StudyScreen))
        screen = pilot.app.screen
        await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
        assert screen.item.question.id == question_id

    return run_before


@pytest.mark.parametrize("kind", sorted(QUESTION_OF))
def test_answer_widget(snap_compare, make_app, every_type, kind: str) -> None:
    assert snap_compare(make_app(packs=[every_type]), terminal_size=SIZE, run_before=one_question(QUESTION_OF[kind]))


def test_rating_bar_moved_to_easy(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await start_study(pilot)
        await answer(pilot, right=True)
        await pilot.press("right")  # Good → Easy: the bar shows the choice and every interval
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_engine_problem_banner(snap_compare, make_app, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative data folder, so the banner reads the same on every machine
    Path("not-a-folder").write_text("a file where the data folder should be")
    app = make_app(data_dir=Path("not-a-folder"))

    async def run_before(pilot) -> None:
        await settled(pilot, lambda: app.engine_problem is not None, "the engine problem")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
