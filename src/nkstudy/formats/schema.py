"""JSON Schema (draft 2020-12) of pack.yaml and of included files, for editors.

The loader stays the authority; tests check that the two agree on the documented
examples and that every question type has its schema here.  The default schema
takes what ``nkstudy validate`` takes (sources and excerpts optional, given both
or neither); ``strict=True`` gives the one of ``validate --strict`` (every
question cites a source and an excerpt, and the pack lists its sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nkstudy.core.model import (
    DIFFICULTIES,
    EVENT_KINDS,
    QUESTION_TYPES,
    TAGS,
    CardQuestion,
    ChoiceQuestion,
    ClozeQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import for_type
from nkstudy.core.questions.base import MAX_TAG_LENGTH, TAG_PATTERN

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_ITEM_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"}


def _texts(min_items: int = 0, max_items: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": _TEXT, "uniqueItems": True, "minItems": min_items}
    if max_items is not None:
        out["maxItems"] = max_items
    return out


@dataclass(frozen=True)
class Shape:
    """A question type's own fields in the schema (the keys must be the class's own_fields()),
    and what it asks of the prompt, if anything."""

    fields: dict[str, Any]
    prompt: dict[str, Any] | None = None


_OPTIONS = _texts(2, 9)
_TYPED = {"answer": _TEXT, "accept": _texts()}

#: question class → its :class:`Shape` (looked up through the MRO)
OWN: dict[type[Question], Shape] = {
    ChoiceQuestion: Shape({"options": _OPTIONS, "answer": _TEXT}),
    MultiQuestion: Shape({"options": _OPTIONS, "answer": _texts(1)}),
    TrueFalseQuestion: Shape({"answer": {"type": "boolean"}}),
    TypedQuestion: Shape(_TYPED),
    # one blank, ``___`` or longer, in the prompt
    ClozeQuestion: Shape(_TYPED, {"type": "string", "pattern": r"^(?:(?!___)[\s\S])*_{3,}(?:(?!___)[\s\S])*$"}),
    OrderQuestion: Shape({"answer": _texts(2, 9)}),
    CardQuestion: Shape({"back": _TEXT}),
    MatchQuestion: Shape(
        {
            "pairs": {
                "type": "array",
                "minItems": 2,
                "maxItems": 8,
                "items": {"type": "array", "prefixItems": [_TEXT, _TEXT], "minItems": 2, "maxItems": 2},
            }
        }
    ),
}
_REQUIRED_OWN = {"accept"}  # optional own fields


def _question(strict: bool = False) -> dict[str, Any]:
    common = {
        "id": _ITEM_ID,
        "type": {"enum": list(QUESTION_TYPES)},
        "prompt": _TEXT,
        "source": _TEXT,
        "excerpt": _TEXT,
        "explanation": {"type": ["string", "null"]},
        "tags": {
            "type": "array",
            "items": {
                "type": "string",
                "pattern": TAG_PATTERN,
                "maxLength": MAX_TAG_LENGTH,
                "examples": list(TAGS),  # the built-in pack's tags, offered by editors
            },
            "uniqueItems": True,
        },
        "difficulty": {"enum": list(DIFFICULTIES)},
        "event": {"type": ["string", "null"]},
        "related": {"type": "array", "items": _ITEM_ID, "uniqueItems": True},
        "media": {"type": "array", "items": {"type": "string", "pattern": "^media/[A-Za-z0-9][A-Za-z0-9_.-]*$"},
                  "uniqueItems": True},
    }
    branches = []
    for name, cls in QUESTION_TYPES.items():
        shape = for_type(OWN, cls)
        own = shape.fields
        then: dict[str, Any] = {"properties": own, "required": [k for k in own if k not in _REQUIRED_OWN]}
        if shape.prompt is not None:
            then["properties"] = {**own, "prompt": shape.prompt}
        branches.append({"if": {"properties": {"type": {"const": name}}, "required": ["type"]}, "then": then})
    required = ["id", "type", "prompt"] + (["source", "excerpt"] if strict else [])
    return {
        "type": "object",
        "required": required,
        # a question cites a source with an excerpt, both or neither
        "dependentRequired": {"source": ["excerpt"], "excerpt": ["source"]},
        "properties": common,
        "allOf": branches,
        "unevaluatedProperties": False,
    }


def _event() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "kind", "who", "when", "source", "excerpt"],
        "anyOf": [{"required": ["whom"]}, {"required": ["where"]}],
        "properties": {
            "id": _ITEM_ID,
            "kind": {"enum": list(EVENT_KINDS)},
            "who": _TEXT,
            "whom": _TEXT,
            "where": _TEXT,
            "when": _DATE,
            "when_text": _TEXT,
            "why": _TEXT,
            "why_by": _TEXT,
            "part_of": _ITEM_ID,
            "source": _TEXT,
            "excerpt": _TEXT,
        },
        "additionalProperties": False,
    }


def include_schema(strict: bool = False) -> dict[str, Any]:
    """The schema of a file listed under ``include:`` (which may list its own)."""
    return {
        "$schema": DRAFT,
        "title": "nkstudy included file (events and questions)" + (" (--strict)" if strict else ""),
        "type": "object",
        "properties": {
            "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
            "include": _texts(),
        },
        "additionalProperties": False,
        "$defs": {"event": _event(), "question": _question(strict)},
    }


def pack_schema(strict: bool = False) -> dict[str, Any]:
    """The schema of pack.yaml; ``strict`` as ``nkstudy validate --strict`` checks."""
    source = {
        "type": "object",
        "required": ["id", "file", "title", "outlet", "published"],
        "properties": {
            "id": _ITEM_ID,
            "file": _TEXT,
            "title": _TEXT,
            "outlet": _TEXT,
            "published": _DATE,
            "date_from_outside": {"type": "boolean"},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "title": "nkstudy pack.yaml" + (" (--strict)" if strict else ""),
        "type": "object",
        "required": ["id", "title", "version", "description", "language"] + (["sources"] if strict else []),
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
            "title": _TEXT,
            "version": _TEXT,
            "description": _TEXT,
            "language": _TEXT,
            "author": _TEXT,
            "license": _TEXT,
            "sources": {"type": "array", "minItems": 1, "items": source},
            "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
            "include": _texts(),
        },
        "additionalProperties": False,
        "$defs": {"event": _event(), "question": _question(strict)},
    }
