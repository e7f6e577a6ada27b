import pytest

from seop_tui.services import clusters, goals, plans, strengths
from seop_tui.services.context import AccessDenied
from seop_tui.services.plan_status import SectionState, plan_status, section_states, sections_for
from tests.factory import District

NS, IP, DONE, ATTN = SectionState.NOT_STARTED, SectionState.IN_PROGRESS, SectionState.DONE, SectionState.NEEDS_ATTENTION


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.ms = d.school("DMS", "middle", 6, 8)
    d.es = d.school("SCE", "elementary", 0, 5)
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth", counselor_id=d.counselor)
    d.s8 = d.student("student8", 8, d.ms, "Ed", "Eighth")
    d.s11 = d.student("student11", 11, d.hs, "Lee", "Eleventh")
    d.s3 = d.student("student3", 3, d.es, "Theo", "Third")
    return d


def plan_of(store, ref, district, username, sid):
    return plans.plan_for(store, ref, district.actor(username), sid)


def states(store, ref, district, username, plan):
    return {k: v.state for k, v in section_states(store, ref, district.actor(username), plan).items()}


def test_a_new_grade_9_plan(store, ref, district):
    plan = plan_of(store, ref, district, "student9", district.s9)
    found = states(store, ref, district, "student9", plan)
    assert list(found) == [s.key for s in sections_for(plan)]
    assert "early_graduation" in found
    assert {k for k, v in found.items() if v != NS} == {"progress"}
    assert found["progress"] == SectionState.VIEW
    status = plan_status(store, ref, district.actor("student9"), plan)
    assert status.due[0] == "Choose a career cluster before the end of grade 10."
    assert "Finish the interest inventory." in status.due
    assert "1 individual conference still to happen this school year." in status.due
    assert "1 small-group conference still to happen this school year." in status.due
    assert store.one("SELECT count(*) FROM audit_log WHERE what = 'plan status'")[0] == 1


def test_early_graduation_only_in_grades_9_to_12_and_sep_sections(store, ref, district):
    eight = plan_of(store, ref, district, "student8", district.s8)
    assert "early_graduation" not in [s.key for s in sections_for(eight)]
    three = plan_of(store, ref, district, "student3", district.s3)
    assert [s.key for s in sections_for(three)] == ["strengths", "goals", "progress", "review"]
    status = plan_status(store, ref, district.actor("student3"), three)
    assert "2 individual conferences still to happen this school year." in status.due
    assert not any("cluster" in line for line in status.due)


def test_cluster_overdue_in_grade_11(store, ref, district):
    plan = plan_of(store, ref, district, "student11", district.s11)
    due = plan_status(store, ref, district.actor("student11"), plan).due
    assert due[0] == "Choose a career cluster: it was due by the end of grade 10."


def test_states_follow_what_the_plan_holds(store, ref, district):
    student = district.actor("student9")
    plan = plan_of(store, ref, district, "student9", district.s9)
    plan, _ = strengths.add_trait(store, student, plan, "strength", "Creative")
    plan, _ = goals.save_goal(store, student, plan, kind="education", text="Pass math")
    plan = clusters.choose(store, ref, student, plan, "HS")
    found = states(store, ref, district, "student9", plan)
    assert (found["strengths"], found["goals"], found["cluster"]) == (IP, IP, DONE)
    plan, _ = strengths.add_trait(store, student, plan, "needs_attention", "Writing")
    plan, _ = goals.save_goal(store, student, plan, kind="career", text="Shadow a nurse")
    # Part 2's sections, from their rows.
    with store.write() as db:
        for grade in (9, 10, 11):
            db["course_plan_entries"].insert({"student_id": district.s9, "course_code": f"X{grade}", "grade": grade})
        db["postsecondary_plans"].insert({"plan_id": plan.id, "education_choice": "university"})
        db["accomplishments"].insert({"student_id": district.s9, "kind": "award", "title": "Science fair"})
    found = states(store, ref, district, "student9", plan)
    assert (found["strengths"], found["goals"]) == (DONE, DONE)
    assert (found["course_plan"], found["postsecondary"], found["accomplishments"], found["early_graduation"]) == (IP, IP, DONE, NS)
    with store.write() as db:
        db["course_plan_entries"].insert({"student_id": district.s9, "course_code": "X12", "grade": 12})
        db.execute("UPDATE postsecondary_plans SET occupations = 'Nurse' WHERE plan_id = ?", [plan.id])
        db["early_graduation_plans"].insert({"student_id": district.s9, "declared_on": "2026-09-01", "target_grade": 11, "target_term": "spring"})
    found = states(store, ref, district, "student9", plan)
    assert (found["course_plan"], found["postsecondary"], found["early_graduation"]) == (DONE, DONE, DONE)
    due = plan_status(store, ref, student, plan).due
    assert not any("Choose a career cluster" in line for line in due)
    assert any("Add a course from your career cluster (Health Science)" in line for line in due)


def test_counselor_comments_mark_sections_until_resubmitted(store, ref, district):
    student, counselor = district.actor("student9"), district.actor("counselor")
    plan = plan_of(store, ref, district, "student9", district.s9)
    plan = plans.submit(store, student, plan)
    assert states(store, ref, district, "student9", plan)["review"] == IP
    plan = plans.request_changes(store, counselor, plan, {"goals": "Add a date to your goal [b]please[/b]."})
    status = plan_status(store, ref, student, plan)
    by_key = {s.section.key: s for s in status.sections}
    assert by_key["goals"].state == ATTN and by_key["review"].state == ATTN
    assert by_key["goals"].comments[0].body == "Add a date to your goal [b]please[/b]."
    assert by_key["goals"].comments[0].author == "Carla Counselor"
    assert by_key["strengths"].state == NS
    plan = plans.submit(store, student, plan)
    assert states(store, ref, district, "student9", plan)["goals"] == NS


def test_a_classmate_is_refused(store, ref, district):
    plan = plan_of(store, ref, district, "student9", district.s9)
    with pytest.raises(AccessDenied):
        section_states(store, ref, district.actor("student8"), plan)
    with pytest.raises(AccessDenied):
        plan_status(store, ref, district.actor("student8"), plan)
