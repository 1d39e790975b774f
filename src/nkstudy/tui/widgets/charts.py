"""Small charts drawn with Rich text: horizontal bars, a forecast, a calendar heatmap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from rich.text import Text
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"
SHADES = ("·", "░", "▒", "▓", "█")


def bar(fraction: float, width: int) -> str:
    """A horizontal bar, with eighths for the last cell."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    out = "█" * full
    if part:
        out += " ▏▎▍▌▋▊▉"[part]
    return out.ljust(width)


#: one bar of :func:`hbars`: label, a 0..1 value, a note
BarRow = tuple[str, float, str]
Draw = Callable[[int], Text]


def hbars(rows: Sequence[BarRow], width: int, style: str = "green") -> Text:
    """One line per row: label, a bar for a 0..1 value, and a note."""
    out = Text()
    if not rows:
        return Text("nothing yet", style="dim")
    label_w = min(max(len(r[0]) for r in rows), max(8, width // 3))
    note_w = max(len(r[2]) for r in rows)
    bar_w = max(4, min(40, width - label_w - note_w - 3))
    for i, (label, value, note) in enumerate(rows):
        if i:
            out.append("\n")
        shown = label if len(label) <= label_w else label[: label_w - 1] + "…"
        out.append(shown.ljust(label_w) + " ")
        out.append(bar(value, bar_w), style=style)
        out.append(" " + note.rjust(note_w), style="bold")
    return out


def columns(counts: Sequence[int], labels: Sequence[str], height: int = 5, style: str = "cyan") -> Text:
    """A vertical bar chart: one 2-cell column per count, labels underneath."""
    top = max(counts) if counts else 0
    out = Text()
    if top == 0:
        return Text("nothing due in the next 14 days", style="dim")
    for row in range(height, 0, -1):
        for n in counts:
            level = n / top * height if top else 0
            filled = level - (row - 1)
            if filled >= 1:
                cell = "█"
            elif filled > 0:
                cell = BLOCKS[max(1, round(filled * 8))]
            else:
                cell = " "
            out.append(cell * 2, style=style)
            out.append(" ")
        out.append("\n")
    out.append(" ".join(str(n).rjust(2)[-2:] for n in counts) + "\n", style="bold")
    out.append(" ".join(lbl.rjust(2)[-2:] for lbl in labels), style="dim")
    return out


def heatmap(counts: dict[date, int], today: date, weeks: int) -> Text:
    """A GitHub-style calendar: weeks as columns, Monday to Sunday as rows."""
    weeks = max(4, weeks)
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    top = max((n for d, n in counts.items() if d >= start), default=0)
    out = Text()
    # month labels: over the week a month starts in (the first week: the month it shows)
    labels = [" "] * (weeks * 2 + 1)  # one column more than the grid, as a name at the last week needs
    last_month = None
    free = 0  # first column a label may start at, so names never overlap
    first = True  # the first label may be a month only partly shown: it gives way to the next
    for w in range(weeks):
        day = min(start + timedelta(weeks=w, days=6), today) if w else start
        if day.month != last_month:
            name = day.strftime("%b")
            at = min(w * 2, len(labels) - len(name))  # a long name at the end ends at the edge
            if at < free and first:
                labels[: free] = [" "] * free
                free = 0
            if at >= free:
                labels[at : at + len(name)] = list(name)
                free = at + len(name) + 1
            first = last_month is None
            last_month = day.month
    out.append("    " + "".join(labels).rstrip() + "\n", style="dim")
    for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        out.append(name.ljust(4), style="dim")
        for w in range(weeks):
            day = start + timedelta(weeks=w, days=weekday)
            if day > today:
                out.append("  ")
                continue
            n = counts.get(day, 0)
            level = 0 if n == 0 or top == 0 else 1 + min(3, int((n / top) * 3.999))
            out.append(SHADES[level] + " ", style="green" if n else "dim")
        out.append("\n")
    out.append("    less " + " ".join(SHADES) + " more", style="dim")
    return out


class Chart(Widget):
    """A widget that redraws a chart function at its own width."""

    DEFAULT_CSS = """
    Chart { height: auto; }
    """

    def __init__(self, draw: Draw | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draw = draw

    def set_draw(self, draw: Draw) -> None:
        self.draw = draw
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.draw is None:
            return Text("…", style="dim")
        return self.draw(max(20, self.size.width or 60))
