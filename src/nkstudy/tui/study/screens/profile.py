"""Profiles: whose progress to use; type a new name to create one; rename or delete one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from nkstudy.core.names import profile_name, shown_name
from nkstudy.core.study.results import ProfileSummary
from nkstudy.core.text import visible
from nkstudy.engine import StoreError
from nkstudy.present import plural
from nkstudy.tui import keys
from nkstudy.tui.screens.confirm import ConfirmScreen
from nkstudy.tui.study.messages import (
    ProfileDeleted,
    ProfileRefused,
    ProfileRenamed,
    ProfilesLoaded,
    ProfileSwitched,
)
from nkstudy.tui.study.screens.base import EngineModal

if TYPE_CHECKING:
    from nkstudy.engine import Engine

NEW_LABEL = "…or a new profile name (Enter creates it):"


def profile_line(summary: ProfileSummary, current: str) -> Text:
    """``● name   12 answers, last 2024-05-06`` (the dot marks the profile in use)."""
    out = Text("● " if summary.name == current else "  ", style="bold")
    name = visible(summary.name)
    out.append(name if len(name) <= 30 else name[:29] + "…")
    out.append(f"   {plural(summary.answers, 'answer')}", style="dim")
    if summary.last_day is not None:
        out.append(f", last {summary.last_day.isoformat()}", style="dim")
    return out


class ProfileScreen(EngineModal):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.PROFILE)

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.summaries: dict[str, ProfileSummary] = {}
        #: the profile being renamed (the box below the list then takes its new name)
        self.renaming: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-box", classes="dialog"):
            yield Static(Text("Switch profile", style="bold"))
            yield OptionList(id="profiles")
            yield Static(Text("Enter switches · r renames · d deletes", style="dim"), id="profile-keys")
            yield Static("", id="profile-problem")
            yield Label(NEW_LABEL, id="profile-label")
            yield Input(placeholder="name", id="new-profile")

    def on_mount(self) -> None:
        self.query_one("#profiles", OptionList).focus()
        self.load_profiles()

    # -- workers: every profile call goes through the engine, which checks the names ----------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def load_profiles(self) -> None:
        self.post_message(ProfilesLoaded(self.engine.profile_summaries(), self.engine.profile))

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def switch(self, name: str) -> None:
        try:
            self.engine.switch_profile(name)
        except (ValueError, StoreError) as exc:  # a name the rule refuses, or a taken one: said here
            self.post_message(ProfileRefused(str(exc)))
            return
        self.post_message(ProfileSwitched(self.engine.profile))

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def rename(self, old: str, new: str) -> None:
        try:
            self.engine.rename_profile(old, new)
        except (ValueError, StoreError) as exc:  # refused (a taken name, one gone meanwhile): said here
            self.post_message(ProfileRefused(str(exc)))
            return
        self.post_message(ProfileRenamed(old, profile_name(new)))
        self.post_message(ProfilesLoaded(self.engine.profile_summaries(), self.engine.profile))

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def delete(self, name: str) -> None:
        try:
            self.engine.delete_profile(name)
        except (ValueError, StoreError) as exc:  # refused (a taken name, one gone meanwhile): said here
            self.post_message(ProfileRefused(str(exc)))
            return
        self.post_message(ProfileDeleted(name))
        self.post_message(ProfilesLoaded(self.engine.profile_summaries(), self.engine.profile))

    # -- messages ----------------------------------------------------------------------------
    @on(ProfilesLoaded)
    def _loaded(self, message: ProfilesLoaded) -> None:
        self.summaries = {s.name: s for s in message.profiles}
        self.summaries.setdefault(message.current, ProfileSummary(message.current, 0, None))
        names = list(dict.fromkeys([message.current, *self.summaries]))
        options = self.query_one("#profiles", OptionList)
        options.set_options(Option(profile_line(self.summaries[n], message.current), id=n) for n in names)
        options.highlighted = 0

    @on(ProfileRefused)
    def _refused(self, message: ProfileRefused) -> None:
        self.say(message.problem)

    @on(ProfileDeleted)
    def _deleted(self, message: ProfileDeleted) -> None:
        self.say(f"Deleted {shown_name(message.name)}.", style="green")

    @on(ProfileRenamed)
    def _renamed(self, message: ProfileRenamed) -> None:
        self.stop_renaming()
        self.say(f"Renamed {shown_name(message.old)} to {shown_name(message.new)}.", style="green")
        if message.old == self.app.profile:  # the engine follows its own profile; the app's title too
            self.app.profile = message.new
            self.app.sub_title = f"profile {visible(message.new)}"

    @on(ProfileSwitched)
    def _switched(self, message: ProfileSwitched) -> None:
        self.dismiss()
        self.app.post_message(ProfileSwitched(message.profile))

    # -- input -------------------------------------------------------------------------------
    def say(self, text: str, style: str = "red") -> None:
        """The dialog's one status line (empty clears it)."""
        self.query_one("#profile-problem", Static).update(Text(text, style=style))

    def highlighted(self) -> str | None:
        options = self.query_one("#profiles", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected, "#profiles")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.say("")
        if event.option.id:
            self.switch(event.option.id)

    @on(Input.Submitted, "#new-profile")
    def _typed(self, event: Input.Submitted) -> None:
        self.say("")
        if self.renaming is not None:
            self.rename(self.renaming, event.value)
        elif event.value.strip():
            self.switch(event.value)

    def action_rename(self) -> None:
        name = self.highlighted()
        if name is None:
            return
        self.say("")
        self.renaming = name
        label = f"New name for {shown_name(name)} (Enter renames it, Esc keeps it):"
        self.query_one("#profile-label", Label).update(Text(label))
        box = self.query_one("#new-profile", Input)
        box.value = name
        box.focus()

    def stop_renaming(self) -> None:
        self.say("")
        self.renaming = None
        self.query_one("#profile-label", Label).update(NEW_LABEL)
        self.query_one("#new-profile", Input).value = ""
        self.query_one("#profiles", OptionList).focus()

    def action_delete(self) -> None:
        name = self.highlighted()
        if name is None:
            return
        self.say("")  # a line left by an earlier try no longer applies
        if name == self.engine.profile:
            self.say(f"{shown_name(name)} is the profile in use, so it cannot be deleted; switch to another first.")
            return
        answers = self.summaries[name].answers if name in self.summaries else 0
        question = Text(f"Delete the profile {shown_name(name)} and its {plural(answers, 'answer')}?\n",
                        style="bold")
        question.append("Its progress and settings are removed for good.", style="")

        def done(yes: bool | None) -> None:
            if yes:
                self.delete(name)

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), done)

    def action_cancel(self) -> None:
        if self.renaming is not None:
            self.stop_renaming()
        else:
            self.dismiss()
