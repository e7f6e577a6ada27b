"""Staff review of a plan: comments per section, sending it back for changes,
signing it off, and the finalized versions kept whole.

The status changes themselves are `plans.request_changes` and `plans.finalize`
(version-checked, audited); this module adds what a review needs around them:
text cleaning, which sections exist, the snapshot a sign-off keeps, and reading
the kept versions back.

A comment on its own does not change the plan, so it does not bump the plan's
version: a student editing at the same moment is not sent a conflict by it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from seop_tui.reference import RIASEC_ORDER, Reference
from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.services.plan_document import plan_document
from seop_tui.services.plan_status import sections_for
from seop_tui.services.plans import PlanLocked, PlanRef
from seop_tui.storage import Store
from seop_tui.text import LONG, clean

NEED_COMMENT = "Write what needs changing first: a comment on the section it is about."
EMPTY_COMMENT = "The comment is empty. Write something first."
ALREADY_FINALIZED = "This version is already finalized. Changes the student makes from now on start the next version."


@dataclass(frozen=True)
class Comment:
    id: int
    section: str
    section_title: str
    body: str
    author: str
    created_at: str
    resolved_at: str | None  # set when the plan was next finalized


@dataclass(frozen=True)
class PlanVersion:
    """One finalized version, kept whole."""

    id: int
    plan_id: int
    school_year: str
    kind: str  # SEP | SEOP
    version: int  # the plan's version number when it was signed off
    number: int  # 1 for the plan's first sign-off, 2 for the next ...
    finalized_at: str
    finalized_by: str


def section_titles(plan: PlanRef) -> dict[str, str]:
    """Section key -> title, for the sections this plan has, in order."""
    return {s.key: s.title for s in sections_for(plan)}


def _require_staff(actor: Actor, doing: str) -> None:
    if not actor.is_staff:
        raise AccessDenied(f"Only school staff can {doing}.")


# -- comments ------------------------------------------------------------------------


_COMMENT_SQL = (
    "SELECT c.id, c.section, c.body, c.created_at, c.resolved_at,"
    " coalesce(t.given_name || ' ' || t.family_name, s.given_name || ' ' || s.family_name, a.username, '') AS author"
    " FROM plan_comments c LEFT JOIN accounts a ON a.id = c.author_id LEFT JOIN staff t ON t.account_id = a.id"
    " LEFT JOIN students s ON s.account_id = a.id"
)


def _comment(row, titles: dict[str, str]) -> Comment:
    section = row["section"]
    return Comment(row["id"], section, titles.get(section, section), row["body"], row["author"], row["created_at"], row["resolved_at"])


def comments(store: Store, actor: Actor, plan: PlanRef, *, open_only: bool = False) -> list[Comment]:
    """The plan's comments, oldest first (open ones only when `open_only`). An audited view."""
    require_access(store, actor, plan.student_id)
    sql = _COMMENT_SQL + " WHERE c.plan_id = ?" + (" AND c.resolved_at IS NULL" if open_only else "") + " ORDER BY c.created_at, c.id"
    titles = section_titles(plan)
    found = [_comment(r, titles) for r in store.query(sql, (plan.id,))]
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, f"plan {plan.id} comments")
    return found


def _cleaned(plan: PlanRef, section: str, body: str) -> str:
    if section not in section_titles(plan):
        raise ValueError(f"This plan has no section {section!r}.")
    return clean(body, limit=LONG, multiline=True)


def add_comment(store: Store, actor: Actor, plan: PlanRef, section: str, body: str) -> Comment:
    """A staff comment on one section; the student sees it with that section."""
    _require_staff(actor, "comment on a plan")
    require_access(store, actor, plan.student_id)
    text = _cleaned(plan, section, body)
    if not text:
        raise ValueError(EMPTY_COMMENT)
    with store.write() as db:
        comment_id = db["plan_comments"].insert(
            {"plan_id": plan.id, "section": section, "author_id": actor.account_id, "body": text, "created_at": now_utc()}
        ).last_pk
        audit.record(store.conn, actor, "change", plan.student_id, f"comment on {section_titles(plan)[section]}")
    return _comment(store.one(_COMMENT_SQL + " WHERE c.id = ?", (comment_id,)), section_titles(plan))


