"""One answer widget per question class, chosen through a single registry.

Every widget posts :class:`AnswerWidget.Submitted` with the response in the
shape the engine expects (option text, frozenset, bool, str or tuple); ``None``
means "I don't know".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from nkstudy.core.model import (
    CardQuestion,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Question,
    Response,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import for_type
from nkstudy.present import safe
from nkstudy.tui import keys

__all__ = ["ANSWER_WIDGETS", "AnswerWidget", "Response", "answer_widget"]


def numbered(index: int, text: str, mark: str = "") -> Text:
    """``1. option`` built as Text, so pack text is never read as markup."""
    out = Text(f"{index}. ", style="bold")
    if mark:
        out.append(mark + " ", style="bold")
    out.append_text(safe(text))
    return out


class AnswerWidget(Vertical):
    """Base class: shows the options of one question and posts the response."""

    DEFAULT_CSS = """
    AnswerWidget { height: auto; }
    AnswerWidget .hint { color: $text-muted; height: auto; }
    AnswerWidget Button { margin: 0 1 0 0; min-width: 10; }
    AnswerWidget .buttons { height: auto; }
    AnswerWidget .-hidden { display: none; }
    MatchAnswer #answers { height: auto; margin-top: 1; }
    """

    #: the hint shown under the widget
    HINT: ClassVar[str] = ""

    @dataclass
    class Submitted(Message):
        response: Response

    def __init__(self, question: Question, shown: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question = question
        self.shown = shown
        #: an incomplete answer was checked once: the hint asked to confirm, the next check goes
        self.warned = False

    def submit(self, response: Response) -> None:
        if self.disabled:
            return
        self.post_message(self.Submitted(response))

    def confirmed(self, missing: str | None) -> bool:
        """True when the answer may be checked: it is complete (``missing`` is None), or this is
        the second check after the hint said what is missing."""
        if missing is None or self.warned:
            return True
        self.warned = True
        self.query_one(".hint", Static).update(
            Text(f"{missing}: Enter (or Check) again checks it as it is", style="bold yellow"))
        return False

    def changed(self) -> None:
        """The answer changed: a warning about what was missing no longer holds."""
        if self.warned:
            self.warned = False
            self.query_one(".hint", Static).update(self.HINT)

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

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.CHOICE)

    def action_pick(self, number: int) -> None:
        if number <= self.option_count:
            self.highlighted = number - 1
            self.action_select()


class ChoiceAnswer(AnswerWidget):
    HINT = "1–9 or Enter picks · d = don't know"
    LIST: ClassVar[type[ChoiceList]] = ChoiceList

    def response_for(self, option: str) -> Response:
        return option

    def compose(self) -> ComposeResult:
        yield self.LIST(*[Option(numbered(i, o)) for i, o in enumerate(self.shown, 1)], id="choices")
        yield Static(self.HINT, classes="hint", markup=False)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit(self.response_for(self.shown[event.option_index]))


class TrueFalseList(ChoiceList):
    """True and False, picked by 1 and 2 or, as in plain mode, by t and f."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings([*keys.CHOICE, *keys.TRUE_FALSE])


class TrueFalseAnswer(ChoiceAnswer):
    HINT = "t = true, f = false (or 1, 2, Enter) · d = don't know"
    LIST = TrueFalseList

    def response_for(self, option: str) -> Response:
        return option == "True"


class AnswerList(OptionList):
    """Options where Enter checks the answer and a click is reported by the option's index."""

    @dataclass
    class Clicked(Message):
        index: int

    @dataclass
    class SubmitRequested(Message):
        pass

    def action_select(self) -> None:  # Enter checks the answer
        self.post_message(self.SubmitRequested())

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # OptionList's own click would select, and selecting checks the answer
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.post_message(self.Clicked(clicked))


class ToggleList(AnswerList):
    """Options with checkboxes: space or a digit toggles (so does a click), Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.TOGGLE)

    @dataclass
    class Toggled(Message):
        index: int

    def action_toggle_option(self, number: int | None = None) -> None:
        if number is not None:
            if number > self.option_count:
                return
            self.highlighted = number - 1
        if self.highlighted is not None:
            self.post_message(self.Toggled(self.highlighted))


class MultiAnswer(AnswerWidget):
    HINT = "Space or 1–9 toggles · Enter checks · d = don't know"

    def __init__(self, question: Question, shown: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(question, shown, id=id)
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
    @on(AnswerList.Clicked)
    def _toggled(self, event: ToggleList.Toggled | AnswerList.Clicked) -> None:
        self.picked ^= {event.index}
        self.changed()
        options = self.query_one(ToggleList)
        highlighted = options.highlighted
        options.set_options(self._options())
        options.highlighted = highlighted

    @on(AnswerList.SubmitRequested)
    @on(Button.Pressed, "#check")
    def _check(self, event: Message) -> None:
        event.stop()
        if self.confirmed(None if self.picked else "No option ticked"):
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


class OrderList(AnswerList):
    """Items to reorder: Shift+↑/↓ (or [ and ]) move the highlighted item; two clicks swap two items."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.ORDER)

    @dataclass
    class MoveRequested(Message):
        index: int
        delta: int

    def action_move(self, delta: int) -> None:
        index = self.highlighted
        if index is None:
            return
        self.post_message(self.MoveRequested(index, delta))
        if 0 <= index + delta < self.option_count:
            # follow the item now, so that keys pressed before the move is drawn move it further
            self.highlighted = index + delta


