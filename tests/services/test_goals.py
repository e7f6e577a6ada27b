import json

import pytest

from seop_tui.services import goals, plans
from seop_tui.services.context import AccessDenied
from seop_tui.services.goals import GoalInputError, parse_target_date
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.es = d.school("SCE", "elementary", 0, 5)
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth")
    d.s3 = d.student("student3", 3, d.es, "Theo", "Third")
    d.other = d.student("other9", 9, d.hs, "Omar", "Other")
    return d


@pytest.fixture
def plan(store, ref, district):
    return plans.plan_for(store, ref, district.actor("student9"), district.s9)


@pytest.mark.parametrize(
    "typed, stored",
    [("2027-05-29", "2027-05-29"), ("2027-5-9", "2027-05-09"), ("5/29/2027", "2027-05-29"), (" ", None)],
)
def test_dates_people_type(typed, stored):
    assert parse_target_date(typed) == stored


@pytest.mark.parametrize("typed, says", [("next May", "not a date"), ("2027-02-30", "not a real day"), ("0027-01-01", "typing mistake")])
def test_bad_dates_say_how_to_fix_them(typed, says):
    with pytest.raises(GoalInputError, match=says) as caught:
        parse_target_date(typed)
    assert "2027-05-29" in str(caught.value)


def test_add_change_and_update_a_goal(store, district, plan):
    student = district.actor("student9")
    plan, gid = goals.save_goal(
        store, student, plan, kind="education", text="Get a B in math\x07", steps="Do homework\nAsk for help", target_date="5/29/2027"
    )
    row = store.one("SELECT * FROM goals WHERE id = ?", (gid,))
    assert (row["text"], row["steps"], row["target_date"], row["status"]) == ("Get a B in math", "Do homework\nAsk for help", "2027-05-29", "not_started")
    plan, same = goals.save_goal(
        store, student, plan, goal_id=gid, kind="education", text="Get a B in math", steps="Do homework\nAsk for help", target_date="2027-05-29"
    )
    assert same == gid and plans.reload(store, plan).version == plan.version  # nothing changed, nothing written
    plan, _ = goals.save_goal(store, student, plan, goal_id=gid, kind="education", text="Get a B in math", status="in_progress")
    plan = goals.add_update(store, student, plan, gid, "Turned in every page this week")
    updates = store.query("SELECT status, note, author_id FROM goal_updates ORDER BY id")
    assert [(u["status"], u["note"]) for u in updates] == [("in_progress", None), ("in_progress", "Turned in every page this week")]
    [goal] = goals.goals(store, student, plan)
    assert goal.status_label == "in progress" and goal.updates[-1].author == "Nina Ninth"
    assert store.one("SELECT count(*) FROM audit_log WHERE action = 'change' AND what LIKE '%goal%'")[0] == 3


def test_bad_input_changes_nothing(store, district, plan):
    student = district.actor("student9")
    with pytest.raises(GoalInputError):
        goals.save_goal(store, student, plan, kind="education", text="   ")
    with pytest.raises(GoalInputError):
        goals.save_goal(store, student, plan, kind="career_awareness", text="Vet")  # a K-5 kind
    with pytest.raises(GoalInputError):
        goals.save_goal(store, student, plan, kind="career", text="Nurse", target_date="someday")
    assert store.one("SELECT count(*) FROM goals")[0] == 0


def test_sep_goals_keep_who_watches(store, ref, district):
    child = district.actor("student3")
    plan = plans.plan_for(store, ref, child, district.s3)
    plan, gid = goals.save_goal(store, child, plan, kind="career_awareness", text="Jobs with animals", monitors=["teacher", "student"])
    assert json.loads(store.one("SELECT monitors FROM goals WHERE id = ?", (gid,))[0]) == ["student", "teacher"]


def test_classmate_refused_and_stale_version_conflicts(store, district, plan):
    with pytest.raises(AccessDenied):
        goals.save_goal(store, district.actor("other9"), plan, kind="education", text="Mine now")
    student = district.actor("student9")
    fresh, gid = goals.save_goal(store, student, plan, kind="education", text="Read 10 books")
    with pytest.raises(plans.PlanConflict):
        goals.save_goal(store, student, plan, goal_id=gid, kind="education", text="Read 2 books")
    assert store.one("SELECT text FROM goals")[0] == "Read 10 books"
    fresh = goals.remove_goal(store, student, fresh, gid)
    assert store.one("SELECT count(*) FROM goals")[0] == 0