def open_comment_count(store: Store, plan: PlanRef) -> int:
    return store.one("SELECT count(*) FROM plan_comments WHERE plan_id = ? AND resolved_at IS NULL", (plan.id,))[0]


# -- the review decisions ------------------------------------------------------------------


def request_changes(store: Store, actor: Actor, plan: PlanRef, section: str | None = None, body: str = "") -> PlanRef:
    """Send the plan back to the student, with a new comment on `section` when `body` has text.

    Refused (ValueError) when there is nothing to tell the student: no new comment and
    no open one. Raises PlanConflict when the plan changed since `plan` was loaded.
    """
    _require_staff(actor, "ask for changes")
    require_access(store, actor, plan.student_id)
    text = _cleaned(plan, section, body) if section is not None else ""
    if not text and open_comment_count(store, plan) == 0:
        raise ValueError(NEED_COMMENT)
    return plans.request_changes(store, actor, plan, {section: text} if text else {})


def finalize(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> PlanRef:
    """Sign off the plan as it is now: the whole plan document is kept as this version.

    Raises PlanConflict when the plan changed since `plan` was loaded (the snapshot
    would not be what the reviewer saw), PlanLocked when it is already finalized.
    """
    _require_staff(actor, "finalize a plan")
    if plan.status == "finalized":
        raise PlanLocked(ALREADY_FINALIZED)
    snapshot = plan_document(store, ref, actor, plan)
    snapshot["plan"].update(status=plans.STATUS_LABELS["finalized"], version=plan.version + 1, finalized_by=actor.display_name)
    return plans.finalize(store, actor, plan, snapshot)


# -- finalized versions --------------------------------------------------------------------


_VERSION_SQL = (
    "SELECT v.id, v.plan_id, v.version, v.finalized_at, y.name AS year_name, p.kind, p.student_id,"
    " coalesce(t.given_name || ' ' || t.family_name, '') AS signer,"
    " (SELECT count(*) FROM plan_versions w WHERE w.plan_id = v.plan_id AND w.version <= v.version) AS number"
    " FROM plan_versions v JOIN plans p ON p.id = v.plan_id JOIN school_years y ON y.id = p.school_year_id"
    " LEFT JOIN staff t ON t.id = v.finalized_by"
)


def _version(row) -> PlanVersion:
    return PlanVersion(
        row["id"], row["plan_id"], row["year_name"], row["kind"], row["version"], row["number"], row["finalized_at"] or "", row["signer"]
    )


def versions_of(store: Store, student_id: int) -> list[PlanVersion]:
    """Every finalized version of the student's plans, newest first. No access check: callers check."""
    rows = store.query(_VERSION_SQL + " WHERE p.student_id = ? ORDER BY v.finalized_at DESC, v.id DESC", (student_id,))
    return [_version(r) for r in rows]


def versions(store: Store, actor: Actor, student_id: int) -> list[PlanVersion]:
    """Every finalized version of the student's plans, newest first. An audited view."""
    require_access(store, actor, student_id)
    found = versions_of(store, student_id)
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "finalized plan versions")
    return found


def read_version(store: Store, actor: Actor, version_id: int) -> tuple[PlanVersion, dict]:
    """A finalized version and the plan document kept with it. An audited view."""
    row = store.one(_VERSION_SQL + " WHERE v.id = ?", (version_id,))
    if row is None:
        raise LookupError("That plan version is not on file.")
    require_access(store, actor, row["student_id"])
    snapshot = json.loads(store.one("SELECT snapshot FROM plan_versions WHERE id = ?", (version_id,))[0])
    version = _version(row)
    inventory = snapshot.get("interest_inventory")
    if isinstance(inventory, dict) and isinstance(inventory.get("scores"), dict):
        # Kept with sorted keys; shown in the inventory's own order (R I A S E C).
        scores = inventory["scores"]
        inventory["scores"] = {k: scores[k] for k in (*RIASEC_ORDER, *sorted(scores)) if k in scores}
    if isinstance(snapshot.get("plan"), dict):
        # Who signed and when are the row's own columns, written in the same transaction.
        snapshot["plan"].update(finalized_at=version.finalized_at, finalized_by=version.finalized_by or snapshot["plan"].get("finalized_by"))
    with store.write():
        audit.record(store.conn, actor, "view", row["student_id"], f"plan {row['plan_id']} finalized version {row['version']}")
    return version, snapshot
