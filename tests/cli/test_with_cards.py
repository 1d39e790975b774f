"""``--with-cards`` and the all-flashcards problem, through the commands that make a drill code."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.core.classroom.drill import DrillSpec, select
from nkstudy.core.packs.loader import load_pack
from packfactory import CARD_MATCH_YAML, PACK_YAML, write_pack

CARDS_ONLY_YAML = CARD_MATCH_YAML.split("  - id: q-match")[0]


@pytest.fixture
def cards_home(home: Path) -> Path:
    """``home`` with a second pack, ``cards-only``, whose only question is a flashcard."""
    write_pack(home / "packs" / "cards-only", pack_yaml=PACK_YAML.replace("id: test-pack", "id: cards-only"),
               questions_yaml=CARDS_ONLY_YAML)
    return home


def test_a_pack_of_only_flashcards_says_why_and_what_to_do(cards_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    pack = load_pack(cards_home / "packs" / "cards-only").pack
    assert pack is not None and [q.type_name for q in pack.questions] == ["card"]
    with pytest.raises(ValueError, match="only flashcards match") as info:
        select(DrillSpec.build([pack], 1, 5), [pack])
    assert "--with-cards" in str(info.value) and "\n" not in str(info.value)
    for command in (["drill", "--plain"], ["worksheet"]):
        status = main([*command, "--seed", "1", "--count", "5", "--pack", "cards-only"])
        out, err = capsys.readouterr()
        assert status == 1 and out == "" and err.count("\n") == 1
        assert "only flashcards match" in err and "--with-cards" in err and "Traceback" not in err
    # with --with-cards the teacher gets the drill they asked for
    status = main(["worksheet", "--seed", "1", "--count", "5", "--pack", "cards-only", "--with-cards"])
    out, err = capsys.readouterr()
    assert status == 0 and "Drill code: `cards-only@1.0#1/5` · 1 question" in out and "q-card" not in err
    # a filter that leaves nothing at all is still the plain "matches its filters" problem
    status = main(["worksheet", "--seed", "1", "--count", "5", "--pack", "cards-only", "--tag", "context"])
    assert status == 1 and "matches its filters" in capsys.readouterr().err


def test_with_cards_is_for_new_codes_only(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("drill", "worksheet", "serve", "live"):
        status = main([command, "test-pack@1.0#1/3", "--with-cards"])
        err = capsys.readouterr().err
        assert status == 2 and "not both" in err and err.count("\n") == 1, command
        assert main([command, "--help"]) == 0
        assert "--with-cards" in capsys.readouterr().out, command


def test_every_command_that_makes_a_code_marks_it_unless_told(home: Path) -> None:
    from nkstudy.cli import build_parser
    from nkstudy.cli.common import drill_spec

    pack = load_pack(home / "packs" / "test-pack").pack
    assert pack is not None
    parser = build_parser()
    for command in ("drill", "serve", "live"):
        for extra, marked in (([], True), (["--with-cards"], False)):
            args = parser.parse_args([command, "--seed", "3", "--count", "2", *extra])
            spec = drill_spec(args, [pack])
            assert isinstance(spec, DrillSpec) and spec.marked is marked, (command, extra)
            assert ("+marked" in spec.format()) is marked
    # serve with neither a code nor --seed picks a seed: a new drill, marked too
    spec = drill_spec(parser.parse_args(["serve"]), [pack], default_count=10)
    assert isinstance(spec, DrillSpec) and spec.marked and spec.count == 10
