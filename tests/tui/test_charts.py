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


def test_heatmap_names_every_month_it_shows_up_to_todays() -> None:
    # the last month shown was left without its name: when it began in the last week, or that week
    # was still the previous month's by its Monday
    for offset in range(0, 366, 3):
        today = date(2024, 1, 1) + timedelta(days=offset)
        for weeks in (30, 52):
            lines = heatmap({today: 1}, today, weeks).plain.splitlines()
            months = lines[0].split()
            assert months[-1] == today.strftime("%b"), (today, weeks, lines[0])
            assert all(len(m) == 3 for m in months), lines[0]
            assert all(a != b for a, b in zip(months, months[1:], strict=False)), lines[0]
            start = today - timedelta(days=today.weekday(), weeks=weeks - 1)
            first = {(start + timedelta(days=d)).strftime("%b") for d in range(7, (today - start).days + 1)
                     if (start + timedelta(days=d)).day == 1}
            assert first <= set(months), (today, weeks, lines[0])  # every month that begins on the map
            assert len(lines[0]) <= 4 + weeks * 2 + 1  # within the grid's width, and one column more
