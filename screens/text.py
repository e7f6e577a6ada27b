"""Turning people's text into something safe to show.

Names, goals and notes typed by students and staff can contain `[bold]`,
`[@click=app.quit]` or terminal escape sequences. Nothing a person typed is
ever parsed as markup: wrap it with `plain()` (a `Content`, which Textual
renders literally) or pass `markup=False`.

Services already clean text on the way in (seop_tui.text.clean); this is the
second guard, on the way out, for anything that reached the database another
way (an import, an old row). It never raises and never shortens.
"""

from __future__ import annotations

import re

from textual.content import Content

# Whole escape sequences (CSI, OSC, two-character ESC x), then any control character left:
# C0 except tab and newline, DEL, C1, and bidirectional overrides that disguise text.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def clean(value: object, *, one_line: bool = True) -> str:
    """`value` as text without escape sequences or control characters (line breaks folded)."""
    text = "" if value is None else str(value)
    text = _ESCAPE_SEQUENCE.sub("", text)
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return _UNSAFE.sub("", text)


def plain(value: object, style: str = "", *, one_line: bool = True) -> Content:
    """Content that shows `value` exactly as typed (markup included), optionally in one style."""
    return Content.styled(clean(value, one_line=one_line), style)
