"""`nkstudy cards`, `settings` and `optimize`, and plain mode's `!right`, through main(argv) and a subprocess."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from nkstudy.cli import main
from nkstudy.core.study.optimize import MIN_REVIEWS
from nkstudy.core.study.progress import ReviewRow
from nkstudy.core.study.schedule import DEFAULT_PARAMETERS, Card, Rating, Scheduler
from nkstudy.store.db import Store


def _wrong_then_right(monkeypatch, capsys) -> str:
    """Answer the one typed question (tag who) wrong, then say "I was right"; returns the output."""
    monkeypatch.setattr("sys.stdin", io.StringIO("Kim Il Sung\n!right\n"))
    assert main(["study", "--plain", "--profile", "zoe", "--pack", "test-pack", "--tag", "who", "--seed", "1"]) == 0
    return capsys.readouterr().out


def test_plain_right_overrides_the_last_typed_answer(home, monkeypatch, capsys) -> None:
    out = _wrong_then_right(monkeypatch, capsys)
    assert "Wrong." in out and "!right" in out  # the hint after a wrong typed answer
    assert "Counted right" in out and "Score 1/1" in out
    assert "Answered 1: 1 right, 0 wrong" in out
    assert main(["stats", "--profile", "zoe", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overrides"] == {"test-pack/q-typed": 1} and data["right"] == 1


def test_plain_right_with_nothing_to_override(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("!right\nKim Jong Un\n"))
    assert main(["study", "--plain", "--profile", "zoe", "--pack", "test-pack", "--tag", "who", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Nothing to override" in out and "Answered 1: 1 right" in out
    assert main(["stats", "--profile", "zoe", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overrides"] == {}


def test_cards_lists_shows_and_unsuspends(home, monkeypatch, capsys) -> None:
    _wrong_then_right(monkeypatch, capsys)
    assert main(["cards", "--profile", "zoe", "--pack", "test-pack", "--json"]) == 0
    cards = {c["id"]: c for c in json.loads(capsys.readouterr().out)}
    assert len(cards) == 6 and cards["q-typed"]["states"] == ["learning"] and cards["q-choice"]["states"] == ["new"]
    assert cards["q-typed"]["due"] is not None and cards["q-choice"]["due"] is None
    assert main(["cards", "--profile", "zoe", "--state", "learning"]) == 0
    out = capsys.readouterr().out
    assert "1 card" in out and "test-pack/q-typed" in out
    assert main(["cards", "--profile", "zoe", "--pack", "test-pack", "--search", "fill the BLANK", "--json"]) == 0
    assert [c["id"] for c in json.loads(capsys.readouterr().out)] == ["q-cloze"]
    assert main(["cards", "--profile", "zoe", "--show", "test-pack/q-typed", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(a["answer"], a["correct"], a["override"]) for a in shown["answers"]] == [("Kim Il Sung", True, True)]
    assert main(["cards", "--profile", "zoe", "--show", "test-pack/q-typed"]) == 0
    assert "(override)" in capsys.readouterr().out
    assert main(["cards", "--profile", "zoe", "--unsuspend", "test-pack/q-typed"]) == 0
    assert main(["cards", "--profile", "zoe", "--state", "suspended", "--json"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(("argv", "status"), [
    (["--state", "asleep"], 2),
    (["--show", "test-pack/nope"], 1),
    (["--unflag", "nopack"], 1),
    (["--pack", "nosuch"], 2),
])
def test_cards_refuses_in_one_line(home, monkeypatch, capsys, argv, status) -> None:
    _wrong_then_right(monkeypatch, capsys)
    assert main(["cards", "--profile", "zoe", *argv]) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_settings_show_change_and_refuse(home, monkeypatch, capsys) -> None:
    assert main(["settings", "--profile", "zoe", "leech_threshold", "5"]) == 0
    assert "leech_threshold  5" in capsys.readouterr().out
    assert main(["settings", "--profile", "zoe", "learning_steps_minutes", "1m 10m 1h"]) == 0
    assert main(["settings", "--profile", "zoe", "exact_spelling", "on"]) == 0
    capsys.readouterr()
    assert main(["settings", "--profile", "zoe", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["leech_threshold"] == 5 and data["learning_steps_minutes"] == [1, 10, 60]
    assert data["exact_spelling"] is True and data["desired_retention"] == 0.9
    assert set(data) == {"desired_retention", "new_per_day", "learning_steps_minutes", "relearning_steps_minutes",
                         "maximum_interval_days", "day_starts_hour", "exact_spelling", "leech_threshold"}
    for key, value in (("desired_retention", "2"), ("day_starts_hour", "25"), ("new_per_day", "lots"),
                       ("exact_spelling", "maybe"), ("learning_steps_minutes", "soon"), ("nosuch", "1")):
        assert main(["settings", "--profile", "zoe", key, value]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and key in err and "Traceback" not in err
    assert main(["settings", "--profile", "zoe", "desired_retention"]) == 0
    assert capsys.readouterr().out.split() == ["desired_retention", "0.90"]  # nothing refused was saved


def test_settings_take_short_names_and_suggest_the_closest(home, capsys) -> None:
    from nkstudy.cli.settings import DESCRIPTION
    from nkstudy.core.study.settings_text import SETTINGS

    assert main(["settings", "--profile", "zoe", "retention", "0.85"]) == 0
    assert capsys.readouterr().out.split() == ["desired_retention", "0.85"]  # shown by its own key
    assert main(["settings", "--profile", "zoe", "Max-Interval", "365"]) == 0
    assert main(["settings", "--profile", "zoe", "new", "7"]) == 0
    capsys.readouterr()
    assert main(["settings", "--profile", "zoe", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["desired_retention"], data["maximum_interval_days"], data["new_per_day"]) == (0.85, 365, 7)
    assert main(["settings", "--profile", "zoe", "leech"]) == 0
    assert capsys.readouterr().out.split() == ["leech_threshold", "8"]
    # a name it does not know: one line, the closest setting suggested, nothing saved
    for typo, meant in (("retension", "desired_retention"), ("new_per_days", "new_per_day"),
                        ("learning_step", "learning_steps_minutes"), ("leech_treshold", "leech_threshold")):
        assert main(["settings", "--profile", "zoe", typo, "1"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"did you mean {meant}?" in err, err
    assert main(["settings", "--profile", "zoe", "colour", "red"]) == 2
    err = capsys.readouterr().err
    assert "did you mean" not in err and "desired_retention" in err  # nothing close: the known settings
    # every short name is in the help, and no two settings share one
    names = [name for s in SETTINGS for name in (s.key, *s.aliases)]
    assert len(names) == len(set(names))
    assert all(alias in DESCRIPTION for s in SETTINGS for alias in s.aliases)


def test_optimize_with_too_few_reviews_says_how_many_it_needs(home, monkeypatch, capsys) -> None:
    pytest.importorskip("fsrs_rs_python", reason='the optimizer is the extra "nkstudy[optimize]"')
    _wrong_then_right(monkeypatch, capsys)
    assert main(["optimize", "--profile", "zoe", "--yes"]) == 1
    err = capsys.readouterr().err
    assert str(MIN_REVIEWS) in err and err.count("\n") == 1


def test_optimize_without_the_extra_says_how_to_install_it(home) -> None:
    blocked = "import sys; sys.modules['fsrs_rs_python'] = None\nfrom nkstudy.cli import main\n" \
              "raise SystemExit(main(['optimize', '--profile', 'zoe']))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and 'pip install "nkstudy[optimize]"' in done.stderr


def _learner_log(store: Store, profile_id: int, seed: int = 3, cards: int = 60) -> None:
    """Reviews of a learner who forgets sooner than fsrs assumes, written to the review log."""
    rng = random.Random(seed)
    weak = list(DEFAULT_PARAMETERS)
    weak[0:4] = [0.08, 0.3, 0.6, 1.5]
    app = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    memory = Scheduler(parameters=weak, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    start = datetime(2024, 1, 1, 12, tzinfo=UTC)
    for i in range(cards):
        shown, true, when = Card(due=start), Card(due=start), start + timedelta(days=rng.randrange(20))
        for n in range(6):
            recalled = n == 0 or rng.random() < memory.get_card_retrievability(true, when)
            rating = Rating.Good if recalled else Rating.Again
            store.record_answer(profile_id, ReviewRow("test-pack", f"c{i}", "art", (), when.timestamp(), int(rating),
                                                      recalled, "x", None, False, None, None), None)
            shown, _ = app.review_card(shown, rating, when)
            true, _ = memory.review_card(true, rating, when)
            when = max(shown.due, when + timedelta(days=1))


def test_optimize_prints_both_scores_and_saves_only_when_told(home, monkeypatch, capsys) -> None:
    pytest.importorskip("fsrs_rs_python", reason='the optimizer is the extra "nkstudy[optimize]"')
    store = Store(home / "data" / "progress.sqlite3")
    _learner_log(store, store.profile_id("zoe", datetime(2024, 1, 1, tzinfo=UTC)))
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no question, nothing saved
    assert main(["optimize", "--profile", "zoe"]) == 0
    out = capsys.readouterr().out
    losses = [float(line.split("log loss")[1].split()[0]) for line in out.splitlines() if "log loss" in line]
    assert len(losses) == 2 and losses[1] < losses[0]  # the fit predicts these reviews better
    assert "Not saved" in out
    assert main(["settings", "--profile", "zoe", "--json"]) == 0
    capsys.readouterr()
    assert main(["optimize", "--profile", "zoe", "--yes"]) == 0
    assert "Saved" in capsys.readouterr().out
    store = Store(home / "data" / "progress.sqlite3")
    saved = store.load_settings(store.profile_id("zoe", datetime(2024, 1, 1, tzinfo=UTC)))["parameters"]
    store.close()
    assert len(saved) == len(DEFAULT_PARAMETERS) and tuple(saved) != DEFAULT_PARAMETERS



def test_unsuspend_and_unflag_say_what_changed(home, monkeypatch, capsys) -> None:
    _wrong_then_right(monkeypatch, capsys)
    assert main(["cards", "--profile", "zoe", "--unsuspend", "test-pack/q-typed"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "test-pack/q-typed" in err[0] and "nothing changed" in err[0]
    assert main(["cards", "--profile", "zoe", "--json", "--unflag", "test-pack/q-typed"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["id"] == "q-typed"  # stdout stays the card, JSON intact
    assert "nothing changed" in captured.err


def test_unsuspend_says_it_unsuspended_a_suspended_card(home, monkeypatch, capsys) -> None:
    import sqlite3

    _wrong_then_right(monkeypatch, capsys)
    con = sqlite3.connect(home / "data" / "progress.sqlite3")  # suspended as the app's `s` leaves it
    with con:
        con.execute("INSERT INTO card_marks (profile_id, pack_id, question_id, suspended) "
                    "SELECT id, 'test-pack', 'q-typed', 1 FROM profiles WHERE name = 'zoe'")
    con.close()
    assert main(["cards", "--profile", "zoe", "--unsuspend", "test-pack/q-typed"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "test-pack/q-typed" in err[0] and "nothing changed" not in err[0]
    assert main(["cards", "--profile", "zoe", "--state", "suspended", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
