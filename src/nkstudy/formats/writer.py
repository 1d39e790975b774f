"""Write imported questions as a pack folder (pack.yaml and questions/, one file per imported file).

Imported questions cite no source: ``source`` and ``excerpt`` are written only when
a question has them, so the pack validates, and ``nkstudy validate --strict`` lists
every question that still needs one.  Tags are written as the questions hold them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from nkstudy.core.model import Question
from nkstudy.formats.common import FormatError, Imported, ImportResult, check_new_folder, slug, unique_name

SCHEMA_HINT = "# yaml-language-server: $schema={schema}\n"


def question_entry(q: Question) -> dict[str, Any]:
    """A question as pack YAML holds it: the common fields and its class's own fields."""
    out: dict[str, Any] = {"id": q.id, "type": q.type_name, "prompt": q.prompt}
    options = getattr(q, "options", None)
    for name in sorted(q.own_fields(), key=lambda n: (n != "options", n)):
        value = getattr(q, name)
        if isinstance(value, frozenset):
            value = [o for o in (options or sorted(value)) if o in value]
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
            if not value:
                continue
        out[name] = value
    if q.source:
        out["source"] = q.source
    if q.excerpt:
        out["excerpt"] = q.excerpt
    if q.explanation:
        out["explanation"] = q.explanation
    if q.tags:
        out["tags"] = list(q.tags)
    if q.difficulty != "medium":
        out["difficulty"] = q.difficulty
    if q.event:
        out["event"] = q.event
    return out


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def questions_yaml(items: list[Imported], header: str = "") -> str:
    parts = [header, "questions:\n"]
    for item in items:
        block = _dump([question_entry(item.question)])
        parts.append("".join("  " + line if line.strip() else line for line in block.splitlines(True)))
    return "".join(parts)


def write_pack(
    result: ImportResult,
    dest: Path,
    *,
    pack_id: str,
    title: str,
    description: str | None = None,
    language: str = "en",
    version: str = "1.0.0",
) -> Path:
    """Write ``result`` as a new pack folder at ``dest`` (which must not hold files)."""
    check_new_folder(dest)
    if not result.items:
        raise FormatError(dest, None, "nothing to write: no question was imported")
    dest.mkdir(parents=True, exist_ok=True)
    files = sorted({item.origin for item in result.items}, key=lambda p: str(p))
    pack: dict[str, Any] = {
        "id": pack_id,
        "title": title,
        "version": version,
        "description": description or f"Imported from {', '.join(p.name for p in files)}.",
        "language": language,
    }
    includes = []
    used: set[str] = set()
    (dest / "questions").mkdir(exist_ok=True)
    for origin in files:
        name = unique_name(slug(origin.stem) or "imported", used)
        rel = f"questions/{name}.yaml"
        items = [item for item in result.items if item.origin == origin]
        (dest / rel).write_text(questions_yaml(items, f"# Imported from {origin.name}\n"), encoding="utf-8")
        includes.append(rel)
    pack["include"] = includes
    (dest / "pack.yaml").write_text(_dump(pack), encoding="utf-8")
    return dest
