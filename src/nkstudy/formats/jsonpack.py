"""nkstudy's own JSON export read back: every question with its id, tags, accepted answers,
related questions, citation, difficulty and event, and the pack's sources (with their text)
and events, so ``export --format json`` then ``import --format json`` gives the same pack.

The file is untrusted like any other: read through the safe reader, its shape checked, each
question checked by its class's own ``read``, and the written pack loaded before it is kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from nkstudy.core.model import QUESTION_TYPES
from nkstudy.formats.common import Entry, FormatError, ImportOptions, ImportResult, decode_text, one_line, read_input
from nkstudy.formats.media import read_media_records

_SOURCE_KEYS = ("id", "file", "title", "outlet", "published", "date_from_outside", "text")


def import_file(path: Path, options: ImportOptions | None = None) -> ImportResult:
    text = decode_text(read_input(path), path).text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(path, exc.lineno, f"not valid JSON ({exc.msg}); is it an `nkstudy export --format json`?") \
            from None
    except RecursionError:
        raise FormatError(path, None, "the JSON is nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise FormatError(path, 1, "expected an `nkstudy export --format json` file: an object with 'questions'")
    result = ImportResult(files=[path])
    pack = data.get("pack")
    if isinstance(pack, dict):
        result.pack_data["pack"] = {k: v for k, v in pack.items() if isinstance(v, str)}
        result.title = result.pack_data["pack"].get("title", "").strip() or None
    result.pack_data["sources"] = _records(data.get("sources"), _SOURCE_KEYS, path, result, "source")
    result.pack_data["events"] = _records(data.get("events"), None, path, result, "event")
    renamed = read_media_records(data.get("media"), path, result)
    for n, raw in enumerate(data["questions"], start=1):
        what = f"question {n}"
        if not isinstance(raw, dict) or raw.get("type") not in QUESTION_TYPES:
            result.skip(path, None, what, f"it is not a question of a known type ({', '.join(QUESTION_TYPES)})")
            continue
        entry = {k: v for k, v in raw.items() if v is not None}
        if isinstance(entry.get("media"), list):
            entry["media"] = [renamed[m] for m in entry["media"] if isinstance(m, str) and m in renamed]
        own = QUESTION_TYPES[raw["type"]].own_fields()
        missing = [name for name in own if name not in entry]
        if "answer" not in own and "answer" in entry and len(missing) == 1:
            entry[missing[0]] = entry.pop("answer")  # the export calls every type's answer "answer" (a card's back)
        qid = entry.get("id")
        if isinstance(qid, str):
            what = f"{raw['type']} question {qid!r}"
        else:
            what = f"{what} {one_line(str(raw.get('prompt')))!r}"
        result.add(cast(Entry, entry), path, None, name=qid if isinstance(qid, str) else None, exact_id=True,
                   what=what)
    return result


def _records(value: object, keys: tuple[str, ...] | None, path: Path, result: ImportResult,
             kind: str) -> list[dict[str, Any]]:
    """The export's list of sources or events: mappings of text, true/false and nothing, as given."""
    if value is None:
        return []
    if not isinstance(value, list):
        result.error(path, None, f"'{kind}s' must be a list; left out")
        return []
    out = []
    for item in value:
        if isinstance(item, dict) and all(isinstance(v, (str, bool)) or v is None for v in item.values()):
            out.append({k: v for k, v in item.items() if v is not None and (keys is None or k in keys)})
        else:
            result.error(path, None, f"a {kind} that is not a mapping of text left out")
    return out
