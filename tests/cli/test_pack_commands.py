"""`nkstudy packs`, `validate` and `export`, called through main() and as a
real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.cli import main
from packfactory import HOSTILE, QUESTIONS_YAML, says_expected, write_pack


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_packs_json_lists_builtin_and_extra_packs(empty_home: Path, pack_dir: Path, capsys) -> None:
    code, out, _ = run_cli(["packs", "--json", "--packs", str(pack_dir)], capsys)
    assert code == 0
    rows = json.loads(out)
    by_id = {r["id"]: r for r in rows}
    assert by_id["test-pack"]["questions"] == 6
    assert by_id["test-pack"]["path"] == str(pack_dir)
    assert by_id["test-pack"]["title"] == "A test pack"
    assert "nk-china-visits" in by_id
    assert by_id["nk-china-visits"]["ok"] is True


def test_broken_pack_is_listed_and_does_not_hide_others(empty_home: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "packs"
    write_pack(folder / "good")
    bad = write_pack(folder / "bad", questions_yaml=QUESTIONS_YAML.replace("answer: Pyongyang", "answer: Mars"))
    (bad / "pack.yaml").write_text((bad / "pack.yaml").read_text().replace("id: test-pack", "id: bad-pack"))
    code, out, _ = run_cli(["packs", "--json", "--packs", str(folder)], capsys)
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["test-pack"]["ok"] is True
    assert rows["bad-pack"]["ok"] is False
    assert "answer 'Mars' is not one of its options" in rows["bad-pack"]["problems"][0]
    code, out, _ = run_cli(["packs", "--packs", str(folder)], capsys)
    assert code == 0
    assert "BROKEN" in out and "test-pack" in out


def test_packs_from_user_folder_and_env(empty_home: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    write_pack(empty_home / "packs" / "mine")
    other = write_pack(tmp_path / "elsewhere" / "p")
    (other / "pack.yaml").write_text((other / "pack.yaml").read_text().replace("id: test-pack", "id: env-pack"))
    monkeypatch.setenv("NKSTUDY_PACKS", str(tmp_path / "elsewhere"))
    code, out, _ = run_cli(["packs", "--json"], capsys)
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["test-pack"]["origin"] == "user"
    assert rows["env-pack"]["origin"] == "NKSTUDY_PACKS"


def test_duplicate_pack_id_keeps_the_first(empty_home: Path, tmp_path: Path, capsys) -> None:
    a = write_pack(tmp_path / "a")
    b = write_pack(tmp_path / "b")
    code, out, _ = run_cli(["packs", "--json", "--packs", str(a), "--packs", str(b)], capsys)
    rows = [r for r in json.loads(out) if r["id"] == "test-pack"]
    assert [r["ok"] for r in rows] == [True, False]
    assert "already used" in rows[1]["problems"][0]


def test_validate_ok_problems_and_usage(pack_dir: Path, tmp_path: Path, capsys) -> None:
    code, out, err = run_cli(["validate", str(pack_dir)], capsys)
    assert code == 0 and "ok" in out and err == ""
    bad = write_pack(tmp_path / "bad", questions_yaml=QUESTIONS_YAML.replace("answer: Pyongyang", "answer: Mars"))
    code, out, err = run_cli(["validate", str(bad)], capsys)
    assert code == 1
    first = err.splitlines()[0]
    assert first.endswith("question 'q-choice': answer 'Mars' is not one of its options")
    assert "questions.yaml:" in first
    code, _, err = run_cli(["validate"], capsys)
    assert code == 2 and "usage" in err
    code, _, err = run_cli(["validate", str(tmp_path / "nope")], capsys)
    assert code == 2 and "no such file or folder" in err  # naming nothing is a usage error
    assert err.count("\n") == 1 and "pack.yaml" in err  # one line, and it says what to give instead


def test_export_json_shape(empty_home: Path, pack_dir: Path, capsys) -> None:
    code, out, _ = run_cli(["export", str(pack_dir), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"pack", "sources", "events", "questions"}
    assert data["pack"]["id"] == "test-pack"
    assert data["sources"][0]["text"].startswith("Chinese official meets")
    q = {x["id"]: x for x in data["questions"]}
    assert q["q-choice"]["options"] == ["Beijing", "Pyongyang", "Dalian", "Tokyo"]
    assert q["q-multi"]["answer"] == ["Kim Jong Un", "Choe Ryong Hae"]
    assert q["q-tf"]["answer"] is True
    code, out, _ = run_cli(["export", "test-pack", "--packs", str(pack_dir)], capsys)
    assert code == 0 and json.loads(out)["pack"]["id"] == "test-pack"
    code, _, err = run_cli(["export", "no-such-pack"], capsys)
    assert code == 1 and "no pack with id" in err
    code, _, err = run_cli(["export", str(pack_dir), "--format", "xml"], capsys)
    assert code == 2


def test_every_command_has_help(capsys) -> None:
    for command in ["packs", "validate", "export"]:
        assert main([command, "--help"]) == 0
        assert f"usage: nkstudy {command}" in capsys.readouterr().out


def _subprocess(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NKSTUDY_HOME=str(tmp_path / "home"))
    env.pop("NKSTUDY_PACKS", None)
    return subprocess.run(
        [sys.executable, "-m", "nkstudy", *args], capture_output=True, text=True, timeout=5, env=env
    )


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_one_line_error_exit_1_within_5s(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "pack.yaml").write_bytes(HOSTILE[name])
    proc = _subprocess(["validate", str(folder)], tmp_path)  # raises TimeoutExpired past 5 s
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith(str(folder / "pack.yaml")) or lines[0].startswith(f"{name}/pack.yaml")
    assert says_expected(name, lines[0]), proc.stderr
    assert proc.stdout == ""


def test_version_in_subprocess(tmp_path: Path) -> None:
    proc = _subprocess(["--version"], tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("nkstudy ")


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
"""


