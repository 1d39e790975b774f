"""``nkstudy worksheet``: the drill's questions and option order on paper, then the key on a new page."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.classroom.worksheet import worksheet_html, worksheet_markdown
from nkstudy.cli import main
from nkstudy.core.classroom.drill import DrillSpec, select
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from packfactory import CARD_MATCH_YAML, PACK_YAML, write_pack

SRC = str(Path(__file__).resolve().parents[2] / "src")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _pack(home: Path) -> Pack:
    pack = load_pack(home / "packs" / "test-pack").pack
    assert pack is not None
    return pack


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_markdown_follows_the_drill_and_keys_it_on_a_new_page(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "worksheet", "--seed", "7", "--count", "6", "--pack", "test-pack")
    assert (code, err) == (0, "")
    pack = _pack(home)
    items = select(DrillSpec.build([pack], 7, 6), [pack])
    questions, key = out.split("## Answer key")
    assert "Drill code: `test-pack@1.0#7/6+marked` · 6 questions" in questions
    assert '<div style="break-before: page; page-break-before: always;"></div>' in questions.rstrip()[-80:]
    # the questions in drill order, each with its options in drill order
    at = [questions.index(f"**{i.position}.**") for i in items]
    assert at == sorted(at)
    for item in items:
        block = questions[questions.index(f"**{item.position}.**"):]
        block = block[:block.index(f"**{item.position + 1}.**")] if item.position < len(items) else block
        q = item.question
        if q.type_name == "choice":
            assert [line[5:] for line in block.splitlines() if line.startswith("- ")] == list(item.options)
        if q.type_name in ("multi", "order"):
            assert [line[7:] for line in block.splitlines() if line.startswith("- ☐ ")] == list(item.options)
        if q.type_name == "typed":
            assert "Answer: " + "\\_" * 24 in block
        if q.type_name == "cloze":
            assert "promote " + "\\_" * 12 + " and cooperation." in block
        if q.type_name == "truefalse":
            assert "- True / False" in block
    # the key: each answer, its excerpt and its citation
    assert key.count("> — “Chinese official meets North Korean leader Kim in Pyongyang” (Test Wire, about "
                     "2024-04-13)") == 6
    choice = next(i for i in items if i.question_id == "q-choice")
    letter = "ABCD"[choice.options.index("Pyongyang")]
    assert f"**{choice.position}.** {letter}. Pyongyang\n\n> the country's leader Kim Jong Un in the capital " \
           "Pyongyang" in key
    order = next(i for i in items if i.question_id == "q-order")
    ranks = {"Zhao meets Choe Ryong Hae": 1, "Zhao meets Kim Jong Un": 2}
    expected = ", ".join(f"{'AB'[n]} {ranks[o]}" for n, o in enumerate(order.options))
    assert f"**{order.position}.** {expected}: Zhao meets Choe Ryong Hae → Zhao meets Kim Jong Un" in key
    assert "exchanges" in key and "Kim Jong Un (also accepted: Kim Jong-un)" in key


def test_html_is_self_contained_with_the_key_after_a_page_break(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = home / "sheet.html"
    code, out, err = _run(capsys, "worksheet", "--seed", "7", "--count", "6", "--pack", "test-pack", "-o",
                          str(target))
    assert code == 0 and out == "" and "Wrote" in err
    page = target.read_text(encoding="utf-8")  # html, from the file's name
    assert page.startswith("<!DOCTYPE html>")
    assert ".key { break-before: page; page-break-before: always; }" in page
    for external in ("<script", "<link", "src=", "http://", "https://", "url("):
        assert external not in page
    body = page[page.index("<body>"):]
    assert body.index("<section class=\"key\">") > body.rindex("<div class=\"q\">")
    assert body.count("<span class=\"box\"></span>") == 3 + 2  # multi's 3 options and order's 2 items
    assert "promote <span class=\"blank\">&nbsp;</span> and cooperation." in body
    assert body.count("(Test Wire, about 2024-04-13)") == 6
    code, _, _ = _run(capsys, "worksheet", "--seed", "7", "--count", "6", "--pack", "test-pack", "--format", "md",
                      "-o", str(home / "sheet.html.txt"))
    assert code == 0 and (home / "sheet.html.txt").read_text(encoding="utf-8").startswith("# Worksheet:")


HOSTILE = """\
questions:
  - id: q-evil
    type: multi
    prompt: "Pick *all* <img src=x onerror=alert(1)> [@click=app.quit]"
    options: ["<b>Kim</b>", "`code` | pipe", "Wang"]
    answer: ["<b>Kim</b>"]
    source: art
    excerpt: the capital Pyongyang
