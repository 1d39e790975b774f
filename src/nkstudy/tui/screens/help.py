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


def _all_groups() -> list[tuple[str, list[Binding]]]:
    """Every binding with an id, grouped as the help groups them (all nine digits included)."""
    from nkstudy.tui.screens.study import StudyScreen
    from nkstudy.tui.widgets.answers import ChoiceList, OrderList, ToggleList

    answering = [*of_class(StudyScreen), *of_class(ChoiceList), *of_class(ToggleList), *of_class(OrderList)]
    groups = [(title, answering if title == "Study: answering" else bindings) for title, bindings in _sections()]
    return [*groups, ("Help", of_class(HelpScreen))]


def binding_ids() -> list[str]:
    """Every binding id in the app, in the order the help lists them (for keymap.yaml)."""
    ids: list[str] = []
    for _title, bindings in _all_groups():
        for binding in bindings:
            if binding.id and binding.id not in ids:
                ids.append(binding.id)
    return ids


def keymap_clash(keymap: dict[str, str]) -> str | None:
    """One line naming a default key that ``keymap`` gives away on the same screen, if any.

    The keymap's binding wins such a key (Textual drops the other one), so the
    other binding is left without that key until it is given another.
    """
    for title, bindings in _all_groups():
        taken = {k: bid for bid, keys in keymap.items() for k in keys.split(",")}
        for b in bindings:
            if b.id and b.id not in keymap and b.key in taken and taken[b.key] != b.id:
                owner = {x.id for x in bindings}
                if taken[b.key] in owner:
                    return (f"keymap.yaml: {b.key} is now {taken[b.key]}, so {b.id} ({title}) lost it; "
                            f"give {b.id} another key in keymap.yaml")
    return None


def keymap_markdown() -> str:
    """The table of binding ids in docs/app.md (a test checks the two agree)."""
    keys: dict[str, list[str]] = {}
    what: dict[str, tuple[str, str]] = {}
    for title, bindings in _all_groups():
        for b in bindings:
            if not b.id:
                continue
            names = keys.setdefault(b.id, [])
            if b.key not in names:
                names.append(b.key)
            what.setdefault(b.id, (title, b.description))
    lines = ["| id | default keys | where | what it does |", "| --- | --- | --- | --- |"]
    for binding_id in binding_ids():
        title, description = what[binding_id]
        shown = ", ".join(f"`{k}`" for k in keys[binding_id])
        lines.append(f"| `{binding_id}` | {shown} | {title} | {description} |")
    return "\n".join(lines) + "\n"


def of_class(cls: Any) -> list[Binding]:
    return list(Binding.make_bindings(cls.BINDINGS))


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


def help_table(keymap: dict[str, str] | None = None) -> Table:
    """Every key, as remapped by ``keymap`` (binding id -> keys) where it says so."""
    keymap = keymap or {}
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in _sections():
        table.add_row(Text(title, style="bold underline"), "")
        shown: set[str] = set()
        for b in bindings:
            description = b.description
            remapped = keymap.get(b.id or "")
            if remapped and b.id in shown:
                continue  # "N,b" is two bindings with one id: the keymap's keys are listed once
            shown.add(b.id or "")
            key = key_names(remapped or b.key)
            if b.key == "1" and b.action.startswith("pick") and not remapped:
                key, description = "1–9", "Pick that option"
            elif b.key == "1" and b.action.startswith("toggle") and not remapped:
                key, description = "1–9", "Toggle that option (multi)"
            elif b.action.startswith("choose("):
                description = f"Rate {b.description} and go on"
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
            yield Static(help_table(getattr(self.app, "user_keymap", {})), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
