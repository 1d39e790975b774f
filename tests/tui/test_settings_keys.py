"""The settings dialog as a new user meets it: it says its keys, and the arrows move between settings."""

from __future__ import annotations

from textual.widgets import Button, Input
from tui_helpers import press_to, ready, static_text

from nkstudy.core.study.settings_text import SETTINGS
from nkstudy.tui.study.screens.home import HomeScreen
from nkstudy.tui.study.screens.settings import SettingsScreen, input_id

SIZE = (80, 24)


async def test_arrows_move_between_settings_and_enter_saves(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "comma", SettingsScreen)
        await pilot.pause()
        assert "Esc" in static_text(app, "#settings-keys") and "Enter" in static_text(app, "#settings-keys")
        save = app.screen.query_one("#save", Button)
        assert save.region.bottom <= SIZE[1] and save.region.height > 0  # the dialog still fits at 80x24
        first, second = (app.screen.query_one(f"#{input_id(s.key)}", Input) for s in SETTINGS[:2])
        assert app.focused is first
        await pilot.press("down")
        assert app.focused is second
        await pilot.press("up")
        assert app.focused is first
        await pilot.press("down", "ctrl+a", "ctrl+k", "7")  # new cards a day, typed over
        assert second.value == "7"
        await press_to(pilot, "enter", HomeScreen)
        assert app.engine.settings.new_per_day == 7
