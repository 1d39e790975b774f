"""The card browser: search the cards, see one card's answers and next due date, unsuspend, unflag."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

from nkstudy.core.study.browse import FIELDS, CardInfo, parse_query
from nkstudy.core.study.progress import Key
from nkstudy.core.study.schedule import RATINGS
from nkstudy.present import plural, safe
from nkstudy.tui import keys
from nkstudy.tui.study.messages import CardsFound, CardShown
from nkstudy.tui.study.screens.base import EngineScreen
from nkstudy.tui.widgets.header import Header

if TYPE_CHECKING:
    from nkstudy.cardbook import CardHistory
    from nkstudy.engine import Engine

PLACEHOLDER = "Search: words, or " + " ".join(f"{f}:" for f in FIELDS) + "  (Enter)"


def due_text(card: CardInfo, with_time: bool = True) -> str:
    if card.due is None:
        return "-"
    return card.due.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def state_text(card: CardInfo, narrow: bool = False) -> Text:
    """The card's states; in a narrow list its marks (suspended, flagged, ...) come first, so a cut
    column still shows them."""
    states = card.states[1:] + card.states[:1] if narrow else card.states
    return Text(" ".join(states), overflow="ellipsis")


#: below this many columns the list is narrow: the Card and State columns are cut short and Due
#: shows the date alone (the highlighted card's detail below gives all of them in full)
WIDE = 100


def column_widths(width: int, cards: list[CardInfo]) -> tuple[int, int, int]:
    """The Card, State and Due columns' widths on a screen ``width`` columns wide; the Prompt, last,
    takes the rest of the row (at 80 columns, about 35 characters)."""
    narrow = width < WIDE
    longest_id = max((len(c.question.id) for c in cards), default=0)
    longest_state = max((len(" ".join(c.states)) for c in cards), default=0)
    card = max(len("Card"), min(longest_id, max(12, width // 6)))
    state = max(len("State"), min(longest_state, 10 if narrow else 24))
    return card, state, 10 if narrow else 16


def history_text(history: CardHistory) -> Text:
    """The highlighted card: what it asks, its state and next due date, and every answer to it."""
    card = history.card
    q = card.question
    out = Text()
    out.append(f"{card.pack_id}/{q.id}", style="bold").append(f"  {q.type_name} · {' '.join(card.states)}")
    out.append(f" · next due {due_text(card)}\n")
    out.append_text(safe(q.prompt)).append("\nAnswer: ", style="bold").append_text(safe(q.answer_text()))
    if not history.answers:
        out.append("\nNot answered yet.", style="dim")
    for a in history.answers:
        out.append(f"\n{a.when.astimezone().strftime('%Y-%m-%d %H:%M')}  {RATINGS[a.rating - 1].name:<5}  ")
        out.append("right  " if a.correct else "wrong  ", style="green" if a.correct else "red")
        out.append_text(safe(a.answer))
        if a.overridden:
            out.append("  (I was right)", style="yellow")
        if a.practice:
            out.append("  (practice)", style="dim")
    return out


class BrowserScreen(EngineScreen):
    """Every card of every pack, searchable; the highlighted one's answers below."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.BROWSER)

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[CardInfo] = []
        self.shown: Key | None = None
        self.widths: tuple[int, int, int] = (0, 0, 0)  #: the Card, State and Due columns' widths, as laid out

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=PLACEHOLDER, id="browser-search")
        yield Static("", id="browser-count")
        yield DataTable(id="browser-cards", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="browser-detail"):
            yield Static("", id="browser-card")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Card browser"
        table = self.query_one("#browser-cards", DataTable)
        self._fill()
        table.focus()
        self.reload()

    def on_resize(self) -> None:
        if column_widths(self.size.width, self.cards) != self.widths:
            self._fill()

    def _fill(self, keep_cursor: bool = True) -> None:
        """Lay the list out for the screen's width (see :func:`column_widths`) and fill it."""
        table = self.query_one("#browser-cards", DataTable)
        row = table.cursor_row if keep_cursor else 0
        self.widths = column_widths(self.size.width, self.cards)
        table.clear(columns=True)
        for label, width in zip(("Card", "State", "Due"), self.widths, strict=True):
            table.add_column(label, key=label.lower(), width=width)
        table.add_column("Prompt", key="prompt")
        wide = self.size.width >= WIDE
        for c in self.cards:
            table.add_row(Text(c.question.id, overflow="ellipsis"), state_text(c, not wide), due_text(c, wide),
                          safe(c.question.prompt), key=f"{c.pack_id}\x00{c.question.id}")
        if 0 < row < len(self.cards):
            table.move_cursor(row=row)

    # -- workers --------------------------------------------------------------
    def load(self, engine: Engine) -> object:
        return self.search(engine, self.query_text())

    def query_text(self) -> str:
        return self.query_one("#browser-search", Input).value

    @work(thread=True, exclusive=True, exit_on_error=False, group="browser")
    def search(self, engine: Engine, text: str) -> None:
        from nkstudy.cardbook import CardBook

        self.post_message(CardsFound(CardBook(engine).search(parse_query(text))))

    @work(thread=True, exclusive=True, exit_on_error=False, group="browser-card")
    def show_card(self, engine: Engine, key: Key, changes: dict[str, object] | None = None) -> None:
        from nkstudy.cardbook import CardBook

        book = CardBook(engine)
        if changes:
            book.set_marks(key, **changes)
        self.post_message(CardShown(book.history(key)))

    # -- messages -------------------------------------------------------------
    @on(CardsFound)
    def _found(self, message: CardsFound) -> None:
        self.cards = message.cards
        self._fill(keep_cursor=False)
        self.query_one("#browser-count", Static).update(Text(plural(len(message.cards), "card"), style="dim"))
        if not message.cards:
            self.query_one("#browser-card", Static).update(Text("No card matches.", style="dim"))
            self.shown = None
        else:
            self._show_highlighted()

    @on(CardShown)
    def _shown(self, message: CardShown) -> None:
        card = message.history.card
        self.shown = card.key
        self.query_one("#browser-card", Static).update(history_text(message.history))
        for i, c in enumerate(self.cards):  # a change (unsuspend, unflag) shows in the list at once
            if c.key == card.key:
                self.cards[i] = card
                table = self.query_one("#browser-cards", DataTable)
                table.update_cell(f"{card.pack_id}\x00{card.question.id}", "state",
                                  state_text(card, self.size.width < WIDE))

    @on(DataTable.RowHighlighted, "#browser-cards")
    def _highlighted(self) -> None:
        self._show_highlighted()

    def _show_highlighted(self, changes: dict[str, object] | None = None) -> None:
        table = self.query_one("#browser-cards", DataTable)
        if self.engine is None or not self.cards or not 0 <= table.cursor_row < len(self.cards):
            return
        self.show_card(self.engine, self.cards[table.cursor_row].key, changes)

    # -- input ----------------------------------------------------------------
    @on(Input.Submitted, "#browser-search")
    def _submitted(self) -> None:
        try:
            parse_query(self.query_text())
        except ValueError as exc:
            self.notify(f"{exc}", severity="warning", markup=False)
            return
        self.reload()
        self.query_one("#browser-cards", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#browser-search", Input).focus()

    def _marked(self, name: str, state: str) -> CardInfo | None:
        table = self.query_one("#browser-cards", DataTable)
        if not self.cards or not 0 <= table.cursor_row < len(self.cards):
            return None
        card = self.cards[table.cursor_row]
        if state not in card.states:
            self.notify(f"This card is not {state}; nothing to {name}.", markup=False)
            return None
        return card

    def action_unsuspend(self) -> None:
        if self._marked("unsuspend", "suspended") is not None:
            self._show_highlighted({"suspended": False})

    def action_unflag(self) -> None:
        if self._marked("unflag", "flagged") is not None:
            self._show_highlighted({"flagged": False})

    def action_back(self) -> None:
        search = self.query_one("#browser-search", Input)
        if search.has_focus:
            self.query_one("#browser-cards", DataTable).focus()
        else:
            self.app.pop_screen()


__all__ = ["BrowserScreen"]
