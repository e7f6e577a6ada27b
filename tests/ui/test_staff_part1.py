"""Staff mode, part 1: the caseload dashboard, a student's record, plan review.

A counselor finds a student by typing part of a name, opens the record, sends
the plan back with a comment, the student sees it and resubmits, the counselor
finalizes; and how the three screens look at 80x24.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, TextArea

from screens.staff.dashboard import CaseloadDashboard
from screens.question import Question
from screens.staff.review import ReviewScreen, VersionScreen, VersionsScreen
from screens.staff.student_record import StudentRecordScreen
from seop_tui.services import plans, review
from seop_tui.services.auth import _actor_for
from tests.ui.helpers import (
    COUNSELOR_PASSWORD,
    COUNSELOR_USERNAME,
    STUDENT_PIN,
    STUDENT_USERNAME,
    District,
    run,
    screen_text,
    settle,
    sign_in_as,
    type_text,
)

SIZE = (80, 24)
AT = "2026-10-05T15:00:00+00:00"


def setup_caseload(district: District) -> int:
    """A school year, Ava (grade 7) with a submitted plan and a few classmates, all on Cole's caseload."""
    store = district.store
    with store.write() as db:
        db["school_years"].insert({"name": "2026-27", "starts_on": "2026-08-15", "ends_on": "2027-05-29", "is_current": 1})
    for username, given, family, grade in (
        ("ben", "Ben", "Okafor", 8),
        ("cam", "Camila", "Martin", 6),
        ("odd", "[bold]Dee[/]", "[@click=app.quit]Esc", 8),
    ):
        district.add_student(username, given, family, grade=grade)
    with store.write() as db:
        db.execute("UPDATE students SET counselor_id = (SELECT id FROM staff LIMIT 1)")
        db.execute("UPDATE students SET student_number = '1000' || id WHERE student_number LIKE 'S-%'")
    ava = store.one("SELECT id FROM students WHERE given_name = 'Ava'")[0]
    student = actor(district, STUDENT_USERNAME)
    plan = plans.plan_for(store, district.ref, student, ava)
    with plans.editing(store, student, plan, "plan written") as db:
        db["goals"].insert({"plan_id": plan.id, "kind": "education", "text": "Read 20 books", "status": "in_progress", "monitors": '["student"]'})
        db["strengths"].insert({"plan_id": plan.id, "kind": "strength", "text": "Drawing [b]comics[/b]"})
    plans.submit(store, student, plans.reload(store, plan))
    with store.write() as db:  # no clocks on screen
        db.execute("UPDATE plans SET updated_at = ?, submitted_at = ?, created_at = ?", [AT, AT, AT])
    return ava


def actor(district: District, username: str):
    row = district.store.one("SELECT * FROM accounts WHERE username = ?", (username,))
    return _actor_for(district.store, row, "test")


async def open_review(pilot, text: str) -> None:
    """Sign in as the counselor, find a student, open the review of their plan."""
    await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
    await settle(pilot)
    await find_and_open(pilot, text)
    await pilot.press("v")
    await settle(pilot)


async def find_and_open(pilot, text: str) -> None:
    """On the dashboard: type in the search box, wait for the list, open the first row."""
    app = pilot.app
    assert isinstance(app.screen, CaseloadDashboard)
    assert app.screen.focused is app.screen.query_one("#caseload-search", Input)
    await type_text(pilot, text)
    await pilot.pause(0.3)  # the search waits for a pause in typing
    await settle(pilot)
    await pilot.press("enter")  # opens the highlighted (first) student
    await settle(pilot)
    await pilot.pause()


