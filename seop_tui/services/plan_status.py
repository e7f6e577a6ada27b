"""Where a student's plan stands: each section's state, the counselor's open
comments, and what is due. Feeds the student's home screen.

States are words (the screen adds a symbol); they are worked out with one
small query per section. A section with an open counselor comment "needs
attention" while the plan is back with the student (not while it waits for
review or once it is finalized).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from seop_tui.domain.compliance import ClauseResult, ClauseState
from seop_tui.domain.conferences import conferences_due
from seop_tui.reference import Reference
from seop_tui.sections import SEOP_SECTIONS, SEP_SECTIONS, Section
from seop_tui.services import audit, inventory
from seop_tui.services.access import require_access
from seop_tui.services.clusters import history
from seop_tui.services.compliance import student_compliance
from seop_tui.services.context import Actor
from seop_tui.services.plans import PlanRef
from seop_tui.services.records import load_student_years
from seop_tui.storage import Store

EARLY_GRADUATION_GRADES = range(9, 13)
COURSE_PLAN_GRADES = range(9, 13)


class SectionState(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    NEEDS_ATTENTION = "needs attention"
    VIEW = "view"  # read-only sections (My progress)


@dataclass(frozen=True)
class Comment:
    section: str
    body: str
    author: str
    created_at: str


@dataclass(frozen=True)
class SectionStatus:
    section: Section
    state: SectionState
    detail: str = ""  # e.g. "12 of 48 answered"
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class PlanStatus:
    sections: tuple[SectionStatus, ...]
    comments: tuple[Comment, ...]  # every open comment, oldest first
    due: tuple[str, ...]  # sentences, most pressing first


def sections_for(plan: PlanRef) -> tuple[Section, ...]:
    """The sections a student sees: SEP for K-5; SEOP, with early graduation only in grades 9-12."""
    if plan.kind == "SEP":
        return SEP_SECTIONS
    return tuple(s for s in SEOP_SECTIONS if s.key != "early_graduation" or plan.grade in EARLY_GRADUATION_GRADES)


def _count(store: Store, sql: str, params: tuple) -> int:
    return store.one(sql, params)[0]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _inventory(store: Store, ref: Reference, plan: PlanRef) -> tuple[SectionState, str]:
    found = inventory.load_attempts(store, plan.student_id)
    done = next((a for a in found if a.complete), None)
    if done is not None:
        return SectionState.DONE, f"your code {done.holland_code}"
    started = inventory.open_attempt(found)
    if started is not None and started.answers:
        return SectionState.IN_PROGRESS, f"{len(started.answers)} of {len(ref.inventory.items)} answered"
    return SectionState.NOT_STARTED, ""


def _strengths(store: Store, plan: PlanRef) -> tuple[SectionState, str]:
    counts = dict(store.query("SELECT kind, count(*) FROM strengths WHERE plan_id = ? GROUP BY kind", (plan.id,)))
    good, work = counts.get("strength", 0), counts.get("needs_attention", 0)
    if not good and not work:
        return SectionState.NOT_STARTED, ""
    detail = f"{_plural(good, 'strength')}, {work} to work on"
    return (SectionState.DONE if good and work else SectionState.IN_PROGRESS), detail


def _goals(store: Store, plan: PlanRef) -> tuple[SectionState, str]:
    rows = store.query("SELECT kind, monitors FROM goals WHERE plan_id = ?", (plan.id,))
    if not rows:
        return SectionState.NOT_STARTED, ""
    needed = {"education", "career"} if plan.kind == "SEOP" else {"education", "career_awareness"}
    kinds = {r["kind"] for r in rows}
    # A K-5 goal also needs someone to help watch it.
    watched = plan.kind == "SEOP" or all(r["monitors"] not in (None, "", "[]") for r in rows)
    state = SectionState.DONE if needed <= kinds and watched else SectionState.IN_PROGRESS
    return state, _plural(len(rows), "goal")


def _cluster(store: Store, ref: Reference, plan: PlanRef) -> tuple[SectionState, str]:
    found = history(store, ref, plan.student_id)
    if not found:
        return SectionState.NOT_STARTED, ""
    return SectionState.DONE, found[-1].label


def _course_plan(store: Store, plan: PlanRef) -> tuple[SectionState, str]:
    grades = {r[0] for r in store.query("SELECT DISTINCT grade FROM course_plan_entries WHERE student_id = ?", (plan.student_id,))}
    if not grades:
        return SectionState.NOT_STARTED, ""
    courses = _count(store, "SELECT count(*) FROM course_plan_entries WHERE student_id = ?", (plan.student_id,))
    needed = set(range(max(plan.grade, COURSE_PLAN_GRADES.start), COURSE_PLAN_GRADES.stop))
    return (SectionState.DONE if needed <= grades else SectionState.IN_PROGRESS), f"{_plural(courses, 'course')} planned"


def _postsecondary(store: Store, plan: PlanRef) -> tuple[SectionState, str]:
    row = store.one("SELECT education_choice, occupations FROM postsecondary_plans WHERE plan_id = ?", (plan.id,))
    if row is None:
        return SectionState.NOT_STARTED, ""
    if row["education_choice"] and (row["occupations"] or "").strip():
        return SectionState.DONE, row["education_choice"].replace("_", " ")
    return SectionState.IN_PROGRESS, ""


def _early_graduation(store: Store, plan: PlanRef) -> tuple[SectionState, str]:
    row = store.one(
        "SELECT target_grade, target_term FROM early_graduation_plans WHERE student_id = ? AND withdrawn_on IS NULL ORDER BY id DESC LIMIT 1",
        (plan.student_id,),
    )
    if row is None:
        return SectionState.NOT_STARTED, "optional"
    return SectionState.DONE, f"{row['target_term']} of grade {row['target_grade']}"


def _accomplishments(store: Store, plan: PlanRef) -> tuple[SectionState, str]:
    n = _count(store, "SELECT count(*) FROM accomplishments WHERE student_id = ?", (plan.student_id,))
    return (SectionState.DONE, f"{n} recorded") if n else (SectionState.NOT_STARTED, "")


_REVIEW = {
    "draft": (SectionState.NOT_STARTED, ""),
    "submitted": (SectionState.IN_PROGRESS, "waiting for your counselor"),
    "changes_requested": (SectionState.NEEDS_ATTENTION, "changes requested"),
    "finalized": (SectionState.DONE, "finalized"),
}


def _state(store: Store, ref: Reference, plan: PlanRef, key: str) -> tuple[SectionState, str]:
    if key == "inventory":
        return _inventory(store, ref, plan)
    if key == "cluster":
        return _cluster(store, ref, plan)
    if key == "progress":
        return SectionState.VIEW, ""
    if key == "review":
        return _REVIEW.get(plan.status, (SectionState.NOT_STARTED, plan.status))
    simple = {
        "strengths": _strengths,
        "goals": _goals,
        "course_plan": _course_plan,
        "postsecondary": _postsecondary,
        "early_graduation": _early_graduation,
        "accomplishments": _accomplishments,
    }
    return simple[key](store, plan)


def _comments(store: Store, plan: PlanRef) -> tuple[Comment, ...]:
    rows = store.query(
        "SELECT c.section, c.body, c.created_at, coalesce(t.given_name || ' ' || t.family_name, a.username, '') AS author"
        " FROM plan_comments c LEFT JOIN accounts a ON a.id = c.author_id LEFT JOIN staff t ON t.account_id = a.id"
        " WHERE c.plan_id = ? AND c.resolved_at IS NULL ORDER BY c.created_at, c.id",
        (plan.id,),
    )
    return tuple(Comment(r["section"], r["body"], r["author"], r["created_at"]) for r in rows)


def _statuses(store: Store, ref: Reference, plan: PlanRef, comments: tuple[Comment, ...]) -> tuple[SectionStatus, ...]:
    back_with_student = plan.status in ("draft", "changes_requested")
    out = []
    for section in sections_for(plan):
        state, detail = _state(store, ref, plan, section.key)
        mine = tuple(c for c in comments if c.section == section.key)
        if mine and back_with_student:
            state = SectionState.NEEDS_ATTENTION
        out.append(SectionStatus(section, state, detail, mine))
    return tuple(out)


def section_states(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> dict[str, SectionStatus]:
    """Every section of the plan (part 1 and part 2 alike) with its state."""
    require_access(store, actor, plan.student_id)
    with store.read():  # one consistent snapshot for all sections
        found = _statuses(store, ref, plan, _comments(store, plan))
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, "plan sections")
    return {s.section.key: s for s in found}


def _clauses(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> dict[str, ClauseResult]:
    try:
        results = student_compliance(store, ref, actor, plan.student_id, plan.school_year_id)
    except (ValueError, LookupError):  # e.g. no graduation requirements known for the student yet
        return {}
    return {r.clause: r for r in results}


def _due(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> list[str]:
    due: list[str] = []
    clauses = _clauses(store, ref, actor, plan)

    def open_(clause: str) -> bool:
        result = clauses.get(clause)
        return result is not None and result.state in (ClauseState.NOT_MET, ClauseState.NOT_YET_DUE)

    if plan.kind == "SEOP":
        by = ref.district.cluster_required_by_grade
        choices = history(store, ref, plan.student_id)
        if not choices:
            if plan.grade <= by:
                due.append(f"Choose a career cluster before the end of grade {by}.")
            else:
                due.append(f"Choose a career cluster: it was due by the end of grade {by}.")
        elif open_("3.2.3.3") and plan.grade >= COURSE_PLAN_GRADES.start:
            due.append(f"Add a course from your career cluster ({choices[-1].cluster_name}) to your course plan.")
        if open_("3.2.3.2"):
            due.append("Finish the interest inventory.")
        if open_("3.2.3.4"):
            due.append("Write your plans for after high school.")
        if open_("3.2.3.6"):
            due.append("Early graduation: " + "; ".join(clauses["3.2.3.6"].missing) + ".")
    elif open_("3.1.3.3"):
        due.append("Goals: " + "; ".join(clauses["3.1.3.3"].missing) + ".")

    record = load_student_years(store, ref, plan.school_year_id, [plan.student_id])[plan.student_id]
    band = ref.district.band_for(plan.grade)
    for item in conferences_due(band, record.conferences, small_group_max=ref.district.small_group_max).due:
        due.append(f"{item.describe()} still to happen this school year.")
    return due


def plan_status(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> PlanStatus:
    """Everything the student's home shows: section states, open comments, what is due."""
    require_access(store, actor, plan.student_id)
    with store.read():  # one consistent snapshot for all sections
        comments = _comments(store, plan)
        sections = _statuses(store, ref, plan, comments)
    due = _due(store, ref, actor, plan)
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, "plan status")
    return PlanStatus(sections, comments, tuple(due))
