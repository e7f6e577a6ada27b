"""The four-year course plan service: audit numbers for a hand-built student,
edits through the plan's version check, access and audit rows.

The helpers and fixtures here are shared by the other part-2 service tests.
"""

from __future__ import annotations

import pytest

from seop_tui.services import course_plan, plans
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    """THS is not a block-schedule school: a grade-11 student there has the utah-24 set."""
    d = District(store)  # school year 2026-27
    d.hs = d.school("THS")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.s11 = d.student("student11", 11, d.hs, "Lena", "Eleven", counselor_id=d.counselor)
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth", counselor_id=d.counselor)
    d.other = d.student("other11", 11, d.hs, "Omar", "Other", counselor_id=d.counselor)
    return d


def earn(store, ref, student_id: int, code: str, grade: int, *, credits: float | None = None, mark: str = "A") -> None:
    """A transcript row for a catalogue course (credits 0 for a failed course)."""
    course = ref.courses.by_code[code]
    with store.write() as db:
        db["credits_earned"].insert(
            {
                "student_id": student_id,
                "course_code": code,
                "course_name": course.name,
                "area": course.area,
                "subarea": course.subarea,
                "credits": course.credits if credits is None else credits,
                "grade": grade,
                "mark": mark,
                "source": "import",
            }
        )


def earn_area(store, student_id: int, area: str, credits: float, grade: int = 9, subarea: str | None = None) -> None:
    """A transcript row outside the catalogue (transfer credit), by area."""
    with store.write() as db:
        db["credits_earned"].insert(
            {"student_id": student_id, "course_name": f"Transfer {area} {subarea or ''}", "area": area, "subarea": subarea, "credits": credits, "grade": grade}
        )


def plan_entry(store, student_id: int, code: str, grade: int, term: str | None = None) -> None:
    """A plan entry written directly (as an import or an earlier year would have)."""
    with store.write() as db:
        db["course_plan_entries"].insert({"student_id": student_id, "course_code": code, "grade": grade, "term": term})


def choose(store, student_id: int, cluster: str, pathway: str | None = None) -> None:
    with store.write() as db:
        db["cluster_choices"].insert(
            {"student_id": student_id, "cluster_code": cluster, "pathway_code": pathway, "grade": 9, "chosen_on": "2026-09-01"}
        )


def audit_rows(store, action: str | None = None) -> list[tuple]:
    sql = "SELECT action, student_id, account_id, what FROM audit_log"
    rows = [tuple(r) for r in store.query(sql + " ORDER BY id")]
    return [r for r in rows if action is None or r[0] == action]


@pytest.fixture
def eleven(store, ref, district):
    """Lena, grade 11: two years on the transcript, a plan for grades 11 and 12, a nursing pathway."""
    sid = district.s11
    for code in ("ENG9", "SM1", "BIO", "GEOG", "BAND", "CTE-NUR1"):
        earn(store, ref, sid, code, 9)
        plan_entry(store, sid, code, 9)  # planned back then, now on the transcript
    earn(store, ref, sid, "EARTH", 9, credits=0.0, mark="F")
    earn(store, ref, sid, "ENG10", 10)
    earn(store, ref, sid, "SM2", 10)
    plan_entry(store, sid, "CHEM", 10)  # planned for grade 10, never taken
    for code, grade in (("ENG11", 11), ("CTE-NUR3", 11), ("CTE-NUR2", 11), ("ENG12", 12)):
        plan_entry(store, sid, code, grade)
    choose(store, sid, "HS", "HS-NUR")
    return sid


def line(view, code):
    found = view.audit.line(code)
    return (found.required, found.earned, found.planned, str(found.state))


