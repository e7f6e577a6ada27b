"""A student's four-year course plan (grades 9-12): what is earned, what is planned,
the credit audit and pathway progress beside it, and adding or removing courses.

Plan entries belong to the student (they carry across school years); each change
still goes through `plans.editing` on this year's plan, so it is version checked
and refused while the plan is with the counselor.

Which courses count as "planned" in the audit: a plan entry that is on the
transcript for that grade counts as earned (from credits_earned) and not again;
an entry for a grade the student has already finished cannot be earned any more
and is shown as past, not counted. Everything else is planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from seop_tui.domain.credits import CreditAudit, PathwayProgress, PlanIssue, audit, check_plan, pathway_progress, plan_credits, still_to_take
from seop_tui.domain.records import CourseCredit, PlanEntry
from seop_tui.reference import Course, Reference
from seop_tui.services import audit as audit_log
from seop_tui.services import plans
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor, now_utc
from seop_tui.services.plans import PlanRef
from seop_tui.services.records import credit_of, requirement_set
from seop_tui.storage import Store

HIGH_SCHOOL_GRADES = (9, 10, 11, 12)
RowStatus = Literal["earned", "no_credit", "planned", "past"]
STATUS_WORDS: dict[str, str] = {
    "earned": "earned",
    "no_credit": "no credit",
    "planned": "planned",
    "past": "not taken",
}


class CoursePlanError(ValueError):
    """A course plan change that cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class CourseRow:
    """One course in one grade of the plan, earned or planned."""

    entry_id: int | None  # the plan entry; None for a transcript course that was never planned
    course_code: str
    name: str
    credits: float
    grade: int
    term: str | None
    area: str  # the requirement area's name
    status: RowStatus
    mark: str | None = None

    @property
    def status_words(self) -> str:
        words = STATUS_WORDS[self.status]
        return f"{words} ({self.mark})" if self.mark else words


@dataclass(frozen=True)
class PathwayLine:
    cluster: str
    pathway: str | None  # None: the student chose a cluster but no pathway
    progress: PathwayProgress | None


@dataclass(frozen=True)
class CoursePlan:
    plan: PlanRef
    student_grade: int
    rows: tuple[CourseRow, ...]
    requirement_set: str | None  # its name; None when the student has no requirement set yet
    audit: CreditAudit | None
    pathways: tuple[PathwayLine, ...]  # the chosen pathway, or each pathway of the chosen cluster
    pathway_codes: frozenset[str]  # for filtering the catalogue
    issues: tuple[PlanIssue, ...]
    area_names: dict[str, str]  # requirement area code -> name, for showing catalogue courses

    def rows_for(self, grade: int) -> tuple[CourseRow, ...]:
        return tuple(r for r in self.rows if r.grade == grade)

    def credits_in(self, grade: int) -> float:
        return round(sum(r.credits for r in self.rows_for(grade) if r.status in ("earned", "planned")), 4)

    def planned_codes(self) -> dict[str, int]:
        """Course code -> a grade it is planned or earned in."""
        return {r.course_code: r.grade for r in self.rows if r.status != "past"}


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class StudentCredits:
    """Earned and planned credits for the audit and early graduation. No access check."""

    grade: int
    school_code: str
    cohort_year: int | None
    earned_rows: tuple[dict, ...]
    entry_rows: tuple[dict, ...]
    earned: tuple[CourseCredit, ...]
    planned: tuple[CourseCredit, ...]
    planned_entries: tuple[PlanEntry, ...]


def student_credits(conn, ref: Reference, student_id: int) -> StudentCredits:
    student = conn.execute(
        "SELECT s.grade, s.cohort_year, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.id = ?",
        (student_id,),
    ).fetchone()
    earned_rows = tuple(dict(r) for r in conn.execute("SELECT * FROM credits_earned WHERE student_id = ? ORDER BY grade, id", (student_id,)))
    entry_rows = tuple(
        dict(r) for r in conn.execute("SELECT * FROM course_plan_entries WHERE student_id = ? ORDER BY grade, id", (student_id,))
    )
    earned = tuple(credit_of(r, ref) for r in earned_rows)
    planned_entries = still_to_take(
        (PlanEntry(e["course_code"], e["grade"], e["term"] or "year") for e in entry_rows), earned, student["grade"]
    )
    return StudentCredits(
        grade=student["grade"],
        school_code=student["code"],
        cohort_year=student["cohort_year"],
        earned_rows=earned_rows,
        entry_rows=entry_rows,
        earned=earned,
        planned=plan_credits(planned_entries, ref.courses),
        planned_entries=planned_entries,
    )


