"""`nkstudy profiles` and the profile rules of every command: reading never creates a profile,
names are checked once, long names are cut in errors, delete asks first."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.cli import main


class Terminal(io.StringIO):
    """Typed input on a terminal (the edge: what the user types)."""

    def isatty(self) -> bool:
        return True


def run(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def profiles_in_db(home: Path) -> list[str]:
    con = sqlite3.connect(home / "data" / "progress.sqlite3")
    try:
        return [r[0] for r in con.execute("SELECT name FROM profiles ORDER BY name")]
    finally:
        con.close()


def studied(monkeypatch, capsys, name: str, answers: str = "\n\n") -> None:
    code, _out, err = run(monkeypatch, capsys, "study", "--plain", "--profile", name, "--seed", "1", stdin=answers)
    assert code == 0, err


@pytest.mark.parametrize("name", ["typo", "../x", "ROOT"])
def test_stats_never_creates_a_profile(home, monkeypatch, capsys, name: str) -> None:
    studied(monkeypatch, capsys, "ann")
    code, out, err = run(monkeypatch, capsys, "stats", "--profile", name)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "there is no profile" in err and "'ann'" in err
    assert profiles_in_db(home) == ["ann"]


def test_stats_of_an_existing_profile(home, monkeypatch, capsys) -> None:
    studied(monkeypatch, capsys, "ann")
    code, out, _err = run(monkeypatch, capsys, "stats", "--profile", "ann", "--json")
    assert code == 0 and json.loads(out)["reviews"] == 2


def test_an_empty_or_long_or_control_name_is_a_usage_error(home, monkeypatch, capsys) -> None:
    for argv in (["stats", "--profile", ""], ["study", "--plain", "--profile", "  "], ["--profile", ""]):
        code, _out, err = run(monkeypatch, capsys, *argv)
        assert code == 2 and "cannot be empty" in err, argv
    code, _out, err = run(monkeypatch, capsys, "study", "--plain", "--profile", "x" * 5000)
    assert code == 2 and len(err.encode()) < 200 and "5000 characters" in err
    code, _out, err = run(monkeypatch, capsys, "stats", "--profile", "a\x1b[31mb")
    assert code == 2 and "\x1b" not in err and "\\x1b" in err
    assert not (home / "data" / "progress.sqlite3").exists() or profiles_in_db(home) == []


def test_list_rename_delete(home, monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "profiles")
    assert code == 0 and "No profiles yet" in out
    assert not (home / "data" / "progress.sqlite3").exists()  # listing created nothing
    studied(monkeypatch, capsys, "ann")
    studied(monkeypatch, capsys, "bob", "\n")
    code, out, _ = run(monkeypatch, capsys, "profiles", "--json")
    rows = json.loads(out)
    assert [(r["name"], r["answers"]) for r in rows] == [("ann", 2), ("bob", 1)]
    assert all(len(r["last_study_day"]) == 10 for r in rows)
    code, out, _ = run(monkeypatch, capsys, "profiles")
    assert code == 0 and "ann" in out and "bob" in out and "answers" in out

    code, _out, err = run(monkeypatch, capsys, "profiles", "rename", "ann", "bob")
    assert code == 1 and "already a profile 'bob'" in err
    code, _out, err = run(monkeypatch, capsys, "profiles", "rename", "nobody", "x")
    assert code == 1 and "no profile 'nobody'" in err
    code, out, _ = run(monkeypatch, capsys, "profiles", "rename", "ann", "  anna ")
    assert code == 0 and "'anna'" in out
    assert profiles_in_db(home) == ["anna", "bob"]

    code, _out, err = run(monkeypatch, capsys, "profiles", "delete", "anna")  # piped, no --yes
    assert code == 2 and "--yes" in err
    assert profiles_in_db(home) == ["anna", "bob"]
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert main(["profiles", "delete", "anna"]) == 0
    assert "Nothing deleted" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert main(["profiles", "delete", "anna"]) == 0
    assert "Deleted profile 'anna' and its 2 answers" in capsys.readouterr().out
    assert profiles_in_db(home) == ["bob"]
    con = sqlite3.connect(home / "data" / "progress.sqlite3")
    assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1  # bob's answer stays
    con.close()
    code, _out, err = run(monkeypatch, capsys, "profiles", "delete", "anna", "--yes")
    assert code == 1 and "no profile 'anna'" in err


def test_delete_without_a_terminal_refuses_in_a_real_process(home) -> None:
    env = {**os.environ, "NKSTUDY_HOME": str(home / "data")}
    subprocess.run([sys.executable, "-m", "nkstudy", "study", "--plain", "--profile", "zed"], input="\n",
                   env=env, capture_output=True, text=True, check=True)
    done = subprocess.run([sys.executable, "-m", "nkstudy", "profiles", "delete", "zed"], stdin=subprocess.DEVNULL,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "without confirmation: add --yes" in done.stderr
    assert done.stderr.count("\n") == 1
    done = subprocess.run([sys.executable, "-m", "nkstudy", "profiles", "delete", "zed", "--yes"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0 and profiles_in_db(home) == []


# -- the smaller CLI fixes ----------------------------------------------------------

def test_validate_of_a_missing_path_is_a_usage_error(home, monkeypatch, capsys) -> None:
    code, _out, err = run(monkeypatch, capsys, "validate", "/nonexistent")
    assert code == 2 and "no such file or folder" in err
    code, _out, err = run(monkeypatch, capsys, "validate", str(home / "packs" / "test-pack"))
    assert code == 0


def test_a_mistyped_command_gets_a_suggestion(home, monkeypatch, capsys) -> None:
    code, _out, err = run(monkeypatch, capsys, "stat")
    assert code == 2 and "did you mean stats?" in err
    code, _out, err = run(monkeypatch, capsys, "profile")
    assert code == 2 and "did you mean profiles?" in err
    code, _out, err = run(monkeypatch, capsys, "xyzzy")
    assert code == 2 and "did you mean" not in err
    # nothing close: the commands --help lists, not the internal 'join' serve starts its visitors with
    last = err.strip().splitlines()[-1]
    assert "xyzzy" in last and "stats" in last and "join" not in last
    code, _out, err = run(monkeypatch, capsys, "joi")
    assert code == 2 and "did you mean join" not in err


def test_packs_at_80_columns_keeps_each_path_on_one_line(home, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _err = run(monkeypatch, capsys, "packs")
    assert code == 0
    path = str(home / "packs" / "test-pack")
    assert any(line.strip() == f"test-pack: {path}" for line in out.splitlines()), out
    assert all(len(line) <= 80 for line in out.splitlines() if "│" in line)


def test_a_student_who_only_drilled_is_listed_with_their_drill_answers(home, monkeypatch, capsys) -> None:
    from classkit import CHOICE_ONLY, nkstudy, nkstudy_env

    done = nkstudy("drill", CHOICE_ONLY, "--plain", "--profile", "zoe", env=nkstudy_env(home / "data", home / "packs"),
                   stdin="1\n")
    assert done.returncode == 0, done.stderr
    code, out, _ = run(monkeypatch, capsys, "profiles", "--json")
    (row,) = json.loads(out)
    assert (row["name"], row["answers"], row["drill_answers"]) == ("zoe", 0, 1) and row["last_drill_day"]
    code, out, _ = run(monkeypatch, capsys, "profiles")
    line = next(ln for ln in out.splitlines() if "zoe" in ln)
    assert "never" in line and line.count("never") == 1  # never studied, but drilled


def test_uncited_questions_count_under_no_source() -> None:
    from nkstudy.core.study.stats import accuracy

    acc = accuracy([("class-pack", "", "who", 1, 2, 900), ("class-pack", "art", "", 1, 1, 100)])
    assert acc.by_source == {"class-pack/art": (1, 1)} and acc.by_pack == {"class-pack": (2, 3)}
