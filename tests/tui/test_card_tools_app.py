"""Pilot tests for Anki's card tools in the app: I was right, suspend, bury, flag, and the card browser."""

from __future__ import annotations

import re
import sqlite3

from textual.widgets import DataTable, Footer, Input
from textual.widgets._footer import FooterKey
from tui_helpers import press_to, ready, settled, static_text

from nkstudy.core.study.session import StudyRequest
from nkstudy.tui.study.screens.browser import BrowserScreen
from nkstudy.tui.study.screens.home import HomeScreen
from nkstudy.tui.study.screens.study import StudyScreen

SIZE = (80, 24)


async def _ask(pilot, question_id: str) -> StudyScreen:
    await ready(pilot)
    pilot.app.start_study(StudyRequest(pack_ids=["tui-pack"], question_ids=[question_id]))
    await settled(pilot, lambda: isinstance(pilot.app.screen, StudyScreen))
    screen = pilot.app.screen
    await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    await pilot.pause()
    return screen


async def _answer_typed(pilot, screen: StudyScreen, text: str) -> None:
    await pilot.press(*text, "enter")
    await settled(pilot, lambda: screen.outcome is not None and not screen.busy)
    await pilot.pause()


def _rows(data_dir, sql: str) -> list[tuple]:
    con = sqlite3.connect(data_dir / "progress.sqlite3")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _footer_keys(app) -> dict[str, FooterKey]:
    """The keys the footer shows, each fully inside the 80 columns."""
    footer = app.screen.query_one(Footer)
    parts = [w for w in footer.query("*") if w.display and w.region.width and w.parent is footer]
    layout = [(type(w).__name__, w.region) for w in parts]
    for i, part in enumerate(parts):  # the keys, and the palette's key when it is shown: all in, none overlapping
        assert part.region.right <= SIZE[0], layout
        assert not any(part.region.overlaps(other.region) for other in parts[i + 1:]), layout
    return {k.description: k for k in parts if isinstance(k, FooterKey)}


async def test_i_was_right_regrades_a_wrong_typed_answer(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "privat trian")
        assert not screen.outcome.correct and screen.outcome.overridable
        assert "Right" in _footer_keys(app)
        assert screen.score.right == 0
        await pilot.press("r")
        await settled(pilot, lambda: screen.outcome.overridden and not screen.busy)
        await pilot.pause()
        assert screen.outcome.correct
        assert screen.score.right == 1 and screen.score.wrong == 0
        assert "override" in static_text(app, "#feedback")
        assert "Right" not in _footer_keys(app)  # once is enough
        assert _rows(data_dir, "SELECT correct, override, rating FROM reviews") == [(1, 1, 3)]


