"""Stats: accuracy by source and by tag, a review calendar, the forecast, retention, mastery."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from nkstudy.core.study.results import Tally
from nkstudy.core.text import visible
from nkstudy.present import percent
from nkstudy.tui import keys
from nkstudy.tui.study.messages import StatsLoaded
from nkstudy.tui.study.screens.base import EngineScreen
from nkstudy.tui.widgets.charts import BarRow, Chart, columns, hbars, heatmap
from nkstudy.tui.widgets.header import Header

if TYPE_CHECKING:
    from nkstudy.engine import Engine

TAG_ORDER = ("who", "whom", "when", "where", "why", "context")


def accuracy_rows(data: dict[str, Tally], names: dict[str, str] | None = None) -> list[BarRow]:
    rows = []
    for key, (right, total) in data.items():
        label = (names or {}).get(key, key)
        share = right / total if total else None
        rows.append((label, share or 0.0, f"{right}/{total} {percent(share)}"))
    return rows


class StatsScreen(EngineScreen):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.STATS)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("Loading…", id="stats-summary")
            yield Static(Text("Reviews per day", style="bold"), classes="stats-heading")
            yield Chart(id="stats-heatmap")
            yield Static(Text("Due in the next 14 days", style="bold"), classes="stats-heading")
            yield Chart(id="stats-forecast")
            yield Static(Text("Mastery per pack", style="bold"), classes="stats-heading")
            yield Chart(id="stats-mastery")
            yield Static(Text("Accuracy by tag", style="bold"), classes="stats-heading")
            yield Chart(id="stats-tags")
            yield Static(Text("Accuracy by source", style="bold"), classes="stats-heading")
            yield Chart(id="stats-sources")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Stats"
        self.query_one("#stats-body").focus()
        self.reload()

    def show_problem(self, problem: str) -> None:
        self.query_one("#stats-summary", Static).update(Text(problem, style="bold red"))

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def load(self, engine: Engine) -> None:
        stats = engine.stats()
        self.post_message(StatsLoaded(stats, engine.study_day(engine.now())))

    @on(StatsLoaded)
    def _loaded(self, message: StatsLoaded) -> None:
        s = message.stats
        today = message.today
        summary = Text()
        summary.append(f"{s.reviews}", style="bold")
        summary.append(" answer · " if s.reviews == 1 else " answers · ")
        summary.append(percent(s.accuracy), style="bold")
        summary.append(" right · retention ")
        summary.append(percent(s.retention), style="bold")
        summary.append(" · streak ")
        summary.append(f"{s.streak_days}d", style="bold")
        summary.append("\n")
        summary.append(f"{s.new} new · {s.learning} learning · {s.review} in review · ")
        summary.append(f"{s.due_now} due now", style="bold")
        self.query_one("#stats-summary", Static).update(summary)

        daily = dict(s.daily_reviews)
        self.query_one("#stats-heatmap", Chart).set_draw(
            lambda w: heatmap(daily, today, min(52, (w - 5) // 2))
        )
        forecast = list(s.forecast)
        labels = [(today + timedelta(days=i)).strftime("%d") for i in range(len(forecast))]
        self.query_one("#stats-forecast", Chart).set_draw(lambda w: columns(forecast, labels, height=4))
        titles = {p.id: visible(p.title) for p in self.app.packs}
        mastery = [(titles.get(pid, pid), m, percent(m)) for pid, m in s.mastery.items()]
        self.query_one("#stats-mastery", Chart).set_draw(lambda w: hbars(mastery, w, "green"))
        tags = dict(sorted(s.accuracy_by_tag.items(), key=lambda kv: (TAG_ORDER + (kv[0],)).index(kv[0])))
        tag_rows = accuracy_rows(tags)
        self.query_one("#stats-tags", Chart).set_draw(lambda w: hbars(tag_rows, w, "cyan"))
        names = {}
        for p in self.app.packs:
            for sid, src in p.sources.items():
                names[f"{p.id}/{sid}"] = visible(f"{src.outlet} {src.published.year}")
        source_rows = accuracy_rows(s.accuracy_by_source, names)
        self.query_one("#stats-sources", Chart).set_draw(lambda w: hbars(source_rows, w, "magenta"))
