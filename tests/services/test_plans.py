import json

import pytest

from seop_tui.services import plans
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth", counselor_id=d.counselor)
    d.other = d.student("other9", 9, d.hs, "Omar", "Other", counselor_id=d.counselor)
    return d


def test_plan_is_created_once_per_student_and_year(store, ref, district):
    student = district.actor("student9")
    first = plans.plan_for(store, ref, student, district.s9)
    again = plans.plan_for(store, ref, student, district.s9)
    assert first.id == again.id
    assert (first.kind, first.status, first.version, first.grade) == ("SEOP", "draft", 1, 9)
    assert store.one("SELECT count(*) FROM plans")[0] == 1


def test_a_student_cannot_open_a_classmates_plan(store, ref, district):
    with pytest.raises(AccessDenied):
        plans.plan_for(store, ref, district.actor("student9"), district.other)
    assert store.one("SELECT count(*) FROM plans")[0] == 0


def test_stale_edit_is_refused_with_who_and_when(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    with plans.editing(store, student, plan, "goal added") as db:
        db["goals"].insert({"plan_id": plan.id, "kind": "education", "text": "Pass Secondary Math I", "status": "in_progress"})
    # `plan` still holds version 1: a second session that loaded it earlier.
    with pytest.raises(plans.PlanConflict) as caught:
        with plans.editing(store, district.actor("counselor"), plan, "goal added") as db:
            db["goals"].insert({"plan_id": plan.id, "kind": "career", "text": "overwrites?", "status": "in_progress"})
    assert "Nina Ninth" in str(caught.value)
    assert [r[0] for r in store.query("SELECT text FROM goals")] == ["Pass Secondary Math I"]
    assert plans.reload(store, plan).version == 2


def test_review_cycle_and_finalized_versions_kept(store, ref, district):
    student, counselor = district.actor("student9"), district.actor("counselor")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan = plans.submit(store, student, plan)
    assert plan.status == "submitted"
    with pytest.raises(plans.PlanLocked):
        with plans.editing(store, student, plan, "edit while submitted"):
            pass
    plan = plans.request_changes(store, counselor, plan, {"goals": "Add a date to your goal."})
    assert plan.status == "changes_requested"
    assert store.one("SELECT body FROM plan_comments")[0] == "Add a date to your goal."
    plan = plans.submit(store, student, plan)
    plan = plans.finalize(store, counselor, plan, {"goals": ["Pass Secondary Math I"]})
    assert plan.status == "finalized"
    kept = store.one("SELECT * FROM plan_versions")
    assert json.loads(kept["snapshot"]) == {"goals": ["Pass Secondary Math I"]}
    assert kept["finalized_by"] == district.counselor
    # A later change by the student reopens the plan as a draft; the finalized version stays.
    with plans.editing(store, student, plan, "goal changed"):
        pass
    plan = plans.reload(store, plan)
    assert plan.status == "draft"
    assert store.one("SELECT count(*) FROM plan_versions")[0] == 1


def test_students_cannot_finalize_or_request_changes(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    with pytest.raises(AccessDenied):
        plans.finalize(store, student, plan, {})
    with pytest.raises(AccessDenied):
        plans.request_changes(store, student, plan, {"goals": "x"})


def test_every_plan_read_and_change_is_audited(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plans.submit(store, student, plan)
    actions = [(r["action"], r["student_id"], r["account_id"]) for r in store.query("SELECT * FROM audit_log ORDER BY id")]
    assert ("view", district.s9, student.account_id) in actions
    assert actions.count(("change", district.s9, student.account_id)) == 2  # created, submitted


def test_plan_document_holds_the_plan_and_is_audited(store, ref, district):
    from seop_tui.services.plan_document import plan_document

    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    with plans.editing(store, student, plan, "sections") as db:
        db["strengths"].insert({"plan_id": plan.id, "kind": "strength", "text": "[bold]Drawing[/]"})
        db["goals"].insert({"plan_id": plan.id, "kind": "career", "text": "Become a nurse", "status": "in_progress", "monitors": '["student"]'})
        db["course_plan_entries"].insert({"student_id": district.s9, "course_code": "ENG9", "grade": 9})
        db["cluster_choices"].insert({"student_id": district.s9, "cluster_code": "HS", "grade": 9, "chosen_on": "2026-10-01"})
    doc = plan_document(store, ref, district.actor("counselor"), plans.reload(store, plan), purpose="export")
    assert doc["student"]["name"] == "Nina Ninth"
    assert doc["strengths"] == ["[bold]Drawing[/]"]
    assert doc["goals"][0]["text"] == "Become a nurse" and doc["goals"][0]["monitors"] == ["student"]
    assert doc["career_cluster"]["cluster"] == "Health Science"
    assert doc["course_plan"][0]["name"] == "English 9"
    language_arts = next(a for a in doc["credit_audit"]["areas"] if a["area"] == "Language Arts")
    assert (language_arts["earned"], language_arts["planned"]) == (0.0, 1.0)
    assert store.one("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")[0] == "export"
