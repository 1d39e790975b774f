"""The app's own small files in the data folder: ``app.json`` (the theme) and ``keymap.yaml``.

Both are optional.  A file that cannot be read never stops the app: the
loaders return what they could use and one line saying what was wrong, where.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.core.text import quoted

if TYPE_CHECKING:
    import yaml

APP_FILE = "app.json"
KEYMAP_FILE = "keymap.yaml"
#: one read-merge-write of app.json at a time (the theme and the last profile are saved by workers)
_SAVING = threading.Lock()


# -- app.json ---------------------------------------------------------------
def load_app_settings(data_dir: Path) -> tuple[dict[str, object], str | None]:
    """The saved app settings, and a one-line problem if the file is unreadable."""
    path = Path(data_dir) / APP_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"{path}: could not be read ({exc.strerror or exc}); the defaults are used"
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        return {}, f"{path}:{line}: not valid JSON; delete the file to start afresh"
    if not isinstance(data, dict):
        return {}, f"{path}:1: expected a JSON object; delete the file to start afresh"
    return data, None


def save_app_settings(data_dir: Path, changes: dict[str, object]) -> None:
    """Merge ``changes`` into ``app.json``, atomically (a temporary file, then rename)."""
    with _SAVING:
        _save_app_settings(Path(data_dir), changes)


def _save_app_settings(folder: Path, changes: dict[str, object]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    current, _problem = load_app_settings(folder)
    current.update(changes)
    fd, tmp = tempfile.mkstemp(prefix=".app-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(current, out, indent=2, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / APP_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- keymap.yaml --------------------------------------------------------------
@dataclass(frozen=True)
class KeymapResult:
    keymap: dict[str, str]  # binding id -> keys ("ctrl+n,f2")
    problem: str | None  # the first problem, one line, with file:line
    path: Path


def load_keymap(data_dir: Path, known_ids: Iterable[str]) -> KeymapResult:
    """Read ``keymap.yaml``: a mapping of binding id to a key, a comma list, or a YAML list.

    Entries with an unknown id or an unusable value are skipped; a file that is
    not YAML at all gives an empty keymap.  Either way ``problem`` says where.
    """
    import yaml

    path = Path(data_dir) / KEYMAP_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KeymapResult({}, None, path)
    except (OSError, UnicodeDecodeError) as exc:
        return KeymapResult({}, f"{path}: could not be read ({exc}); default keys are used", path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or "not valid YAML"
        return KeymapResult({}, f"{path}:{line}: {what}; default keys are used", path)
    except yaml.YAMLError as exc:
        return KeymapResult({}, f"{path}:1: not valid YAML ({exc}); default keys are used", path)
    if root is None:
        return KeymapResult({}, None, path)
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        return KeymapResult({}, f"{path}:{line}: expected lines like `home.study: ctrl+n`", path)
    known = set(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        binding_id = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(binding_id, str) or binding_id not in known:
            problems.append(f"{path}:{line}: no binding has the id {quoted(binding_id)} (see docs/app.md for the ids)")
            continue
        keys = _keys(value_node)
        if keys is None:
            problems.append(f"{path}:{line}: give {binding_id} a key, keys separated by commas, or a list")
            continue
        keymap[binding_id] = keys
    problem = None
    if problems:
        more = len(problems) - 1
        problem = problems[0] + (f" (and {more} more)" if more else "")
    return KeymapResult(keymap, problem, path)


def _keys(node: yaml.Node) -> str | None:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        parts = [str(node.value)]
    elif isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        parts = [str(n.value) for n in node.value]
    else:
        return None
    keys = [k.strip() for part in parts for k in part.split(",")]
    if not keys or any(not k or " " in k for k in keys):
        return None
    return ",".join(keys)