def test_counselor_finds_reviews_sends_back_and_finalizes(district):
    ava = setup_caseload(district)
    store = district.store

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            await settle(pilot)
            dashboard = app.screen
            assert "Okafor, Ben" in screen_text(app)
            await type_text(pilot, "mart")
            await pilot.pause(0.3)
            await settle(pilot)
            table = dashboard.query_one("#caseload", DataTable)
            assert table.row_count == 2  # Martin and Martinez, not Okafor
            assert "Okafor" not in screen_text(app)
            await pilot.press("down", "down", "enter")  # into the list, the second row: Martinez
            await settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, StudentRecordScreen) and app.screen.student_id == ava
            text = screen_text(app)
            assert "Ava Martinez" in text and "Submitted for review" in text
            assert "Drawing [b]comics[/b]" in text  # shown literally

            await pilot.press("v")
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("enter")  # the section list has the focus
            await pilot.pause()
            await pilot.press("down", "down", "enter")  # Interest inventory -> Goals
            await pilot.pause()
            assert app.screen.query_one("#review-section").value == "goals"
            assert "Read 20 books" in screen_text(app)
            await pilot.press("tab", "tab")  # past the section's text to the comment box
            assert isinstance(app.screen.focused, TextArea)
            await type_text(pilot, "Add a date to your goal.")
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert isinstance(app.screen, Question)
            await pilot.press("y")
            await settle(pilot)
            await pilot.pause()
            assert "changes requested" in app.screen.message
            assert store.one("SELECT status FROM plans WHERE student_id = ?", (ava,))[0] == "changes_requested"
            assert tuple(store.one("SELECT section, body FROM plan_comments")) == ("goals", "Add a date to your goal.")

            # The student signs in and sees the comment with the Goals section.
            await app.sign_out()
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            student = app.actor
            assert student is not None and student.student_id == ava
            plan = plans.plan_for(store, district.ref, student, ava)
            assert [(c.section, c.body) for c in review.comments(store, student, plan, open_only=True)] == [
                ("goals", "Add a date to your goal.")
            ]
            with plans.editing(store, student, plan, "goal date") as db:
                db.execute("UPDATE goals SET target_date = '2027-05-01' WHERE plan_id = ?", [plan.id])
            plans.submit(store, student, plans.reload(store, plan))
            await app.sign_out()

            # The counselor finalizes the resubmitted plan.
            await open_review(pilot, "ava")
            await pilot.press("ctrl+f")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            await pilot.pause()
            assert "finalized" in app.screen.message
            row = store.one("SELECT status, finalized_by FROM plans WHERE student_id = ?", (ava,))
            assert row["status"] == "finalized" and row["finalized_by"] is not None
            kept = store.one("SELECT snapshot FROM plan_versions")[0]
            assert "2027-05-01" in kept

            await pilot.press("ctrl+l")
            await settle(pilot)
            assert isinstance(app.screen, VersionsScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, VersionScreen)
            assert "sign-off 1" in screen_text(app)

    run(body)


def test_a_comment_typed_but_not_added_is_not_lost(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_review(pilot, "ava")
            await pilot.press("tab", "tab")
            await type_text(pilot, "Nice work")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, Question)
            await pilot.press("k")  # keep writing
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("a")  # add it, then leave
            await settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, StudentRecordScreen)
            await pilot.press("v")
            await settle(pilot)
            await pilot.press("tab", "tab")
            await type_text(pilot, "Keep going")
            await app.sign_out()  # signing out adds it
            bodies = [r[0] for r in district.store.query("SELECT body FROM plan_comments ORDER BY id")]
            assert bodies == ["Nice work", "Keep going"]

    run(body)


def test_finalizing_a_plan_changed_meanwhile_shows_who_and_offers_reload(district):
    ava = setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_review(pilot, "ava")
            # Someone else sends the plan back while this screen is open.
            other = actor(district, COUNSELOR_USERNAME)
            plan = plans.plan_for(district.store, district.ref, other, ava)
            review.request_changes(district.store, other, plan, "goals", "From another session.")
            await pilot.press("ctrl+f")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            await pilot.pause()
            message = app.screen.message
            assert "changed by Cole Nakamura" in message and "F5" in message
            assert district.store.one("SELECT count(*) FROM plan_versions")[0] == 0
            await pilot.press("f5")
            await settle(pilot)
            assert "Changes requested" in screen_text(app)

    run(body)


def test_part_two_screens_not_there_yet_say_coming_soon(district, monkeypatch):
    setup_caseload(district)
    monkeypatch.setitem(
        __import__("screens.staff", fromlist=["STAFF_SCREENS"]).STAFF_SCREENS,
        "training",
        ("screens.staff.no_such_module:Nothing", "Staff training"),
    )

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            await settle(pilot)
            await pilot.press("tab", "tab", "tab", "tab")  # past the search box and filters to the list
            app.screen.query_one("#caseload", DataTable).focus()
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, CaseloadDashboard)
            assert any("Staff training is coming soon" in str(n.message) for n in app._notifications)

    run(body)


# -- how they look at 80x24 ------------------------------------------------------------


def test_dashboard_snapshot(district, snap_compare):
    setup_caseload(district)

    async def dashboard(pilot):
        await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
        await settle(pilot)
        pilot.app.screen.query_one("#caseload", DataTable).focus()
        await pilot.press("down", "space")
        await settle(pilot)

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=dashboard)


def test_student_record_snapshot(district, snap_compare):
    setup_caseload(district)

    async def record(pilot):
        await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
        await settle(pilot)
        await find_and_open(pilot, "ava")

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=record)


def test_review_snapshot(district, snap_compare):
    ava = setup_caseload(district)
    counselor = actor(district, COUNSELOR_USERNAME)
    plan = plans.plan_for(district.store, district.ref, counselor, ava)
    review.add_comment(district.store, counselor, plan, "inventory", "Finish the last [b]ten[/b] questions.")
    with district.store.write() as db:
        db.execute("UPDATE plan_comments SET created_at = ?", [AT])

    async def reviewing(pilot):
        await open_review(pilot, "ava")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Good start.")

    assert snap_compare(district.app(), terminal_size=SIZE, run_before=reviewing)
