"""The give-away graph: which question shows another's answer; events of one visit (part_of)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nkstudy.core.model import QUESTION_TYPES, Pack
from nkstudy.core.packs.cache import cached_load, entry_path
from nkstudy.core.packs.giveaways import GiveAwayGraph, leaks
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.fold import fold_tokens
from nkstudy.core.study.pacing import GiveAways
from packfactory import PACK_YAML, write_pack

QUESTIONS = """\
questions:
  - id: who
    type: typed
    prompt: Who did the senior Chinese official meet in the capital?
    answer: Kim Jong Un
    accept: [Kim]
    source: art
    excerpt: the country's leader Kim Jong Un in the capital Pyongyang
    event: zhao-kim
  - id: where
    type: choice
    prompt: Where did Kimchi lovers gather in April 2024?
    options: [Beijing, Pyongyang, Dalian]
    answer: Pyongyang
  - id: counterpart
    type: choice
    prompt: Whom did Zhao meet on Thursday?
    options: [Choe Ryong Hae, Wang Yi]
    answer: Choe Ryong Hae
    explanation: Zhao met Choe Ryong Hae, as Kim Jong Un's counterpart was busy.
  - id: day
    type: typed
    prompt: On which day did Zhao meet Choe Ryong Hae?
    answer: Thursday
  - id: verdict
    type: truefalse
    prompt: The meeting was on 13 April 2024.
    answer: true
  - id: month
    type: typed
    prompt: In which month of 2024 did the meeting take place?
    answer: April 2024
"""


def load(folder: Path, questions: str = QUESTIONS, pack_yaml: str = PACK_YAML) -> Pack:
    write_pack(folder, pack_yaml=pack_yaml, questions_yaml=questions)
    result = load_pack(folder)
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


def pairs(pack: Pack) -> set[tuple[str, str, str]]:
    return {(leak.giver, leak.taker, leak.field) for leak in leaks(pack.giveaway_graph(), pack.questions)}


def test_tokens_are_whole_words_folded_as_the_grader_folds() -> None:
    assert fold_tokens("Kim Jong-un met KIM in Kimchi") == ["kim", "jong", "un", "met", "kim", "in", "kimchi"]
    assert fold_tokens("Pyongyang’s Café") == ["pyongyang", "s", "cafe"]
    assert fold_tokens("June 12, 2024") == fold_tokens("12th of June 2024") == ["12d", "6m", "2024"]
    assert fold_tokens("Mar. 21") == ["21d", "3m"]


def test_what_gives_what_away(tmp_path: Path) -> None:
    pack = load(tmp_path / "p")
    found = pairs(pack)
    # the explanation of 'counterpart' names Kim Jong Un, the answer of 'who'
    assert ("counterpart", "who", "explanation") in found
    # 'who' shows Pyongyang in its excerpt; 'where' shows it only as an option of its own
    assert ("who", "where", "excerpt") in found
    # a prompt that names Choe Ryong Hae gives 'counterpart' away; the answer 'Thursday' is in counterpart's prompt
    assert ("day", "counterpart", "prompt") in found
    assert ("counterpart", "day", "prompt") in found
    # "Kim" is in "Kimchi" only as letters, not as a word
    assert ("where", "who", "prompt") not in found
    # true/false carries nothing; an answer in the question's own prompt is left out
    assert not any(taker == "verdict" for _g, taker, _f in found)
    graph = pack.giveaway_graph()
    assert graph.answers(graph.index["day"])  # Thursday is not in its own prompt
    # dates agree however written: "13 April 2024" (a prompt) holds "April 2024"
    assert ("verdict", "month", "prompt") in found
    # the citation line (title, outlet, date) counts: the title names Pyongyang
    assert ("who", "where", "excerpt") in found


def test_the_citation_line_gives_answers_away(tmp_path: Path) -> None:
    questions = QUESTIONS.replace("    event: zhao-kim\n", "")
    pack = load(tmp_path / "p", questions.replace("excerpt: the country's leader Kim Jong Un in the capital Pyongyang",
                                                  "excerpt: reaffirmed ties with North Korea"))
    assert ("who", "where", "citation") in pairs(pack)


def test_every_question_type_says_its_answer_phrases(tmp_path: Path) -> None:
    """Each built-in type's phrases, as the feedback and the grader know its answer."""
    pack = load(tmp_path / "p")
    assert pack.question("who").answer_phrases() == ("Kim Jong Un", "Kim")
    assert pack.question("where").answer_phrases() == ("Pyongyang",)
    assert pack.question("verdict").answer_phrases() == ()
    seen = {cls for cls in QUESTION_TYPES.values() if "answer_phrases" in vars(cls)}
    # cloze inherits typed's; every other type says its own
    assert seen == set(QUESTION_TYPES.values()) - {QUESTION_TYPES["cloze"]}


