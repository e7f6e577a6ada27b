"""Education and career goals: steps, a target date, a status, updates over time.

SEOP plans hold education and career goals; SEP plans an education goal and a
career-awareness goal, each watched by the student, a parent and the teacher
(`monitors`). A change of status is also written to goal_updates, so the
history of a goal reads as a list of dated steps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor, now_utc
from seop_tui.services.plans import PlanRef
from seop_tui.storage import Store
from seop_tui.text import LONG, SHORT, clean

KINDS_BY_PLAN = {"SEOP": ("education", "career"), "SEP": ("education", "career_awareness")}
KIND_NAMES = {"education": "Education goal", "career": "Career goal", "career_awareness": "Jobs I wonder about"}
STATUSES = {"not_started": "not started", "in_progress": "in progress", "met": "met", "changed": "changed"}
MONITORS = ("student", "parent", "teacher", "counselor")

# Questions that turn a wish into a goal a 12-year-old can check off.
PROMPTS = (
    "What will you do? Say it so someone else could check it.",
    "By when? Pick a date.",
    "How will you know you did it?",
)
EXAMPLES = {
    "education": "Raise my math grade to a B by the end of the semester by doing every homework page.",
    "career": "Job-shadow a nurse for one day before spring break and write down three things I learned.",
    "career_awareness": "Learn what a veterinarian does by reading two books about animal doctors.",
}


class GoalInputError(ValueError):
    """Something typed into a goal cannot be stored; the message says how to fix it."""


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_HELP = "Write the date as year-month-day, like 2027-05-29 (or 5/29/2027)."


def parse_target_date(text: str) -> str | None:
    """An ISO date from '2027-05-29' or '5/29/2027'; None for an empty field."""
    value = text.strip()
    if not value:
        return None
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _US.match(value):
        month, day, year = (int(g) for g in m.groups())
    else:
        raise GoalInputError(f"“{value}” is not a date I can read. {DATE_HELP}")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise GoalInputError(f"“{value}” is not a real day on the calendar. {DATE_HELP}") from None
    if not 2000 <= parsed.year <= 2100:
        raise GoalInputError(f"{parsed.year} looks like a typing mistake. {DATE_HELP}")
    return parsed.isoformat()


@dataclass(frozen=True)
class GoalUpdate:
    created_at: str
    status: str | None
    note: str | None
    author: str


@dataclass(frozen=True)
class Goal:
    id: int
    kind: str
    text: str
    steps: str
    target_date: str | None
    status: str
    monitors: tuple[str, ...]
    updates: tuple[GoalUpdate, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


def _goals(store: Store, plan_id: int) -> tuple[Goal, ...]:
    updates: dict[int, list[GoalUpdate]] = {}
    for u in store.query(
        "SELECT u.goal_id, u.created_at, u.status, u.note,"
        " coalesce(s.given_name || ' ' || s.family_name, t.given_name || ' ' || t.family_name, a.username, '') AS author"
        " FROM goal_updates u JOIN goals g ON g.id = u.goal_id LEFT JOIN accounts a ON a.id = u.author_id"
        " LEFT JOIN students s ON s.account_id = a.id LEFT JOIN staff t ON t.account_id = a.id"
        " WHERE g.plan_id = ? ORDER BY u.created_at, u.id",
        (plan_id,),
    ):
        updates.setdefault(u["goal_id"], []).append(GoalUpdate(u["created_at"], u["status"], u["note"], u["author"]))
    return tuple(
        Goal(
            r["id"],
            r["kind"],
            r["text"],
            r["steps"] or "",
            r["target_date"],
            r["status"],
            tuple(json.loads(r["monitors"] or "[]")),
            tuple(updates.get(r["id"], ())),
        )
        for r in store.query("SELECT * FROM goals WHERE plan_id = ? ORDER BY id", (plan_id,))
    )


def goals(store: Store, actor: Actor, plan: PlanRef) -> tuple[Goal, ...]:
    """The plan's goals, oldest first, each with its updates."""
    require_access(store, actor, plan.student_id)
    found = _goals(store, plan.id)
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, "goals")
    return found