class OrderAnswer(AnswerWidget):
    HINT = "Shift+↑/↓ or [ ] move the highlighted item · click two to swap · Enter checks"

    def __init__(self, question: Question, shown: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(question, shown, id=id)
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

    @on(AnswerList.Clicked)
    def _clicked(self, event: AnswerList.Clicked) -> None:
        """A click grabs an item; a second click swaps it with the first."""
        event.stop()
        index = event.index
        if self.grabbed is None:
            self.grabbed = index
        else:
            first, self.grabbed = self.grabbed, None
            self.items[first], self.items[index] = self.items[index], self.items[first]
        self._refresh(index)

    @on(AnswerList.SubmitRequested)
    @on(Button.Pressed, "#check")
    def _check(self, event: Message) -> None:
        event.stop()
        self.submit(tuple(self.items))


class CardAnswer(AnswerWidget, can_focus=True):
    """A flashcard: think of the answer, show it, then say whether you knew it."""

    HINT = "Space shows the answer · then y = I knew it, n = I did not"
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.CARD)

    def __init__(self, question: Question, shown: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(question, shown, id=id)
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="back")
        yield Static(self.HINT, classes="hint", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Show answer", id="reveal", variant="primary", compact=True)
            yield Button("Knew it", id="knew", variant="success", compact=True, classes="-hidden")
            yield Button("Did not", id="didnt", variant="error", compact=True, classes="-hidden")

    def focus_input(self) -> None:
        self.focus()

    def action_reveal(self) -> None:
        if self.revealed:
            return
        self.revealed = True
        back = Text("Answer: ", style="bold")
        back.append_text(safe(self.question.answer_text()))
        self.query_one("#back", Static).update(back)
        self.query_one("#reveal").add_class("-hidden")
        for button in self.query("#knew, #didnt"):
            button.remove_class("-hidden")

    def action_verdict(self, knew: bool) -> None:
        if self.revealed:
            self.submit(knew)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "reveal":
            self.action_reveal()
        else:
            self.action_verdict(event.button.id == "knew")


class PairList(AnswerList):
    """The left items of a match question: a digit pairs the highlighted one with that answer."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.MATCH)

    @dataclass
    class Paired(Message):
        index: int
        answer: int  # 0-based index into the answers shown

    def action_pair(self, number: int) -> None:
        if self.highlighted is not None:
            self.post_message(self.Paired(self.highlighted, number - 1))


class MatchAnswer(AnswerWidget):
    """Pair each item on the left with one of the numbered answers."""

    HINT = "↑/↓ choose an item, 1–8 pairs it with that answer (or click both) · Enter checks"

    def __init__(self, question: Question, shown: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(question, shown, id=id)
        assert isinstance(question, MatchQuestion)
        self.lefts = question.lefts()
        self.paired: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield PairList(*self._options(), id="choices")
        yield OptionList(*[Option(numbered(i, o)) for i, o in enumerate(self.shown, 1)], id="answers")
        yield Static(self.HINT, classes="hint", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Check", id="check", variant="primary", compact=True)

    def _options(self) -> list[Option]:
        rows = []
        for i, left in enumerate(self.lefts):
            row = safe(f"{left} → ", style="bold")
            answer = self.paired.get(i)
            row.append_text(safe(self.shown[answer]) if answer is not None else Text("?", style="dim"))
            rows.append(Option(row))
        return rows

    def pair(self, index: int, answer: int) -> None:
        if not 0 <= answer < len(self.shown):
            return
        self.paired = {i: a for i, a in self.paired.items() if a != answer}  # an answer pairs once
        self.paired[index] = answer
        self.changed()
        options = self.query_one(PairList)
        options.set_options(self._options())
        options.highlighted = min(index + 1, len(self.lefts) - 1)

    @on(PairList.Paired)
    def _paired(self, event: PairList.Paired) -> None:
        event.stop()
        self.pair(event.index, event.answer)

    @on(OptionList.OptionSelected, "#answers")
    def _answer_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        highlighted = self.query_one(PairList).highlighted
        if highlighted is not None:
            self.pair(highlighted, event.option_index)
        self.query_one(PairList).focus()

    @on(AnswerList.SubmitRequested)
    @on(Button.Pressed, "#check")
    def _check(self, event: Message) -> None:
        event.stop()
        unpaired = len(self.lefts) - len(self.paired)
        if self.confirmed(f"{unpaired} of {len(self.lefts)} items not paired" if unpaired else None):
            self.submit(tuple((self.lefts[i], self.shown[a]) for i, a in sorted(self.paired.items())))


#: question class → answer widget.  Subclasses (ClozeQuestion) find their
#: nearest registered base, so a new question type needs one line here.
ANSWER_WIDGETS: dict[type[Question], type[AnswerWidget]] = {
    ChoiceQuestion: ChoiceAnswer,
    MultiQuestion: MultiAnswer,
    TrueFalseQuestion: TrueFalseAnswer,
    TypedQuestion: TypedAnswer,
    OrderQuestion: OrderAnswer,
    CardQuestion: CardAnswer,
    MatchQuestion: MatchAnswer,
}


def answer_widget(question: Question, shown: tuple[str, ...], *, id: str | None = None) -> AnswerWidget:
    return for_type(ANSWER_WIDGETS, type(question))(question, shown, id=id)
