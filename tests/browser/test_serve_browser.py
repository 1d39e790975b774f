"""``nkstudy serve`` in a real browser: headless Chromium (Debian's) driven by Playwright.

The browser joins with a name and the class code, answers a question with key
presses, and the answer must be in the database; a wrong code gets nowhere.
Playwright never downloads a browser here: it runs /usr/bin/chromium.  Every
request the page makes to anything but this server is refused, so a test run
sends nothing off this machine.  Screenshots go to the test's tmp_path (and to
$NKSTUDY_SCREENSHOTS when set, to look at them).
"""

from __future__ import annotations

import os
import shutil
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
            else shutil.which("chromium"), headless=True, args=FLAGS, viewport={"width": 1000, "height": 700})
        try:
            yield context
        finally:
            context.close()


def _open(context, url: str):
    page = context.new_page()

    def only_this_server(route) -> None:
        if route.request.url.startswith((url, url.replace("http://", "ws://"))):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_this_server)
    page.goto(url + "/")
    page.wait_for_selector("body.-first-byte", timeout=20_000)  # the app's first output reached the page
    page.wait_for_timeout(1500)  # the join screen is drawn
    page.focus(".xterm-helper-textarea")  # the terminal takes the keys
    return page


def _join(page, name: str, code: str) -> None:
    """Type as a person does: the app moves to the code field after Enter before the code is typed."""
    page.keyboard.type(name, delay=30)
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    page.keyboard.type(code, delay=30)
    page.keyboard.press("Enter")


def _shot(page, path: Path) -> None:
    page.screenshot(path=str(path))
    folder = os.environ.get("NKSTUDY_SCREENSHOTS")
    if folder:
        shutil.copy(path, Path(folder) / path.name)


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


def test_a_student_joins_in_chromium_and_answers_by_key_presses(browser, tmp_path: Path) -> None:
    home = tmp_path
    pack = make_pack(home / "packs" / "test-pack")
    (item,) = items(pack, CHOICE_ONLY)
    data = home / "data"
    served = start_serve(nkstudy_env(data, home / "packs"), CHOICE_ONLY, "--port", str(free_port()))
    try:
        intruder = _open(browser, served.url)
        _shot(intruder, tmp_path / "serve-join.png")
        _join(intruder, "Mallory", "WRONG1" if served.class_code != "WRONG1" else "WRONG2")
        intruder.wait_for_timeout(2000)
        _shot(intruder, tmp_path / "serve-wrong-code.png")
        assert not (data / "progress.sqlite3").exists()  # got nowhere: no profile, no drill opened

        student = _open(browser, served.url)
        _join(student, "Zoe K", served.class_code.lower())
        student.wait_for_timeout(2000)  # the drill's first question is shown
        _shot(student, tmp_path / "serve-question.png")
        student.keyboard.press(right_line(item))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (_rows(data) and _rows(data)[0]):
            time.sleep(0.2)
        assert _rows(data), "no answer reached the database"
        student.wait_for_timeout(500)
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
        _join(first, "Sam", served.class_code)
        first.wait_for_timeout(2000)
        second = _open(browser, served.url)
        _join(second, "sam", served.class_code)  # the same name in another case, while Sam is in
        second.wait_for_timeout(2000)
        _shot(second, tmp_path / "serve-name-taken.png")
        for page in (first, second):
            page.keyboard.press(right_line(item))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not answers():
            time.sleep(0.2)
        second.wait_for_timeout(1500)
        assert [(r.profile, r.correct) for r in answers()] == [("Sam", True)]  # the second Sam never got in
        # five wrong codes from this address, each from a tab of its own (a connection of its own)
        for n in range(5):
            page = _open(browser, served.url)
            _join(page, f"Eve {n}", wrong)
            page.wait_for_timeout(1500)
            page.close()
        late = _open(browser, served.url)
        _join(late, "Zoe", served.class_code)  # the right code now waits too: the limit is per address
        late.wait_for_timeout(2000)
        _shot(late, tmp_path / "serve-too-many.png")
        late.keyboard.press(right_line(item))
        late.wait_for_timeout(2000)
        assert [r.profile for r in answers()] == ["Sam"]  # Zoe was held at the door
        assert "Zoe" not in _rows(data)[1]
    finally:
        code, _out, err = served.stop()
    assert code == 0, err