def test_validate_strict_requires_sources(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "pack.yaml").write_text(NO_SOURCE_PACK, encoding="utf-8")
    code, out, err = run_cli(["validate", str(folder)], capsys)
    assert code == 0 and "1 question," in out and "0 sources" in out
    code, out, err = run_cli(["validate", "--strict", str(folder)], capsys)
    assert code == 1 and out == ""
    assert "question 'c1': cites no source: add 'source' and 'excerpt' (required by --strict)" in err
    assert "missing field 'sources'" in err
    code, out, _ = run_cli(["validate", "--strict", str(write_pack(tmp_path / "cited"))], capsys)
    assert code == 0 and "ok" in out


def test_packs_keeps_a_cache_in_the_data_folder(empty_home: Path, pack_dir: Path, capsys) -> None:
    from nkstudy.core.packs.cache import entry_path, read_entry

    code, out, _ = run_cli(["packs", "--json", "--packs", str(pack_dir)], capsys)
    assert code == 0
    assert read_entry(pack_dir, empty_home / "cache") is not None
    assert entry_path(pack_dir, empty_home / "cache").is_file()
    first = json.loads(out)
    # an edit is seen at once: the next listing reads the files again
    (pack_dir / "questions.yaml").write_text(QUESTIONS_YAML.replace("answer: Pyongyang", "answer: Mars"))
    code, out, _ = run_cli(["packs", "--json", "--packs", str(pack_dir)], capsys)
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["test-pack"]["ok"] is False
    assert [r["id"] for r in first] == [r["id"] for r in json.loads(out)]


def test_validate_never_uses_the_cache(empty_home: Path, pack_dir: Path, capsys) -> None:
    import hashlib

    from nkstudy.core.packs.cache import entry_path

    run_cli(["packs", "--packs", str(pack_dir)], capsys)
    # break the pack, then forge the cache entry so that it still matches every file
    path = pack_dir / "questions.yaml"
    path.write_text(QUESTIONS_YAML.replace("answer: Pyongyang", "answer: Mars"))
    entry = entry_path(pack_dir, empty_home / "cache")
    data = json.loads(entry.read_bytes())
    st = path.stat()
    for row in data["files"]:
        if row[0] == str(path):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            row[1:6] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest]
    entry.write_text(json.dumps(data))
    code, out, _ = run_cli(["packs", "--json", "--packs", str(pack_dir)], capsys)
    assert {r["id"]: r["ok"] for r in json.loads(out)}["test-pack"] is True  # packs trusts the (forged) cache
    code, _, err = run_cli(["validate", str(pack_dir)], capsys)
    assert code == 1 and "answer 'Mars' is not one of its options" in err  # validate reads the files


def test_many_problems_each_on_one_line(tmp_path: Path, capsys) -> None:
    bad = "questions:\n" + "".join(f"  - id: q{i}\n    type: nope\n" for i in range(2000))
    folder = write_pack(tmp_path / "p", questions_yaml=bad)
    code, _, err = run_cli(["validate", str(folder)], capsys)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2000 * 2 + 1  # unknown type and missing prompt per question, then the count
    assert lines[-1].endswith("4000 problems")
    assert all(line.startswith(str(folder)) for line in lines)
