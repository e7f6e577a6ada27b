"""A student's plan for a school year: finding it, editing it safely, its status.

Status moves draft -> submitted -> (changes_requested -> submitted ...) ->
finalized. Students edit while the plan is a draft or changes were requested;
a finalized plan is kept whole in plan_versions, and the next change reopens
it as a draft with a new version.

Every edit names the plan version it was based on. If the plan changed since
(another session saved first), the edit is refused with PlanConflict, which
says who changed it and when; nothing is overwritten silently.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.access import require_access
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.storage import Store, Writes

EDITABLE_BY_STUDENT = ("draft", "changes_requested", "finalized")
STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted for review",
    "changes_requested": "Changes requested",
    "finalized": "Finalized",
}


class PlanConflict(Exception):
    """The plan changed after this session loaded it."""

    def __init__(self, changed_by: str, changed_at: str):
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(
            f"This plan was changed by {changed_by} at {changed_at} after you opened it. "
            "Reload to see their change, then make yours again."
        )


class PlanLocked(Exception):
    """The plan cannot be changed in its current status by this person."""


@dataclass(frozen=True)
class PlanRef:
    id: int
    student_id: int
    school_year_id: int
    school_year: str
    kind: str  # SEP | SEOP
    grade: int
    status: str
    version: int
    updated_at: str | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def current_school_year(store: Store) -> dict:
    row = store.one("SELECT * FROM school_years WHERE is_current = 1 ORDER BY starts_on DESC LIMIT 1")
    if row is None:
        row = store.one("SELECT * FROM school_years ORDER BY starts_on DESC LIMIT 1")
    if row is None:
        raise LookupError("No school year is set up yet. An administrator must add one.")
    return dict(row)


def _plan_ref(row) -> PlanRef:
    return PlanRef(
        id=row["id"],
        student_id=row["student_id"],
        school_year_id=row["school_year_id"],
        school_year=row["year_name"],
        kind=row["kind"],
        grade=row["grade"],
        status=row["status"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


_PLAN_SQL = "SELECT p.*, y.name AS year_name FROM plans p JOIN school_years y ON y.id = p.school_year_id"


def load_plan(store: Store, plan_id: int) -> PlanRef:
    row = store.one(_PLAN_SQL + " WHERE p.id = ?", (plan_id,))
    if row is None:
        raise LookupError(f"plan {plan_id} not found")
    return _plan_ref(row)


def plan_for(store: Store, ref: Reference, actor: Actor, student_id: int, *, create: bool = True) -> PlanRef | None:
    """This school year's plan for the student, created as a draft when missing."""
    require_access(store, actor, student_id)
    year = current_school_year(store)
    row = store.one(_PLAN_SQL + " WHERE p.student_id = ? AND p.school_year_id = ?", (student_id, year["id"]))
    if row is None and create:
        with store.write() as db:
            student = db.execute("SELECT grade FROM students WHERE id = ?", [student_id]).fetchone()
            band = ref.district.band_for(student[0])
            db.execute(
                "INSERT OR IGNORE INTO plans (student_id, school_year_id, kind, grade, status, version, created_at, updated_at, updated_by)"
                " VALUES (?, ?, ?, ?, 'draft', 1, ?, ?, ?)",
                [student_id, year["id"], band.code, student[0], now_utc(), now_utc(), actor.account_id],
            )
            audit.record(store.conn, actor, "change", student_id, "plan created")
        row = store.one(_PLAN_SQL + " WHERE p.student_id = ? AND p.school_year_id = ?", (student_id, year["id"]))
    if row is None:
        return None
    with store.write():
        audit.record(store.conn, actor, "view", student_id, f"plan {row['id']}")
    return _plan_ref(row)


def _who(conn, account_id: int | None) -> str:
    if account_id is None:
        return "someone"
    row = conn.execute(
        "SELECT coalesce(s.given_name || ' ' || s.family_name, t.given_name || ' ' || t.family_name, a.username)"
        " FROM accounts a LEFT JOIN students s ON s.account_id = a.id LEFT JOIN staff t ON t.account_id = a.id WHERE a.id = ?",
        (account_id,),
    ).fetchone()
    return row[0] if row else "someone"


