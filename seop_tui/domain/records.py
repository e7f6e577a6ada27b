"""Input records for the domain rules.

The service layer fills these from the database; the rules only read them.
They hold just what the rules need, as plain values: grades are ints
(0 = kindergarten), credits are floats (0.25 steps in practice), dates are
`datetime.date`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

ConferenceKind = Literal["individual", "small_group", "parent_requested"]
PathwayLevel = Literal["explorer", "concentrator", "completer"]
GoalKind = Literal["education", "career"]

# When a course runs: one semester, or the whole year (ends with spring).
Term = Literal["fall", "spring", "year"]
# A point in a student's school career: the end of that half of that grade.
HalfYear = Literal["fall", "spring"]
TermPoint = tuple[int, HalfYear]


@dataclass(frozen=True)
class ConferenceRecord:
    """An SEP/SEOP conference that took place this school year."""

    kind: ConferenceKind
    held_on: date
    student_present: bool
    guardian_present: bool
    staff_present: bool
    group_size: int | None = None  # students taking part; small-group conferences only


@dataclass(frozen=True)
class CourseCredit:
    """A course as it counts toward graduation: earned on the transcript, or planned.

    Carries its own area and pathway so transfer credit not in the catalogue
    still counts; planned courses are made from the catalogue (credits.plan_credits).
    """

    course_code: str
    credits: float
    area: str
    subarea: str | None = None
    pathway: str | None = None
    level: PathwayLevel | None = None
    grade: int | None = None  # grade in which it was (or will be) taken
    term: Term = "year"


@dataclass(frozen=True)
class PlanEntry:
    """One row of a four-year course plan."""

    course_code: str
    grade: int
    term: Term = "year"


@dataclass(frozen=True)
class AssessmentResult:
    """A state assessment result on file (RISE, Aspire Plus, ACT ...)."""

    assessment: str  # assessment code, e.g. "RISE"
    subject: str  # subject code, e.g. "ELA"
    grade: int  # grade the student was in when tested
    level: int | None = None  # proficiency level 1-4, when reported


@dataclass(frozen=True)
class Goal:
    """An education or career goal and who has reviewed it this year."""

    kind: GoalKind
    text: str
    student_reviewed: bool = False
    parent_reviewed: bool = False
    teacher_reviewed: bool = False


@dataclass(frozen=True)
class EarlyGraduationPlan:
    """The early-graduation part of an SEOP (Utah Code 53F-2-501)."""

    intent_declared: bool
    target: TermPoint | None = None
    student_approved: bool = False
    parent_approved: bool = False
    official_approved: bool = False


@dataclass(frozen=True)
class StudentYear:
    """Everything compliance needs about one student's plan for one school year.

    Counts say how many entries of each kind the plan holds this year; the
    rules only ask whether something is there.
    """

    student_id: str
    grade: int
    has_plan: bool
    assessment_results: tuple[AssessmentResult, ...] = ()  # all on file, any year
    progress_notes: int = 0  # teacher-entered progress notes
    accomplishments: int = 0
    strengths: int = 0
    needs_attention: int = 0  # areas needing attention
    goals: tuple[Goal, ...] = ()
    conferences: tuple[ConferenceRecord, ...] = ()  # held this school year
    inventory_completed: bool = False  # a completed interest inventory on file
    cluster_code: str | None = None
    plan_entries: tuple[PlanEntry, ...] = ()
    earned: tuple[CourseCredit, ...] = ()
    postsecondary_plan: str = ""  # education after high school
    occupation_plan: str = ""
    parent_involvement_opportunities: int = 0  # documented this school year
    early_graduation: EarlyGraduationPlan | None = None
