"""``nkstudy serve`` in a real browser: headless Chromium (Debian's) driven by Playwright.

The browser joins with a name and the class code, answers a question with key
presses, and the answer must be in the database; a wrong code gets nowhere.
Playwright never downloads a browser here: it runs /usr/bin/chromium.  Every
request the page makes to anything but this server is refused, so a test run
sends nothing off this machine.  Screenshots go to the test's tmp_path (and to
$NKSTUDY_SCREENSHOTS when set, to look at them).

Two of them are pictures in docs/classroom.md (docs/img/serve-question.png, and
docs/img/sheets.png: a feedback sheet of the hand class opened in the same
Chromium).  A PNG from Chromium differs by version, so they are not compared
byte for byte: ``--snapshot-update`` writes them anew, and every run checks
that they are there, PNGs of the page's size, and small.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from classkit import CHOICE_ONLY, free_port, items, nkstudy_env, right_line, start_serve
from enginekit import make_pack
from needkit import need
from nkstudy.store.db import Store
from nkstudy.store.drills import results_for

CHROMIUM = os.environ.get("NKSTUDY_CHROMIUM", "/usr/bin/chromium")
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
VIEWPORT = {"width": 1000, "height": 700}
MAX_IMAGE = 100_000  # bytes
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    need(Path(CHROMIUM).is_file() or shutil.which("chromium"),
         f"no Chromium at {CHROMIUM}; install Debian's chromium package (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright for Python is missing; pip install -e '.[test]'")
        return
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM if Path(CHROMIUM).is_file()
            else shutil.which("chromium"), headless=True, args=FLAGS, viewport=VIEWPORT)
        try:
            yield context
        finally:
            context.close()


# what the app draws at each step (the tests wait on these rather than on the clock)
FIRST_QUESTION = "Question 1 of"
WRONG_CODE = "not the class code"
TOO_MANY = "Too many wrong class codes"
TAKEN = "is taken"

_SCREENS: dict[int, bytearray] = {}  # what each page's app wrote to its terminal, as bytes
_ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHM])")


def _open(context, url: str, ready: str = "Your name", focus: bool = True):
    """A new tab on ``url``, once its app has drawn ``ready``; what the app writes is kept (see ``_wait_text``).

    ``focus``: click into the terminal as a visitor might (without it, the page must focus it itself).
    """
    page = context.new_page()
    screen = _SCREENS.setdefault(id(page), bytearray())

    def only_this_server(route) -> None:
        if route.request.url.startswith((url, url.replace("http://", "ws://"))):
            route.continue_()
        else:
            route.abort()

    def watch(socket) -> None:
        socket.on("framereceived", lambda data: screen.extend(data if isinstance(data, bytes) else b""))

    page.route("**/*", only_this_server)
    page.on("websocket", watch)
    page.goto(url + "/")
    page.wait_for_selector("body.-first-byte", timeout=20_000)  # the app's first output reached the page
    _wait_text(page, ready)
    if focus:
        page.focus(".xterm-helper-textarea")  # the terminal takes the keys
    return page


def _screen(page) -> str:
    """Everything the page's app has written so far, escapes taken out (runs of text as they were drawn)."""
    return _ESCAPES.sub(b" ", bytes(_SCREENS.get(id(page), b""))).decode("utf-8", "replace")


def _mark(page) -> int:
    return len(_screen(page))


def _wait_text(page, text: str | tuple[str, ...], since: int = 0, timeout: float = 20) -> str:
    """Wait until the app has drawn ``text`` (or one of several) after position ``since`` of ``_screen``.

    Returns the text seen; fails after ``timeout`` seconds, saying what the page did show.
    """
    wanted = (text,) if isinstance(text, str) else text
    deadline = time.monotonic() + timeout
    while True:
        shown = _screen(page)[since:]
        for one in wanted:
            if one in shown:
                return one
        assert time.monotonic() < deadline, f"the page never showed {wanted!r}: {shown[-400:]!r}"
        page.wait_for_timeout(50)


def _join(page, name: str, code: str, expect: str | tuple[str, ...] | None = None) -> None:
    """Type as a person does: the app moves to the code field after Enter before the code is typed.

    ``expect``: the text the app draws once the door has answered (a question, a refusal).
    """
    since = _mark(page)
    page.keyboard.type(name, delay=30)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.type(code, delay=30)
    page.keyboard.press("Enter")
    if expect is not None:
        _wait_text(page, expect, since)


def _shot(page, path: Path) -> None:
    page.screenshot(path=str(path))
    folder = os.environ.get("NKSTUDY_SCREENSHOTS")
    if folder:
        shutil.copy(path, Path(folder) / path.name)


def _docs_png(request: pytest.FixtureRequest, shot: Path, name: str) -> None:
    """Copy ``shot`` into docs/img with --snapshot-update; always check that the docs' copy is a fit PNG."""
    target = DOCS_IMG / name
    if request.config.getoption("--snapshot-update", default=False):
        shutil.copy(shot, target)
    assert target.is_file(), f"docs/img/{name} is missing: run {request.node.name} with --snapshot-update"
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < MAX_IMAGE, f"docs/img/{name}: not a small PNG"
    assert struct.unpack(">II", data[16:24]) == (VIEWPORT["width"], VIEWPORT["height"])


