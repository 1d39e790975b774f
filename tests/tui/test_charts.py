"""The chart drawing functions (pure: Text in, Text out)."""

from __future__ import annotations

from datetime import date, timedelta

from nkstudy.tui.widgets.charts import bar, columns, hbars, heatmap


def test_bar_has_fixed_width_and_scales() -> None:
    assert bar(0, 10) == " " * 10
    assert bar(1, 10) == "█" * 10
    assert bar(0.5, 10).startswith("█████") and len(bar(0.5, 10)) == 10
    assert len(bar(2.0, 7)) == 7  # clamped


def test_heatmap_marks_review_days_and_month_names_never_overlap() -> None:
    today = date(2024, 5, 6)  # a Monday
    counts = {today: 5, today - timedelta(days=1): 1}
    lines = heatmap(counts, today, 30).plain.splitlines()
    months = lines[0].split()
    assert all(len(m) == 3 for m in months)  # no "MaApr"
    assert lines[1].rstrip().endswith("█")  # Monday row, today the busiest
    assert "░" in lines[7]  # Sunday row, yesterday


def test_forecast_and_bars_show_numbers() -> None:
    text = columns([0, 3, 1], ["06", "07", "08"], height=3).plain
    assert " 0  3  1" in text and "07" in text
    assert "nothing due" in columns([0, 0], ["a", "b"]).plain
    rows = hbars([("who", 0.5, "1/2 50%"), ("a very long source name indeed", 1.0, "2/2 100%")], 60).plain
    assert "1/2 50%" in rows and "…" in rows.splitlines()[1]
