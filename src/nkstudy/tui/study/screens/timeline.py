"""Timeline: every event in date order, with its excerpt and source."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from nkstudy.core.model import Event, Pack
from nkstudy.core.study.session import StudyRequest
from nkstudy.core.text import visible
from nkstudy.present import safe
from nkstudy.tui import keys
from nkstudy.tui.render import event_detail
from nkstudy.tui.study.host import HostApp
from nkstudy.tui.widgets.header import Header


def short(text: str | None) -> str:
    """A name without the description after its comma: 'Zhao Leji, third-ranking…' → 'Zhao Leji'.

    Only a name (capitalised words) is cut there: 'leaders from Japan, China and South Korea'
    is a list, kept whole (the column ends it with … when it is too long).
    """
    if not text:
        return ""
    text = " ".join(text.split())
    head = text.split(",")[0].strip()
    if head != text and head and all(word.lstrip("(\"'“‘")[:1].isupper() for word in head.split()):
        return head
    return text


class TimelineScreen(Screen[None]):
    app: HostApp

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.TIMELINE)

    def __init__(self, packs: list[Pack]) -> None:
        super().__init__()
        self.rows: list[tuple[Pack, Event]] = sorted(
            ((p, e) for p in packs for e in p.events),
            key=lambda pe: (pe[1].when.sort_key(), pe[1].id),
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="event-detail"):
            yield Static("", id="event-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Timeline"
        table = self.query_one("#events", DataTable)
        whos = [visible(short(e.who)) for _p, e in self.rows]
        targets = [visible(self.target(e)) for _p, e in self.rows]
        kind_w = max([5, *(len(e.kind) for _p, e in self.rows)])
        # what is left of the width once the date, the event type, cell padding and the scrollbar are in
        room = max(32, self.app.size.width - 10 - kind_w - 4 * 2 - 2)
        who_need = max([3, *map(len, whos)])
        target_need = max([12, *map(len, targets)])
        if who_need + target_need <= room:  # everything fits: truncate nothing
            who_w, target_w = who_need, room - who_need
        else:
            who_w = max(16, min(who_need, room // 2))
            target_w = max(16, room - who_w)
        table.add_column("Date", key="date", width=10)
        table.add_column("Who", key="who", width=who_w)
        table.add_column("Event", key="kind", width=kind_w)
        table.add_column("Whom / where", key="whom", width=target_w)
        for i, (_pack, e) in enumerate(self.rows):
            target = self.target(e)
            table.add_row(
                Text(e.when.iso()),
                Text(visible(short(e.who)), overflow="ellipsis", no_wrap=True),
                safe(e.kind, style="dim"),
                Text(visible(target), overflow="ellipsis", no_wrap=True),
                key=str(i),
            )
        if not self.rows:
            self.query_one("#event-text", Static).update(Text("No events in these packs."))
        table.focus()
        self.show_event(0)

    @staticmethod
    def target(e: Event) -> str:
        """Whom, and where when the name does not say it already."""
        target = short(e.whom)
        if e.where and e.where not in target:
            target = f"{target}, {e.where}" if target else e.where
        return target

    def current(self) -> tuple[Pack, Event] | None:
        row = self.query_one("#events", DataTable).cursor_row
        if row is None or not 0 <= row < len(self.rows):
            return None
        return self.rows[row]

    def show_event(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        pack, event = self.rows[row]
        detail = event_detail(event, pack.sources.get(event.source))
        count = len(pack.questions_for_event(event.id))
        detail.append(
            f"\n{count} question{'s' if count != 1 else ''} about this event"
            + (" — d drills them, o opens the article" if count else " — o opens the article"),
            style="dim",
        )
        self.query_one("#event-text", Static).update(detail)

    @on(DataTable.RowHighlighted, "#events")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_event(event.cursor_row)

    @on(DataTable.RowSelected, "#events")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_drill()

    def action_drill(self) -> None:
        current = self.current()
        if current is None:
            return
        pack, event = current
        questions = pack.questions_for_event(event.id)
        if not questions:
            self.notify("No questions are linked to this event.")
            return
        self.app.start_study(
            StudyRequest(pack_ids=[pack.id], question_ids=[q.id for q in questions], practice=True),
            title=f"Drill: {event.when.iso()}",
        )

    def action_open_article(self) -> None:
        current = self.current()
        if current is not None:
            pack, event = current
            self.app.open_reader(pack.id, event.source, event.excerpt)
