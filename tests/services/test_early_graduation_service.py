"""Early graduation: declaring, the audit's verdict by the target, approvals, history."""

from __future__ import annotations

from datetime import date

import pytest

from seop_tui.services import early_graduation as eg
from seop_tui.services import plans
from seop_tui.services.context import AccessDenied
from tests.services.test_course_plan import audit_rows, district, earn_area, plan_entry  # noqa: F401  (fixtures)

FALL = date(2026, 10, 1)  # the factory's school year is 2026-27
SPRING = date(2027, 2, 1)


@pytest.fixture
def nearly_done(store, district):  # noqa: F811
    """Lena, grade 11: 23 of 24 credits earned, English 11 planned this year."""
    sid = district.s11
    for area, credits, sub in (
        ("language_arts", 3.0, None), ("mathematics", 3.0, None), ("science", 3.0, None), ("social_studies", 3.0, None),
        ("directed", 1.5, "fine_arts"), ("directed", 1.0, "cte"), ("directed", 0.5, "digital_studies"),
        ("directed", 0.5, "financial_literacy"), ("pe_health", 2.0, None), ("electives", 5.5, None),
    ):
        earn_area(store, sid, area, credits, subarea=sub)
    plan_entry(store, sid, "ENG11", 11)
    return sid


def test_verdicts_for_each_target(store, ref, district, nearly_done):  # noqa: F811
    student = district.actor("student11")
    status = eg.status(store, ref, student, nearly_done, today=FALL)
    assert status.applies and status.now == (11, "fall") and status.current is None
    assert status.targets == ((11, "fall"), (11, "spring"), (12, "fall"))
    by_fall = status.verdicts[(11, "fall")]
    assert not by_fall.feasible  # English 11 runs all year
    assert by_fall.missing == ("Language Arts: 1 credit short", "Total credits: 1 credit short")
    by_spring = status.verdicts[(11, "spring")]
    assert by_spring.feasible and by_spring.centennial_scholarship == "full"
    assert status.verdicts[(12, "fall")].centennial_scholarship == "partial"
    assert ("view", nearly_done, student.account_id, "early graduation") in audit_rows(store)
    # In the spring, the fall of grade 11 is over.
    assert eg.status(store, ref, student, nearly_done, today=SPRING).targets == ((11, "spring"), (12, "fall"))


def test_declare_approve_change_and_withdraw_keep_history(store, ref, district, nearly_done):  # noqa: F811
    student = district.actor("student11")
    plan = plans.plan_for(store, ref, student, nearly_done)
    plan = eg.declare(store, student, plan, target=(11, "spring"), reason="Start at Utah Tech\x1b]52;c;x\x07", today=FALL)
    plan = eg.approve(store, student, plan, "student", on=FALL)
    status = eg.status(store, ref, student, nearly_done, today=FALL)
    current = status.current
    assert current.target == (11, "spring") and current.reason == "Start at Utah Tech"
    assert current.approvals == {"student": "2026-10-01", "parent": None, "official": None}
    assert status.verdict.feasible and status.verdict.centennial_eligible

    # Only staff record the parent's and the official's approval.
    with pytest.raises(AccessDenied):
        eg.approve(store, student, plan, "parent")
    counselor = district.actor("counselor")
    plan = eg.approve(store, counselor, plan, "parent", on=date(2026, 10, 5))
    plan = eg.approve(store, counselor, plan, "official", on=date(2026, 10, 6))
    current = eg.status(store, ref, student, nearly_done, today=FALL).current
    assert current.fully_approved and current.official_name == "Carla Counselor"

    # The same target again only changes the reason.
    plan = eg.declare(store, student, plan, target=(11, "spring"), reason="Utah Tech nursing", today=date(2026, 10, 20))
    current = eg.status(store, ref, student, nearly_done, today=FALL).current
    assert (current.reason, current.declared_on, current.fully_approved) == ("Utah Tech nursing", "2026-10-01", True)

    # A new target replaces the declaration; the old one stays, withdrawn, with its approvals.
    plan = eg.declare(store, student, plan, target=(12, "fall"), today=date(2026, 11, 2))
    status = eg.status(store, ref, student, nearly_done, today=FALL)
    assert status.current.target == (12, "fall") and status.current.approvals["student"] is None
    assert [(d.target, d.withdrawn_on, d.approvals["official"]) for d in status.history] == [((11, "spring"), "2026-11-02", "2026-10-06")]

    plan = eg.withdraw(store, student, plan, today=date(2026, 12, 1))
    status = eg.status(store, ref, student, nearly_done, today=FALL)
    assert status.current is None and len(status.history) == 2
    assert store.one("SELECT count(*) FROM early_graduation_plans WHERE withdrawn_on IS NULL")[0] == 0
    changes = [r[3] for r in audit_rows(store, "change")]
    assert "early graduation declared: spring of grade 11" in changes and "early graduation withdrawn" in changes


def test_refusals(store, ref, district, nearly_done):  # noqa: F811
    student = district.actor("student11")
    plan = plans.plan_for(store, ref, student, nearly_done)
    with pytest.raises(eg.EarlyGraduationError, match="cannot be chosen now"):
        eg.declare(store, student, plan, target=(11, "fall"), today=SPRING)
    with pytest.raises(eg.EarlyGraduationError, match="no early graduation plan"):
        eg.withdraw(store, student, plan)
    with pytest.raises(AccessDenied):
        eg.declare(store, district.actor("other11"), plan, target=(11, "spring"), today=FALL)
    with pytest.raises(AccessDenied):
        eg.status(store, ref, district.actor("other11"), nearly_done)
    nine = district.actor("student9")
    plan9 = plans.plan_for(store, ref, nine, district.s9)
    assert eg.status(store, ref, nine, district.s9, today=FALL).targets == ((10, "spring"), (11, "fall"), (11, "spring"), (12, "fall"))
    assert store.one("SELECT count(*) FROM early_graduation_plans")[0] == 0
    assert plans.reload(store, plan).version == 1 and plan9.version == 1


def test_not_offered_before_grade_9(store, ref, district):  # noqa: F811
    eighth = district.student("student8", 8, district.hs)
    actor = district.actor("student8")
    plan = plans.plan_for(store, ref, actor, eighth)
    status = eg.status(store, ref, actor, eighth, today=FALL)
    assert not status.applies and status.targets == ()
    with pytest.raises(eg.EarlyGraduationError, match="from grade 9"):
        eg.declare(store, actor, plan, target=(11, "spring"), today=FALL)


def test_declaring_goes_through_the_plans_lock(store, ref, district, nearly_done):  # noqa: F811
    student = district.actor("student11")
    plan = plans.submit(store, student, plans.plan_for(store, ref, student, nearly_done))
    with pytest.raises(plans.PlanLocked):
        eg.declare(store, student, plan, target=(11, "spring"), today=FALL)
    assert store.one("SELECT count(*) FROM early_graduation_plans")[0] == 0
