"""HTML to plain text, with a real parser (not a regex), keeping a list of the media it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "hr"}
_SKIP = {"script", "style", "head", "title"}
_MEDIA = {"img", "audio", "video", "object", "embed", "iframe", "svg"}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.media: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _MEDIA:
            src = dict(attrs).get("src") or tag
            self.media.append(src)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _MEDIA:
            self.media.append(dict(attrs).get("src") or tag)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


@dataclass(frozen=True)
class HtmlText:
    text: str
    media: tuple[str, ...]


def html_to_text(html: str) -> HtmlText:
    """Plain text of an HTML fragment (a real parser, not a regex), and its media."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return HtmlText(tidy("".join(parser.parts)), tuple(parser.media))


_TIDY = re.compile(r"[\n\t\f\v\u00a0]| {2}")


def tidy(text: str) -> str:
    """Collapse runs of spaces inside lines and blank lines between them."""
    if _TIDY.search(text) is None:
        return text.strip()  # the common case: one line, single spaces
    text = text.replace("\u00a0", " ")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip()


