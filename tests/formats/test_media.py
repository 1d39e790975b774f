"""Media (images, sounds) from .apkg, Moodle XML and GIFT into a pack's media/, checked, and back out."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from mediakit import mp3, png
from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack


def anki_deck(folder: Path, media: dict[str, bytes], front: str, back: str) -> Path:
    import genanki

    model = genanki.Model(
        1_234_567_101, "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    )
    deck = genanki.Deck(1_234_567_102, "Maps")
    deck.add_note(genanki.Note(model=model, fields=[front, back]))
    files = []
    src = folder / "src"
    src.mkdir(exist_ok=True)
    for name, data in media.items():
        (src / name).write_bytes(data)
        files.append(str(src / name))
    out = folder / "maps.apkg"
    genanki.Package(deck, media_files=files).write_to_file(str(out), timestamp=0)
    return out


def pack_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_apkg_image_and_sound_come_into_media(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = anki_deck(tmp_path, {"river map.png": png(), "say.mp3": mp3()},
                     'Which river is this? <img src="river map.png">[sound:say.mp3]', "The Yalu")
    dest = tmp_path / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    loaded = load_pack(dest)
    assert loaded.ok, loaded.problems
    assert loaded.pack is not None
    (q,) = loaded.pack.questions
    assert set(q.media) == {"media/river-map.png", "media/say.mp3"}
    assert (dest / "media/river-map.png").read_bytes() == png()
    assert (dest / "media/say.mp3").read_bytes() == mp3()
    assert "media/river-map.png" in (dest / "questions/maps.yaml").read_text(encoding="utf-8")


def test_apkg_hostile_media_give_one_line_each_and_nothing_outside(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    fake = b"this is text, not a picture\n" * 3
    deck = anki_deck(tmp_path, {"fake.png": fake, "ok.png": png()},
                     '<img src="../../escape.png"><img src="fake.png"><img src="ok.png"> Which?', "This")
    dest = tmp_path / "out" / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "media" in line]
    assert len([line for line in lines if "escape.png" in line]) == 1
    assert len([line for line in lines if "fake.png" in line]) == 1
    assert "Traceback" not in err
    assert pack_files(dest / "media") == {"ok.png"}
    assert not (tmp_path / "escape.png").exists() and not (tmp_path / "out" / "escape.png").exists()
    assert load_pack(dest).ok


MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="shortanswer">
    <name><text>River</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which river is shown? <img src="@@PLUGINFILE@@/river%20map.png" alt=""></p>]]></text>
      <file name="river map.png" path="/" encoding="base64">{png}</file>
      <file name="../../evil.png" path="/" encoding="base64">{png}</file>
      <file name="notes.png" path="/" encoding="base64">{text}</file>
    </questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>Yalu</text></answer>
  </question>
</quiz>
"""


def test_moodle_base64_png_comes_into_media_and_goes_back_out(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    xml = tmp_path / "river.xml"
    xml.write_text(MOODLE.format(png=base64.b64encode(png()).decode(),
                                 text=base64.b64encode(b"plain words, not a picture").decode()), encoding="utf-8")
    dest = tmp_path / "pack"
    assert main(["import", str(xml), "--to", str(dest)]) == 0
    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if "notes.png" in line]) == 1
    assert "Traceback" not in err
    # the traversal name is cut to its plain file name, inside media/; the same picture is kept once
    assert pack_files(dest / "media") <= {"river-map.png", "evil.png"}
    assert not (tmp_path / "evil.png").exists()
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None
    (q,) = loaded.pack.questions
    assert "media/river-map.png" in q.media
    # out to Moodle XML and back in: the picture survives
    out = tmp_path / "again.xml"
    assert main(["export", str(dest), "--format", "moodlexml", "-o", str(out)]) == 0
    assert base64.b64encode(png()).decode() in out.read_text(encoding="utf-8")
    dest2 = tmp_path / "pack2"
    assert main(["import", str(out), "--to", str(dest2)]) == 0
    again = load_pack(dest2)
    assert again.ok and again.pack is not None
    assert (dest2 / again.pack.questions[0].media[0]).read_bytes() == png()


def test_apkg_round_trip_keeps_media(tmp_path: Path) -> None:
    deck = anki_deck(tmp_path, {"map.png": png(), "say.mp3": mp3()},
                     'Where? <img src="map.png">[sound:say.mp3]', "Here")
    dest = tmp_path / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    out = tmp_path / "back.apkg"
    assert main(["export", str(dest), "--format", "apkg", "-o", str(out)]) == 0
    dest2 = tmp_path / "pack2"
    assert main(["import", str(out), "--to", str(dest2)]) == 0
    assert (dest2 / "media/map.png").read_bytes() == png()
    assert (dest2 / "media/say.mp3").read_bytes() == mp3()
    loaded = load_pack(dest2)
    assert loaded.ok and loaded.pack is not None
    assert set(loaded.pack.questions[0].media) == {"media/map.png", "media/say.mp3"}


