"""A cited passage cut from inside a quotation is shown with its quotation closed."""

from __future__ import annotations

import pytest

from nkstudy.core.text import in_quotes


@pytest.mark.parametrize(("text", "shown"), [
    ("Kim visited the academy.", "“Kim visited the academy.”"),          # plain: wrapped
    ("“China doesn’t like it.", "“China doesn’t like it.”"),          # opened, not closed: closed
    ("“We agree,” he said.", "“We agree,” he said."),                    # opened and closed: as it is
    ('"Cut short here', '"Cut short here"'),
    ('"Whole," he said', '"Whole," he said'),
    ("« Bonjour", "« Bonjour»"),
    ("‘It isn’t", "‘It isn’t"),  # ’ is also an apostrophe: left as it is
])
def test_in_quotes(text: str, shown: str) -> None:
    assert in_quotes(text) == shown

