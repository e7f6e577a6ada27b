"""Accomplishments: the API staff screens share; students edit through their plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from seop_tui.services import accomplishments as acc
from seop_tui.services import plans
from seop_tui.services.context import AccessDenied
from seop_tui.text import TextTooLong
from tests.services.test_course_plan import audit_rows, district  # noqa: F401  (fixtures)


def test_add_update_remove_and_list(store, ref, district):  # noqa: F811
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    new_id = acc.add(
        store, student, district.s9, kind="service", title=" [b]Food bank[/b]\x1b[31m ", description="Sorted cans\nand boxes\x00",
        occurred_on="2026-09-12", hours="12.5",
    )
    row = store.one("SELECT * FROM accomplishments WHERE id = ?", (new_id,))
    assert (row["kind"], row["title"], row["description"], row["occurred_on"], row["hours"]) == (
        "service", "[b]Food bank[/b]", "Sorted cans\nand boxes", "2026-09-12", 12.5,
    )
    assert row["entered_by"] == student.account_id
    assert plans.reload(store, plan).version == 2  # through the plan

    acc.update(store, student, new_id, title="Food bank volunteer", hours="")
    row = store.one("SELECT * FROM accomplishments WHERE id = ?", (new_id,))
    assert (row["title"], row["hours"], row["occurred_on"]) == ("Food bank volunteer", None, "2026-09-12")

    acc.add(store, student, district.s9, kind="award", title="Honor roll", occurred_on=date(2026, 6, 1))
    listed = acc.list_for(store, student, district.s9)
    assert [(a["title"], a["kind_label"], a["entered_by_name"]) for a in listed] == [
        ("Food bank volunteer", "Service", "Nina Ninth"),
        ("Honor roll", "Award", "Nina Ninth"),
    ]
    acc.remove(store, student, new_id)
    assert [a["title"] for a in acc.list_for(store, student, district.s9)] == ["Honor roll"]
    actions = audit_rows(store)
    assert ("change", district.s9, student.account_id, "accomplishment added: service") in actions
    assert ("change", district.s9, student.account_id, f"accomplishment {new_id} removed") in actions
    assert ("view", district.s9, student.account_id, "accomplishments") in actions


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "party", "title": "x"}, "Choose a kind"),
        ({"kind": "award", "title": "   "}, "Give it a title"),
        ({"kind": "award", "title": "x", "occurred_on": "14/03/2026"}, "YYYY-MM-DD"),
        ({"kind": "award", "title": "x", "occurred_on": "2026-02-30"}, "YYYY-MM-DD"),
        ({"kind": "award", "title": "x", "occurred_on": (date.today() + timedelta(days=2)).isoformat()}, "in the future"),
        ({"kind": "award", "title": "x", "occurred_on": "1926-01-01"}, "before 1990"),
        ({"kind": "work", "title": "x", "hours": "lots"}, "must be a number"),
        ({"kind": "work", "title": "x", "hours": "-3"}, "between 0"),
        ({"kind": "work", "title": "x", "hours": "nan"}, "between 0"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(store, district, fields, message):  # noqa: F811
    with pytest.raises(acc.AccomplishmentError, match=message):
        acc.add(store, district.actor("student9"), district.s9, **fields)
    assert store.one("SELECT count(*) FROM accomplishments")[0] == 0


def test_too_long_text_is_refused(store, district):  # noqa: F811
    with pytest.raises(TextTooLong):
        acc.add(store, district.actor("student9"), district.s9, kind="award", title="x" * 201)


def test_access_for_classmates_and_staff_entries(store, ref, district):  # noqa: F811
    student, counselor, other = district.actor("student9"), district.actor("counselor"), district.actor("other11")
    with pytest.raises(AccessDenied):
        acc.add(store, other, district.s9, kind="award", title="Not mine")
    with pytest.raises(AccessDenied):
        acc.list_for(store, other, district.s9)
    award = acc.add(store, counselor, district.s9, kind="award", title="Citizenship award")
    with pytest.raises(AccessDenied):
        acc.remove(store, other, award)
    with pytest.raises(AccessDenied, match="entered by school staff"):
        acc.update(store, student, award, title="Mine now")
    acc.update(store, counselor, award, description="Chosen by the teachers")
    assert store.one("SELECT title, description FROM accomplishments")[:] == ("Citizenship award", "Chosen by the teachers")


def test_a_submitted_plan_is_read_only_for_the_student_not_for_staff(store, ref, district):  # noqa: F811
    student = district.actor("student9")
    plan = plans.submit(store, student, plans.plan_for(store, ref, student, district.s9))
    with pytest.raises(plans.PlanLocked):
        acc.add(store, student, district.s9, kind="award", title="Honor roll")
    acc.add(store, district.actor("counselor"), district.s9, kind="award", title="Honor roll")
    assert plans.reload(store, plan).version == plan.version  # staff additions leave the plan as it is
    assert store.one("SELECT count(*) FROM accomplishments")[0] == 1


def test_a_stale_student_session_gets_a_conflict(store, ref, district):  # noqa: F811
    student = district.actor("student9")
    plan = plans.plan_for(store, ref, student, district.s9)
    acc.add(store, student, district.s9, kind="award", title="First", plan=plan)
    with pytest.raises(plans.PlanConflict):
        acc.add(store, student, district.s9, kind="award", title="Second", plan=plan)  # plan is one version behind
    assert [r[0] for r in store.query("SELECT title FROM accomplishments")] == ["First"]
