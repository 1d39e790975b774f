"""Help: every key on every screen, generated from the bindings themselves."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _sections() -> list[tuple[str, list[Binding]]]:
    from nkstudy.tui.app import NkStudyApp
    from nkstudy.tui.screens.home import HomeScreen
    from nkstudy.tui.screens.profile import ProfileScreen
    from nkstudy.tui.screens.reader import ReaderScreen
    from nkstudy.tui.screens.settings import SettingsScreen
    from nkstudy.tui.screens.stats import StatsScreen
    from nkstudy.tui.screens.study import StudyScreen
    from nkstudy.tui.screens.summary import SummaryScreen
    from nkstudy.tui.screens.timeline import TimelineScreen
    from nkstudy.tui.widgets.answers import ChoiceList, OrderList, ToggleList
    from nkstudy.tui.widgets.rating import RatingBar

    def of(cls: Any) -> list[Binding]:
        return [b for b in Binding.make_bindings(cls.BINDINGS)]

    extra_app = [
        Binding("ctrl+p", "command_palette", "Command palette: every action"),
        Binding("tab", "focus_next", "Next part of the screen"),
    ]
    return [
        ("Everywhere", of(NkStudyApp) + extra_app),
        ("Home", of(HomeScreen)),
        ("Study: answering", of(StudyScreen) + of(ChoiceList)[:1] + of(ToggleList)[:2] + of(OrderList)),
        ("Study: after answering", of(RatingBar)),
        ("Session summary", of(SummaryScreen)),
        ("Stats", of(StatsScreen)),
        ("Reader", of(ReaderScreen)),
        ("Timeline", of(TimelineScreen)),
        ("Settings", of(SettingsScreen)),
        ("Profiles", of(ProfileScreen)),
    ]


_NAMES = {
    "question_mark": "?",
    "comma": ",",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
}


def key_names(key: str) -> str:
    parts = []
    for k in key.split(","):
        k = k.strip()
        name = _NAMES.get(k)
        if name is None:
            name = "+".join(p.capitalize() if len(p) > 1 else p for p in k.split("+"))
        parts.append(name)
    return " / ".join(parts)


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in _sections():
        table.add_row(Text(title, style="bold underline"), "")
        for b in bindings:
            description = b.description
            if b.key == "1" and b.action.startswith("pick"):
                key, description = "1–9", "Pick that option"
            elif b.key == "1" and b.action.startswith("toggle"):
                key, description = "1–9", "Toggle that option (multi)"
            elif b.action.startswith("choose("):
                key = b.key
                description = f"Rate {b.description} and go on"
            else:
                key = key_names(b.key)
            if b.action == "toggle" and b.key == "space":
                description = "Toggle the highlighted option (multi)"
            table.add_row(key, description)
        table.add_row("", "")
    table.add_row(Text("Mouse", style="bold underline"), "")
    table.add_row("click", "Pick an option, toggle one, or swap two items in order questions")
    table.add_row("click", "A rating; a pack, an event or an article; a passage in the reader")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen[Any] | None = None) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys   (Esc closes; ↑/↓ scroll)", style="bold"), id="help-title")
            yield Static(help_table(), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
