"""`nkstudy stats`: tables and --json from the store."""

from __future__ import annotations

import io
import json

from nkstudy.cli import main


def test_stats_for_a_fresh_profile(home, capsys) -> None:
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


def test_stats_data_dir_flag_overrides_env(home, tmp_path, capsys) -> None:
    other = tmp_path / "elsewhere"
    assert main(["stats", "--data-dir", str(other), "--profile", "x", "--json"]) == 0
    capsys.readouterr()
    assert (other / "progress.sqlite3").exists()


def test_stats_unknown_pack(home, capsys) -> None:
    assert main(["stats", "--pack", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
