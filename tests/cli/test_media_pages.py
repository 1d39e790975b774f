"""A question's media on paper: the worksheet's HTML shows its picture (a data: URI), Markdown names it."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from mediakit import png
from nkstudy.cli import main
from packfactory import PACK_YAML, write_pack

ONE = """\
questions:
  - id: q-map
    type: typed
    prompt: "Which river is on the map?"
    answer: Yalu
    media: [media/map.png, media/say.mp3]
"""


def test_worksheet_html_shows_the_picture_and_names_the_sound(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_pack(home / "packs" / "test-pack", PACK_YAML, ONE)
    (folder / "media").mkdir()
    (folder / "media/map.png").write_bytes(png())
    (folder / "media/say.mp3").write_bytes(b"ID3\x03\x00" + b"\x00" * 64)
    assert main(["worksheet", "--seed", "1", "--count", "1", "--pack", "test-pack", "--format", "html"]) == 0
    page = capsys.readouterr().out
    uri = "data:image/png;base64," + base64.b64encode(png()).decode()
    assert f'<img class="media" src="{uri}" alt="map.png">' in page
    assert "[sound: say.mp3]" in page
    assert main(["worksheet", "--seed", "1", "--count", "1", "--pack", "test-pack"]) == 0
    md = capsys.readouterr().out
    assert "media: map.png" in md and "media: say.mp3" in md


def test_a_picture_swapped_for_text_after_loading_is_not_put_in_the_page(home: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_pack(home / "packs" / "test-pack", PACK_YAML, ONE)
    (folder / "media").mkdir()
    (folder / "media/map.png").write_bytes(png())
    (folder / "media/say.mp3").write_bytes(b"ID3\x03\x00" + b"\x00" * 64)
    assert main(["worksheet", "--seed", "1", "--count", "1", "--pack", "test-pack", "--format", "html"]) == 0
    capsys.readouterr()
    (folder / "media/map.png").write_bytes(b"<svg onload=alert(1)></svg>")
    assert main(["worksheet", "--seed", "1", "--count", "1", "--pack", "test-pack", "--format", "html"]) in (0, 1)
    out = capsys.readouterr().out
    assert "onload" not in out and "data:image" not in out and "[picture: map.png]" in out


def test_report_html_shows_a_questions_picture(home: Path) -> None:
    import dataclasses

    from drillkit import CODE, class_results
    from nkstudy.classroom.report import build_report
    from nkstudy.classroom.report_pages import render_html
    from nkstudy.core.packs.loader import load_pack

    folder = home / "packs" / "test-pack"
    pack = load_pack(folder).pack
    assert pack is not None
    results = class_results(pack)
    (folder / "media").mkdir()
    (folder / "media/map.png").write_bytes(png())
    first = dataclasses.replace(pack.questions[0], media=("media/map.png",))
    with_media = dataclasses.replace(pack, questions=(first, *pack.questions[1:]))
    page = render_html(build_report(CODE, results, [with_media]))
    uri = "data:image/png;base64," + base64.b64encode(png()).decode()
    assert f'<img class="media" src="{uri}" alt="map.png">' in page
    assert render_html(build_report(CODE, results, [pack])).count("data:image") == 0
