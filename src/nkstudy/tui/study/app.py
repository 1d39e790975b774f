"""The Textual app: ``nkstudy`` with no arguments.

The app is given everything it needs (packs, data folder, profile, clock and
an engine factory), so tests run it against ``tmp_path`` and a fixed time.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ClassVar, Protocol

from textual import on, work
from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from nkstudy.core.model import Pack
from nkstudy.core.study.session import StudyRequest
from nkstudy.core.text import visible
from nkstudy.engine import Engine
from nkstudy.tui import keys
from nkstudy.tui.media import prepare as prepare_media
from nkstudy.tui.screens.workers import notify_failure
from nkstudy.tui.study.commands import NkCommands
from nkstudy.tui.study.host import HostApp
from nkstudy.tui.study.messages import EngineReady, ProfileSwitched
from nkstudy.tui.study.screens.base import EngineScreen

DARK, LIGHT = "textual-dark", "textual-light"
#: the actions that need the progress database
NEEDS_ENGINE = frozenset({"stats", "settings", "profile", "study_all", "practice_all", "browse"})


class EngineFactory(Protocol):
    def __call__(self, data_dir: Path, profile: str, packs: Sequence[Pack], *,
                 clock: Callable[[], datetime]) -> Engine: ...


class NkStudyApp(HostApp):
    TITLE = "nkstudy"
    CSS_PATH = "app.tcss"
    COMMANDS = HostApp.COMMANDS | {NkCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.APP)

    def __init__(
        self,
        packs: Sequence[Pack],
        data_dir: Path,
        profile: str,
        clock: Callable[[], datetime],
        engine_factory: EngineFactory = Engine,
        *,
        theme: str | None = None,
        problems: Sequence[str] = (),
        start: StudyRequest | None = None,
        profile_given: bool = True,
        db: str | None = None,
    ) -> None:
        super().__init__()
        self.packs = list(packs)
        self.data_dir = Path(data_dir)
        self.profile = profile
        #: False when no --profile (nor $NKSTUDY_PROFILE) named one: then the last profile used is opened
        self.profile_given = profile_given
        #: the progress database named by --db (a URL or a file), else None for the data folder's file
        self.db = db
        self.clock = clock
        self.engine_factory = engine_factory
        self.engine = None
        #: a theme given here is pinned (tests); otherwise the one saved in app.json
        self.start_theme = theme
        self.saved_theme: str | None = None
        #: binding id -> keys, from keymap.yaml (the help screen shows these)
        self.user_keymap = {}
        self.errors: list[BaseException] = []
        #: one line per pack that could not be loaded, shown on the home screen
        self.problems = list(problems)
        #: a session to start as soon as the engine is open (``nkstudy study`` with its options)
        self.start_request = start
        #: why the progress database could not be opened (then nothing that needs it is offered)
        self.engine_problem: str | None = None

    # -- start and stop -----------------------------------------------------
    def on_mount(self) -> None:
        from nkstudy.tui.study.screens.home import HomeScreen

        self.theme = self.start_theme or self.load_theme()
        self.saved_theme = self.theme  # only a change is written back
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.load_keymap()
        if self.profile_given:  # else named once the last profile used is known
            self.sub_title = f"profile {visible(self.profile)}"
        self.push_screen(HomeScreen())
        self.open_engine()

    def load_theme(self) -> str:
        """The theme saved by the last run (app.json in the data folder), else dark."""
        from nkstudy.tui.config import load_app_settings

        data, problem = load_app_settings(self.data_dir)
        if problem and self.data_folder_usable():
            self.notify(visible(problem), title="Settings file", severity="warning", timeout=8, markup=False)
        theme = data.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.saved_theme = theme
            return theme
        return DARK

    def data_folder_usable(self) -> bool:
        """False when the data folder is a file (the engine's error then says so, once)."""
        return not self.data_dir.exists() or self.data_dir.is_dir()

    def load_keymap(self) -> None:
        """Apply keymap.yaml from the data folder; a bad entry is skipped and named."""
        from nkstudy.tui.config import load_keymap

        result = load_keymap(self.data_dir, keys.binding_ids())
        problem = result.problem or keys.keymap_clash(self._normalize_keymap(result.keymap))
        if problem and self.data_folder_usable():  # else the home screen says why, once
            self.notify(visible(problem), title="Keymap", severity="warning", timeout=10, markup=False)
        self.user_keymap = result.keymap
        if result.keymap:
            self.set_keymap(result.keymap)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.saved_theme:
            self.saved_theme = theme.name
            self.save_theme(theme.name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="app-settings")
    def save_theme(self, name: str) -> None:
        from nkstudy.tui.config import save_app_settings

        save_app_settings(self.data_dir, {"theme": name})

    @work(thread=True, exclusive=True, exit_on_error=False, group="engine")
    def open_engine(self) -> None:
        from nkstudy.engine import StoreError

        profile = self.profile if self.profile_given else self.last_profile()
        engine = self.engine_factory(self.data_dir, profile, self.packs, clock=self.clock)
        if engine.store.read_only:  # found at start: the home screen says so, not the first answer
            engine.close()
            raise StoreError(engine.store.read_only)
        self.post_message(EngineReady(engine))

    def last_profile(self) -> str:
        """The profile to open when none was named (in a worker: it reads the database)."""
        from nkstudy.engine import profile_to_open
        from nkstudy.tui.config import load_app_settings

        saved = load_app_settings(self.data_dir)[0].get("profile")
        wanted = [saved, self.profile] if isinstance(saved, str) else [self.profile]
        return profile_to_open(self.data_dir, wanted, db=self.db)

    @work(thread=True, exclusive=True, exit_on_error=False, group="app-profile")
    def save_profile(self, name: str) -> None:
        """Remember ``name`` in app.json: the app opens on it next time."""
        from nkstudy.tui.config import save_app_settings

        save_app_settings(self.data_dir, {"profile": name})

    def _reload_screen(self) -> None:
        if isinstance(self.screen, EngineScreen):
            self.screen.reload()

    @on(EngineReady)
    def _engine_ready(self, message: EngineReady) -> None:
        self.engine = message.engine
        self.profile = message.engine.profile
        self.sub_title = f"profile {visible(self.profile)}"
        self.save_profile(self.profile)
        self._reload_screen()
        if self.start_request is not None:
            request, self.start_request = self.start_request, None
            self.start_study(request)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (opening the engine, saving the theme); screens' workers fail in their screen.

        Not a screen's matter, so not :class:`~nkstudy.tui.screens.workers.WorkerErrors`:
        a database that cannot be opened changes the whole app (what it offers, what
        the home screen says), once; any other failure is reported like a screen's.
        """
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group != "engine":
            self.report_error(event.worker.error)
            return
        # Without a database nothing can be kept: say so once, where the numbers go, and
        # offer nothing that needs it (no "still opening", no stats that never load).
        error = event.worker.error
        if error is not None:
            self.errors.append(error)
        self.engine_problem = visible(
            f"Your progress cannot be kept: the data folder {self.data_dir} cannot be used "
            f"({error or 'unknown error'}). You can still read the articles and the timeline; "
            "to study, start nkstudy with --data-dir set to a folder you can write to."
        )
        self._reload_screen()
        self.screen.refresh_bindings()

    def report_error(self, error: BaseException | None) -> None:
        """Every failed engine call ends here: one line, in a notification; the exit code becomes 1."""
        if error is None:
            return
        self.errors.append(error)
        notify_failure(self, error)

    def close_engine(self) -> None:
        """Release the database (progress is saved as you go; this only closes)."""
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.close()

    # -- navigation -----------------------------------------------------------
    def start_study(self, request: StudyRequest, *, title: str | None = None, replace: bool = False) -> None:
        from nkstudy.tui.study.screens.study import StudyScreen

        if self.engine_missing():
            return
        if title is None:
            names = [visible(p.title) for p in self.packs if p.id in (request.pack_ids or ())]
            title = ", ".join(names) or "Study"
            if request.practice:
                title = f"Practice: {title}"
        screen = StudyScreen(title, request)
        if replace:
            self.switch_screen(screen)
            return
        # One session at a time: a drill started from the reader or the timeline that a
        # question opened takes that session's place (its answers are already saved), so
        # Esc leads home instead of back through the abandoned question.
        if any(isinstance(s, StudyScreen) for s in self.screen_stack):
            self.action_home()
        self.push_screen(screen)

    def open_reader(
        self, pack_id: str | None = None, source_id: str | None = None, excerpt: str | None = None
    ) -> None:
        from nkstudy.tui.study.screens.reader import ReaderScreen

        pack = self.pack(pack_id)
        if pack is None:
            self.notify("No pack to read.")
            return
        self.push_screen(ReaderScreen(pack, source_id, excerpt))

    def open_timeline(self) -> None:
        from nkstudy.tui.study.screens.timeline import TimelineScreen

        self.push_screen(TimelineScreen(self.packs))

    # -- actions (keys and the command palette) --------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Of Textual's own palette commands only "Theme": Quit is one of ours, and Keys,
        Maximize and Screenshot are a developer's tools that mean nothing in a study app."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield command

    def action_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_ENGINE and self.engine_problem is not None:
            return None  # shown, but disabled: the home screen says why
        return True

    def engine_missing(self) -> bool:
        """True (and one line saying why) when there is no engine to act on."""
        if self.engine is not None:
            return False
        self.notify(self.engine_problem or "Still opening your progress; try again in a moment.",
                    severity="error" if self.engine_problem else "information", markup=False)
        return True

    def action_stats(self) -> None:
        from nkstudy.tui.study.screens.stats import StatsScreen

        if not self.engine_missing():
            self.push_screen(StatsScreen())

    def action_reader(self) -> None:
        self.open_reader(None)

    def action_browse(self) -> None:
        from nkstudy.tui.study.screens.browser import BrowserScreen

        if not self.engine_missing():
            self.push_screen(BrowserScreen())

    def action_timeline(self) -> None:
        self.open_timeline()

    def action_study_all(self) -> None:
        self.start_study(StudyRequest(pack_ids=[p.id for p in self.packs]), title="All packs")

    def action_practice_all(self) -> None:
        self.start_study(StudyRequest(pack_ids=[p.id for p in self.packs], practice=True),
                         title="Practice: all packs")

    def action_help(self) -> None:
        from nkstudy.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.user_keymap))

    def action_settings(self) -> None:
        from nkstudy.tui.study.screens.settings import SettingsScreen

        if self.engine is not None:
            self.push_screen(SettingsScreen(self.engine))
        else:
            self.engine_missing()

    def action_profile(self) -> None:
        from nkstudy.tui.study.screens.profile import ProfileScreen

        if self.engine is not None:
            self.push_screen(ProfileScreen(self.engine))
        else:
            self.engine_missing()

    def action_toggle_theme(self) -> None:
        """From any dark theme to the light one, and from any light one to the dark one."""
        self.theme = LIGHT if self.current_theme.dark else DARK

    @on(ProfileSwitched)
    def _profile_switched(self, message: ProfileSwitched) -> None:
        self.profile = message.profile
        self.sub_title = f"profile {visible(message.profile)}"
        self.save_profile(message.profile)
        self.action_home()
        self._reload_screen()


def settle_loaded_packs() -> None:
    """Take what is in memory now (the loaded packs above all) out of the collector's passes.

    Called after the packs are loaded and before the app starts (``Context.launch_app``
    loads them with the collector paused and calls this before it resumes).  The
    packs live as long as the process; a large pack is hundreds of thousands of objects,
    and each full pass of the cyclic collector walked all of them again while the app
    started (about 0.15 s at 100,000 questions).  Objects frozen here are still freed
    when their last reference goes, but a cycle among them is never collected: right for
    the packs and the modules, which stay; the start-up path makes hardly any other.
    """
    gc.freeze()


def run_app(packs: Sequence[Pack], data_dir: Path, profile: str, clock: Callable[[], datetime], *,
            problems: Sequence[str] = (), start: StudyRequest | None = None, profile_given: bool = True,
            db: str | None = None) -> int:
    """Open the app; ``start`` opens a study session at once; ``db`` names the progress database (default:
    the data folder's file).  Returns the exit code (1 when an engine call failed)."""
    settle_loaded_packs()
    prepare_media(packs)  # textual-image asks the terminal what it draws: only before the app starts
    factory = partial(Engine, db=db) if db else Engine
    app = NkStudyApp(packs, data_dir, profile, clock, factory, problems=problems, start=start,
                     profile_given=profile_given, db=db)
    try:
        app.run()
    finally:
        app.close_engine()
    return 0 if not app.errors else 1
