"""Early graduation (Utah Code 53F-2-501; policy 4030, 3.2.3.6): a student in grades
9-12 declares the intent and a target term; the credit audit says whether the plan
meets every requirement by then. Approval takes the student, a parent and a school
official: the student approves here, staff record the other two.

A declaration is never edited into something else: changing the target or
withdrawing sets `withdrawn_on`, so the history stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from seop_tui.domain.early_graduation import EarlyGraduationCheck, check_early_graduation, half_year_index
from seop_tui.domain.records import TermPoint
from seop_tui.reference import Reference
from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.services.course_plan import student_credits
from seop_tui.services.plans import PlanRef, current_school_year
from seop_tui.services.records import requirement_set
from seop_tui.storage import Store
from seop_tui.text import SHORT, clean

# The targets offered: before the end of grade 12, not earlier than the end of grade 10.
TARGETS: tuple[TermPoint, ...] = ((10, "spring"), (11, "fall"), (11, "spring"), (12, "fall"))
FIRST_GRADE = 9
Party = Literal["student", "parent", "official"]
PARTY_WORDS = {"student": "Student", "parent": "Parent or guardian", "official": "School official"}


class EarlyGraduationError(ValueError):
    """The change cannot be made; the message says why."""


def target_label(target: TermPoint) -> str:
    grade, half = target
    if half == "fall":
        return f"Middle of grade {grade} (end of fall semester)"
    return f"End of grade {grade} (end of spring semester)"


def term_now(grade: int, today: date, school_year: dict) -> TermPoint:
    """The half-year in progress: fall until the new calendar year of the school year, then spring."""
    spring_starts = date(int(school_year["ends_on"][:4]), 1, 1)
    return (grade, "fall" if today < spring_starts else "spring")


@dataclass(frozen=True)
class Declaration:
    id: int
    declared_on: str
    target: TermPoint
    reason: str
    approvals: dict[str, str | None]  # party -> date approved (None: pending)
    official_name: str | None
    withdrawn_on: str | None

    @property
    def target_label(self) -> str:
        return target_label(self.target)

    @property
    def fully_approved(self) -> bool:
        return all(self.approvals.values())


@dataclass(frozen=True)
class EarlyGraduation:
    grade: int
    now: TermPoint
    current: Declaration | None
    history: tuple[Declaration, ...]  # withdrawn declarations, newest first
    targets: tuple[TermPoint, ...]  # targets that can still be chosen
    verdicts: dict[TermPoint, EarlyGraduationCheck]  # for each target still ahead
    requirement_set: str | None

    @property
    def applies(self) -> bool:
        return self.grade >= FIRST_GRADE

    @property
    def verdict(self) -> EarlyGraduationCheck | None:
        return self.verdicts.get(self.current.target) if self.current else None


def _declaration(row) -> Declaration:
    return Declaration(
        id=row["id"],
        declared_on=row["declared_on"],
        target=(row["target_grade"], row["target_term"]),
        reason=row["reason"] or "",
        approvals={
            "student": row["student_approved_on"],
            "parent": row["parent_approved_on"],
            "official": row["official_approved_on"],
        },
        official_name=row["official_name"],
        withdrawn_on=row["withdrawn_on"],
    )


def _open_targets(now: TermPoint) -> tuple[TermPoint, ...]:
    return tuple(t for t in TARGETS if half_year_index(t) >= half_year_index(now))


def status(store: Store, ref: Reference, actor: Actor, student_id: int, *, today: date | None = None) -> EarlyGraduation:
    """The student's declaration, its history and the audit's verdict; an audited view."""
    require_access(store, actor, student_id)
    today = today or date.today()
    with store.read() as conn:
        credits = student_credits(conn, ref, student_id)
        rows = conn.execute(
            "SELECT e.*, t.given_name || ' ' || t.family_name AS official_name FROM early_graduation_plans e"
            " LEFT JOIN staff t ON t.id = e.official_id WHERE e.student_id = ? ORDER BY e.id DESC",
            (student_id,),
        ).fetchall()
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "early graduation")
    now = term_now(credits.grade, today, current_school_year(store))
    declarations = [_declaration(r) for r in rows]
    current = next((d for d in declarations if d.withdrawn_on is None), None)
    reqs = requirement_set(ref, credits.school_code, credits.cohort_year)
    targets = _open_targets(now) if credits.grade >= FIRST_GRADE else ()
    verdicts: dict[TermPoint, EarlyGraduationCheck] = {}
    if reqs is not None:
        wanted = set(targets) | ({current.target} if current else set())
        for target in wanted:
            if half_year_index(target) >= half_year_index(now):
                verdicts[target] = check_early_graduation(
                    reqs, credits.earned, credits.planned, now=now, target=target, intent_declared=current is not None
                )
    return EarlyGraduation(
        grade=credits.grade,
        now=now,
        current=current,
        history=tuple(d for d in declarations if d is not current),
        targets=targets,
        verdicts=verdicts,
        requirement_set=reqs.name if reqs else None,
    )


def _active(db, student_id: int):
    return db.execute(
        "SELECT * FROM early_graduation_plans WHERE student_id = ? AND withdrawn_on IS NULL ORDER BY id DESC LIMIT 1",
        [student_id],
    ).fetchone()


def declare(
    store: Store, actor: Actor, plan: PlanRef, *, target: TermPoint, reason: str = "", today: date | None = None
) -> PlanRef:
    """Declare the intent to graduate early by `target`. A declaration for another target
    is withdrawn (kept in the history) and its approvals do not carry over; for the same
    target only the reason is updated."""
    today = today or date.today()
    reason = clean(reason, limit=SHORT)
    require_access(store, actor, plan.student_id)
    grade = store.one("SELECT grade FROM students WHERE id = ?", (plan.student_id,))["grade"]
    if grade < FIRST_GRADE:
        raise EarlyGraduationError("Early graduation can be planned from grade 9.")
    if target not in _open_targets(term_now(grade, today, current_school_year(store))):
        raise EarlyGraduationError(f"{target_label(target)} cannot be chosen now.")
    active = _active(store.conn, plan.student_id)
    if active is not None and (active["target_grade"], active["target_term"]) == target:
        # Same target: only the reason can change; the approvals stand.
        with plans.editing(store, actor, plan, "early graduation reason changed") as db:
            db.execute("UPDATE early_graduation_plans SET reason = ? WHERE id = ?", [reason, active["id"]])
        return plans.reload(store, plan)
    with plans.editing(store, actor, plan, f"early graduation declared: {target[1]} of grade {target[0]}") as db:
        db.execute(
            "UPDATE early_graduation_plans SET withdrawn_on = ? WHERE student_id = ? AND withdrawn_on IS NULL",
            [today.isoformat(), plan.student_id],
        )
        db["early_graduation_plans"].insert(
            {
                "student_id": plan.student_id,
                "declared_on": today.isoformat(),
                "target_grade": target[0],
                "target_term": target[1],
                "reason": reason,
            }
        )
    return plans.reload(store, plan)


def approve(store: Store, actor: Actor, plan: PlanRef, party: Party, *, on: date | None = None) -> PlanRef:
    """Record one approval of the current declaration. The student gives their own;
    staff record the parent's (with the date given) and their own as the school official."""
    require_access(store, actor, plan.student_id)
    if party not in PARTY_WORDS:
        raise EarlyGraduationError(f"Unknown approval {party!r}.")
    if party in ("parent", "official") and not actor.is_staff:
        raise AccessDenied("Staff record the parent's and the school official's approval.")
    if party == "official" and actor.staff_id is None:
        raise AccessDenied("Only a staff member can approve as the school official.")
    on = on or date.today()
    with plans.editing(store, actor, plan, f"early graduation: {party} approval recorded") as db:
        row = _active(db, plan.student_id)
        if row is None:
            raise EarlyGraduationError("There is no early graduation plan to approve.")
        if party == "official":
            db.execute(
                "UPDATE early_graduation_plans SET official_approved_on = ?, official_id = ? WHERE id = ?",
                [on.isoformat(), actor.staff_id, row["id"]],
            )
        else:
            db.execute(f"UPDATE early_graduation_plans SET {party}_approved_on = ? WHERE id = ?", [on.isoformat(), row["id"]])
    return plans.reload(store, plan)


def withdraw(store: Store, actor: Actor, plan: PlanRef, *, today: date | None = None) -> PlanRef:
    """Withdraw the current declaration; it stays in the history."""
    today = today or date.today()
    with plans.editing(store, actor, plan, "early graduation withdrawn") as db:
        if _active(db, plan.student_id) is None:
            raise EarlyGraduationError("There is no early graduation plan to withdraw.")
        db.execute(
            "UPDATE early_graduation_plans SET withdrawn_on = ? WHERE student_id = ? AND withdrawn_on IS NULL",
            [today.isoformat(), plan.student_id],
        )
    return plans.reload(store, plan)
