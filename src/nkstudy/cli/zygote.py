"""``python -m nkstudy.cli.zygote join ...``: the warm process that ``nkstudy serve`` forks its visitors from.

Not a command: serve starts it (see :mod:`nkstudy.tui.classroom.forks`), with its
socket's descriptor in ``NKSTUDY_ZYGOTE_FD``.  Each child runs
:func:`nkstudy.cli.main` with the arguments serve sends, the hidden ``join`` command a
visitor's process runs.  The arguments on the zygote's own command line are those
same ones, there only so that ``ps`` shows what the zygote and its children serve.
"""

from __future__ import annotations

import os
import sys

#: what the children use beyond the apps: the command line and, with a PostgreSQL URL, its driver
MORE = ("nkstudy.cli.serve", "nkstudy.door", "nkstudy.drillroom", "nkstudy.liveroom")
POSTGRES = ("psycopg", "psycopg_pool")


def run(fd: int) -> int:
    from nkstudy.cli import main
    from nkstudy.store.backend import ENV_DB
    from nkstudy.tui.classroom.forks import PRELOAD, fork_server

    more = MORE + (POSTGRES if os.environ.get(ENV_DB, "").startswith(("postgres://", "postgresql://")) else ())
    return fork_server(fd, main, (*PRELOAD, *more))


if __name__ == "__main__":
    from nkstudy.tui.classroom.forks import ENV_FD

    fd = os.environ.pop(ENV_FD, "")
    if not fd.isdigit():
        print("nkstudy.cli.zygote is started by `nkstudy serve`; start nkstudy serve instead", file=sys.stderr)
        sys.exit(2)
    sys.exit(run(int(fd)))
