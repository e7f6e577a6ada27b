"""The synthetic demo district (seop_tui.demo)."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date

import pytest

from seop_tui.demo import (
    MIN_STUDENTS,
    STAFF_SECRET,
    STUDENT_SECRET,
    build_demo,
    school_plan,
)
from seop_tui.domain.school_years import school_year_for
from seop_tui.services.auth import verify_secret
from seop_tui.storage import open_store

TODAY = date(2027, 3, 15)  # late in the year: both elementary conference windows have passed


@pytest.fixture(scope="module")
def built(tmp_path_factory, ref):
    """One 400-student district shared by the read-only tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(path)
    calls: list[tuple[int, int]] = []
    summary = build_demo(store, ref, students=400, seed=2026, today=TODAY, progress=lambda d, t: calls.append((d, t)))
    yield store, summary, calls
    store.close()


def _digest(store, tables=("students", "plans", "conferences", "conference_students", "goals", "course_plan_entries",
                            "credits_earned", "inventory_answers", "guardians", "parent_involvement")) -> str:
    h = hashlib.sha256()
    for table in tables:
        for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _build(tmp_path, ref, name, **kwargs):
    store = open_store(tmp_path / name)
    summary = build_demo(store, ref, today=TODAY, **kwargs)
    return store, summary


# ----------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_district(tmp_path, ref):
    a, _ = _build(tmp_path, ref, "a.db", students=150, seed=7)
    b, _ = _build(tmp_path, ref, "b.db", students=150, seed=7)
    c, _ = _build(tmp_path, ref, "c.db", students=150, seed=8)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
    names_a = a.query("SELECT given_name, family_name FROM students ORDER BY id")
    names_c = c.query("SELECT given_name, family_name FROM students ORDER BY id")
    assert [tuple(r) for r in names_a] != [tuple(r) for r in names_c]