async def test_a_right_answer_or_a_choice_cannot_be_overridden(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-city")
        wrong = next(str(i) for i, o in enumerate(screen.item.shown, 1) if o != "Pyongyang")
        await pilot.press(wrong)
        await settled(pilot, lambda: screen.outcome is not None and not screen.busy)
        await pilot.pause()
        assert not screen.outcome.overridable
        await pilot.press("r")
        await pilot.pause()
        assert not screen.outcome.correct
        assert _rows(data_dir, "SELECT correct, override FROM reviews") == [(0, 0)]


async def test_suspend_bury_and_flag_from_the_feedback(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "nonsense")
        shown = _footer_keys(app)
        assert {"Suspend", "Bury", "Flag"} <= set(shown), sorted(shown)
        await pilot.press("f")
        await settled(pilot, lambda: screen.outcome.flagged and not screen.busy)
        await pilot.press("s")
        await settled(pilot, lambda: screen.outcome.suspended and not screen.busy)
        await pilot.pause()
        assert "Suspended" in static_text(app, "#feedback")
        assert _rows(data_dir, "SELECT question_id, suspended, flagged FROM card_marks") == [("q-typed", 1, 1)]
        # a wrong answer would come back in a minute; suspended, it does not: the session ends
        await pilot.press("enter")
        await settled(pilot, lambda: not isinstance(app.screen, StudyScreen))
        home = await press_to(pilot, "escape", HomeScreen)
        assert home is app.screen


async def test_bury_hides_the_card_until_the_next_study_day(make_app, data_dir, clock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "nonsense")
        await pilot.press("b")
        await settled(pilot, lambda: screen.outcome.buried and not screen.busy)
    (until,) = _rows(data_dir, "SELECT buried_until FROM card_marks")[0]
    assert until > clock.now.timestamp()
    engine = app.engine_factory(data_dir, "tester", [app.packs[0]], clock=clock)
    try:
        clock.advance(minutes=30)
        assert "q-typed" not in {q.id for q in _queue(engine)}
        clock.advance(days=1)
        assert "q-typed" in {q.id for q in _queue(engine)}
    finally:
        engine.close()


def _queue(engine) -> list:
    session = engine.start_session()
    out = []
    while session.current is not None:
        out.append(session.current.question)
        session.advance()
    return out


def _table_lines(table: DataTable) -> list[str]:
    """The card list as the screen shows it: the header, then each row."""
    return [table.render_line(y).text for y in range(table.row_count + 1)]


def _the_prompt_has_the_room(browser: BrowserScreen, table: DataTable) -> None:
    """At 80 columns the prompt keeps most of each row: Card and State are cut short and Due is a
    date alone (the detail below has them in full), where they once left the prompt ten characters."""
    header, *rows = _table_lines(table)
    start = header.index("Prompt")
    assert start <= 36, header
    # the longest states here: the mark comes first, so the cut column still says it
    assert any("suspended" in c.states for c in browser.cards)
    assert all(("suspended" in line) == ("suspended" in c.states) for line, c in zip(rows, browser.cards, strict=True))
    for line, card in zip(rows, browser.cards, strict=True):
        shown = line[start:].strip()
        assert len(shown) >= 35 and card.question.prompt.startswith(shown), (line, card.question.prompt)
        assert not re.search(r"\d\d:\d\d", line), line  # no time of day at 80 columns


async def test_browser_searches_shows_history_and_unsuspends(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "nonsense")
        await pilot.press("s")
        await settled(pilot, lambda: screen.outcome.suspended and not screen.busy)
        await pilot.press("escape")
        await settled(pilot, lambda: not isinstance(app.screen, StudyScreen))
        while not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
            await pilot.pause()
        browser = await press_to(pilot, "b", BrowserScreen)
        table = browser.query_one("#browser-cards", DataTable)
        await settled(pilot, lambda: table.row_count == 3)
        await pilot.pause()
        _the_prompt_has_the_room(browser, table)
        # wider, the due time comes back (and narrower again, it goes)
        await pilot.resize_terminal(140, 24)
        await settled(pilot, lambda: browser.widths[2] == 16 and table.row_count == 3)
        assert any(re.search(r"\d\d-\d\d \d\d:\d\d ", line) for line in _table_lines(table))
        await pilot.resize_terminal(*SIZE)
        await settled(pilot, lambda: browser.widths[2] == 10)
        _the_prompt_has_the_room(browser, table)
        # search by state, typed into the search line
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"state:suspended", "enter")
        await settled(pilot, lambda: table.row_count == 1 and browser.shown == ("tui-pack", "q-typed"))
        await pilot.pause()
        detail = static_text(app, "#browser-card")
        assert "suspended" in detail and "nonsense" in detail and "next due" in detail
        await pilot.press("u")
        await settled(pilot, lambda: "suspended" not in browser.cards[0].states)
        assert _rows(data_dir, "SELECT count(*) FROM card_marks") == [(0,)]
        # the mouse: a click on a row shows that card
        browser.query_one("#browser-search", Input).value = ""
        await pilot.press("slash", "enter")
        await settled(pilot, lambda: table.row_count == 3)
        target = next(i for i, c in enumerate(browser.cards) if c.question.id == "q-city")
        await pilot.click("#browser-cards", offset=(3, 1 + target))
        await settled(pilot, lambda: browser.shown == ("tui-pack", "q-city"))
        assert "Not answered yet" in static_text(app, "#browser-card")
        await press_to(pilot, "escape", HomeScreen)


