"""Credit audit against graduation requirements, CTE pathway progress, four-year plan checks.

Audit rules:
- A course's credits go to its area's sub-area (when the area has that
  sub-area) up to the sub-area's requirement, then to the part of the area not
  split into sub-areas (area credits minus the sub-areas' credits), and what is
  left overflows to the set's elective area. A course without a sub-area goes
  straight to that unsplit part.
- Courses whose area is not in the set, or is the elective area, count as
  electives. The elective area is not capped: extra electives still show.
- Earned credits are placed first, planned ones fill what is left, so "earned"
  never depends on the plan.
- Every credit counts toward the total, which is checked against `set.total`.
- State of a line: "met" when earned alone meets it, "planned" when earned plus
  planned meets it, "missing" when short even with the plan.

Pathway levels (Utah CTE): Explorer = an explorer course; Concentrator = an
explorer course plus a concentrator course; Completer = a concentrator course
and 3.0 credits in the pathway. A completer-level course also counts as a
concentrator course. The rule is taken as written: a concentrator course
without an explorer course and under 3.0 credits gives no level.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from seop_tui.domain.records import CourseCredit, PlanEntry

if TYPE_CHECKING:
    from seop_tui.reference import CourseCatalog, RequirementSet

EPSILON = 1e-9  # credits come in 0.25 steps; this only absorbs float noise


def _credits(value: float) -> str:
    return f"{value:g} credit" if value == 1 else f"{value:g} credits"


def _round(value: float) -> float:
    return round(value + 0.0, 4)  # + 0.0 turns -0.0 into 0.0


class AuditState(StrEnum):
    MET = "met"
    PLANNED = "planned"
    MISSING = "missing"


_WORST_FIRST = (AuditState.MISSING, AuditState.PLANNED, AuditState.MET)


def state_of(required: float, earned: float, planned: float) -> AuditState:
    if earned >= required - EPSILON:
        return AuditState.MET
    if earned + planned >= required - EPSILON:
        return AuditState.PLANNED
    return AuditState.MISSING


@dataclass(frozen=True)
class AreaLine:
    """One line of an audit: an area, a sub-area, or the total."""

    code: str
    name: str
    required: float
    earned: float  # credited from earned courses
    planned: float  # credited from planned courses, on top of earned
    subareas: tuple[AreaLine, ...] = ()

    @property
    def state(self) -> AuditState:
        return state_of(self.required, self.earned, self.planned)

    @property
    def shortfall(self) -> float:
        """Credits still short with the plan counted."""
        return _round(max(0.0, self.required - self.earned - self.planned))

    @property
    def still_needed(self) -> float:
        """Credits still to earn, not counting the plan."""
        return _round(max(0.0, self.required - self.earned))


@dataclass(frozen=True)
class CreditAudit:
    set_code: str
    areas: tuple[AreaLine, ...]  # the set's areas in its order, elective area included
    total: AreaLine

    @property
    def state(self) -> AuditState:
        states = {line.state for line in (*self.areas, self.total)}
        return next(s for s in _WORST_FIRST if s in states)

    def line(self, code: str) -> AreaLine:
        for line in self.areas:
            if line.code == code:
                return line
            for sub in line.subareas:
                if sub.code == code:
                    return sub
        raise KeyError(code)

    def missing(self) -> tuple[AreaLine, ...]:
        """Area and total lines short even with the plan."""
        return tuple(line for line in (*self.areas, self.total) if line.state is AuditState.MISSING)

    def describe_missing(self) -> tuple[str, ...]:
        """Plain words for what is short even with the plan."""
        words = []
        for line in self.missing():
            text = f"{line.name}: {_credits(line.shortfall)} short"
            short_subs = [s for s in line.subareas if s.state is AuditState.MISSING]
            if short_subs:
                text += " (" + ", ".join(f"{s.name} {s.shortfall:g}" for s in short_subs) + ")"
            words.append(text)
        return tuple(words)


_UNSPLIT = None  # bucket key for the part of an area not split into sub-areas


def _tally(
    courses: Iterable[CourseCredit], subareas_by_area: dict[str, set[str]]
) -> tuple[dict[tuple[str, str | None], float], float, float]:
    """Sum credits per (area, sub-area or _UNSPLIT); the rest are electives. Returns (buckets, electives, total)."""
    buckets: dict[tuple[str, str | None], float] = defaultdict(float)
    electives = total = 0.0
    for course in courses:
        if course.credits < 0:
            raise ValueError(f"{course.course_code}: credits cannot be negative")
        total += course.credits
        subareas = subareas_by_area.get(course.area)
        if subareas is None:  # not in the set, or the elective area itself
            electives += course.credits
        else:
            buckets[(course.area, course.subarea if course.subarea in subareas else _UNSPLIT)] += course.credits
    return buckets, electives, total


def _place(
    requirements: RequirementSet,
    tally: dict[tuple[str, str | None], float],
    already: dict[tuple[str, str | None], float],
) -> tuple[dict[tuple[str, str | None], float], float]:
    """Credit tallied credits up to each bucket's room left after `already`; return (credited, overflow)."""
    credited: dict[tuple[str, str | None], float] = {}
    overflow = 0.0
    for area in requirements.areas:
        if area.code == requirements.elective_area:
            continue
        spill = 0.0
        for sub in area.subareas:
            key = (area.code, sub.code)
            room = max(0.0, sub.credits - already.get(key, 0.0))
            credited[key] = min(room, tally.get(key, 0.0))
            spill += tally.get(key, 0.0) - credited[key]
        key = (area.code, _UNSPLIT)
        unsplit_cap = max(0.0, area.credits - sum(sub.credits for sub in area.subareas))
        room = max(0.0, unsplit_cap - already.get(key, 0.0))
        general = tally.get(key, 0.0) + spill
        credited[key] = min(room, general)
        overflow += general - credited[key]
    return credited, overflow


