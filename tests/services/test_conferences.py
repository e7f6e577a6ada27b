"""Recording conferences: one row for a small group, the attendance rules, access and audit."""

from datetime import date

import pytest

from seop_tui.services import conferences
from seop_tui.services.compliance import compliance_report, student_compliance
from seop_tui.services.conferences import Attendance, EntryError
from seop_tui.services.context import AccessDenied
from seop_tui.text import TextTooLong
from tests.factory import District

DAY = "2026-10-01"


@pytest.fixture
def district(store):
    d = District(store)
    d.ms = d.school("DMS", "middle", 6, 8)
    d.counselor = d.staff("counselor", "counselor", d.ms, "Carla", "Counselor")
    d.teacher = d.staff("teacher", "teacher", d.ms, "Tom", "Teacher")
    d.other_school = d.school("OMS", "middle", 6, 8)
    d.outsider = d.staff("outsider", "counselor", d.other_school, "Olga", "Outside")
    d.kids = [d.student(f"kid{i}", 7, d.ms, f"Kid{i}", "Seven", counselor_id=d.counselor) for i in range(7)]
    d.parents = [d.guardian(k, f"Parent{i}", "Seven") for i, k in enumerate(d.kids)]
    with store.write() as db:
        for k in d.kids:
            db["plans"].insert({"student_id": k, "school_year_id": d.year_id, "kind": "SEOP", "grade": 7})
    return d


def individual(store, ref, d, kid: int, **kw):
    i = d.kids.index(kid)
    args = dict(kind="individual", held_on=DAY, students=[Attendance(kid, True, (d.parents[i],))], staff_ids=[d.counselor])
    return conferences.record(store, ref, d.actor("counselor"), **{**args, **kw})


def clause(report, number):
    return next(c for c in report.clauses if c.clause == number)


def test_a_small_group_is_recorded_once_and_counts_for_each_student(store, ref, district):
    four = district.kids[:4]
    for kid in four:
        individual(store, ref, district, kid)
    before = compliance_report(store, ref, district.actor("counselor"), band="SEOP", counselor_id=district.counselor)
    assert clause(before, "3.2.1").met == 0

    cid = conferences.record(
        store, ref, district.actor("counselor"), kind="small_group", held_on=DAY, duration_minutes="45",
        students=[Attendance(k) for k in four], staff_ids=[district.counselor, district.teacher], notes="Career cluster talk",
    )

    assert store.one("SELECT count(*) FROM conferences WHERE kind = 'small_group'")[0] == 1
    assert [r[0] for r in store.query("SELECT student_id FROM conference_students WHERE conference_id = ? ORDER BY student_id", (cid,))] == four
    after = compliance_report(store, ref, district.actor("counselor"), band="SEOP", counselor_id=district.counselor)
    assert clause(after, "3.2.1").met == 4
    assert set(clause(after, "3.2.1").not_meeting) == {str(k) for k in district.kids[4:]}
    for kid in four:
        results = {r.clause: r for r in student_compliance(store, ref, district.actor("counselor"), kid)}
        assert results["3.2.1"].state == "met"
        shown = conferences.list_for(store, district.actor("counselor"), kid)
        group = next(c for c in shown if c.kind == "small_group")
        assert (group.group_size, group.duration_minutes, group.notes) == (4, 45, "Career cluster talk")
        assert group.staff == ("Carla Counselor (counselor)", "Tom Teacher (teacher)")


def test_a_group_over_the_district_limit_is_refused(store, ref, district):
    assert ref.district.small_group_max == 5
    with pytest.raises(EntryError, match="at most 5 students; this one has 6"):
        conferences.record(
            store, ref, district.actor("counselor"), kind="small_group", held_on=DAY,
            students=[Attendance(k) for k in district.kids[:6]], staff_ids=[district.counselor],
        )
    assert store.one("SELECT count(*) FROM conferences")[0] == 0
    assert store.one("SELECT count(*) FROM audit_log WHERE action = 'change'")[0] == 0


@pytest.mark.parametrize(
    ("kind", "count", "message"),
    [
        ("small_group", 1, "at least two students"),
        ("individual", 2, "is for one student"),
        ("parent_requested", 2, "is for one student"),
        ("individual", 0, "Choose the student"),
        ("lunch", 1, "Choose the kind"),
    ],
)
def test_number_of_students_must_fit_the_kind(store, ref, district, kind, count, message):
    with pytest.raises(EntryError, match=message):
        conferences.record(
            store, ref, district.actor("counselor"), kind=kind, held_on=DAY,
            students=[Attendance(k) for k in district.kids[:count]], staff_ids=[district.counselor],
        )


