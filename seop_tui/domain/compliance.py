"""Compliance of one student's plan with district policy 4030, clause by clause.

Each clause gets a state: met, not met, not yet due, or not applicable, and
plain words for what is missing. A student with no plan this school year fails
every clause of the band with "no plan for this school year".

Decisions the policy leaves open:
- Progress data (3.1.3.1, 3.2.3.1): state assessment results are required from
  grade 4 on. RISE starts in grade 3, but a grade-3 student's first results only
  arrive after spring testing, so up to grade 3 teacher-entered progress notes
  or recorded accomplishments are progress data too.
- Conferences (3.1.3.2 with 3.1.1, 3.2.1, 3.2.3.5) follow conferences.py: an
  individual conference without a parent or guardian counts as held, and the
  clause result carries a note saying so; parent-requested conferences never
  count. A clause with conferences still to hold is "not met" (this is the
  state today, not a verdict on the year).
- Career cluster (3.2.3.3): below `cluster_required_by_grade` a missing cluster,
  or a chosen cluster with no fitting course yet, is "not yet due"; a chosen
  cluster with a course in one of its pathways (planned or earned) is met in
  any grade.
- Early graduation (3.2.3.6) is not applicable until intent is declared.
Clauses 3.1.2 and 3.2.2 (teacher training) are about staff, not a student's
plan, and are not evaluated here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from seop_tui.domain.conferences import ConferenceStatus, conferences_due
from seop_tui.domain.credits import AuditState, audit, plan_credits, still_to_take
from seop_tui.domain.records import CourseCredit, PlanEntry, StudentYear

if TYPE_CHECKING:
    from seop_tui.reference import ClusterFramework, CourseCatalog, DistrictSettings, RequirementSet

NO_PLAN = "no plan for this school year"
RESULTS_REQUIRED_FROM_GRADE = 4  # see the module docstring
CREDIT_AUDIT_FROM_GRADE = 9

SEP_CLAUSES: tuple[tuple[str, str], ...] = (
    ("3.1.3.1", "Progress, strengths, areas needing attention"),
    ("3.1.3.2", "Two individual conferences"),
    ("3.1.3.3", "Education and career-awareness goals"),
)
SEOP_CLAUSES: tuple[tuple[str, str], ...] = (
    ("3.2.1", "Individual and small-group conferences"),
    ("3.2.3.1", "Progress and requirements completed"),
    ("3.2.3.2", "Interest inventory"),
    ("3.2.3.3", "Career cluster and course plan"),
    ("3.2.3.4", "Post-secondary plans"),
    ("3.2.3.5", "Parent involvement and conferences"),
    ("3.2.3.6", "Early graduation plan"),
)
TITLES = dict(SEP_CLAUSES + SEOP_CLAUSES)


class ClauseState(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    NOT_YET_DUE = "not yet due"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class ClauseResult:
    clause: str  # policy 4030 clause number
    title: str
    state: ClauseState
    missing: tuple[str, ...] = ()  # what is missing, in plain words
    notes: tuple[str, ...] = ()  # worth showing even when met


def _result(clause: str, missing: Sequence[str], notes: Sequence[str] = (), *, due: bool = True) -> ClauseResult:
    if not missing:
        state = ClauseState.MET
    else:
        state = ClauseState.NOT_MET if due else ClauseState.NOT_YET_DUE
    return ClauseResult(clause, TITLES[clause], state, tuple(missing), tuple(notes))


# ----------------------------------------------------------------- shared checks


def _progress_data(student: StudentYear, results_from_grade: int) -> tuple[list[str], list[str]]:
    if student.assessment_results:
        return [], []
    if student.grade >= results_from_grade:
        return ["no state assessment results on file"], []
    if student.progress_notes or student.accomplishments:
        notes = ["RISE results will be added after spring testing"] if student.grade == results_from_grade - 1 else []
        return [], notes
    return ["no progress data: add a progress note or an accomplishment"], []


def _conference_words(status: ConferenceStatus) -> tuple[list[str], list[str]]:
    missing = [f"{status.describe_due()} still to hold"] if status.due else []
    notes = []
    for item in status.reviews:
        when = item.record.held_on.isoformat()
        if item.flag:
            notes.append(f"conference on {when}: {item.flag}")
        elif not item.counts:
            notes.append(f"conference on {when} does not count: {item.reason}")
    return missing, notes


# --------------------------------------------------------------------- SEP K-5


def _sep(student: StudentYear, conferences: ConferenceStatus, results_from_grade: int) -> list[ClauseResult]:
    missing, notes = _progress_data(student, results_from_grade)
    if not student.strengths:
        missing.append("no strengths recorded")
    if not student.needs_attention:
        missing.append("no areas needing attention recorded")
    progress = _result("3.1.3.1", missing, notes)

    conference_result = _result("3.1.3.2", *_conference_words(conferences))

    goal_missing: list[str] = []
    for kind, label in (("education", "education goal"), ("career", "career-awareness goal")):
        goal_missing.extend(_goal_gaps(student, kind, label))
    return [progress, conference_result, _result("3.1.3.3", goal_missing)]


def _goal_gaps(student: StudentYear, kind: str, label: str) -> list[str]:
    goals = [g for g in student.goals if g.kind == kind]
    if not goals:
        return [f"no {label}"]

    def reviewers_missing(goal) -> list[str]:
        checks = (
            (goal.student_reviewed, "the student"),
            (goal.parent_reviewed, "a parent or guardian"),
            (goal.teacher_reviewed, "the teacher"),
        )
        return [who for done, who in checks if not done]

    # The goal closest to fully reviewed decides what is still missing.
    gaps = min((reviewers_missing(g) for g in goals), key=len)
    return [f"{label} not yet reviewed by {' or '.join(gaps)}"] if gaps else []


# ------------------------------------------------------------------ SEOP 6-12


def _seop(
    student: StudentYear,
    conferences: ConferenceStatus,
    settings: DistrictSettings,
    clusters: ClusterFramework,
    catalog: CourseCatalog,
    requirements: RequirementSet | None,
    results_from_grade: int,
) -> list[ClauseResult]:
    conference_missing, conference_notes = _conference_words(conferences)
    results = [_result("3.2.1", conference_missing, conference_notes)]

    missing, notes = _progress_data(student, results_from_grade)
    if not student.accomplishments:
        missing.append("no accomplishments recorded")
    if not student.strengths:
        missing.append("no strengths recorded")
    if student.grade >= CREDIT_AUDIT_FROM_GRADE:
        if requirements is None:
            raise ValueError(f"student {student.student_id}: grade {student.grade} needs a requirement set")
        pending = still_to_take(student.plan_entries, student.earned, student.grade)
        credit_audit = audit(requirements, student.earned, _plan_credits(pending, catalog))
        if credit_audit.state == AuditState.MISSING:
            missing.extend(credit_audit.describe_missing())
    results.append(_result("3.2.3.1", missing, notes))

    results.append(_result("3.2.3.2", [] if student.inventory_completed else ["no completed interest inventory"]))
    results.append(_cluster(student, settings.cluster_required_by_grade, clusters, catalog))

    plans_missing = []
    if not student.postsecondary_plan.strip():
        plans_missing.append("no post-secondary education plan")
    if not student.occupation_plan.strip():
        plans_missing.append("no occupation plan")
    results.append(_result("3.2.3.4", plans_missing))

    involvement_missing = list(conference_missing)
    if not student.parent_involvement_opportunities:
        involvement_missing.insert(0, "no parent involvement opportunity documented this year")
    results.append(_result("3.2.3.5", involvement_missing, conference_notes))

    results.append(_early_graduation(student))
    return results


_planned: dict[int, tuple[CourseCatalog, dict[PlanEntry, CourseCredit | None]]] = {}


def _plan_credits(entries: Sequence[PlanEntry], catalog: CourseCatalog) -> tuple[CourseCredit, ...]:
    """As credits.plan_credits, each distinct entry converted once per catalogue: a district's
    students share a few thousand distinct plan entries, and building each credit is most of the cost."""
    kept = _planned.get(id(catalog))
    if kept is None or kept[0] is not catalog:  # the catalogue is held, so its id is not reused
        kept = _planned[id(catalog)] = (catalog, {})
    by_entry = kept[1]
    credits = []
    for entry in entries:
        if entry not in by_entry:
            found = plan_credits((entry,), catalog)
            by_entry[entry] = found[0] if found else None
        credit = by_entry[entry]
        if credit is not None:
            credits.append(credit)
    return tuple(credits)


def _cluster(student: StudentYear, by_grade: int, clusters: ClusterFramework, catalog: CourseCatalog) -> ClauseResult:
    due = student.grade >= by_grade
    if student.cluster_code is None:
        return _result("3.2.3.3", [f"no career cluster chosen (due by grade {by_grade})"], due=due)
    cluster = clusters.cluster(student.cluster_code)
    if cluster is None:
        return _result("3.2.3.3", [f"career cluster {student.cluster_code!r} is not in the district's framework"])
    pathway_codes = {p.code for p in cluster.pathways}
    by_code = catalog.by_code
    planned_pathways = {by_code[e.course_code].pathway for e in student.plan_entries if e.course_code in by_code}
    earned_pathways = {c.pathway for c in student.earned}
    if pathway_codes & (planned_pathways | earned_pathways):
        return _result("3.2.3.3", [])
    return _result("3.2.3.3", [f"no course from the {cluster.name} pathways in the course plan"], due=due)


def _early_graduation(student: StudentYear) -> ClauseResult:
    plan = student.early_graduation
    if plan is None or not plan.intent_declared:
        return ClauseResult("3.2.3.6", TITLES["3.2.3.6"], ClauseState.NOT_APPLICABLE)
    missing = []
    if plan.target is None:
        missing.append("no target term for early graduation")
    for approved, who in (
        (plan.student_approved, "the student"),
        (plan.parent_approved, "a parent or guardian"),
        (plan.official_approved, "a school official"),
    ):
        if not approved:
            missing.append(f"not yet approved by {who}")
    return _result("3.2.3.6", missing)


# ------------------------------------------------------------------- public


def evaluate_student(
    student: StudentYear,
    *,
    settings: DistrictSettings,
    clusters: ClusterFramework,
    catalog: CourseCatalog,
    requirements: RequirementSet | None = None,
    results_required_from_grade: int = RESULTS_REQUIRED_FROM_GRADE,
) -> tuple[ClauseResult, ...]:
    """Policy 4030 clause results for one student's plan this school year.

    `requirements` is the student's graduation requirement set; needed from grade 9.
    """
    band = settings.band_for(student.grade)
    clauses = SEP_CLAUSES if band.code == "SEP" else SEOP_CLAUSES
    if not student.has_plan:
        return tuple(ClauseResult(number, title, ClauseState.NOT_MET, (NO_PLAN,)) for number, title in clauses)
    conferences = conferences_due(band, student.conferences, small_group_max=settings.small_group_max)
    if band.code == "SEP":
        return tuple(_sep(student, conferences, results_required_from_grade))
    return tuple(_seop(student, conferences, settings, clusters, catalog, requirements, results_required_from_grade))


def all_met(results: Iterable[ClauseResult]) -> bool:
    """Nothing is "not met" (not yet due and not applicable are fine)."""
    return all(r.state != ClauseState.NOT_MET for r in results)


@dataclass(frozen=True)
class ClauseSummary:
    clause: str
    title: str
    met: int
    not_met: int
    not_yet_due: int
    not_applicable: int
    not_meeting: tuple[str, ...]  # student ids, in input order

    @property
    def total(self) -> int:
        """Students for whom the clause is due: met plus not met."""
        return self.met + self.not_met

    @property
    def percent(self) -> float | None:
        return 100.0 * self.met / self.total if self.total else None


def _clause_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def summarize(results_by_student: Iterable[tuple[str, Sequence[ClauseResult]]]) -> tuple[ClauseSummary, ...]:
    """Counts per clause over many students, in clause-number order.

    Students often share one results object (a report decodes each distinct kept result
    once): each distinct object is counted once, times the students holding it."""
    shapes: dict[int, list] = {}  # id(results) -> [results, students holding it]
    not_meeting: dict[str, list[str]] = {}
    for student_id, results in results_by_student:
        shape = shapes.get(id(results))
        if shape is None:
            # The shape holds `results`, so no later object can take over its id.
            lists = [not_meeting.setdefault(r.clause, []) for r in results if r.state == ClauseState.NOT_MET]
            shape = shapes[id(results)] = [results, 0, lists]
        shape[1] += 1
        for into in shape[2]:
            into.append(student_id)
    counts: dict[str, dict[ClauseState, int]] = {}
    titles: dict[str, str] = {}
    for results, students, _ in shapes.values():
        for result in results:
            per_state = counts.get(result.clause)
            if per_state is None:
                per_state = counts[result.clause] = dict.fromkeys(ClauseState, 0)
                titles[result.clause] = result.title
            per_state[result.state] += students
    return tuple(
        ClauseSummary(
            clause=clause,
            title=titles[clause],
            met=counts[clause][ClauseState.MET],
            not_met=counts[clause][ClauseState.NOT_MET],
            not_yet_due=counts[clause][ClauseState.NOT_YET_DUE],
            not_applicable=counts[clause][ClauseState.NOT_APPLICABLE],
            not_meeting=tuple(not_meeting.get(clause, ())),
        )
        for clause in sorted(counts, key=_clause_key)
    )
