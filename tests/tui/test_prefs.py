"""Saved theme, the user's keymap, the reader's highlighting and scrolling, and home's counts."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from rich.console import Console
from tui_helpers import answer, press_to, ready, settled, static_text

from nkstudy.tui.keys import binding_ids, keymap_markdown
from nkstudy.tui.screens.help import HelpScreen, help_table
from nkstudy.tui.study.screens.home import HomeScreen
from nkstudy.tui.study.screens.stats import StatsScreen
from nkstudy.tui.study.screens.study import StudyScreen
from nkstudy.tui.study.screens.summary import SummaryScreen

SIZE = (80, 24)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "app.md"


async def test_theme_is_saved_between_runs(make_app, data_dir) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "app.json").write_text('{\n  "theme": \n', encoding="utf-8")  # broken: named, then ignored
    app = make_app(theme=None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"
        (note,) = app._notifications
        assert f"{data_dir / 'app.json'}:3:" in note.message
        await pilot.press("ctrl+t")
        await settled(pilot, lambda: "light" in (data_dir / "app.json").read_text())
    assert json.loads((data_dir / "app.json").read_text())["theme"] == "textual-light"
    again = make_app(theme=None)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert again.theme == "textual-light"
        assert not again._notifications
    pinned = make_app()  # a theme given to the app (as the tests do) wins over the saved one
    async with pinned.run_test(size=SIZE) as pilot:
        assert pinned.theme == "textual-dark"


async def test_keymap_remaps_keys_and_help_shows_them(make_app, data_dir) -> None:
    data_dir.mkdir(parents=True)
    keymap = "# mine\nhome.stats: g\napp.help: [f1, '?']\nhome.timeline: r\n"
    (data_dir / "keymap.yaml").write_text(keymap, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")  # no longer Stats
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        (clash,) = app._notifications  # r was the reader's key: it now opens the timeline
        assert "home.reader" in clash.message
        await press_to(pilot, "f1", HelpScreen)
        console = Console(file=io.StringIO(), width=100)
        console.print(help_table(app.user_keymap))
        keys = console.file.getvalue()
        assert re.search(r"^\s*g\s+Stats", keys, re.MULTILINE), keys
        await pilot.press("escape")
        await press_to(pilot, "g", StatsScreen)


async def test_bad_keymap_names_file_and_line_and_the_app_starts(make_app, data_dir) -> None:
    data_dir.mkdir(parents=True)
    keymap = data_dir / "keymap.yaml"
    keymap.write_text("home.stats: g\nhome.nonsense: x\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        (note,) = app._notifications
        assert f"{keymap}:2:" in note.message and "home.nonsense" in note.message
        assert "\n" not in note.message
        await pilot.press("g")  # the good line still counts
        await settled(pilot, lambda: isinstance(app.screen, StatsScreen))
    keymap.write_text("home.stats: g\n  bad: [\n", encoding="utf-8")
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        (note,) = again._notifications
        assert re.search(rf"{re.escape(str(keymap))}:[23]: ", note.message), note.message
        await pilot.press("s")  # nothing applied: the default keys work
        await settled(pilot, lambda: isinstance(again.screen, StatsScreen))


def test_docs_list_every_binding_id() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+\.[a-z_0-9]+)` \|", docs, re.MULTILINE)
    assert sorted(documented) == sorted(binding_ids())
    assert keymap_markdown() in docs, (
        "docs/app.md's table of binding ids is out of date; regenerate it with\n"
        "PYTHONPATH=src python -c 'from nkstudy.tui.keys import keymap_markdown as k; print(k())'"
    )


async def test_home_counts_what_enter_would_study(make_app, clock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#packs")
        assert [str(table.get_cell("tui-pack", c)) for c in ("new", "learning", "due")] == ["3", "0", "0"]
        await press_to(pilot, "enter", StudyScreen)
        await answer(pilot, right=False)  # Again: back in a minute
        await pilot.press("enter")
        await press_to(pilot, "escape", SummaryScreen)
        clock.advance(minutes=1)  # missed a minute ago: due now, not "Due 0"
        await pilot.press("escape")
        home = app.screen
        await settled(pilot, lambda: isinstance(home, HomeScreen) and home.counts and home.counts[0].learning)
        assert [str(table.get_cell("tui-pack", c)) for c in ("new", "learning", "due")] == ["2", "1", "0"]
        assert "1 due now, 2 new" in static_text(app, "#today")
        await pilot.press("s")  # stats counts "due now" the same way
        await settled(pilot, lambda: isinstance(app.screen, StatsScreen))
        await settled(pilot, lambda: "due now" in static_text(app, "#stats-summary"))
        assert "1 due now" in static_text(app, "#stats-summary")
