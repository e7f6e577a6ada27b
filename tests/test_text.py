import pytest
from hypothesis import given, strategies as st

from seop_tui.text import LONG, TextTooLong, clean

MARKUP = ["[bold]", "[/]", "[/", "[@click=app.quit]x[/]", "[link=https://x]y[/link]"]


@pytest.mark.parametrize("value", MARKUP)
def test_markup_is_kept_exactly(value):
    assert clean(value) == value


@pytest.mark.parametrize(
    "value, expected",
    [
        ("\x1b]52;c;ZXZpbA==\x07copied", "copied"),  # OSC 52 clipboard write
        ("\x1b[2Jcleared", "cleared"),
        ("a\x00b\x07c\x9bd", "abcd"),
        ("left\u202eright", "leftright"),  # bidi override
        ("two\nlines", "two lines"),
    ],
)
def test_control_characters_are_removed(value, expected):
    assert clean(value) == expected


def test_multiline_keeps_newlines():
    assert clean("step 1\r\nstep 2", multiline=True, limit=LONG) == "step 1\nstep 2"


def test_too_long_is_refused_not_cut():
    with pytest.raises(TextTooLong, match="200"):
        clean("x" * 201)
    with pytest.raises(TextTooLong):
        clean("x" * 1_000_000, limit=LONG)


@given(st.text())
def test_cleaned_text_has_no_control_characters(value):
    try:
        out = clean(value, limit=10_000, multiline=True)
    except TextTooLong:
        return
    assert not any(ord(ch) < 32 and ch not in "\n\t" or 0x7F <= ord(ch) <= 0x9F for ch in out)
