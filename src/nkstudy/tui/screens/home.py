"""Home: every pack with its counts and mastery, and today's numbers."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from nkstudy.tui.messages import OverviewLoaded
from nkstudy.tui.render import percent
from nkstudy.tui.screens.base import EngineScreen
from nkstudy.tui.widgets.charts import bar


class HomeScreen(EngineScreen):
    TITLE = "nkstudy"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", id="home.study", priority=True),
        Binding("p", "practice", "Practice", id="home.practice"),
        Binding("s", "app.stats", "Stats", id="home.stats"),
        Binding("r", "reader", "Reader", id="home.reader"),
        Binding("t", "timeline", "Timeline", id="home.timeline"),
        Binding("comma", "app.settings", "Settings", show=False, id="home.settings"),
        Binding("u", "app.profile", "Profile", show=False, id="home.profile"),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")
        self.overview: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening your progress…", id="today")
        table: DataTable[Any] = DataTable(id="packs", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="home-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#packs", DataTable)
        table.add_column("Pack", key="pack")
        table.add_column("New", key="new")
        table.add_column("Learning", key="learning")
        table.add_column("Due", key="due")
        table.add_column("Mastery", key="mastery")
        for pack in self.app.packs:
            table.add_row(Text(pack.title), "", "", "", "", key=pack.id)
        self.show_hint()
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self.engine is not None:
            self.load_overview()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load_overview(self) -> None:
        overview = self.engine.pack_overview()
        today = self.engine.today()
        self.post_message(OverviewLoaded(list(overview), today))

    @on(OverviewLoaded)
    def show_overview(self, message: OverviewLoaded) -> None:
        self.overview = message.overview
        table = self.query_one("#packs", DataTable)
        for row in message.overview:
            try:
                table.get_row_index(row.pack_id)
            except Exception:
                continue
            table.update_cell(row.pack_id, "new", Text(str(row.new), justify="right"))
            table.update_cell(row.pack_id, "learning", Text(str(row.learning), justify="right"))
            due = Text(str(row.due), justify="right", style="bold" if row.due else "")
            table.update_cell(row.pack_id, "due", due)
            mastery = Text(bar(row.mastery, 10), style="green")
            mastery.append(f" {row.mastery * 100:3.0f}%")
            table.update_cell(row.pack_id, "mastery", mastery, update_width=True)
        t = message.today
        line = Text()
        line.append("Today ", style="bold")
        line.append(f"{t.reviews} review" + ("" if t.reviews == 1 else "s"))
        line.append(" · ")
        line.append(f"{percent(t.accuracy)} right")
        line.append(" · ")
        line.append(f"streak {t.streak_days} day{'s' if t.streak_days != 1 else ''}")
        line.append(" · ")
        line.append(f"{t.due_now} due now", style="bold" if t.due_now else "")
        self.query_one("#today", Static).update(line)
        self.show_hint()

    def show_hint(self) -> None:
        hint = Text()
        for problem in self.app.problems:
            hint.append(problem + "\n", style="red")
        if self.app.packs:
            hint.append(
                "Enter studies the highlighted pack; p practises it all, without scheduling.", style="dim"
            )
        else:
            hint.append("No packs found. Run `nkstudy packs` to see where nkstudy looks.")
        self.query_one("#home-hint", Static).update(hint)

    # -- actions ----------------------------------------------------------
    def highlighted_pack_id(self) -> str | None:
        table = self.query_one("#packs", DataTable)
        if not self.app.packs or table.cursor_row is None:
            return None
        return self.app.packs[min(table.cursor_row, len(self.app.packs) - 1)].id

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click on the highlighted row
        self.action_study()

    def action_study(self) -> None:
        pack_id = self.highlighted_pack_id()
        if pack_id is not None:
            self.app.start_study(pack_ids=[pack_id])

    def action_practice(self) -> None:
        pack_id = self.highlighted_pack_id()
        if pack_id is not None:
            self.app.start_study(pack_ids=[pack_id], practice=True)

    def action_reader(self) -> None:
        self.app.open_reader(self.highlighted_pack_id())

    def action_timeline(self) -> None:
        self.app.open_timeline()