def test_attendance_rules(store, ref, district):
    kid, other = district.kids[0], district.kids[1]
    with pytest.raises(EntryError, match="At least one member of school staff"):
        individual(store, ref, district, kid, staff_ids=[])
    with pytest.raises(EntryError, match="not listed as a guardian of that student"):
        individual(store, ref, district, kid, students=[Attendance(kid, True, (district.parents[1],))])
    with pytest.raises(EntryError, match="Olga Outside is not on the staff"):
        individual(store, ref, district, kid, staff_ids=[district.counselor, district.outsider])
    with pytest.raises(EntryError, match="listed twice"):
        conferences.record(
            store, ref, district.actor("counselor"), kind="small_group", held_on=DAY,
            students=[Attendance(kid), Attendance(kid)], staff_ids=[district.counselor],
        )
    assert store.one("SELECT count(*) FROM conferences")[0] == 0
    # A conference the student missed is recorded as held without them, and does not count.
    individual(store, ref, district, other, students=[Attendance(other, False, (district.parents[1],))])
    assert store.one("SELECT student_attended FROM conference_students")[0] == 0
    results = {r.clause: r for r in student_compliance(store, ref, district.actor("counselor"), other)}
    assert "1 individual conference" in results["3.2.1"].missing[0]
    assert any("the student was not present" in note for note in results["3.2.1"].notes)


def test_dates_duration_and_text_are_checked(store, ref, district):
    kid = district.kids[0]
    with pytest.raises(EntryError, match="real day"):
        individual(store, ref, district, kid, held_on="2026-02-30")
    with pytest.raises(EntryError, match="in the future"):
        individual(store, ref, district, kid, held_on="2026-10-02", today=date(2026, 10, 1))
    with pytest.raises(EntryError, match="not inside a school year"):
        individual(store, ref, district, kid, held_on="2026-07-01")
    with pytest.raises(EntryError, match="between 1 and 480"):
        individual(store, ref, district, kid, duration_minutes="0")
    with pytest.raises(EntryError, match="whole number"):
        individual(store, ref, district, kid, duration_minutes="half an hour")
    with pytest.raises(TextTooLong):
        individual(store, ref, district, kid, notes="x" * 5000)
    assert store.one("SELECT count(*) FROM conferences")[0] == 0
    cid = individual(store, ref, district, kid, notes="[bold]Mum[/] came\x1b[2J\nwith notes", follow_ups="  ")
    row = store.one("SELECT notes, follow_ups, held_on, school_year_id FROM conferences WHERE id = ?", (cid,))
    assert (row["notes"], row["follow_ups"], row["held_on"], row["school_year_id"]) == (
        "[bold]Mum[/] came\nwith notes", None, DAY, district.year_id
    )


def test_only_staff_with_access_record_and_each_student_is_audited(store, ref, district):
    kid = district.kids[0]
    with pytest.raises(AccessDenied):
        conferences.record(
            store, ref, district.actor("outsider"), kind="individual", held_on=DAY,
            students=[Attendance(kid)], staff_ids=[district.outsider],
        )
    with pytest.raises(AccessDenied):
        conferences.record(
            store, ref, district.actor("kid0"), kind="individual", held_on=DAY, students=[Attendance(kid)], staff_ids=[district.counselor]
        )
    conferences.record(
        store, ref, district.actor("counselor"), kind="small_group", held_on=DAY,
        students=[Attendance(k) for k in district.kids[:3]], staff_ids=[district.counselor],
    )
    audited = store.query("SELECT student_id, what FROM audit_log WHERE action = 'change' ORDER BY student_id")
    assert [r["student_id"] for r in audited] == district.kids[:3]
    assert all("small group" in r["what"] for r in audited)


def test_attendee_choices_list_guardians_and_school_staff_with_the_actor_first(store, ref, district):
    kid = district.kids[2]
    choices = conferences.attendee_choices(store, ref, district.actor("counselor"), [kid])
    assert [s.name for s in choices.students] == ["Kid2 Seven"]
    assert [g.name for g in choices.guardians[kid]] == ["Parent2 Seven"]
    assert [p.name for p in choices.staff] == ["Carla Counselor", "Tom Teacher"]
    assert choices.bands == ("SEOP",)
    assert store.one("SELECT count(*) FROM audit_log WHERE action = 'view' AND student_id = ?", (kid,))[0] == 1
