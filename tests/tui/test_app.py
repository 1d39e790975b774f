"""Pilot tests: the app over the real engine, a temporary data folder and a fixed clock."""

from __future__ import annotations

from datetime import timedelta

from tui_helpers import answer, press_to, ready, settled, start_study, static_text

from nkstudy.core.study.schedule import Rating
from nkstudy.core.study.session import StudyRequest
from nkstudy.tui.screens.help import HelpScreen
from nkstudy.tui.study.screens.home import HomeScreen
from nkstudy.tui.study.screens.profile import ProfileScreen
from nkstudy.tui.study.screens.reader import ReaderScreen
from nkstudy.tui.study.screens.settings import SettingsScreen
from nkstudy.tui.study.screens.stats import StatsScreen
from nkstudy.tui.study.screens.study import StudyScreen
from nkstudy.tui.study.screens.summary import SummaryScreen
from nkstudy.tui.study.screens.timeline import TimelineScreen
from nkstudy.tui.widgets.rating import RatingBar

SIZE = (80, 24)



async def test_home_lists_packs_with_counts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        row = app.screen.overview[0]
        assert (row.pack_id, row.new, row.due) == ("tui-pack", 3, 0)
        table = app.screen.query_one("#packs")
        assert str(table.get_cell("tui-pack", "new")) == "3"
        assert "0 reviews" in static_text(app, "#today")


async def test_right_answer_shows_evidence_and_preselects_good(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        assert "1 of 3" in static_text(app, "#status")
        await answer(pilot, right=True)
        feedback = static_text(app, "#feedback")
        q = screen.item.question
        assert "✓ Right" in feedback
        assert f"Answer: {q.answer_text()}" in feedback
        assert q.excerpt in feedback  # the excerpt behind the answer
        source = app.pack("tui-pack").sources[q.source]
        assert source.title in feedback and source.dateline() in feedback
        bar = screen.query_one(RatingBar)
        assert bar.selected == Rating.Good and bar.has_focus
        assert set(bar.intervals) >= {Rating.Hard, Rating.Good, Rating.Easy}
        assert "score 1/1" in static_text(app, "#status")
        await pilot.press("enter")  # accept Good
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)
        assert "2 of" in static_text(app, "#status")


async def test_answer_highlighted_inside_excerpt(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=True)
        text = screen.feedback_text
        q = screen.item.question
        checked = False
        for phrase in q.highlight_phrases():
            start = text.plain.find(phrase, text.plain.find("“"))
            if start < 0:
                continue
            styles = [str(s.style) for s in text.spans if s.start <= start < s.end]
            assert any("reverse" in s for s in styles), (phrase, styles)
            checked = True
        assert checked


async def test_wrong_answer_preselects_again_and_counts_missed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=False)
        assert "✗ Wrong" in static_text(app, "#feedback")
        bar = screen.query_one(RatingBar)
        assert bar.selected == Rating.Again
        assert bar.allowed == (Rating.Again,)
        await pilot.press("right")  # a wrong answer stays Again
        assert bar.selected == Rating.Again
        assert "score 0/1" in static_text(app, "#status")
        await press_to(pilot, "escape", SummaryScreen)
        assert len(app.screen.missed) == 1
        assert screen.item.question.excerpt in static_text(app, ".missed-text")


async def test_change_rating_is_saved(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=True)
        await pilot.press("right")  # Good → Easy
        assert screen.query_one(RatingBar).selected == Rating.Easy
        await pilot.press("enter")
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)
        # Easy on a new card graduates it straight to review; Good would keep it learning.
        overview = app.engine.pack_overview()[0]
        assert (overview.new, overview.learning, overview.review) == (2, 0, 1)


async def test_digit_rates_and_moves_on(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=True)
        first = screen.item
        await pilot.press("2")  # Hard
        await settled(pilot, lambda: screen.item is not first and not screen.busy)
        assert app.engine.pack_overview()[0].learning == 1


