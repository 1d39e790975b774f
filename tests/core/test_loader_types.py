"""Strict types where YAML guesses, and questions that cite no source."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.core.packs.loader import load_pack
from nkstudy.paths import builtin_pack_dir
from packfactory import PACK_YAML, QUESTIONS_YAML, write_pack


def problems(folder: Path, strict: bool = False) -> list[str]:
    result = load_pack(folder, strict=strict)
    assert result.pack is None, "expected the pack to be refused"
    return [p.format(relative_to=folder) for p in result.problems]


@pytest.mark.parametrize(
    ("where", "old", "new", "expected"),
    [
        ("pack", "id: test-pack", "id: 2024", "field 'id' must be text, but YAML reads 2024 as a number; "
                                              'put it in quotes: id: "2024"'),
        ("pack", 'version: "1.0"', "version: 1.10", "field 'version' must be text, but YAML reads 1.10 as the "
                                                   'number 1.1; put it in quotes: version: "1.10"'),
        ("pack", 'version: "1.0"', "version: 2", 'put it in quotes: version: "2"'),
        ("pack", "  - id: art", "  - id: 0x1F", "YAML reads 0x1F as the number 31; put it in quotes"),
        ("pack", "  - id: zhao-kim", "  - id: 1.50", "YAML reads 1.50 as the number 1.5"),
        ("questions", "  - id: q-choice", "  - id: 2024", 'put it in quotes: id: "2024"'),
        ("questions", "  - id: q-tf", "  - id: 0x1F", "YAML reads 0x1F as the number 31"),
        ("questions", "    event: zhao-kim", "    event: 12", 'field \'event\' must be text, but YAML reads 12'),
        ("pack", "    source: art", "    source: 7", "field 'source' must be text, but YAML reads 7"),
        ("questions", "  - id: q-tf", "  - id: yes", "must be text, not true/false (put it in quotes)"),
    ],
)
def test_ids_and_versions_must_be_written_as_text(
    tmp_path: Path, where: str, old: str, new: str, expected: str
) -> None:
    pack_yaml, questions = PACK_YAML, QUESTIONS_YAML
    if where == "pack":
        assert old in pack_yaml
        pack_yaml = pack_yaml.replace(old, new, 1)
    else:
        assert old in questions
        questions = questions.replace(old, new, 1)
    folder = write_pack(tmp_path / "p", pack_yaml=pack_yaml, questions_yaml=questions)
    found = problems(folder)
    assert any(expected in p for p in found), found


def test_quoted_numeric_ids_are_fine(tmp_path: Path) -> None:
    pack_yaml = PACK_YAML.replace('version: "1.0"', 'version: "1.10"')
    questions = QUESTIONS_YAML.replace("  - id: q-choice", '  - id: "2024"')
    result = load_pack(write_pack(tmp_path / "p", pack_yaml=pack_yaml, questions_yaml=questions))
    assert result.ok, [p.format() for p in result.problems]
    assert result.pack is not None
    assert result.pack.info.version == "1.10"
    assert result.pack.question("2024").type_name == "choice"


def test_numbers_in_text_fields_are_kept_exactly_as_written(tmp_path: Path) -> None:
    questions = QUESTIONS_YAML.replace("    answer: Kim Jong Un\n", "    answer: 1.10\n").replace(
        "    accept: [Kim Jong-un]", "    accept: [0x1F, 1_000]"
    )
    result = load_pack(write_pack(tmp_path / "p", questions_yaml=questions))
    assert result.ok, [p.format() for p in result.problems]
    assert result.pack is not None
    typed = result.pack.question("q-typed")
    assert typed.answer == "1.10" and type(typed.answer) is str
    assert typed.accept == ("0x1F", "1_000")


@pytest.mark.parametrize("prompt", ["12345", "3.5", "0x1F"])
def test_a_cloze_prompt_given_as_a_number_is_checked_as_text(tmp_path: Path, prompt: str) -> None:
    questions = QUESTIONS_YAML.replace(
        'prompt: "Fill the blank: Zhao discussed how to promote ____ and cooperation."', f"prompt: {prompt}"
    )
    assert questions != QUESTIONS_YAML
    found = problems(write_pack(tmp_path / "p", questions_yaml=questions))
    assert any("question 'q-cloze': a cloze prompt needs exactly one blank" in p for p in found), found


# -- questions without a source ------------------------------------------------------------

NO_SOURCE_PACK = """\
id: custom
title: A custom pack
version: "1"
description: Questions with no cited source.
language: en
questions:
  - id: c1
    type: typed
    prompt: What is the capital of North Korea?
    answer: Pyongyang
  - id: c2
    type: truefalse
    prompt: Dalian is a port city.
    answer: true
"""


def test_questions_may_cite_no_source_and_the_pack_may_list_none(tmp_path: Path) -> None:
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "pack.yaml").write_text(NO_SOURCE_PACK, encoding="utf-8")
    result = load_pack(folder)
    assert result.ok, [p.format() for p in result.problems]
    assert result.pack is not None
    q = result.pack.question("c1")
    assert q.source is None and q.excerpt is None
    assert result.pack.sources == {}
    exported = {x["id"]: x for x in result.pack.to_export()["questions"]}
    assert exported["c1"]["source"] is None and exported["c1"]["excerpt"] is None


def test_strict_requires_every_question_to_cite_a_source(tmp_path: Path) -> None:
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "pack.yaml").write_text(NO_SOURCE_PACK, encoding="utf-8")
    found = problems(folder, strict=True)
    assert "pack.yaml:1: missing field 'sources'" in found
    assert any(p.startswith("pack.yaml:7: question 'c1': cites no source") and "--strict" in p for p in found), found
    assert any("question 'c2': cites no source" in p for p in found), found


def test_a_question_with_source_but_no_excerpt_or_the_reverse_is_refused(tmp_path: Path) -> None:
    questions = QUESTIONS_YAML.replace(
        "    source: art\n    excerpt: during a meeting Saturday\n", "    source: art\n"
    ).replace("    excerpt: the country's leader Kim Jong Un\n", "")
    found = problems(write_pack(tmp_path / "p", questions_yaml=questions))
    assert any("question 'q-tf': has 'source' but no 'excerpt'; give both or neither" in p for p in found), found
    assert any("question 'q-typed': has 'source' but no 'excerpt'" in p for p in found), found


def test_mixed_pack_cited_questions_are_still_checked(tmp_path: Path) -> None:
    wrong = "    excerpt: the country's leader Kim Jong Il"
    questions = QUESTIONS_YAML.replace("    source: art\n    excerpt: during a meeting Saturday\n", "").replace(
        "    excerpt: the country's leader Kim Jong Un\n    tags: [who]", wrong + "\n    tags: [who]"
    )
    found = problems(write_pack(tmp_path / "p", questions_yaml=questions))
    assert found == [
        f"questions.yaml:{questions.splitlines().index(wrong) + 1}: "
        "question 'q-typed': excerpt \"the country's leader Kim Jong Il\" is not found verbatim in source 'art'"
    ]


def test_builtin_pack_passes_strict(tmp_path: Path) -> None:
    result = load_pack(builtin_pack_dir() / "nk-china-visits", strict=True)
    assert result.ok, [p.format() for p in result.problems][:5]
    assert all(q.source and q.excerpt for q in result.pack.questions)  # type: ignore[union-attr]
