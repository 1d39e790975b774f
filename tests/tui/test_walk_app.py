"""What a new student's walk found in the app (issue 17), each through the real app and Pilot:
t/f keys, a confirm before checking an incomplete answer, the palette, the summary and "Nothing
is due" footers, the last profile, the profile dialog, the reader's headline, the timeline's Who
column, and a read-only database found at start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tui_helpers import press_to, ready, static_text, wait_for

from nkstudy.core.packs.discovery import PackPlace, discover, good_packs
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.study.session import StudyRequest
from nkstudy.engine import Engine
from nkstudy.paths import builtin_pack_dir
from nkstudy.tui.screens.confirm import ConfirmScreen
from nkstudy.tui.study.screens.profile import ProfileScreen
from nkstudy.tui.study.screens.reader import ReaderScreen
from nkstudy.tui.study.screens.study import StudyScreen
from nkstudy.tui.study.screens.summary import SummaryScreen
from nkstudy.tui.study.screens.timeline import TimelineScreen, short
from packfactory import CARD_MATCH_YAML, QUESTIONS_YAML, write_pack

SIZE = (80, 24)
ROOT = Path(__file__).resolve().parents[2]


def walk_pack(tmp_path: Path):
    both = QUESTIONS_YAML + CARD_MATCH_YAML.removeprefix("questions:\n")
    result = load_pack(write_pack(tmp_path / "walk", questions_yaml=both))
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


def shown_ids(screen) -> set[str]:
    return {b.binding.id for b in screen.active_bindings.values() if b.binding.show}


async def drill(pilot, question_id: str) -> StudyScreen:
    await ready(pilot)
    pilot.app.start_study(StudyRequest(pack_ids=["test-pack"], question_ids=[question_id], practice=True))
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, StudyScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    await pilot.pause()
    return screen


async def answered(pilot, screen) -> None:
    await wait_for(pilot, lambda: screen.outcome is not None and not screen.busy)


@pytest.mark.parametrize(("key", "said"), [("t", "True"), ("f", "False")])
async def test_t_and_f_answer_true_or_false(make_app, tmp_path: Path, key: str, said: str) -> None:
    app = make_app(packs=[walk_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-tf")
        await pilot.press(key)
        await answered(pilot, screen)
        assert screen.outcome.response_text == said


async def test_enter_on_a_multi_with_nothing_ticked_asks_first(make_app, tmp_path: Path) -> None:
    app = make_app(packs=[walk_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-multi")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert screen.outcome is None and "No option ticked" in static_text(app, "#answer .hint")
        await pilot.press("1", "1")  # ticked and unticked: the warning no longer holds, and is asked again
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert screen.outcome is None
        await pilot.press("enter")  # the second Enter checks it as it is
        await answered(pilot, screen)
        assert not screen.outcome.correct


async def test_enter_on_a_match_with_items_unpaired_asks_first(make_app, tmp_path: Path) -> None:
    app = make_app(packs=[walk_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-match")
        await pilot.press("1", "enter")
        await pilot.pause(0.2)
        assert screen.outcome is None and "1 of 2 items not paired" in static_text(app, "#answer .hint")
        await pilot.press("enter")
        await answered(pilot, screen)
        assert screen.outcome is not None


async def test_the_palette_leaves_out_textuals_developer_commands(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["Theme"]
        await pilot.press("ctrl+p")
        await pilot.press(*"screens")
        await pilot.pause(0.3)
        shown = " ".join(str(o.prompt) for o in app.screen.query("CommandList").first().options)
        assert "Screenshot" not in shown


async def test_the_summary_offers_practise_missed_only_after_a_miss(make_app, tmp_path: Path) -> None:
    app = make_app(packs=[walk_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill(pilot, "q-tf")
        await pilot.press("t")
        await answered(pilot, screen)
        summary = await press_to(pilot, "enter", SummaryScreen)
        await pilot.pause()
        assert "summary.practise" not in shown_ids(summary)
        await pilot.press("escape")
        screen = await drill(pilot, "q-tf")
        await pilot.press("f")
        await answered(pilot, screen)
        summary = await press_to(pilot, "enter", SummaryScreen)
        await pilot.pause()
        assert "summary.practise" in shown_ids(summary)


async def test_nothing_due_offers_no_next_even_after_the_help(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.start_study(StudyRequest(pack_ids=["tui-pack"], limit=0))
        await wait_for(pilot, lambda: isinstance(app.screen, StudyScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.session is not None and not screen.busy)
        await pilot.pause()
        assert "rating.next" not in shown_ids(screen)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await press_to(pilot, "escape", StudyScreen)
        await pilot.pause()
        assert "rating.next" not in shown_ids(screen) and app.focused is None


async def test_the_app_reopens_on_the_last_profile_and_never_remakes_a_deleted_one(make_app, data_dir: Path,
                                                                                   pack) -> None:
    for name in ("root", "ann"):
        Engine(data_dir, name, [pack]).close()
    app = make_app(profile="root", profile_given=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.engine.profile == "root"
        app.engine.switch_profile("ann")
        from nkstudy.tui.study.messages import ProfileSwitched

        app.post_message(ProfileSwitched("ann"))
        await wait_for(pilot, lambda: json.loads((data_dir / "app.json").read_text()).get("profile") == "ann")
    app = make_app(profile="root", profile_given=False)  # no --profile: the last one used
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.engine.profile == "ann" and app.sub_title == "profile ann"
        app.engine.delete_profile("root")
    (data_dir / "app.json").write_text(json.dumps({"profile": "gone"}))
    app = make_app(profile="root", profile_given=False)  # neither the saved one nor root is there
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.engine.profile == "ann"
        assert "root" not in app.engine.store.profile_names()
    app = make_app(profile="root")  # named: opened, made if need be
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.engine.profile == "root"


async def test_the_profile_dialog_says_a_refusal_and_centres_the_confirmation(make_app, data_dir: Path,
                                                                             pack) -> None:
    for name in ("bob", "cat"):
        Engine(data_dir, name, [pack]).close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        dialog = await press_to(pilot, "u", ProfileScreen)
        await wait_for(pilot, lambda: "bob" in dialog.summaries)
        await pilot.press("down")  # bob (the profile in use comes first)
        await pilot.press("r")
        box = dialog.query_one("#new-profile")
        box.value = "cat"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "already" in static_text(app, "#profile-problem"))
        assert not app.errors and not app._notifications  # in the dialog, not a toast
        await pilot.press("escape")  # keeps the old name; the line clears
        assert static_text(app, "#profile-problem").strip() == ""
        confirm = await press_to(pilot, "d", ConfirmScreen)
        await pilot.pause()
        region = confirm.query_one(".dialog").region
        assert abs(region.x - (SIZE[0] - region.right)) <= 1  # as much room left as right
        assert abs(region.y - (SIZE[1] - region.bottom)) <= 1
        await pilot.press("y")
        await wait_for(pilot, lambda: "Deleted" in static_text(app, "#profile-problem"))
        assert "bob" not in dialog.summaries


async def test_the_reader_shows_a_headline_once(make_app) -> None:
    packs = good_packs(discover([PackPlace(builtin_pack_dir(), "builtin")]))
    app = make_app(packs=packs)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        pack = packs[0]
        source = pack.sources["voa-2011"]
        assert source.text.count(source.title) == 2  # the file repeats it
        app.open_reader(pack.id, "voa-2011")
        reader = await wait_for_screen(pilot, ReaderScreen)
        await wait_for(pilot, lambda: reader.query(".para"))
        first = reader.paras[0]
        assert source.title not in source.text[first[0]:first[1]]


async def wait_for_screen(pilot, kind):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    return pilot.app.screen


async def test_the_timeline_keeps_a_list_of_names_whole(make_app) -> None:
    assert short("Kim Jong Il, North Korean leader") == "Kim Jong Il"
    assert short("Wang Hu Ning (Wang Huning), chairman") == "Wang Hu Ning (Wang Huning)"
    listed = "leaders from Japan, China and South Korea, including Chinese Premier Wen Jiabao"
    assert short(listed) == listed
    packs = good_packs(discover([PackPlace(builtin_pack_dir(), "builtin")]))
    app = make_app(packs=packs)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        timeline = await press_to(pilot, "t", TimelineScreen)
        await pilot.pause()
        table = timeline.query_one("#events")
        whos = [str(table.get_cell_at((row, 1))) for row in range(table.row_count)]
        assert any(w.startswith("leaders from Japan, China") for w in whos)
        assert "leaders from Japan" not in whos


def test_a_read_only_database_is_said_on_the_home_screen(tmp_path: Path) -> None:
    """Run in a child process where the file's permissions hold (root drops the capabilities
    that override them), through the real app and Pilot."""
    data = tmp_path / "data"
    Engine(data, "ann", []).close()
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a read-only file stays writable")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    script = f"""
import asyncio, sys
from datetime import UTC, datetime
from pathlib import Path
from nkstudy.tui.study.app import NkStudyApp

async def main():
    app = NkStudyApp([], Path({str(data)!r}), "ann", lambda: datetime(2024, 5, 6, tzinfo=UTC), theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(250):
            if app.engine_problem or app.engine:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        print("ENGINE", app.engine is not None)
        print("HOME", " ".join(str(w.render()) for w in app.screen.query("Static")))

asyncio.run(main())
"""
    (data / "progress.sqlite3").chmod(0o444)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run([*prefix, sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              timeout=120)
    finally:
        (data / "progress.sqlite3").chmod(0o644)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ENGINE False" in done.stdout
    assert "read-only" in " ".join(done.stdout.split())
