"""Pack text full of terminal controls shows escaped in the app, never obeyed.

The loader refuses such packs; these tests build the pack objects around it, so that the
app's own escaping (defence in depth) is what is tested.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

from tui_helpers import press_to, settled, start_study

from nkstudy.core.model import ChoiceQuestion, Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.tui.study.screens.reader import ReaderScreen
from packfactory import write_pack

SIZE = (80, 24)
ESC_CLEAR = "\x1b[2J"
CSI = "\x9b"  # the one-byte C1 control sequence introducer
RLO = "\u202e"  # right-to-left override
OSC52 = "\x1b]52;c;aGk=\x07"  # would write the clipboard


def hostile_pack(tmp_path: Path) -> Pack:
    pack = load_pack(write_pack(tmp_path / "p")).pack
    assert pack is not None
    q = pack.question("q-choice")
    assert isinstance(q, ChoiceQuestion)
    evil = dataclasses.replace(
        q,
        prompt=f"{ESC_CLEAR}Where [@click=app.quit]? {OSC52}",
        options=(f"Pyongyang{CSI}31m", f"Beijing{RLO}gnijieB", "Dalian", "Tokyo"),
        answer=f"Pyongyang{CSI}31m",
        explanation=f"Because{ESC_CLEAR} it says so.",
    )
    source = dataclasses.replace(pack.sources["art"], title=f"Article{RLO} title")
    return dataclasses.replace(pack, questions=(evil,), sources={"art": source},
                               info=dataclasses.replace(pack.info, title=f"Test{ESC_CLEAR} pack"))


def shown(app) -> str:
    """The characters on screen, from the app's own screenshot (SVG) with its markup taken off."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg.split("</style>")[-1])).replace("\xa0", " ")


def assert_escaped(rendered: str) -> None:
    for raw in ("\x1b", "\x9b", "\u202e", "\x07"):
        assert raw not in rendered, repr(raw)
    assert "\\x1b[2J" in rendered


async def test_question_feedback_and_reader_show_controls_escaped(make_app, tmp_path: Path) -> None:
    app = make_app(packs=[hostile_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, lambda: app.engine is not None)
        home = shown(app)
        assert "Test\\x1b[2J pack" in home and "\x1b" not in home
        screen = await start_study(pilot)
        asked = shown(app)
        assert_escaped(asked)
        assert "[@click=app.quit]" in asked  # shown literally, not a link
        assert "\\x9b" in asked and "\\u202e" in asked
        await pilot.press("1" if screen.item.shown[0].startswith("Pyongyang") else "2")
        await settled(pilot, lambda: screen.outcome is not None)
        assert_escaped(shown(app))
        await press_to(pilot, "o", ReaderScreen)
        await pilot.pause()
        reader = shown(app)
        assert "\u202e" not in reader and "\\u202e" in reader
        assert app.is_running  # [@click=app.quit] never ran
