"""Help: every key on every screen, rendered from the declarations in :mod:`nkstudy.tui.keys`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nkstudy.tui import keys


def help_table(keymap: Mapping[str, str] | None = None) -> Table:
    """Every key, as remapped by ``keymap`` (binding id -> keys) where it says so."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section in keys.SECTIONS:
        if not section.in_help:
            continue
        table.add_row(Text(section.title, style="bold underline"), "")
        for key, description in keys.help_rows(section, keymap or {}):
            table.add_row(key, description)
        table.add_row("", "")
    table.add_row(Text("Mouse", style="bold underline"), "")
    for what, description in keys.MOUSE:
        table.add_row(what, description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.HELP)

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys   (Esc closes; ↑/↓ scroll)", style="bold"), id="help-title")
            yield Static(help_table(self.keymap), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
