import pytest

from seop_tui.services import caseload, plans
from seop_tui.services.caseload import CaseloadQuery
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.other_hs = d.school("PVH", name="Pine View High")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.colleague = d.staff("colleague", "counselor", d.hs, "Cody", "Colleague")
    d.far_counselor = d.staff("far", "counselor", d.other_hs, "Fay", "Far")
    d.teacher = d.staff("teacher", "teacher", d.hs, "Tom", "Teacher")
    d.district_admin = d.staff("admin", "administrator", None, "Ada", "Admin")
    d.nina = d.student("nina", 9, d.hs, "Nina", "Martinez", counselor_id=d.counselor, teacher_id=d.teacher)
    d.mark = d.student("mark", 11, d.hs, "Mark", "Martin", counselor_id=d.counselor)
    d.omar = d.student("omar", 10, d.hs, "Omar", "Okafor", counselor_id=d.colleague)
    d.jose = d.student("jose", 10, d.hs, "José", "Ibáñez", counselor_id=d.counselor)
    d.far = d.student("faraway", 10, d.other_hs, "Martina", "Marsh", counselor_id=d.far_counselor)
    return d


def names(page) -> list[str]:
    return [f"{r.given_name} {r.family_name}" for r in page.rows]


def find(store, ref, district, who, **query):
    return caseload.find(store, ref, district.actor(who), CaseloadQuery(**query))


def test_a_counselor_sees_their_caseload_first_then_the_whole_school(store, ref, district):
    mine = find(store, ref, district, "counselor")
    assert names(mine) == ["José Ibáñez", "Mark Martin", "Nina Martinez"]
    assert mine.total == 3
    school = find(store, ref, district, "counselor", scope="school")
    assert names(school) == ["José Ibáñez", "Mark Martin", "Nina Martinez", "Omar Okafor"]


def test_search_finds_part_of_a_name_and_a_student_number(store, ref, district):
    assert names(find(store, ref, district, "counselor", text="mart")) == ["Mark Martin", "Nina Martinez"]
    assert names(find(store, ref, district, "counselor", text="nin mar")) == ["Nina Martinez"]
    assert names(find(store, ref, district, "counselor", text="MARTINE")) == ["Nina Martinez"]
    with store.write() as db:
        db.execute("UPDATE students SET student_number = '7312345' WHERE id = ?", [district.mark])
        db.execute("UPDATE students SET student_number = '7399999' WHERE id = ?", [district.nina])
    assert names(find(store, ref, district, "counselor", text="73123")) == ["Mark Martin"]
    assert names(find(store, ref, district, "counselor", text="73")) == ["Mark Martin", "Nina Martinez"]
    assert names(find(store, ref, district, "counselor", text="jose iba")) == ["José Ibáñez"]  # accents need not be typed


def test_names_with_apostrophes_and_hyphens_are_found_typed_either_way(store, ref, district):
    district.student("obrien", 10, district.hs, "Mary Ann", "O'Brien-Smith", counselor_id=district.counselor)
    for text in ("obrien", "o'brien", "O’Bri", "brien", "smith", "obriensmith", "maryann", "mary ann o"):
        assert names(find(store, ref, district, "counselor", text=text)) == ["Mary Ann O'Brien-Smith"], text


def test_search_never_reaches_a_student_of_another_school(store, ref, district):
    number = store.one("SELECT student_number FROM students WHERE id = ?", (district.far,))[0]
    for text in ("martina", "marsh", number):
        page = find(store, ref, district, "counselor", text=text, scope="school")
        assert district.far not in [r.student_id for r in page.rows]
    assert names(find(store, ref, district, "far", text="mar")) == ["Martina Marsh"]
    everyone = find(store, ref, district, "admin", text="mar")
    assert names(everyone) == ["Martina Marsh", "Mark Martin", "Nina Martinez"]
    assert names(find(store, ref, district, "admin", text="mar", school_id=district.other_hs)) == ["Martina Marsh"]


def test_a_teacher_sees_only_their_class(store, ref, district):
    assert names(find(store, ref, district, "teacher")) == ["Nina Martinez"]
    assert names(find(store, ref, district, "teacher", text="mark")) == []
    with pytest.raises(AccessDenied):
        find(store, ref, district, "teacher", scope="school")


def test_students_have_no_caseload(store, ref, district):
    with pytest.raises(AccessDenied):
        find(store, ref, district, "nina")
    with pytest.raises(AccessDenied):
        caseload.row_details(store, ref, district.actor("nina"), [district.nina])


def test_search_text_is_never_run_as_a_query(store, ref, district):
    for text in ('"', "mar*", "mar AND NOT x", "NEAR(a b)", "-", "'; DROP TABLE students; --", "x" * 500):
        find(store, ref, district, "counselor", text=text)  # no error
    assert names(find(store, ref, district, "counselor", text='"mar')) == ["Mark Martin", "Nina Martinez"]
    assert caseload.match_expression("  -- ") is None


