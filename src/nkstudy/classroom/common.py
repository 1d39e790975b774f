"""Small helpers shared by the report and the worksheet renderers."""

from __future__ import annotations

import base64
import html
import re

from nkstudy.core.media import is_image, mime_type, read_media
from nkstudy.core.model import Pack, Question
from nkstudy.core.text import unclosed_quote, visible

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!{}])")
LETTERS = "ABCDEFGHIJ"

PRINT_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       color: #111; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.meta { color: #444; font-size: .95em; } code { font-family: 'DejaVu Sans Mono', monospace; font-size: .95em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; font-size: .95em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #eee; } td.num, th.num { text-align: right; white-space: nowrap; }
blockquote { margin: .3em 0 .3em 1em; padding-left: .8em; border-left: 3px solid #bbb; color: #333; }
.cite { font-style: italic; color: #444; font-size: .92em; }
img.media { max-width: 100%; max-height: 20em; } .low { background: #fde2e2; } .neg { color: #a00; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; }
               tr, li, .q { break-inside: avoid; } }
""".strip()


def one_line(text: str) -> str:
    """``text`` on one line, runs of whitespace folded, control characters shown visibly."""
    return visible(" ".join(text.split()))


def h(text: str) -> str:
    """Untrusted text for HTML: one line, visible controls, escaped."""
    return html.escape(one_line(text), quote=True)


def md(text: str) -> str:
    """Untrusted text for Markdown: one line, visible controls, markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def citation(pack: Pack | None, question: Question) -> str:
    """"Title" (Outlet, 2024-04-13): the source a question cites, or its id when the pack lacks it."""
    if question.source is None:
        return "no cited source"
    source = pack.sources.get(question.source) if pack is not None else None
    if source is None:
        return f"source {question.source}"
    return f"“{source.title}” ({source.dateline()})"


def media_html(pack: Pack | None, question: Question) -> str:
    """The question's pictures as ``<img>`` with data: URIs (the page stays one file) and its sounds
    by name; each file checked again as it is read (:func:`nkstudy.core.media.read_media`)."""
    if pack is None or not question.media:
        return ""
    parts = []
    for entry in question.media:
        name = entry.split("/", 1)[-1]
        data = read_media(pack.path, entry) if is_image(name) else None
        if data is not None:
            uri = f"data:{mime_type(name)};base64,{base64.b64encode(data).decode('ascii')}"
            parts.append(f'<img class="media" src="{uri}" alt="{h(name)}">')
        else:
            parts.append(f'<span class="media">[{"picture" if is_image(name) else "sound"}: {h(name)}]</span>')
    return f'<p class="media">{" ".join(parts)}</p>'


def excerpt(question: Question) -> str:
    return " ".join((question.excerpt or "").split())


def closed(passage: str) -> str:
    """A passage as printed in a quote block: a quotation it opens and does not close, closed."""
    return passage + unclosed_quote(passage)


def page(title: str, body: str, extra_css: str = "") -> str:
    """One self-contained HTML page (inline CSS, no external assets); ``title`` is escaped here."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{h(title)}</title>\n<style>\n{PRINT_CSS}\n{extra_css}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
