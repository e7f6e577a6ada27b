"""Compliance figures against a hand-counted district, and the CSV that carries them.

The district (`build_fixture_district`): Desert Middle School, counselor Carla,
four SEOP students. Evidence, and so the expected figures, clause by clause:

| student   | plan | progress* | inventory | post-secondary | involvement | conferences                       |
|-----------|------|-----------|-----------|----------------|-------------|-----------------------------------|
| Ana (7)   | yes  | yes       | done      | both parts     | 1 invite    | individual + small group          |
| Bo (8)    | yes  | no        | no        | none           | none        | individual only                   |
| Cal (6)   | no   |           |           |                |             |                                   |
| Dee (7)   | yes  | yes       | done      | education only | 1 declined  | small group; individual she missed |
*RISE result, an accomplishment and a strength.

3.2.1 conferences: Ana                     -> 1 of 4
3.2.3.1 progress: Ana, Dee                 -> 2 of 4
3.2.3.2 inventory: Ana, Dee                -> 2 of 4
3.2.3.3 cluster: not yet due below grade 10, except Cal (no plan) -> 0 of 1, 3 not yet due
3.2.3.4 post-secondary: Ana                -> 1 of 4
3.2.3.5 involvement and conferences: Ana   -> 1 of 4 (Dee's conferences are short)
3.2.3.6 early graduation: only Cal (no plan) counts -> 0 of 1, 3 not applicable
"""

import csv
import dataclasses
import io
import os

import pytest

from seop_tui.services import conferences, involvement, progress_entry, reports, training
from seop_tui.services.compliance import compliance_report
from seop_tui.services.conferences import Attendance
from tests.factory import District

EXPECTED = {  # clause: (met, total, not yet due, not applicable)
    "3.2.1": (1, 4, 0, 0),
    "3.2.3.1": (2, 4, 0, 0),
    "3.2.3.2": (2, 4, 0, 0),
    "3.2.3.3": (0, 1, 3, 0),
    "3.2.3.4": (1, 4, 0, 0),
    "3.2.3.5": (1, 4, 0, 0),
    "3.2.3.6": (0, 1, 0, 3),
}


def build_fixture_district(store, ref) -> District:
    d = District(store)
    d.ms = d.school("DMS", "middle", 6, 8, "Desert Middle School")
    d.counselor = d.staff("counselor", "counselor", d.ms, "Carla", "Counselor")
    d.admin = d.staff("admin", "administrator", None, "Ada", "Admin")
    d.ana = d.student("ana", 7, d.ms, "Ana", "Able", counselor_id=d.counselor)
    d.bo = d.student("bo", 8, d.ms, "Bo", "Baker", counselor_id=d.counselor)
    d.cal = d.student("cal", 6, d.ms, "Cal", "=Cole", counselor_id=d.counselor)  # a name a spreadsheet would run
    d.dee = d.student("dee", 7, d.ms, "Dee", "Dunn", counselor_id=d.counselor)
    parents = {kid: d.guardian(kid, "Pat", "Parent") for kid in (d.ana, d.bo, d.dee)}
    counselor = d.actor("counselor")
    plans = {}
    with store.write() as db:
        for kid, grade in ((d.ana, 7), (d.bo, 8), (d.dee, 7)):
            plans[kid] = db["plans"].insert({"student_id": kid, "school_year_id": d.year_id, "kind": "SEOP", "grade": grade}).last_pk
        for kid in (d.ana, d.dee):
            db["strengths"].insert({"plan_id": plans[kid], "kind": "strength", "text": "Curious"})
            db["accomplishments"].insert({"student_id": kid, "kind": "award", "title": "Honor roll"})
            db["inventory_attempts"].insert({"student_id": kid, "started_at": "2026-09-01", "completed_at": "2026-09-01", "holland_code": "SAE"})
        db["postsecondary_plans"].insert({"plan_id": plans[d.ana], "education_choice": "university", "occupations": "Nurse"})
        db["postsecondary_plans"].insert({"plan_id": plans[d.dee], "education_choice": "technical_college"})
    for kid in (d.ana, d.dee):
        progress_entry.add_assessment(store, ref, counselor, kid, assessment_code="RISE", subject="ELA", grade=6, level=3)
    record = lambda kind, students: conferences.record(  # noqa: E731
        store, ref, counselor, kind=kind, held_on="2026-10-01", students=students, staff_ids=[d.counselor]
    )
    record("individual", [Attendance(d.ana, True, (parents[d.ana],))])
    record("individual", [Attendance(d.bo, True, (parents[d.bo],))])
    record("individual", [Attendance(d.dee, False, (parents[d.dee],))])
    record("small_group", [Attendance(d.ana), Attendance(d.dee)])
    involvement.add(store, counselor, d.ana, purpose="SEOP conference", method="letter", sent_on="2026-09-20")
    involvement.add(store, counselor, d.dee, purpose="SEOP conference", method="phone", sent_on="2026-09-20",
                    response="declined", responded_on="2026-09-21")
    return d


@pytest.fixture
def district(store, ref):
    return build_fixture_district(store, ref)


def figures(report):
    return {c.clause: (c.met, c.total, c.not_yet_due, c.not_applicable) for c in report.clauses}


