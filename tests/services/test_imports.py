"""Roster and results imports against a small hand-built district: what the database holds."""

from datetime import date
from pathlib import Path

import pytest

from seop_tui.imports.fields import ImportInvalid
from seop_tui.imports.oneroster import parse_roster, read_source
from seop_tui.imports.results import parse_results
from seop_tui.services import imports
from seop_tui.services.auth import verify_secret
from seop_tui.services.context import AccessDenied
from tests.factory import District

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = date(2026, 11, 28)


@pytest.fixture
def district(store):
    d = District(store)
    d.dhs = d.school("DHS", "high", 9, 12, name="Desert Hills High")
    d.dhms = d.school("DHMS", "middle", 6, 8)
    d.staff("admin", "administrator", None)
    d.staff("principal", "administrator", d.dhs)
    d.staff("mrs.t", "teacher", d.dhs)
    return d


def roster(name):
    return parse_roster(read_source(DATA / name))


def run(d, name, who="admin", **kw):
    return imports.import_roster(d.store, d.actor(who), roster(name), source=name, **kw)


def table(store, sql, params=()):
    return [tuple(r) for r in store.query(sql, params)]


def everything(store):
    tables = ("schools", "students", "staff", "accounts", "guardians", "student_guardians", "class_rosters", "assessment_results", "audit_log")
    return {t: table(store, f"SELECT * FROM {t}") for t in tables}


def test_first_import_adds_people_matches_the_school_by_code_and_links_everyone(district):
    d, store = district, district.store
    summary = run(d, "oneroster-1.1")
    assert summary.counts["schools"] == {"added": 1, "updated": 1}
    assert summary.counts["students"] == {"added": 5}
    assert table(store, "SELECT code, kind, low_grade, high_grade, sourced_id FROM schools ORDER BY id") == [
        ("DHS", "high", 9, 12, "org-dhs"), ("DHMS", "middle", 6, 8, None), ("RVE", "elementary", 0, 5, "org-rve")]
    rve = store.one("SELECT id FROM schools WHERE code = 'RVE'")[0]
    assert table(store, "SELECT student_number, given_name, family_name, grade, school_id, cohort_year, active FROM students ORDER BY student_number") == [
        ("9100001", "Ava", "Nguyen", 10, d.dhs, 2025, 1),
        ("9100002", "Ben", "Ortiz", 9, d.dhs, 2026, 1),
        ("9100003", "Cora", "Lee", 0, rve, 2035, 1),
        ("9100004", "Dev", "Patel", 3, rve, 2032, 1),
        ("9100005", "Eli", "O'Moss", 5, rve, 2030, 1),
    ]
    assert table(store, "SELECT s.student_number, g.given_name, sg.relationship FROM student_guardians sg JOIN students s ON s.id = sg.student_id"
                 " JOIN guardians g ON g.id = sg.guardian_id ORDER BY 1, 2") == [
        ("9100001", "Lan", "parent"), ("9100002", "Luis", "relative"), ("9100002", "Rosa", "guardian")]
    assert table(store, "SELECT a.username, t.role, t.school_id, t.email FROM staff t JOIN accounts a ON a.id = t.account_id WHERE t.sourced_id IS NOT NULL") == [
        ("tara.wells", "teacher", d.dhs, "tara.wells@example.org"), ("omar.reyes", "teacher", rve, "omar.reyes@example.org")]
    assert table(store, "SELECT a.username, s.student_number FROM class_rosters r JOIN staff t ON t.id = r.teacher_id JOIN accounts a ON a.id = t.account_id"
                 " JOIN students s ON s.id = r.student_id WHERE r.school_year_id = ? ORDER BY 1, 2", (d.year_id,)) == [
        ("omar.reyes", "9100003"), ("omar.reyes", "9100004"), ("omar.reyes", "9100005"), ("tara.wells", "9100001"), ("tara.wells", "9100002")]


def test_a_new_staff_account_cannot_sign_in_until_given_a_password(district):
    run(district, "oneroster-1.1")
    row = district.store.one("SELECT secret_hash, must_change_secret FROM accounts WHERE username = 'tara.wells'")
    assert row["must_change_secret"] == 1 and not verify_secret(row["secret_hash"], "")
    assert not verify_secret(row["secret_hash"], imports.NO_SIGN_IN)


