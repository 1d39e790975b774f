"""`nkstudy study --plain`: piped answers, literal pack text, clean endings."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from nkstudy.cli import main
from packfactory import QUESTIONS_YAML, write_pack


def study(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, stdin: str, *extra: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["study", "--plain", "--profile", "ann", "--pack", "test-pack", "--seed", "3", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def reviews(home: Path) -> list[tuple]:
    con = sqlite3.connect(home / "data" / "progress.sqlite3")
    try:
        sql = "SELECT question_id, correct, answer, practice FROM reviews ORDER BY id"
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_piped_session_answers_each_question_in_turn(home, monkeypatch, capsys) -> None:
    # with --seed the order is fixed: new cards are spread so that those that give each other
    # away are far apart (here the choice question, then the multi one, the cloze, the typed)
    code, out, err = study(monkeypatch, capsys, "\n", "--profile", "peek")  # a look at the first two
    assert code == 0 and err == ""
    assert "Question 1 of 6" in out and "Session stopped" in out
    assert out.index("in which city did Kim Jong Un meet") < out.index("Whom did the official meet in April 2024?")
    options = [line.strip() for line in out.splitlines() if line.strip()[:2] in {"1.", "2.", "3."}]
    right = " ".join(o.split(".")[0] for o in options if o.endswith(("Kim Jong Un", "Choe Ryong Hae")))
    assert len(right.split()) == 2
    code, out, err = study(monkeypatch, capsys, f"7\n{right}\nexchanges\n\n")
    assert code == 0 and err == ""
    assert out.count("Right.") == 2
    assert "Don't know." in out
    assert "Not understood" in out and "counted as wrong" in out
    assert "Answer: Pyongyang" in out
    assert "The test article says the meeting was in the capital Pyongyang." in out
    assert "Chinese official meets North Korean leader Kim in Pyongyang (Test Wire, about 2024-04-13)" in out
    assert "Answered 4: 2 right, 2 wrong (50%)" in out
    log = reviews(home)
    assert len(log) == 5  # one by the profile that looked first, four by ann
    assert [r[0] for r in log][-4:] == ["q-choice", "q-multi", "q-cloze", "q-typed"]
    assert [r[1] for r in log][-4:] == [0, 1, 1, 0]
    assert log[-4][2] == "7"  # the line that was not understood is logged as given


def test_pack_text_is_printed_literally(home, monkeypatch, capsys) -> None:
    write_pack(home / "packs" / "test-pack", questions_yaml=QUESTIONS_YAML.replace(
        "prompt: In April 2024, in which city", "prompt: Q [bold]In April 2024[/bold], in which [red]city"))
    code, out, _ = study(monkeypatch, capsys, "1\n")
    assert code == 0
    assert "Q [bold]In April 2024[/bold], in which [red]city" in out


def test_practice_leaves_schedule_alone(home, monkeypatch, capsys) -> None:
    study(monkeypatch, capsys, "\n\n")
    con = sqlite3.connect(home / "data" / "progress.sqlite3")
    before = con.execute("SELECT * FROM cards ORDER BY question_id").fetchall()
    con.close()
    code, out, _ = study(monkeypatch, capsys, "\n\n\n", "--practice")
    assert code == 0 and "Practice" in out
    con = sqlite3.connect(home / "data" / "progress.sqlite3")
    assert con.execute("SELECT * FROM cards ORDER BY question_id").fetchall() == before
    con.close()
    assert [r[3] for r in reviews(home)] == [0, 0, 1, 1, 1]


def test_ctrl_c_ends_cleanly(home, monkeypatch, capsys) -> None:
    class Interrupting(io.StringIO):
        def readline(self, *a):  # one answer, then Ctrl+C
            if self.tell() == 0:
                self.seek(1)
                return "\n"
            raise KeyboardInterrupt

    monkeypatch.setattr("sys.stdin", Interrupting("x"))
    # seeded, so the first question takes one line (a flashcard would ask twice: reveal, then "did you know?")
    code = main(["study", "--plain", "--profile", "ann", "--seed", "1"])
    out, _ = capsys.readouterr()
    assert code == 0 and "Answered 1" in out
    assert len(reviews(home)) == 1


def test_bad_database_is_a_one_line_error(home, monkeypatch, capsys) -> None:
    (home / "data").mkdir()
    (home / "data" / "progress.sqlite3").write_text("not a database")
    code, out, err = study(monkeypatch, capsys, "1\n")
    assert code == 1
    assert err.count("\n") == 1 and "progress.sqlite3" in err and "not an SQLite database" in err


def test_unknown_pack_is_a_usage_error(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["study", "--plain", "--pack", "nope"]) == 2
    assert "no pack with id 'nope'" in capsys.readouterr().err


def test_help_documents_the_line_rules(capsys) -> None:
    assert main(["study", "--help"]) == 0
    out = capsys.readouterr().out
    assert "every input line answers the current question" in out
    assert "counts as wrong" in out


def test_stats_json_after_studying(home, monkeypatch, capsys) -> None:
    study(monkeypatch, capsys, "\n\nKim Jong Un\n")
    assert main(["stats", "--profile", "ann", "--pack", "test-pack", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("profile", "reviews", "accuracy", "due_now", "new", "learning", "review", "forecast"):
        assert key in data
    assert data["profile"] == "ann" and data["reviews"] == 3
    assert len(data["forecast"]) == 14
    assert data["new"] == 3 and data["learning"] == 3


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_input_that_is_not_utf8_is_an_answer_not_a_crash(home, monkeypatch, capsys, errors) -> None:
    # a UTF-8 locale decodes stdin strictly; the C locale hands bad bytes over as surrogates
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\n\xc3\n"), encoding="utf-8", errors=errors)
    monkeypatch.setattr("sys.stdin", stdin)
    code = main(["study", "--plain", "--profile", "ann", "--pack", "test-pack", "--seed", "3"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "Answered 2: 0 right, 2 wrong" in out
    assert [r[2] for r in reviews(home)] == ["\ufffd\ufffd", "\ufffd"]


def _wreck_table(db: Path, table: str) -> None:
    """Overwrite ``table``'s root page, leaving the header and the schema readable."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = DELETE")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    con.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page_size: root * page_size] = b"\xa5" * page_size
    db.write_bytes(bytes(data))


