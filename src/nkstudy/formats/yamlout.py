"""Writing questions as pack YAML quickly, for large imports.

A question entry holds only text, true/false, lists of text and lists of pairs, so it is
written here directly rather than through a general YAML emitter (many times slower on
a large import).  Text is written plain when YAML reads it back as the same text, and
otherwise double-quoted with JSON's escapes (which YAML reads the same way), so every
written value loads back exactly; a test holds that on arbitrary text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache

from yaml.resolver import Resolver

_RESOLVERS = Resolver.yaml_implicit_resolvers
# a plain scalar may not start with an indicator or a space, nor hold ': ', ' #' or a tab, nor end
# in ':' or a space
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# characters YAML does not allow raw in a stream, or reads as line breaks: always escaped
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _plain_ok(text: str) -> bool:
    if not text or not text.isprintable():
        return False
    first, last = text[0], text[-1]
    if first in _INDICATORS or first.isspace() or last == ":" or last.isspace():
        return False
    if ": " in text or " #" in text or "\t" in text:
        return False
    for _tag, regexp in _RESOLVERS.get(text[0], ()):
        if regexp.match(text):
            return False  # YAML would read it as a number, a date, true/false or null
    return True


def text(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly this text."""
    if len(value) <= _SHORT:  # tags and short answers repeat across a large import
        return _short(value)
    return value if _plain_ok(value) else _quoted(value)


_SHORT = 40


@lru_cache(maxsize=8192)
def _short(value: str) -> str:
    return value if _plain_ok(value) else _quoted(value)


def _quoted(value: str) -> str:
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def scalar(value: object) -> str:
    if type(value) is str:
        return text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return text(str(value))


def list_item(entry: Mapping[str, object], indent: str = "  ") -> str:
    """``entry`` as one item of a YAML list, each line starting with ``indent``."""
    lines: list[str] = []
    first = True
    inner = indent + "  "
    for key, value in entry.items():
        lead = indent + "- " if first else inner
        first = False
        if isinstance(value, (list, tuple)):
            if not value:
                lines.append(f"{lead}{key}: []")
                continue
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, (list, tuple)):
                    lines.append(f"{inner}- [{', '.join(_quoted(str(v)) for v in item)}]")
                else:
                    lines.append(f"{inner}- {scalar(item)}")
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"