def test_the_next_days_files_update_the_same_people_and_deactivate_without_deleting(district):
    d, store = district, district.store
    run(d, "oneroster-1.1")
    ids = dict(table(store, "SELECT student_number, id FROM students"))
    summary = run(d, "oneroster-1.1-day2")
    assert summary.counts["students"] == {"added": 1, "updated": 1, "deactivated": 2, "unchanged": 2}
    assert summary.counts["guardians"] == {"unchanged": 3}
    assert summary.counts["class rosters"] == {"added": 1, "removed": 1, "unchanged": 4}
    after = {n: (i, f, a) for n, i, f, a in table(store, "SELECT student_number, id, family_name, active FROM students")}
    assert after["9100001"] == (ids["9100001"], "Nguyen-Tran", 1)
    assert after["9100002"] == (ids["9100002"], "Ortiz", 0)  # tobedeleted
    assert after["9100004"] == (ids["9100004"], "Patel", 0)  # enabledUser FALSE
    assert len(after) == 6 and store.one("SELECT count(*) FROM guardians")[0] == 3
    rosters = table(store, "SELECT s.student_number FROM class_rosters r JOIN students s ON s.id = r.student_id ORDER BY 1")
    assert ("9100005",) not in rosters and ("9100006",) in rosters  # e-7 to be deleted, e-9 new


def test_importing_the_same_files_again_changes_nothing(district):
    run(district, "oneroster-1.1")
    before = everything(district.store)
    summary = run(district, "oneroster-1.1")
    assert summary.counts["students"] == {"unchanged": 5} and summary.counts["class rosters"] == {"unchanged": 5}
    after = everything(district.store)
    assert {t: rows for t, rows in after.items() if t != "audit_log"} == {t: rows for t, rows in before.items() if t != "audit_log"}


def test_a_student_on_file_is_matched_by_number_and_keeps_their_record(district):
    d, store = district, district.store
    sid = d.student("ava", 10, d.dhs, given="Ava", family="Old")
    store.conn.execute("UPDATE students SET student_number = '9100001' WHERE id = ?", (sid,))
    run(d, "oneroster-1.1")
    assert table(store, "SELECT id, family_name, sourced_id, account_id IS NOT NULL FROM students WHERE student_number = '9100001'") == [
        (sid, "Nguyen", "u-s1", 1)]


def test_a_1_2_import_sets_preferred_names_counselors_and_principals(district):
    d, store = district, district.store
    run(d, "oneroster-1.2")
    assert store.one("SELECT preferred_name FROM students WHERE student_number = '9200001'")[0] == "Jonny"
    assert table(store, "SELECT a.username, a.role, t.role, t.school_id FROM staff t JOIN accounts a ON a.id = t.account_id"
                 " WHERE t.sourced_id IS NOT NULL ORDER BY 1") == [
        ("gail.counsel", "counselor", "counselor", d.dhms), ("hal.head", "administrator", "administrator", d.dhms),
        ("ivy.teach", "teacher", "teacher", d.dhms)]


def test_a_check_run_reports_the_same_summary_and_writes_nothing(district):
    before = everything(district.store)
    checked = run(district, "oneroster-1.1", check=True)
    assert checked.checked_only and checked.counts["students"] == {"added": 5}
    assert everything(district.store) == before


def test_a_file_that_does_not_fit_what_is_on_file_changes_nothing(district):
    before = everything(district.store)
    with pytest.raises(ImportInvalid) as caught:
        run(district, "oneroster-bad-links")
    assert caught.value.lines() == [
        "users.csv line 2: agentSourcedIds 'u-nobody' is no parent or guardian in users.csv or on file",
        "users.csv line 3: orgSourcedIds 'org-elsewhere' names no school in orgs.csv or on file",
        "enrollments.csv line 3: userSourcedId 'u-ghost' is no student in users.csv or on file",
    ]
    assert everything(district.store) == before


