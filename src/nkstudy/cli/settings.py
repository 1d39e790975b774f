"""``nkstudy settings``: show or change a profile's study settings."""

from __future__ import annotations

import argparse
import json
import sys

from nkstudy.cli.common import Context, error, subcommand

DESCRIPTION = """\
Show the profile's study settings, or change one.

  nkstudy settings                          every setting
  nkstudy settings new_per_day              one setting
  nkstudy settings new_per_day 10           change it (saved at once)
  nkstudy settings learning_steps_minutes "1m 10m 1h"
  nkstudy settings retention 0.85           a setting by a shorter name

settings (the default in parentheses):
  desired_retention         how sure to be of recalling a card, 0.70-0.99 (0.90)
  new_per_day               new cards a day, over every pack (20)
  learning_steps_minutes    a new card's steps, minutes or hours (1m 10m)
  relearning_steps_minutes  a forgotten card's steps (10m)
  maximum_interval_days     the longest interval, in days (36500)
  day_starts_hour           the hour, 0 to 23 local time, a study day begins (4)
  exact_spelling            on: a one-letter slip in a typed answer is wrong
                            (off)
  leech_threshold           lapses that make a card a leech and suspend it (8);
                            0: never

A setting may be named more shortly, in any case and with '-' for '_':
retention, new (new_cards, new_cards_per_day), learning_steps (steps),
relearning_steps, max_interval (maximum_interval), day_starts
(next_day_starts_at), spelling, leech.  A name it does not know gets the
closest one as a suggestion.

The profile's own FSRS parameters are set by `nkstudy optimize`.

exit status: 0 ok, 1 a progress-database problem, 2 usage error (an unknown
setting or a value it does not take)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "settings", "show or change your study settings", DESCRIPTION)
    parser.add_argument("key", nargs="?", metavar="KEY", help="a setting (default: every one)")
    parser.add_argument("value", nargs="?", metavar="VALUE", help="its new value")
    parser.add_argument("--json", action="store_true", help="print the settings as one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.study.settings_text import changed, setting, shown
    from nkstudy.core.text import visible
    from nkstudy.engine import StoreError

    if args.key is not None:
        try:
            args.key = setting(args.key).key  # an alias (retention) names its setting (desired_retention)
        except ValueError as exc:
            error(visible(str(exc)))
            return 2
    engine = ctx.open_engine(create_profile=args.value is not None)  # only a change creates a profile
    if isinstance(engine, int):
        return engine
    try:
        settings = engine.settings
        if args.value is not None:
            try:
                new = changed(settings, args.key, args.value)
            except ValueError as exc:
                error(visible(str(exc)))
                return 2
            settings = engine.update_settings(**{args.key: getattr(new, args.key)})
    except StoreError as exc:
        error(str(exc))
        return 1
    finally:
        engine.close()
    values = shown(settings)
    if args.key is not None:
        values = {args.key: values[args.key]}
    if args.json:
        data = settings.to_dict()
        json.dump({k: data[k] for k in values}, sys.stdout, indent=2)
        print()
        return 0
    width = max(len(k) for k in values)
    for key, text in values.items():
        print(f"{key:<{width}}  {text}")
    return 0
