"""``nkstudy drill --plain`` as a subprocess: the same drill for everyone, the schedule untouched, timers, files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from classkit import ALL, CHOICE_ONLY, items, nkstudy, nkstudy_env, right_line
from enginekit import Clock, make_pack
from nkstudy.cli.common import make_console
from nkstudy.cli.drill import LineReader, PlainDrill
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import Limits, Sitting, open_drill
from nkstudy.store.db import Store
from nkstudy.store.drills import read_results_file, results_for


def _rows(data: Path, code: str) -> list:
    store = Store(data / "progress.sqlite3")
    try:
        return results_for(store, code)
    finally:
        store.close()


def _count(data: Path, table: str) -> int:
    with sqlite3.connect(data / "progress.sqlite3") as c:
        return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_two_profiles_see_the_same_drill_and_their_schedule_is_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = nkstudy_env(data)
    outputs = {}
    for profile in ("ann", "bob"):
        # seeded: "1" answers the first question it asks (unseeded, that could be a flashcard)
        studied = nkstudy("study", "--plain", "--limit", "1", "--seed", "1", "--profile", profile, env=env,
                          stdin="1\n")
        assert studied.returncode == 0, studied.stderr
        before = json.loads(nkstudy("stats", "--json", "--profile", profile, env=env).stdout)
        assert before["reviews"] == 1
        cards = _count(data, "cards"), _count(data, "reviews")
        done = nkstudy("drill", "--seed", "42", "--count", "10", "--plain", "--profile", profile, env=env,
                       stdin="1\n" * 10)
        assert done.returncode == 0, done.stderr
        outputs[profile] = done.stdout
        after = json.loads(nkstudy("stats", "--json", "--profile", profile, env=env).stdout)
        assert after["reviews"] == before["reviews"] and after["due_now"] == before["due_now"]
        assert (_count(data, "cards"), _count(data, "reviews")) == cards  # no card state, no review written
    code = "nk-china-visits@1.0.0#42/10+marked"
    assert outputs["ann"].splitlines()[0] == f"Drill {code} - 10 questions - profile ann"
    asked = {p: re.findall(r"^Question \d+ of 10\n(?:.*\n)*?Type ", out, re.MULTILINE) for p, out in outputs.items()}
    blocks = {p: out.split("\nThe drill is over.")[0].replace(f"profile {p}", "") for p, out in outputs.items()}
    assert blocks["ann"] == blocks["bob"]  # prompts and option order, identical
    assert len(asked["ann"]) == 10
    rows = _rows(data, code)
    assert sorted({r.profile for r in rows}) == ["ann", "bob"] and len(rows) == 20


def test_answers_are_graded_and_committed_and_the_end_lists_missed_questions_with_excerpts(home: Path) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill_items = items(pack, ALL)
    lines = [right_line(i) if i.question.id != "q-typed" else "Kim Il Sung" for i in drill_items]
    lines[[i.question.id for i in drill_items].index("q-tf")] = ""  # don't know
    env = nkstudy_env(home / "data", home / "packs")
    done = nkstudy("drill", ALL, "--plain", "--profile", "ann", "--results", str(home / "ann.json"), env=env,
                   stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Score: 4 of 6 right (67%)" in done.stdout
    missed = done.stdout.split("Missed:")[1]
    assert "You said: Kim Il Sung" in missed and "the country's leader Kim Jong Un" in missed  # answer's excerpt
    assert "You did not know." in missed and "during a meeting Saturday" in missed
    assert "Test Wire" in missed
    rows = _rows(home / "data", ALL)
    assert [(r.question_id, r.correct) for r in rows] == [
        (i.question_id, i.question.id not in ("q-tf", "q-typed")) for i in drill_items]
    code, from_file = read_results_file(home / "ann.json")
    assert code == ALL and [r.attempt for r in from_file] == [r.attempt for r in rows]


def test_piped_input_that_cannot_be_understood_counts_wrong_and_is_kept(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    done = nkstudy("drill", CHOICE_ONLY, "--plain", "--profile", "ann", env=env, stdin="7\n")
    assert done.returncode == 0, done.stderr
    assert "Not understood (there is no option 7; choose 1 to 4); counted as wrong." in done.stdout
    assert "1 question - profile ann" in done.stdout
    (row,) = _rows(home / "data", CHOICE_ONLY)
    assert row.answered and not row.correct and row.answer == "7"


def test_on_a_terminal_input_that_cannot_be_understood_is_asked_again(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "test-pack")
    drill = open_drill(DrillSpec.parse(CHOICE_ONLY), [pack])
    right = right_line(drill.items[0])
    read_end, write_end = os.pipe()
    os.write(write_end, f"7\n{right}\n".encode())
    os.close(write_end)
    out = tmp_path / "out.txt"
    sitting = Sitting(drill, tmp_path / "data", "ann", clock=Clock())
    with out.open("w") as fh:
        console = make_console()
        console.file = fh
        PlainDrill(sitting, Limits(), console, reader=LineReader(read_end), interactive=True).run()
    sitting.close()
    os.close(read_end)
    text = out.read_text()
    assert "try again" in text and "Score: 1 of 1 right" in text
    (row,) = _rows(tmp_path / "data", CHOICE_ONLY)
    assert row.correct


def _held(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """A drill whose stdin stays open and silent, as a student thinking."""
    return subprocess.Popen([sys.executable, "-m", "nkstudy", *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_per_question_time_up_counts_as_unanswered_and_the_time_left_is_printed(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    proc = _held(["drill", ALL, "--plain", "--profile", "ann", "--per-question", "1"], env)
    assert proc.stdout is not None
    seen = []
    started = time.monotonic()
    while not seen or not seen[-1].startswith("Question 2 of 6"):  # the first question times out
        seen.append(proc.stdout.readline())
        assert time.monotonic() - started < 30 and seen[-1], seen
    out, err = proc.communicate(input="", timeout=30)  # then end of input
    out = "".join(seen) + out
    assert proc.returncode == 0, err
    assert "Question 1 of 6 - 1s left" in out
    assert "Time is up for this question." in out and "Question 2 of 6" in out
    assert "Time ran out." in out
    (row,) = _rows(home / "data", ALL)
    assert not row.answered and not row.correct


def test_the_drill_time_limit_stops_the_drill(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    proc = _held(["drill", ALL, "--plain", "--profile", "ann", "--time-limit", "0.02"], env)  # 1.2 seconds
    assert proc.stdout is not None
    seen = []
    started = time.monotonic()
    while not seen or not seen[-1].startswith(f"Drill {ALL}, profile"):  # no input, and no end of input
        seen.append(proc.stdout.readline())
        assert time.monotonic() - started < 30 and seen[-1], seen
    rest, err = proc.communicate(input="", timeout=30)
    out = "".join(seen) + rest
    assert proc.returncode == 0, err
    assert "Question 1 of 6 - 1s left" in out
    assert "Time is up for the drill" in out and "5 not reached" in out
    assert "Time is up for this question" not in out  # the drill's time ran out, not the question's
    (row,) = _rows(home / "data", ALL)
    assert not row.answered


def test_end_of_input_keeps_what_was_answered_and_the_result_file_follows_each_answer(home: Path) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    first = items(pack, ALL)[:2]
    env = nkstudy_env(home / "data", home / "packs")
    done = nkstudy("drill", ALL, "--plain", "--profile", "ann", "--results", str(home / "r.json"), env=env,
                   stdin="".join(right_line(i) + "\n" for i in first))
    assert done.returncode == 0 and "Drill stopped; your answers are saved." in done.stdout
    assert "4 not reached" in done.stdout
    assert len(read_results_file(home / "r.json")[1]) == 2 == len(_rows(home / "data", ALL))


def test_usage_and_problems(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    bad = nkstudy("drill", "test-pack@1.0#x/6", "--plain", env=env)
    assert bad.returncode == 2 and "bad drill code" in bad.stderr
    other = nkstudy("drill", "test-pack@2.0#1/6", "--plain", env=env)
    assert other.returncode == 1 and "needs pack 'test-pack' version 2.0" in other.stderr
    both = nkstudy("drill", ALL, "--seed", "1", "--plain", env=env)
    assert both.returncode == 2 and "not both" in both.stderr
    none = nkstudy("drill", "--plain", env=env)
    assert none.returncode == 2 and "--seed S and --count N" in none.stderr
    name = nkstudy("drill", ALL, "--plain", "--profile", "x" * 65, env=env)
    assert name.returncode == 2 and "at most 64" in name.stderr
    assert not (home / "data" / "progress.sqlite3").exists()


def test_a_match_question_shows_both_sides_and_is_answered_by_number_and_letter(tmp_path: Path) -> None:
    from packfactory import CARD_MATCH_YAML, write_pack

    write_pack(tmp_path / "packs" / "test-pack", questions_yaml=CARD_MATCH_YAML)
    env = nkstudy_env(tmp_path / "data", tmp_path / "packs")
    code = "test-pack@1.0#1/1;tag=when"
    first = nkstudy("drill", code, "--plain", "--profile", "ann", env=env, stdin="")
    asked = first.stdout.split("Question 1 of 1")[1].split("Type ")[0]
    assert "1. Zhao and Choe Ryong Hae" in asked and "2. Zhao and Kim Jong Un" in asked
    letters = dict(re.findall(r"^\s+([ab])\) (\w+)$", asked, re.MULTILINE))
    assert sorted(letters.values()) == ["Saturday", "Thursday"]
    by_day = {day: letter for letter, day in letters.items()}
    answer = f"1{by_day['Thursday']} 2{by_day['Saturday']}"
    done = nkstudy("drill", code, "--plain", "--profile", "bob", env=env, stdin=answer + "\n")
    assert done.returncode == 0, done.stderr
    assert "Score: 1 of 1 right" in done.stdout
    (row,) = [r for r in _rows(tmp_path / "data", code) if r.profile == "bob"]
    assert row.correct and row.answer == "Zhao and Choe Ryong Hae → Thursday; Zhao and Kim Jong Un → Saturday"


def test_piped_output_keeps_long_lines_whole(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    del env["COLUMNS"]
    done = nkstudy("drill", ALL, "--plain", "--profile", "ann", env=env, stdin="")
    assert done.returncode == 0, done.stderr
    (head,) = [line for line in done.stdout.splitlines() if line.startswith("Answers are marked at the end.")]
    assert head.endswith("(answers are kept).") and len(head) > 80
