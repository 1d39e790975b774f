"""The ``media:`` field of a question: a real image or sound inside the pack's media/ folder, or one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mediakit import png
from nkstudy.core.media import MAX_MEDIA_BYTES, read_media, safe_name, sniff
from nkstudy.core.packs.loader import load_pack
from packfactory import QUESTIONS_YAML, write_pack


def with_media(tmp_path: Path, entry: str) -> Path:
    questions = QUESTIONS_YAML.replace("    tags: [when]\n", f"    tags: [when]\n    media: [{entry!r}]\n", 1)
    assert questions != QUESTIONS_YAML
    folder = write_pack(tmp_path / "p", questions_yaml=questions)
    (folder / "media").mkdir()
    return folder


def problems(folder: Path) -> list[str]:
    result = load_pack(folder)
    assert result.pack is None
    return [p.format(relative_to=folder) for p in result.problems]


def test_a_real_png_in_media_loads(tmp_path: Path) -> None:
    folder = with_media(tmp_path, "media/map.png")
    (folder / "media/map.png").write_bytes(png())
    result = load_pack(folder)
    assert result.ok and result.pack is not None
    assert result.pack.question("q-tf").media == ("media/map.png",)
    assert read_media(folder, "media/map.png") == png()


@pytest.mark.parametrize("entry", ["../../x.png", "media/../pack.yaml", "/etc/passwd", "media/sub/x.png",
                                   "media/.hidden.png", "media/a\x1bb.png"])
def test_a_path_outside_media_is_one_line(tmp_path: Path, entry: str) -> None:
    folder = with_media(tmp_path, entry)
    found = problems(folder)
    assert len(found) == 1 and found[0].startswith("questions.yaml:") and "media" in found[0]
    assert "\x1b" not in found[0]


def test_a_fake_png_that_is_text_is_one_line(tmp_path: Path) -> None:
    folder = with_media(tmp_path, "media/map.png")
    (folder / "media/map.png").write_text("<svg onload=alert(1)>", encoding="utf-8")
    (found,) = problems(folder)
    assert "media/map.png" in found and "questions.yaml:" in found


def test_an_oversized_file_is_one_line(tmp_path: Path) -> None:
    folder = with_media(tmp_path, "media/map.png")
    (folder / "media/map.png").write_bytes(png() + b"\x00" * MAX_MEDIA_BYTES)
    (found,) = problems(folder)
    assert "media/map.png" in found


def test_a_symlink_is_one_line_and_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(png())
    folder = with_media(tmp_path, "media/map.png")
    os.symlink(tmp_path / "outside.png", folder / "media/map.png")
    (found,) = problems(folder)
    assert "media/map.png" in found
    assert read_media(folder, "media/map.png") is None


def test_a_missing_file_and_a_mismatched_kind_are_refused(tmp_path: Path) -> None:
    folder = with_media(tmp_path, "media/map.gif")
    assert len(problems(folder)) == 1
    (folder / "media/map.gif").write_bytes(png())
    (found,) = problems(folder)
    assert "PNG" in found


def test_sniff_and_safe_name() -> None:
    assert sniff(png()[:16]) == "png"
    assert sniff(b"GIF89a....") == "gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff(b"<svg xmlns=") is None
    assert safe_name("../../x.png") == "x.png"
    assert safe_name("C:\\pics\\Ünïcode map!.PNG") == "Unicode-map.png"
    assert safe_name("....") == "media"
    assert safe_name("a..b.png") == "a.b.png"
    assert safe_name("noext", "jpeg") == "noext.jpg"
