import json

import pytest

from seop_tui.services import inventory, plans
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.counselor = d.staff("counselor", "counselor", d.hs)
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth", counselor_id=d.counselor)
    d.other = d.student("other9", 9, d.hs, "Omar", "Other")
    return d


def SAE(item):
    return {"S": 4, "A": 3, "E": 2}.get(item.area, 0)


def answer_all(store, ref, actor, plan, attempt_id, value_for=lambda item: 2):
    for item in ref.inventory.items:
        plan, attempt = inventory.answer(store, ref, actor, plan, attempt_id, item.id, value_for(item))
    return plan, attempt


def test_answers_are_saved_one_by_one_and_resume_where_left(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan, attempt = inventory.start_attempt(store, ref, student, plan)
    items = ref.inventory.items
    for item in items[:12]:
        plan, attempt = inventory.answer(store, ref, student, plan, attempt.id, item.id, 3)
    assert store.one("SELECT count(*) FROM inventory_answers WHERE attempt_id = ?", (attempt.id,))[0] == 12
    # A new session (after a sign-out) finds the same attempt, at item 13.
    plan = plans.plan_for(store, ref, student, district.s9)
    resumed, again = inventory.start_attempt(store, ref, student, plan)
    assert again.id == attempt.id and len(again.answers) == 12
    assert inventory.next_item(ref, again) == 12
    assert store.one("SELECT count(*) FROM inventory_attempts")[0] == 1


def test_changing_an_answer_keeps_one_row(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan, attempt = inventory.start_attempt(store, ref, student, plan)
    first = ref.inventory.items[0].id
    plan, _ = inventory.answer(store, ref, student, plan, attempt.id, first, 0)
    plan, attempt = inventory.answer(store, ref, student, plan, attempt.id, first, 4)
    assert attempt.answers == {first: 4}
    assert store.query("SELECT value FROM inventory_answers")[0][0] == 4


def test_last_answer_scores_and_closes_the_attempt(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan, attempt = inventory.start_attempt(store, ref, student, plan)
    plan, attempt = answer_all(store, ref, student, plan, attempt.id, SAE)
    assert attempt.complete and attempt.holland_code == "SAE"
    row = store.one("SELECT * FROM inventory_attempts WHERE id = ?", (attempt.id,))
    assert row["holland_code"] == "SAE" and row["completed_at"]
    assert json.loads(row["scores"])["S"] == 4 * 8
    result = inventory.result(ref, attempt)
    assert [a.name for a in result.meaning] == ["Social", "Artistic", "Enterprising"]
    assert result.clusters[0].fit >= result.clusters[-1].fit
    with pytest.raises(ValueError, match="already finished"):
        inventory.answer(store, ref, student, plan, attempt.id, ref.inventory.items[0].id, 0)


def test_retake_keeps_history(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan, first = inventory.start_attempt(store, ref, student, plan)
    plan, first = answer_all(store, ref, student, plan, first.id, lambda item: 4 if item.area in "RIC" else 0)
    plan, second = inventory.start_attempt(store, ref, student, plan)
    assert second.id != first.id and not second.answers
    plan, second = answer_all(store, ref, student, plan, second.id, SAE)
    found = inventory.attempts(store, student, district.s9)
    assert [a.holland_code for a in found] == ["SAE", "RIC"]  # newest first
    assert inventory.latest_result(ref, found).profile.code == "SAE"


def test_bad_answers_are_refused(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan, attempt = inventory.start_attempt(store, ref, student, plan)
    with pytest.raises(ValueError):
        inventory.answer(store, ref, student, plan, attempt.id, "nope", 1)
    with pytest.raises(ValueError):
        inventory.answer(store, ref, student, plan, attempt.id, ref.inventory.items[0].id, 9)
    assert store.one("SELECT count(*) FROM inventory_answers")[0] == 0


def test_a_classmate_is_refused(store, ref, district):
    plan = plans.plan_for(store, ref, district.actor("student9"), district.s9)
    plan, attempt = inventory.start_attempt(store, ref, district.actor("student9"), plan)
    other = district.actor("other9")
    with pytest.raises(AccessDenied):
        inventory.attempts(store, other, district.s9)
    with pytest.raises(AccessDenied):
        inventory.answer(store, ref, other, plan, attempt.id, ref.inventory.items[0].id, 1)
    with pytest.raises(AccessDenied):
        inventory.start_attempt(store, ref, other, plan)
    assert store.one("SELECT count(*) FROM inventory_answers")[0] == 0


def test_answers_are_audited_and_version_checked(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    stale, attempt = inventory.start_attempt(store, ref, student, plan)
    item = ref.inventory.items[0].id
    fresh, _ = inventory.answer(store, ref, student, stale, attempt.id, item, 1)
    assert store.one("SELECT count(*) FROM audit_log WHERE action = 'change' AND what = ?", (f"interest inventory answer {item}",))[0] == 1
    with pytest.raises(plans.PlanConflict):
        inventory.answer(store, ref, student, stale, attempt.id, ref.inventory.items[1].id, 1)
    assert fresh.version == stale.version + 1


def test_no_answers_while_the_plan_is_with_the_counselor(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan, attempt = inventory.start_attempt(store, ref, student, plan)
    plan = plans.submit(store, student, plan)
    with pytest.raises(plans.PlanLocked):
        inventory.answer(store, ref, student, plan, attempt.id, ref.inventory.items[0].id, 1)
