"""Assessment results sent by the district as one CSV file.

Columns (a header line; names in any case and order, extra columns ignored):

  student_number  the student's number (as on file)
  assessment      an assessment code from assessments.yaml (RISE, ASPIRE, ACT ...)
  subject         a subject code of that assessment (ELA, MATH ...)
  grade_tested    the grade the test was taken in: KG or 1-12 (01-12 too)
  level           proficiency level (1-4), where the test reports one
  scale_score     scale score, where the test reports one
  test_date       YYYY-MM-DD or month/day/year (optional)

This module only reads the lines; the rules for a result (which subjects and
grades an assessment has, the levels, the score range) are the ones staff entry
uses, applied by seop_tui/services/imports.py with the student's grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seop_tui.imports.fields import FieldError, ImportInvalid, Problem, day, grade, identifier, read_rows

COLUMNS = ("student_number", "assessment", "subject", "grade_tested", "level", "scale_score", "test_date")
REQUIRED = ("student_number", "assessment", "subject", "grade_tested")


@dataclass(frozen=True)
class ResultLine:
    file: str
    line: int
    student_number: str
    assessment: str  # upper case
    subject: str  # upper case
    grade: int
    level: str  # as written: the rules check the number
    scale_score: str
    taken_on: date | None


def parse_results(name: str, text: str) -> list[ResultLine]:
    """Every line read; raises ImportInvalid listing each problem by line and column."""
    lines, problems = read_results(name, text)
    if problems:
        raise ImportInvalid(problems)
    return lines


def read_results(name: str, text: str) -> tuple[list[ResultLine], list[Problem]]:
    """The lines that read well, and a problem for each that did not (so that a check of
    them against what is on file can report everything at once)."""
    rows, problems = read_rows(name, text, REQUIRED)
    out: list[ResultLine] = []
    for row in rows:
        try:
            out.append(
                ResultLine(
                    name,
                    row.line,
                    identifier(row, "student_number"),
                    identifier(row, "assessment").upper(),
                    identifier(row, "subject").upper(),
                    grade(row.get("grade_tested"), "grade_tested"),
                    row.get("level"),
                    row.get("scale_score"),
                    day(row.get("test_date"), "test_date"),
                )
            )
        except FieldError as exc:
            problems.append(Problem(name, row.line, str(exc)))
    if not rows and not problems:
        problems.append(Problem(name, None, "has no results below its header"))
    return out, problems
