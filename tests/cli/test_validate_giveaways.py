"""`nkstudy validate --giveaways`: the pairs where one question shows another's answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.cli import main
from packfactory import write_pack

QUESTIONS = """\
questions:
  - id: who
    type: typed
    prompt: Who led the delegation in March 2024?
    answer: Kim Song Nam
  - id: met
    type: typed
    prompt: Whom did Kim Song Nam meet in March 2024?
    answer: Wang Huning
  - id: other
    type: choice
    prompt: Which city hosted the talks?
    options: [Beijing, Tokyo]
    answer: Beijing
"""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unlinked_pair_is_listed_with_its_place_and_exits_1(tmp_path: Path, capsys) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS)
    code, out, err = run(["validate", "--giveaways", str(folder)], capsys)
    assert code == 1 and err == ""
    lines = out.splitlines()
    (pair,) = [line for line in lines if "gives away" in line]
    assert pair.startswith(f"{folder / 'questions.yaml'}:6: ")  # the line where 'met' starts
    assert "met gives away who" in pair and "prompt" in pair and "Kim Song Nam" in pair and "unlinked" in pair
    assert lines[-1].endswith("1 give-away pair, 1 unlinked; link them with related: or reword the text that "
                              "gives the answer away")


def test_a_linked_pair_is_listed_as_linked_and_exits_0(tmp_path: Path, capsys) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS.replace(
        "    answer: Wang Huning\n", "    answer: Wang Huning\n    related: [who]\n"))
    code, out, _err = run(["validate", "--giveaways", str(folder)], capsys)
    assert code == 0
    assert "met gives away who" in out and "(linked by related)" in out


def test_json_for_scripts(tmp_path: Path, capsys) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS)
    code, out, _err = run(["validate", "--giveaways", "--json", str(folder)], capsys)
    assert code == 1
    (entry,) = json.loads(out)["packs"]
    assert entry["ok"] is True and entry["pack"] == "test-pack"
    assert entry["giveaways"] == [{"giver": "met", "taker": "who", "field": "prompt", "text": "Kim Song Nam",
                                   "linked": None, "file": entry["giveaways"][0]["file"], "line": 6}]
    assert entry["giveaways"][0]["file"].endswith("questions.yaml")


def test_a_broken_pack_still_reports_its_problems(tmp_path: Path, capsys) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS.replace("answer: Beijing", "answer: Mars"))
    code, out, err = run(["validate", "--giveaways", str(folder)], capsys)
    assert code == 1 and "gives away" not in out
    assert "questions.yaml:" in err and "Mars" in err


def test_names_are_escaped_on_output(tmp_path: Path) -> None:
    """Pack fields cannot hold control characters (the loader refuses them); a folder name can."""
    folder = write_pack(tmp_path / "p\x1b[2J\u202e", questions_yaml=QUESTIONS)
    done = subprocess.run([sys.executable, "-m", "nkstudy", "validate", "--giveaways", str(folder)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "met gives away who" in done.stdout, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\u202e" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_the_builtin_pack_lists_its_pairs(capsys) -> None:
    from nkstudy.paths import builtin_pack_dir

    code, out, _err = run(["validate", "--giveaways", "--json", str(builtin_pack_dir() / "nk-china-visits")], capsys)
    (entry,) = json.loads(out)["packs"]
    assert entry["giveaways"]
    assert code == (1 if any(p["linked"] is None for p in entry["giveaways"]) else 0)
    assert all(p["line"] and p["field"] in {"prompt", "options", "answer", "explanation", "excerpt", "citation"}
               for p in entry["giveaways"])
