"""A student's accomplishments: awards, activities, service, work and others.

They belong to the student, not to one year's plan. A student's own change goes
through `plans.editing` on their current plan (version checked, refused while the
plan is with the counselor); staff may add and change them at any time. A student
changes only what they entered themselves.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from datetime import date

from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.conferences import EntryError, parse_day
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.services.plans import PlanRef
from seop_tui.storage import Store, Writes
from seop_tui.text import LONG, SHORT, clean

KINDS: dict[str, str] = {
    "award": "Award",
    "activity": "Activity",
    "service": "Service",
    "work": "Work",
    "other": "Other",
}
EDITABLE = ("kind", "title", "description", "occurred_on", "hours")
EARLIEST = date(1990, 1, 1)
MAX_HOURS = 10_000


# The staff-entry services' error type and date rule: one type for screens to catch.
AccomplishmentError = EntryError


def parse_date(value: str | date | None, *, today: date | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) not in the future, or None when empty."""
    day = parse_day(value, what="date", required=False, today=today)
    if day is not None and day < EARLIEST:
        raise AccomplishmentError(f"That date is before {EARLIEST.year}. Check the year.")
    return day.isoformat() if day else None


def parse_hours(value: str | float | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise AccomplishmentError("Hours must be a number, like 12 or 2.5.") from None
    if not math.isfinite(hours) or hours < 0 or hours > MAX_HOURS:
        raise AccomplishmentError(f"Hours must be between 0 and {MAX_HOURS:,}.")
    return hours


def _validated(fields: dict) -> dict:
    kind = fields.get("kind")
    if kind not in KINDS:
        raise AccomplishmentError(f"Choose a kind: {', '.join(KINDS.values())}.")
    title = clean(fields.get("title") or "", limit=SHORT)
    if not title:
        raise AccomplishmentError("Give it a title, for example “Science fair, second place”.")
    return {
        "kind": kind,
        "title": title,
        "description": clean(fields.get("description") or "", limit=LONG, multiline=True),
        "occurred_on": parse_date(fields.get("occurred_on")),
        "hours": parse_hours(fields.get("hours")),
    }


def _current_plan(store: Store, student_id: int) -> PlanRef | None:
    row = store.one(
        "SELECT p.id FROM plans p JOIN school_years y ON y.id = p.school_year_id WHERE p.student_id = ?"
        " ORDER BY y.is_current DESC, y.starts_on DESC LIMIT 1",
        (student_id,),
    )
    return plans.load_plan(store, row["id"]) if row else None


@contextlib.contextmanager
def _changing(store: Store, actor: Actor, student_id: int, what: str, plan: PlanRef | None) -> Iterator[Writes]:
    """A write: a student's through their current plan, staff's directly; audited either way."""
    require_access(store, actor, student_id)
    if actor.role == "student":
        plan = plan or _current_plan(store, student_id)
        if plan is not None:
            if plan.student_id != student_id:
                raise AccessDenied("That plan belongs to another student.")
            with plans.editing(store, actor, plan, what) as db:
                yield db
            return
    with store.write() as db:
        yield db
        audit.record(store.conn, actor, "change", student_id, what)


def add(
    store: Store,
    actor: Actor,
    student_id: int,
    *,
    kind: str,
    title: str,
    description: str = "",
    occurred_on: str | date | None = None,
    hours: str | float | None = None,
    plan: PlanRef | None = None,
) -> int:
    """Add an accomplishment; returns its id. `plan`: the student's plan as their session
    loaded it (for the version check); their current plan when not given."""
    require_access(store, actor, student_id)
    row = _validated({"kind": kind, "title": title, "description": description, "occurred_on": occurred_on, "hours": hours})
    with _changing(store, actor, student_id, f"accomplishment added: {row['kind']}", plan) as db:
        return db["accomplishments"].insert(
            {**row, "student_id": student_id, "entered_by": actor.account_id, "created_at": now_utc()}
        ).last_pk


def _existing(store: Store, actor: Actor, accomplishment_id: int):
    row = store.one("SELECT * FROM accomplishments WHERE id = ?", (accomplishment_id,))
    if row is None:
        raise AccomplishmentError("That accomplishment is not there any more.")
    require_access(store, actor, row["student_id"])
    if actor.role == "student" and row["entered_by"] != actor.account_id:
        raise AccessDenied("This one was entered by school staff. Ask your counselor to change it.")
    return row


def update(store: Store, actor: Actor, accomplishment_id: int, *, plan: PlanRef | None = None, **fields) -> None:
    """Change some of kind, title, description, occurred_on, hours."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
    row = _existing(store, actor, accomplishment_id)
    merged = _validated({**{k: row[k] for k in EDITABLE}, **fields})
    with _changing(store, actor, row["student_id"], f"accomplishment {accomplishment_id} changed", plan) as db:
        db["accomplishments"].update(accomplishment_id, merged)


def remove(store: Store, actor: Actor, accomplishment_id: int, *, plan: PlanRef | None = None) -> None:
    row = _existing(store, actor, accomplishment_id)
    with _changing(store, actor, row["student_id"], f"accomplishment {accomplishment_id} removed", plan) as db:
        db.execute("DELETE FROM accomplishments WHERE id = ?", [accomplishment_id])


def list_for(store: Store, actor: Actor, student_id: int) -> list[dict]:
    """The student's accomplishments, newest first; an audited view."""
    require_access(store, actor, student_id)
    rows = store.query(
        "SELECT a.*, coalesce(s.given_name || ' ' || s.family_name, t.given_name || ' ' || t.family_name, c.username)"
        " AS entered_by_name FROM accomplishments a LEFT JOIN accounts c ON c.id = a.entered_by"
        " LEFT JOIN students s ON s.account_id = a.entered_by LEFT JOIN staff t ON t.account_id = a.entered_by"
        " WHERE a.student_id = ? ORDER BY a.occurred_on IS NULL, a.occurred_on DESC, a.id DESC",
        (student_id,),
    )
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "accomplishments")
    return [
        {
            **{k: r[k] for k in ("id", "student_id", "kind", "title", "description", "occurred_on", "hours", "entered_by", "created_at")},
            "kind_label": KINDS.get(r["kind"], r["kind"]),
            "entered_by_name": r["entered_by_name"],
            "description": r["description"] or "",
        }
        for r in rows
    ]
