"""Home: every pack with its counts and mastery, and today's numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Static

from nkstudy.core.study.results import PackOverview, StudyCounts
from nkstudy.core.study.session import StudyRequest
from nkstudy.present import next_due_text, percent, plural, safe
from nkstudy.tui import keys
from nkstudy.tui.study.messages import OverviewLoaded
from nkstudy.tui.study.screens.base import EngineScreen
from nkstudy.tui.widgets.charts import bar
from nkstudy.tui.widgets.header import Header

if TYPE_CHECKING:
    from nkstudy.engine import Engine


class HomeScreen(EngineScreen):
    TITLE = "nkstudy"

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.HOME)

    def __init__(self) -> None:
        super().__init__(id="home")
        self.overview: list[PackOverview] = []

    @property
    def counts(self) -> list[StudyCounts]:
        """What Enter would study in each pack (part of the overview)."""
        return [o.counts for o in self.overview]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening your progress…", id="today")
        # the hint above the packs: notifications (bottom right) never cover it
        yield Static("", id="home-hint")
        table: DataTable[Text | str] = DataTable(id="packs", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer(show_command_palette=False)  # every key of home fits in 80 columns (Ctrl+P is in the help)

    def on_mount(self) -> None:
        table = self.query_one("#packs", DataTable)
        table.add_column("Pack", key="pack")
        table.add_column("New", key="new")  # new cards Enter would show today (the daily limit)
        table.add_column("Learning", key="learning")  # learning cards due now
        table.add_column("Due", key="due")  # reviews due today
        table.add_column("Mastery", key="mastery")
        for pack in self.app.packs:
            table.add_row(safe(pack.title), "", "", "", "", key=pack.id)
        self.show_hint()
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def show_problem(self, problem: str) -> None:
        self.query_one("#today", Static).update(Text(problem, style="bold red"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("study", "practice") and self.app.engine_problem is not None:
            return None  # shown, but disabled: the line above the packs says why
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load(self, engine: Engine) -> None:
        self.post_message(OverviewLoaded(engine.pack_overview(), engine.today()))

    @on(OverviewLoaded)
    def show_overview(self, message: OverviewLoaded) -> None:
        self.overview = message.overview
        table = self.query_one("#packs", DataTable)
        known = {pack.id for pack in self.app.packs}
        for c in message.counts:
            if c.pack_id not in known:
                continue
            for column, value, style in (("new", c.new, "cyan"), ("learning", c.learning, "red"),
                                         ("due", c.due, "green")):
                table.update_cell(c.pack_id, column, Text(str(value), justify="right",
                                                          style=f"bold {style}" if value else "dim"))
        for row in message.overview:
            if row.pack_id not in known:
                continue
            mastery = Text(bar(row.mastery, 10), style="green")
            mastery.append(f" {row.mastery * 100:3.0f}%")
            table.update_cell(row.pack_id, "mastery", mastery, update_width=True)
        t = message.today
        line = Text()
        line.append("Today ", style="bold")
        line.append(plural(t.reviews, "review"))
        line.append(" · ")
        line.append(f"{percent(t.accuracy)} right")
        line.append(" · ")
        line.append(f"streak {plural(t.streak_days, 'day')}")
        line.append(" · ")
        waiting = sum(c.now for c in message.counts)
        new = sum(c.new for c in message.counts)
        later = sum(c.later for c in message.counts)
        line.append(f"{waiting} due now", style="bold" if waiting else "")
        line.append(f", {new} new")
        if later:
            line.append(f" · {later} back later today", style="dim")
        if not waiting and self.engine is not None:
            upcoming = next_due_text(t.next_due, t.tomorrow, self.engine.now(), self.engine.tz)
            if upcoming:
                line.append("\n").append(upcoming, style="dim")
        self.query_one("#today", Static).update(line)
        self.show_hint()

    def show_hint(self) -> None:
        hint = Text()
        for problem in self.app.problems:
            hint.append_text(safe(problem + "\n", style="red"))
        if self.app.packs:
            hint.append(
                "Enter studies the highlighted pack: its New (up to today's limit), Learning and Due cards; "
                "p practises it all, without scheduling.",
                style="dim",
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
            self.app.start_study(StudyRequest(pack_ids=[pack_id]))

    def action_practice(self) -> None:
        pack_id = self.highlighted_pack_id()
        if pack_id is not None:
            self.app.start_study(StudyRequest(pack_ids=[pack_id], practice=True))

    def action_reader(self) -> None:
        self.app.open_reader(self.highlighted_pack_id())

    def action_timeline(self) -> None:
        self.app.open_timeline()