def audit(
    requirements: RequirementSet, earned: Iterable[CourseCredit], planned: Iterable[CourseCredit] = ()
) -> CreditAudit:
    """Audit earned and planned credits against one requirement set."""
    elective_code = requirements.elective_area
    subareas_by_area = {
        area.code: {sub.code for sub in area.subareas} for area in requirements.areas if area.code != elective_code
    }
    earned_tally, earned_electives, earned_total = _tally(earned, subareas_by_area)
    planned_tally, planned_electives, planned_total = _tally(planned, subareas_by_area)
    earned_credited, earned_overflow = _place(requirements, earned_tally, {})
    planned_credited, planned_overflow = _place(requirements, planned_tally, earned_credited)
    electives_line = (_round(earned_electives + earned_overflow), _round(planned_electives + planned_overflow))

    lines = []
    for area in requirements.areas:
        if area.code == elective_code:
            lines.append(AreaLine(area.code, area.name, area.credits, *electives_line))
            continue
        sub_lines = tuple(
            AreaLine(
                sub.code,
                sub.name,
                sub.credits,
                _round(earned_credited[(area.code, sub.code)]),
                _round(planned_credited[(area.code, sub.code)]),
            )
            for sub in area.subareas
        )
        keys = [(area.code, _UNSPLIT), *((area.code, sub.code) for sub in area.subareas)]
        lines.append(
            AreaLine(
                area.code,
                area.name,
                area.credits,
                _round(sum(earned_credited[key] for key in keys)),
                _round(sum(planned_credited[key] for key in keys)),
                sub_lines,
            )
        )
    if all(area.code != elective_code for area in requirements.areas):
        # The set names no elective requirement: still show where overflow went.
        lines.append(AreaLine(elective_code, "Electives", 0.0, *electives_line))
    total = AreaLine("total", "Total credits", requirements.total, _round(earned_total), _round(planned_total))
    return CreditAudit(requirements.code, tuple(lines), total)


# --------------------------------------------------------------- plan to credits


def still_to_take(entries: Iterable[PlanEntry], earned: Iterable[CourseCredit], current_grade: int) -> tuple[PlanEntry, ...]:
    """Plan entries that still add credit: not already on the transcript for that
    grade, and not in a grade the student has left (those are history)."""
    on_transcript = {(c.course_code, c.grade) for c in earned}
    return tuple(e for e in entries if (e.course_code, e.grade) not in on_transcript and e.grade >= current_grade)


def plan_credits(entries: Iterable[PlanEntry], catalog: CourseCatalog) -> tuple[CourseCredit, ...]:
    """Planned courses as credits, from the catalogue; unknown codes are left out (see check_plan)."""
    by_code = catalog.by_code
    credits = []
    for entry in entries:
        course = by_code.get(entry.course_code)
        if course is None:
            continue
        credits.append(
            CourseCredit(
                course_code=course.code,
                credits=course.credits,
                area=course.area,
                subarea=course.subarea,
                pathway=course.pathway,
                level=course.level,
                grade=entry.grade,
                term=entry.term,
            )
        )
    return tuple(credits)