def _sheet_shot(context, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Bob's feedback sheet (``report --format sheets``) of the hand class, as Chromium prints it on screen."""
    from drillkit import CODE, class_results
    from nkstudy.classroom.report import build_report
    from nkstudy.classroom.report_pages import render_sheets

    pack = make_pack(tmp_path / "sheet-pack" / "test-pack")
    report = build_report(CODE, [r for r in class_results(pack) if r.attempt == "bob-1"], [pack])
    page_file = tmp_path / "sheets.html"
    page_file.write_text(render_sheets(report), encoding="utf-8")
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_file.as_uri())
    assert page.inner_text("h1") == "bob"  # one sheet: bob's
    _shot(page, tmp_path / "sheets.png")
    page.close()
    _docs_png(request, tmp_path / "sheets.png", "sheets.png")


def _visitors(data: Path) -> list[int]:
    """The pids of the visitor processes serving this data folder (not serve's zygote, which forks them)."""
    found: dict[int, list[bytes]] = {}
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"join" in argv and str(data.resolve()).encode() in argv:
            found[int(proc.name)] = argv
    return [pid for pid, argv in found.items() if b"nkstudy.cli.zygote" not in argv or _parent(pid) in found]


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def _rows(data: Path):
    if not (data / "progress.sqlite3").exists():
        return []
    store = Store(data / "progress.sqlite3")
    try:
        return results_for(store, CHOICE_ONLY), store.profile_names()
    finally:
        store.close()


def test_a_student_joins_in_chromium_and_answers_by_key_presses(browser, tmp_path: Path,
                                                                 request: pytest.FixtureRequest) -> None:
    home = tmp_path
    pack = make_pack(home / "packs" / "test-pack")
    (item,) = items(pack, CHOICE_ONLY)
    data = home / "data"
    served = start_serve(nkstudy_env(data, home / "packs"), CHOICE_ONLY, "--port", str(free_port()))
    try:
        intruder = _open(browser, served.url)
        _shot(intruder, tmp_path / "serve-join.png")
        _join(intruder, "Mallory", "WRONG1" if served.class_code != "WRONG1" else "WRONG2", expect=WRONG_CODE)
        _shot(intruder, tmp_path / "serve-wrong-code.png")
        assert not (data / "progress.sqlite3").exists()  # got nowhere: no profile, no drill opened

        # nobody clicks: the page focused the terminal, so the first key presses already count
        student = _open(browser, served.url, focus=False)
        assert student.evaluate("document.activeElement.classList.contains('xterm-helper-textarea')")
        # the terminal's font is the one this server serves (every other request is refused)
        assert student.evaluate("[...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Roboto Mono'"
                                " && f.status === 'loaded')")
        _join(student, "Zoe K", served.class_code.lower(), expect=FIRST_QUESTION)
        _shot(student, tmp_path / "serve-question.png")
        _docs_png(request, tmp_path / "serve-question.png", "serve-question.png")
        student.keyboard.press(right_line(item))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (_rows(data) and _rows(data)[0]):
            time.sleep(0.2)
        assert _rows(data), "no answer reached the database"
        student.wait_for_timeout(300)
        _shot(student, tmp_path / "serve-done.png")
        rows, profiles = _rows(data)
        assert [(r.profile, r.question_id, r.correct, r.answer) for r in rows] == [
            ("Zoe K", "q-choice", True, "Pyongyang")]
        assert profiles == ["Zoe K"]  # Mallory never got a profile
        assert len(_visitors(data)) == 2  # one process per visitor
    finally:
        code, _out, err = served.stop()
    assert code == 0, err
    deadline = time.monotonic() + 10
    while _visitors(data) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _visitors(data) == []  # Ctrl+C ended every visitor's app
    _sheet_shot(browser, tmp_path, request)  # this test's Chromium draws the docs' feedback sheet too


def test_in_chromium_a_taken_name_is_refused_and_wrong_codes_are_limited_across_tabs(browser, tmp_path: Path) -> None:
    """The terminal is drawn on a canvas, so what got in is read from the database: answers, by whom."""
    home = tmp_path
    pack = make_pack(home / "packs" / "test-pack")
    (item,) = items(pack, CHOICE_ONLY)
    data = home / "data"
    served = start_serve(nkstudy_env(data, home / "packs"), CHOICE_ONLY, "--port", str(free_port()))
    wrong = "WRONG1" if served.class_code != "WRONG1" else "WRONG2"

    def answers() -> list:
        got = _rows(data)
        return list(got[0]) if got else []

    try:
        first = _open(browser, served.url)
        _join(first, "Sam", served.class_code, expect=FIRST_QUESTION)
        second = _open(browser, served.url)
        _join(second, "sam", served.class_code, expect=TAKEN)  # the same name in another case, while Sam is in
        _shot(second, tmp_path / "serve-name-taken.png")
        for page in (first, second):
            page.keyboard.press(right_line(item))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not answers():
            time.sleep(0.2)
        second.wait_for_timeout(500)
        assert [(r.profile, r.correct) for r in answers()] == [("Sam", True)]  # the second Sam never got in
        # five wrong codes from this address, each from a tab of its own (a connection of its own)
        for n in range(5):
            page = _open(browser, served.url)
            _join(page, f"Eve {n}", wrong, expect=(WRONG_CODE, TOO_MANY))
            page.close()
        late = _open(browser, served.url)
        _join(late, "Zoe", served.class_code, expect=TOO_MANY)  # the right code waits too: the limit is per address
        _shot(late, tmp_path / "serve-too-many.png")
        late.keyboard.press(right_line(item))
        late.wait_for_timeout(1000)
        assert [r.profile for r in answers()] == ["Sam"]  # Zoe was held at the door
        assert "Zoe" not in _rows(data)[1]
    finally:
        code, _out, err = served.stop()
    assert code == 0, err
