import pytest

from seop_tui.services import plans, strengths
from seop_tui.services.context import AccessDenied
from seop_tui.text import TextTooLong
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth")
    d.other = d.student("other9", 9, d.hs, "Omar", "Other")
    return d


@pytest.fixture
def plan(store, ref, district):
    return plans.plan_for(store, ref, district.actor("student9"), district.s9)


def test_pick_from_the_list_and_write_own_words(store, district, plan):
    student = district.actor("student9")
    plan, picked = strengths.add_trait(store, student, plan, "strength", "Good at math")
    plan, own = strengths.add_trait(store, student, plan, "strength", "  Fixes\x1b[2J bikes [bold]fast[/]\n")
    plan, work = strengths.add_trait(store, student, plan, "needs_attention", "Writing")
    rows = store.query("SELECT kind, text, from_list FROM strengths ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("strength", "Good at math", 1),
        ("strength", "Fixes bikes [bold]fast[/]", 0),  # controls gone, markup kept literally
        ("needs_attention", "Writing", 1),
    ]
    assert [t.text for t in strengths.traits(store, student, plan)] == ["Good at math", "Fixes bikes [bold]fast[/]", "Writing"]
    assert store.one("SELECT count(*) FROM audit_log WHERE action = 'change' AND what = 'strength added'")[0] == 2


def test_remove(store, district, plan):
    student = district.actor("student9")
    plan, t = strengths.add_trait(store, student, plan, "strength", "Creative")
    plan = strengths.remove_trait(store, student, plan, t.id)
    assert store.one("SELECT count(*) FROM strengths")[0] == 0
    with pytest.raises(LookupError):
        strengths.remove_trait(store, student, plan, t.id)


def test_refused_input_changes_nothing(store, district, plan):
    student = district.actor("student9")
    plan, _ = strengths.add_trait(store, student, plan, "strength", "Creative")
    with pytest.raises(ValueError, match="already on your list"):
        strengths.add_trait(store, student, plan, "strength", "creative ")
    with pytest.raises(ValueError, match="Type a few words"):
        strengths.add_trait(store, student, plan, "strength", "   ")
    with pytest.raises(TextTooLong):
        strengths.add_trait(store, student, plan, "strength", "x" * 300)
    assert store.one("SELECT count(*) FROM strengths")[0] == 1
    assert plans.reload(store, plan).version == plan.version


def test_a_classmate_is_refused(store, district, plan):
    other = district.actor("other9")
    with pytest.raises(AccessDenied):
        strengths.add_trait(store, other, plan, "strength", "Sneaky")
    with pytest.raises(AccessDenied):
        strengths.traits(store, other, plan)
    assert store.one("SELECT count(*) FROM strengths")[0] == 0


def test_stale_version_conflicts(store, district, plan):
    student = district.actor("student9")
    strengths.add_trait(store, student, plan, "strength", "Creative")
    with pytest.raises(plans.PlanConflict):
        strengths.add_trait(store, student, plan, "strength", "Organized")  # `plan` is the old version
    assert [r[0] for r in store.query("SELECT text FROM strengths")] == ["Creative"]


def test_progress_snapshot_shows_latest_tests_and_credits(store, ref, district):
    with store.write() as db:
        for grade, level in ((7, 1), (8, 3)):
            db["assessment_results"].insert({"student_id": district.s9, "assessment": "RISE", "subject": "MATH", "grade": grade, "level": level})
        db["credits_earned"].insert({"student_id": district.s9, "course_name": "English 9", "area": "language_arts", "credits": 1.0, "grade": 9})
        db["credits_earned"].insert({"student_id": district.s9, "course_name": "Art", "area": "directed", "credits": 0.5, "grade": 9})
    snap = strengths.progress_snapshot(store, ref, district.actor("student9"), district.s9)
    assert [(r.assessment, r.subject, r.grade, r.level) for r in snap.results] == [("RISE", "Mathematics", 8, "Proficient")]
    assert dict(snap.credits_by_area) == {"Language Arts": 1.0, "Directed Coursework": 0.5}
    assert snap.total_credits == 1.5
    with pytest.raises(AccessDenied):
        strengths.progress_snapshot(store, ref, district.actor("other9"), district.s9)