def test_audit_numbers_for_a_hand_built_student(store, ref, district, eleven):
    student = district.actor("student11")
    plan = plans.plan_for(store, ref, student, eleven)
    view = course_plan.course_plan(store, ref, student, plan)

    assert view.requirement_set == "Utah state minimum (24 credits)"
    assert line(view, "language_arts") == (4.0, 2.0, 2.0, "planned")
    assert line(view, "mathematics") == (3.0, 2.0, 0.0, "missing")
    assert line(view, "science") == (3.0, 1.0, 0.0, "missing")  # the failed Earth & Space gives nothing
    assert line(view, "social_studies") == (3.0, 0.5, 0.0, "missing")
    assert line(view, "fine_arts") == (1.5, 1.0, 0.0, "missing")
    assert line(view, "cte") == (1.0, 1.0, 0.0, "met")
    assert line(view, "electives") == (5.5, 0.0, 1.5, "missing")  # CTE beyond the 1.0 overflows
    assert (view.audit.total.earned, view.audit.total.planned) == (7.5, 3.5)  # CHEM for grade 10 is past
    # Earned courses appear once, with their mark; the failed one says so; the past plan entry too.
    rows9 = {r.course_code: r.status_words for r in view.rows_for(9)}
    assert rows9["ENG9"] == "earned (A)" and rows9["EARTH"] == "no credit (F)"
    assert len(view.rows_for(9)) == 7
    assert [(r.course_code, r.status) for r in view.rows_for(10)] == [("ENG10", "earned"), ("SM2", "earned"), ("CHEM", "past")]
    assert view.credits_in(11) == 2.5
    # Pathway: explorer earned, concentrator with the plan, 2.5 of the 3.0 completer credits.
    (nursing,) = view.pathways
    assert (nursing.cluster, nursing.pathway) == ("Health Science", "Nursing & Patient Care")
    progress = nursing.progress
    assert (progress.level_earned, progress.level_with_plan, progress.credits_with_plan) == ("explorer", "concentrator", 2.5)
    assert view.issues == ()
    assert ("view", eleven, student.account_id, "course plan") in audit_rows(store)


def test_adding_and_removing_courses_goes_through_the_plan(store, ref, district, eleven):
    student = district.actor("student11")
    plan = plans.plan_for(store, ref, student, eleven)
    plan = course_plan.add_course(store, ref, student, plan, "PHYS", 12)
    assert plan.version == 2
    row = store.one("SELECT * FROM course_plan_entries WHERE course_code = 'PHYS'")
    assert (row["student_id"], row["grade"], row["added_by"]) == (eleven, 12, student.account_id)
    view = course_plan.course_plan(store, ref, student, plan)
    assert line(view, "science")[2] == 1.0

    plan = course_plan.remove_course(store, student, plan, row["id"])
    assert plan.version == 3
    assert store.one("SELECT count(*) FROM course_plan_entries WHERE course_code = 'PHYS'")[0] == 0
    changes = [r[3] for r in audit_rows(store, "change")]
    assert "course plan: PHYS added to grade 12" in changes and "course plan: PHYS removed from grade 12" in changes


def test_what_a_student_cannot_change(store, ref, district, eleven):
    student = district.actor("student11")
    plan = plans.plan_for(store, ref, student, eleven)
    with pytest.raises(course_plan.CoursePlanError, match="already in the grade 11 plan"):
        course_plan.add_course(store, ref, student, plan, "ENG11", 11)
    with pytest.raises(course_plan.CoursePlanError, match="already passed in grade 9"):
        course_plan.add_course(store, ref, student, plan, "BIO", 11)
    with pytest.raises(course_plan.CoursePlanError, match="Grade 10 is over"):
        course_plan.add_course(store, ref, student, plan, "CHEM", 10)
    with pytest.raises(course_plan.CoursePlanError, match="not in the course catalogue"):
        course_plan.add_course(store, ref, student, plan, "NOPE", 11)
    earned_entry = store.one("SELECT id FROM course_plan_entries WHERE course_code = 'ENG9'")[0]
    with pytest.raises(course_plan.CoursePlanError, match="on the transcript"):
        course_plan.remove_course(store, student, plan, earned_entry)
    past_entry = store.one("SELECT id FROM course_plan_entries WHERE course_code = 'CHEM'")[0]
    with pytest.raises(course_plan.CoursePlanError, match="Grade 10 is over"):
        course_plan.remove_course(store, student, plan, past_entry)
    assert plans.reload(store, plan).version == plan.version  # nothing changed
    # The counselor may fix a past year.
    counselor = district.actor("counselor")
    course_plan.remove_course(store, counselor, plan, past_entry)
    assert store.one("SELECT count(*) FROM course_plan_entries WHERE course_code = 'CHEM'")[0] == 0


