import pytest

from seop_tui.services import clusters, inventory, plans
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth")
    d.other = d.student("other9", 9, d.hs, "Omar", "Other")
    return d


@pytest.fixture
def plan(store, ref, district):
    return plans.plan_for(store, ref, district.actor("student9"), district.s9)


def test_browse_without_an_inventory_keeps_framework_order(store, ref, district, plan):
    seen = clusters.browse(store, ref, district.actor("student9"), plan)
    assert [v.cluster.code for v in seen.clusters] == [c.code for c in ref.clusters.clusters]
    assert len(seen.clusters) == 13 and all(v.fit is None for v in seen.clusters)
    assert seen.current is None and seen.holland_code is None


def test_browse_ranks_by_inventory_fit_and_lists_courses(store, ref, district, plan):
    student = district.actor("student9")
    plan, attempt = inventory.start_attempt(store, ref, student, plan)
    for item in ref.inventory.items:
        plan, attempt = inventory.answer(store, ref, student, plan, attempt.id, item.id, {"S": 4, "I": 3, "A": 2}.get(item.area, 0))
    seen = clusters.browse(store, ref, student, plan)
    assert seen.holland_code == "SIA"
    fits = [v.fit.fit for v in seen.clusters]
    assert fits == sorted(fits, reverse=True)
    health = next(v for v in seen.clusters if v.cluster.code == "HS")
    assert clusters.fit_words(health.fit.fit).startswith("fit ")
    some_pathway = health.cluster.pathways[0].code
    assert all(c.pathway == some_pathway for c in health.courses[some_pathway])
    assert any(health.courses.values())


def test_choose_records_grade_and_date_and_keeps_history(store, ref, district, plan):
    student = district.actor("student9")
    plan = clusters.choose(store, ref, student, plan, "HS", "HS-NUR")
    plan = clusters.choose(store, ref, student, plan, "AG", "AG-ANI")
    unchanged = clusters.choose(store, ref, student, plan, "AG", "AG-ANI")
    assert unchanged.version == plan.version  # the same choice again writes nothing
    rows = store.query("SELECT cluster_code, pathway_code, grade, chosen_on, chosen_by, framework FROM cluster_choices ORDER BY id")
    assert [r["cluster_code"] for r in rows] == ["HS", "AG"]
    assert rows[-1]["grade"] == 9 and rows[-1]["chosen_on"] and rows[-1]["framework"] == "utah-13"
    seen = clusters.browse(store, ref, student, plan)
    assert seen.current.label == "Agriculture, Food & Natural Resources: Animal Science"
    assert [c.cluster_code for c in seen.history] == ["HS", "AG"]
    assert store.one("SELECT count(*) FROM audit_log WHERE what LIKE 'career cluster chosen%'")[0] == 2


def test_bad_choices_and_classmates_are_refused(store, ref, district, plan):
    with pytest.raises(ValueError):
        clusters.choose(store, ref, district.actor("student9"), plan, "NOPE")
    with pytest.raises(ValueError):
        clusters.choose(store, ref, district.actor("student9"), plan, "HS", "AG-ANI")
    with pytest.raises(AccessDenied):
        clusters.choose(store, ref, district.actor("other9"), plan, "HS")
    with pytest.raises(AccessDenied):
        clusters.browse(store, ref, district.actor("other9"), plan)
    assert store.one("SELECT count(*) FROM cluster_choices")[0] == 0


def test_stale_version_conflicts(store, ref, district, plan):
    student = district.actor("student9")
    clusters.choose(store, ref, student, plan, "HS")
    with pytest.raises(plans.PlanConflict):
        clusters.choose(store, ref, student, plan, "AG")
    assert [r[0] for r in store.query("SELECT cluster_code FROM cluster_choices")] == ["HS"]
