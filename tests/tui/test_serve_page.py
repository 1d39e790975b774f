"""The page ``nkstudy serve`` gives a browser: its font comes from this server, and every
screen's header icon is a character that font has (Textual's ⭘ drew as a missing-glyph box)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import textual_serve

from nkstudy.tui.classroom.web import TEMPLATES
from nkstudy.tui.widgets.header import HEADER_ICON

STATIC = Path(textual_serve.__file__).parent / "static"


def _characters(font: Path) -> set[int]:
    """The code points a TrueType font maps to glyphs (its cmap's format 4 table: the BMP)."""
    data = font.read_bytes()
    tables = struct.unpack(">H", data[4:6])[0]
    cmap = next(struct.unpack(">I", data[12 + 16 * i + 8:12 + 16 * i + 12])[0]
                for i in range(tables) if data[12 + 16 * i:12 + 16 * i + 4] == b"cmap")
    count = struct.unpack(">H", data[cmap + 2:cmap + 4])[0]
    for n in range(count):
        offset = cmap + struct.unpack(">I", data[cmap + 4 + 8 * n + 4:cmap + 4 + 8 * n + 8])[0]
        if struct.unpack(">H", data[offset:offset + 2])[0] != 4:
            continue
        segments = struct.unpack(">H", data[offset + 6:offset + 8])[0] // 2
        ends = struct.unpack(f">{segments}H", data[offset + 14:offset + 14 + 2 * segments])
        starts_at = offset + 16 + 2 * segments
        starts = struct.unpack(f">{segments}H", data[starts_at:starts_at + 2 * segments])
        return {c for start, end in zip(starts, ends, strict=True) for c in range(start, end + 1) if c != 0xFFFF}
    raise AssertionError(f"{font.name} has no format 4 cmap")


def test_the_page_serves_its_font_and_the_header_icon_is_in_it() -> None:
    page = (TEMPLATES / "serve.html").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("\{\{ static_url \}\}(fonts/[^"]+)"\)', page)
    assert len(fonts) == 2 and all((STATIC / f).is_file() for f in fonts), fonts
    regular = _characters(STATIC / "fonts" / "RobotoMono-VariableFont_wght.ttf")
    assert ord("A") in regular and ord("…") in regular  # the table is read right
    assert ord("⭘") not in regular  # Textual's own icon: the box a browser drew
    assert len(HEADER_ICON) == 1 and ord(HEADER_ICON) in regular
    assert "https://" not in page and "http://" not in page  # nothing from elsewhere