# ------------------------------------------------------------------ CTE pathways

PathwayStatus = Literal["explorer", "concentrator", "completer"]
COMPLETER_CREDITS = 3.0


def pathway_level(
    courses: Iterable[CourseCredit], pathway_code: str, *, completer_credits: float = COMPLETER_CREDITS
) -> PathwayStatus | None:
    in_pathway = [c for c in courses if c.pathway == pathway_code]
    has_explorer = any(c.level == "explorer" for c in in_pathway)
    has_concentrator = any(c.level in ("concentrator", "completer") for c in in_pathway)
    pathway_credits = sum(c.credits for c in in_pathway)
    if has_concentrator and pathway_credits >= completer_credits - EPSILON:
        return "completer"
    if has_explorer and has_concentrator:
        return "concentrator"
    if has_explorer:
        return "explorer"
    return None


@dataclass(frozen=True)
class PathwayProgress:
    pathway_code: str
    level_earned: PathwayStatus | None  # from earned courses only
    level_with_plan: PathwayStatus | None  # earned plus planned
    credits_earned: float
    credits_with_plan: float


def pathway_progress(
    pathway_code: str,
    earned: Sequence[CourseCredit],
    planned: Sequence[CourseCredit] = (),
    *,
    completer_credits: float = COMPLETER_CREDITS,
) -> PathwayProgress:
    both = (*earned, *planned)
    return PathwayProgress(
        pathway_code=pathway_code,
        level_earned=pathway_level(earned, pathway_code, completer_credits=completer_credits),
        level_with_plan=pathway_level(both, pathway_code, completer_credits=completer_credits),
        credits_earned=_round(sum(c.credits for c in earned if c.pathway == pathway_code)),
        credits_with_plan=_round(sum(c.credits for c in both if c.pathway == pathway_code)),
    )


def pathways_progress(
    earned: Sequence[CourseCredit],
    planned: Sequence[CourseCredit] = (),
    *,
    completer_credits: float = COMPLETER_CREDITS,
) -> tuple[PathwayProgress, ...]:
    """Progress in every pathway the student has a course in, in order of first appearance."""
    codes = dict.fromkeys(c.pathway for c in (*earned, *planned) if c.pathway)
    return tuple(pathway_progress(code, earned, planned, completer_credits=completer_credits) for code in codes)


# ------------------------------------------------------------ four-year plan checks

PlanIssueKind = Literal["unknown_course", "not_offered", "over_limit", "duplicate"]


@dataclass(frozen=True)
class PlanIssue:
    kind: PlanIssueKind
    message: str
    course_code: str | None = None
    grade: int | None = None


def _offered(grades: tuple[int, ...]) -> str:
    if not grades:
        return "is not offered in any grade"
    if len(grades) == 1:
        return f"is offered only in grade {grades[0]}"
    return "is offered in grades " + ", ".join(str(g) for g in sorted(grades))


def check_plan(
    entries: Sequence[PlanEntry], catalog: CourseCatalog, *, credit_limit_per_year: float = 8.0
) -> tuple[PlanIssue, ...]:
    """Problems in a four-year plan: unknown courses, courses planned in a grade they
    are not offered in, courses planned twice, years over the credit limit."""
    by_code = catalog.by_code
    issues: list[PlanIssue] = []
    year_credits: dict[int, float] = defaultdict(float)
    for entry in entries:
        course = by_code.get(entry.course_code)
        if course is None:
            issues.append(
                PlanIssue(
                    "unknown_course",
                    f"{entry.course_code} is not in the course catalogue",
                    entry.course_code,
                    entry.grade,
                )
            )
            continue
        year_credits[entry.grade] += course.credits
        if entry.grade not in course.grades:
            issues.append(
                PlanIssue(
                    "not_offered",
                    f"{course.name} is planned in grade {entry.grade} but {_offered(course.grades)}",
                    course.code,
                    entry.grade,
                )
            )
    for code, times in Counter(e.course_code for e in entries).items():
        if times > 1 and code in by_code:
            issues.append(PlanIssue("duplicate", f"{by_code[code].name} is planned {times} times", code))
    for grade in sorted(year_credits):
        planned_credits = round(year_credits[grade], 4)
        if planned_credits > credit_limit_per_year + EPSILON:
            limit = credit_limit_per_year
            message = f"grade {grade} plans {planned_credits:g} credits, more than the limit of {limit:g}"
            issues.append(PlanIssue("over_limit", message, grade=grade))
    return tuple(issues)
