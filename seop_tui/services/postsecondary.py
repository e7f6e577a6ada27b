"""After high school: the student's post-secondary education and occupation plan
(policy 4030, 3.2.3.4). One row per plan in postsecondary_plans."""

from __future__ import annotations

from dataclasses import dataclass

from seop_tui.services import audit, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor, now_utc
from seop_tui.services.plans import PlanRef
from seop_tui.storage import Store
from seop_tui.text import LONG, SHORT, clean

EDUCATION_CHOICES: dict[str, str] = {
    "university": "University (four-year college)",
    "technical_college": "Technical college",
    "two_year_college": "Two-year college",
    "apprenticeship": "Apprenticeship",
    "military": "Military",
    "work": "Go to work",
}
FIELDS = ("education_choice", "institution", "program", "occupations", "next_steps")


class PostsecondaryError(ValueError):
    """The plan cannot be saved as given; the message says why."""


@dataclass(frozen=True)
class Postsecondary:
    education_choice: str | None = None
    institution: str = ""
    program: str = ""
    occupations: str = ""
    next_steps: str = ""
    updated_at: str | None = None

    @property
    def choice_label(self) -> str:
        return EDUCATION_CHOICES.get(self.education_choice or "", "")

    def values(self) -> dict[str, str | None]:
        return {field: getattr(self, field) for field in FIELDS}


def load(store: Store, actor: Actor, plan: PlanRef) -> Postsecondary:
    """The plan's after-high-school section (empty when not started); an audited view."""
    require_access(store, actor, plan.student_id)
    row = store.one("SELECT * FROM postsecondary_plans WHERE plan_id = ?", (plan.id,))
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, "after high school")
    if row is None:
        return Postsecondary()
    return Postsecondary(**{field: row[field] or ("" if field != "education_choice" else None) for field in FIELDS}, updated_at=row["updated_at"])


def save(
    store: Store,
    actor: Actor,
    plan: PlanRef,
    *,
    education_choice: str | None,
    institution: str = "",
    program: str = "",
    occupations: str = "",
    next_steps: str = "",
) -> PlanRef:
    """Store the section (insert or replace); returns the plan at its new version."""
    require_access(store, actor, plan.student_id)
    if education_choice is not None and education_choice not in EDUCATION_CHOICES:
        raise PostsecondaryError(f"Choose one of: {', '.join(EDUCATION_CHOICES.values())}.")
    row = {
        "plan_id": plan.id,
        "education_choice": education_choice,
        "institution": clean(institution, limit=SHORT),
        "program": clean(program, limit=SHORT),
        "occupations": clean(occupations, limit=SHORT),
        "next_steps": clean(next_steps, limit=LONG, multiline=True),
        "updated_at": now_utc(),
    }
    with plans.editing(store, actor, plan, "after high school saved") as db:
        db["postsecondary_plans"].upsert(row, pk="plan_id")
    return plans.reload(store, plan)
