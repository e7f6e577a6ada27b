"""Parent involvement opportunities (policy 3.2.3.5): invitations and their responses.

Each invitation records why a parent or guardian was invited, how, when and to
whom, and later their response. A declined or unanswered invitation is still
evidence that the school offered the opportunity, which is what the policy asks.
The school year is the one containing the day the invitation was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seop_tui.services import audit
from seop_tui.services.access import require_access
from seop_tui.services.conferences import EntryError, Person, guardians_of, parse_day, require_staff, school_year_on
from seop_tui.services.context import Actor
from seop_tui.storage import Store
from seop_tui.text import LONG, SHORT, clean

METHODS: dict[str, str] = {
    "letter": "Letter",
    "email": "Email",
    "phone": "Phone call",
    "text": "Text message",
    "in_person": "In person",
    "portal": "Parent portal",
}
RESPONSES: dict[str, str] = {
    "pending": "Pending",
    "accepted": "Accepted",
    "declined": "Declined",
    "no_response": "No response",
}
ANSWERED = ("accepted", "declined")  # responses that carry a date


@dataclass(frozen=True)
class Invitation:
    id: int
    student_id: int
    school_year: str
    purpose: str
    method: str
    method_label: str
    sent_on: str
    guardian_id: int | None
    guardian: str  # name, or "" when sent to the household
    response: str
    response_label: str
    responded_on: str | None
    notes: str


def _check_guardian(store: Store, student_id: int, guardian_id: int | None) -> None:
    if guardian_id is None:
        return
    if store.one("SELECT 1 FROM student_guardians WHERE student_id = ? AND guardian_id = ?", (student_id, guardian_id)) is None:
        raise EntryError("That person is not listed as a guardian of this student.")


def _response_day(response: str, responded_on, sent_on: date, today: date | None) -> str | None:
    if response not in RESPONSES:
        raise EntryError(f"Choose a response: {', '.join(RESPONSES.values())}.")
    if response not in ANSWERED:
        return None
    day = parse_day(responded_on, what="response date", today=today)
    if day < sent_on:
        raise EntryError("The response date is before the invitation was sent.")
    return day.isoformat()


def add(
    store: Store,
    actor: Actor,
    student_id: int,
    *,
    purpose: str,
    method: str,
    sent_on: str | date,
    guardian_id: int | None = None,
    response: str = "pending",
    responded_on: str | date | None = None,
    notes: str = "",
    today: date | None = None,
) -> int:
    """Record an invitation sent to the student's parent or guardian; returns its id."""
    require_staff(actor)
    require_access(store, actor, student_id)
    purpose = clean(purpose, limit=SHORT)
    if not purpose:
        raise EntryError("Say what the invitation was for, for example “SEOP conference”.")
    if method not in METHODS:
        raise EntryError(f"Choose how it was sent: {', '.join(METHODS.values())}.")
    sent = parse_day(sent_on, what="date sent", today=today)
    year = school_year_on(store, sent)
    _check_guardian(store, student_id, guardian_id)
    row = {
        "student_id": student_id,
        "school_year_id": year["id"],
        "guardian_id": guardian_id,
        "purpose": purpose,
        "method": method,
        "sent_on": sent.isoformat(),
        "response": response,
        "responded_on": _response_day(response, responded_on, sent, today),
        "notes": clean(notes, limit=LONG, multiline=True) or None,
        "recorded_by": actor.account_id,
    }
    with store.write() as db:
        invitation_id = db["parent_involvement"].insert(row).last_pk
        audit.record(store.conn, actor, "change", student_id, f"parent invitation {invitation_id} recorded ({purpose[:60]})")
    return invitation_id


def update_response(
    store: Store,
    actor: Actor,
    invitation_id: int,
    *,
    response: str,
    responded_on: str | date | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> None:
    """Record the guardian's response (and optionally replace the notes)."""
    require_staff(actor)
    row = store.one("SELECT student_id, sent_on FROM parent_involvement WHERE id = ?", (invitation_id,))
    if row is None:
        raise EntryError("That invitation is not on file any more.")
    require_access(store, actor, row["student_id"])
    changes = {"response": response, "responded_on": _response_day(response, responded_on, date.fromisoformat(row["sent_on"]), today)}
    if notes is not None:
        changes["notes"] = clean(notes, limit=LONG, multiline=True) or None
    with store.write() as db:
        db["parent_involvement"].update(invitation_id, changes)
        audit.record(store.conn, actor, "change", row["student_id"], f"parent invitation {invitation_id}: {RESPONSES[response].lower()}")


def guardians(store: Store, actor: Actor, student_id: int) -> tuple[Person, ...]:
    """Whom an invitation can go to: the student's guardians (audited as a view)."""
    require_access(store, actor, student_id)
    people = guardians_of(store, student_id)
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "guardians")
    return people


def list_for(store: Store, actor: Actor, student_id: int, school_year_id: int | None = None) -> list[Invitation]:
    """The student's invitations (one school year, or all), newest first. Audited as a view."""
    require_access(store, actor, student_id)
    sql = (
        "SELECT p.*, y.name AS year_name, g.given_name || ' ' || g.family_name AS guardian_name FROM parent_involvement p"
        " JOIN school_years y ON y.id = p.school_year_id LEFT JOIN guardians g ON g.id = p.guardian_id WHERE p.student_id = ?"
    )
    params: tuple = (student_id,)
    if school_year_id is not None:
        sql += " AND p.school_year_id = ?"
        params += (school_year_id,)
    rows = store.query(sql + " ORDER BY p.sent_on DESC, p.id DESC", params)
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "parent involvement")
    return [
        Invitation(
            id=r["id"],
            student_id=r["student_id"],
            school_year=r["year_name"],
            purpose=r["purpose"] or "",
            method=r["method"],
            method_label=METHODS.get(r["method"], r["method"]),
            sent_on=r["sent_on"],
            guardian_id=r["guardian_id"],
            guardian=r["guardian_name"] or "",
            response=r["response"] or "pending",
            response_label=RESPONSES.get(r["response"] or "pending", r["response"]),
            responded_on=r["responded_on"],
            notes=r["notes"] or "",
        )
        for r in rows
    ]
