"""A pack as one Markdown document, for reading and printing (export only)."""

from __future__ import annotations

from nkstudy.core.model import Pack


def _esc(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def export(pack: Pack) -> tuple[str, list[str]]:
    info = pack.info
    out = [f"# {_esc(info.title)}", "", _esc(info.description), "", f"`{info.id}` version {_esc(info.version)}", ""]
    for n, q in enumerate(pack.questions, start=1):
        out += [f"## {n}. {_esc(q.prompt)}", ""]
        for option in q.choices():
            out.append(f"- {_esc(option)}")
        if q.choices():
            out.append("")
        out += [f"**Answer:** {_esc(q.answer_text())}", ""]
        if q.explanation:
            out += [_esc(q.explanation), ""]
        source = pack.sources.get(q.source) if q.source else None
        if q.excerpt:
            out += ["> " + _esc(" ".join(q.excerpt.split())), ""]
        if source is not None:
            out += [f"*{_esc(source.title)}* ({_esc(source.dateline())})", ""]
    return "\n".join(out), []
