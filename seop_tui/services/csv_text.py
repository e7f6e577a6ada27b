"""CSV as the app writes it: UTF-8, CRLF line ends, no cell a spreadsheet would run.

A cell that starts with = + - @ (or a tab or carriage return) is a formula to a
spreadsheet, so such text gets a leading apostrophe. Every file the app writes
as CSV goes through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"


def safe_cell(value: object) -> object:
    """`value`, with an apostrophe in front when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A header line and `rows`, each cell made safe."""
    out = CsvLines(columns)
    for row in rows:
        out.row(row)
    return out.encode()


class CsvLines:
    """A CSV file built line by line.

    Large reports repeat the same texts in thousands of lines (a clause's title, a
    student's name, what is missing): `cells` makes a run of texts safe and quoted
    once and returns it as a piece of a line; `line` joins pieces."""

    def __init__(self, columns: Sequence[str]) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator=LINE_END)
        self._pieces: dict[tuple[str, ...], str] = {}
        self._writer.writerow(columns)
        self._lines = [self._take()]

    def _take(self) -> str:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text

    def row(self, values: Sequence[object]) -> None:
        """One line of any values, each made safe."""
        self._writer.writerow([safe_cell(v) for v in values])
        self._lines.append(self._take())

    def cells(self, *texts: str) -> str:
        """`texts` as consecutive cells of a line: safe, quoted where needed, comma-separated."""
        piece = self._pieces.get(texts)
        if piece is None:
            # A trailing empty cell, cut off again: a lone empty cell would be written as "".
            self._writer.writerow([*(safe_cell(t) for t in texts), ""])
            piece = self._pieces[texts] = self._take()[: -len(LINE_END) - 1]
        return piece

    def line(self, *pieces: str) -> None:
        """A line made of pieces from `cells` (at least two cells in all)."""
        self._lines.append(",".join(pieces) + LINE_END)

    def encode(self) -> bytes:
        return "".join(self._lines).encode("utf-8")