"""


def test_pack_text_is_escaped_in_both_formats(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pack(home / "packs" / "test-pack", PACK_YAML, HOSTILE)
    code, md, _ = _run(capsys, "worksheet", "--seed", "1", "--count", "1", "--pack", "test-pack")
    assert code == 0 and not CONTROL.search(md)
    assert "Pick \\*all\\* \\<img src=x onerror=alert(1)\\> \\[@click=app.quit\\]" in md
    assert "\\<b\\>Kim\\</b\\>" in md and "\\`code\\` \\| pipe" in md
    code, html, _ = _run(capsys, "worksheet", "--seed", "1", "--count", "1", "--pack", "test-pack", "--format",
                         "html")
    assert code == 0 and not CONTROL.search(html)
    assert "&lt;img src=x onerror=alert(1)&gt; [@click=app.quit]" in html and "<img" not in html
    assert "&lt;b&gt;Kim&lt;/b&gt;" in html and "<b>Kim" not in html


def test_control_characters_in_pack_text_are_shown_not_obeyed(home: Path) -> None:
    """The loader refuses such text; the worksheet's own escaping is tested on a pack built around it."""
    write_pack(home / "packs" / "test-pack", PACK_YAML, HOSTILE)
    pack = load_pack(home / "packs" / "test-pack").pack
    assert pack is not None
    q = pack.question("q-evil")
    evil = dataclasses.replace(q, prompt=q.prompt + " \x1b[31m", options=("<b>Kim</b>", "Wang \u202e", "x\x9b"))
    evil_pack = dataclasses.replace(pack, questions=(evil,))
    spec = DrillSpec.build([evil_pack], 1, 1)
    items = select(spec, [evil_pack])
    md = worksheet_markdown(spec, items, [evil_pack])
    html = worksheet_html(spec, items, [evil_pack])
    for text in (md, html):
        assert not CONTROL.search(text)
    assert "\\\\x1b\\[31m" in md and "\\\\u202e" in md
    assert "\\x1b[31m" in html and "\\u202e" in html and "\\x9b" in html


