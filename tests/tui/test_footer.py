"""The footer is rebuilt when the keys it shows change, and only then (it cost half of a drill answer's CPU)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from nkstudy.tui.widgets.footer import Footer


class Choices(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("k", "noop", "Keep")]

    def action_noop(self) -> None:
        pass


class Words(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("w", "noop", "Word")]

    def action_noop(self) -> None:
        pass


class Keys(App[None]):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Choices(id="a")
        yield Choices(id="b")
        yield Words(id="w")
        yield Static("", id="s")
        yield Footer()


def _shown(app: App[None]) -> list[str]:
    return sorted(str(key.description) for key in app.query("FooterKey"))  # type: ignore[attr-defined]


async def test_the_footer_follows_the_keys_and_is_kept_while_they_stay_the_same() -> None:
    app = Keys()
    async with app.run_test(size=(60, 10)) as pilot:
        app.query_one("#a").focus()
        await pilot.pause()
        assert _shown(app) == ["Keep", "Quit"]
        before = list(app.query_one(Footer).children)
        app.query_one("#b").focus()  # another widget with the same keys: nothing to rebuild
        await pilot.pause()
        assert list(app.query_one(Footer).children) == before
        app.query_one("#w").focus()  # other keys: shown at once
        await pilot.pause()
        assert _shown(app) == ["Quit", "Word"]
        app.query_one("#a").focus()
        await pilot.pause()
        assert _shown(app) == ["Keep", "Quit"]
