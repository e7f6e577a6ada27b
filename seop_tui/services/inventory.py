"""The interest inventory: attempts, answers saved one at a time, scores, history.

An attempt is one sitting of the inventory. Every answer is stored the moment
it is given, so a student signed out half-way finds the attempt where they
left it. The attempt is scored (domain.riasec) and closed when its last item
is answered. A retake is a new attempt; earlier ones stay as history.

Answers are plan edits (plans.editing): version-checked, refused while the
plan is with the counselor, audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from seop_tui.domain.riasec import ClusterFit, Profile, explain_code, score, suggest_clusters
from seop_tui.reference import AreaInfo, Reference
from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor, now_utc
from seop_tui.services.plans import PlanRef
from seop_tui.storage import Store

SUGGESTED_CLUSTERS = 3


@dataclass(frozen=True)
class Attempt:
    id: int
    started_at: str
    completed_at: str | None
    holland_code: str | None
    answers: dict[str, int] = field(default_factory=dict)  # item id -> scale value

    @property
    def complete(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class InventoryResult:
    """A scored attempt in the words a student reads."""

    attempt: Attempt
    profile: Profile
    meaning: tuple[AreaInfo, ...]  # one per letter of the code, in order
    clusters: tuple[ClusterFit, ...]  # best first


def load_attempts(store: Store, student_id: int) -> tuple[Attempt, ...]:
    """Every attempt, newest first. No access check or audit: callers do both."""
    rows = store.query("SELECT * FROM inventory_attempts WHERE student_id = ? ORDER BY id DESC", (student_id,))
    answers: dict[int, dict[str, int]] = {row["id"]: {} for row in rows}
    for a in store.query(
        "SELECT a.attempt_id, a.item_id, a.value FROM inventory_answers a"
        " JOIN inventory_attempts t ON t.id = a.attempt_id WHERE t.student_id = ?",
        (student_id,),
    ):
        answers[a["attempt_id"]][a["item_id"]] = a["value"]
    return tuple(
        Attempt(r["id"], r["started_at"], r["completed_at"], r["holland_code"], answers[r["id"]]) for r in rows
    )


def attempts(store: Store, actor: Actor, student_id: int) -> tuple[Attempt, ...]:
    """Every attempt of the student, newest first, with its answers."""
    require_access(store, actor, student_id)
    found = load_attempts(store, student_id)
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "interest inventory")
    return found


def open_attempt(found: tuple[Attempt, ...]) -> Attempt | None:
    """The attempt still being answered, if any (newest first in `found`)."""
    return next((a for a in found if not a.complete), None)


def latest_result(ref: Reference, found: tuple[Attempt, ...]) -> InventoryResult | None:
    done = next((a for a in found if a.complete), None)
    return result(ref, done) if done else None


def next_item(ref: Reference, attempt: Attempt) -> int:
    """Index of the first item not yet answered (len(items) when all are)."""
    items = ref.inventory.items
    return next((i for i, item in enumerate(items) if item.id not in attempt.answers), len(items))


def result(ref: Reference, attempt: Attempt) -> InventoryResult:
    profile = score(attempt.answers, ref.inventory)
    return InventoryResult(
        attempt=attempt,
        profile=profile,
        meaning=explain_code(profile.code, ref.inventory),
        clusters=suggest_clusters(profile, ref.clusters, with_pathways=True),
    )


def start_attempt(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> tuple[PlanRef, Attempt]:
    """A new attempt (a first sitting or a retake); an unfinished one is resumed instead."""
    require_access(store, actor, plan.student_id)
    current = open_attempt(load_attempts(store, plan.student_id))
    if current is not None:
        return plan, current
    with plans.editing(store, actor, plan, "interest inventory started") as db:
        at = now_utc()
        attempt_id = db["inventory_attempts"].insert(
            {"student_id": plan.student_id, "plan_id": plan.id, "inventory": ref.inventory.name, "started_at": at}
        ).last_pk
    return plans.reload(store, plan), Attempt(attempt_id, at, None, None, {})


def answer(
    store: Store, ref: Reference, actor: Actor, plan: PlanRef, attempt_id: int, item_id: str, value: int
) -> tuple[PlanRef, Attempt]:
    """Store one answer; the answer to the last open item scores and closes the attempt."""
    require_access(store, actor, plan.student_id)
    item_ids = [item.id for item in ref.inventory.items]
    if item_id not in item_ids:
        raise ValueError(f"{item_id!r} is not an item of this inventory.")
    if value not in {point.value for point in ref.inventory.scale}:
        raise ValueError(f"{value!r} is not on the answer scale.")
    with plans.editing(store, actor, plan, f"interest inventory answer {item_id}") as db:
        row = db.execute("SELECT student_id, completed_at FROM inventory_attempts WHERE id = ?", [attempt_id]).fetchone()
        if row is None or row[0] != plan.student_id:
            raise LookupError("That inventory attempt is not part of this plan.")
        if row[1] is not None:
            raise ValueError("This inventory is already finished. Start a new one to answer again.")
        db.execute(
            "INSERT INTO inventory_answers (attempt_id, item_id, value, answered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (attempt_id, item_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
            [attempt_id, item_id, value, now_utc()],
        )
        given = dict(db.execute("SELECT item_id, value FROM inventory_answers WHERE attempt_id = ?", [attempt_id]).fetchall())
        completed_at = code = None
        if set(item_ids) <= set(given):
            profile = score(given, ref.inventory)
            completed_at, code = now_utc(), profile.code
            db.execute(
                "UPDATE inventory_attempts SET completed_at = ?, scores = ?, holland_code = ? WHERE id = ?",
                [completed_at, json.dumps(dict(profile.scores)), code, attempt_id],
            )
        started = db.execute("SELECT started_at FROM inventory_attempts WHERE id = ?", [attempt_id]).fetchone()[0]
    return plans.reload(store, plan), Attempt(attempt_id, started, completed_at, code, given)
