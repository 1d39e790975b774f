"""Every key of the app, declared once: bindings, help sections and palette commands.

Screens and widgets take their ``BINDINGS`` from here, the help screen renders
:data:`SECTIONS`, the command palette offers :data:`GLOBAL_COMMANDS` plus the
current screen's bindings, and ``keymap.yaml`` may remap any binding by its id.
This module imports nothing of the app, so anything may import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType

RATING_NAMES = ("Again", "Hard", "Good", "Easy")


@dataclass(frozen=True)
class Command:
    """An app action offered everywhere: in the palette, and on a key when it has one."""

    title: str
    help: str
    action: str  # an app action, without the "app." prefix
    key: str | None = None
    id: str | None = None
    show: bool = False
    priority: bool = False
    label: str = ""  # the footer's and the help's short description (default: the title)
    palette: bool = True  # offered in the command palette (Ctrl+T is not: Textual's "Theme" lists every theme)

    def binding(self) -> Binding:
        assert self.key is not None
        return Binding(self.key, self.action, self.label or self.title, show=self.show,
                       priority=self.priority, id=self.id)


GLOBAL_COMMANDS: tuple[Command, ...] = (
    Command("Home", "Back to the list of packs", "home"),
    Command("Study all packs", "Study what is due in every pack", "study_all"),
    Command("Practise all packs", "Every question of every pack, without scheduling", "practice_all"),
    Command("Stats", "Accuracy, calendar, forecast, retention and mastery", "stats"),
    Command("Reader", "Read the articles behind the questions", "reader"),
    Command("Timeline", "The visits in date order, 2011 → 2024", "timeline"),
    Command("Card browser", "Search your cards; see their answers; unsuspend and unflag", "browse"),
    Command("Settings", "Retention, new cards a day, steps, day start, spelling, leeches", "settings"),
    Command("Switch profile", "Study as someone else, or create a profile", "profile"),
    Command("Toggle dark/light theme", "Switch between a dark and the light theme", "toggle_theme",
            key="ctrl+t", id="app.theme", label="Dark/light theme", palette=False),
    Command("Help", "Every key on every screen", "help", key="question_mark,f1", id="app.help", show=True),
    Command("Quit", "Leave nkstudy (your progress is already saved)", "quit", key="ctrl+q", id="app.quit",
            priority=True),
)

_BY_ACTION = {c.action: c for c in GLOBAL_COMMANDS}
#: app-wide keys: the global commands that have one, in the order the help lists them
APP = [_BY_ACTION[action].binding() for action in ("help", "toggle_theme", "quit")]
#: Textual's own keys, listed in the help so nobody has to guess them
TEXTUAL = [
    Binding("ctrl+p", "command_palette", "Command palette: every action"),
    Binding("tab", "focus_next", "Next part of the screen"),
]


def _digits(action: str, what: str, id_prefix: str, group: str, count: int = 9) -> list[Binding]:
    """Digit keys 1..count, one binding (and id) each, shown in the help as one row."""
    shared = Binding.Group(group)
    return [Binding(str(n), f"{action}({n})", f"{what} {n}", show=False, id=f"{id_prefix}{n}", group=shared)
            for n in range(1, count + 1)]


HOME = [
    Binding("enter", "study", "Study", id="home.study", priority=True),
    Binding("p", "practice", "Practice", id="home.practice"),
    Binding("s", "app.stats", "Stats", id="home.stats"),
    Binding("r", "reader", "Read", id="home.reader"),
    Binding("t", "timeline", "Events", id="home.timeline"),
    # not in the footer (home's keys fill its 80 columns): in the help, and the palette's "Card browser"
    Binding("b", "app.browse", "Card browser", show=False, id="home.browse"),
    Binding("comma", "app.settings", "Settings", id="home.settings"),
    Binding("u", "app.profile", "Profile", id="home.profile"),
]
#: the second key of each works while typing an answer (the first one is typed into the box)
STUDY = [
    Binding("d", "dont_know", "Don't know", id="study.dont_know"),
    Binding("o,ctrl+o", "open_article", "Article", id="study.article"),
    Binding("m,ctrl+g", "open_media", "Pictures and sounds of the question", show=False, id="study.media"),
    Binding("u,ctrl+z", "undo", "Undo", id="study.undo"),
    Binding("escape", "finish", "End", id="study.end"),
    Binding("ctrl+r,enter", "resend", "Send again", id="study.resend",
            tooltip="Send an answer the database did not take once more (shown only then)"),
]
#: after an answer, on the feedback: Anki's tools for the card just answered
#: (the footer shows the short description; the help and the keymap table the tooltip)
FEEDBACK = [
    Binding("r", "override", "Right", id="study.override",
            tooltip="I was right: count a typed answer marked wrong as right (logged as an override)"),
    Binding("s", "suspend", "Suspend", id="study.suspend",
            tooltip="Suspend the card: not asked again until you unsuspend it in the card browser"),
    Binding("b", "bury", "Bury", id="study.bury", tooltip="Bury the card until the next study day"),
    Binding("f", "flag", "Flag", id="study.flag", tooltip="Flag or unflag the card (find it in the card browser)"),
]
#: scrolling the question and its feedback, while the rating bar keeps 1–4 and Enter
STUDY_SCROLL = [
    Binding("pageup", "scroll_body('page_up')", "Scroll up a page", show=False, id="study.page_up"),
    Binding("pagedown", "scroll_body('page_down')", "Scroll down a page", show=False, id="study.page_down"),
    Binding("up", "scroll_body('up')", "Scroll up", show=False, id="study.scroll_up"),
    Binding("down", "scroll_body('down')", "Scroll down", show=False, id="study.scroll_down"),
]
CHOICE = _digits("pick", "Pick", "answer.pick", "Pick that option")
#: as in plain mode: t and f answer a true/false question (1 and 2 still pick)
TRUE_FALSE = [
    Binding("t", "pick(1)", "True (true/false)", show=False, id="answer.true"),
    Binding("f", "pick(2)", "False (true/false)", show=False, id="answer.false"),
]
TOGGLE = [
    Binding("space", "toggle_option", "Toggle the highlighted option (multi)", show=False, id="answer.toggle"),
    *_digits("toggle_option", "Toggle", "answer.toggle", "Toggle that option (multi)"),
]
ORDER = [
    Binding("shift+up,left_square_bracket", "move(-1)", "Move up", show=False, id="answer.move_up"),
    Binding("shift+down,right_square_bracket", "move(1)", "Move down", show=False, id="answer.move_down"),
]
CARD = [
    Binding("space,enter", "reveal", "Show the answer (flashcard)", show=False, id="answer.reveal"),
    Binding("y", "verdict(True)", "I knew it (flashcard)", show=False, id="answer.knew"),
    Binding("n", "verdict(False)", "I did not know it (flashcard)", show=False, id="answer.didnt"),
]
MATCH = _digits("pair", "Pair with", "answer.pair", "Pair the highlighted item with that answer (match)", 8)
RATING = [
    Binding("left", "move(-1)", "Harder rating", show=False, id="rating.left"),
    Binding("right", "move(1)", "Easier rating", show=False, id="rating.right"),
    Binding("enter", "accept", "Next", id="rating.next"),
    *[Binding(str(n), f"choose({n})", f"Rate {name} and go on", show=False, id=f"rating.{name.lower()}")
      for n, name in enumerate(RATING_NAMES, 1)],
]
SUMMARY = [
    Binding("p", "practise_missed", "Practise missed", id="summary.practise"),
    Binding("escape,enter", "close", "Home", id="summary.home"),
]
STATS = [
    Binding("escape", "app.pop_screen", "Back", id="stats.back"),
    Binding("f5", "reload", "Refresh", id="stats.refresh"),
]
READER = [
    Binding("n", "passage(1)", "Next passage", id="reader.next"),
    Binding("N,b", "passage(-1)", "Prev passage", show=False, id="reader.prev"),
    Binding("d", "drill", "Drill passage", id="reader.drill"),
    Binding("a", "drill_article", "Drill article", show=False, id="reader.drill_article"),
    Binding("l", "toggle_list", "Articles", id="reader.list"),
    Binding("escape", "app.pop_screen", "Back", id="reader.back"),
]
TIMELINE = [
    Binding("d", "drill", "Drill event", id="timeline.drill"),
    Binding("o", "open_article", "Article", id="timeline.article"),
    Binding("escape", "app.pop_screen", "Back", id="timeline.back"),
]
BROWSER = [
    Binding("slash", "search", "Search", id="browser.search"),
    Binding("u", "unsuspend", "Unsuspend", id="browser.unsuspend"),
    Binding("f", "unflag", "Unflag", id="browser.unflag"),
    Binding("escape", "back", "Back", id="browser.back"),
]
SETTINGS = [
    Binding("escape", "dismiss", "Cancel", id="settings.cancel"),
    Binding("ctrl+s", "save", "Save", id="settings.save"),
    Binding("down", "app.focus_next", "Next setting", id="settings.next"),
    Binding("up", "app.focus_previous", "Previous setting", id="settings.previous"),
]
PROFILE = [
    Binding("r", "rename", "Rename", id="profile.rename"),
    Binding("d,delete", "delete", "Delete", id="profile.delete"),
    Binding("escape", "cancel", "Cancel", id="profile.cancel"),
]
CONFIRM = [
    Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    Binding("n,escape", "answer(False)", "No", id="confirm.no"),
]
HELP = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]
MEDIA = [
    Binding("enter,o", "open_external", "Open in the system viewer", id="media.open", priority=True),
    Binding("escape,q", "dismiss", "Close", id="media.close"),
]
#: the small apps of the classroom (nkstudy drill, board, serve): Ctrl+Q and nothing else app-wide.
#: They read no keymap.yaml, so their own bindings carry no ids (there is nothing to remap them with),
#: and they are not sections of SECTIONS: the study app's help lists the study app's keys; these
#: apps show theirs in the footer, and docs/classroom.md lists them.
CLASSROOM = [Binding("ctrl+q", "quit", "Quit", priority=True)]
DRILL = [Binding("d", "dont_know", "Don't know")]
#: the projector of a live drill (nkstudy live): the teacher moves the class on
LIVE = [
    Binding("n,space", "next", "Start/reveal/next"),
    Binding("p", "pause", "Pause/resume"),
    Binding("s", "skip", "Skip"),
    Binding("e", "end", "End"),
]


@dataclass(frozen=True)
class Section:
    """A group of keys as the help lists them."""

    title: str
    bindings: tuple[Binding, ...]
    in_help: bool = True  # the help's own keys are not listed inside it

    def expanded(self) -> list[Binding]:
        """One binding per key (``"N,b"`` becomes two, sharing an id)."""
        return list(Binding.make_bindings(self.bindings))


SECTIONS: tuple[Section, ...] = (
    Section("Everywhere", (*APP, *TEXTUAL)),
    Section("Home", tuple(HOME)),
    Section("Study: answering", (*STUDY, *CHOICE, *TRUE_FALSE, *TOGGLE, *ORDER, *CARD, *MATCH)),
    Section("Study: after answering", (*RATING, *FEEDBACK, *STUDY_SCROLL)),
    Section("Session summary", tuple(SUMMARY)),
    Section("Stats", tuple(STATS)),
    Section("Reader", tuple(READER)),
    Section("Timeline", tuple(TIMELINE)),
    Section("Card browser", tuple(BROWSER)),
    Section("Pictures and sounds", tuple(MEDIA)),
    Section("Settings", tuple(SETTINGS)),
    Section("Profiles", tuple(PROFILE)),
    Section("Confirm", tuple(CONFIRM)),
    Section("Help", tuple(HELP), in_help=False),
)

MOUSE = (
    ("click", "Pick an option, toggle one, or swap two items in order questions"),
    ("click", "A rating; a pack, an event or an article; a passage in the reader"),
)


def binding_ids() -> list[str]:
    """Every binding id in the app, in the order the help lists them (for keymap.yaml)."""
    ids: list[str] = []
    for section in SECTIONS:
        for binding in section.expanded():
            if binding.id and binding.id not in ids:
                ids.append(binding.id)
    return ids


def keymap_clash(keymap: Mapping[str, str]) -> str | None:
    """One line naming a default key that ``keymap`` gives away on the same screen, if any.

    The keymap's binding wins such a key (Textual drops the other one), so the
    other binding is left without that key until it is given another.
    """
    taken = {k: bid for bid, keys in keymap.items() for k in keys.split(",")}
    for section in SECTIONS:
        bindings = section.expanded()
        owners = {b.id for b in bindings}
        for b in bindings:
            if b.id and b.id not in keymap and b.key in taken and taken[b.key] != b.id and taken[b.key] in owners:
                return (f"keymap.yaml: {b.key} is now {taken[b.key]}, so {b.id} ({section.title}) lost it; "
                        f"give {b.id} another key in keymap.yaml")
    return None


_NAMES = {
    "question_mark": "?",
    "comma": ",",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
}


def key_names(key: str) -> str:
    """``shift+up,left_square_bracket`` as people read it: ``Shift+Up / [``."""
    parts = []
    for k in key.split(","):
        k = k.strip()
        name = _NAMES.get(k)
        if name is None:
            name = "+".join(p.capitalize() if len(p) > 1 else p for p in k.split("+"))
        parts.append(name)
    return " / ".join(parts)


def help_rows(section: Section, keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding of a help section, with ``keymap``'s keys where it remaps.

    Bindings in one group (the digits) make one row such as ``1–9``, unless
    the keymap moves one of them: then each is listed with its own key.
    """
    rows: list[tuple[str, str]] = []
    for b in section.bindings:
        group = b.group
        if group is not None:
            members = [m for m in section.bindings if m.group is group]
            if not any(m.id in keymap for m in members):
                if b is members[0]:
                    rows.append((f"{members[0].key}–{members[-1].key}", group.description))
                continue
        rows.append((key_names(keymap.get(b.id or "") or b.key), b.tooltip or b.description))
    return rows


def keymap_markdown() -> str:
    """The table of binding ids in docs/app.md (a test checks the two agree)."""
    keys: dict[str, list[str]] = {}
    what: dict[str, tuple[str, str]] = {}
    for section in SECTIONS:
        for b in section.expanded():
            if not b.id:
                continue
            names = keys.setdefault(b.id, [])
            if b.key not in names:
                names.append(b.key)
            what.setdefault(b.id, (section.title, b.tooltip or b.description))
    lines = ["| id | default keys | where | what it does |", "| --- | --- | --- | --- |"]
    for binding_id in binding_ids():
        title, description = what[binding_id]
        shown = ", ".join(f"`{k}`" for k in keys[binding_id])
        lines.append(f"| `{binding_id}` | {shown} | {title} | {description} |")
    return "\n".join(lines) + "\n"


def bindings(declared: Sequence[Binding]) -> list[BindingType]:
    """A fresh list for a class's ``BINDINGS`` (Textual may extend it)."""
    return list(declared)
