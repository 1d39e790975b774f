"""No control character from a pack reaches the terminal: checked on the raw
bytes that `validate`, `packs` and `export` write, for a pack whose text, YAML
keys and file names are full of ESC, C1 controls and bidi overrides."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.core.text import json_text, visible
from packfactory import ARTICLE, PACK_YAML, QUESTIONS_YAML, write_pack

# ESC, C0 (other than tab and newline), DEL, C1 (U+0080-U+009F, UTF-8 C2 80-C2 9F) and the
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), as UTF-8 bytes.
FORBIDDEN = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)

NASTY = "\x1b[31m\x1b]52;c;cHduZWQ=\x07\x9b2J\x9d8;;http://x\x9c\u202eevil\u2066\x08\x7f\r"


def _yaml_str(text: str) -> str:
    return json.dumps(text)  # a double-quoted YAML scalar with \u escapes


def hostile_pack(folder: Path) -> Path:
    """A pack with control characters in text fields, keys, file names and a source."""
    q = (
        QUESTIONS_YAML.replace(
            "prompt: Whom did the official meet in April 2024?", "prompt: " + _yaml_str("Whom " + NASTY)
        )
        .replace("explanation: The test article", "explanation: " + _yaml_str(NASTY) + "\n    x: The test article")
        .replace(
            "options: [Beijing, Pyongyang, Dalian, Tokyo]",
            "options: [Beijing, Pyongyang, Dalian, " + _yaml_str("Tok\u202eyo") + "]",
        )
        .replace(
            "  - id: q-typed", "  - id: " + _yaml_str("q\x1b[2Jtyped") + "\n    " + _yaml_str("k\x9b\x1b\n") + ": 1"
        )
    )
    bad_name = "sources/\x1b[41mevil\u202e\n.txt"
    pack = PACK_YAML.replace("title: A test pack", "title: " + _yaml_str("A " + NASTY)).replace(
        "include:\n  - questions.yaml\n",
        "include:\n  - questions.yaml\n  - " + _yaml_str("missing\x1b[5m\u2067.yaml") + "\n",
    ).replace(
        "    date_from_outside: true\n",
        "    date_from_outside: true\n  - id: evil\n    file: " + _yaml_str(bad_name)
        + "\n    title: t\n    outlet: o\n    published: 2024\n",
    )
    write_pack(folder, pack_yaml=pack, questions_yaml=q, sources={"sources/art.txt": ARTICLE + NASTY + "\n"})
    (folder / bad_name).write_text("text\x1b[0m\n", encoding="utf-8")
    return folder


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, NKSTUDY_HOME=str(home), COLUMNS="200")
    env.pop("NKSTUDY_PACKS", None)
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "nkstudy", *args], capture_output=True, timeout=10, env=env)


def assert_clean(proc: subprocess.CompletedProcess[bytes]) -> None:
    for name, data in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        found = FORBIDDEN.search(data)
        near = data[max(0, found.start() - 40) : found.end() + 40] if found else b""
        assert found is None, f"{name} holds {found.group()!r} near {near!r}"
    assert b"Traceback" not in proc.stderr


def test_validate_reports_each_control_character_and_prints_none(tmp_path: Path) -> None:
    folder = hostile_pack(tmp_path / "evil\x1b[31m\u202e")
    proc = run(["validate", str(folder)], tmp_path / "home")
    assert proc.returncode == 1
    assert_clean(proc)
    err = proc.stderr.decode("utf-8")
    lines = err.splitlines()
    assert all(line.isprintable() for line in lines), [line for line in lines if not line.isprintable()]
    # text fields: file, line and code point
    assert re.search(r"questions\.yaml'?:\d+: field 'prompt' holds the control character U\+001B \(ESC\)", err), err
    assert re.search(r"questions\.yaml'?:\d+: field 'explanation' holds the control character U\+001B", err), err
    assert re.search(r"questions\.yaml'?:\d+: an item of 'options' holds the control character U\+202E", err), err
    assert re.search(r"pack\.yaml'?:\d+: field 'title' holds the control character U\+001B", err), err
    assert re.search(r"sources/art\.txt'?:\d+: the text holds the control character U\+001B \(ESC\)", err), err
    # a key holding C1 and a newline: reported, quoted, on one line
    key_line = r"questions\.yaml'?:\d+: key 'k\\x9b\\x1b\\n' holds the control character U\+009B \(CSI\)"
    assert re.search(key_line, err), err
    # file names shown escaped
    assert "missing\\x1b[5m\\u2067.yaml" in err
    assert "evil\\u202e\\n.txt" in err


def test_lrm_rlm_tab_and_newline_are_fine_in_text(tmp_path: Path) -> None:
    q = QUESTIONS_YAML.replace(
        "prompt: Whom did the official meet in April 2024?",
        "prompt: " + _yaml_str("Whom did\tthe \u200eofficial\u200f meet\nin April 2024?"),
    )
    folder = write_pack(tmp_path / "p", questions_yaml=q)
    proc = run(["validate", str(folder)], tmp_path / "home")
    assert proc.returncode == 0, proc.stderr.decode()


@pytest.mark.parametrize("as_json", [False, True])
def test_packs_prints_no_control_characters(tmp_path: Path, as_json: bool) -> None:
    place = tmp_path / "place"
    hostile_pack(place / "evil\x1b[31m\u202e\x9b")
    proc = run(["packs", "--packs", str(place)] + (["--json"] if as_json else []), tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    assert_clean(proc)
    out = proc.stdout.decode("utf-8")
    if as_json:
        rows = json.loads(out)
        broken = [r for r in rows if not r["ok"]]
        assert broken and broken[0]["path"].endswith("evil\x1b[31m\u202e\x9b")  # the data survives, escaped
        assert any(r["id"] == "nk-china-visits" and r["ok"] for r in rows)
    else:
        assert "BROKEN" in out and "nk-china-visits" in out


def test_export_prints_no_control_characters(tmp_path: Path) -> None:
    folder = hostile_pack(tmp_path / "evil\x1b[31m\u202e")
    proc = run(["export", str(folder), "--format", "json"], tmp_path / "home")
    assert proc.returncode == 1
    assert_clean(proc)
    assert "pack has problems" in proc.stderr.decode()
    proc = run(["export", "no\x1b[31msuch\u202e\x9b"], tmp_path / "home")
    assert proc.returncode == 1
    assert_clean(proc)


def test_export_json_escapes_separators_and_keeps_marks(tmp_path: Path) -> None:
    q = QUESTIONS_YAML.replace(
        "prompt: Whom did the official meet in April 2024?",
        "prompt: " + _yaml_str("Whom\u2028 did \u200fthe official meet?"),
    )
    folder = write_pack(tmp_path / "p", questions_yaml=q)
    proc = run(["export", str(folder)], tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    assert_clean(proc)
    assert b"\\u2028" in proc.stdout and "\u2028".encode() not in proc.stdout
    data = json.loads(proc.stdout)
    prompt = {q["id"]: q for q in data["questions"]}["q-multi"]["prompt"]
    assert prompt == "Whom\u2028 did \u200fthe official meet?"


def test_json_text_escapes_c1_and_bidi_and_decodes_back() -> None:
    value = {"k\x9b": ["\x1b[31m", "\x85\x9b\x9d", "\u202e\u2066\u2069", "\u200e ok é 北", "\udcff"]}
    text = json_text(value)
    encoded = text.encode("utf-8")
    assert FORBIDDEN.search(encoded) is None
    assert json.loads(text) == value
    assert "\u200e ok é 北" in text  # readable text and the marks stay as they are


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("\x9b2J", "\\x9b2J"),
        ("\u202eabc\u2066", "\\u202eabc\\u2066"),
        ("line\u2028sep", "line\\u2028sep"),
        ("bad\udcffname", "bad\\udcffname"),
        ("\u200eplain é", "\u200eplain é"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(raw).isprintable() or "\u200e" in raw


def test_visible_can_keep_newlines_and_tabs() -> None:
    assert visible("a\n\tb\x1b", keep="\n\t") == "a\n\tb\\x1b"