def course_plan(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> CoursePlan:
    """The student's four-year plan with its audit; an audited view."""
    require_access(store, actor, plan.student_id)
    with store.read() as conn:
        credits = student_credits(conn, ref, plan.student_id)
        choice = conn.execute(
            "SELECT cluster_code, pathway_code FROM cluster_choices WHERE student_id = ? ORDER BY id DESC LIMIT 1",
            (plan.student_id,),
        ).fetchone()
    with store.write():
        audit_log.record(store.conn, actor, "view", plan.student_id, "course plan")
    reqs = requirement_set(ref, credits.school_code, credits.cohort_year)
    pathways, codes = _pathways(ref, choice, credits)
    return CoursePlan(
        plan=plan,
        student_grade=credits.grade,
        rows=_rows(ref, reqs, credits),
        requirement_set=reqs.name if reqs else None,
        audit=audit(reqs, credits.earned, credits.planned) if reqs else None,
        pathways=pathways,
        pathway_codes=codes,
        issues=check_plan(credits.planned_entries, ref.courses),
        area_names=_area_names(ref, reqs),
    )


def _area_names(ref: Reference, reqs) -> dict[str, str]:
    names = {a.code: a.name for s in ref.requirements.sets for a in s.areas}
    if reqs is not None:
        names.update({a.code: a.name for a in reqs.areas})
    return names


def _rows(ref: Reference, reqs, credits: StudentCredits) -> tuple[CourseRow, ...]:
    names = _area_names(ref, reqs)
    by_code = ref.courses.by_code
    rows: list[CourseRow] = []
    entry_ids = {(e["course_code"], e["grade"]): e["id"] for e in credits.entry_rows}
    for r in credits.earned_rows:
        status: RowStatus = "earned" if r["credits"] > 0 else "no_credit"
        rows.append(
            CourseRow(
                entry_ids.get((r["course_code"], r["grade"])),
                r["course_code"] or "",
                r["course_name"],
                r["credits"],
                r["grade"],
                r["term"],
                names.get(r["area"], r["area"]),
                status,
                r["mark"],
            )
        )
    on_transcript = {(r["course_code"], r["grade"]) for r in credits.earned_rows}
    for e in credits.entry_rows:
        if (e["course_code"], e["grade"]) in on_transcript:
            continue
        course = by_code.get(e["course_code"])
        rows.append(
            CourseRow(
                e["id"],
                e["course_code"],
                course.name if course else e["course_code"],
                course.credits if course else 0.0,
                e["grade"],
                e["term"],
                names.get(course.area, course.area) if course else "",
                "planned" if e["grade"] >= credits.grade else "past",
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.grade, r.status not in ("earned", "no_credit"), r.name)))


def _pathways(ref: Reference, choice, credits: StudentCredits) -> tuple[tuple[PathwayLine, ...], frozenset[str]]:
    if choice is None:
        return (), frozenset()
    cluster = ref.clusters.cluster(choice["cluster_code"])
    cluster_name = cluster.name if cluster else choice["cluster_code"]
    found = ref.clusters.pathway(choice["pathway_code"] or "")
    if found is not None:
        chosen = (found[1],)
    else:
        chosen = cluster.pathways if cluster else ()
        if not chosen:
            return (PathwayLine(cluster_name, None, None),), frozenset()
    lines = tuple(
        PathwayLine(cluster_name, p.name, pathway_progress(p.code, credits.earned, credits.planned)) for p in chosen
    )
    if found is None:
        # Only a cluster chosen: show the pathways the student has a course in, or a hint.
        lines = tuple(line for line in lines if line.progress and line.progress.credits_with_plan > 0) or (
            PathwayLine(cluster_name, None, None),
        )
    return lines, frozenset(p.code for p in chosen)


