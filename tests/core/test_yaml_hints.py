"""Validate's YAML messages: a plain-words fix for the common mistakes, at the right file and
line, with no spurious second problem; `` #`` in a plain value, "did you mean", the nearest
passage for a misquoted excerpt, problems in file and line order.

The tests hold our own hint (its key words) and the file:line, never the YAML library's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nkstudy.cli import main
from packfactory import PACK_YAML, QUESTIONS_YAML, write_pack

Q = QUESTIONS_YAML


def _validate(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", str(folder)])
    err = capsys.readouterr().err.splitlines()
    return code, err


def _break(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    assert old in Q
    bad = Q.replace(old, new, 1)
    line = bad[: bad.index(new)].count("\n") + 1 + new[: len(new) - len(new.lstrip("\n"))].count("\n")
    return write_pack(tmp_path / "p", questions_yaml=bad), line


CASES = {
    # what the author wrote, and the words our hint must hold
    "unquoted colon": ("    prompt: In April 2024, in which city", "    prompt: Note: in April 2024, in which city",
                       ("put the value in quotes", 'prompt: "Note: in April 2024')),
    "tab indent": ("    type: choice\n", "\ttype: choice\n", ("tab", "spaces")),
    "indented too deep": ("    type: choice\n", "      type: choice\n", ("indented deeper", "line it up")),
    "unclosed quote": ("    answer: Pyongyang\n", '    answer: "Pyongyang\n', ("opened with \"", 'matching "')),
    "out of step": ("    answer: Pyongyang\n", "   answer: Pyongyang\n", ("not lined up",)),
}


@pytest.mark.parametrize("label", list(CASES))
def test_common_yaml_mistakes_get_a_fix_at_their_line_and_nothing_else(
    label: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, words = CASES[label]
    folder, line = _break(tmp_path, old, new)
    code, err = _validate(folder, capsys)
    assert code == 1
    assert len(err) == 2, err  # the one problem, then the count
    assert err[0].startswith(f"{folder / 'questions.yaml'}:{line}: ") or re.search(rf"questions\.yaml:{line}: ", err[0])
    for word in words:
        assert word in err[0], (label, err[0])
    assert "no questions" not in "\n".join(err)
    assert "Traceback" not in "\n".join(err)


def test_a_yaml_error_in_pack_yaml_is_the_only_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_pack(tmp_path / "p", pack_yaml=PACK_YAML.replace("title: A test pack", "title: Test: a pack"))
    code, err = _validate(folder, capsys)
    assert code == 1 and len(err) == 2
    assert re.search(r"pack\.yaml:2: .*put the value in quotes: title: \"Test: a pack\"", err[0]), err


def test_a_hash_in_a_plain_value_is_flagged_with_the_hint_to_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = "    prompt: In April 2024, in which city did Kim Jong Un meet the senior Chinese official?"
    new = "    prompt: Which river will bridge #2 cross?"
    folder, line = _break(tmp_path, old, new)
    code, err = _validate(folder, capsys)
    assert code == 1
    assert re.search(rf"questions\.yaml:{line}: .*'#2 cross\?'.*prompt: \"Which river will bridge #2 cross\?\"",
                     err[0]), err


def test_a_comment_set_apart_after_a_value_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = _break(tmp_path, "    answer: Pyongyang\n", "    answer: Pyongyang      # the capital\n")
    code, err = _validate(folder, capsys)
    assert code == 0, err


def test_unknown_field_gets_did_you_mean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, line = _break(tmp_path, "    explanation: The test article", "    explaination: The test article")
    code, err = _validate(folder, capsys)
    assert code == 1
    assert re.search(rf"questions\.yaml:{line}: .*'explaination'.*did you mean 'explanation'", err[0]), err


def test_misquoted_excerpt_names_the_closest_passage_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, line = _break(
        tmp_path,
        "    excerpt: the country's leader Kim Jong Un in the capital Pyongyang",
        "    excerpt: the country's leader Kim Jong-un in the capital of Pyongyang",
    )
    code, err = _validate(folder, capsys)
    assert code == 1
    # "in the capital Pyongyang" is on line 4 of sources/art.txt
    assert re.search(rf"questions\.yaml:{line}: .*sources/art\.txt:4: .*capital Pyongyang", err[0]), err


def test_problems_are_sorted_by_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = Q.replace("    answer: Pyongyang\n", "    answer: Nowhere\n")
    bad = bad.replace("difficulty: easy", "difficulty: hardest")
    pack = PACK_YAML.replace("    kind: meeting", "    kind: meetingx")
    folder = write_pack(tmp_path / "p", pack_yaml=pack, questions_yaml=bad)
    code, err = _validate(folder, capsys)
    assert code == 1
    where = [(m.group(1), int(m.group(2))) for m in (re.search(r"(\w+\.yaml):(\d+):", e) for e in err) if m]
    assert len(where) >= 3 and where == sorted(where)


def test_a_pack_file_over_the_size_limit_suggests_include(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_pack(tmp_path / "p")
    with (folder / "questions.yaml").open("a", encoding="utf-8") as fh:
        fh.write("#" * (5 * 1024 * 1024 + 10) + "\n")
    code, err = _validate(folder, capsys)
    assert code == 1
    assert "questions.yaml" in err[0] and "include:" in err[0]
    assert "no questions" not in "\n".join(err)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('id: p\ntitle: "never closed\n', 2, ("opened with \"", 'matching "')),
        ("id: p\ntitle: 'never closed\n", 2, ("opened with '", "twice")),
        ("id: p\ntags: [a, b\ntitle: x\n", 2, ("[", "]")),
        ("id: p\ntitle: @home\n", 2, ("cannot start with @", "quotes")),
    ],
)
def test_hints_at_the_end_of_a_file(text: str, line: int, words: tuple[str, ...]) -> None:
    from nkstudy.core.packs.safeyaml import YamlError, load_yaml_checked

    with pytest.raises(YamlError) as caught:
        load_yaml_checked(text.encode())
    assert caught.value.line == line
    for word in words:
        assert word in caught.value.message
