"""Imported tags become real tags under one rule; imported questions cite no source."""

from __future__ import annotations

from pathlib import Path

import pytest
from formatkit import BUILTIN

from nkstudy.cli import main
from nkstudy.core.model import TAGS, Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.base import MAX_TAG_LENGTH, is_tag
from nkstudy.formats import import_files
from nkstudy.formats.common import tag_from


@pytest.mark.parametrize(
    ("label", "tag"),
    [
        ("who", "who"),
        ("Geo::Europe", "geo.europe"),  # Anki's hierarchy
        ("spanish::verbs::irregular_verbs", "spanish.verbs.irregular_verbs"),
        ("$course$/top/Default for Maths", "default-for-maths"),  # Moodle's category path
        ("$module$/Iota/Kappa", "iota.kappa"),
        ("$course$/Capitals", "capitals"),
        ("Français élémentaire", "francais-elementaire"),
        ("v1.2", "v1.2"),
        ("--odd--", "odd"),
        ("a\x1b[2Jb", "a-2jb"),  # no control character gets through
        ("x" * 100, "x" * MAX_TAG_LENGTH),
        ("日本語", None),  # nothing a tag can hold
        ("$course$/top", None),
        ("::", None),
    ],
)
def test_tag_from(label: str, tag: str | None) -> None:
    assert tag_from(label) == tag
    if tag is not None:
        assert is_tag(tag)


def test_tag_rule() -> None:
    for good in ("who", "geo.europe", "anki_deck-2", "2024", "a" * MAX_TAG_LENGTH):
        assert is_tag(good), good
    for bad in ("", "Who", "two words", ".who", "-who", "geo::europe", "geo/europe", "who\n", "a" * 65, "é"):
        assert not is_tag(bad), bad


def test_the_builtin_pack_keeps_to_the_six_tags(builtin: Pack) -> None:
    used = {t for q in builtin.questions for t in q.tags}
    assert used and used <= set(TAGS)


def _anki_deck(path: Path) -> None:
    """A small deck as Anki users have them: a Basic note with hierarchical tags, and one with an untaggable tag."""
    import genanki

    model = genanki.Model(
        1_234_567_001,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    )
    deck = genanki.Deck(1_234_567_002, "Capitals")
    deck.add_note(genanki.Note(model=model, fields=["Capital of Italy?", "Rome"], tags=["Geo::Europe", "capitals"]))
    deck.add_note(genanki.Note(model=model, fields=["Capital of Japan?", "Tokyo"], tags=["日本", "Geo::Asia"]))
    genanki.Package(deck).write_to_file(str(path), timestamp=0)


def test_import_writes_real_tags_and_no_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "capitals.apkg"
    _anki_deck(deck)
    gift = tmp_path / "moodle.gift"
    gift.write_text("$CATEGORY: $course$/top/European Capitals\n\nCapital of France?{=Paris}\n", encoding="utf-8")
    dest = tmp_path / "pack"
    assert main(["import", str(deck), str(gift), "--to", str(dest)]) == 0
    out, err = capsys.readouterr()
    assert "imported 3 questions, skipped 0" in out
    assert "tag '日本' left out" in err and err.count("日本") == 1
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None, [p.format() for p in loaded.problems]
    pack = loaded.pack
    tags = {q.prompt: q.tags for q in pack.questions}
    assert tags == {
        "Capital of Italy?": ("geo.europe", "capitals"),
        "Capital of Japan?": ("geo.asia",),
        "Capital of France?": ("european-capitals",),
    }
    assert not pack.sources and all(q.source is None and q.excerpt is None for q in pack.questions)
    written = "\n".join(p.read_text(encoding="utf-8") for p in sorted((dest / "questions").glob("*.yaml")))
    assert "tags:" in written and "source" not in written and "# tags" not in written
    assert not (dest / "sources").exists()

    # the learner's feedback says there is no cited source (excerpt_text is the part of the feedback that cites)
    from nkstudy.present import NO_SOURCE, excerpt_text

    assert all(excerpt_text(q, None).plain == NO_SOURCE for q in pack.questions)
    assert all(excerpt_text(q, None).plain == NO_SOURCE for q in import_files([gift]).questions)

    # validate: fine as it is; --strict lists every question without a source
    assert main(["validate", str(dest)]) == 0
    capsys.readouterr()
    assert main(["validate", "--strict", str(dest)]) == 1
    out, err = capsys.readouterr()
    report = out + err
    assert report.count("cites no source") == 3, report
    # the built-in pack passes --strict
    assert main(["validate", "--strict", str(BUILTIN)]) == 0


def test_entry_tags_and_labels_merge_once(tmp_path: Path) -> None:
    from nkstudy.formats import ImportResult

    result = ImportResult()
    q = result.add(
        {"type": "card", "prompt": "P", "back": "B", "tags": ["who", "Who"]}, tmp_path / "x", 1, labels=["WHO", "a b"]
    )
    assert q is not None and q.tags == ("who", "a-b")


def test_gift_tag_comments_become_tags(tmp_path: Path) -> None:
    path = tmp_path / "t.gift"
    path.write_text("// [tag:Week 1] [tag:who]\nCapital of Italy?{=Rome}\n", encoding="utf-8")
    assert import_files([path]).questions[0].tags == ("week-1", "who")
