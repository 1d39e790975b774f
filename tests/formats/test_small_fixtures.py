"""Small fixtures of our own: encodings, line ends, GIFT details, CSV headers, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.formats import FormatError, detect, import_files
from nkstudy.formats.common import html_to_text

GIFT = (
    "// comment\n$CATEGORY: $course$/Capitals\n\n::cap::Capital of Italy?{=Rome =Roma ####Italy's capital.}\n\n"
    "Rome is in {~France =Italy}.\n\nTwo plus two is {=four =4} exactly.\n\n"
    "Essay?{}\n\nRange {#1..5}\n\nMatch.{=a -> 1 =b -> 2}\n\nT or F{T}\n\n"
    "Pick all{~%50%x ~%50%y ~%-100%z}\n\nEscapes \\{ \\} \\= \\~ \\# \\: ok?{=yes\\: really}\n"
)


@pytest.mark.parametrize(
    ("encoding", "newline", "bom"),
    [("utf-8", "\n", b""), ("utf-8", "\r\n", b"\xef\xbb\xbf"), ("utf-8", "\r", b""), ("cp1252", "\r\n", b"")],
)
def test_gift_reads_any_encoding_and_line_end(tmp_path: Path, encoding: str, newline: str, bom: bytes) -> None:
    path = tmp_path / "q.gift"
    path.write_bytes(bom + (GIFT + "\nCafé?{=oui}\n").replace("\n", newline).encode(encoding))
    result = import_files([path])
    assert not result.errors, result.errors
    by_prompt = {q.prompt: q for q in result.questions}
    assert by_prompt["Capital of Italy?"].accept == ("Roma",)
    assert by_prompt["Capital of Italy?"].explanation == "Italy's capital."
    assert by_prompt["Rome is in _____."].type_name == "choice"
    assert by_prompt["Two plus two is _____ exactly."].type_name == "cloze"
    assert by_prompt["Match."].pairs == (("a", "1"), ("b", "2"))
    assert by_prompt["T or F"].answer is True
    assert by_prompt["Pick all"].type_name == "multi" and by_prompt["Pick all"].answer == {"x", "y"}
    assert by_prompt["Escapes { } = ~ # : ok?"].answer == "yes: really"
    assert by_prompt["Café?"].answer == "oui"
    # the category the file opens with is the pack's own: its title, and no tag
    assert result.title == "Capitals"
    assert all(item.labels == () and item.question.tags == () for item in result.items)
    assert len(result.skipped) == 2 and "essay" in result.skipped[0] and "range" in result.skipped[1]
    assert any(line.startswith(f"{path}:10:") for line in result.skipped)
    assert bool(result.notes) == (encoding == "cp1252")
    assert result.summary() == "imported 8 questions, skipped 2"


def test_bad_gift_gives_one_line_errors_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "bad.gift"
    path.write_text("Good?{=yes}\n\nBroken {=no\n\n::title never closed\n\nAlso good?{T}\n", encoding="utf-8")
    result = import_files([path], "gift")
    # the unclosed brace loses its own question only (issue 18, defect 5); the broken title is one more error
    assert [q.prompt for q in result.questions] == ["Good?", "Also good?"]
    assert result.errors and all("\n" not in e and e.startswith(f"{path}:3:") for e in result.errors[:1])


def test_csv_with_anki_headers_and_header_row(tmp_path: Path) -> None:
    path = tmp_path / "deck.txt"
    path.write_text(
        "#separator:Semicolon\n#html:true\n#tags column:3\nfront;back;tags\n"
        '<b>Hund</b>;"dog &amp; hound";animals german\n',
        encoding="utf-8",
    )
    result = import_files([path], "csv")
    assert [(q.type_name, q.prompt, q.answer_text()) for q in result.questions] == [("card", "Hund", "dog & hound")]
    assert result.items[0].labels == ("animals", "german")
    assert result.questions[0].tags == ("animals", "german")
    typed = import_files([path], "csv", as_typed=True)
    assert typed.questions[0].type_name == "typed"


def test_quizlet_export(tmp_path: Path) -> None:
    path = tmp_path / "quizlet.txt"
    path.write_text("Ottawa\tcapital of Canada\nRome\tcapital of Italy\n", encoding="utf-8")
    assert detect(path).name == "tsv"
    assert [q.answer_text() for q in import_files([path]).questions] == ["capital of Canada", "capital of Italy"]


def test_unreadable_inputs_raise_one_line(tmp_path: Path) -> None:
    bad_zip = tmp_path / "x.apkg"
    bad_zip.write_bytes(b"not a zip")
    bad_xml = tmp_path / "x.xml"
    bad_xml.write_text("<quiz><question type='truefalse'>\n<oops></quiz>", encoding="utf-8")
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"a,b\x00c")
    for path in (bad_zip, bad_xml, binary, tmp_path / "missing.gift"):
        with pytest.raises(FormatError) as info:
            import_files([path])
        assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)
    with pytest.raises(FormatError, match=":2:"):
        import_files([bad_xml])


def test_html_to_text_uses_a_parser() -> None:
    out = html_to_text("<p>a &lt;b&gt; &amp; c</p><script>x</script><img src='p.png'>d<br>e")
    assert out.text == "a <b> & c\nd\ne" and out.media == ("p.png",)


def test_need_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from formatkit import need

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        need(None, "missing client")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must not skip"):
        need(None, "missing client")
    need(True, "present")


@pytest.mark.parametrize("name", ["bank.xml", "bank.gift", "bank.csv", "bank.txt"])
def test_every_text_format_reads_through_one_reader(tmp_path: Path, name: str) -> None:
    from nkstudy.formats.common import MAX_INPUT_BYTES

    missing = tmp_path / "missing" / name
    with pytest.raises(FormatError) as info:
        import_files([missing], "auto" if name != "bank.txt" else "aiken")
    assert str(info.value) == f"{missing}: file not found"
    huge = tmp_path / name
    with huge.open("wb") as fh:  # sparse: costs no disk, and the size is checked before reading
        fh.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(FormatError, match=r"larger than 50 MB"):
        import_files([huge], "auto" if name != "bank.txt" else "aiken")


def test_moodle_xml_in_windows_1252_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "q.xml"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n<quiz><question type="truefalse"><name><text>caf\xe9</text></name>'
        '<questiontext format="html"><text>Caf\xe9 is French?</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
        "</question></quiz>\r\n"
    )
    path.write_bytes(xml.encode("cp1252"))
    result = import_files([path])
    assert [q.prompt for q in result.questions] == ["Café is French?"]
    assert any("Windows-1252" in note for note in result.notes)