def test_pacing_keeps_a_giver_and_its_taker_apart_both_ways(tmp_path: Path) -> None:
    pack = load(tmp_path / "p")
    related = GiveAways({(pack.id, q.id): (pack, q) for q in pack.questions})
    a, b = (pack.id, "counterpart"), (pack.id, "who")
    assert related(a, b) and related(b, a)
    assert related.near([a])(b) and related.near([b])(a)
    assert not related((pack.id, "where"), (pack.id, "verdict"))


PARTS = PACK_YAML.replace("include:", """\
  - id: zhao-visit
    kind: visit
    who: Zhao Leji
    where: North Korea
    when: 2024-04-11
    source: art
    excerpt: A senior Chinese official reaffirmed ties with North Korea
  - id: zhao-choe
    kind: meeting
    part_of: zhao-visit
    who: Zhao Leji
    whom: Choe Ryong Hae
    when: 2024-04-11
    source: art
    excerpt: Zhao met with his North Korean counterpart Choe Ryong Hae on Thursday
include:""").replace("    kind: meeting\n    who: Zhao Leji\n    whom: Kim Jong Un", "    kind: meeting\n"
                     "    part_of: zhao-visit\n    who: Zhao Leji\n    whom: Kim Jong Un")

VISIT_QUESTIONS = """\
questions:
  - id: a
    type: truefalse
    prompt: Zhao met Kim on a Saturday.
    answer: true
    event: zhao-kim
  - id: b
    type: truefalse
    prompt: Zhao met his counterpart on a Thursday.
    answer: true
    event: zhao-choe
"""


def test_questions_on_events_of_one_visit_are_kept_apart(tmp_path: Path) -> None:
    pack = load(tmp_path / "p", VISIT_QUESTIONS, PARTS)
    assert pack.event("zhao-choe").part_of == "zhao-visit"
    assert pack.giveaway_graph().root("zhao-kim") == "zhao-visit"
    related = GiveAways({(pack.id, q.id): (pack, q) for q in pack.questions})
    assert related((pack.id, "a"), (pack.id, "b"))
    assert "zhao-visit" in json.dumps(pack.to_export())


CHOE = "part_of: zhao-visit\n    who: Zhao Leji\n    whom: Choe"


@pytest.mark.parametrize(("change", "phrase"), [
    ((CHOE, CHOE.replace("zhao-visit", "nowhere")), "unknown event id 'nowhere'"),
    ((CHOE, CHOE.replace("zhao-visit", "zhao-choe")), "itself"),
    (("    kind: visit\n", "    kind: visit\n    part_of: zhao-kim\n"), "cycle"),
])
def test_a_bad_part_of_is_one_line_with_its_file_and_line(tmp_path: Path, change: tuple[str, str],
                                                          phrase: str) -> None:
    assert change[0] in PARTS
    write_pack(tmp_path / "p", pack_yaml=PARTS.replace(*change), questions_yaml=VISIT_QUESTIONS)
    problems = load_pack(tmp_path / "p").problems
    assert len(problems) == 1, [p.format() for p in problems]
    (problem,) = problems
    line = problem.format()
    assert phrase in line and "\n" not in line and problem.line is not None
    assert "part_of" in (tmp_path / "p" / "pack.yaml").read_text().splitlines()[problem.line - 1]


def test_the_graph_is_kept_in_the_pack_cache(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS)
    cache = tmp_path / "cache"
    cold = cached_load(folder, cache)
    assert cold.pack is not None and entry_path(folder, cache).exists()
    warm = cached_load(folder, cache)
    assert warm.pack is not None and warm.pack is not cold.pack
    assert warm.pack.giveaways is not None  # read from the entry, not built again
    assert pairs(warm.pack) == pairs(cold.pack) and pairs(cold.pack)
    assert warm.pack.giveaways.to_plain() == cold.pack.giveaway_graph().to_plain()


def test_a_tampered_graph_in_the_cache_is_not_trusted(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", questions_yaml=QUESTIONS)
    cache = tmp_path / "cache"
    expected = pairs(cached_load(folder, cache).pack)  # type: ignore[arg-type]
    path = entry_path(folder, cache)
    entry = json.loads(path.read_text())
    entry["pack"]["giveaways"]["arrays"][3] = GiveAwayGraph.to_plain.__doc__  # not base64 numbers
    path.write_text(json.dumps(entry))
    again = cached_load(folder, cache)
    assert again.pack is not None and pairs(again.pack) == expected
    entry["pack"]["giveaways"]["arrays"][3] = "/////w=="  # -1: a question number out of range
    path.write_text(json.dumps(entry))
    assert pairs(cached_load(folder, cache).pack) == expected  # type: ignore[arg-type]
