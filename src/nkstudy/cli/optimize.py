"""``nkstudy optimize``: fit the profile's own FSRS parameters with the FSRS project's optimizer."""

from __future__ import annotations

import argparse
import sys

from nkstudy.cli.common import Context, error, subcommand

DESCRIPTION = """\
Fit FSRS's parameters to your own review log with the FSRS project's own
optimizer (fsrs-rs-python, an optional extra: pip install "nkstudy[optimize]"),
and show how well the parameters in use and the fitted ones predict your
reviews: log loss and RMSE (lower is better), on the same reviews.

The fitted parameters are saved to the profile only when you confirm: --yes,
or y at the question on a terminal. Otherwise nothing changes.

It needs at least 100 reviews of cards seen on an earlier day.

exit status: 0 ok (saved or not), 1 too few reviews or a progress-database
problem, 2 usage error or the optimizer is not installed"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "optimize", "fit your own FSRS parameters to your reviews", DESCRIPTION)
    parser.add_argument("--yes", action="store_true", help="save the fitted parameters without asking")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.cardbook import CardBook
    from nkstudy.core.study.optimize import INSTALL_HINT, OptimizerMissing
    from nkstudy.engine import StoreError

    try:
        import fsrs_rs_python  # noqa: F401 - only to say at once when the extra is missing
    except ImportError:
        error(f"the optimizer is not installed; run: {INSTALL_HINT}")
        return 2
    engine = ctx.open_engine(create_profile=False)
    if isinstance(engine, int):
        return engine
    try:
        book = CardBook(engine)
        try:
            result = book.fit()
        except OptimizerMissing:
            error(f"the optimizer is not installed; run: {INSTALL_HINT}")
            return 2
        except ValueError as exc:
            error(f"{exc}; keep studying and run it again later")
            return 1
        own = "your parameters" if engine.settings.parameters else "the default parameters"
        print(f"Fitted to {result.reviews} reviews of profile {engine.profile}.")
        print(f"  {own:<22} log loss {result.before.log_loss:.4f}   RMSE {result.before.rmse:.4f}")
        print(f"  {'the fitted parameters':<22} log loss {result.after.log_loss:.4f}   RMSE {result.after.rmse:.4f}")
        print("  parameters: " + " ".join(f"{p:.4f}" for p in result.parameters))
        save = args.yes
        if not save and sys.stdin.isatty() and sys.stdout.isatty():
            answer = input("Save the fitted parameters to this profile? [y/N] ")
            save = answer.strip().casefold() in ("y", "yes")
        if save:
            book.save_parameters(result.parameters)
            print("Saved: the profile's schedule now uses the fitted parameters.")
        else:
            print("Not saved (run with --yes to save them).")
        return 0
    except StoreError as exc:
        error(str(exc))
        return 1
    finally:
        engine.close()
