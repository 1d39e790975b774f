"""The loader's excerpt check (folded containment) and find_passage (used to show
the passage in its source) always agree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nkstudy.core.text import find_passage, fold_passage

TEXT = st.text(alphabet=st.sampled_from(list("ab \n\t\u00a0\"'“”‘’—–-.,x")), max_size=80)


@given(TEXT, st.integers(0, 80), st.integers(1, 30))
def test_fold_check_and_find_passage_agree(text: str, start: int, size: int) -> None:
    piece = text[start : start + size]
    wanted = fold_passage(piece)
    found = find_passage(text, piece)
    assert (bool(wanted) and wanted in fold_passage(text)) == (found is not None)
    if found is not None:
        assert fold_passage(text[found[0] : found[1]]) == wanted


@given(TEXT, TEXT)
def test_agree_on_unrelated_text(text: str, other: str) -> None:
    wanted = fold_passage(other)
    assert (bool(wanted) and wanted in fold_passage(text)) == (find_passage(text, other) is not None)
