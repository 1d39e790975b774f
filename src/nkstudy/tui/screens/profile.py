"""Profiles: whose progress to use; type a new name to create one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from nkstudy.tui import keys
from nkstudy.tui.messages import ProfilesLoaded, ProfileSwitched
from nkstudy.tui.screens.base import EngineModal


class ProfileScreen(EngineModal):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.PROFILE)

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-box", classes="dialog"):
            yield Static(Text("Switch profile", style="bold"))
            yield OptionList(id="profiles")
            yield Label("…or a new profile name (Enter creates it):")
            yield Input(placeholder="name", id="new-profile")

    def on_mount(self) -> None:
        self.query_one("#profiles", OptionList).focus()
        self.load_profiles()

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def load_profiles(self) -> None:
        self.post_message(ProfilesLoaded(list(self.engine.profiles()), self.app.profile))

    @on(ProfilesLoaded)
    def _loaded(self, message: ProfilesLoaded) -> None:
        names = list(dict.fromkeys([message.current, *message.profiles]))
        options = self.query_one("#profiles", OptionList)
        options.set_options(
            Option(Text(("● " if n == message.current else "  ") + n), id=n) for n in names
        )
        options.highlighted = names.index(message.current)

    @on(OptionList.OptionSelected, "#profiles")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.switch(event.option.id)

    @on(Input.Submitted, "#new-profile")
    def _typed(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.switch(name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def switch(self, name: str) -> None:
        self.engine.switch_profile(name)
        self.post_message(ProfileSwitched(name))

    @on(ProfileSwitched)
    def _switched(self, message: ProfileSwitched) -> None:
        self.dismiss()
        self.app.post_message(ProfileSwitched(message.profile))
