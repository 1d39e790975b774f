"""Reader: each article with its metadata; the passages questions cite are highlighted."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from nkstudy.core.model import Pack
from nkstudy.core.questions.fold import fold_answer
from nkstudy.core.study.session import StudyRequest
from nkstudy.core.text import find_passage, visible
from nkstudy.present import safe
from nkstudy.tui import keys
from nkstudy.tui.render import Passage, paragraph_text, paragraphs, passages
from nkstudy.tui.study.host import HostApp
from nkstudy.tui.widgets.header import Header


class Paragraph(Static):
    """One paragraph of an article; clicking it selects its first cited passage."""

    def __init__(self, span: tuple[int, int], *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.span = span

    def on_click(self, event: events.Click) -> None:
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            screen.select_in_paragraph(self.span)


class ReaderScreen(Screen[None]):
    app: HostApp

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.READER)

    def __init__(self, pack: Pack, source_id: str | None = None, excerpt: str | None = None) -> None:
        super().__init__()
        self.pack = pack
        ids = list(pack.sources)
        self.source_id = source_id if source_id in pack.sources else (ids[0] if ids else None)
        self.focus_excerpt = excerpt
        self.passages: list[Passage] = []
        self.current: Passage | None = None
        self.paras: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reader"):
            options = []
            for sid, source in self.pack.sources.items():
                label = safe(source.title, style="bold")
                label.append("\n")
                label.append_text(safe(source.dateline(), style="dim"))
                options.append(Option(label, id=sid))
            yield OptionList(*options, id="sources")
            with VerticalScroll(id="article"):
                yield Static("", id="article-head")
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = f"Reader: {visible(self.pack.title)}"
        sources = self.query_one("#sources", OptionList)
        if self.source_id is not None:
            sources.highlighted = list(self.pack.sources).index(self.source_id)
        if self.focus_excerpt:
            if self.app.size.width < 110:  # room for the article first; l shows the list
                sources.display = False
            self.query_one("#article").focus()
        else:
            sources.focus()
        await self.show_article(self.source_id, self.focus_excerpt)

    @on(OptionList.OptionHighlighted, "#sources")
    async def _source_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        sid = event.option.id
        if sid is not None and sid != self.source_id:
            await self.show_article(sid, None)

    @on(OptionList.OptionSelected, "#sources")
    def _source_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#article").focus()

    async def show_article(self, source_id: str | None, excerpt: str | None) -> None:
        self.source_id = source_id
        article = self.query_one("#article", VerticalScroll)
        await article.query(Paragraph).remove()
        if source_id is None:
            self.query_one("#article-head", Static).update(Text("This pack has no articles."))
            return
        source = self.pack.sources[source_id]
        self.passages = passages(self.pack, source_id)
        self.current = None
        if excerpt:
            span = find_passage(source.text, excerpt)
            if span is not None:
                self.current = next(
                    (p for p in self.passages if p.start <= span[0] < p.end), None
                )
        head = safe(source.title, style="bold")
        head.append("\n")
        head.append_text(safe(source.dateline(), style="dim"))
        count = len(self.passages)
        head.append(
            f"\n{count} passage{'s' if count != 1 else ''} cited by questions, answers in green "
            "(n/N move, d drills the questions citing one)",
            style="dim",
        )
        self.query_one("#article-head", Static).update(head)
        self.paras = paragraphs(source.text)
        while self.paras and self._is_headline(source.text, self.paras[0], source.title):
            self.paras = self.paras[1:]  # the heading shows the title once, however often the file has it
        await article.mount_all(
            Paragraph(span, classes="para", id=f"para-{i}") for i, span in enumerate(self.paras)
        )
        self.paint()
        article.scroll_home(animate=False)
        if self.current is not None:
            self.call_after_refresh(self.scroll_to_current)

    def _is_headline(self, text: str, para: tuple[int, int], title: str) -> bool:
        """This paragraph (one at the top of the article) is its title, and no question cites it."""
        start, end = para
        cited = any(p.start < end and start < p.end for p in self.passages)
        return not cited and fold_answer(text[start:end]) == fold_answer(title)

    def paint(self) -> None:
        if self.source_id is None:
            return
        text = self.pack.sources[self.source_id].text
        for widget in self.query(Paragraph):
            widget.update(paragraph_text(text, widget.span, self.passages, self.current))

    def scroll_to_current(self) -> None:
        """Scroll so that the current passage's first line is near the top of the article."""
        if self.current is None or self.source_id is None:
            return
        article = self.query_one("#article", VerticalScroll)
        for widget in self.query(Paragraph):
            a, b = widget.span
            if a <= self.current.start < b:
                # the passage may start deep inside a long paragraph: count the lines before it
                before = self.pack.sources[self.source_id].text[a : self.current.start].replace("\n", " ")
                width = widget.content_size.width
                lines = len(Text(before).wrap(self.app.console, width)) - 1 if before and width > 0 else 0
                y = widget.virtual_region.y + max(0, lines)
                article.scroll_to(y=max(0, y - 1), animate=False, immediate=True)
                return

    def select_in_paragraph(self, span: tuple[int, int]) -> None:
        for p in self.passages:
            if p.start < span[1] and p.end > span[0]:
                self.current = p
                self.paint()
                return

    def action_toggle_list(self) -> None:
        sources = self.query_one("#sources", OptionList)
        sources.display = not sources.display
        (sources if sources.display else self.query_one("#article")).focus()
        # the article reflows at its new width: keep the cited passage near the top
        self.call_after_refresh(self.scroll_to_current)

    def action_passage(self, delta: int) -> None:
        if not self.passages:
            self.notify("No question cites this article.")
            return
        if self.current is None:
            index = 0 if delta > 0 else len(self.passages) - 1
        else:
            index = (self.passages.index(self.current) + delta) % len(self.passages)
        self.current = self.passages[index]
        self.paint()
        self.scroll_to_current()

    def action_drill(self) -> None:
        if self.current is None:
            if not self.passages:
                self.notify("No question cites this article.")
                return
            self.action_passage(1)
        assert self.current is not None
        self.app.start_study(
            StudyRequest(pack_ids=[self.pack.id], question_ids=self.current.question_ids, practice=True),
            title="Drill: passage",
        )

    def action_drill_article(self) -> None:
        if self.source_id is None:
            return
        self.app.start_study(StudyRequest(pack_ids=[self.pack.id], source_ids=[self.source_id], practice=True),
                             title="Drill: article")
