"""A large import, checked without being loaded back, still writes a pack that loads and holds
exactly the rows; and the fast check of the written files finds what writing could break."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import ImportResult
from nkstudy.formats.writecheck import check_written
from nkstudy.formats.writer import FULL_CHECK_QUESTIONS, write_pack

# texts a YAML writer must quote, or that look like something else, among plain ones
ODD = ["yes", "- dash", "a: b", "x #y", "12", "1.5", "null", "[list]", '"quoted"', "it's", "tail:", "é 中文 🙂",
       "#hash", "{x | x = 2k}", "back\\slash", "~"]
ROWS = 40_000


def _rows(n: int) -> list[tuple[str, str, list[str]]]:
    rnd = random.Random(18)
    rows = []
    for i in range(n):
        odd = rnd.choice(ODD)
        prompt = f"{odd} question {i}?" if i % 3 else f"{i}: {odd}"
        answer = odd if i % 5 == 0 else f"answer {i}"
        if i % 50 == 0:
            answer += "\nsecond line"
        tags = [f"set{i % 40}", rnd.choice(["geo", "hist", "Geo::Europe"])]
        rows.append((prompt, answer, tags))
    return rows


def test_a_40k_row_import_loads_and_equals_the_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ROWS > FULL_CHECK_QUESTIONS  # so the fast check, not a second load, guarded this write
    rows = _rows(ROWS)
    sheet = tmp_path / "big.csv"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["Question", "Answer", "Tags"])
        for prompt, answer, tags in rows:
            writer.writerow([prompt, answer, " ".join(tags)])
    dest = tmp_path / "pack"
    assert main(["import", str(sheet), "--to", str(dest)]) == 0
    assert f"imported {ROWS} questions" in capsys.readouterr().out
    assert len(list((dest / "questions").glob("*.yaml"))) >= 2
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None, [p.format() for p in loaded.problems[:3]]
    got = [(q.prompt, q.answer_text(), list(q.tags)) for q in loaded.pack.questions]
    want = [(p, a, [t.replace("Geo::Europe", "geo.europe") for t in tags]) for p, a, tags in rows]
    assert got == want
    assert len({q.id for q in loaded.pack.questions}) == ROWS
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _written(tmp_path: Path, n: int = 30) -> tuple[Path, dict[str, int]]:
    result = ImportResult()
    for i, (prompt, answer, tags) in enumerate(_rows(n)):
        result.add({"type": "card", "prompt": prompt, "back": answer}, tmp_path / "deck.csv", i + 1, labels=tags)
    folder = write_pack(result, tmp_path / "out", pack_id="x", title="X")
    rel = "questions/deck.yaml"
    return folder, {rel: n}


def test_the_fast_check_passes_what_the_writer_wrote(tmp_path: Path) -> None:
    folder, written = _written(tmp_path)
    assert check_written(folder, written) == []
    assert load_pack(folder).ok


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda t: t.replace('prompt: "', "prompt: \"unclosed\n", 1), ":"),  # a value breaking the lines after it
        (lambda t: t.replace("    back: answer 1\n", "    back: answer 1\nloose text\n", 1), ":"),
        (lambda t: t[: t.rindex("  - id: ")], "holds 29 questions"),  # a question lost
        (lambda t: t.replace("questions:\n", "", 1), ":1:"),
    ],
)
def test_the_fast_check_finds_a_damaged_file(tmp_path: Path, damage: object, where: str) -> None:
    folder, written = _written(tmp_path)
    path = folder / "questions" / "deck.yaml"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    problems = check_written(folder, written)
    assert len(problems) == 1 and problems[0].startswith("questions/deck.yaml") and where in problems[0]


def test_the_fast_check_finds_an_include_missing_or_a_file_too_large(tmp_path: Path) -> None:
    from nkstudy.core.packs.safeyaml import MAX_BYTES

    folder, written = _written(tmp_path)
    assert check_written(folder, {**written, "questions/deck-2.yaml": 1}) != []
    path = folder / "questions" / "deck.yaml"
    path.write_bytes(path.read_bytes() + b"  - id: pad\n    type: card\n" * (MAX_BYTES // 20))
    assert len(check_written(folder, written)) == 1


def test_the_fast_check_passes_every_question_type_as_written(tmp_path: Path) -> None:
    from formatkit import BUILTIN

    from nkstudy.core.model import QUESTION_TYPES
    from nkstudy.formats.writer import question_entry

    pack = load_pack(BUILTIN).pack
    assert pack is not None
    result = ImportResult()
    for q in pack.questions:
        entry = {k: v for k, v in question_entry(q).items() if k not in ("source", "excerpt", "related", "event")}
        assert result.add(entry, tmp_path / "bank.json", 1) is not None  # type: ignore[arg-type]
    assert {type(item.question) for item in result.items} == set(QUESTION_TYPES.values())
    folder = write_pack(result, tmp_path / "out", pack_id="x", title="X")
    written = {f"questions/{p.name}": p.read_text(encoding="utf-8").count("\n  - id: ")
               for p in sorted((folder / "questions").glob("*.yaml"))}
    assert sum(written.values()) == len(pack.questions)
    assert check_written(folder, written) == []
