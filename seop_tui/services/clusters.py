"""Career clusters and pathways: browsing with the student's inventory fit, choosing one.

A choice is a row of cluster_choices with the date and the student's grade;
the latest row is the current choice and earlier rows are kept as history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seop_tui.domain.riasec import ClusterFit
from seop_tui.reference import Cluster, Course, Reference
from seop_tui.services import audit, inventory, plans
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor
from seop_tui.services.plans import PlanRef
from seop_tui.storage import Store


@dataclass(frozen=True)
class Choice:
    cluster_code: str
    cluster_name: str
    pathway_code: str | None
    pathway_name: str | None
    grade: int
    chosen_on: str

    @property
    def label(self) -> str:
        return f"{self.cluster_name}: {self.pathway_name}" if self.pathway_name else self.cluster_name


@dataclass(frozen=True)
class ClusterView:
    cluster: Cluster
    fit: ClusterFit | None  # None until an inventory is completed
    courses: dict[str, tuple[Course, ...]]  # pathway code -> catalog courses of that pathway

    def pathway_fit(self, pathway_code: str) -> float | None:
        if self.fit is None:
            return None
        return next((p.fit for p in self.fit.pathways if p.pathway_code == pathway_code), None)


@dataclass(frozen=True)
class ClusterBrowse:
    clusters: tuple[ClusterView, ...]  # best fit first when there is an inventory, else framework order
    holland_code: str | None
    history: tuple[Choice, ...]  # oldest first; the last is the current choice

    @property
    def current(self) -> Choice | None:
        return self.history[-1] if self.history else None


def fit_words(fit: float | None) -> str:
    """A fit as text that reads without colour: 'fit 82%'."""
    return "" if fit is None else f"fit {round(100 * fit)}%"


def related_courses(ref: Reference, cluster: Cluster) -> dict[str, tuple[Course, ...]]:
    """Catalog courses of each pathway of the cluster, in catalog order."""
    return {p.code: tuple(c for c in ref.courses.courses if c.pathway == p.code) for p in cluster.pathways}


def _choice(ref: Reference, row) -> Choice:
    cluster = ref.clusters.cluster(row["cluster_code"])
    found = ref.clusters.pathway(row["pathway_code"] or "")
    return Choice(
        row["cluster_code"],
        cluster.name if cluster else row["cluster_code"],
        row["pathway_code"],
        found[1].name if found else None,
        row["grade"],
        row["chosen_on"],
    )


def history(store: Store, ref: Reference, student_id: int) -> tuple[Choice, ...]:
    """Choices oldest first. No access check or audit: callers do both."""
    rows = store.query("SELECT * FROM cluster_choices WHERE student_id = ? ORDER BY id", (student_id,))
    return tuple(_choice(ref, r) for r in rows)


def browse(store: Store, ref: Reference, actor: Actor, plan: PlanRef) -> ClusterBrowse:
    """Every cluster with its fit to the student's latest completed inventory."""
    require_access(store, actor, plan.student_id)
    latest = inventory.latest_result(ref, inventory.load_attempts(store, plan.student_id))
    fits = {f.cluster_code: f for f in latest.clusters} if latest else {}
    views = [ClusterView(c, fits.get(c.code), related_courses(ref, c)) for c in ref.clusters.clusters]
    if latest:
        order = [f.cluster_code for f in latest.clusters]
        views.sort(key=lambda v: order.index(v.cluster.code))
    found = history(store, ref, plan.student_id)
    with store.write():
        audit.record(store.conn, actor, "view", plan.student_id, "career clusters")
    return ClusterBrowse(tuple(views), latest.profile.code if latest else None, found)


def choose(store: Store, ref: Reference, actor: Actor, plan: PlanRef, cluster_code: str, pathway_code: str | None = None) -> PlanRef:
    """Record a cluster (and pathway) choice; the same choice again writes nothing."""
    require_access(store, actor, plan.student_id)
    cluster = ref.clusters.cluster(cluster_code)
    if cluster is None:
        raise ValueError(f"{cluster_code!r} is not a career cluster of this district.")
    if pathway_code is not None and pathway_code not in {p.code for p in cluster.pathways}:
        raise ValueError(f"{pathway_code!r} is not a pathway of {cluster.name}.")
    current = store.one("SELECT cluster_code, pathway_code FROM cluster_choices WHERE student_id = ? ORDER BY id DESC LIMIT 1", (plan.student_id,))
    if current is not None and tuple(current) == (cluster_code, pathway_code):
        return plan
    what = f"career cluster chosen: {cluster_code}" + (f" / {pathway_code}" if pathway_code else "")
    with plans.editing(store, actor, plan, what) as db:
        grade = db.execute("SELECT grade FROM students WHERE id = ?", [plan.student_id]).fetchone()[0]
        db["cluster_choices"].insert(
            {
                "student_id": plan.student_id,
                "plan_id": plan.id,
                "framework": ref.district.cluster_framework,
                "cluster_code": cluster_code,
                "pathway_code": pathway_code,
                "grade": grade,
                "chosen_on": date.today().isoformat(),
                "chosen_by": actor.account_id,
            }
        )
    return plans.reload(store, plan)