async def test_browser_from_the_palette_and_a_bad_state(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.action_browse()
        await settled(pilot, lambda: isinstance(app.screen, BrowserScreen))
        browser = app.screen
        await settled(pilot, lambda: len(browser.cards) == 3)
        await pilot.pause()
        await pilot.press("slash", *"state:nosuch", "enter")
        await pilot.pause()
        assert isinstance(app.focused, Input)  # refused: still in the search line, with a notice
        assert any("nosuch" in n.message for n in app._notifications)


async def test_home_says_when_to_come_back_when_nothing_is_due(make_app, clock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "private train")  # Good: back in 10 minutes
        while not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert "Stats" in _footer_keys(app)  # every key of home's footer fits in 80 columns
        app.engine.update_settings(new_per_day=0)  # nothing new either: nothing at all is due now
        app.screen.reload()
        await settled(pilot, lambda: "Next card due in 10m" in static_text(app, "#today"))
        assert "0 due now" in static_text(app, "#today")


async def test_nothing_due_says_when_the_next_card_is(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "private train")
        await pilot.press("4")  # Easy: due in days
        await settled(pilot, lambda: not isinstance(app.screen, StudyScreen))
        app.engine.update_settings(new_per_day=0)
        app.start_study(StudyRequest(pack_ids=["tui-pack"]), replace=True)
        await settled(pilot, lambda: isinstance(app.screen, StudyScreen) and app.screen.session is not None)
        await pilot.pause()
        text = static_text(app, "#prompt")
        assert "Nothing is due" in text and "Next card due in" in text and "due tomorrow" in text


async def test_settings_shows_every_setting_on_one_line_each_at_80x24(make_app) -> None:
    from nkstudy.core.study.settings_text import SETTINGS
    from nkstudy.tui.study.screens.settings import SettingsScreen, input_id

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "comma", SettingsScreen)
        await pilot.pause()
        rows = set()
        for info in SETTINGS:
            box = app.screen.query_one(f"#{input_id(info.key)}", Input)
            region = box.region
            assert region.width >= 10 and region.height == 1 and region.right <= SIZE[0], info.key
            rows.add(region.y)
        assert len(rows) == len(SETTINGS) and max(rows) < SIZE[1]
        await pilot.click(f"#{input_id('leech_threshold')}")
        assert app.focused is app.screen.query_one(f"#{input_id('leech_threshold')}", Input)
        assert "lapses" in static_text(app, "#setting-help")


async def test_practising_missed_questions_that_were_suspended_says_why_nothing_is_asked(make_app, data_dir) -> None:
    from nkstudy.tui.study.screens.summary import SummaryScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask(pilot, "q-typed")
        await _answer_typed(pilot, screen, "nonsense")
        await pilot.press("s")
        await settled(pilot, lambda: screen.outcome.suspended and not screen.busy)
        await pilot.press("enter")
        await settled(pilot, lambda: isinstance(app.screen, SummaryScreen))
        summary = app.screen
        assert [item.question.id for item in summary.missed] == ["q-typed"]
        await pilot.press("p")
        await settled(pilot, lambda: isinstance(app.screen, StudyScreen) and not app.screen.busy)
        await pilot.pause()
        again = app.screen
        assert again.item is None
        text = static_text(app, "#prompt")
        assert "suspended or buried" in text and "Nothing is due" not in text



def _table_lines(table: DataTable) -> list[str]:
    """The list as the screen shows it: the header, then each row."""
    return [table.render_line(y).text for y in range(table.row_count + 1)]

