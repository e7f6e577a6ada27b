"""Can a student graduate early, and would it earn a Centennial Scholarship?

Utah Code 53F-2-501: a student who has completed all required courses may
graduate at any time with the approval of the student, a parent and an
authorized school official. Graduating at or before the end of grade 11 earns
a Centennial Scholarship; graduating after grade 11 but before the end of
grade 12 earns a proportionately smaller one ("partial" here).

Time is counted in half-years: a target (11, "spring") is the end of grade 11,
(12, "fall") the middle of grade 12. A planned course counts toward a target
when it ends by then: fall courses end mid-year, spring and whole-year courses
at the end of the year. Planned courses for a term already over that were not
earned cannot count any more; they are reported so the plan can be fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from seop_tui.domain.credits import CreditAudit, audit
from seop_tui.domain.records import CourseCredit, EarlyGraduationPlan, TermPoint

if TYPE_CHECKING:
    from seop_tui.reference import RequirementSet

END_OF_GRADE_11: TermPoint = (11, "spring")
END_OF_GRADE_12: TermPoint = (12, "spring")
_HALVES = {"fall": 0, "spring": 1}


def half_year_index(point: TermPoint) -> int:
    """Half-years since the start of kindergarten; orders TermPoints."""
    grade, half = point
    if not 0 <= grade <= 12:
        raise ValueError(f"grade must be 0-12, got {grade}")
    if half not in _HALVES:
        raise ValueError(f'term must be "fall" or "spring", got {half!r}')
    return grade * 2 + _HALVES[half]


def course_end_index(course: CourseCredit) -> int:
    if course.grade is None:
        raise ValueError(f"{course.course_code}: a planned course needs a grade")
    return half_year_index((course.grade, "fall" if course.term == "fall" else "spring"))


def early_graduation_applies(plan: EarlyGraduationPlan | None) -> bool:
    """Early graduation applies once the student has declared the intent."""
    return plan is not None and plan.intent_declared


@dataclass(frozen=True)
class EarlyGraduationCheck:
    applies: bool  # intent declared
    target: TermPoint
    is_early: bool  # target is before the end of grade 12
    feasible: bool  # earned plus planned-by-target meets every requirement
    audit: CreditAudit  # earned plus courses planned to end by the target
    missing: tuple[str, ...]  # plain words, empty when feasible
    credits_still_needed: float  # to earn from now on, plan not counted
    shortfall: float  # still short with the plan up to the target
    centennial_scholarship: Literal["full", "partial"] | None
    planned_counted: tuple[CourseCredit, ...]
    planned_after_target: tuple[CourseCredit, ...]
    planned_in_past: tuple[CourseCredit, ...]  # term over, not earned

    @property
    def centennial_eligible(self) -> bool:
        """Full scholarship: all requirements met by the end of grade 11."""
        return self.centennial_scholarship == "full"


def check_early_graduation(
    requirements: RequirementSet,
    earned: Sequence[CourseCredit],
    planned: Sequence[CourseCredit],
    *,
    now: TermPoint,
    target: TermPoint,
    intent_declared: bool,
) -> EarlyGraduationCheck:
    """Would the plan meet every requirement by `target`? `now` is the half-year in progress."""
    now_index = half_year_index(now)
    target_index = half_year_index(target)
    if target_index < now_index:
        raise ValueError(f"target {target[1]} of grade {target[0]} is earlier than now ({now[1]} of grade {now[0]})")

    counted, after, past = [], [], []
    for course in planned:
        ends = course_end_index(course)
        if ends < now_index:
            past.append(course)
        elif ends <= target_index:
            counted.append(course)
        else:
            after.append(course)

    result = audit(requirements, earned, counted)
    feasible = not result.missing()
    # Areas can be short while the total is not, and the other way round.
    still_needed = max(result.total.still_needed, sum(line.still_needed for line in result.areas))
    shortfall = max(result.total.shortfall, sum(line.shortfall for line in result.areas))

    scholarship: Literal["full", "partial"] | None = None
    if feasible and target_index <= half_year_index(END_OF_GRADE_11):
        scholarship = "full"
    elif feasible and target_index < half_year_index(END_OF_GRADE_12):
        scholarship = "partial"

    return EarlyGraduationCheck(
        applies=intent_declared,
        target=target,
        is_early=target_index < half_year_index(END_OF_GRADE_12),
        feasible=feasible,
        audit=result,
        missing=result.describe_missing(),
        credits_still_needed=round(still_needed, 4),
        shortfall=round(shortfall, 4),
        centennial_scholarship=scholarship,
        planned_counted=tuple(counted),
        planned_after_target=tuple(after),
        planned_in_past=tuple(past),
    )
