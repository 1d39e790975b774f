"""What a new student's walk found on the command line (issue 17): the text of an option answers
it, a --tag or --source that names nothing is a usage error, a closed pipe is not an error, and
the small print (help, notices, quotes, backslashes, singulars)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.core.model import TypedQuestion
from nkstudy.present import excerpt_text
from packfactory import write_pack


def study(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, stdin: str, *extra: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["study", "--plain", "--profile", "ann", "--pack", "test-pack", "--seed", "3", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_text_of_an_option_answers_a_numbered_choice(home, monkeypatch, capsys) -> None:
    code, out, err = study(monkeypatch, capsys, "  pyongyang\n", "--tag", "where", "--limit", "1")
    assert code == 0 and err == ""
    assert "Right." in out and "Not understood" not in out and "Answered 1: 1 right" in out


@pytest.mark.parametrize(("option", "value", "known"), [
    ("--tag", "nosuchtag", "when, where, who, whom, why"),
    ("--source", "nosuch", "art"),
])
def test_a_filter_that_names_nothing_is_a_usage_error(home, monkeypatch, capsys, option: str, value: str,
                                                       known: str) -> None:
    code, out, err = study(monkeypatch, capsys, "", option, value)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and value in err and known in err
    assert not (home / "data" / "progress.sqlite3").exists() or "Question" not in out


def test_a_filter_that_names_something_still_studies(home, monkeypatch, capsys) -> None:
    code, out, err = study(monkeypatch, capsys, "\n", "--source", "art", "--tag", "where", "--limit", "1")
    assert code == 0 and err == "" and "Question 1 of 1" in out


def test_an_error_shows_a_backslash_once(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["study", "--plain", "--pack", "a\\b"]) == 2
    err = capsys.readouterr().err
    assert "'a\\b'" in err and "\\\\" not in err


def _cli(args: list[str], home: Path, **env: str) -> subprocess.Popen[bytes]:
    full = {**os.environ, "NKSTUDY_HOME": str(home / "data"), "NKSTUDY_PACKS": str(home / "packs"),
            "NO_COLOR": "1", **env}
    return subprocess.Popen([sys.executable, "-m", "nkstudy", *args], env=full, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("args", [
    ["stats"], ["stats", "--json"], ["packs"], ["study", "--plain", "--profile", "ann"], ["study", "--help"],
    ["export", "test-pack", "--format", "json"],
])
def test_a_reader_that_stops_early_is_not_an_error(home, args: list[str]) -> None:
    """`nkstudy stats | head -1`: the reader goes away; exit 0, nothing on stderr."""
    setup = _cli(["study", "--plain", "--profile", "ann", "--limit", "1"], home)
    setup.communicate(timeout=60)
    read, write = os.pipe()
    os.close(read)  # nobody will read: the first write meets a closed pipe
    env = {**os.environ, "NKSTUDY_HOME": str(home / "data"), "NKSTUDY_PACKS": str(home / "packs"),
           "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "nkstudy", "--profile", "ann", *args], env=env,
                          stdin=subprocess.DEVNULL, stdout=write, stderr=subprocess.PIPE, timeout=60)
    os.close(write)
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode()


def test_study_help_has_no_broken_line(capsys) -> None:
    assert main(["study", "--help"]) == 0
    out = capsys.readouterr().out
    assert "TERM=dumb) asks one question at a time" in out
    assert "or the option's exact text" in out


def test_the_term_dumb_notice_fits_80_columns(home) -> None:
    proc = _cli(["--profile", "dee"], home, TERM="dumb")  # a bare nkstudy: the app, were TERM not dumb
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    lines = err.decode().splitlines()
    assert len(lines) == 1 and "plain quiz" in lines[0] and len(lines[0]) <= 80


def test_a_passage_that_opens_with_its_own_quote_is_not_quoted_twice() -> None:
    quoted = TypedQuestion(id="q", prompt="p", answer="a", excerpt="“It is a new era,” Xi said.")
    plain = TypedQuestion(id="q", prompt="p", answer="a", excerpt="Xi said it is a new era.")
    assert excerpt_text(quoted, None).plain == "“It is a new era,” Xi said."
    assert excerpt_text(plain, None).plain == "“Xi said it is a new era.”"


def test_validate_counts_in_the_singular(tmp_path: Path, capsys) -> None:
    folder = write_pack(tmp_path / "one")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1 source" in out and "1 sources" not in out
    assert ("1 event" in out and "1 events" not in out) or "0 events" in out


def read_only_runner() -> list[str]:
    """The command prefix under which a file without write permission cannot be written: nothing
    for a normal user; for root, setpriv without the capabilities that override permissions."""
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only file stays writable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_a_read_only_database_is_found_before_the_first_question(home) -> None:
    prefix = read_only_runner()
    env = {**os.environ, "NKSTUDY_HOME": str(home / "data"), "NKSTUDY_PACKS": str(home / "packs"), "NO_COLOR": "1"}
    first = subprocess.run([sys.executable, "-m", "nkstudy", "study", "--plain", "--profile", "ann", "--limit", "1"],
                           input="\n", env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    db = home / "data" / "progress.sqlite3"
    db.chmod(0o444)
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "nkstudy", "study", "--plain", "--profile", "ann"],
                              input="Pyongyang\n", env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1
        assert "Question" not in done.stdout  # said before asking, not after an answer
        assert done.stderr.count("\n") == 1 and "read-only" in done.stderr and str(db) in done.stderr
        stats = subprocess.run([*prefix, sys.executable, "-m", "nkstudy", "stats", "--profile", "ann"],
                               env=env, capture_output=True, text=True, timeout=60)
        assert stats.returncode == 0 and "ann" in stats.stdout  # reading still works
    finally:
        db.chmod(0o644)


def test_a_profile_name_with_a_backslash_is_shown_as_typed(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["stats", "--profile", "a\\b"]) == 1
    err = capsys.readouterr().err
    assert "'a\\b'" in err and "\\\\" not in err and err.count("\n") == 1


def test_on_a_terminal_the_option_text_is_understood_and_the_notice_fits(home) -> None:
    """A real pseudo-terminal with TERM=dumb: the one-line notice fits 80 columns, and typing
    an option's text is an answer, not a line to ask again."""
    import pty
    import select
    import time

    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "NKSTUDY_HOME": str(home / "data"), "NKSTUDY_PACKS": str(home / "packs"),
           "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "80"}
    proc = subprocess.Popen([sys.executable, "-m", "nkstudy", "study", "--pack", "test-pack", "--profile", "tty",
                             "--tag", "where", "--limit", "1"],
                            stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env, close_fds=True)
    os.close(child_fd)
    seen = b""

    def read_until(marker: bytes, timeout: float = 30) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < end:
            if select.select([main_fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(main_fd, 4096)
                except OSError:
                    break

    read_until(b"\n> ")
    notice = next(line for line in seen.decode().splitlines() if "plain quiz" in line)
    assert len(notice) <= 80, notice
    os.write(main_fd, b"Pyongyang\n")
    read_until(b"Study streak")
    proc.wait(timeout=30)
    os.close(main_fd)
    text = seen.decode()
    assert "Right." in text and "try again" not in text and "Answered 1: 1 right" in text
