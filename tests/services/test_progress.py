"""Progress data: assessment results with level names, credits by area, courses completed."""

from __future__ import annotations

import pytest

from seop_tui.services.context import AccessDenied
from seop_tui.services.progress import progress_for
from tests.services.test_course_plan import audit_rows, district, earn_area, eleven  # noqa: F401  (fixtures)


def result(store, student_id, assessment, subject, grade, level, score=None):
    with store.write() as db:
        db["assessment_results"].insert(
            {"student_id": student_id, "assessment": assessment, "subject": subject, "grade": grade, "level": level, "scale_score": score}
        )


def test_progress_for_a_student(store, ref, district, eleven):  # noqa: F811
    result(store, eleven, "ACT", "COMP", 11, None, 24)
    result(store, eleven, "RISE", "MATH", 8, 2)
    result(store, eleven, "RISE", "ELA", 8, 4)
    result(store, eleven, "RISE", "ELA", 7, 3)
    earn_area(store, eleven, "world_languages", 1.0, grade=10)  # an area outside the requirement set
    student = district.actor("student11")
    progress = progress_for(store, ref, student, eleven)

    assert [(r["assessment_name"], r["subject_name"], r["grade"], r["level_name"], r["scale_score"]) for r in progress["assessments"]] == [
        ("RISE", "English Language Arts", 7, "Proficient", None),
        ("RISE", "English Language Arts", 8, "Highly Proficient", None),
        ("RISE", "Mathematics", 8, "Approaching Proficient", None),
        ("ACT", "Composite", 11, "", 24),
    ]
    by_area = {a["name"]: a["credits"] for a in progress["credits_by_area"]}
    assert by_area == {
        "Language Arts": 2.0, "Mathematics": 2.0, "Science": 1.0, "Social Studies": 0.5, "Directed Coursework": 2.0,
        "Physical & Health Education": 0.0, "Electives": 0.0, "world_languages": 1.0,
    }
    assert progress["total_credits"] == 8.5
    assert len(progress["courses_completed"]) == 10  # the failed course is listed, with no credit
    assert ("EARTH", 0.0, "F") in [(c["course_code"], c["credits"], c["mark"]) for c in progress["courses_completed"]]
    assert progress["requirement_set"] == "Utah state minimum (24 credits)"
    assert ("view", eleven, student.account_id, "progress data") in audit_rows(store)


def test_a_classmate_is_refused_and_staff_may_look(store, ref, district, eleven):  # noqa: F811
    with pytest.raises(AccessDenied):
        progress_for(store, ref, district.actor("other11"), eleven)
    counselor = district.actor("counselor")
    assert progress_for(store, ref, counselor, eleven)["total_credits"] == 7.5
    assert [r[:3] for r in audit_rows(store)] == [("view", eleven, counselor.account_id)]
