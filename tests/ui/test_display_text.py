"""screens.text: people's text shown exactly, minus anything that drives the terminal."""

import pytest

from screens.text import clean, plain


@pytest.mark.parametrize("value", ["[bold]Zed[/]", "[@click=app.quit]x[/]", "[/", "[link=https://x]y[/link]", "a\\[b]"])
def test_markup_is_shown_exactly(value):
    assert clean(value) == value
    assert plain(value).plain == value
    assert plain(value).spans == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\x1b]52;c;ZXZpbA==\x07copied", "copied"),  # OSC 52 clipboard write
        ("\x1b[2Jcleared", "cleared"),
        ("a\x00b\x07c\x9bd\x7fe", "abcde"),
        ("left\u202eright", "leftright"),
        ("two\nlines\tand tab", "two lines and tab"),
        (None, ""),
        (42, "42"),
    ],
)
def test_terminal_controls_are_removed(value, expected):
    assert clean(value) == expected


def test_multiline_keeps_line_breaks():
    assert clean("one\ntwo\x1b[1m", one_line=False) == "one\ntwo"