def test_gift_images_beside_the_file_come_in_and_hostile_ones_stay_out(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secret.png").write_bytes(png())  # outside the GIFT file's folder
    here = tmp_path / "quiz"
    (here / "img").mkdir(parents=True)
    (here / "img" / "map.png").write_bytes(png())
    (here / "fake.png").write_text("not a picture at all", encoding="utf-8")
    (here / "big.png").write_bytes(png() + b"\x00" * (6 * 1024 * 1024))
    os.symlink(tmp_path / "secret.png", here / "link.png")
    gift = here / "quiz.gift"
    gift.write_text(
        '::map::[html]Which river? <img src="img/map.png">{=Yalu}\n\n'
        '::up::[html]Up <img src="../secret.png">{=one}\n\n'
        '::fake::[html]Fake <img src="fake.png">{=two}\n\n'
        '::big::[html]Big <img src="big.png">{=three}\n\n'
        '::link::[html]Link <img src="link.png">{=four}\n', encoding="utf-8")
    dest = tmp_path / "pack"
    assert main(["import", str(gift), "--to", str(dest)]) == 0
    err = capsys.readouterr().err
    for name in ("../secret.png", "fake.png", "big.png", "link.png"):
        assert len([line for line in err.splitlines() if repr(name) in line]) == 1, (name, err)
    assert "Traceback" not in err
    assert pack_files(dest / "media") == {"map.png"}
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None
    assert loaded.pack.question("map").media == ("media/map.png",)
    assert loaded.pack.question("up").media == ()


def test_json_round_trip_keeps_media(tmp_path: Path) -> None:
    deck = anki_deck(tmp_path, {"map.png": png(), "say.mp3": mp3()},
                     'Where? <img src="map.png">[sound:say.mp3]', "Here")
    dest = tmp_path / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    out = tmp_path / "pack.json"
    assert main(["export", str(dest), "--format", "json", "-o", str(out)]) == 0
    dest2 = tmp_path / "pack2"
    assert main(["import", str(out), "--format", "json", "--to", str(dest2)]) == 0
    assert pack_files(dest2 / "media") == pack_files(dest / "media") == {"map.png", "say.mp3"}
    assert (dest2 / "questions").is_dir()
    first, second = load_pack(dest).pack, load_pack(dest2).pack
    assert first is not None and second is not None
    assert [q.media for q in first.questions] == [q.media for q in second.questions]


def test_apkg_media_map_with_traversal_and_oversized_members(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import zipfile

    deck = anki_deck(tmp_path, {"a.png": png(), "b.png": png(3, 3)},
                     '<img src="../../evil.png"><img src="huge.png"> Which?', "This")
    crafted = tmp_path / "crafted.apkg"
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename not in ("media", "0", "1"):
                out.writestr(info, src.read(info))
        out.writestr("media", json.dumps({"0": "../../evil.png", "1": "huge.png"}))
        out.writestr("0", png())
        out.writestr("1", png() + b"\x00" * (6 * 1024 * 1024))
    dest = tmp_path / "out" / "pack"
    assert main(["import", str(crafted), "--to", str(dest)]) == 0
    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if "huge.png" in line]) == 1 and "Traceback" not in err
    assert pack_files(dest / "media") == {"evil.png"}
    assert not any(p.name == "evil.png" for p in tmp_path.rglob("*") if "media" not in p.parts)
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None
    assert loaded.pack.questions[0].media == ("media/evil.png",)


def test_a_png_called_jpg_comes_in_as_png(tmp_path: Path) -> None:
    deck = anki_deck(tmp_path, {"photo.jpg": png()}, 'Who? <img src="photo.jpg">', "Kim")
    dest = tmp_path / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None
    assert loaded.pack.questions[0].media == ("media/photo.png",)


def test_the_summary_counts_the_media_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = anki_deck(tmp_path, {"map.png": png(), "say.mp3": mp3()},
                     'Where? <img src="map.png">[sound:say.mp3]', "Here")
    assert main(["import", str(deck), "--to", str(tmp_path / "pack")]) == 0
    assert "imported 1 question, skipped 0, 2 picture or sound files into media/" in capsys.readouterr().out


def test_media_through_the_anki_library_both_ways(tmp_path: Path) -> None:
    """Our .apkg opens in Anki with its picture and sound; Anki's own newer export (zstd media) comes back."""
    from formatkit import need

    try:
        import anki.collection as ankicol
    except ImportError:
        ankicol = None  # type: ignore[assignment]
    need(ankicol, "the 'anki' Python package is not installed (pip install 'nkstudy[interop]')")
    deck = anki_deck(tmp_path, {"map.png": png(), "say.mp3": mp3()},
                     'Where? <img src="map.png">[sound:say.mp3]', "Here")
    dest = tmp_path / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    ours = tmp_path / "ours.apkg"
    assert main(["export", str(dest), "--format", "apkg", "-o", str(ours)]) == 0
    (tmp_path / "anki").mkdir()
    col = ankicol.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        col.import_anki_package(ankicol.ImportAnkiPackageRequest(package_path=str(ours)))
        media_dir = Path(col.media.dir())
        assert (media_dir / "map.png").read_bytes() == png()
        assert (media_dir / "say.mp3").read_bytes() == mp3()
        (nid,) = col.find_notes("")
        front = col.get_note(nid).fields[0]
        assert 'src="map.png"' in front and "[sound:say.mp3]" in front
        theirs = tmp_path / "theirs.apkg"
        col.export_anki_package(out_path=str(theirs), options=ankicol.ExportAnkiPackageOptions(
            with_scheduling=False, with_media=True, legacy=False), limit=None)
    finally:
        col.close()
    import zipfile

    with zipfile.ZipFile(theirs) as archive:  # Anki's newer package: its list of media is zstd protobuf
        assert archive.read("media").startswith(b"\x28\xb5\x2f\xfd")
    back = tmp_path / "back"
    assert main(["import", str(theirs), "--to", str(back)]) == 0
    assert (back / "media/map.png").read_bytes() == png()
    assert (back / "media/say.mp3").read_bytes() == mp3()