def test_a_student_number_held_by_another_student_is_refused(district):
    d = district
    other = d.student("someone", 11, d.dhs)
    d.store.conn.execute("UPDATE students SET student_number = '9100001', sourced_id = 'elsewhere' WHERE id = ?", (other,))
    with pytest.raises(ImportInvalid, match="users.csv line 2: identifier '9100001' is the student number of another student"):
        run(d, "oneroster-1.1")


def test_only_administrators_import_and_a_schools_administrator_only_their_school(district):
    with pytest.raises(AccessDenied):
        run(district, "oneroster-1.1", who="mrs.t")
    with pytest.raises(AccessDenied, match="your own school"):
        run(district, "oneroster-1.1", who="principal")


def test_every_student_added_or_changed_gets_an_audit_row_in_the_administrators_name(district):
    d, store = district, district.store
    run(d, "oneroster-1.1")
    admin = d.actor("admin").account_id
    rows = table(store, "SELECT account_id, action, student_id IS NULL, what FROM audit_log")
    assert rows.count((admin, "change", 0, "roster import: oneroster-1.1")) == 5
    assert rows.count((admin, "change", 1, "roster import: oneroster-1.1")) == 1


# -- results ---------------------------------------------------------------------------


def results(d, ref, text, **kw):
    return imports.import_results(d.store, ref, d.actor("admin"), parse_results("r.csv", text), source="r.csv", today=TODAY, **kw)


def test_results_are_added_then_replaced_for_the_same_student_assessment_subject_and_grade(district, ref):
    d, store = district, district.store
    run(d, "oneroster-1.1-day2")
    summary = imports.import_results(store, ref, d.actor("admin"), parse_results("results.csv", (DATA / "results" / "results.csv").read_text()),
                                     source="results.csv", today=TODAY)
    assert summary.counts["results"] == {"added": 4}
    assert table(store, "SELECT s.student_number, r.assessment, r.subject, r.grade, r.level, r.scale_score, r.taken_on, r.source, y.name"
                 " FROM assessment_results r JOIN students s ON s.id = r.student_id JOIN school_years y ON y.id = r.school_year_id ORDER BY 1, 2, 3") == [
        ("9100001", "ASPIRE", "ENG", 9, 3, 428, "2026-04-20", "import", "2025-26"),
        ("9100001", "ASPIRE", "MATH", 9, 2, None, "2026-04-21", "import", "2025-26"),
        ("9100004", "RISE", "ELA", 3, 4, None, "2026-10-15", "import", "2026-27"),
        ("9100006", "ACT", "COMP", 11, None, 24, None, "import", "2026-27"),
    ]
    again = results(d, ref, "student_number,assessment,subject,grade_tested,level,test_date\n9100001,ASPIRE,ENG,9,4,2026-04-20\n9100001,ASPIRE,MATH,9,2,2026-04-21\n")
    assert again.counts["results"] == {"updated": 1, "unchanged": 1}
    assert store.one("SELECT count(*) FROM assessment_results")[0] == 4
    assert store.one("SELECT level FROM assessment_results WHERE subject = 'ENG'")[0] == 4


def test_results_are_checked_with_the_rules_staff_entry_uses_and_a_bad_file_changes_nothing(district, ref):
    d = district
    run(d, "oneroster-1.1-day2")
    before = everything(d.store)
    text = (
        "student_number,assessment,subject,grade_tested,level,scale_score,test_date\n"
        "9100001,ASPIRE,ENG,10,3,,2026-10-20\n"
        "9999999,RISE,ELA,3,2,,\n"
        "9100004,RISE,HIST,3,2,,\n"
        "9100004,RISE,ELA,3,7,,\n"
        "9100004,RISE,ELA,4,2,,\n"
        "9100001,ACT,COMP,11,,24,\n"
        "9100001,ASPIRE,READ,10,2,,2026-12-01\n"
        "9100001,ASPIRE,ENG,10,2,,\n"
    )
    with pytest.raises(ImportInvalid) as caught:
        results(d, ref, text)
    assert caught.value.lines() == [
        "r.csv line 3: student_number '9999999' is no student on file",
        "r.csv line 4: subject 'HIST': Choose a RISE subject: English Language Arts, Mathematics, Science, Writing.",
        "r.csv line 5: level '7': The proficiency level must be between 1 and 4.",
        "r.csv line 6: grade_tested: The student is in grade 3; a grade 4 result cannot be on file yet.",
        "r.csv line 7: grade_tested: The student is in grade 10; a grade 11 result cannot be on file yet.",
        "r.csv line 8: test_date: The test date 2026-12-01 is in the future.",
        "r.csv line 9: the same student, assessment, subject and grade as line 2",
    ]
    assert everything(d.store) == before


