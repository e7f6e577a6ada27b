"""The district compliance report keeps each student's results between reports.

A kept result is used only while nothing it came from has changed: these tests
change a record through the services a person uses and check the next report
equals one worked out from scratch.
"""

from __future__ import annotations

from datetime import date

import pytest

from seop_tui.demo import build_demo
from seop_tui.services import compliance, conferences, goals, plans, progress_entry
from seop_tui.services.auth import _actor_for
from seop_tui.services.compliance import compliance_report

TODAY = date(2026, 11, 2)


@pytest.fixture
def district(store, ref):
    build_demo(store, ref, students=60, seed=11, today=TODAY)
    return store


def actor(store, username):
    return _actor_for(store, store.one("SELECT * FROM accounts WHERE username = ?", (username,)), "test")


def fresh(store, ref, who, band):
    """The report with nothing kept: every student worked out again."""
    with store.write():
        store.conn.execute("DELETE FROM compliance_cache")
    return compliance_report(store, ref, who, band=band)


def recomputed(monkeypatch):
    """The students a report works out again (the others come from what was kept)."""
    seen: list[int] = []
    real = compliance.read_student_years

    def spy(store, ref, year, ids):
        ids = list(ids)
        seen.extend(ids)
        return real(store, ref, year, ids)

    monkeypatch.setattr(compliance, "read_student_years", spy)
    return seen


def high_school_student(store):
    return store.one(
        "SELECT s.id, s.school_id FROM students s JOIN plans p ON p.student_id = s.id"
        " WHERE s.grade = 10 AND p.status = 'draft' ORDER BY s.id LIMIT 1"
    )


def forget_kept(store):
    """As before any result was kept: no results, no versions."""
    with store.write():
        store.conn.execute("DELETE FROM compliance_cache")
        store.conn.execute("DELETE FROM student_versions")


def test_second_report_reuses_kept_results(district, ref, monkeypatch):
    forget_kept(district)
    admin = actor(district, "admin")
    first = compliance_report(district, ref, admin, band="SEOP")
    assert district.one("SELECT count(*) FROM compliance_cache")[0] == first.students
    seen = recomputed(monkeypatch)
    assert compliance_report(district, ref, admin, band="SEOP") == first
    assert seen == []


@pytest.mark.parametrize("change", ["conference", "goal", "credit"])
def test_report_after_a_change_equals_a_fresh_one(district, ref, monkeypatch, change):
    admin = actor(district, "admin")
    compliance_report(district, ref, admin, band="SEOP")
    student = high_school_student(district)
    counselor = district.one("SELECT id FROM staff WHERE role = 'counselor' AND school_id = ?", (student["school_id"],))
    staff = actor(district, district.one("SELECT a.username FROM accounts a JOIN staff t ON t.account_id = a.id WHERE t.id = ?", (counselor["id"],))[0])
    before = {r[0]: r[1] for r in district.query("SELECT student_id, stamp FROM compliance_cache")}

    if change == "conference":
        guardian = district.one("SELECT guardian_id FROM student_guardians WHERE student_id = ?", (student["id"],))[0]
        conferences.record(
            district, ref, staff, kind="individual", held_on=TODAY, today=TODAY,
            students=[conferences.Attendance(student["id"], True, (guardian,))], staff_ids=[counselor["id"]],
        )
    elif change == "goal":
        plan = plans.plan_for(district, ref, staff, student["id"])
        goals.save_goal(district, staff, plan, kind="career", text="Visit a hospital lab", monitors=("student", "parent", "teacher"))
    else:
        progress_entry.add_credit(district, ref, staff, student["id"], credits=1.0, grade=9, course_code="", course_name="Transfer Algebra", area="mathematics")

    seen = recomputed(monkeypatch)
    cached = compliance_report(district, ref, admin, band="SEOP")
    assert seen == [student["id"]]  # only the student whose record changed
    assert cached == fresh(district, ref, admin, "SEOP")
    after = {r[0]: r[1] for r in district.query("SELECT student_id, stamp FROM compliance_cache")}
    assert after[student["id"]] != before[student["id"]]


def test_writes_count_only_for_students_with_kept_results(district, ref):
    # Writes to students whose results are not kept make no version rows; the first report starts them.
    forget_kept(district)
    with district.write():
        district.conn.execute("INSERT INTO accomplishments (student_id, kind, title) SELECT id, 'award', 'Honor roll' FROM students")
    assert district.one("SELECT count(*) FROM student_versions")[0] == 0
    report = compliance_report(district, ref, actor(district, "admin"), band="SEOP")
    assert district.one("SELECT count(*) FROM student_versions")[0] == report.students


