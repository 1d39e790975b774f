"""What a new user meets right after a first command: the next step is printed, and it works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nkstudy.cli import main

AIKEN = "Which river flows through Cairo?\nA. Nile\nB. Amazon\nANSWER: A\n"


def test_import_says_how_to_study_the_new_pack(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "rivers.txt").write_text(AIKEN, encoding="utf-8")
    dest = home / "rivers"
    assert main(["import", str(home / "rivers.txt"), "--to", str(dest), "--format", "aiken"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{dest}: imported 1 question")
    hint = lines[1].split()
    assert hint[:3] == ["Study", "it:", "nkstudy"] and hint[3:5] == ["--packs", str(dest)]
    # the command it gives finds the pack
    assert main(["--packs", str(dest), "packs", "--json"]) == 0
    assert "rivers" in {p["id"] for p in json.loads(capsys.readouterr().out)}


def test_no_hint_when_nkstudy_already_finds_the_pack(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "rivers.txt").write_text(AIKEN, encoding="utf-8")
    dest = home / "data" / "packs" / "rivers"  # the data folder's own pack folder
    assert main(["import", str(home / "rivers.txt"), "--to", str(dest), "--format", "aiken"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["packs", "--json"]) == 0
    assert "rivers" in {p["id"] for p in json.loads(capsys.readouterr().out)}


@pytest.mark.parametrize(("argv", "command"), [(["stats", "--bogus"], "nkstudy stats"),
                                               (["db", "status", "--x"], "nkstudy db status"),
                                               (["profiles", "rename", "a", "b", "c"], "nkstudy profiles rename"),
                                               (["--bogus"], "nkstudy")])
def test_an_unknown_argument_is_told_by_its_own_command(argv: list[str], command: str, home: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"usage: {command} [")  # that command's usage, not the top level's
    assert err[-1].startswith(f"{command}: error: ") and argv[-1] in err[-1]


def test_new_says_how_to_study_the_pack_and_the_command_finds_it(home: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dest = home / "mine"
    assert main(["new", str(dest)]) == 0
    hint = capsys.readouterr().out.splitlines()[-1].split()
    assert hint[:5] == ["Study", "it:", "nkstudy", "--packs", str(dest)]
    assert main(["--packs", str(dest), "packs", "--json"]) == 0
    assert "mine" in {p["id"] for p in json.loads(capsys.readouterr().out)}
    assert main(["new", str(home / "data" / "packs" / "kept")]) == 0  # where nkstudy looks: no hint
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_a_broken_pack_is_named_with_its_count_of_problems(home: Path) -> None:
    from nkstudy.cli.common import Context

    broken = home / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")  # one problem: the YAML
    (line,) = Context(data_dir=home / "data", profile="ann", extra_packs=[str(broken)]).pack_problems()
    assert line.startswith(f"{broken} could not be loaded (1 problem): ") and line.endswith(f"validate {broken}`")


def test_commands_printed_for_another_terminal_name_the_database(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse
    import shlex

    from nkstudy.cli.common import Context

    monkeypatch.delenv("NKSTUDY_HOME", raising=False)
    given = argparse.Namespace(data_dir=str(home / "lab data"))
    where = Context(data_dir=home / "lab data", profile="t").where_options(given)
    assert shlex.split(where) == ["--data-dir", str(home / "lab data")]  # quoted: the path holds a space
    assert Context(data_dir=home, profile="t").where_options(argparse.Namespace()) == ""  # the default folder
    db = Context(data_dir=home, profile="t", db="postgresql://nk:secret@db.example/nkstudy")
    assert "secret" not in db.where_options(argparse.Namespace()) and "--db" in db.where_options(argparse.Namespace())