def test_the_index_follows_renames_and_new_students(store, ref, district):
    with store.write() as db:
        db.execute("UPDATE students SET family_name = 'Quintana' WHERE id = ?", [district.mark])
        db.execute("UPDATE students SET updated_at = '2026-10-01' WHERE id = ?", [district.nina])  # not a name: index untouched
    assert names(find(store, ref, district, "counselor", text="quin")) == ["Mark Quintana"]
    assert names(find(store, ref, district, "counselor", text="martin")) == ["Nina Martinez"]
    district.student("zoe", 12, district.hs, "Zoe", "Zabriskie", counselor_id=district.counselor)
    assert names(find(store, ref, district, "counselor", text="zab")) == ["Zoe Zabriskie"]
    with store.write() as db:
        db.execute("DELETE FROM students WHERE given_name = 'Zoe'")
    assert names(find(store, ref, district, "counselor", text="zab")) == []
    assert store.one("SELECT count(*) FROM student_search")[0] == store.one("SELECT count(*) FROM students")[0]


def test_filters_by_grade_status_and_missing_cluster(store, ref, district):
    counselor = district.actor("counselor")
    plan = plans.plan_for(store, ref, counselor, district.mark)
    plans.submit(store, counselor, plan)
    with store.write() as db:
        db["cluster_choices"].insert({"student_id": district.jose, "cluster_code": "HS", "grade": 10, "chosen_on": "2026-09-01"})
    assert names(find(store, ref, district, "counselor", grade=11)) == ["Mark Martin"]
    assert names(find(store, ref, district, "counselor", status="submitted")) == ["Mark Martin"]
    assert names(find(store, ref, district, "counselor", status="none")) == ["José Ibáñez", "Nina Martinez"]
    # Grade 9 is below the grade a cluster is required by: not flagged.
    assert names(find(store, ref, district, "counselor", flag="cluster_missing")) == ["Mark Martin"]
    rows = {r.student_id: r for r in find(store, ref, district, "counselor").rows}
    assert (rows[district.jose].cluster_code, rows[district.jose].cluster_missing) == ("HS", False)
    assert (rows[district.nina].cluster_code, rows[district.nina].cluster_missing) == (None, False)
    assert rows[district.mark].cluster_missing and rows[district.mark].plan_status == "submitted"
    assert rows[district.mark].last_activity is not None


def test_sorting_and_pages(store, ref, district):
    by_grade = find(store, ref, district, "counselor", sort="grade", descending=True)
    assert names(by_grade) == ["Mark Martin", "José Ibáñez", "Nina Martinez"]
    first = caseload.find(store, ref, district.actor("counselor"), CaseloadQuery(), limit=2)
    second = caseload.find(store, ref, district.actor("counselor"), CaseloadQuery(), offset=2, limit=2)
    assert (names(first), first.total, first.more) == (["José Ibáñez", "Mark Martin"], 3, True)
    assert (names(second), second.more) == (["Nina Martinez"], False)
    with pytest.raises(ValueError):
        find(store, ref, district, "counselor", sort="secret")


def _conference(store, district, student_ids, kind="individual", held_on="2026-09-20"):
    with store.write() as db:
        cid = db["conferences"].insert({"school_year_id": district.year_id, "kind": kind, "held_on": held_on}).last_pk
        for sid in student_ids:
            db["conference_students"].insert({"conference_id": cid, "student_id": sid})
        db["conference_attendees"].insert({"conference_id": cid, "staff_id": district.counselor})


def test_details_count_conferences_and_audit_credits_with_the_domain_rules(store, ref, district):
    _conference(store, district, [district.nina])
    _conference(store, district, [district.nina, district.mark], kind="small_group")
    with store.write() as db:
        db["conferences"].insert({"school_year_id": district.year_id, "kind": "individual", "held_on": "2026-09-21"})
    details = caseload.row_details(store, ref, district.actor("counselor"), [district.nina, district.mark, district.far])
    assert district.far not in details  # another school's student is left out
    assert (details[district.nina].conferences_done, details[district.nina].conferences_required) == (2, 2)
    assert not details[district.nina].conferences_due
    assert (details[district.mark].conferences_done, details[district.mark].conferences_due) == (1, True)
    assert details[district.mark].credit_state == "missing"  # grade 11 with nothing earned or planned
    assert store.one("SELECT action, student_id FROM audit_log ORDER BY id DESC LIMIT 1")[:] == ("list", None)


def test_filtering_and_sorting_by_details_covers_every_student(store, ref, district):
    _conference(store, district, [district.nina])
    _conference(store, district, [district.nina, district.jose], kind="small_group")
    seen = []
    due = caseload.find(
        store, ref, district.actor("counselor"), CaseloadQuery(flag="conferences_due"), progress=lambda done, total: seen.append((done, total))
    )
    assert names(due) == ["José Ibáñez", "Mark Martin"]
    assert all(r.details is not None for r in due.rows)
    assert seen[-1] == (3, 3)
    by_conferences = find(store, ref, district, "counselor", sort="conferences")
    assert names(by_conferences) == ["Mark Martin", "José Ibáñez", "Nina Martinez"]  # most still to hold first
    assert caseload.matching_ids(store, ref, district.actor("counselor"), CaseloadQuery(flag="conferences_due")) == [district.jose, district.mark]


def test_choices_offered_follow_what_the_actor_may_see(store, ref, district):
    assert caseload.scopes_for(district.actor("counselor")) == ("mine", "school")
    assert caseload.scopes_for(district.actor("admin")) == ("district",)
    assert [s.code for s in caseload.schools_for(store, district.actor("counselor"))] == ["DHS"]
    assert [s.code for s in caseload.schools_for(store, district.actor("admin"))] == ["DHS", "PVH"]
    assert caseload.grades_for(store, district.actor("teacher")) == (9,)
    assert caseload.grades_for(store, district.actor("counselor")) == (9, 10, 11)