def test_a_results_check_run_writes_nothing(district, ref):
    run(district, "oneroster-1.1")
    before = everything(district.store)
    summary = results(district, ref, "student_number,assessment,subject,grade_tested,level\n9100001,ASPIRE,ENG,9,4\n", check=True)
    assert summary.counts["results"] == {"added": 1} and everything(district.store) == before


# -- after an import ---------------------------------------------------------------------


def test_after_an_import_every_active_students_results_are_kept_and_the_index_is_one_piece(district, ref):
    d, store = district, district.store
    run(d, "oneroster-1.1")
    run(d, "oneroster-1.1-day2")  # a second transaction: a second piece of the search index
    pieces = store.one("SELECT count(*) FROM student_search_data")[0]
    worked = imports.after_import(store, ref)
    active = store.one("SELECT count(*) FROM students WHERE active = 1")[0]
    assert worked == active == store.one("SELECT count(*) FROM compliance_cache")[0]
    assert store.one("SELECT count(*) FROM student_search_data")[0] < pieces
    assert store.one("SELECT count(*) FROM student_search WHERE words MATCH 'nguyentran'")[0] == 1


def test_a_full_enrollments_file_replaces_a_named_teachers_roster_and_a_delta_only_adds_and_removes(district, tmp_path):
    import shutil

    d, store = district, district.store
    run(d, "oneroster-1.1")
    folder = tmp_path / "delta"
    shutil.copytree(DATA / "oneroster-1.1", folder)
    (folder / "enrollments.csv").write_text(
        "sourcedId,status,classSourcedId,userSourcedId,role\n"
        "e-1,active,c-1,u-t1,teacher\n"
        "e-2,tobedeleted,c-1,u-s1,student\n"
    )
    manifest = folder / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("file.enrollments,bulk", "file.enrollments,delta"))
    summary = imports.import_roster(store, d.actor("admin"), parse_roster(read_source(folder)), source="delta")
    assert summary.counts["class rosters"] == {"removed": 1}
    tara = "SELECT s.student_number FROM class_rosters r JOIN staff t ON t.id = r.teacher_id JOIN students s ON s.id = r.student_id WHERE t.sourced_id = 'u-t1'"
    assert table(store, tara) == [("9100002",)]  # a delta: Ben stays
    manifest.write_text(manifest.read_text().replace("file.enrollments,delta", "file.enrollments,bulk"))
    imports.import_roster(store, d.actor("admin"), parse_roster(read_source(folder)), source="full")
    assert table(store, tara) == []  # the full file lists no students in Tara's class


def test_a_staff_username_that_is_a_students_account_is_refused(district):
    district.student("tara.wells", 10, district.dhs)
    with pytest.raises(ImportInvalid, match="users.csv line 7: username 'tara.wells' belongs to another account"):
        run(district, "oneroster-1.1")


def test_a_schools_administrator_imports_results_for_their_school_only(district, ref):
    d = district
    run(d, "oneroster-1.1-day2")
    principal = d.actor("principal")
    text = "student_number,assessment,subject,grade_tested,level\n9100001,ASPIRE,ENG,9,3\n9100004,RISE,ELA,3,2\n"
    with pytest.raises(ImportInvalid, match="line 3: student_number '9100004' is at another school, outside your access"):
        imports.import_results(d.store, ref, principal, parse_results("r.csv", text), source="r.csv", today=TODAY)
    summary = imports.import_results(d.store, ref, principal, parse_results("r.csv", text.rsplit("\n", 2)[0] + "\n"), source="r.csv", today=TODAY)
    assert summary.counts["results"] == {"added": 1}