def test_a_built_demo_district_has_every_students_results_kept(district, ref, monkeypatch):
    # The demo build ends by keeping everyone's results: the first reports work out no one.
    students = district.one("SELECT count(*) FROM students WHERE active = 1")[0]
    assert district.one("SELECT count(*) FROM compliance_cache")[0] == students
    admin = actor(district, "admin")
    seen = recomputed(monkeypatch)
    first = {band: compliance_report(district, ref, admin, band=band) for band in ("SEP", "SEOP")}
    assert seen == []
    assert first["SEP"].students + first["SEOP"].students == students
    monkeypatch.undo()
    assert first == {band: fresh(district, ref, admin, band) for band in ("SEP", "SEOP")}


def test_keeping_all_results_works_out_only_what_is_missing_or_out_of_date(district, ref, monkeypatch):
    forget_kept(district)
    assert compliance.keep_all_results(district, ref) == district.one("SELECT count(*) FROM students WHERE active = 1")[0]
    student = high_school_student(district)
    with district.write():
        district.conn.execute("INSERT INTO accomplishments (student_id, kind, title) VALUES (?, 'award', 'Science fair')", (student["id"],))
    seen = recomputed(monkeypatch)
    assert compliance.keep_all_results(district, ref) == 1
    assert seen == [student["id"]]
    assert compliance.keep_all_results(district, ref) == 0


def test_a_small_group_conference_changes_every_student_in_it(district, ref):
    # The group's size counts for each of its students, so adding one changes them all.
    store = district
    compliance_report(store, ref, actor(store, "admin"), band="SEOP")
    year = store.one("SELECT id FROM school_years WHERE is_current = 1")[0]
    a, b, c = (r[0] for r in store.query("SELECT id FROM students WHERE grade >= 6 ORDER BY id LIMIT 3"))
    with store.write() as db:
        cid = db["conferences"].insert({"school_year_id": year, "kind": "small_group", "held_on": "2026-10-01"}).last_pk
        db["conference_students"].insert_all([{"conference_id": cid, "student_id": a}, {"conference_id": cid, "student_id": b}])
    versions = dict(store.query("SELECT student_id, version FROM student_versions WHERE student_id IN (?, ?, ?)", (a, b, c)))
    with store.write() as db:
        db["conference_students"].insert({"conference_id": cid, "student_id": c})
    now = dict(store.query("SELECT student_id, version FROM student_versions WHERE student_id IN (?, ?, ?)", (a, b, c)))
    assert now[a] > versions[a] and now[b] > versions[b] and now[c] > versions[c]


def test_other_changes_a_report_reads_mark_the_student(district, ref):
    store = district
    compliance_report(store, ref, actor(store, "admin"), band="SEOP")
    sid, plan_id = store.one("SELECT student_id, id FROM plans WHERE grade >= 9 ORDER BY id LIMIT 1")
    writes = [
        ("INSERT INTO strengths (plan_id, kind, text) VALUES (?, 'strength', 'Drawing')", (plan_id,)),
        ("UPDATE postsecondary_plans SET occupations = 'Nurse' WHERE plan_id = ?", (plan_id,)),
        ("INSERT INTO cluster_choices (student_id, cluster_code, grade, chosen_on) VALUES (?, 'HS', 9, '2026-09-01')", (sid,)),
        ("INSERT INTO course_plan_entries (student_id, course_code, grade) VALUES (?, 'ZZ-NEW', 12)", (sid,)),
        ("DELETE FROM course_plan_entries WHERE student_id = ? AND course_code = 'ZZ-NEW'", (sid,)),
        ("INSERT INTO accomplishments (student_id, kind, title) VALUES (?, 'award', 'Science fair')", (sid,)),
    ]
    for sql, params in writes:
        version = (store.one("SELECT version FROM student_versions WHERE student_id = ?", (sid,)) or [0])[0]
        with store.write():
            changed = store.conn.execute(sql, params).rowcount
        if changed:
            assert store.one("SELECT version FROM student_versions WHERE student_id = ?", (sid,))[0] > version, sql


def test_kept_results_go_with_a_deleted_student(store, ref):
    from tests.factory import District

    d = District(store)
    school = d.school("ES", "elementary", 0, 5)
    admin = d.staff("admin", "administrator", None)
    sid = d.student("kid", 2, school)
    compliance_report(store, ref, d.actor("admin"), band="SEP")
    assert store.one("SELECT count(*) FROM compliance_cache WHERE student_id = ?", (sid,))[0] == 1
    with store.write() as db:
        db.execute("DELETE FROM class_rosters WHERE student_id = ?", [sid])
        db.execute("DELETE FROM students WHERE id = ?", [sid])
    assert store.one("SELECT count(*) FROM compliance_cache WHERE student_id = ?", (sid,))[0] == 0
    assert admin
