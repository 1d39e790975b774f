"""Answer folding and excerpt location."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nkstudy.core.questions.fold import answers_match, fold_answer
from nkstudy.core.text import find_passage, find_phrase


def test_romanization_variants_match() -> None:
    accepted = ["Kim Jong Un"]
    for given_answer in ["Kim Jong-un", "kim jong un", "KIM JONG UN", "KimJongUn", " Kim  Jong–Un. "]:
        assert answers_match(given_answer, accepted), given_answer
    assert not answers_match("Kim Jong Il", accepted)
    assert not answers_match("", accepted)
    assert not answers_match("---", accepted)


def test_diacritics_are_ignored() -> None:
    assert answers_match("Pyŏngyang", ["Pyongyang"])
    assert answers_match("Choe Ryong-hae", ["Choe Ryong Hae"])


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold_answer(fold_answer(text)) == fold_answer(text)


WORDS = st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd"]), min_size=1)


@given(WORDS, st.sampled_from(["-", " ", ".", "’", "  "]))
def test_separators_never_matter(word: str, sep: str) -> None:
    split = sep.join(word)
    assert fold_answer(split) == fold_answer(word)


@given(st.text(min_size=1))
def test_find_passage_finds_any_slice(text: str) -> None:
    start = len(text) // 3
    piece = text[start : start + 10]
    if piece.strip():
        span = find_passage(text, piece)
        assert span is not None
        s, e = span
        assert fold_answer(text[s:e]) == fold_answer(piece.strip())


def test_find_passage_is_quote_and_whitespace_insensitive() -> None:
    source = "Kim, who picked Beijing\nto make his “maiden” trip, said it’s done."
    span = find_passage(source, 'picked Beijing to make his "maiden" trip, said it\'s')
    assert span is not None
    assert source[span[0] : span[1]].startswith("picked Beijing\nto make")
    assert find_passage(source, "picked Shanghai") is None


def test_find_phrase_for_highlighting() -> None:
    excerpt = "met Xi in China’s northeastern port city of Dalian"
    span = find_phrase(excerpt, "dalian")
    assert span is not None and excerpt[span[0] : span[1]] == "Dalian"
    assert find_phrase(excerpt, "China's") is not None
    assert find_phrase(excerpt, "Beijing") is None
