"""One answer widget per question class, chosen through a single registry.

Every widget posts :class:`AnswerWidget.Submitted` with the response in the
shape the engine expects (option text, frozenset, bool, str or tuple); ``None``
means "I don't know".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from nkstudy.core.model import (
    ChoiceQuestion,
    MultiQuestion,
    OrderQuestion,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)


def numbered(index: int, text: str, mark: str = "") -> Text:
    """``1. option`` built as Text, so pack text is never read as markup."""
    out = Text(f"{index}. ", style="bold")
    if mark:
        out.append(mark + " ", style="bold")
    out.append(text)
    return out


class AnswerWidget(Vertical):
    """Base class: shows the options of one question and posts the response."""

    DEFAULT_CSS = """
    AnswerWidget { height: auto; }
    AnswerWidget .hint { color: $text-muted; height: auto; }
    AnswerWidget Button { margin: 0 1 0 0; min-width: 10; }
    AnswerWidget .buttons { height: auto; }
    """

    #: the hint shown under the widget
    HINT: ClassVar[str] = ""

    @dataclass
    class Submitted(Message):
        response: Any

    def __init__(self, question: Question, shown: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.question = question
        self.shown = shown

    def submit(self, response: Any) -> None:
        if self.disabled:
            return
        self.post_message(self.Submitted(response))

    def focus_input(self) -> None:
        """Give the keyboard to the part of the widget that takes the answer."""
        self.focus_first()

    def focus_first(self) -> None:
        for child in self.query("*"):
            if child.can_focus:
                child.focus()
                return


class ChoiceList(OptionList):
    """An option list where digits pick an option directly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"pick({n})", f"Pick {n}", show=False, id=f"answer.pick{n}") for n in range(1, 10)
    ]

    def action_pick(self, number: int) -> None:
        if number <= self.option_count:
            self.highlighted = number - 1
            self.action_select()


class ChoiceAnswer(AnswerWidget):
    HINT = "1–9 or Enter picks · d = don't know"

    def response_for(self, option: str) -> Any:
        return option

    def compose(self) -> ComposeResult:
        yield ChoiceList(*[Option(numbered(i, o)) for i, o in enumerate(self.shown, 1)], id="choices")
        yield Static(self.HINT, classes="hint", markup=False)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit(self.response_for(self.shown[event.option_index]))


class TrueFalseAnswer(ChoiceAnswer):
    def response_for(self, option: str) -> Any:
        return option == "True"


class ToggleList(OptionList):
    """Options with checkboxes: space or a digit toggles, Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle", "Toggle", show=False, id="answer.toggle"),
        *[
            Binding(str(n), f"toggle({n})", f"Toggle {n}", show=False, id=f"answer.toggle{n}")
            for n in range(1, 10)
        ],
    ]

    @dataclass
    class Toggled(Message):
        index: int

    @dataclass
    class SubmitRequested(Message):
        pass

    def action_toggle(self, number: int | None = None) -> None:
        if number is not None:
            if number > self.option_count:
                return
            self.highlighted = number - 1
        if self.highlighted is not None:
            self.post_message(self.Toggled(self.highlighted))

    def action_select(self) -> None:  # Enter checks the answer
        self.post_message(self.SubmitRequested())

    async def _on_click(self, event: events.Click) -> None:  # a click toggles, like space
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.post_message(self.Toggled(clicked))


class MultiAnswer(AnswerWidget):
    HINT = "Space or 1–9 toggles · Enter checks · d = don't know"

    def __init__(self, question: Question, shown: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(question, shown, **kwargs)
        self.picked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield ToggleList(*self._options(), id="choices")
        yield Static(self.HINT, classes="hint", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Check", id="check", variant="primary", compact=True)

    def _options(self) -> list[Option]:
        return [
            Option(numbered(i, o, "[x]" if i - 1 in self.picked else "[ ]"))
            for i, o in enumerate(self.shown, 1)
        ]

    @on(ToggleList.Toggled)
    def _toggled(self, event: ToggleList.Toggled) -> None:
        self.picked ^= {event.index}
        options = self.query_one(ToggleList)
        highlighted = options.highlighted
        options.set_options(self._options())
        options.highlighted = highlighted

    @on(ToggleList.SubmitRequested)
    @on(Button.Pressed, "#check")
    def _check(self, event: Message) -> None:
        event.stop()
        self.submit(frozenset(self.shown[i] for i in self.picked))


class TypedAnswer(AnswerWidget):
    HINT = "Type and press Enter · Enter on an empty line = don't know"

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.question.input_hint, id="typed")
        yield Static(self.HINT, classes="hint", markup=False)

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.submit(text or None)


class OrderList(OptionList):
    """Items to reorder: Shift+↑/↓ (or [ and ]) move the highlighted item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+up,left_square_bracket", "move(-1)", "Move up", show=False, id="answer.move_up"),
        Binding("shift+down,right_square_bracket", "move(1)", "Move down", show=False, id="answer.move_down"),
    ]

    @dataclass
    class MoveRequested(Message):
        index: int
        delta: int

    @dataclass
    class SubmitRequested(Message):
        pass

    @dataclass
    class Clicked(Message):
        index: int

    def action_move(self, delta: int) -> None:
        index = self.highlighted
        if index is None:
            return
        self.post_message(self.MoveRequested(index, delta))
        if 0 <= index + delta < self.option_count:
            # follow the item now, so that keys pressed before the move is drawn move it further
            self.highlighted = index + delta

    def action_select(self) -> None:  # Enter checks the answer
        self.post_message(self.SubmitRequested())

    async def _on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.post_message(self.Clicked(clicked))


