"""Property tests: whatever bytes a pack file holds, the loader answers with
problems (never an exception), and any Unicode text survives a round trip."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkstudy.core.packs.loader import load_pack
from packfactory import PACK_YAML, QUESTIONS_YAML, write_pack

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path: Path, raw: bytes) -> None:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_bytes(raw)
    result = load_pack(folder)
    assert result.pack is None
    assert result.problems
    assert all("\n" not in p.format() for p in result.problems)


YAMLISH = st.text(alphabet=st.sampled_from(list("abc:- \n[]{}'\"&*!#|>%@`,?\t")), max_size=200)


@FUZZ
@given(YAMLISH)
def test_malformed_yaml_never_raises(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    result = load_pack(folder)
    assert result.pack is None and result.problems


PROMPTS = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and s.strip())


@FUZZ
@given(PROMPTS)
def test_odd_unicode_prompts_round_trip(tmp_path: Path, prompt: str) -> None:
    questions = QUESTIONS_YAML.replace(
        "prompt: Whom did the official meet in April 2024?", "prompt: " + json.dumps(prompt, ensure_ascii=False)
    )
    folder = write_pack(tmp_path / "p", pack_yaml=PACK_YAML, questions_yaml=questions)
    result = load_pack(folder)
    assert result.ok, [p.format() for p in result.problems]
    assert result.pack is not None
    assert result.pack.question("q-multi").prompt == prompt
