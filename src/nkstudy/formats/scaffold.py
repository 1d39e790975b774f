"""A new pack folder to start from: one question of each type, a source, an event, schemas."""

from __future__ import annotations

import json
from pathlib import Path

from nkstudy.formats.common import check_new_folder
from nkstudy.formats.schema import include_schema, pack_schema

ARTICLE = """\
Example Wire, 1 March 2024

The city council of Riverton met on Friday and voted to build a new bridge over the Green River.
The mayor, Ana Lopez, said the bridge would open in 2026 and cost 40 million dollars.
Work will start in the spring, after the council's second vote in April.
"""

PACK = """\
# yaml-language-server: $schema=schema/pack.schema.json
# Your pack.  `nkstudy validate {folder}` checks it; docs/packs.md describes every field.
id: {id}
title: {title}
version: "0.1.0"
description: A new pack; replace this with one or two sentences on what it covers.
language: en
sources:
  - id: example
    file: sources/example.txt
    title: Riverton council votes for a new bridge
    outlet: Example Wire
    published: "2024-03-01"
events:
  - id: bridge-vote
    kind: meeting
    who: Riverton city council
    where: Riverton
    when: "2024-03-01"
    when_text: Friday
    why: to build a new bridge over the Green River
    source: example
    excerpt: The city council of Riverton met on Friday and voted to build a new bridge over the Green River.
include:
  - questions/examples.yaml
"""

QUESTIONS = """\
# yaml-language-server: $schema=../schema/include.schema.json
questions:
  - id: who-mayor
    type: choice
    prompt: In March 2024, who was the mayor of Riverton?
    options: [Ana Lopez, Maria Green, John River]
    answer: Ana Lopez
    source: example
    excerpt: The mayor, Ana Lopez, said the bridge would open in 2026
    explanation: The article names Ana Lopez as the mayor.
    tags: [who]
    event: bridge-vote
    related: [river-name, card-opening]   # its options and excerpt show their answers
  - id: bridge-facts
    type: multi
    prompt: What did the article say about the Riverton bridge (March 2024)?
    options: [It opens in 2026, It costs 40 million dollars, It has a toll]
    answer: [It opens in 2026, It costs 40 million dollars]
    source: example
    excerpt: the bridge would open in 2026 and cost 40 million dollars
    related: [cost-blank, card-opening]
  - id: friday
    type: truefalse
    prompt: "True or false: the Riverton council met on a Friday in March 2024."
    answer: true
    source: example
    excerpt: met on Friday
    tags: [when]
  - id: river-name
    type: typed
    prompt: Which river will Riverton's new bridge cross?
    answer: Green River
    accept: [the Green River, Green]
    source: example
    excerpt: a new bridge over the Green River
    tags: [where]
  - id: order-steps
    type: order
    prompt: Put these steps of the Riverton bridge in order, earliest first.
    answer:
      - The council votes for the bridge
      - The council's second vote
      - The bridge opens
    source: example
    excerpt: after the council's second vote in April
  - id: cost-blank
    type: cloze
    prompt: "Fill the blank: the Riverton bridge will cost ____ million dollars."
    answer: "40"
    accept: [forty]
    source: example
    excerpt: cost 40 million dollars
  - id: card-opening
    type: card
    prompt: When will the Riverton bridge open?
    back: In 2026
    source: example
    excerpt: the bridge would open in 2026
  - id: match-facts
    type: match
    prompt: Match each Riverton bridge fact with its value.
    pairs:
      - [opening year, "2026"]
      - [cost in millions of dollars, "40"]
      - [month of the second vote, April]
    source: example
    excerpt: Work will start in the spring, after the council's second vote in April.
    related: [cost-blank]
"""


def new_pack(folder: Path, pack_id: str, title: str) -> Path:
    """Write a pack that validates into ``folder`` (which must not hold files)."""
    check_new_folder(folder)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "questions").mkdir(exist_ok=True)
    (folder / "schema").mkdir(exist_ok=True)
    (folder / "sources" / "example.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "pack.yaml").write_text(
        PACK.format(id=pack_id, title=json.dumps(title, ensure_ascii=False), folder=folder.name), encoding="utf-8"
    )
    (folder / "questions" / "examples.yaml").write_text(QUESTIONS, encoding="utf-8")
    for name, schema in (("pack", pack_schema()), ("include", include_schema())):
        (folder / "schema" / f"{name}.schema.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    return folder
