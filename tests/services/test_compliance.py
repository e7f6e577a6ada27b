"""A hand-counted district: each student's evidence is written out below."""

import json

import pytest

from seop_tui.services.compliance import compliance_report, student_compliance
from seop_tui.services.context import AccessDenied
from tests.factory import District


def _plan(d, sid, kind, grade):
    with d.store.write() as db:
        return db["plans"].insert({"student_id": sid, "school_year_id": d.year_id, "kind": kind, "grade": grade, "status": "draft", "version": 1}).last_pk


def _conference(d, kind, students, staff_id, guardians=()):
    with d.store.write() as db:
        cid = db["conferences"].insert({"school_year_id": d.year_id, "kind": kind, "held_on": "2026-10-01", "duration_minutes": 20}).last_pk
        for sid in students:
            db["conference_students"].insert({"conference_id": cid, "student_id": sid})
        db["conference_attendees"].insert({"conference_id": cid, "staff_id": staff_id})
        for gid in guardians:
            db["conference_attendees"].insert({"conference_id": cid, "guardian_id": gid})


@pytest.fixture
def district(store):
    d = District(store)
    d.es = d.school("SCE", "elementary", 0, 5)
    d.teacher = d.staff("teacher", "teacher", d.es)
    d.admin = d.staff("admin", "administrator", None)
    # Ada (grade 2): strengths, needs, accomplishment, both goals with all monitors, two individual conferences with a parent.
    d.ada = d.student("ada", 2, d.es, "Ada", "Able", teacher_id=d.teacher)
    ga = d.guardian(d.ada)
    p = _plan(d, d.ada, "SEP", 2)
    monitors = json.dumps(["student", "parent", "teacher"])
    with store.write() as db:
        db["strengths"].insert_all([{"plan_id": p, "kind": "strength", "text": "Reading"}, {"plan_id": p, "kind": "needs_attention", "text": "Subtraction"}])
        db["accomplishments"].insert({"student_id": d.ada, "kind": "award", "title": "Reading star"})
        db["goals"].insert_all([
            {"plan_id": p, "kind": "education", "text": "Read 20 books", "status": "in_progress", "monitors": monitors},
            {"plan_id": p, "kind": "career_awareness", "text": "Visit a fire station", "status": "in_progress", "monitors": monitors},
        ])
    _conference(d, "individual", [d.ada], d.teacher, [ga])
    _conference(d, "individual", [d.ada], d.teacher, [ga])
    # Ben (grade 4): a plan with goals but only one conference, no RISE results, no strengths.
    d.ben = d.student("ben", 4, d.es, "Ben", "Baker", teacher_id=d.teacher)
    gb = d.guardian(d.ben)
    p = _plan(d, d.ben, "SEP", 4)
    with store.write() as db:
        db["goals"].insert_all([
            {"plan_id": p, "kind": "education", "text": "Learn times tables", "status": "in_progress", "monitors": monitors},
            {"plan_id": p, "kind": "career_awareness", "text": "Jobs with animals", "status": "in_progress", "monitors": json.dumps(["student"])},
        ])
    _conference(d, "individual", [d.ben], d.teacher, [gb])
    _conference(d, "parent_requested", [d.ben], d.teacher, [gb])
    # Cy (grade 1): no plan at all.
    d.cy = d.student("cy", 1, d.es, "Cy", "Cole", teacher_id=d.teacher)
    return d


def test_sep_report_matches_hand_count(store, ref, district):
    report = compliance_report(store, ref, district.actor("admin"), band="SEP")
    assert report.students == 3
    by_clause = {c.clause: c for c in report.clauses}
    # 3.1.3.1: Ada only (Ben has no strengths and no RISE in grade 4; Cy has no plan).
    assert (by_clause["3.1.3.1"].met, by_clause["3.1.3.1"].total) == (1, 3)
    # 3.1.3.2: Ada only (Ben's parent-requested conference does not count).
    assert (by_clause["3.1.3.2"].met, by_clause["3.1.3.2"].total) == (1, 3)
    # 3.1.3.3: Ada only (Ben's career goal lacks parent and teacher monitors).
    assert by_clause["3.1.3.3"].met == 1
    assert set(by_clause["3.1.3.3"].not_meeting) == {str(district.ben), str(district.cy)}
    assert report.missing["3.1.3.1"][str(district.cy)] == ("no plan for this school year",)
    assert report.names[str(district.ben)] == "Baker, Ben (4)"


def test_report_only_covers_students_the_actor_may_see(store, ref, district):
    other = district.school("OTH", "elementary", 0, 5)
    district.student("outsider", 3, other, "Out", "Sider")
    teacher = district.actor("teacher")
    assert compliance_report(store, ref, teacher, band="SEP").students == 3
    assert compliance_report(store, ref, district.actor("admin"), band="SEP").students == 4


def test_one_students_compliance_needs_access(store, ref, district):
    results = student_compliance(store, ref, district.actor("ada"), district.ada)
    assert all(r.state == "met" for r in results)
    with pytest.raises(AccessDenied):
        student_compliance(store, ref, district.actor("ada"), district.ben)