def test_same_seed_same_district_in_another_process(tmp_path, ref):
    """No dependence on set ordering (string hashing differs between processes)."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from datetime import date\n"
        "from seop_tui.demo import build_demo\n"
        "from seop_tui.reference import load_reference\n"
        "from seop_tui.storage import open_store\n"
        f"build_demo(open_store(sys.argv[1]), load_reference(), students=120, seed=3, today=date({TODAY.year}, {TODAY.month}, {TODAY.day}))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "other.db")], check=True, env=env)
    here, _ = _build(tmp_path, ref, "here.db", students=120, seed=3)
    other = open_store(tmp_path / "other.db")
    assert _digest(here) == _digest(other)


# ----------------------------------------------------------------- the people


def test_every_grade_has_students(built):
    store, summary, _ = built
    per_grade = {r[0]: r[1] for r in store.query("SELECT grade, count(*) FROM students GROUP BY grade")}
    assert sorted(per_grade) == list(range(13))
    assert max(per_grade.values()) - min(per_grade.values()) <= 1
    assert summary.students == 400 == sum(per_grade.values())


def test_students_fit_their_grade_and_school(built):
    store, _, _ = built
    year = store.one("SELECT * FROM school_years WHERE is_current = 1")
    start = int(year["name"][:4])
    rows = store.query(
        "SELECT s.*, sc.kind, sc.low_grade, sc.high_grade FROM students s JOIN schools sc ON sc.id = s.school_id"
    )
    for s in rows:
        assert s["low_grade"] <= s["grade"] <= s["high_grade"]
        assert s["cohort_year"] == start + 9 - s["grade"]
        age = start - int(s["birth_date"][:4]) - (1 if s["birth_date"][5:] > "09-01" else 0)
        assert age in (s["grade"] + 5, s["grade"] + 6), (s["grade"], s["birth_date"])
        assert len(s["student_number"]) == 7 and s["student_number"].isdigit()
        if s["grade"] >= 6:
            assert s["counselor_id"] is not None
        else:
            assert s["counselor_id"] is None
    # Every elementary student has a homeroom teacher at their school this year.
    missing = store.one(
        """SELECT count(*) FROM students s WHERE s.grade <= 5 AND NOT EXISTS (
             SELECT 1 FROM class_rosters r JOIN staff t ON t.id = r.teacher_id
             WHERE r.student_id = s.id AND t.school_id = s.school_id AND r.school_year_id = ?)""",
        (year["id"],),
    )[0]
    assert missing == 0
    # Counselors work at the student's school.
    wrong = store.one(
        "SELECT count(*) FROM students s JOIN staff c ON c.id = s.counselor_id WHERE c.school_id != s.school_id OR c.role != 'counselor'"
    )[0]
    assert wrong == 0


def test_guardians(built):
    store, summary, _ = built
    counts = [r[0] for r in store.query(
        "SELECT count(sg.guardian_id) FROM students s LEFT JOIN student_guardians sg ON sg.student_id = s.id GROUP BY s.id"
    )]
    assert min(counts) >= 1 and max(counts) <= 2
    assert summary.guardians == store.one("SELECT count(*) FROM guardians")[0]
    # Siblings share guardians.
    shared = store.one("SELECT count(*) FROM (SELECT guardian_id FROM student_guardians GROUP BY guardian_id HAVING count(*) > 1)")[0]
    assert shared > 0


def test_schools_and_staff(built):
    store, summary, _ = built
    schools = store.query("SELECT * FROM schools")
    assert summary.schools == len(schools)
    kinds = [s["kind"] for s in schools]
    assert kinds.count("elementary") >= 2 and kinds.count("middle") >= 1 and kinds.count("high") >= 1
    assert "DHS" in {s["code"] for s in schools}
    for school in schools:
        principals = store.one("SELECT count(*) FROM staff WHERE school_id = ? AND role = 'administrator'", (school["id"],))[0]
        assert principals == 1
        counselors = store.one("SELECT count(*) FROM staff WHERE school_id = ? AND role = 'counselor'", (school["id"],))[0]
        assert (counselors >= 1) == (school["kind"] != "elementary")
    assert store.one("SELECT count(*) FROM staff WHERE role = 'administrator' AND school_id IS NULL")[0] == 1
    # Most staff trained, some not (so the report has something to show).
    trained = store.one("SELECT count(DISTINCT staff_id) FROM staff_training")[0]
    assert 0.5 * summary.staff < trained < summary.staff
    # Every staff member and student has an account with the right role.
    assert store.one("SELECT count(*) FROM staff st JOIN accounts a ON a.id = st.account_id WHERE a.role != st.role")[0] == 0
    assert store.one("SELECT count(*) FROM students s JOIN accounts a ON a.id = s.account_id WHERE a.role = 'student'")[0] == 400


def test_school_plan_scales_and_keeps_required_codes():
    small = school_plan(MIN_STUDENTS)
    assert [len(small[k]) for k in ("elementary", "middle", "high")] == [2, 1, 1]
    assert small["high"][0][0] == "DHS"
    big = school_plan(36_000)
    total = sum(len(v) for v in big.values())
    assert 40 <= total <= 75  # roughly one school per 600 students
    assert [code for code, _ in big["high"][:2]] == ["DHS", "PVHS"]
    huge = school_plan(200_000)
    codes = [code for kind in huge.values() for code, _ in kind]
    assert len(codes) == len(set(codes))


# ----------------------------------------------------------------- plans


def test_every_plan_status_and_kind_by_grade(built):
    store, summary, _ = built
    statuses = {r[0]: r[1] for r in store.query("SELECT status, count(*) FROM plans GROUP BY status")}
    assert set(statuses) == {"draft", "submitted", "changes_requested", "finalized"}
    assert statuses == summary.plans
    assert 0 < summary.students_without_plan < 0.1 * 400
    assert store.one("SELECT count(*) FROM students WHERE id NOT IN (SELECT student_id FROM plans)")[0] == summary.students_without_plan
    mismatched = store.query(
        """SELECT p.kind, s.grade FROM plans p JOIN students s ON s.id = p.student_id
           WHERE (s.grade <= 5 AND p.kind != 'SEP') OR (s.grade >= 6 AND p.kind != 'SEOP') OR p.grade != s.grade"""
    )
    assert mismatched == []
    assert store.one("SELECT min(version) FROM plans")[0] >= 1


def test_finalized_plans_have_a_snapshot(built):
    store, _, _ = built
    rows = store.query(
        """SELECT p.*, v.snapshot, v.version AS v_version, v.finalized_by AS v_by FROM plans p
           LEFT JOIN plan_versions v ON v.plan_id = p.id WHERE p.status = 'finalized'"""
    )
    assert rows
    for r in rows:
        assert r["finalized_by"] is not None and r["finalized_at"] is not None and r["submitted_at"] is not None
        assert r["snapshot"] is not None and r["v_version"] == r["version"] and r["v_by"] == r["finalized_by"]
        snapshot = json.loads(r["snapshot"])
        assert snapshot["kind"] == r["kind"]
    assert store.one("SELECT count(*) FROM plans WHERE status != 'finalized' AND finalized_at IS NOT NULL")[0] == 0
    assert store.one("SELECT count(*) FROM plans WHERE status = 'draft' AND submitted_at IS NOT NULL")[0] == 0
    assert store.one(
        "SELECT count(*) FROM plans WHERE updated_at < created_at OR submitted_at < created_at OR updated_at < submitted_at"
    )[0] == 0


def test_plan_contents(built):
    store, _, _ = built
    # Goals: education plus career awareness (SEP) or career (SEOP), with monitors.
    wrong = store.query(
        """SELECT g.kind, p.kind FROM goals g JOIN plans p ON p.id = g.plan_id
           WHERE (p.kind = 'SEP' AND g.kind = 'career') OR (p.kind = 'SEOP' AND g.kind = 'career_awareness')"""
    )
    assert wrong == []
    kinds = {r[0] for r in store.query("SELECT DISTINCT kind FROM goals")}
    assert kinds == {"education", "career", "career_awareness"}
    for (monitors,) in store.query("SELECT monitors FROM goals"):
        assert set(json.loads(monitors)) <= {"student", "parent", "teacher", "counselor"}
    assert {r[0] for r in store.query("SELECT DISTINCT kind FROM strengths")} == {"strength", "needs_attention"}
    # Interest inventories: completed ones are scored; answers on the scale.
    done = store.query("SELECT * FROM inventory_attempts WHERE completed_at IS NOT NULL")
    assert len(done) > 0.4 * store.one("SELECT count(*) FROM students WHERE grade >= 7")[0]
    for a in done[:20]:
        assert len(a["holland_code"]) == 3 and set(json.loads(a["scores"])) == set("RIASEC")
    assert store.one("SELECT min(value), max(value) FROM inventory_answers")[:] == (0, 4)
    # The early years have no inventory: none before grade 6.
    assert store.one("SELECT count(*) FROM inventory_attempts a JOIN students s ON s.id = a.student_id WHERE s.grade < 6")[0] == 0
    assert store.one("SELECT count(*) FROM postsecondary_plans")[0] > 0
    assert store.one("SELECT count(*) FROM accomplishments")[0] > 0
    assert store.one("SELECT count(*) FROM plan_comments")[0] > 0


def test_clusters_and_course_plans(built, ref):
    store, _, _ = built
    by_grade = {r[0]: (r[1], r[2]) for r in store.query(
        """SELECT s.grade, count(*), sum(EXISTS (SELECT 1 FROM cluster_choices c WHERE c.student_id = s.id))
           FROM students s GROUP BY s.grade"""
    )}
    for grade in (10, 11, 12):
        total, chosen = by_grade[grade]
        assert 0.6 * total < chosen < total  # most, not all: the gap shows in compliance
    assert all(by_grade[g][1] == 0 for g in range(0, 8))
    codes = {c.code for c in ref.clusters.clusters}
    assert {r[0] for r in store.query("SELECT DISTINCT cluster_code FROM cluster_choices")} <= codes
    catalog = ref.courses.by_code
    # Course plans for high-school students use catalog courses offered in that grade.
    for code, grade in store.query("SELECT course_code, grade FROM course_plan_entries"):
        assert grade in catalog[code].grades
    # A student with a pathway plans courses in it.
    fits = store.query(
        """SELECT c.pathway_code, group_concat(e.course_code) AS courses FROM cluster_choices c
           JOIN course_plan_entries e ON e.student_id = c.student_id
           WHERE c.pathway_code IS NOT NULL AND c.id = (SELECT max(id) FROM cluster_choices WHERE student_id = c.student_id)
           GROUP BY c.student_id"""
    )
    assert fits
    matching = sum(any(catalog[code].pathway == r["pathway_code"] for code in r["courses"].split(",")) for r in fits)
    assert matching >= 0.9 * len(fits)


def test_progress_data_fits_grade(built, ref):
    store, _, _ = built
    # Credits only for completed years: grades 10-12, from the catalog.
    grades = {r[0] for r in store.query("SELECT DISTINCT s.grade FROM credits_earned c JOIN students s ON s.id = c.student_id")}
    assert grades == {10, 11, 12}
    catalog = ref.courses.by_code
    for r in store.query("SELECT c.*, s.grade AS now FROM credits_earned c JOIN students s ON s.id = c.student_id"):
        course = catalog[r["course_code"]]
        assert (r["area"], r["subarea"], r["course_name"]) == (course.area, course.subarea, course.name)
        assert r["grade"] < r["now"]
    per_year = store.one(
        """SELECT avg(total) FROM (SELECT sum(c.credits) / (s.grade - 9) AS total FROM credits_earned c
           JOIN students s ON s.id = c.student_id GROUP BY s.id)"""
    )[0]
    assert 5.5 <= per_year <= 8.0
    # Last spring's tests: RISE in grades 3-8, Aspire Plus in 9-10, ACT in 11.
    tested = {(r[0], r[1]) for r in store.query(
        "SELECT a.assessment, a.grade FROM assessment_results a JOIN students s ON s.id = a.student_id WHERE a.grade = s.grade - 1"
    )}
    assert {g for a, g in tested if a == "RISE"} == {3, 4, 5, 6, 7, 8}
    assert {g for a, g in tested if a == "ASPIRE"} == {9, 10}
    assert {g for a, g in tested if a == "ACT"} == {11}
    assert store.one("SELECT count(*) FROM assessment_results a JOIN students s ON s.id = a.student_id WHERE a.grade != s.grade - 1")[0] == 0
    lo, hi = store.one("SELECT min(scale_score), max(scale_score) FROM assessment_results WHERE assessment = 'ACT'")
    assert 12 <= lo and hi <= 34
    levels = {r[0] for r in store.query("SELECT DISTINCT level FROM assessment_results")}
    assert levels == {1, 2, 3, 4}
    rise_subjects = {r[0] for r in store.query("SELECT DISTINCT subject FROM assessment_results WHERE assessment = 'RISE'")}
    assert rise_subjects == {s.code for a in ref.assessments.assessments if a.code == "RISE" for s in a.subjects}


# ----------------------------------------------------------------- conferences


def test_small_groups(built, ref):
    store, _, _ = built
    limit = ref.district.small_group_max
    groups = store.query(
        """SELECT c.id, c.recorded_by, count(cs.student_id) AS n, count(DISTINCT s.counselor_id) AS counselors,
                  min(s.grade) AS low, max(s.grade) AS high
           FROM conferences c JOIN conference_students cs ON cs.conference_id = c.id JOIN students s ON s.id = cs.student_id
           WHERE c.kind = 'small_group' GROUP BY c.id"""
    )
    assert groups
    for g in groups:
        assert 2 <= g["n"] <= limit
        assert g["counselors"] == 1 and g["low"] >= 6
    # Recorded by the counselor whose caseload it is.
    wrong = store.one(
        """SELECT count(*) FROM conferences c JOIN conference_students cs ON cs.conference_id = c.id
           JOIN students s ON s.id = cs.student_id JOIN staff st ON st.id = s.counselor_id
           WHERE c.kind = 'small_group' AND c.recorded_by != st.account_id"""
    )[0]
    assert wrong == 0


def test_conferences(built):
    store, summary, _ = built
    assert summary.conferences == store.one("SELECT count(*) FROM conferences")[0]
    kinds = {r[0] for r in store.query("SELECT DISTINCT kind FROM conferences")}
    assert kinds == {"individual", "small_group", "parent_requested"}
    year = store.one("SELECT * FROM school_years WHERE is_current = 1")
    lo, hi = store.one("SELECT min(held_on), max(held_on) FROM conferences")
    assert year["starts_on"] <= lo and hi < TODAY.isoformat()
    # Elementary individual conferences: the student's own guardian and a staff member attend.
    elementary = store.query(
        """SELECT c.id, cs.student_id FROM conferences c JOIN conference_students cs ON cs.conference_id = c.id
           JOIN students s ON s.id = cs.student_id WHERE c.kind = 'individual' AND s.grade <= 5"""
    )
    assert elementary
    with_guardian = 0
    for conf_id, student_id in elementary:
        attendees = store.query("SELECT * FROM conference_attendees WHERE conference_id = ?", (conf_id,))
        assert any(a["staff_id"] for a in attendees)
        guardians = {a["guardian_id"] for a in attendees if a["guardian_id"]}
        own = {r[0] for r in store.query("SELECT guardian_id FROM student_guardians WHERE student_id = ?", (student_id,))}
        assert guardians <= own
        with_guardian += bool(guardians)
    assert with_guardian > 0.7 * len(elementary)
    # Some students are still missing conferences; most elementary students had two by March.
    counts = [r[0] for r in store.query(
        """SELECT count(c.id) FROM students s LEFT JOIN conference_students cs ON cs.student_id = s.id
           LEFT JOIN conferences c ON c.id = cs.conference_id AND c.kind = 'individual' WHERE s.grade <= 5 GROUP BY s.id"""
    )]
    assert counts.count(0) + counts.count(1) > 0 and counts.count(2) > 0.6 * len(counts)
    # Parent involvement: invitations with responses.
    responses = {r[0] for r in store.query("SELECT DISTINCT response FROM parent_involvement")}
    assert {"accepted", "declined", "no_response"} <= responses


# ----------------------------------------------------------------- sign-ins and integrity


def test_demo_sign_ins(built):
    store, summary, _ = built
    by_name = {s.username: s for s in summary.sign_ins}
    assert {"admin", "counselor", "teacher", "student9", "student3"} <= set(by_name)
    for username, sign_in in by_name.items():
        account = store.one("SELECT * FROM accounts WHERE username = ?", (username,))
        assert account is not None and account["role"] == sign_in.role
        assert verify_secret(account["secret_hash"], sign_in.secret)
        assert not verify_secret(account["secret_hash"], "wrong-secret")
    assert by_name["admin"].secret == STAFF_SECRET and len(STAFF_SECRET) >= 12
    assert by_name["student9"].secret == STUDENT_SECRET
    admin = store.one("SELECT st.* FROM staff st JOIN accounts a ON a.id = st.account_id WHERE a.username = 'admin'")
    assert admin["role"] == "administrator" and admin["school_id"] is None
    counselor = store.one(
        "SELECT st.*, sc.code FROM staff st JOIN accounts a ON a.id = st.account_id JOIN schools sc ON sc.id = st.school_id "
        "WHERE a.username = 'counselor'"
    )
    assert counselor["code"] == "DHS"
    caseload = store.one("SELECT count(*) FROM students WHERE counselor_id = ?", (counselor["id"],))[0]
    assert caseload > 0 and f"{caseload} students" in by_name["counselor"].shows
    nine = store.one(
        "SELECT s.*, sc.code FROM students s JOIN accounts a ON a.id = s.account_id JOIN schools sc ON sc.id = s.school_id "
        "WHERE a.username = 'student9'"
    )
    assert nine["grade"] == 9 and nine["code"] == "DHS" and nine["counselor_id"] == counselor["id"]
    plan = store.one("SELECT * FROM plans WHERE student_id = ?", (nine["id"],))
    assert plan["status"] == "draft" and plan["kind"] == "SEOP"
    assert store.one("SELECT count(*) FROM goals WHERE plan_id = ?", (plan["id"],))[0] >= 1
    assert store.one("SELECT count(*) FROM inventory_attempts WHERE student_id = ? AND completed_at IS NULL", (nine["id"],))[0] == 1
    three = store.one("SELECT s.* FROM students s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'student3'")
    assert three["grade"] == 3
    assert store.one("SELECT kind FROM plans WHERE student_id = ?", (three["id"],))[0] == "SEP"
    teacher = store.one("SELECT st.* FROM staff st JOIN accounts a ON a.id = st.account_id WHERE a.username = 'teacher'")
    assert store.one("SELECT count(*) FROM class_rosters WHERE teacher_id = ? AND student_id = ?", (teacher["id"], three["id"]))[0] == 1
    # Secrets are hashed once per distinct secret (demo data only).
    hashes = {r[0] for r in store.query("SELECT DISTINCT secret_hash FROM accounts")}
    assert len(hashes) == 2
    # Usernames are lower case and unique (the index guarantees uniqueness).
    assert store.one("SELECT count(*) FROM accounts WHERE username != lower(username)")[0] == 0


def test_sign_in_works_end_to_end(built):
    from seop_tui.services.auth import sign_in

    store, _, _ = built
    actor = sign_in(store, "counselor", STAFF_SECRET, terminal="test")
    assert actor.role == "counselor" and actor.staff_id is not None
    actor = sign_in(store, "student9", STUDENT_SECRET, terminal="test")
    assert actor.role == "student" and actor.student_id is not None


def test_integrity(built):
    store, _, calls = built
    assert store.query("PRAGMA foreign_key_check") == []
    assert store.one("PRAGMA integrity_check")[0] == "ok"
    years = store.query("SELECT name, is_current, starts_on, ends_on FROM school_years ORDER BY name")
    assert [tuple(y) for y in years] == [("2025-26", 0, "2025-08-15", "2026-05-29"), ("2026-27", 1, "2026-08-15", "2027-05-29")]
    # Progress: reported, never backwards, ending at the total.
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))


def test_refuses_a_database_with_students(built, ref):
    store, _, _ = built
    before = store.one("SELECT count(*) FROM students")[0]
    with pytest.raises(ValueError, match="already holds"):
        build_demo(store, ref, students=100, today=TODAY)
    assert store.one("SELECT count(*) FROM students")[0] == before


def test_refuses_clashing_accounts_and_leaves_nothing_behind(tmp_path, ref):
    store = open_store(tmp_path / "clash.db")
    with store.write() as db:
        db.execute("INSERT INTO accounts (username, role, secret_hash) VALUES ('counselor', 'counselor', 'x')")
    with pytest.raises(ValueError, match="counselor"):
        build_demo(store, ref, students=MIN_STUDENTS, today=TODAY)
    for table in ("schools", "staff", "students", "school_years", "guardians"):
        assert store.one(f"SELECT count(*) FROM {table}")[0] == 0
    assert store.one("SELECT count(*) FROM accounts")[0] == 1


def test_refuses_clashing_school_codes(tmp_path, ref):
    store = open_store(tmp_path / "school.db")
    with store.write() as db:
        db.execute("INSERT INTO schools (code, name, kind, low_grade, high_grade) VALUES ('DHS', 'Desert Hills High', 'high', 9, 12)")
    with pytest.raises(ValueError, match="DHS"):
        build_demo(store, ref, students=MIN_STUDENTS, today=TODAY)
    assert store.one("SELECT count(*) FROM schools")[0] == 1


def test_refuses_too_few_students(tmp_path, ref):
    store = open_store(tmp_path / "tiny.db")
    with pytest.raises(ValueError, match="at least"):
        build_demo(store, ref, students=MIN_STUDENTS - 1, today=TODAY)
    assert store.one("SELECT count(*) FROM schools")[0] == 0


def test_smallest_district_builds(tmp_path, ref):
    store, summary = _build(tmp_path, ref, "min.db", students=MIN_STUDENTS)
    assert summary.students == MIN_STUDENTS
    assert set(summary.plans) == {"draft", "submitted", "changes_requested", "finalized"}
    assert all(summary.plans.values())
    assert store.query("PRAGMA foreign_key_check") == []


@pytest.mark.parametrize(
    ("today", "name", "starts", "ends"),
    [
        (date(2026, 11, 27), "2026-27", date(2026, 8, 15), date(2027, 5, 29)),
        (date(2026, 8, 15), "2026-27", date(2026, 8, 15), date(2027, 5, 29)),
        (date(2026, 8, 14), "2025-26", date(2025, 8, 15), date(2026, 5, 29)),
        (date(2027, 1, 2), "2026-27", date(2026, 8, 15), date(2027, 5, 29)),
        (date(2027, 7, 1), "2026-27", date(2026, 8, 15), date(2027, 5, 29)),  # summer: the year just ended
        (date(2099, 12, 31), "2099-00", date(2099, 8, 15), date(2100, 5, 29)),
    ],
)
def test_school_year_for(ref, today, name, starts, ends):
    year = school_year_for(today, ref.district.school_year)
    assert (year.name, year.starts_on, year.ends_on) == (name, starts, ends)


@pytest.mark.parametrize("today", [date(2026, 8, 15), date(2026, 8, 20), date(2027, 7, 10)])
def test_any_day_of_the_year_builds(tmp_path, ref, today):
    store = open_store(tmp_path / "day.db")
    summary = build_demo(store, ref, students=MIN_STUDENTS, today=today)
    assert store.query("PRAGMA foreign_key_check") == []
    latest = store.one("SELECT max(held_on) FROM conferences")[0]
    year = school_year_for(today, ref.district.school_year)
    assert latest is None or latest <= max(year.starts_on, min(today, year.ends_on)).isoformat()
    assert summary.school_year == year.name


def test_summary_lines(built):
    _, summary, _ = built
    text = "\n".join(summary.lines())
    for sign_in in summary.sign_ins:
        assert sign_in.username in text
    assert "2026-27" in text


def test_two_thousand_students(tmp_path, ref, capsys):
    store = open_store(tmp_path / "big.db")
    started = time.perf_counter()
    summary = build_demo(store, ref, students=2000, seed=1, today=TODAY)
    took = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n[demo] 2,000 students built in {took:.2f} s")
    assert summary.students == 2000
    assert store.query("PRAGMA foreign_key_check") == []


def test_the_search_index_is_left_in_one_piece(built):
    store = built[0]
    pieces = store.one("SELECT count(DISTINCT segid) FROM student_search_idx")[0]
    assert pieces == 1