def test_damage_found_after_opening_is_a_one_line_error(home, monkeypatch, capsys) -> None:
    study(monkeypatch, capsys, "\n\n")
    db = home / "data" / "progress.sqlite3"
    _wreck_table(db, "cards")
    code, out, err = study(monkeypatch, capsys, "1\n")
    assert code == 1
    assert err.count("\n") == 1 and str(db) in err and "damaged" in err and "Traceback" not in err
    assert main(["stats", "--profile", "ann"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(db) in err and "damaged" in err


def test_plain_quiz_asks_a_flashcard_and_a_match(tmp_path, monkeypatch, capsys) -> None:
    from packfactory import CARD_MATCH_YAML

    folder = write_pack(tmp_path / "cm", questions_yaml=CARD_MATCH_YAML)
    home = tmp_path / "home"
    # the card: Enter shows the back, then "y"; the match: a letter for each left item, in order
    monkeypatch.setattr("sys.stdin", io.StringIO("\ny\nab\n"))
    code = main(["study", "--plain", "--packs", str(folder), "--data-dir", str(home), "--profile", "ann",
                 "--pack", "test-pack", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "press Enter to see it" in out and "Answer: Choe Ryong Hae" in out
    assert "1. Zhao and Choe Ryong Hae" in out and "a) " in out and "b) " in out
    con = sqlite3.connect(home / "progress.sqlite3")
    log = con.execute("SELECT question_id, correct, answer FROM reviews ORDER BY id").fetchall()
    con.close()
    assert log[0] == ("q-card", 1, "knew it")
    assert log[1][0] == "q-match" and log[1][2].count("→") == 2


def test_on_a_terminal_a_line_not_understood_is_asked_again(home) -> None:
    """A real pseudo-terminal: '7' of four options asks again; piped, it would count as wrong."""
    import os
    import pty
    import subprocess
    import sys
    import time

    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "NKSTUDY_HOME": str(home / "data"), "NKSTUDY_PACKS": str(home / "packs"),
           "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "80"}
    proc = subprocess.Popen([sys.executable, "-m", "nkstudy", "study", "--pack", "test-pack", "--profile", "tty",
                             "--seed", "3", "--limit", "1"],
                            stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env, close_fds=True)
    os.close(child_fd)
    seen = b""

    def read_until(marker: bytes, timeout: float = 30) -> None:
        import select

        nonlocal seen
        start = len(seen)
        end = time.monotonic() + timeout
        while marker not in seen[start:] and time.monotonic() < end:
            ready, _, _ = select.select([main_fd], [], [], 0.2)
            if not ready:
                continue
            try:
                seen += os.read(main_fd, 4096)
            except OSError:
                break

    read_until(b"\n> ")
    assert b"here is the plain quiz instead" in seen  # TERM=dumb: no full-screen app
    os.write(main_fd, b"7\n")
    read_until(b"try again")
    assert b"Not understood" in seen and b"counted as wrong" not in seen
    os.write(main_fd, b"\n")
    read_until(b"Question 2")
    read_until(b"> ")
    os.write(main_fd, b"\x04")  # Ctrl+D ends the session
    read_until(b"Study streak")
    proc.wait(timeout=30)
    os.close(main_fd)
    assert b"Answered 1: 0 right, 1 wrong" in seen, seen.decode()[-1500:]
    assert [r[2] for r in reviews(home)] == [""]  # the answer logged is the don't-know, not the 7


def test_term_dumb_runs_the_plain_quiz_for_a_bare_nkstudy(home) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TERM": "dumb"}
    # two empty lines: "don't know" to a first question of any type (a flashcard reveals on the first)
    done = subprocess.run([sys.executable, "-m", "nkstudy", "--profile", "dee"], input="\n\n", env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1 and "plain quiz" in done.stderr
    assert "Question 1 of" in done.stdout and "Don't know." in done.stdout


def test_order_hint_fits_the_number_of_items(home, monkeypatch, capsys) -> None:
    code, out, _ = study(monkeypatch, capsys, "\n" * 6)
    assert code == 0
    assert "such as 2 1." in out and "3 1 2" not in out  # the test pack's order question has two items


def test_studying_a_broken_pack_says_to_validate_it(tmp_path, monkeypatch, capsys) -> None:
    folder = write_pack(tmp_path / "broken", questions_yaml=QUESTIONS_YAML.replace("type: choice", "type: nope"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["study", "--plain", "--packs", str(folder), "--data-dir", str(tmp_path / "d"), "--pack", "test-pack"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "has problems" in err and f"nkstudy validate {folder}" in err
