"""Settings: every study setting of the profile, one line each, saved per profile."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from nkstudy.core.study.schedule import Settings
from nkstudy.core.study.settings_text import SETTINGS, changed, shown
from nkstudy.tui import keys
from nkstudy.tui.study.messages import SettingsSaved
from nkstudy.tui.study.screens.base import EngineModal

#: the settings' own names, as the labels of this dialog call them
LABELS = {s.key: s.label for s in SETTINGS}


def shown_error(message: str) -> str:
    """A settings error in the dialog's words: ``desired_retention must…`` → ``Desired retention must…``."""
    for field, label in LABELS.items():
        message = message.replace(f"{field}: ", "").replace(field, label)
    return message


def input_id(key: str) -> str:
    return "setting-" + key.replace("_", "-")


class SettingsScreen(EngineModal):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.SETTINGS)

    def compose(self) -> ComposeResult:
        values = shown(self.engine.settings)
        with Vertical(id="settings-box", classes="dialog"):
            yield Static(Text(f"Settings for {self.app.profile}", style="bold"))
            yield Static(Text("↑/↓ or Tab: next setting · Enter: save · Esc: cancel", style="dim"),
                         id="settings-keys")
            for info in SETTINGS:
                with Horizontal(classes="setting-row"):
                    yield Label(info.label, classes="setting-label")
                    yield Input(values[info.key], id=input_id(info.key), compact=True, tooltip=info.help)
            yield Static("", id="setting-help")
            yield Static("", id="settings-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(f"#{input_id(SETTINGS[0].key)}", Input).focus()

    @on(Input.Changed)
    def _help(self, event: Input.Changed) -> None:
        self._show_help(event.input)

    def on_descendant_focus(self) -> None:
        focused = self.app.focused
        if isinstance(focused, Input):
            self._show_help(focused)

    def _show_help(self, widget: Input) -> None:
        info = next((s for s in SETTINGS if input_id(s.key) == widget.id), None)
        if info is not None:
            self.query_one("#setting-help", Static).update(Text(f"{info.label}: {info.help}", style="dim"))

    def read(self) -> dict[str, object] | None:
        """The changed settings, checked; None after saying (in the dialog) which one is refused."""
        error = self.query_one("#settings-error", Static)
        settings: Settings = self.engine.settings
        before = shown(settings)
        changes: dict[str, object] = {}
        try:
            for info in SETTINGS:
                text = self.query_one(f"#{input_id(info.key)}", Input).value
                if text.strip() != before[info.key]:
                    settings = changed(settings, info.key, text)
                    changes[info.key] = getattr(settings, info.key)
        except ValueError as exc:
            error.update(Text(shown_error(str(exc)), style="red"))
            return None
        error.update("")
        return changes

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        changes = self.read()
        if changes is not None:
            self.save(changes)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss()

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def save(self, changes: dict[str, object]) -> None:
        settings = self.engine.update_settings(**changes)
        self.post_message(SettingsSaved(settings))

    @on(SettingsSaved)
    def _saved(self, message: SettingsSaved) -> None:
        s = message.settings
        self.notify(f"Saved: retention {s.desired_retention:.2f}, {s.new_per_day} new cards a day, "
                    f"leeches at {s.leech_threshold} lapses.")
        self.dismiss()
