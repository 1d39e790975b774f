"""Where nkstudy keeps things: resolved once, at the edge, and passed in."""

from __future__ import annotations

import getpass
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nkstudy.core.packs.discovery import PackPlace


APP_NAME = "nkstudy"
ENV_HOME = "NKSTUDY_HOME"
ENV_PACKS = "NKSTUDY_PACKS"
ENV_PROFILE = "NKSTUDY_PROFILE"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $NKSTUDY_HOME, else the platform's user data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_pack_dir(base: Path) -> Path:
    return base / "packs"


def builtin_pack_dir() -> Path:
    """The packs shipped with nkstudy.

    In a wheel they live in ``nkstudy/_packs``; in a source checkout (editable
    install) they are the repository's ``questions/`` folder.
    """
    shipped = Path(str(resources.files("nkstudy"))) / "_packs"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "questions"


def default_profile() -> str:
    env = os.environ.get(ENV_PROFILE)
    if env:
        return env
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    return name or "default"


def pack_places(base: Path, extra: list[str] | None = None) -> list[PackPlace]:
    from nkstudy.core.packs.discovery import PackPlace

    places = [PackPlace(builtin_pack_dir(), "built-in"), PackPlace(user_pack_dir(base), "user")]
    for folder in extra or []:
        places.append(PackPlace(Path(folder).expanduser(), "--packs"))
    env = os.environ.get(ENV_PACKS, "")
    for folder in env.split(os.pathsep):
        if folder.strip():
            places.append(PackPlace(Path(folder.strip()).expanduser(), ENV_PACKS))
    return places
