import json

import pytest

from seop_tui.services import plan_status, plans, review
from seop_tui.services.context import AccessDenied
from seop_tui.services.student_record import student_record
from seop_tui.text import LONG, TextTooLong
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.other_hs = d.school("PVH")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.far_counselor = d.staff("far", "counselor", d.other_hs, "Fay", "Far")
    d.teacher = d.staff("teacher", "teacher", d.hs, "Tom", "Teacher")
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth", counselor_id=d.counselor)
    return d


@pytest.fixture
def submitted(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    with plans.editing(store, student, plan, "goal added") as db:
        db["goals"].insert({"plan_id": plan.id, "kind": "education", "text": "Pass Math I", "status": "in_progress"})
    return plans.submit(store, student, plans.reload(store, plan))


def test_review_cycle_comment_send_back_edit_resubmit_finalize(store, ref, district, submitted):
    counselor, student = district.actor("counselor"), district.actor("student9")
    review.add_comment(store, counselor, submitted, "strengths", "Add one strength from class.")
    plan = review.request_changes(store, counselor, submitted, "goals", "Give your goal a date.")
    assert plan.status == "changes_requested"

    # The student sees both comments, with the sections they are about.
    seen = review.comments(store, student, plan, open_only=True)
    assert [(c.section, c.body, c.author) for c in seen] == [
        ("strengths", "Add one strength from class.", "Carla Counselor"),
        ("goals", "Give your goal a date.", "Carla Counselor"),
    ]
    status = plan_status.plan_status(store, ref, student, plan)
    assert [c.body for c in status.comments] == ["Add one strength from class.", "Give your goal a date."]

    with plans.editing(store, student, plan, "goal changed") as db:
        db.execute("UPDATE goals SET target_date = '2027-05-01' WHERE plan_id = ?", [plan.id])
    plan = plans.submit(store, student, plans.reload(store, plan))
    plan = review.finalize(store, ref, counselor, plan)
    assert plan.status == "finalized"

    row = store.one("SELECT * FROM plans WHERE id = ?", (plan.id,))
    assert row["finalized_by"] == district.counselor and row["finalized_at"]
    [kept] = review.versions(store, counselor, district.s9)
    assert (kept.number, kept.version, kept.finalized_by, kept.school_year) == (1, plan.version, "Carla Counselor", "2026-27")
    version, doc = review.read_version(store, counselor, kept.id)
    assert doc["goals"][0]["target_date"] == "2027-05-01"
    assert doc["plan"]["status"] == "Finalized" and doc["plan"]["finalized_by"] == "Carla Counselor"
    assert doc["plan"]["finalized_at"] == row["finalized_at"]
    assert review.comments(store, student, plan, open_only=True) == []  # resolved by the sign-off


def test_every_finalized_version_stays_viewable(store, ref, district, submitted):
    counselor, student = district.actor("counselor"), district.actor("student9")
    first = review.finalize(store, ref, counselor, submitted)
    # A later change by the student starts the next version; the first stays as it was.
    with plans.editing(store, student, first, "goal changed") as db:
        db.execute("UPDATE goals SET text = 'Pass Math II' WHERE plan_id = ?", [first.id])
    second = plans.submit(store, student, plans.reload(store, first))
    second = review.finalize(store, ref, counselor, second)
    found = review.versions(store, counselor, district.s9)
    assert [v.number for v in found] == [2, 1]
    texts = [review.read_version(store, counselor, v.id)[1]["goals"][0]["text"] for v in found]
    assert texts == ["Pass Math II", "Pass Math I"]
    assert review.read_version(store, student, found[1].id)[0].number == 1  # the student may see them too


def test_a_stale_finalize_is_refused_and_keeps_nothing(store, ref, district, submitted):
    counselor = district.actor("counselor")
    review.request_changes(store, counselor, submitted, "goals", "Add a date.")
    with pytest.raises(plans.PlanConflict) as caught:
        review.finalize(store, ref, counselor, submitted)  # loaded before the send-back
    assert "Carla Counselor" in str(caught.value)
    assert store.one("SELECT count(*) FROM plan_versions")[0] == 0


def test_finalizing_twice_is_refused(store, ref, district, submitted):
    counselor = district.actor("counselor")
    plan = review.finalize(store, ref, counselor, submitted)
    with pytest.raises(plans.PlanLocked):
        review.finalize(store, ref, counselor, plan)
    assert store.one("SELECT count(*) FROM plan_versions")[0] == 1


def test_comments_are_cleaned_checked_and_do_not_bump_the_version(store, ref, district, submitted):
    counselor = district.actor("counselor")
    comment = review.add_comment(store, counselor, submitted, "goals", "  [bold]Good[/] start\x1b[2J\x07\nKeep going ")
    assert comment.body == "[bold]Good[/] start\nKeep going"
    assert comment.section_title == "Goals"
    assert plans.reload(store, submitted).version == submitted.version
    with pytest.raises(TextTooLong):
        review.add_comment(store, counselor, submitted, "goals", "x" * (LONG + 1))
    with pytest.raises(ValueError, match="empty"):
        review.add_comment(store, counselor, submitted, "goals", "   ")
    with pytest.raises(ValueError, match="no section"):
        review.add_comment(store, counselor, submitted, "secrets", "hello")
    assert store.one("SELECT count(*) FROM plan_comments")[0] == 1
    audit = store.one("SELECT action, student_id, what FROM audit_log WHERE what LIKE 'comment%'")
    assert tuple(audit) == ("change", district.s9, "comment on Goals")


def test_sending_back_needs_something_to_say(store, ref, district, submitted):
    counselor = district.actor("counselor")
    with pytest.raises(ValueError, match="Write what needs changing"):
        review.request_changes(store, counselor, submitted, "goals", "  ")
    assert plans.reload(store, submitted).status == "submitted"
    review.add_comment(store, counselor, submitted, "goals", "Add a date.")
    assert review.request_changes(store, counselor, submitted).status == "changes_requested"


def test_only_staff_who_may_see_the_student_review(store, ref, district, submitted):
    for who in ("student9", "far"):
        with pytest.raises(AccessDenied):
            review.add_comment(store, district.actor(who), submitted, "goals", "hello")
        with pytest.raises(AccessDenied):
            review.request_changes(store, district.actor(who), submitted, "goals", "hello")
        with pytest.raises(AccessDenied):
            review.finalize(store, ref, district.actor(who), submitted)
    with pytest.raises(AccessDenied):
        review.versions(store, district.actor("far"), district.s9)
    with pytest.raises(AccessDenied):
        review.comments(store, district.actor("teacher"), submitted)  # not in the teacher's class
    assert store.one("SELECT count(*) FROM plan_comments")[0] == 0
    assert plans.reload(store, submitted).status == "submitted"


def test_the_student_record_holds_plan_history_and_compliance(store, ref, district, submitted):
    counselor = district.actor("counselor")
    review.finalize(store, ref, counselor, submitted)
    record = student_record(store, ref, counselor, district.s9)
    assert (record.name, record.grade, record.plan.status) == ("Nina Ninth", "9", "finalized")
    assert record.document["goals"][0]["text"] == "Pass Math I"
    assert [v.number for v in record.versions] == [1]
    assert [e.what for e in record.history][:2] == [f"plan version {submitted.version} finalized", "plan submitted for review"]
    assert {r.clause for r in record.compliance} >= {"3.2.1", "3.2.3.2"}
    with pytest.raises(AccessDenied):
        student_record(store, ref, district.actor("far"), district.s9)
    with pytest.raises(AccessDenied):
        student_record(store, ref, district.actor("student9"), district.s9)


def test_a_student_without_a_plan_still_has_a_record(store, ref, district):
    record = student_record(store, ref, district.actor("counselor"), district.s9)
    assert record.plan is None and record.document is None
    assert store.one("SELECT count(*) FROM plans")[0] == 0  # looking does not create one
    assert json.dumps(record.progress)  # plain data
