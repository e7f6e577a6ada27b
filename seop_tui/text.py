"""Cleaning text people type before it is stored.

Control characters (C0 except tab and newline, DEL, C1) and bidirectional
overrides are removed: they could move the cursor, clear a screen, set the
clipboard (OSC 52) or disguise text on a shared terminal. Markup-looking text
such as "[bold]" is kept exactly; screens render it literally.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")

SHORT = 200  # names, titles, one-line answers
LONG = 4000  # notes, goals with steps, comments


class TextTooLong(ValueError):
    def __init__(self, limit: int, length: int):
        super().__init__(f"That is too long: {length:,} characters, and the most this field takes is {limit:,}.")
        self.limit = limit


def strip_controls(value: object, *, one_line: bool = True) -> str:
    """`value` as text without escape sequences or control characters; never raises."""
    text = _ESCAPE_SEQUENCE.sub("", "" if value is None else str(value))
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return _UNSAFE.sub("", text)


def clean(value: str, *, limit: int = SHORT, multiline: bool = False) -> str:
    """Text safe to store: no control characters, trimmed, at most `limit` characters.

    Raises TextTooLong rather than cutting what the person wrote.
    """
    if len(value) > limit * 4:  # do not scan a huge paste just to refuse it
        raise TextTooLong(limit, len(value))
    text = _ESCAPE_SEQUENCE.sub("", value)  # drop whole escape sequences, not only ESC
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    text = _UNSAFE.sub("", unicodedata.normalize("NFC", text)).strip()
    if len(text) > limit:
        raise TextTooLong(limit, len(text))
    return text
