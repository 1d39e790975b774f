"""Showing a question's pictures: in the terminal with textual-image, else in the system viewer.

textual-image asks the terminal what it can draw (Kitty graphics, Sixel, else coloured
half-blocks) when it is imported, which is possible only before Textual takes the terminal:
:func:`prepare` imports it then, and only when a pack holds a picture.  The system viewer is
run with an argument list (never a shell) on a file the pack loader checked, and checked again
here; nothing from the pack becomes a command.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

from nkstudy.core.media import is_image, read_media
from nkstudy.core.model import Pack

_state: dict[str, Any] = {}
#: the largest picture drawn in the terminal (16 million pixels: 64 MB unpacked at most)
MAX_PIXELS = 16_000_000


def prepare(packs: Iterable[Pack]) -> None:
    """Import textual-image before the app starts, when any question of ``packs`` shows a picture."""
    if "image" in _state:
        return
    if not any(is_image(m) for pack in packs for q in pack.questions for m in q.media):
        return
    try:
        from textual_image.widget import Image
    except Exception:  # noqa: BLE001 - not installed, or the terminal query failed: the viewer is used
        _state["image"] = None
    else:
        _state["image"] = Image


def image_widget(pack: Pack, entry: str, **kwargs: Any) -> Any | None:
    """A textual-image widget showing ``entry`` of ``pack``, or None (no textual-image, or not a picture)."""
    cls = _state.get("image")
    if cls is None or not is_image(entry):
        return None
    data = read_media(pack.path, entry)
    if data is None:
        return None
    try:
        from PIL import Image as PILImage

        picture = PILImage.open(io.BytesIO(data))
        width, height = picture.size
        if width * height > MAX_PIXELS:  # a small file that unpacks to a huge picture: by name only
            return None
        picture.load()
    except Exception:  # noqa: BLE001 - a damaged picture: shown by name only
        return None
    return cls(picture, **kwargs)


def viewer() -> str | None:
    """The system's opener (xdg-open, open), or None when there is none."""
    names = ("open",) if sys.platform == "darwin" else ("xdg-open",)
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def open_externally(pack: Pack, entry: str) -> str:
    """Open ``entry`` of ``pack`` in the system viewer; returns what to tell the learner (one line)."""
    name = entry.split("/", 1)[-1]
    if read_media(pack.path, entry) is None:
        return f"{name} is missing or not a picture or sound; run nkstudy validate on the pack"
    tool = viewer()
    path = (pack.path / entry).absolute()
    if tool is None:
        return f"No picture viewer found (xdg-open); the file is {path}"
    try:
        subprocess.Popen([tool, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        return f"The viewer could not be started; the file is {path}"
    return f"Opened {name} in the system viewer"
