"""What each export keeps: GIFT and Moodle XML tags and ids, Quizlet's one-line TSV, and the
one summary line `export` prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from formatkit import BUILTIN

from nkstudy.cli import main
from nkstudy.core.model import Pack
from nkstudy.formats import export_pack, import_files


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_gift_and_moodle_exports_keep_tags(builtin: Pack, tmp_path: Path, fmt: str) -> None:
    exported = export_pack(builtin, fmt)
    path = tmp_path / f"pack{exported.suffix}"
    path.write_bytes(exported.data)
    back = {q.prompt.split("\n")[0]: q for q in import_files([path]).questions}
    kept = [q for q in builtin.questions if q.prompt.split("\n")[0] in back]
    assert len(kept) > 100
    for q in kept:
        assert back[q.prompt.split("\n")[0]].tags == q.tags, q.id
    if fmt == "moodlexml":  # the idnumber gives each question its id back
        assert all(back[q.prompt.split("\n")[0]].id == q.id for q in kept)


def test_quizlet_flavour_is_one_line_a_card_with_no_header(builtin: Pack, tmp_path: Path) -> None:
    exported = export_pack(builtin, "quizlet")
    lines = exported.data.decode("utf-8").split("\n")
    assert lines[-1] == "" and not any(line.startswith("#") for line in lines)
    rows = [line.split("\t") for line in lines[:-1]]
    assert rows and all(len(row) == 2 and all(cell and cell == cell.strip() for cell in row) for row in rows)
    assert '"' not in "".join(lines) or all(not line.startswith('"') for line in lines)
    sheet = tmp_path / "set.txt"
    sheet.write_bytes(exported.data)
    assert len(import_files([sheet], "quizlet").questions) == len(rows)


def test_export_prints_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pack.gift"
    assert main(["export", str(BUILTIN), "--format", "gift", "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    summary = [line for line in err if line.startswith("exported ")]
    assert len(summary) == 1
    assert re.match(rf"exported \d+ of \d+ questions as gift to {re.escape(str(out))}", summary[0])
    assert main(["export", str(BUILTIN), "--format", "aiken", "-o", str(tmp_path / "a.txt")]) == 0
    line = [x for x in capsys.readouterr().err.splitlines() if x.startswith("exported ")][0]
    assert "; skipped " in line and "multi" in line and "(" in line
    # the types Aiken cannot hold share one reason, given once (it was repeated for each of seven types)
    assert line.count("(") == 1 and re.search(r"skipped \d+ card, \d+ cloze, .*\d+ typed \(", line)


def test_the_csv_export_opens_in_ankis_text_import(builtin: Pack, tmp_path: Path) -> None:
    from formatkit import need

    try:
        from anki.collection import Collection, ImportCsvRequest
    except ImportError:
        Collection = None  # noqa: N806
    need(Collection, "the 'anki' Python package is not installed (pip install 'nkstudy[interop]')")
    from nkstudy.formats.ankinotes import export_guid

    sheet = tmp_path / "pack.csv"
    sheet.write_bytes(export_pack(builtin, "csv").data)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        metadata = col.get_csv_metadata(path=str(sheet), delimiter=None)
        assert (metadata.guid_column, metadata.tags_column) == (5, 4)  # Anki reads our headers
        col.import_csv(ImportCsvRequest(path=str(sheet), metadata=metadata))
        notes = {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}
    finally:
        col.close()
    held = [q for q in builtin.questions if q.type_name in ("card", "typed", "cloze")]
    assert len(notes) == len(held)
    for q in held:
        assert sorted(notes[export_guid(builtin.id, q.id)].tags) == sorted(q.tags), q.id
