"""Progress data entered by staff: assessment results and earned credits."""

import pytest

from seop_tui.services import progress_entry
from seop_tui.services.compliance import student_compliance
from seop_tui.services.conferences import EntryError
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS", "high", 9, 12)
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.teacher = d.staff("teacher", "teacher", d.hs)
    d.kid = d.student("kid", 11, d.hs, "Kai", "Eleven", counselor_id=d.counselor)
    return d


def test_assessment_results_are_checked_against_the_district_assessments(store, ref, district):
    counselor = district.actor("counselor")
    add = lambda **kw: progress_entry.add_assessment(store, ref, counselor, district.kid, **kw)  # noqa: E731
    with pytest.raises(EntryError, match="Choose an assessment"):
        add(assessment_code="SAT", subject="MATH", grade=11, level=3)
    with pytest.raises(EntryError, match="Choose a Utah Aspire Plus subject"):
        add(assessment_code="ASPIRE", subject="WRIT", grade=9, level=3)
    with pytest.raises(EntryError, match="taken in grades 9, 10, not grade 11"):
        add(assessment_code="ASPIRE", subject="MATH", grade=11, level=3)
    with pytest.raises(EntryError, match="proficiency level must be between 1 and 4"):
        add(assessment_code="ASPIRE", subject="MATH", grade=10, level=5)
    with pytest.raises(EntryError, match="scale score must be between 1 and 36"):
        add(assessment_code="ACT", subject="COMP", grade=11, level=None, scale_score=40)
    with pytest.raises(EntryError, match="taken in grade 11, not grade 12"):
        add(assessment_code="ACT", subject="COMP", grade=12, level=None, scale_score=20)
    ninth = district.student("ninth", 9, district.hs)
    with pytest.raises(EntryError, match="is in grade 9; a grade 10 result"):
        progress_entry.add_assessment(store, ref, counselor, ninth, assessment_code="ASPIRE", subject="MATH", grade=10, level=3)
    assert store.one("SELECT count(*) FROM assessment_results")[0] == 0

    add(assessment_code="ACT", subject="COMP", grade=11, level="", scale_score="24", taken_on="2026-10-01")
    add(assessment_code="ASPIRE", subject="MATH", grade=10, level="3")
    with pytest.raises(EntryError, match="already on file"):
        add(assessment_code="ASPIRE", subject="MATH", grade=10, level="2")
    rows = progress_entry.list_assessments(store, ref, counselor, district.kid)
    assert [(r["assessment_name"], r["subject_name"], r["grade"], r["level_name"], r["scale_score"], r["source"]) for r in rows] == [
        ("ACT", "Composite", 11, "", 24, "entered"),
        ("Utah Aspire Plus", "Mathematics", 10, "Proficient", None, "entered"),
    ]
    results = {r.clause: r for r in student_compliance(store, ref, counselor, district.kid)}
    assert "no state assessment results on file" not in results["3.2.1"].missing + results["3.2.3.1"].missing


def test_credits_from_the_catalog_or_typed_in(store, ref, district):
    counselor = district.actor("counselor")
    add = lambda **kw: progress_entry.add_credit(store, ref, counselor, district.kid, **kw)  # noqa: E731
    add(course_code="eng9", credits="1", grade="9", mark="A-")
    add(course_name="Welding (transfer)", area="electives", credits=0.5, grade=10, term="fall")
    with pytest.raises(EntryError, match="not in the course catalog"):
        add(course_code="NOPE1", credits=1, grade=9)
    with pytest.raises(EntryError, match="requirement area"):
        add(course_name="Mystery", credits=1, grade=9)
    with pytest.raises(EntryError, match="quarter steps"):
        add(course_code="ENG10", credits="0.3", grade=10)
    with pytest.raises(EntryError, match="more than 0"):
        add(course_code="ENG10", credits="0", grade=10)
    with pytest.raises(EntryError, match="sub-area does not belong"):
        add(course_name="Band", area="electives", subarea="fine_arts", credits=1, grade=10)
    with pytest.raises(EntryError, match="at most 8 characters"):
        add(course_code="ENG10", credits=1, grade=10, mark="Excellent!")
    rows = progress_entry.list_credits(store, ref, counselor, district.kid)
    assert [(r["course_code"], r["course_name"], r["area_name"], r["credits"], r["mark"], r["school_year"]) for r in rows] == [
        (None, "Welding (transfer)", "Electives", 0.5, None, "2026-27"),
        ("ENG9", "English 9", "Language Arts", 1.0, "A-", "2026-27"),
    ]


def test_only_entered_rows_can_be_removed_and_access_is_checked(store, ref, district):
    counselor = district.actor("counselor")
    with store.write() as db:
        imported = db["credits_earned"].insert(
            {"student_id": district.kid, "course_name": "English 9", "area": "language_arts", "credits": 1.0, "grade": 9, "source": "import"}
        ).last_pk
    with pytest.raises(EntryError, match="came from the district's import"):
        progress_entry.remove_credit(store, counselor, imported)
    entered = progress_entry.add_credit(store, ref, counselor, district.kid, course_code="ENG10", credits=1, grade=10)
    progress_entry.remove_credit(store, counselor, entered)
    assert [r[0] for r in store.query("SELECT id FROM credits_earned")] == [imported]
    with pytest.raises(AccessDenied):  # a teacher without the student in class
        progress_entry.add_credit(store, ref, district.actor("teacher"), district.kid, course_code="ENG10", credits=1, grade=10)
    with pytest.raises(AccessDenied):  # students do not enter their own results
        progress_entry.add_assessment(store, ref, district.actor("kid"), district.kid, assessment_code="ACT", subject="COMP", grade=11, level=None, scale_score=30)
    audited = [r[0] for r in store.query("SELECT what FROM audit_log WHERE action = 'change' ORDER BY id")]
    assert audited == ["credit entered: ENG10 1", f"credit {entered} removed"]
