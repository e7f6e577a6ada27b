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

from textual.content import Content

from seop_tui.text import strip_controls


def clean(value: object, *, one_line: bool = True) -> str:
    """`value` as text without escape sequences or control characters (line breaks folded)."""
    return strip_controls(value, one_line=one_line)


def plain(value: object, style: str = "", *, one_line: bool = True) -> Content:
    """Content that shows `value` exactly as typed (markup included), optionally in one style."""
    return Content.styled(clean(value, one_line=one_line), style)
