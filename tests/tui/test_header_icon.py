"""Every screen's header, in the study app and the classroom apps, shows nkstudy's icon from one place
(``nkstudy.tui.widgets.header``), never Textual's ⭘ (in few fonts: a box in a browser on serve)."""

from __future__ import annotations

import re
from pathlib import Path

from tui_helpers import press_to, ready

from nkstudy.tui.study.screens.stats import StatsScreen
from nkstudy.tui.widgets.header import HEADER_ICON, Header

TUI = Path(__file__).resolve().parents[2] / "src" / "nkstudy" / "tui"


def test_no_screen_takes_textuals_header_and_the_icon_is_written_once() -> None:
    sources = {p.relative_to(TUI).as_posix(): p.read_text(encoding="utf-8") for p in TUI.rglob("*.py")}
    own = "widgets/header.py"
    direct = [name for name, text in sources.items() if name != own
              and re.search(r"from textual\.widgets import [^\n]*\bHeader\b|textual\.widgets\.Header", text)]
    assert direct == []
    headed = [name for name, text in sources.items() if "yield Header(" in text]
    assert len(headed) >= 12 and all("from nkstudy.tui.widgets.header import Header" in sources[n] for n in headed)
    # one definition of the icon, and no screen choosing another
    assert [name for name, text in sources.items() if re.search(r"^HEADER_ICON\b.*=", text, re.M)] == [own]
    assert [name for name, text in sources.items() if re.search(r"\bicon\s*=", text)] == []


async def test_the_study_app_header_shows_the_icon(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for screen in (app.screen, await press_to(pilot, "s", StatsScreen)):
            header = screen.query_one(Header)
            assert header.icon == HEADER_ICON
            first = app.export_screenshot()
            assert "⭘" not in first and f">{HEADER_ICON}" in first.replace("&#160;", " ").replace(" ", "")
