"""The keeps/loses table of docs/authoring.md is measured: each format's export of the built-in
pack is imported back, and what survives for every question that comes back must be what the
table says."""

from __future__ import annotations

import re
from pathlib import Path

from formatkit import REPO

from nkstudy.core.model import Pack, Question
from nkstudy.formats import export_pack, import_files
from nkstudy.formats.registry import writers

COLUMNS = ("pack title", "type", "id", "tags", "accepted spellings", "related", "source and excerpt", "difficulty")


def _measure(a: Question, b: Question) -> dict[str, bool]:
    return {
        "type": a.type_name == b.type_name,
        "id": a.id == b.id,
        "tags": a.tags == b.tags,
        "accepted spellings": getattr(a, "accept", ()) == getattr(b, "accept", ()),
        "related": a.related == b.related,
        "source and excerpt": (a.source, a.excerpt) == (b.source, b.excerpt),
        "difficulty": a.difficulty == b.difficulty,
    }


def measured(pack: Pack, tmp: Path) -> dict[str, dict[str, bool]]:
    def key(q: Question) -> str:
        return q.prompt.split("\n")[0].strip()

    out: dict[str, dict[str, bool]] = {}
    for fmt in (f for f in writers() if f.read is not None):
        exported = export_pack(pack, fmt.name, timestamp=1_700_000_000)
        path = tmp / f"pack{exported.suffix}"
        path.write_bytes(exported.data)
        result = import_files([path], fmt.name)
        back = {key(q): q for q in result.questions}
        pairs = [(q, back[key(q)]) for q in pack.questions if key(q) in back]
        assert pairs, fmt.name
        results = [_measure(a, b) for a, b in pairs]
        # a property counts as kept when every question that comes back keeps it (where it has it)
        out[fmt.name] = {c: all(r[c] for r in results) for c in COLUMNS[1:]}
        # the title an import of the file suggests for the pack (GIFT's $CATEGORY, the JSON's pack)
        out[fmt.name]["pack title"] = result.title == pack.title
    return out


def documented() -> dict[str, dict[str, bool]]:
    text = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    block = text.split("<!-- keeps and loses: measured by tests/formats/test_keeps_table.py -->")[1]
    rows = [line for line in block.strip().splitlines() if line.startswith("| `")]
    out = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        name = re.sub(r"`", "", cells[0])
        out[name] = {c: cell == "kept" for c, cell in zip(COLUMNS, cells[1:], strict=True)}
    return out


def test_the_keeps_and_loses_table_is_what_round_trips_measure(builtin: Pack, tmp_path: Path) -> None:
    assert any(getattr(q, "accept", ()) for q in builtin.questions) and any(q.related for q in builtin.questions)
    assert documented() == measured(builtin, tmp_path)
