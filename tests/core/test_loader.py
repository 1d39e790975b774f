"""The pack loader: valid packs load, and every kind of problem is reported
with its file, line and field, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.core.model import (
    ChoiceQuestion,
    ClozeQuestion,
    MultiQuestion,
    OrderQuestion,
    PartialDate,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.packs.loader import load_pack
from packfactory import HOSTILE, PACK_YAML, QUESTIONS_YAML, says_expected, write_pack


def problems_of(folder: Path) -> list[str]:
    result = load_pack(folder)
    assert result.pack is None, "expected the pack to be refused"
    return [p.format(relative_to=folder) for p in result.problems]


def test_valid_pack_loads_every_type(pack_dir: Path) -> None:
    result = load_pack(pack_dir)
    assert result.ok, [p.format() for p in result.problems]
    pack = result.pack
    assert pack is not None
    assert pack.id == "test-pack"
    kinds = {type(q) for q in pack.questions}
    assert kinds == {
        ChoiceQuestion, MultiQuestion, TrueFalseQuestion, TypedQuestion, OrderQuestion, ClozeQuestion
    }
    source = pack.sources["art"]
    assert source.published == PartialDate(2024, 4, 13)
    assert source.date_from_outside is True
    assert pack.events[0].when_text == "Saturday"
    assert pack.question("q-choice").event == "zhao-kim"
    assert pack.question("q-multi").answer == frozenset({"Kim Jong Un", "Choe Ryong Hae"})
    assert pack.question("q-tf").answer is True
    assert pack.question("q-order").answer == ("Zhao meets Choe Ryong Hae", "Zhao meets Kim Jong Un")


def test_answer_not_among_options_names_file_line_and_question(tmp_path: Path) -> None:
    bad = QUESTIONS_YAML.replace("    answer: Pyongyang\n", "    answer: Beijingg\n")
    folder = write_pack(tmp_path / "p", questions_yaml=bad)
    problems = problems_of(folder)
    line = bad.splitlines().index("    answer: Beijingg") + 1
    assert f"questions.yaml:{line}: question 'q-choice': answer 'Beijingg' is not one of its options" in problems


def test_all_problems_are_reported_not_just_the_first(tmp_path: Path) -> None:
    bad = (
        QUESTIONS_YAML.replace("    answer: Pyongyang\n", "    answer: Nowhere\n")
        .replace("type: truefalse", "type: yesno")
        .replace("id: q-typed", "id: q-multi")
        .replace("source: art\n    excerpt: during a meeting Saturday", "source: nope\n    excerpt: x")
    )
    folder = write_pack(tmp_path / "p", questions_yaml=bad)
    text = "\n".join(problems_of(folder))
    assert "answer 'Nowhere' is not one of its options" in text
    assert "unknown question type 'yesno'" in text
    assert "duplicate question id 'q-multi'" in text
    assert "unknown source id 'nope'" in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    prompt: Whom did", "    promptx: Whom did", "unknown field 'promptx'"),
        ("    prompt: Whom did the official meet in April 2024?\n", "", "missing field 'prompt'"),
        ("    answer: true\n", "    answer: maybe\n", "must be true or false"),
        ("    options: [Beijing, Pyongyang, Dalian, Tokyo]", "    options: Pyongyang", "must be a list"),
        ("    tags: [where]", "    tags: [Place]", "tag 'Place' does not fit"),
        ("    difficulty: easy", "    difficulty: brutal", "difficulty must be one of"),
        ("    event: zhao-kim", "    event: no-such-event", "unknown event id 'no-such-event'"),
        ("excerpt: during a meeting Saturday", "excerpt: during a meeting on Sunday", "is not found verbatim"),
        ("answer: [Kim Jong Un, Choe Ryong Hae]", "answer: [Kim Jong Un, Xi]", "answer 'Xi' is not one of its options"),
        ("promote ____ and", "promote what and", "exactly one blank"),
        ("promote ____ and", "promote ____ and ___", "exactly one blank"),
        ("    answer: [Zhao meets Choe Ryong Hae, Zhao meets Kim Jong Un]", "    answer: [only one]", "2 to 9 items"),
    ],
)
def test_field_problems(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in QUESTIONS_YAML
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS_YAML.replace(old, new, 1))
    problems = problems_of(folder)
    assert any(message in p and p.startswith("questions.yaml:") for p in problems), problems


def test_excerpt_match_ignores_whitespace_and_quote_style(tmp_path: Path) -> None:
    # The article uses curly quotes and a line break; the excerpt straight quotes and one line.
    folder = write_pack(tmp_path / "p")
    pack = load_pack(folder).pack
    assert pack is not None
    assert pack.question("q-cloze").excerpt == 'how to promote "exchanges and cooperation"'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("file: sources/art.txt", "file: ../../etc/passwd", "outside the pack folder"),
        ("file: sources/art.txt", "file: /etc/passwd", "outside the pack folder"),
        ("file: sources/art.txt", "file: sources/missing.txt", "not found"),
        ("published: 2024-04-13", "published: April 2024", "is not a date"),
        ("published: 2024-04-13", "published: 2024-02-30", "not a real date"),
        ("kind: meeting", "kind: party", "unknown event kind 'party'"),
        ("  - questions.yaml", "  - ../outside.yaml", "outside the pack folder"),
        ("id: test-pack", "id: Test Pack", "may hold only lowercase"),
        ("language: en\n", "", "missing field 'language'"),
    ],
)
def test_pack_file_problems(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in PACK_YAML
    folder = write_pack(tmp_path / "p", pack_yaml=PACK_YAML.replace(old, new, 1))
    problems = problems_of(folder)
    assert any(message in p for p in problems), problems
    assert all(":" in p for p in problems)


def test_source_outside_pack_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("A senior Chinese official reaffirmed ties with North Korea", encoding="utf-8")
    pack_yaml = PACK_YAML.replace("file: sources/art.txt", "file: ../secret.txt")
    folder = write_pack(tmp_path / "p", pack_yaml=pack_yaml)
    problems = problems_of(folder)
    assert any("outside the pack folder" in p for p in problems)


def test_empty_pack_is_refused(tmp_path: Path) -> None:
    pack_yaml = PACK_YAML.replace("include:\n  - questions.yaml\n", "")
    folder = write_pack(tmp_path / "p", pack_yaml=pack_yaml, questions_yaml=None)
    problems = problems_of(folder)
    assert any("the pack has no questions" in p for p in problems), problems


def test_missing_pack_yaml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    problems = problems_of(tmp_path / "empty")
    assert any("no pack.yaml" in p for p in problems)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pack_yaml_gives_one_problem_naming_the_file(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "pack.yaml").write_bytes(HOSTILE[name])
    result = load_pack(folder)
    assert result.pack is None
    assert len(result.problems) == 1
    line = result.problems[0].format(relative_to=folder)
    assert line.startswith("pack.yaml"), line
    assert says_expected(name, line), line
    assert "\n" not in line


@pytest.mark.parametrize("name", ["binary", "latin1", "bomb", "python-tag"])
def test_hostile_included_file_is_reported_with_its_name(tmp_path: Path, name: str) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=None)
    (folder / "questions.yaml").write_bytes(HOSTILE[name])
    problems = problems_of(folder)
    assert any(p.startswith("questions.yaml") and says_expected(name, p) for p in problems), problems


def test_invalid_yaml_reports_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "pack.yaml").write_bytes(HOSTILE["invalid"])
    [problem] = load_pack(folder).problems
    assert problem.line in (2, 3)


def test_binary_source_file_is_refused(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", sources={"sources/art.txt": "x"})
    (folder / "sources" / "art.txt").write_bytes(HOSTILE["binary"])
    problems = problems_of(folder)
    assert any("source file 'sources/art.txt'" in p and "binary" in p for p in problems), problems
