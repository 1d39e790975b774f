"""GIFT and Moodle XML written as Moodle writes them: cloze answers whole and HTML-unescaped,
partial credit reported, an unclosed brace losing only its own question."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.formats import import_files

MOODLE_CLOZE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 1001  -->
  <question type="cloze">
    <name>
      <text>Salt</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Table salt is sodium {1:SHORTANSWER:%100%chloride#Right~%50%chlorine#Close~=NaCl}.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
  </question>
<!-- question: 1002  -->
  <question type="cloze">
    <name>
      <text>Inequality</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>If n is less than e we write {1:SA:=n&lt;e} in maths.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
  </question>
</quiz>
"""


def test_moodle_cloze_answers_are_whole_and_unescaped(tmp_path: Path) -> None:
    path = tmp_path / "cloze.xml"
    path.write_text(MOODLE_CLOZE, encoding="utf-8")
    result = import_files([path])
    assert not result.skipped and not result.errors
    salt, maths = result.questions
    assert salt.prompt == "Table salt is sodium _____."
    assert salt.answer_text() == "chloride" and salt.accept == ("NaCl",)
    assert maths.answer_text() == "n<e"
    partial = [n for n in result.notes if "partial credit" in n]
    assert len(partial) == 1 and "chlorine" in partial[0] and f"{path}:4" in partial[0]


def test_gift_partial_credit_is_reported_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lake.gift"
    path.write_text("::lake:: Which sea did Jesus walk on? {\n=Sea of Galilee#Right\n~%50%Galilee#Half marks\n"
                    "~Dead Sea#No\n}\n", encoding="utf-8")
    assert main(["import", str(path), "--to", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "partial credit" in line]
    assert len(lines) == 1 and f"{path}:1:" in lines[0] and "Galilee (50%)" in lines[0]


def test_an_unclosed_gift_brace_loses_only_its_own_question(tmp_path: Path) -> None:
    path = tmp_path / "quiz.gift"
    path.write_text(
        "::one:: What is 2+2? {=4 ~5}\n\n"
        "::two:: What is the capital of France? {=Paris ~Lyon\n\n"
        "::three:: What is the capital of Italy? {=Rome ~Milan}\n\n"
        "Which river flows through Cairo? {=Nile ~Amazon}\n",
        encoding="utf-8",
    )
    result = import_files([path])
    assert [q.answer_text() for q in result.questions] == ["4", "Rome", "Nile"]
    assert len(result.errors) == 1 and result.errors[0].startswith(f"{path}:3:")


def test_gift_match_items_holding_arrows(tmp_path: Path) -> None:
    from nkstudy.core.model import MatchQuestion, Pack, PackInfo
    from nkstudy.formats import export_pack
    from nkstudy.formats.gift_export import export_question

    right_arrow = MatchQuestion(id="m1", prompt="Match the causes.", pairs=(("rain", "wet -> slippery"),
                                                                            ("sun", "dry -> dusty")))
    left_arrow = MatchQuestion(id="m2", prompt="Match.", pairs=(("a -> b", "x"), ("c", "y")))
    pack = Pack(PackInfo("p", "P", "1", "d", "en"), tmp_path, {}, (), (right_arrow, left_arrow))
    exported = export_pack(pack, "gift")
    assert len(exported.skipped) == 1 and "'m2'" in exported.skipped[0] and "->" in exported.skipped[0]
    assert isinstance(export_question(right_arrow, pack), str)
    path = tmp_path / "m.gift"
    path.write_bytes(exported.data)
    back = import_files([path]).questions
    assert [q.pairs for q in back] == [right_arrow.pairs]  # type: ignore[attr-defined]


def test_an_escaped_newline_is_a_line_break_and_the_files_own_are_spaces(tmp_path: Path) -> None:
    # Moodle writes a line break inside a text as \n (its repchar) and reads it back as one; a line
    # break in the file itself only continues the text
    path = tmp_path / "q.gift"
    path.write_text("::nl::Which river\nflows through Cairo?{\n\t=Nile\n\t####First line.\\nSecond   line.\n}\n",
                    encoding="utf-8")
    (q,) = import_files([path]).questions
    assert q.prompt == "Which river flows through Cairo?"
    assert q.explanation == "First line.\nSecond line."


def test_numeric_partial_credit_names_the_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Moodle's own examples.txt (line 76): a numeric answer has no text, so the note named nothing
    path = tmp_path / "grant.gift"
    path.write_text("When was Ulysses S. Grant born? {#\n    =1822:0\n    =%50%1822:2}\n", encoding="utf-8")
    assert main(["import", str(path), "--to", str(tmp_path / "p")]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "partial credit" in line]
    assert len(lines) == 1 and f"{path}:1:" in lines[0] and lines[0].endswith(": 1822:2 (50%)")