def catalog_for(ref: Reference, grade: int, *, pathway_codes: frozenset[str] | None = None, text: str = "") -> list[Course]:
    """Courses offered in `grade`, optionally only those in `pathway_codes`, matching `text`
    (code, name or description, any case), in requirement-area order then by name."""
    words = text.casefold().split()
    order = {a.code: i for i, a in enumerate(ref.requirements.sets[0].areas)} if ref.requirements.sets else {}
    found = []
    for course in ref.courses.courses:
        if grade not in course.grades:
            continue
        if pathway_codes is not None and course.pathway not in pathway_codes:
            continue
        haystack = f"{course.code} {course.name} {course.description}".casefold()
        if all(word in haystack for word in words):
            found.append(course)
    return sorted(found, key=lambda c: (order.get(c.area, len(order)), c.name.casefold()))


# ------------------------------------------------------------------ changing


def _student_grade(store: Store, student_id: int) -> int:
    return store.one("SELECT grade FROM students WHERE id = ?", (student_id,))["grade"]


def _check_grade_open(store: Store, actor: Actor, plan: PlanRef, grade: int) -> None:
    if grade not in HIGH_SCHOOL_GRADES:
        raise CoursePlanError(f"The course plan covers grades 9 to 12, not grade {grade}.")
    if actor.role == "student" and grade < _student_grade(store, plan.student_id):
        raise CoursePlanError(f"Grade {grade} is over. Ask your counselor if that year's courses need fixing.")


def add_course(store: Store, ref: Reference, actor: Actor, plan: PlanRef, course_code: str, grade: int, term: str | None = None) -> PlanRef:
    """Plan `course_code` in `grade`; returns the plan at its new version."""
    require_access(store, actor, plan.student_id)
    course = ref.courses.by_code.get(course_code)
    if course is None:
        raise CoursePlanError(f"{course_code} is not in the course catalogue.")
    if term not in (None, "fall", "spring", "year"):
        raise CoursePlanError(f"A course runs in fall, spring or the whole year, not {term!r}.")
    _check_grade_open(store, actor, plan, grade)
    with plans.editing(store, actor, plan, f"course plan: {course.code} added to grade {grade}") as db:
        same = db.execute(
            "SELECT 1 FROM course_plan_entries WHERE student_id = ? AND course_code = ? AND grade = ?",
            [plan.student_id, course.code, grade],
        ).fetchone()
        if same:
            raise CoursePlanError(f"{course.name} is already in the grade {grade} plan.")
        passed = db.execute(
            "SELECT grade FROM credits_earned WHERE student_id = ? AND course_code = ? AND credits > 0 LIMIT 1",
            [plan.student_id, course.code],
        ).fetchone()
        if passed:
            raise CoursePlanError(f"{course.name} was already passed in grade {passed[0]}.")
        db["course_plan_entries"].insert(
            {
                "student_id": plan.student_id,
                "course_code": course.code,
                "grade": grade,
                "term": term,
                "added_at": now_utc(),
                "added_by": actor.account_id,
            }
        )
    return plans.reload(store, plan)


def remove_course(store: Store, actor: Actor, plan: PlanRef, entry_id: int) -> PlanRef:
    """Take a planned course out of the plan; earned courses stay."""
    require_access(store, actor, plan.student_id)
    entry = store.one("SELECT * FROM course_plan_entries WHERE id = ?", (entry_id,))
    if entry is None or entry["student_id"] != plan.student_id:
        raise CoursePlanError("That course is not in this plan any more. Reload to see the plan as it is now.")
    if store.one(
        "SELECT 1 FROM credits_earned WHERE student_id = ? AND course_code = ? AND grade = ?",
        (plan.student_id, entry["course_code"], entry["grade"]),
    ):
        raise CoursePlanError("That course is on the transcript; it comes from the school's records and stays.")
    _check_grade_open(store, actor, plan, entry["grade"])
    with plans.editing(store, actor, plan, f"course plan: {entry['course_code']} removed from grade {entry['grade']}") as db:
        db.execute("DELETE FROM course_plan_entries WHERE id = ?", [entry_id])
    return plans.reload(store, plan)
