"""Pinning a process and its children to one CPU: a stand-in for a machine of its own.

Linux only (``os.sched_setaffinity``).  A serve host's zygote is started before serve
listens, so pinning serve and its children pins every visitor forked later too.
"""

from __future__ import annotations

import os
from pathlib import Path


def children(pid: int) -> list[int]:
    """The pids of ``pid``'s descendants, read from /proc."""
    parents: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        parents[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent:
                found.append(child)
                todo.append(child)
    return found


def pin(pid: int, cpu: int) -> list[int]:
    """Pin ``pid`` and its descendants to ``cpu``; the pids pinned."""
    pinned = []
    for one in [pid, *children(pid)]:
        try:
            os.sched_setaffinity(one, {cpu})
            pinned.append(one)
        except OSError:
            pass
    return pinned
