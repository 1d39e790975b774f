"""The join screen of ``nkstudy serve``: a name (the student's profile) and the class code.

Nobody gets past it without the class code.  The door (``enter``, run in a
worker thread: it reads the data folder and the server's gate file) also
holds wrong codes to a rate and refuses a name that is taken or not on the
roster.  The screen dismisses with the name to sit as; the app then opens the
drill for that profile, and only for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from nkstudy.drillroom import MAX_NAME, clean_name
from nkstudy.tui.widgets.footer import Footer
from nkstudy.tui.widgets.header import Header

WRONG_CODE_PAUSE = 1.0  # seconds the form stays disabled after a wrong code


Enter = Callable[[str, str], tuple[str | None, str]]  # (name, code) -> (name to sit as, or None and why not)


@dataclass
class DoorAnswered(Message):
    """What the door said to a name and a class code."""

    name: str | None
    why_not: str


class JoinScreen(Screen[str]):
    def __init__(self, enter: Enter, intro: str) -> None:
        super().__init__()
        self.enter = enter
        self.intro = intro
        self.tries = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="join-box", classes="dialog"):
            yield Static(Text(self.intro), id="join-intro")
            yield Label("Your name")
            yield Input(placeholder="first name and initial", max_length=MAX_NAME, id="join-name")
            yield Label("Class code (from your teacher)")
            yield Input(placeholder="6 letters and digits", password=True, max_length=32, id="join-code")
            yield Button("Join", id="join-go", variant="primary")
            yield Static("", id="join-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#join-name", Input).focus()

    def error(self, text: str) -> None:
        self.query_one("#join-error", Static).update(Text(text, style="bold red"))

    @on(Input.Submitted, "#join-name")
    def _name_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#join-code", Input).focus()

    @on(Input.Submitted, "#join-code")
    @on(Button.Pressed, "#join-go")
    def _join(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.attempt()

    def attempt(self) -> None:
        if self.query_one("#join-go", Button).disabled:
            return
        name_input = self.query_one("#join-name", Input)
        code_input = self.query_one("#join-code", Input)
        try:
            name = clean_name(name_input.value)
        except ValueError as exc:
            self.error(f"Name: {exc}.")
            name_input.focus()
            return
        self.query_one("#join-go", Button).disabled = True
        self.knock(name, code_input.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="door")
    def knock(self, name: str, code: str) -> None:
        let_in, why_not = self.enter(name, code)
        self.post_message(DoorAnswered(let_in, why_not))

    @on(DoorAnswered)
    def _answered(self, message: DoorAnswered) -> None:
        if message.name is not None:
            self.dismiss(message.name)
            return
        self.tries += 1
        self.error(message.why_not)
        if "class code" in message.why_not:
            self.query_one("#join-code", Input).value = ""
        else:
            self.query_one("#join-name", Input).focus()
        self.pause()

    def pause(self) -> None:
        """Hold the form still for a moment after a wrong code, so codes cannot be tried quickly."""
        widgets = [self.query_one("#join-go", Button), self.query_one("#join-code", Input)]
        for widget in widgets:
            widget.disabled = True

        def resume() -> None:
            for widget in widgets:
                widget.disabled = False
            widgets[1].focus()

        self.set_timer(WRONG_CODE_PAUSE, resume)
