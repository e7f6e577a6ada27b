"""What the end of a school year does to each student, and what their new plan keeps.

Pure rules, no I/O: the service (seop_tui/services/school_year.py) reads the rows,
asks these functions, and writes the answers in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

LAST_GRADE = 12

# Goals still being worked on carry into the new plan; met or changed ones stay as history.
OPEN_GOAL_STATUSES = frozenset({"not_started", "in_progress"})


class Outcome(Enum):
    MOVES_UP = "moves up a grade"
    OUTGROWS_SCHOOL = "moves up past the school's last grade"
    GRADUATES = "graduates"
    GRADUATES_EARLY = "graduates early"


@dataclass(frozen=True)
class StudentAtYearEnd:
    id: int
    grade: int
    school_high_grade: int
    # An early-graduation plan approved by student, parent and school official, not
    # withdrawn, ending in this grade.
    early_graduation_grade: int | None = None


@dataclass(frozen=True)
class Move:
    student_id: int
    outcome: Outcome
    new_grade: int | None  # None for a graduate


def move_for(student: StudentAtYearEnd) -> Move:
    """Where one active student goes when the year ends."""
    if student.grade >= LAST_GRADE:
        return Move(student.id, Outcome.GRADUATES, None)
    if student.early_graduation_grade is not None and student.early_graduation_grade <= student.grade:
        return Move(student.id, Outcome.GRADUATES_EARLY, None)
    new_grade = student.grade + 1
    outcome = Outcome.OUTGROWS_SCHOOL if new_grade > student.school_high_grade else Outcome.MOVES_UP
    return Move(student.id, outcome, new_grade)


def carries_plan(old_kind: str | None, new_kind: str) -> bool:
    """A new plan starts from last year's only within the same plan (SEP to SEP, SEOP to
    SEOP): a sixth grader's first SEOP starts fresh rather than with K-5 wording."""
    return old_kind == new_kind