def test_warnings_from_the_plan_check(store, ref, district):
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    plan = course_plan.add_course(store, ref, student, plan, "SM1", 12)  # offered only in grade 9
    plan = course_plan.add_course(store, ref, student, plan, "CRWRT", 11)
    plan = course_plan.add_course(store, ref, student, plan, "CRWRT", 12)
    for code in ("ENG10", "SM2", "CHEM", "BAND", "CHOIR", "ORCH", "JAZZ", "DEBATE"):
        plan = course_plan.add_course(store, ref, student, plan, code, 10)  # 8.0 credits, then one more
    plan = course_plan.add_course(store, ref, student, plan, "ARTF", 10)
    kinds = {(i.kind, i.course_code, i.grade) for i in course_plan.course_plan(store, ref, student, plan).issues}
    assert ("not_offered", "SM1", 12) in kinds
    assert ("duplicate", "CRWRT", None) in kinds
    assert ("over_limit", None, 10) in kinds


def test_a_classmate_cannot_see_or_change_the_plan(store, ref, district, eleven):
    plan = plans.plan_for(store, ref, district.actor("student11"), eleven)
    other = district.actor("other11")
    with pytest.raises(AccessDenied):
        course_plan.course_plan(store, ref, other, plan)
    with pytest.raises(AccessDenied):
        course_plan.add_course(store, ref, other, plan, "PHYS", 12)
    entry = store.one("SELECT id FROM course_plan_entries WHERE course_code = 'ENG12'")[0]
    with pytest.raises(AccessDenied):
        course_plan.remove_course(store, other, plan, entry)
    assert store.one("SELECT count(*) FROM course_plan_entries WHERE course_code = 'PHYS'")[0] == 0
    assert not [r for r in audit_rows(store) if r[2] == other.account_id]


def test_a_stale_session_gets_a_conflict_and_a_submitted_plan_is_locked(store, ref, district, eleven):
    student = district.actor("student11")
    plan = plans.plan_for(store, ref, student, eleven)
    course_plan.add_course(store, ref, district.actor("counselor"), plan, "PHYS", 12)
    with pytest.raises(plans.PlanConflict, match="Carla Counselor"):
        course_plan.add_course(store, ref, student, plan, "APBIO", 12)
    plan = plans.submit(store, student, plans.reload(store, plan))
    with pytest.raises(plans.PlanLocked):
        course_plan.add_course(store, ref, student, plan, "APBIO", 12)
    assert store.one("SELECT count(*) FROM course_plan_entries WHERE course_code = 'APBIO'")[0] == 0


def test_catalogue_filter_by_grade_pathway_and_text(ref):
    grade9 = course_plan.catalog_for(ref, 9)
    assert grade9 and all(9 in c.grades for c in grade9)
    nursing = course_plan.catalog_for(ref, 11, pathway_codes=frozenset({"HS-NUR"}))
    assert {c.code for c in nursing} == {"CTE-NUR1", "CTE-NUR2", "CTE-NUR3", "CTE-NUR4"}
    assert [c.code for c in course_plan.catalog_for(ref, 9, text="9 english")] == ["ENG9", "ENG9H"]  # words in any order
    assert [c.code for c in course_plan.catalog_for(ref, 9, text="honors ENGLISH")] == ["ENG9H"]
    # Language arts first, in the order of the requirement areas.
    assert grade9[0].area == "language_arts"


def test_a_cluster_without_a_pathway_shows_the_pathways_with_courses(store, ref, district):
    student = district.actor("student9")
    choose(store, district.s9, "HS")
    plan = plans.plan_for(store, ref, student, district.s9)
    view = course_plan.course_plan(store, ref, student, plan)
    assert [(p.cluster, p.pathway) for p in view.pathways] == [("Health Science", None)]
    assert "HS-NUR" in view.pathway_codes
    plan = course_plan.add_course(store, ref, student, plan, "CTE-EMS1", 9)
    view = course_plan.course_plan(store, ref, student, plan)
    assert [(p.pathway, p.progress.level_with_plan) for p in view.pathways] == [("Emergency Medical Services", "explorer")]
