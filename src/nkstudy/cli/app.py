"""Opening the Textual app (the only place the CLI imports Textual)."""

from __future__ import annotations

import argparse

from nkstudy.cli.common import Context


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.tui.app import run_app

    return run_app(ctx)
