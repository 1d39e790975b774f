"""The media key in the app: m (or Ctrl+G while typing) shows the question's pictures and sounds;
Enter opens the highlighted one in the system viewer (a stand-in opener on PATH records its argv)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tui_helpers import settled, start_study

from mediakit import mp3, png
from nkstudy.core.packs.loader import load_pack
from nkstudy.tui import media as tui_media
from nkstudy.tui.study.screens.media import MediaScreen
from packfactory import PACK_YAML, write_pack

SIZE = (80, 24)
ONE = """\
questions:
  - id: q-map
    type: choice
    prompt: "Which river is on the map?"
    options: [Yalu, Tumen]
    answer: Yalu
    media: [media/map.png, media/say.mp3]
"""


def media_pack(tmp_path: Path):
    folder = write_pack(tmp_path / "mp", PACK_YAML, ONE)
    (folder / "media").mkdir()
    (folder / "media/map.png").write_bytes(png(8, 8))
    (folder / "media/say.mp3").write_bytes(mp3())
    result = load_pack(folder)
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


def fake_opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in xdg-open (the edge: an outside program) that writes the arguments it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "opened.txt"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


async def test_m_lists_the_media_and_enter_opens_the_picture(make_app, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_opener(tmp_path, monkeypatch)
    pack = media_pack(tmp_path)
    app = make_app(packs=[pack])
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        assert "map.png" in str(screen.query_one("#prompt").render())
        await pilot.press("m")
        await settled(pilot, lambda: isinstance(app.screen, MediaScreen))
        files = app.screen.query_one("#media-files")
        assert files.option_count == 2
        await pilot.press("enter")
        await settled(pilot, lambda: log.exists() and log.read_text(encoding="utf-8").strip())
        assert log.read_text(encoding="utf-8").splitlines() == [str((pack.path / "media/map.png").absolute())]
        await pilot.press("escape")
        await settled(pilot, lambda: app.screen is screen)
        assert screen.outcome is None  # the question is still waiting for its answer
        assert not app.errors


async def test_without_a_viewer_a_notice_names_the_file(make_app, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    pack = media_pack(tmp_path)
    app = make_app(packs=[pack])
    async with app.run_test(size=SIZE) as pilot:
        await start_study(pilot)
        await pilot.press("m")
        await settled(pilot, lambda: isinstance(app.screen, MediaScreen))
        await pilot.press("enter")
        await settled(pilot, lambda: any("No picture viewer" in n.message for n in app._notifications))
        assert any(str(pack.path.absolute() / "media/map.png") in n.message for n in app._notifications)


async def test_the_picture_is_drawn_in_the_terminal_with_textual_image(make_app, tmp_path: Path) -> None:
    pack = media_pack(tmp_path)
    tui_media.prepare([pack])
    try:
        app = make_app(packs=[pack])
        async with app.run_test(size=SIZE) as pilot:
            await start_study(pilot)
            await pilot.press("m")
            await settled(pilot, lambda: isinstance(app.screen, MediaScreen))
            assert app.screen.query("#media-picture")
    finally:
        tui_media._state.clear()


async def test_a_question_without_media_has_no_media_key(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        assert not screen.item.question.media
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, MediaScreen)


def test_a_small_file_that_unpacks_to_a_huge_picture_is_not_drawn(tmp_path: Path) -> None:
    pack = media_pack(tmp_path)
    (pack.path / "media/map.png").write_bytes(png(5000, 4000))  # 20 million pixels in a small file
    assert (pack.path / "media/map.png").stat().st_size < 1024 * 1024
    tui_media.prepare([pack])
    try:
        assert tui_media.image_widget(pack, "media/map.png") is None
        (pack.path / "media/map.png").write_bytes(png(8, 8))
        assert tui_media.image_widget(pack, "media/map.png") is not None
    finally:
        tui_media._state.clear()


async def test_while_typing_m_is_a_letter_and_ctrl_g_opens_the_media(make_app, tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "typed", PACK_YAML, ONE.replace("type: choice", "type: typed")
                        .replace("    options: [Yalu, Tumen]\n", ""))
    (folder / "media").mkdir()
    (folder / "media/map.png").write_bytes(png())
    (folder / "media/say.mp3").write_bytes(mp3())
    result = load_pack(folder)
    assert result.pack is not None, [p.format() for p in result.problems]
    app = make_app(packs=[result.pack])
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, MediaScreen)
        assert screen.query_one("Input").value == "m"
        await pilot.press("ctrl+g")
        await settled(pilot, lambda: isinstance(app.screen, MediaScreen))
