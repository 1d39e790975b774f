"""`nkstudy stats`: tables and --json from the store."""

from __future__ import annotations

import io
import json

from nkstudy.cli import main
from nkstudy.core.figures import duration


def start(monkeypatch, *extra: str) -> None:
    """Create profile zoe as a person does: a study session ended before any answer."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["study", "--plain", "--profile", "zoe", "--pack", "test-pack", *extra]) == 0


def test_stats_for_a_fresh_profile(home, monkeypatch, capsys) -> None:
    start(monkeypatch)
    capsys.readouterr()
    assert main(["stats", "--profile", "zoe", "--pack", "test-pack", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "zoe" and data["reviews"] == 0 and data["accuracy"] is None
    assert data["new"] == 6 and data["forecast"] == [0] * 14
    assert data["packs"][0]["id"] == "test-pack"


def test_stats_tables(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n\n"))
    main(["study", "--plain", "--profile", "zoe", "--pack", "test-pack"])
    capsys.readouterr()
    assert main(["stats", "--profile", "zoe"]) == 0
    out = capsys.readouterr().out
    assert "Progress of zoe" in out and "Answers: 2" in out
    assert "test-pack" in out and "Accuracy by tag" in out
    # the time spent answering as the rest of nkstudy gives a time (7s, 4m 12s), not rounded down to "0 min"
    assert main(["stats", "--profile", "zoe", "--json"]) == 0
    spent = duration(json.loads(capsys.readouterr().out)["time_ms"] / 1000)
    assert f"answering time {spent}." in " ".join(out.split())


def test_stats_data_dir_flag_overrides_env(home, tmp_path, monkeypatch, capsys) -> None:
    other = tmp_path / "elsewhere"
    assert main(["stats", "--data-dir", str(other), "--profile", "zoe", "--json"]) == 1  # none there yet
    start(monkeypatch, "--data-dir", str(other))
    capsys.readouterr()
    assert main(["stats", "--data-dir", str(other), "--profile", "zoe", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["profile"] == "zoe"
    assert (other / "progress.sqlite3").exists()
    assert main(["stats", "--profile", "zoe"]) == 1  # not in the $NKSTUDY_HOME one


def test_stats_unknown_pack(home, monkeypatch, capsys) -> None:
    start(monkeypatch)
    assert main(["stats", "--profile", "zoe", "--pack", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
