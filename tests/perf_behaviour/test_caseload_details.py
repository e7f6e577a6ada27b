"""The caseload's costly columns are worked out from conferences and credits only.

`caseload.row_details` reads this year's conferences, the planned courses and the
earned credits (records.load_conferences_and_credits), not each student's whole
record (load_student_years): the answers are the same, for every student of a
demo district, and the rest of the record is not read.
"""

from __future__ import annotations

from datetime import date

from seop_tui.demo import build_demo
from seop_tui.domain.compliance import CREDIT_AUDIT_FROM_GRADE
from seop_tui.domain.conferences import conferences_due
from seop_tui.domain.credits import audit as credit_audit
from seop_tui.domain.credits import plan_credits
from seop_tui.reference import load_reference
from seop_tui.services import caseload
from seop_tui.services.auth import _actor_for
from seop_tui.services.caseload import RowDetails
from seop_tui.services.records import load_conferences_and_credits, load_student_years, requirement_set

# Parts of a record the costly columns do not need.
NOT_NEEDED = ("assessment_results", "progress_notes", "accomplishments", "strengths", "goals", "inventory_attempts",
              "cluster_choices", "postsecondary_plans", "parent_involvement", "early_graduation_plans")


def district(store):
    ref = load_reference()
    build_demo(store, ref, students=80, seed=7, today=date(2027, 2, 10))
    year = store.one("SELECT id FROM school_years WHERE is_current = 1")[0]
    everyone = [r[0] for r in store.query("SELECT id FROM students ORDER BY id")]
    admin = _actor_for(store, store.one("SELECT * FROM accounts WHERE username = 'admin'"), "test")
    return ref, year, everyone, admin


def from_whole_records(store, ref, year, student_ids) -> dict[int, RowDetails]:
    """The columns worked out from the whole records, as the dashboard did before."""
    records = load_student_years(store, ref, year, student_ids)
    out = {}
    for r in store.query("SELECT s.id, s.grade, s.cohort_year, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id"):
        record = records[r["id"]]
        status = conferences_due(ref.district.band_for(r["grade"]), record.conferences, small_group_max=ref.district.small_group_max)
        required = sum(item.count for item in status.required)
        credit_state = None
        if r["grade"] >= CREDIT_AUDIT_FROM_GRADE and (reqs := requirement_set(ref, r["code"], r["cohort_year"])) is not None:
            credit_state = str(credit_audit(reqs, record.earned, plan_credits(record.plan_entries, ref.courses)).state)
        out[r["id"]] = RowDetails(required - sum(item.count for item in status.due), required, credit_state)
    return out


def test_narrow_records_are_the_whole_records_parts(store):
    ref, year, everyone, _ = district(store)
    whole = load_student_years(store, ref, year, everyone)
    narrow = load_conferences_and_credits(store, ref, year, everyone)
    assert any(p.conferences for p in narrow.values()) and any(p.earned for p in narrow.values())
    assert any(p.plan_entries for p in narrow.values())
    assert any(c.group_size for p in narrow.values() for c in p.conferences)  # small groups counted whole
    for sid in everyone:
        assert narrow[sid] == (whole[sid].conferences, whole[sid].plan_entries, whole[sid].earned)
        assert load_conferences_and_credits(store, ref, year, [sid]) == {sid: narrow[sid]}


def test_row_details_answer_as_the_whole_records_do(store):
    ref, year, everyone, admin = district(store)
    expected = from_whole_records(store, ref, year, everyone)
    assert len({d.credit_state for d in expected.values()}) > 1
    assert any(d.conferences_done for d in expected.values()) and any(d.conferences_due for d in expected.values())
    assert caseload.row_details(store, ref, admin, everyone) == expected
    assert {sid: caseload.row_details(store, ref, admin, [sid])[sid] for sid in everyone[:20]} == {sid: expected[sid] for sid in everyone[:20]}


def test_row_details_read_only_conferences_and_credits(store):
    ref, _, everyone, admin = district(store)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        caseload.row_details(store, ref, admin, everyone[:20])
    finally:
        store.conn.set_trace_callback(None)
    read = " ".join(statements)
    assert "conference_students" in read and "credits_earned" in read and "course_plan_entries" in read
    assert [table for table in NOT_NEEDED if table in read] == []
