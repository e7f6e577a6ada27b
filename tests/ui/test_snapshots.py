"""How the shell looks at 80x24, the smallest terminal over SSH.

Review changes in snapshot_report.html before `pytest --snapshot-update`.
"""

from __future__ import annotations

from tests.ui.helpers import (
    COUNSELOR_PASSWORD,
    COUNSELOR_USERNAME,
    STUDENT_PIN,
    STUDENT_USERNAME,
    settle,
    sign_in_as,
)

SIZE = (80, 24)


def test_sign_in(district, snap_compare):
    assert snap_compare(district.app(), terminal_size=SIZE)


def test_sign_in_with_an_error(district, snap_compare):
    async def wrong_pin(pilot):
        await sign_in_as(pilot, STUDENT_USERNAME, "0000")

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=wrong_pin)


def test_sign_in_after_idle_sign_out(district, snap_compare):
    async def idle(pilot):
        await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
        pilot.app.last_input -= 10_000
        await pilot.app.check_idle_timeout()
        await settle(pilot)

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=idle)


def test_student_home(district, snap_compare):
    district.add_student("zed", "[bold]Zed[/]", "[@click=app.quit]x[/]", must_change=False)
    with district.store.write() as db:
        db["school_years"].insert({"name": "2026-27", "starts_on": "2026-08-15", "ends_on": "2027-05-29", "is_current": 1})

    async def student(pilot):
        await sign_in_as(pilot, "zed", STUDENT_PIN)

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=student)


def test_staff_home(district, snap_compare):
    async def counselor(pilot):
        await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=counselor)


def test_unexpected_error(district, snap_compare, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("seop_tui.services.auth.sign_in", broken)  # the sign-in worker looks it up there

    async def fail(pilot):
        await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=fail)
