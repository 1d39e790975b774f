"""Settings: desired retention and new cards per day, saved per profile."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from nkstudy.tui import keys
from nkstudy.tui.study.messages import SettingsSaved
from nkstudy.tui.study.screens.base import EngineModal

#: the settings' own names, as the labels of this dialog call them
LABELS = {"desired_retention": "Desired retention", "new_per_day": "New cards per day"}


def shown_error(message: str) -> str:
    """A settings error in the dialog's words: ``desired_retention must…`` → ``Desired retention must…``."""
    for field, label in LABELS.items():
        message = message.replace(field, label)
    return message


class SettingsScreen(EngineModal):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.SETTINGS)

    def compose(self) -> ComposeResult:
        settings = self.engine.settings
        with Vertical(id="settings-box", classes="dialog"):
            yield Static(Text(f"Settings for {self.app.profile}", style="bold"))
            yield Label("Desired retention (0.70–0.99): how sure you want to be of recalling a card")
            yield Input(f"{settings.desired_retention:.2f}", id="retention", type="number")
            yield Label(LABELS["new_per_day"])
            yield Input(str(settings.new_per_day), id="new-per-day", type="integer")
            yield Static("", id="settings-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#retention", Input).focus()

    def read(self) -> dict[str, float] | None:
        error = self.query_one("#settings-error", Static)
        try:
            retention = float(self.query_one("#retention", Input).value)
            per_day = int(self.query_one("#new-per-day", Input).value)
            replace(self.engine.settings, desired_retention=retention, new_per_day=per_day)
        except (ValueError, TypeError) as exc:
            message = shown_error(str(exc)) if "must" in str(exc) else "Type a number in each box."
            error.update(Text(message, style="red"))
            return None
        error.update("")
        return {"desired_retention": retention, "new_per_day": per_day}

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
    def save(self, changes: dict[str, float]) -> None:
        settings = self.engine.update_settings(**changes)
        self.post_message(SettingsSaved(settings))

    @on(SettingsSaved)
    def _saved(self, message: SettingsSaved) -> None:
        s = message.settings
        self.notify(f"Saved: retention {s.desired_retention:.2f}, {s.new_per_day} new cards a day.")
        self.dismiss()
