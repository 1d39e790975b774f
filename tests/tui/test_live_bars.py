"""The projector's answer distribution keeps apart options that differ only at their end."""

from __future__ import annotations

import re

from nkstudy.core.classroom import live as rules
from nkstudy.tui.classroom.screens.live import bars

# the built-in bank's WFP question: two options shared their first 30 characters, and the
# projector showed both as "an estimated three-and-a-half…", the right one and a wrong one alike
WFP = ["an estimated one million", "an estimated thirty-five million", "an estimated three-and-a-half million",
       "an estimated three-and-a-half thousand"]
LONG = ["the delegation of the Workers' Party of Korea to the Chinese Communist Party in May",
        "the delegation of the Workers' Party of Korea to the Chinese Communist Party in March"]


def _labels(options: list[str]) -> list[str]:
    shares = [rules.Share(o, n, n == 1) for n, o in enumerate(options)] + [rules.Share(rules.NO_ANSWER, 0, False)]
    lines = bars(shares).plain.splitlines()
    assert len(lines) == len(shares) and all(len(line) <= 80 for line in lines)
    return [re.sub(r"\s*█*\s*\d+$", "", line[2:]) for line in lines]


def test_options_that_differ_at_the_end_look_different() -> None:
    for options in (WFP, LONG):
        labels = _labels(options)
        assert len(set(labels)) == len(labels), labels


def test_a_short_option_is_shown_whole() -> None:
    assert _labels(WFP)[:4] == WFP
