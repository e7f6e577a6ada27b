"""Reading CSV text and its fields: strict in what is kept, tolerant where the meaning is clear.

A problem names the file, the line and the field, e.g.
"users.csv line 17: grades 'Year 3' is not a grade (KG, 01-12)".
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from datetime import date

from seop_tui.text import SHORT, TextTooLong, clean, strip_controls

MAX_PROBLEMS_SHOWN = 20
TRUE_WORDS = {"true", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "0", "no", "n", "f"}
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # None: the file as a whole
    message: str  # starts with the field's name where there is one

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        return strip_controls(f"{where}: {self.message}")


class ImportInvalid(Exception):
    """The files cannot be imported; nothing was changed. `problems` says what and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
        out = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            out.append(f"... and {len(self.problems) - limit} more problems")
        return out


class FieldError(ValueError):
    """One field's value is wrong; the message starts with the field's name."""


def show(value: str) -> str:
    """A value quoted for a message: short, without control characters."""
    text = strip_controls(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


@functools.cache
def _lower(column: str) -> str:
    return column.lower()


@dataclass(frozen=True)
class Row:
    """One CSV record: the line it starts on and its fields by (lower-case) column name."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(_lower(column), "").strip()


def read_rows(name: str, text: str, required: tuple[str, ...]) -> tuple[list[Row], list[Problem]]:
    """The records of CSV `text` (a leading BOM tolerated, blank lines skipped), or problems."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(name, None, "the file is empty (a header line is needed)")]
    except csv.Error as exc:
        return [], [Problem(name, 1, f"not readable as CSV ({exc})")]
    columns = [h.strip().removeprefix("\ufeff").lower() for h in header]
    missing = [c for c in required if c.lower() not in columns]
    if missing:
        return [], [Problem(name, 1, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")]
    rows: list[Row] = []
    problems: list[Problem] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, start, f"not readable as CSV ({exc})"))
            break
        if not any(v.strip() for v in record):
            continue
        if len(record) > len(columns):
            problems.append(Problem(name, start, f"{len(record)} fields but the header has {len(columns)}"))
            continue
        rows.append(Row(start, dict(zip(columns, record))))
    return rows, problems


def _plain(value: str) -> bool:
    """ASCII without control characters: nothing for clean() to change (most of a roster)."""
    return value.isascii() and value.isprintable()


def text_field(row: Row, column: str, *, required: bool = False, limit: int = SHORT) -> str:
    value = row.get(column)
    if not (_plain(value) and len(value) <= limit):
        try:
            value = clean(value, limit=limit)
        except TextTooLong as exc:
            raise FieldError(f"{column}: {exc}") from None
    if required and not value:
        raise FieldError(f"{column} is empty")
    return value


def identifier(row: Row, column: str, *, required: bool = True) -> str:
    """An id (sourcedId, a code): no spaces inside, no control characters."""
    value = row.get(column)
    if not value:
        if required:
            raise FieldError(f"{column} is empty")
        return ""
    return _id(value, column)


def _id(value: str, column: str) -> str:
    if len(value) > SHORT or not value.isprintable() or " " in value:
        raise FieldError(f"{column} {show(value)} is not an id (no spaces or control characters, at most {SHORT} characters)")
    return value


def id_list(row: Row, column: str) -> tuple[str, ...]:
    """A comma-separated list of ids ("a,b" or "a, b")."""
    text = row.get(column)
    if not text:
        return ()
    return tuple(_id(part, column) for part in (p.strip() for p in text.split(",")) if part)


def boolean(row: Row, column: str, *, default: bool) -> bool:
    value = row.get(column).lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise FieldError(f"{column} {show(row.get(column))} is not true or false")


def status(row: Row, column: str = "status") -> str:
    """'active' or 'tobedeleted' (empty is active; 1.1's 'inactive' counts as to be deleted)."""
    value = row.get(column).lower().replace(" ", "")
    if value in ("", "active"):
        return "active"
    if value in ("tobedeleted", "inactive"):
        return "tobedeleted"
    raise FieldError(f"{column} {show(row.get(column))} is not active or tobedeleted")


def grade(value: str, column: str = "grades") -> int:
    """A CEDS grade code (KG, 01..12) as 0..12; K and 1..12 without the zero are read too."""
    text = value.strip().upper()
    if text in ("KG", "K"):
        return 0
    if text.isdigit() and 1 <= int(text) <= 12 and len(text) <= 2:
        return int(text)
    raise FieldError(f"{column} {show(value)} is not a grade (KG, 01-12)")


def day(value: str, column: str) -> date | None:
    """A date: ISO 8601 (a time after it is ignored), or month/day/year as US files write it."""
    text = value.strip()
    if not text:
        return None
    iso = _ISO_DATETIME.fullmatch(text)
    try:
        if iso:
            return date.fromisoformat(iso.group(1))
        us = _US_DATE.fullmatch(text)
        if us:
            month, dom, year = (int(g) for g in us.groups())
            return date(year, month, dom)
    except ValueError:
        raise FieldError(f"{column} {show(value)} is not a real day (dates with slashes are read month/day/year)") from None
    raise FieldError(f"{column} {show(value)} is not a date (YYYY-MM-DD, or month/day/year)")