def save_goal(
    store: Store,
    actor: Actor,
    plan: PlanRef,
    *,
    kind: str,
    text: str,
    steps: str = "",
    target_date: str = "",
    status: str = "not_started",
    monitors: tuple[str, ...] | list[str] | None = None,
    goal_id: int | None = None,
) -> tuple[PlanRef, int]:
    """Create a goal (goal_id None) or change one. Nothing changed: nothing written."""
    require_access(store, actor, plan.student_id)  # before any answer about the plan's kind
    if kind not in KINDS_BY_PLAN.get(plan.kind, ()):
        raise GoalInputError(f"A {plan.kind} plan has no {kind.replace('_', ' ')} goals.")
    if status not in STATUSES:
        raise GoalInputError(f"Unknown status {status!r}.")
    words = clean(text, limit=SHORT)
    if not words:
        raise GoalInputError("Write the goal first: what will you do?")
    new = {
        "kind": kind,
        "text": words,
        "steps": clean(steps, limit=LONG, multiline=True),
        "target_date": parse_target_date(target_date),
        "status": status,
    }
    if monitors is not None:
        unknown = set(monitors) - set(MONITORS)
        if unknown:
            raise GoalInputError(f"Unknown helper {sorted(unknown)[0]!r}.")
        new["monitors"] = json.dumps([m for m in MONITORS if m in monitors])
    if goal_id is not None:
        old = store.one("SELECT * FROM goals WHERE id = ? AND plan_id = ?", (goal_id, plan.id))
        if old is None:
            raise LookupError("That goal is not on this plan (it may have been removed).")
        if all((old[k] or None) == (v or None) for k, v in new.items()):
            return plan, goal_id
    with plans.editing(store, actor, plan, f"{kind.replace('_', ' ')} goal {'changed' if goal_id else 'added'}") as db:
        at = now_utc()
        if goal_id is None:
            goal_id = db["goals"].insert({"plan_id": plan.id, "created_at": at, "updated_at": at, **new}).last_pk
        else:
            before = db.execute("SELECT status FROM goals WHERE id = ?", [goal_id]).fetchone()[0]
            db["goals"].update(goal_id, {**new, "updated_at": at})
            if before != status:
                db["goal_updates"].insert({"goal_id": goal_id, "author_id": actor.account_id, "status": status, "created_at": at})
    return plans.reload(store, plan), goal_id


def add_update(store: Store, actor: Actor, plan: PlanRef, goal_id: int, note: str) -> PlanRef:
    """A dated note on how the goal is going, with the goal's status at that time."""
    words = clean(note, limit=LONG, multiline=True)
    if not words:
        raise GoalInputError("Write a few words about how it is going.")
    with plans.editing(store, actor, plan, "goal progress update") as db:
        row = db.execute("SELECT status FROM goals WHERE id = ? AND plan_id = ?", [goal_id, plan.id]).fetchone()
        if row is None:
            raise LookupError("That goal is not on this plan (it may have been removed).")
        db["goal_updates"].insert(
            {"goal_id": goal_id, "author_id": actor.account_id, "status": row[0], "note": words, "created_at": now_utc()}
        )
    return plans.reload(store, plan)


def remove_goal(store: Store, actor: Actor, plan: PlanRef, goal_id: int) -> PlanRef:
    with plans.editing(store, actor, plan, "goal removed") as db:
        db.execute("DELETE FROM goal_updates WHERE goal_id IN (SELECT id FROM goals WHERE id = ? AND plan_id = ?)", [goal_id, plan.id])
        if not db.execute("DELETE FROM goals WHERE id = ? AND plan_id = ?", [goal_id, plan.id]).rowcount:
            raise LookupError("That goal is not on this plan (it may have been removed already).")
    return plans.reload(store, plan)
