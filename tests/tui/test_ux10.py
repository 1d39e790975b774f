"""The app parts of issue 10: the study session from `nkstudy study`, feedback at 80×24,
profiles, and the smaller things a new user met."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tui_helpers import answer, press_to, ready, settled, start_study, static_text
from tuipack import ARTICLE, PACK_YAML, TRAIN

from nkstudy.core.packs.discovery import PackPlace, discover, good_packs
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.study.schedule import Rating
from nkstudy.core.study.session import StudyRequest
from nkstudy.paths import builtin_pack_dir
from nkstudy.tui.screens.confirm import ConfirmScreen
from nkstudy.tui.study.screens.home import HomeScreen
from nkstudy.tui.study.screens.profile import ProfileScreen
from nkstudy.tui.study.screens.reader import ReaderScreen
from nkstudy.tui.study.screens.settings import SettingsScreen
from nkstudy.tui.study.screens.study import StudyScreen
from nkstudy.tui.study.screens.summary import SummaryScreen
from nkstudy.tui.widgets.rating import RatingBar
from packfactory import write_pack as write_shared_pack

SIZE = (80, 24)

LONG_EXPLANATION = (
    "The article says the meeting was in the capital Pyongyang. "
    + "It names the city twice, once in the opening line and once where it describes the talks. " * 12
)


def long_pack(tmp_path: Path):
    """The test pack with an explanation long enough to push the citation below 80×24."""
    yaml = PACK_YAML.replace("explanation: The article says the meeting was in the capital Pyongyang.",
                             f"explanation: {LONG_EXPLANATION}")
    folder = write_shared_pack(tmp_path / "long", yaml, questions_yaml=None,
                               sources={"sources/art.txt": ARTICLE, "sources/train.txt": TRAIN})
    return load_pack(folder).pack


def builtin_packs():
    return good_packs(discover([PackPlace(builtin_pack_dir(), "builtin")]))


async def drill(pilot, question_id: str, practice: bool = True) -> StudyScreen:
    await ready(pilot)
    pilot.app.start_study(StudyRequest(pack_ids=["tui-pack"], question_ids=[question_id], practice=practice))
    await settled(pilot, lambda: isinstance(pilot.app.screen, StudyScreen))
    screen = pilot.app.screen
    await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    return screen


# -- item 2: `nkstudy study --tag where --limit 2 --practice` opens that session ---------------
async def test_app_opens_the_requested_session(make_app) -> None:
    packs = builtin_packs()
    app = make_app(packs=packs, start=StudyRequest(tags=["where"], limit=2, practice=True))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, lambda: isinstance(app.screen, StudyScreen))
        screen = app.screen
        await settled(pilot, lambda: screen.item is not None and not screen.busy)
        status = static_text(app, "#status")
        assert "1 of 2" in status and "practice" in status
        assert screen.session.practice
        asked = []
        for _ in range(2):
            asked.append(screen.item.question)
            screen.action_dont_know()  # the d key (a typed question would type it)
            await settled(pilot, lambda: screen.outcome is not None and not screen.busy)
            await pilot.press("enter")
            await settled(pilot, lambda: isinstance(app.screen, SummaryScreen) or
                           (screen.outcome is None and not screen.busy))
        assert all("where" in q.tags for q in asked)
        await settled(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert app.screen.score.answered == 2


def _read_until(fd: int, pattern: str, timeout: float) -> str:
    seen = ""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready_fds, _w, _x = select.select([fd], [], [], 0.2)
        if ready_fds:
            try:
                chunk = os.read(fd, 65536).decode("utf-8", "replace")
            except OSError:
                break
            seen += chunk
            plain = re.sub(r"\x1b\[[0-9;?<>]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]", "", seen)
            if re.search(pattern, plain):
                return plain
    return re.sub(r"\x1b\[[0-9;?<>]*[ -/]*[@-~]", "", seen)


def test_nkstudy_study_command_opens_that_session_in_a_terminal(tmp_path) -> None:
    """The real command in a pseudo-terminal: the first screen drawn is the session, 1 of 2, practice."""
    main, child = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "NKSTUDY_HOME": str(tmp_path / "home"), "TERM": "xterm-256color",
           "COLUMNS": "100", "LINES": "24"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "nkstudy", "study", "--tag", "where", "--limit", "2",
                             "--practice"], stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    try:
        shown = _read_until(main, r"1 of 2.*practice", timeout=30)
        assert re.search(r"1 of 2.*practice", shown), shown[-2000:]
        os.write(main, b"\x11")  # Ctrl+Q
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)


# -- item 3: the whole feedback at 80×24 -------------------------------------------------------
async def test_feedback_scrolls_while_the_rating_keys_keep_working(make_app, tmp_path) -> None:
    app = make_app(packs=[long_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-city", practice=False)
        await answer(pilot, right=True)
        body = screen.query_one("#study-body")
        assert body.max_scroll_y > 0  # the long feedback does not fit: it must scroll
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("pageup", "down")
        await pilot.pause()
        assert body.scroll_y == 1
        await pilot.press("tab")  # Tab leaves the keys with the rating bar
        await pilot.pause()
        bar = screen.query_one(RatingBar)
        assert bar.has_focus
        assert "rating.next" in {b.binding.id for b in screen.active_bindings.values() if b.binding.show}
        await pilot.press("3")
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)


def test_feedback_citation_shows_after_scrolling_at_80x24(snap_compare, make_app, tmp_path) -> None:
    async def run_before(pilot) -> None:
        await drill(pilot, "q-city", practice=False)
        await answer(pilot, right=True)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert "Test Wire" in pilot.app.screen.query_one("#feedback").render().plain

    assert snap_compare(make_app(packs=[long_pack(tmp_path)]), terminal_size=SIZE, run_before=run_before)


# -- item 4: profiles --------------------------------------------------------------------------
async def test_profiles_list_answers_rename_and_delete(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start_study(pilot)
        await answer(pilot, right=True)
        await press_to(pilot, "escape", SummaryScreen)
        await press_to(pilot, "escape", HomeScreen)
        app.engine.switch_profile("other")
        app.engine.switch_profile("tester")
        dialog = await press_to(pilot, "u", ProfileScreen)
        await settled(pilot, lambda: dialog.summaries)
        options = dialog.query_one("#profiles")
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("tester" in line and "1 answer" in line for line in lines), lines
        assert any("other" in line and "0 answers" in line for line in lines), lines
        # the profile in use cannot be deleted, and the dialog says so
        await pilot.press("d")
        await pilot.pause()
        assert "profile in use" in static_text(app, "#profile-problem")
        assert app.engine.profile == "tester"
        # rename the one in use: the app follows
        await pilot.press("r")
        assert dialog.query_one("#new-profile").value == "tester"  # the old name, selected: typing replaces it
        await pilot.press(*"tester", "minus", *"two")
        await pilot.press("enter")
        await settled(pilot, lambda: app.profile == "tester-two")
        assert app.sub_title == "profile tester-two"
        assert "tester-two" in app.engine.profiles()
        # a name the engine refuses (empty once trimmed) is said in the dialog
        await settled(pilot, lambda: "tester-two" in dialog.summaries)
        await pilot.press("r", "space", "enter")
        await settled(pilot, lambda: static_text(app, "#profile-problem").strip())
        assert app.profile == "tester-two" and not app.errors
        await pilot.press("escape")  # stop renaming; the dialog stays
        await pilot.pause()
        assert app.screen is dialog and dialog.renaming is None
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("other")
        await press_to(pilot, "d", ConfirmScreen)
        assert "other" in str(app.screen.query_one("#confirm-question").render())
        await press_to(pilot, "n", ProfileScreen)
        assert "other" in app.engine.profiles()
        await press_to(pilot, "d", ConfirmScreen)
        await press_to(pilot, "y", ProfileScreen)
        await settled(pilot, lambda: "other" not in dialog.summaries)
        assert "other" not in app.engine.profiles()
        assert not app.errors


# -- item 6: the smaller things -----------------------------------------------------------------
async def test_home_footer_offers_settings_and_profile(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = {b.binding.id for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"home.settings", "home.profile"} <= shown
        footer_text = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "Settings" in footer_text and "Profile" in footer_text


async def test_practice_rating_bar_has_no_intervals(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-city", practice=True)
        await answer(pilot, right=True)
        text = screen.query_one(RatingBar).render().plain
        assert "Good" in text and "practice" in text
        assert not re.search(r"\d+[mhd]\b", text), text


async def test_wrong_answer_bar_shows_only_again_and_says_why(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-city", practice=False)
        await answer(pilot, right=False)
        bar = screen.query_one(RatingBar)
        text = bar.render().plain
        assert "Again" in text and "Hard" not in text and "Good" not in text and "Easy" not in text
        assert "wrong answer is rated Again" in text
        await pilot.press("3")
        await pilot.pause()
        assert screen.outcome is not None  # still on the feedback
        assert any("Good is not offered" in n.message for n in app._notifications)


async def test_rating_bar_reads_without_colour(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-city", practice=False)
        await answer(pilot, right=True)
        bar = screen.query_one(RatingBar)
        for key, rating in (("right", Rating.Easy), ("left", Rating.Good), ("left", Rating.Hard)):
            await pilot.press(key)
            text = bar.render()
            assert bar.selected == rating
            # the chosen one is in brackets, bold and underlined; nothing is reverse video
            assert f"[{RatingBar_index(rating)} {rating.name}" in text.plain
            chosen = text.plain.index(f"[{RatingBar_index(rating)}")
            styles = " ".join(str(s.style) for s in text.spans if s.start <= chosen < s.end)
            assert "bold" in styles and "underline" in styles
            assert not any("reverse" in str(s.style) for s in text.spans)


def RatingBar_index(rating: Rating) -> int:  # noqa: N802 - reads as the rating's key
    return list(Rating).index(rating) + 1


async def test_typed_question_keys_do_not_collide_with_typing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-typed", practice=True)
        await pilot.press(*"do u?")
        await pilot.pause()
        assert screen.query_one("#typed").value == "do u?"  # d, o, u and ? type into the box
        shown = {b.binding.id: b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert shown.get("study.article") == "ctrl+o" and shown.get("study.undo") == "ctrl+z"
        assert shown.get("app.help") == "f1"
        await press_to(pilot, "ctrl+o", ReaderScreen)
        await press_to(pilot, "escape", StudyScreen)
        await pilot.press("f1")
        await settled(pilot, lambda: type(app.screen).__name__ == "HelpScreen")


async def test_nothing_due_footer_has_no_question_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.start_study(StudyRequest(pack_ids=["tui-pack"], limit=0))
        await settled(pilot, lambda: isinstance(app.screen, StudyScreen))
        screen = app.screen
        await settled(pilot, lambda: screen.session is not None and not screen.busy)
        assert "Nothing is due" in static_text(app, "#prompt")
        shown = {b.binding.id for b in screen.active_bindings.values() if b.binding.show}
        assert not shown & {"study.dont_know", "study.article", "study.undo"}


async def test_summary_after_esc_says_ended_and_counts_what_p_gives(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=False)
        await pilot.press("enter")
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)
        await answer(pilot, right=False)
        summary = await press_to(pilot, "escape", SummaryScreen)
        assert "Session ended early" in static_text(app, "#summary-score")
        assert "Session complete" not in static_text(app, "#summary-score")
        assert "Missed (2)" in static_text(app, "#summary-missed")
        await pilot.press("p")
        await settled(pilot, lambda: isinstance(app.screen, StudyScreen) and app.screen.item is not None)
        assert app.screen.item.total == 2 == len(summary.missed)


async def test_summary_bullets_keep_their_indent(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-city", practice=True)
        await answer(pilot, right=False)
        await press_to(pilot, "escape", SummaryScreen)
        await pilot.pause()
        text = app.screen.query_one(".missed-text")
        bullet = app.screen.query_one(".bullet")
        assert text.region.height > 2  # the prompt wraps at 80 columns
        assert text.region.x == bullet.region.x + 2  # every line of the text starts after the bullet
        assert screen is not None


async def test_settings_error_names_the_label(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "comma", SettingsScreen)
        app.screen.query_one("#setting-desired-retention").value = "1.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = static_text(app, "#settings-error")
        assert error.startswith("Desired retention must") and "desired_retention" not in error


async def test_drill_from_the_reader_of_a_question_returns_home(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start_study(pilot)
        await press_to(pilot, "o", ReaderScreen)
        drill_screen = await press_to(pilot, "a", StudyScreen)
        await settled(pilot, lambda: drill_screen.item is not None and not drill_screen.busy)
        # one session at a time: the drill took the question's session's place
        assert sum(isinstance(s, StudyScreen) for s in app.screen_stack) == 1
        await press_to(pilot, "escape", HomeScreen)


@pytest.mark.parametrize("start", ["textual-dark", "dracula"])
async def test_ctrl_t_toggles_light_and_dark_from_any_dark_theme(make_app, start: str) -> None:
    app = make_app(theme=start)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_notice_does_not_cover_the_home_hint(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press_to(pilot, "comma", SettingsScreen)
        await press_to(pilot, "ctrl+s", HomeScreen)  # "Saved: …" is shown over home
        await pilot.pause()
        assert list(app._notifications)
        # notices stack up from the bottom right, over the pack table; the hint sits above the table
        hint = app.screen.query_one("#home-hint").region
        table = app.screen.query_one("#packs").region
        assert hint.height and hint.bottom <= table.y


def test_heatmap_labels_every_month_when_the_first_is_cut() -> None:
    from datetime import date

    from nkstudy.tui.widgets.charts import heatmap

    # 80 columns give 37 weeks; every month after the first (which may be cut) is named
    for end in (date(2024, 11, 23), date(2024, 12, 30), date(2025, 1, 6)):
        labels = heatmap({}, end, 37).plain.splitlines()[0]
        names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
        shown = [names.index(m) for m in labels.split()]
        assert len(shown) >= 8, labels
        assert all((b - a) % 12 == 1 for a, b in zip(shown, shown[1:], strict=False)), labels  # none skipped


async def test_timeline_event_column_has_a_header_and_fits_at_120(make_app) -> None:
    from nkstudy.tui.study.screens.timeline import TimelineScreen, short

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        timeline = await press_to(pilot, "t", TimelineScreen)
        table = timeline.query_one("#events")
        assert [str(c.label) for c in table.columns.values()] == ["Date", "Who", "Event", "Whom / where"]
        who = table.columns["who"].width
        assert all(len(short(e.who)) <= who for _p, e in timeline.rows)
        assert all(len(timeline.target(e)) <= table.columns["whom"].width for _p, e in timeline.rows)


async def test_the_reader_shows_the_article_title_once(make_app) -> None:
    from nkstudy.tui.study.screens.reader import Paragraph, ReaderScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await settled(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.query(Paragraph))
        reader = app.screen
        title = reader.pack.sources[reader.source_id].title
        shown = [str(reader.query_one("#article-head").render())]
        shown += [str(p.render()) for p in reader.query(Paragraph)]
        assert sum(text.count(title) for text in shown) == 1
        assert reader.query(Paragraph)  # the article itself is still there