@contextlib.contextmanager
def editing(store: Store, actor: Actor, plan: PlanRef, what: str) -> Iterator[Writes]:
    """One change to a plan: checks access, status and version; bumps the version; audits.

    Yields the database inside a BEGIN IMMEDIATE transaction. The caller
    should use the returned plan (`reload`) for its next edit.
    """
    require_access(store, actor, plan.student_id)
    with store.write() as db:
        row = db.execute(
            "SELECT p.status, p.version, p.updated_at, p.updated_by, y.is_current FROM plans p"
            " JOIN school_years y ON y.id = p.school_year_id WHERE p.id = ?",
            [plan.id],
        ).fetchone()
        status, version, updated_at, updated_by, this_year = row
        if actor.role == "student" and not this_year:
            # After the rollover last year's plan is history; staff may still finish reviewing it.
            raise PlanLocked(
                f"Your {plan.school_year} plan is closed: a new school year has started. Sign out and in again to work on this year's plan."
            )
        if version != plan.version:
            raise PlanConflict(_who(store.conn, updated_by), (updated_at or "")[:16].replace("T", " "))
        if actor.role == "student" and status not in EDITABLE_BY_STUDENT:
            raise PlanLocked("Your plan is with your counselor for review. You can change it again if they ask for changes.")
        if status == "finalized" and actor.role == "student":
            # The finalized version stays in plan_versions; this change starts the next one.
            db.execute("UPDATE plans SET status = 'draft' WHERE id = ?", [plan.id])
        yield db
        db.execute(
            "UPDATE plans SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
            [now_utc(), actor.account_id, plan.id],
        )
        audit.record(store.conn, actor, "change", plan.student_id, what)


def reload(store: Store, plan: PlanRef) -> PlanRef:
    return load_plan(store, plan.id)


def submit(store: Store, actor: Actor, plan: PlanRef) -> PlanRef:
    if actor.role != "student" and not actor.is_staff:
        raise AccessDenied("Only the student or staff can submit a plan.")
    with editing(store, actor, plan, "plan submitted for review") as db:
        if plan.status not in ("draft", "changes_requested", "finalized"):
            raise PlanLocked("This plan is already waiting for review.")
        db.execute("UPDATE plans SET status = 'submitted', submitted_at = ? WHERE id = ?", [now_utc(), plan.id])
    return reload(store, plan)


def request_changes(store: Store, actor: Actor, plan: PlanRef, comments: dict[str, str]) -> PlanRef:
    """Staff send the plan back with comments per section (section -> text)."""
    if not actor.is_staff:
        raise AccessDenied("Only staff can request changes.")
    with editing(store, actor, plan, "changes requested") as db:
        for section, body in comments.items():
            if body.strip():
                db["plan_comments"].insert(
                    {"plan_id": plan.id, "section": section, "author_id": actor.account_id, "body": body, "created_at": now_utc()}
                )
        db.execute("UPDATE plans SET status = 'changes_requested' WHERE id = ?", [plan.id])
    return reload(store, plan)


def finalize(store: Store, actor: Actor, plan: PlanRef, snapshot: dict) -> PlanRef:
    """Sign off this version; it is kept whole in plan_versions."""
    if actor.role not in ("counselor", "administrator", "teacher") or actor.staff_id is None:
        raise AccessDenied("Only staff can finalize a plan.")
    with editing(store, actor, plan, f"plan version {plan.version} finalized") as db:
        at = now_utc()
        db.execute("UPDATE plans SET status = 'finalized', finalized_at = ?, finalized_by = ? WHERE id = ?", [at, actor.staff_id, plan.id])
        db["plan_versions"].insert(
            {
                "plan_id": plan.id,
                "version": plan.version + 1,
                "snapshot": json.dumps(snapshot, sort_keys=True),
                "finalized_by": actor.staff_id,
                "finalized_at": at,
            }
        )
        db.execute("UPDATE plan_comments SET resolved_at = ? WHERE plan_id = ? AND resolved_at IS NULL", [at, plan.id])
    return reload(store, plan)
