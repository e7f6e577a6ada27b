"""School years: their names ("2026-27") and dates, worked out from the district's
first and last day ("MM-DD" in district.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from seop_tui.reference import SchoolYearDates

YEAR_NAME = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class SchoolYear:
    name: str  # "2026-27"
    start_year: int
    starts_on: date
    ends_on: date


def _month_day(value: str) -> tuple[int, int]:
    month, _, day = value.partition("-")
    return int(month), int(day)


def _safe_date(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:  # e.g. 02-29 in a common year, 04-31
            day -= 1


def school_year_starting(start_year: int, dates: SchoolYearDates) -> SchoolYear:
    sm, sd = _month_day(dates.starts)
    em, ed = _month_day(dates.ends)
    return SchoolYear(
        name=f"{start_year}-{(start_year + 1) % 100:02d}",
        start_year=start_year,
        starts_on=_safe_date(start_year, sm, sd),
        ends_on=_safe_date(start_year + 1, em, ed),
    )


def school_year_for(today: date, dates: SchoolYearDates) -> SchoolYear:
    """The school year `today` belongs to. Summer belongs to the year just ended:
    a date before the start day counts with the year that started the calendar
    year before."""
    sm, sd = _month_day(dates.starts)
    start_year = today.year if (today.month, today.day) >= (sm, sd) else today.year - 1
    return school_year_starting(start_year, dates)


def start_year_of(name: str) -> int:
    """2026 for "2026-27"; ValueError when the name is not a school year of that form."""
    match = YEAR_NAME.fullmatch(name.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"{name!r} is not a school year: write it as 2026-27.")
    return int(match[1])