async def test_undo_takes_back_the_answer(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        first = screen.item
        await answer(pilot, right=True)
        await pilot.press("u")
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)
        assert screen.item.question.id == first.question.id
        assert "score 0/0" in static_text(app, "#status")
        assert app.engine.today().reviews == 0
        assert screen.query("#answer")  # asked again


async def test_open_article_highlights_the_answer_and_scrolls_to_the_excerpt(make_app, tmp_path) -> None:
    from tuipack import ARTICLE, write_pack

    from nkstudy.core.packs.loader import load_pack
    from nkstudy.tui.study.screens.reader import Paragraph

    # a long article: the excerpt is deep inside a long paragraph, far below the first screen
    folder = write_pack(tmp_path / "long")
    filler = "\n\n".join(f"Paragraph {i} says nothing about the visit at all." for i in range(20))
    article = ARTICLE.replace("A senior", "Chinese state media said much more. " * 12 + "A senior")
    (folder / "sources" / "art.txt").write_text(f"{filler}\n\n{article}\n\n{filler}", encoding="utf-8")
    app = make_app(packs=[load_pack(folder).pack])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.start_study(StudyRequest(pack_ids=["tui-pack"], question_ids=["q-city"], practice=True))
        await settled(pilot, lambda: isinstance(app.screen, StudyScreen))
        screen = app.screen
        await answer(pilot, right=True)
        await press_to(pilot, "o", ReaderScreen)
        reader = app.screen
        await pilot.pause()
        assert reader.source_id == "art"
        assert reader.current is not None and "q-city" in reader.current.question_ids
        para = next(w for w in reader.query(Paragraph) if w.span[0] <= reader.current.start < w.span[1])
        # the answer inside the passage is green; the passage around it is yellow
        text = para.render()
        at = str(text).find("Pyongyang", str(text).find("the capital"))
        styles = [str(s.style) for s in text.spans if s.start <= at < s.end]
        assert any("green" in s for s in styles), styles
        # the passage's first line is in view, within the top lines of the article
        top = reader.query_one("#article").region.y
        shown = [para.render_line(y - para.region.y).text for y in range(top, top + 4)
                 if 0 <= y - para.region.y < para.region.height]
        assert "the country's" in " ".join(shown), (shown, para.region, top)
        await pilot.press("escape")
        await settled(pilot, lambda: app.screen is screen)