def test_report_matches_the_hand_count(store, ref, district):
    report = compliance_report(store, ref, district.actor("counselor"), band="SEOP", counselor_id=district.counselor)
    assert (report.students, report.scope, report.school_year) == (4, "caseload", "2026-27")
    assert figures(report) == EXPECTED
    by_clause = {c.clause: c for c in report.clauses}
    assert by_clause["3.2.1"].percent == 25.0
    assert report.missing["3.2.3.4"][str(district.dee)] == ("no occupation plan",)
    assert report.missing["3.2.3.1"][str(district.bo)][0] == "no state assessment results on file"


def test_csv_parses_back_to_the_same_figures(store, ref, district, tmp_path):
    report = compliance_report(store, ref, district.actor("counselor"), band="SEOP", counselor_id=district.counselor)
    path = reports.write_compliance_csv(store, district.actor("counselor"), report, tmp_path / "out" / "compliance.csv")
    assert os.stat(path).st_mode & 0o777 == 0o600
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == reports.COMPLIANCE_COLUMNS
    clauses = {r["clause"]: r for r in rows if r["row"] == "clause"}
    parsed = {k: (int(r["met"]), int(r["total"]), int(r["not_yet_due"]), int(r["not_applicable"])) for k, r in clauses.items()}
    assert parsed == EXPECTED
    assert {k: r["percent"] for k, r in clauses.items()}["3.2.3.1"] == "50.0"
    students = [r for r in rows if r["row"] == "student"]
    for c in report.clauses:
        listed = [r for r in students if r["clause"] == c.clause]
        assert len(listed) == c.not_met
    cal = next(r for r in students if r["clause"] == "3.2.1" and "Cal" in r["student"])
    assert cal["student"] == "'=Cole, Cal (6)"  # not a formula when opened in a spreadsheet
    assert cal["missing"] == "no plan for this school year"
    assert cal["student_number"] == store.one("SELECT student_number FROM students WHERE id = ?", (district.cal,))[0]
    # Each student the file lists has an export row in the audit log.
    exported = {r[0] for r in store.query("SELECT student_id FROM audit_log WHERE action = 'export' AND student_id IS NOT NULL")}
    assert exported == {district.bo, district.cal, district.dee}  # Ana meets every clause due


def test_each_student_line_reads_back_with_its_own_name_number_and_gaps(store, ref, district):
    # Text a CSV must quote, in a name that appears on several lines of the file.
    store.conn.execute("UPDATE students SET given_name = ? WHERE id = ?", ('Bo "B, Jr."', district.bo))
    report = compliance_report(store, ref, district.actor("counselor"), band="SEOP", counselor_id=district.counselor)
    data = reports.compliance_csv(store, report)
    rows = [r for r in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")) if r["row"] == "student"]
    expected = [
        (c.clause, report.numbers[sid], report.names[sid], "; ".join(report.missing[c.clause][sid]))
        for c in report.clauses
        for sid in c.not_meeting
    ]
    assert [(r["clause"], r["student_number"], r["student"], r["missing"]) for r in rows] == [
        (clause, number, "'" + name if name.startswith("=") else name, missing) for clause, number, name, missing in expected
    ]
    assert sum(r["student"] == 'Baker, Bo "B, Jr." (8)' for r in rows) == sum(str(district.bo) in c.not_meeting for c in report.clauses) > 1
    # A report made without student numbers reads them when the file is written: the same file.
    assert reports.compliance_csv(store, dataclasses.replace(report, numbers=None)) == data


def test_a_folder_is_not_a_file(store, ref, district, tmp_path):
    report = compliance_report(store, ref, district.actor("counselor"), band="SEOP")
    with pytest.raises(reports.ReportFileError, match="is a folder"):
        reports.write_compliance_csv(store, district.actor("counselor"), report, tmp_path)
    with pytest.raises(reports.ReportFileError, match="Type the path"):
        reports.write_compliance_csv(store, district.actor("counselor"), report, "  ")


def test_scopes_offered_follow_what_the_actor_may_see(store, ref, district):
    other = district.school("OMS", "middle", 6, 8, "Other Middle")
    district.staff("carl", "counselor", other, "Carl", "Other")
    counselor = [s.label for s in reports.report_scopes(store, district.actor("counselor"))]
    assert counselor == ["My caseload", "School: Desert Middle School"]
    admin = [s.label for s in reports.report_scopes(store, district.actor("admin"))]
    assert admin == ["Whole district", "School: Desert Middle School", "School: Other Middle", "Caseload: Carla Counselor", "Caseload: Carl Other"]
    assert reports.default_band(store, ref, district.actor("counselor")) == "SEOP"


def test_training_csv(store, ref, district, tmp_path):
    district.staff("tina", "teacher", district.ms, "Tina", "Teach")
    statuses = training.report(store, ref, district.actor("admin"))
    path = reports.write_training_csv(store, district.actor("admin"), statuses, tmp_path / "training.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows == [{"staff": "Teach, Tina", "role": "teacher", "school": "DMS", "required": "SEOP", "sep_completed": "",
                     "seop_completed": "", "missing": "SEOP", "status": "not trained"}]
