"""Strengths and areas to work on, and the progress data shown beside them.

A student picks from a short suggested list or writes their own words; each
entry is a row of `strengths` (kind strength | needs_attention) on this year's
plan. The same service serves the SEP (K-5) with simpler suggestions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from seop_tui.reference import Reference
from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor, now_utc
from seop_tui.services.plans import PlanRef
from seop_tui.storage import Store
from seop_tui.text import SHORT, clean

KINDS = ("strength", "needs_attention")

# Kept short and kind: a starting point, not a label. Own words are always welcome.
SUGGESTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("SEOP", "strength"): (
        "Good at math",
        "Strong reader",
        "Creative",
        "Works well with others",
        "Good with technology",
        "Hard-working",
        "Good listener",
        "Helps others",
        "Organized",
        "Curious about how things work",
    ),
    ("SEOP", "needs_attention"): (
        "Turning in work on time",
        "Math skills",
        "Writing",
        "Reading",
        "Study habits",
        "Staying organized",
        "Asking for help",
        "Managing my time",
    ),
    ("SEP", "strength"): (
        "Reading",
        "Math",
        "Drawing and art",
        "Being a good friend",
        "Asking questions",
        "Trying hard",
        "Listening",
        "Helping others",
    ),
    ("SEP", "needs_attention"): (
        "Reading",
        "Math facts",
        "Spelling",
        "Writing sentences",
        "Staying on task",
        "Finishing my work",
        "Speaking up in class",
    ),
}


def suggestions(plan_kind: str, kind: str) -> tuple[str, ...]:
    return SUGGESTIONS.get((plan_kind, kind), ())


@dataclass(frozen=True)
class Trait:
    id: int
    kind: str  # strength | needs_attention
    text: str
    from_list: bool


def _traits(store: Store, plan_id: int) -> tuple[Trait, ...]:
    return tuple(
        Trait(r["id"], r["kind"], r["text"], bool(r["from_list"]))
        # kind DESC: strengths before needs_attention
        for r in store.query("SELECT * FROM strengths WHERE plan_id = ? ORDER BY kind DESC, position, id", (plan_id,))
    )


def traits(store: Store, actor: Actor, plan: PlanRef) -> tuple[Trait, ...]:
    """The plan's strengths and areas to work on, in the order they were added."""
    require_access(store, actor, plan.student_id)
    found = _traits(store, plan.id)
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, "strengths")
    return found


def add_trait(store: Store, actor: Actor, plan: PlanRef, kind: str, text: str) -> tuple[PlanRef, Trait]:
    """Add a strength or an area to work on. The same words twice are refused."""
    require_access(store, actor, plan.student_id)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    words = clean(text, limit=SHORT)
    if not words:
        raise ValueError("Type a few words first.")
    with plans.editing(store, actor, plan, f"{kind.replace('_', ' ')} added") as db:
        rows = db.execute("SELECT text, position FROM strengths WHERE plan_id = ? AND kind = ?", [plan.id, kind]).fetchall()
        if any(r[0].casefold() == words.casefold() for r in rows):
            raise ValueError(f"“{words}” is already on your list.")
        from_list = words in suggestions(plan.kind, kind)
        trait_id = db["strengths"].insert(
            {
                "plan_id": plan.id,
                "kind": kind,
                "text": words,
                "from_list": int(from_list),
                "position": 1 + max((r[1] or 0 for r in rows), default=0),
                "created_at": now_utc(),
            }
        ).last_pk
    return plans.reload(store, plan), Trait(trait_id, kind, words, from_list)


def remove_trait(store: Store, actor: Actor, plan: PlanRef, trait_id: int) -> PlanRef:
    with plans.editing(store, actor, plan, "strength or area to work on removed") as db:
        gone = db.execute("DELETE FROM strengths WHERE id = ? AND plan_id = ?", [trait_id, plan.id]).rowcount
        if not gone:
            raise LookupError("That entry is not on this plan (it may have been removed already).")
    return plans.reload(store, plan)


# ---------------------------------------------------------------- progress data


@dataclass(frozen=True)
class AssessmentLevel:
    assessment: str  # e.g. "RISE"
    subject: str  # e.g. "Mathematics"
    grade: int
    level: str  # e.g. "Proficient"; "" when no level was reported


@dataclass(frozen=True)
class ProgressSnapshot:
    results: tuple[AssessmentLevel, ...]  # the most recent testing grade only
    credits_by_area: tuple[tuple[str, float], ...]  # (area name, credits earned)
    total_credits: float


def progress_snapshot(store: Store, ref: Reference, actor: Actor, student_id: int) -> ProgressSnapshot:
    """Latest assessment levels and credits earned, to show beside strengths."""
    require_access(store, actor, student_id)
    rows = store.query(
        "SELECT assessment, subject, grade, level FROM assessment_results WHERE student_id = ?"
        " AND grade = (SELECT max(grade) FROM assessment_results WHERE student_id = ?) ORDER BY assessment, subject",
        (student_id, student_id),
    )
    levels = {lvl.level: lvl.name for lvl in ref.assessments.levels}
    names = {a.code: (a.name, {s.code: s.name for s in a.subjects}) for a in ref.assessments.assessments}
    results = []
    for r in rows:
        name, subjects = names.get(r["assessment"], (r["assessment"], {}))
        results.append(AssessmentLevel(name, subjects.get(r["subject"], r["subject"]), r["grade"], levels.get(r["level"], "")))
    area_names = {a.code: a.name for s in ref.requirements.sets for a in s.areas}
    by_area: dict[str, float] = defaultdict(float)
    for r in store.query("SELECT area, credits FROM credits_earned WHERE student_id = ?", (student_id,)):
        by_area[area_names.get(r["area"], r["area"])] += r["credits"]
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "progress data")
    return ProgressSnapshot(tuple(results), tuple(sorted(by_area.items())), sum(by_area.values()))