async def test_pack_text_is_shown_literally(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        for _ in range(3):
            if screen.item.question.id == "q-markup":
                break
            await answer(pilot, right=True)
            await pilot.press("enter")
            await settled(pilot, lambda: screen.outcome is None and not screen.busy)
        assert screen.item.question.id == "q-markup"
        assert "[bold]True or false[/bold] [@click=app.quit]" in static_text(app, "#prompt")
        await answer(pilot, right=True)
        assert "[red]Literally[/red]" in static_text(app, "#feedback")
        assert app.is_running


async def test_visit_every_screen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for key, screen_type in [
            ("s", StatsScreen),
            ("r", ReaderScreen),
            ("t", TimelineScreen),
            ("question_mark", HelpScreen),
            ("comma", SettingsScreen),
            ("u", ProfileScreen),
        ]:
            await pilot.press(key)
            await settled(pilot, lambda t=screen_type: isinstance(app.screen, t))
            await press_to(pilot, "escape", HomeScreen)
        assert not app.errors


async def test_timeline_in_date_order_and_drills_event(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "t", TimelineScreen)
        timeline = app.screen
        dates = [e.when.iso() for _p, e in timeline.rows]
        assert dates == sorted(dates) and dates[0].startswith("2011")
        assert "private train" in static_text(app, "#event-text")
        await press_to(pilot, "d", StudyScreen)
        study = app.screen
        await settled(pilot, lambda: study.item is not None)
        assert study.item.question.id == "q-typed"
        assert study.session.practice


async def test_reader_drills_a_passage(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "r", ReaderScreen)
        reader = app.screen
        assert len(reader.passages) == 2
        await pilot.press("n")
        assert reader.current is reader.passages[0]
        await press_to(pilot, "d", StudyScreen)
        study = app.screen
        await settled(pilot, lambda: study.item is not None)
        assert study.item.question.id in reader.passages[0].question_ids


async def test_settings_are_saved(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "comma", SettingsScreen)
        retention = app.screen.query_one("#setting-desired-retention")
        retention.value = "0.85"
        app.screen.query_one("#setting-new-per-day").value = "5"
        app.screen.query_one("#setting-learning-steps-minutes").value = "2m 1h"
        app.screen.query_one("#setting-exact-spelling").value = "on"
        app.screen.query_one("#setting-leech-threshold").value = "4"
        await press_to(pilot, "ctrl+s", HomeScreen)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        settings = again.engine.settings
        assert settings.desired_retention == 0.85
        assert settings.new_per_day == 5
        assert settings.learning_steps_minutes == (2, 60)
        assert settings.exact_spelling is True
        assert settings.leech_threshold == 4
        # and they take effect: fsrs schedules with the saved steps
        assert again.engine.planner.scheduler.learning_steps == (timedelta(minutes=2), timedelta(hours=1))


async def test_bad_settings_are_refused(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "comma", SettingsScreen)
        app.screen.query_one("#setting-desired-retention").value = "1.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "0.70" in static_text(app, "#settings-error")


async def test_switch_profile(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "u", ProfileScreen)
        await pilot.click("#new-profile")
        await pilot.press(*"second", "enter")
        await settled(pilot, lambda: app.profile == "second" and isinstance(app.screen, HomeScreen))
        assert app.engine.profile == "second"
        assert app.sub_title == "profile second"


async def test_command_palette_offers_every_action(make_app) -> None:
    from nkstudy.tui.keys import GLOBAL_COMMANDS
    from nkstudy.tui.study.commands import NkCommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        provider = NkCommands(app.screen)
        names = [name for name, _h, _r in provider._commands()]
        for command in GLOBAL_COMMANDS:
            assert (command.title in names) == command.palette
        assert any(n.startswith("Practice") for n in names)  # the screen's own bindings too
        await pilot.press("ctrl+p")
        await pilot.press(*"timeline")
        await pilot.pause(0.3)
        await press_to(pilot, "enter", TimelineScreen)


async def test_mouse_answers_and_rates(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        item = screen.item
        await settled(pilot, lambda: screen.query("#answer"))
        if item.question.id == "q-typed":
            await pilot.click("#typed")
            await pilot.press(*"train", "enter")
        else:
            options = screen.query_one("#choices")
            right = item.shown.index(item.question.answer_text()) if item.question.id == "q-city" else (
                0 if item.question.answer else 1
            )
            await pilot.click(options, offset=(4, 1 + right))
        await settled(pilot, lambda: screen.outcome is not None and not screen.busy)
        assert screen.outcome.correct
        bar = screen.query_one(RatingBar)
        start, _end, rating = bar._cells[-1]  # Easy, the last cell
        assert rating == Rating.Easy
        await pilot.click(RatingBar, offset=(bar.styles.gutter.left + start + 2, 0))
        await settled(pilot, lambda: screen.item is not item and not screen.busy)


async def test_restart_keeps_progress(make_app, clock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=True)
        await pilot.press("enter")
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)
        await answer(pilot, right=False)
        await pilot.press("ctrl+q")
    app.close_engine()
    clock.advance(minutes=30)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        today = again.screen.overview and again.engine.today()
        assert today.reviews == 2 and today.right == 1
        text = static_text(again, "#today")
        assert "2 reviews" in text and "50% right" in text
        row = again.screen.overview[0]
        assert row.new == 1 and row.due >= 1


async def test_broken_packs_are_named_on_home(make_app) -> None:
    app = make_app(problems=["/x/broken could not be loaded (2 problems): run `nkstudy validate /x/broken`"])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "nkstudy validate /x/broken" in static_text(app, "#home-hint")


async def test_dont_know_is_wrong_and_leaves_footer(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await pilot.pause()
        if screen.item.question.id == "q-typed":
            await pilot.press("enter")  # an empty line means "don't know"
        else:
            await pilot.press("d")
        await settled(pilot, lambda: screen.outcome is not None and not screen.busy)
        assert not screen.outcome.correct
        feedback = static_text(app, "#feedback")
        assert "✗ Don't know" in feedback and "Wrong" not in feedback and "you answered" not in feedback
        assert "dont_know" not in {b.binding.action for b in screen.active_bindings.values()}


async def _drill(pilot, question_id: str) -> StudyScreen:
    await ready(pilot)
    pilot.app.start_study(StudyRequest(pack_ids=["test-pack"], question_ids=[question_id], practice=True))
    await settled(pilot, lambda: isinstance(pilot.app.screen, StudyScreen))
    screen = pilot.app.screen
    await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    return screen


async def test_order_reordered_by_keyboard(make_app, pack_dir) -> None:
    from nkstudy.core.packs.loader import load_pack

    app = make_app(packs=[load_pack(pack_dir).pack])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _drill(pilot, "q-order")
        shown = list(screen.item.shown)
        assert shown != list(screen.item.question.answer)
        await pilot.press("shift+down")  # two items, shown reversed: one move puts them right
        order = screen.query_one("#choices")
        order.action_move(-1)  # two quick moves, before either is drawn: up and back down again
        order.action_move(1)
        await pilot.pause()
        await pilot.press("enter")
        await settled(pilot, lambda: screen.outcome is not None)
        assert screen.outcome.correct


async def test_multi_toggles_with_space_and_digits(make_app, pack_dir) -> None:
    from nkstudy.core.packs.loader import load_pack

    app = make_app(packs=[load_pack(pack_dir).pack])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _drill(pilot, "q-multi")
        item = screen.item
        keys = [str(item.shown.index(o) + 1) for o in item.question.answer]
        wrong = next(str(i) for i, o in enumerate(item.shown, 1) if o not in item.question.answer)
        await pilot.press(*keys, wrong, wrong, "enter")  # toggling twice takes it back
        await settled(pilot, lambda: screen.outcome is not None)
        assert screen.outcome.correct


async def test_unusable_data_dir_is_reported_once(make_app, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = make_app(data_dir=blocker)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, lambda: app.errors)
        assert app.engine is None
        today = static_text(app, "#today")
        assert "Your progress cannot be kept" in today and str(blocker) in today
        assert not list(app._notifications)  # said once, on the home screen, not in a notice as well
        await pilot.press("enter")  # trying to study is answered with the same reason, not "still opening"
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [n.message for n in app._notifications] == [app.engine_problem]
        app.action_stats()  # from the palette: no stats screen that says "Loading…" forever
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        footer = {b.binding.id: b.enabled for b in app.screen.active_bindings.values()}
        assert footer["home.stats"] is False and footer["home.settings"] is False
        await pilot.press("r")  # the packs can still be read
        await settled(pilot, lambda: isinstance(app.screen, ReaderScreen))


async def test_a_click_toggles_a_multi_option_without_checking_the_answer(make_app, pack_dir) -> None:
    from nkstudy.core.packs.loader import load_pack

    app = make_app(packs=[load_pack(pack_dir).pack])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _drill(pilot, "q-multi")
        widget = screen.query_one("#answer")
        await pilot.click("#choices", offset=(4, 1))  # the first option, below the border
        await pilot.click("#choices", offset=(4, 2))
        await pilot.pause()
        assert widget.picked == {0, 1}
        assert screen.outcome is None  # clicks only toggle; Enter or Check checks
        await pilot.click("#check")
        await settled(pilot, lambda: screen.outcome is not None)
