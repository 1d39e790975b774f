"""Safe YAML reading that keeps line numbers and refuses hostile input.

PyYAML's composer turns a document into a node graph without building any
Python objects; we then convert nodes to plain ``dict``/``list``/scalar values
ourselves, keeping the line of every mapping key and list item.  Before
composing, the event stream is scanned so that aliases, non-standard tags and
deep nesting are refused before they can cost memory or recursion.
"""

from __future__ import annotations

import yaml

# libyaml's C parser when PyYAML was built with it; the pure-Python one otherwise.
# Both only parse and compose here: neither constructs Python objects.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


class YamlError(Exception):
    """A file that cannot be read as pack YAML. ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        message = " ".join(message.split())
        super().__init__(message)
        self.message = message
        self.line = line


class LMap(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class LList(list):
    """A list that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


def read_text(raw: bytes) -> str:
    """Decode pack file bytes as UTF-8 text, refusing binary content."""
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in raw:
        raise YamlError("file is binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(f"file is not UTF-8 text (bad byte at offset {exc.start})") from None
    return text


def _mark_line(mark: yaml.Mark | None) -> int | None:
    return None if mark is None else mark.line + 1


def _prescan(text: str) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = _mark_line(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                raise YamlError("YAML aliases (*name) are not allowed in packs", line)
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                raise YamlError(f"YAML tag {tag!r} is not allowed in packs", line)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", _mark_line(mark)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None


def _convert(node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        out = LMap()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("mapping keys must be plain text", key_node.start_mark.line + 1)
            key = str(key_node.value)
            if key in out:
                raise YamlError(f"key {key!r} appears twice", key_node.start_mark.line + 1)
            out[key] = _convert(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LList()
        seq.line = node.start_mark.line + 1
        seq.item_lines = []
        for item in node.value:
            seq.append(_convert(item))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    assert isinstance(node, yaml.ScalarNode)
    tag = node.tag
    value = node.value
    if tag == _STD + "bool":
        return value.lower() in ("true", "yes", "on", "y")
    if tag == _STD + "null":
        return None
    if tag == _STD + "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == _STD + "float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    # str, timestamp and the non-specific "!" tag all stay text: dates are
    # validated by the model, not turned into datetime objects.
    return value


def load_yaml(raw: bytes) -> object:
    """Parse one YAML document from ``raw`` into LMap/LList/scalars.

    Raises YamlError for anything a pack file must not contain.
    """
    text = read_text(raw)
    if not text.strip():
        raise YamlError("file is empty")
    _prescan(text)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(f"invalid YAML: {exc.problem or 'cannot parse'}", _mark_line(mark)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    if node is None:
        raise YamlError("file is empty")
    data = _convert(node)
    if data is None:
        raise YamlError("file holds no data (an empty or null document); expected a mapping of fields", 1)
    return data