def test_a_student_who_left_cannot_sign_in_and_one_who_returns_can(district):
    d, store = district, district.store
    sid = d.student("ben", 9, d.dhs, given="Ben", family="Ortiz")
    store.conn.execute("UPDATE students SET student_number = '9100002' WHERE id = ?", (sid,))
    run(d, "oneroster-1.1")
    run(d, "oneroster-1.1-day2")  # Ben: tobedeleted
    assert table(store, "SELECT s.active, a.active FROM students s JOIN accounts a ON a.id = s.account_id WHERE s.id = ?", (sid,)) == [(0, 0)]
    run(d, "oneroster-1.1")
    assert table(store, "SELECT s.active, a.active FROM students s JOIN accounts a ON a.id = s.account_id WHERE s.id = ?", (sid,)) == [(1, 1)]


def test_names_keep_markup_literally_and_lose_control_characters(district, tmp_path):
    import shutil

    shutil.copytree(DATA / "oneroster-1.1", tmp_path / "r")
    users = tmp_path / "r" / "users.csv"
    users.write_text(users.read_text(encoding="utf-8-sig").replace(",Ava,Nguyen,", ",[bold]Ava\x1b[2J,Ngu\x1b]52;c;eA==\x07yen,"), encoding="utf-8")
    imports.import_roster(district.store, district.actor("admin"), parse_roster(read_source(tmp_path / "r")), source="r")
    assert table(district.store, "SELECT given_name, family_name FROM students WHERE student_number = '9100001'") == [("[bold]Ava", "Nguyen")]


def test_a_guardian_entered_before_imports_is_matched_through_their_student_not_added_again(district):
    d, store = district, district.store
    sid = d.student("ava", 10, d.dhs, given="Ava", family="Nguyen")
    store.conn.execute("UPDATE students SET student_number = '9100001' WHERE id = ?", (sid,))
    lan = d.guardian(sid, given="LAN", family="nguyen")
    d.guardian(sid, given="Someone", family="Else")
    summary = run(d, "oneroster-1.1")
    assert summary.counts["guardians"] == {"added": 2, "updated": 1}
    assert table(store, "SELECT id, given_name, sourced_id FROM guardians WHERE sourced_id = 'u-p1'") == [(lan, "Lan", "u-p1")]
    assert table(store, "SELECT guardian_id FROM student_guardians WHERE student_id = ? ORDER BY 1", (sid,)) == [(lan,), (lan + 1,)]


def test_a_student_who_moves_school_leaves_their_old_counselors_caseload(district):
    d, store = district, district.store
    counselor = d.staff("mr.c", "counselor", d.dhms)
    sid = d.student("ava", 8, d.dhms, given="Ava", family="Nguyen", counselor_id=counselor)
    store.conn.execute("UPDATE students SET student_number = '9100001' WHERE id = ?", (sid,))
    run(d, "oneroster-1.1")
    assert table(store, "SELECT school_id, grade, cohort_year, counselor_id FROM students WHERE id = ?", (sid,)) == [(d.dhs, 10, 2025, None)]


def test_a_schools_administrator_may_not_change_another_school(district):
    with pytest.raises(AccessDenied, match="orgs.csv line 4: that is another school"):
        run(district, "oneroster-1.1", who="principal")


def test_a_school_on_file_takes_in_the_grades_of_its_students_in_the_file(store):
    """After a rollover, students a grade up come in; the school's grades widen to hold them."""
    d = District(store)
    d.school("DHS", "high", 10, 10, name="Desert Hills High")  # on file with grade 10 only
    d.staff("admin", "administrator", None)
    summary = run(d, "oneroster-1.1")  # DHS students in grades 9 and 10
    assert summary.counts["schools"]["updated"] == 1
    assert table(store, "SELECT code, low_grade, high_grade FROM schools WHERE code = 'DHS'") == [("DHS", 9, 10)]
    again = run(d, "oneroster-1.1")
    assert again.counts["schools"] == {"unchanged": 2}