def test_a_code_gives_the_same_worksheet_as_its_options(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, by_options, _ = _run(capsys, "worksheet", "--seed", "42", "--count", "10", "--tag", "where")
    _, by_code, _ = _run(capsys, "worksheet", "nk-china-visits@1.0.0#42/10+marked;tag=where")
    assert by_options == by_code and "nk-china-visits@1.0.0#42/10+marked;tag=where" in by_code
    _, with_cards, _ = _run(capsys, "worksheet", "--seed", "42", "--count", "10", "--tag", "where", "--with-cards")
    _, old_code, _ = _run(capsys, "worksheet", "nk-china-visits@1.0.0#42/10;tag=where")
    assert with_cards == old_code != by_code and "nk-china-visits@1.0.0#42/10;tag=where`" in old_code


def test_two_profiles_on_two_machines_get_the_same_questions_and_option_order(home: Path) -> None:
    outputs = []
    for profile, hash_seed in (("ann", "1"), ("bob", "4242")):
        env = dict(os.environ, PYTHONPATH=SRC, PYTHONHASHSEED=hash_seed, NKSTUDY_PROFILE=profile,
                   NKSTUDY_HOME=str(home / f"data-{profile}"))
        done = subprocess.run([sys.executable, "-m", "nkstudy", "worksheet", "--seed", "42", "--count", "10"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("**") >= 20 and "nk-china-visits@1.0.0#42/10" in outputs[0]


def test_usage_and_problems(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "worksheet", "--count", "3")
    assert code == 2 and "needs --seed S and --count N" in err and err.count("\n") == 1
    code, _, err = _run(capsys, "worksheet", "nk@1#2/3", "--seed", "2")
    assert code == 2 and "not both" in err
    code, _, err = _run(capsys, "worksheet", "nk@1#x/3")
    assert code == 2 and "bad drill code" in err and "looks like" in err
    code, _, err = _run(capsys, "worksheet", "--seed", "1", "--count", "0")
    assert code == 2 and "count 0 must be from 1" in err
    code, _, err = _run(capsys, "worksheet", "--seed", "1", "--count", "3", "--pack", "nope")
    assert code == 1 and "no pack with id 'nope'" in err and err.count("\n") == 1
    code, _, err = _run(capsys, "worksheet", "--seed", "1", "--count", "3", "--pack", "test-pack", "--tag",
                        "context")
    assert code == 1 and "matches its filters" in err
    code, _, err = _run(capsys, "worksheet", "other-pack@1#1/3")
    assert code == 1 and "needs pack 'other-pack', which is not installed here" in err
    code, _, err = _run(capsys, "worksheet", "--seed", "1", "--count", "3", "-o", str(home / "no" / "dir" / "x.md"))
    assert code == 1 and "cannot write the worksheet" in err
    assert main(["worksheet", "--help"]) == 0
    assert "examples:" in capsys.readouterr().out


UNCITED_YAML = CARD_MATCH_YAML + """\
  - id: q-uncited
    type: typed
    prompt: Name the capital of North Korea.
    answer: Pyongyang
    tags: [when]
"""


def test_a_match_question_can_be_answered_on_paper_and_an_uncited_key_has_no_empty_quote(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "test-pack", questions_yaml=UNCITED_YAML)).pack
    assert pack is not None
    spec = DrillSpec.parse("test-pack@1.0#3/2;tag=when")
    items = select(spec, [pack])
    match = next(i for i in items if i.question_id == "q-match")
    letter = {o: "ab"[n] for n, o in enumerate(match.options)}
    text = worksheet_markdown(spec, items, [pack])
    questions, key = text.split("## Answer key")
    assert "· 2 questions" in questions
    assert "- 1. Zhao and Choe Ryong Hae \\_\\_\\_" in questions and "- 2. Zhao and Kim Jong Un \\_\\_\\_" in questions
    assert f"- {letter['Thursday']}) Thursday" in questions and f"- {letter['Saturday']}) Saturday" in questions
    assert "Circle one." not in questions
    assert f"1 {letter['Thursday']}, 2 {letter['Saturday']}: Zhao and Choe Ryong Hae → Thursday" in key
    uncited = key[key.index("Pyongyang"):]
    assert "no cited source" not in uncited and ">" not in uncited.split("**")[0]
    html = worksheet_html(spec, items, [pack])
    assert "<li>1. Zhao and Choe Ryong Hae <span class=\"blank\">" in html and "no cited source" not in html
    single = worksheet_markdown(DrillSpec.parse("test-pack@1.0#3/1;tag=when"), items[:1], [pack])
    assert "· 1 question\n" in single


def test_a_passage_cut_from_inside_a_quotation_is_closed_on_paper(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from nkstudy.core.text import unclosed_quote

    # every question of the bank citing the Washington Examiner: wex-duyeon-center's passage opens Duyeon
    # Kim's quotation and ends before its closing mark
    monkeypatch.setenv("NKSTUDY_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NKSTUDY_PACKS", raising=False)
    out = tmp_path / "w.md"
    assert main(["worksheet", "--seed", "1", "--count", "500", "--source", "wex-2018", "-o", str(out)]) == 0
    quotes = [line[2:] for line in out.read_text(encoding="utf-8").splitlines()
              if line.startswith("> ") and not line.startswith("> —")]
    assert any("current picture" in q for q in quotes)
    assert [q for q in quotes if unclosed_quote(q)] == []
