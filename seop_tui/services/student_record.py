"""A student's whole record for staff: this year's plan, progress data, conference
history, plan history and compliance with policy 4030, read in one call.

Each part comes from the service that owns it (and is audited there as a view):
plan_document, progress.progress_for, conferences.list_for,
compliance.student_compliance. This module adds the plan history: finalized
versions and every recorded change to the record, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from seop_tui.domain.compliance import ClauseResult
from seop_tui.reference import Reference
from seop_tui.services import conferences, plans, progress
from seop_tui.services.access import require_access
from seop_tui.services.compliance import student_compliance
from seop_tui.services.conferences import ConferenceView
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.services.plan_document import grade_label, plan_document
from seop_tui.services.plans import PlanRef
from seop_tui.services.review import PlanVersion, versions_of
from seop_tui.storage import Store

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class HistoryEvent:
    at: str
    who: str
    what: str


@dataclass(frozen=True)
class StudentRecord:
    student_id: int
    name: str
    student_number: str
    grade: str  # "K", "1" ... "12"
    school: str
    counselor: str | None
    plan: PlanRef | None  # this school year's plan; None when there is none yet
    document: dict | None  # plan_document of `plan`
    progress: dict  # progress.progress_for
    conferences: list[ConferenceView]  # every school year, oldest first
    compliance: tuple[ClauseResult, ...]
    versions: list[PlanVersion]  # finalized versions, newest first
    history: list[HistoryEvent]  # changes to the record, newest first


def student_record(store: Store, ref: Reference, actor: Actor, student_id: int) -> StudentRecord:
    if not actor.is_staff:
        raise AccessDenied("Only school staff can open a student's record.")
    require_access(store, actor, student_id)
    row = store.one(
        "SELECT s.given_name || ' ' || s.family_name AS name, s.student_number, s.grade, sc.name AS school,"
        " c.given_name || ' ' || c.family_name AS counselor FROM students s JOIN schools sc ON sc.id = s.school_id"
        " LEFT JOIN staff c ON c.id = s.counselor_id WHERE s.id = ?",
        (student_id,),
    )
    plan = plans.plan_for(store, ref, actor, student_id, create=False)
    try:
        compliance = student_compliance(store, ref, actor, student_id)
    except (ValueError, LookupError):  # e.g. a grade no band covers: show the rest of the record
        compliance = ()
    return StudentRecord(
        student_id=student_id,
        name=row["name"],
        student_number=row["student_number"],
        grade=grade_label(row["grade"]),
        school=row["school"],
        counselor=row["counselor"],
        plan=plan,
        document=plan_document(store, ref, actor, plan) if plan else None,
        progress=progress.progress_for(store, ref, actor, student_id),
        conferences=conferences.list_for(store, actor, student_id),
        compliance=compliance,
        versions=versions_of(store, student_id),
        history=_history(store, student_id),
    )


def _history(store: Store, student_id: int) -> list[HistoryEvent]:
    rows = store.query(
        "SELECT l.at, l.what, coalesce(t.given_name || ' ' || t.family_name, s.given_name || ' ' || s.family_name, a.username, '')"
        " AS who FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id LEFT JOIN staff t ON t.account_id = l.account_id"
        " LEFT JOIN students s ON s.account_id = l.account_id"
        " WHERE l.student_id = ? AND l.action = 'change' ORDER BY l.at DESC, l.id DESC LIMIT ?",
        (student_id, HISTORY_LIMIT),
    )
    return [HistoryEvent(r["at"], r["who"], r["what"] or "") for r in rows]