class OrderAnswer(AnswerWidget):
    HINT = "Shift+↑/↓ or [ ] move the highlighted item · click two to swap · Enter checks"

    def __init__(self, question: Question, shown: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(question, shown, **kwargs)
        self.items: list[str] = list(shown)
        self.grabbed: int | None = None

    def compose(self) -> ComposeResult:
        yield OrderList(*self._options(), id="choices")
        yield Static(self.HINT, classes="hint", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Check", id="check", variant="primary", compact=True)

    def _options(self) -> list[Option]:
        return [
            Option(numbered(i, item, "»" if self.grabbed == i - 1 else ""))
            for i, item in enumerate(self.items, 1)
        ]

    def _refresh(self, highlight: int) -> None:
        options = self.query_one(OrderList)
        options.set_options(self._options())
        options.highlighted = highlight

    def move(self, index: int, delta: int) -> None:
        target = index + delta
        if not 0 <= target < len(self.items):
            return
        self.items[index], self.items[target] = self.items[target], self.items[index]
        self._refresh(target)

    @on(OrderList.MoveRequested)
    def _move(self, event: OrderList.MoveRequested) -> None:
        event.stop()
        self.grabbed = None
        self.move(event.index, event.delta)

    @on(OrderList.Clicked)
    def _clicked(self, event: OrderList.Clicked) -> None:
        """A click grabs an item; a second click swaps it with the first."""
        event.stop()
        index = event.index
        if self.grabbed is None:
            self.grabbed = index
        else:
            first, self.grabbed = self.grabbed, None
            self.items[first], self.items[index] = self.items[index], self.items[first]
        self._refresh(index)

    @on(OrderList.SubmitRequested)
    @on(Button.Pressed, "#check")
    def _check(self, event: Message) -> None:
        event.stop()
        self.submit(tuple(self.items))


#: question class → answer widget.  Subclasses (ClozeQuestion) find their
#: nearest registered base, so a new question type needs one line here.
ANSWER_WIDGETS: dict[type[Question], type[AnswerWidget]] = {
    ChoiceQuestion: ChoiceAnswer,
    MultiQuestion: MultiAnswer,
    TrueFalseQuestion: TrueFalseAnswer,
    TypedQuestion: TypedAnswer,
    OrderQuestion: OrderAnswer,
}


def answer_widget(question: Question, shown: tuple[str, ...], **kwargs: Any) -> AnswerWidget:
    for cls in type(question).__mro__:
        widget = ANSWER_WIDGETS.get(cls)  # type: ignore[arg-type]
        if widget is not None:
            return widget(question, shown, **kwargs)
    raise LookupError(f"no answer widget for {type(question).__name__}")
