"""The pictures and sounds of the question being asked: pictures drawn in the terminal where it
can (textual-image), and every file listed; Enter opens the highlighted one in the system viewer."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from nkstudy.core.media import is_image
from nkstudy.core.model import Pack, Question
from nkstudy.present import safe
from nkstudy.tui import keys
from nkstudy.tui.media import image_widget, open_externally


class MediaScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.MEDIA)

    def __init__(self, pack: Pack, question: Question) -> None:
        super().__init__()
        self.pack = pack
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="media-box"):
            yield Static(Text("Pictures and sounds of this question", style="bold"), id="media-title")
            picture = next((m for m in self.question.media if is_image(m)), None)
            shown = image_widget(self.pack, picture, id="media-picture") if picture else None
            if shown is not None:
                yield shown
            else:
                yield Static(Text("Enter opens the highlighted file in the system viewer.", style="dim"),
                             id="media-hint")
            yield OptionList(*[Option(safe(f"{'picture' if is_image(m) else 'sound'}: {m.split('/', 1)[-1]}"),
                                      id=m) for m in self.question.media], id="media-files")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#media-files", OptionList).focus()

    def action_open_external(self) -> None:
        files = self.query_one("#media-files", OptionList)
        index = files.highlighted if files.highlighted is not None else 0
        if not self.question.media:
            return
        self.notify(open_externally(self.pack, self.question.media[index]), markup=False)

    @on(OptionList.OptionSelected, "#media-files")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_external()
