"""The caseload dashboard at the keyboard: Enter opens a student from the search box,
the keys are in the footer at 80x24, the filters narrow the list.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input

from screens.staff.choice import ChoiceMenu
from screens.staff.dashboard import CaseloadDashboard
from screens.staff.student_record import StudentRecordScreen
from tests.ui.helpers import COUNSELOR_PASSWORD, COUNSELOR_USERNAME, run, screen_text, settle, sign_in_as, type_text
from tests.ui.test_staff_part1 import setup_caseload

SIZE = (80, 24)


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def dashboard(pilot) -> CaseloadDashboard:
    await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseloadDashboard)
    return screen


def test_enter_in_the_search_box_opens_the_first_student_found(district):
    setup_caseload(district)
    ben = district.store.one("SELECT id FROM students WHERE given_name = 'Ben'")[0]

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await dashboard(pilot)
            assert screen.focused is screen.query_one("#caseload-search", Input)
            # Enter straight after the last key, before the typing pause is over: the list
            # still shows everyone (Esc... first), but Enter opens what was typed for.
            await type_text(pilot, "okaf")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, StudentRecordScreen) and app.screen.student_id == ben
            assert "Ben Okafor" in screen_text(app)

    run(body)


def test_enter_with_nothing_found_stays_on_the_dashboard(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await dashboard(pilot)
            await type_text(pilot, "zzz")
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            assert "No students match. Change the search or the filters." in screen_text(app)
            await pilot.press("backspace")  # typing goes on in the search box
            assert screen.query_one("#caseload-search", Input).value == "zz"

    run(body)


def test_down_goes_to_the_list_and_up_from_its_first_row_comes_back(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await dashboard(pilot)
            table = screen.query_one("#caseload", DataTable)
            await pilot.press("down")
            assert screen.focused is table and table.cursor_row == 0
            await pilot.press("down", "up", "up")
            assert screen.focused is screen.query_one("#caseload-search", Input)
            await type_text(pilot, "ok")  # letters go to the search, not to the list's keys
            assert screen.query_one("#caseload-search", Input).value == "ok"

    run(body)


def test_the_footer_shows_the_keys_at_80_columns(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await dashboard(pilot)
            # In the search box letters are typed: the footer offers what works there.
            assert footer(app).split() == ["↓", "List", "⏎", "Open", "^o", "Sign", "out"]
            await pilot.press("down")
            await pilot.pause()
            keys = footer(app)
            for hint in ("⏎ Open", "space Mark", "g Group", "r Report", "x Export", "s Sort", "t Training", "^o Sign out"):
                assert hint in keys

    run(body)


def test_a_filter_narrows_the_list_and_escape_leaves_it(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await dashboard(pilot)
            assert "Martin, Camila" in screen_text(app)
            screen.query_one("#filter-grade").focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceMenu)
            assert "Grade 8" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and screen.query_state.grade is None
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("down", "down", "down", "enter")  # Any grade, 6, 7, 8
            await settle(pilot)
            assert app.screen is screen and screen.query_state.grade == 8
            text = screen_text(app)
            assert "Grade 8" in text and "Okafor, Ben" in text and "[@click=app.quit]Esc" in text
            assert "Martin, Camila" not in text and "Martinez, Ava" not in text
            assert "1-2 of 2" in text

    run(body)


def test_a_search_counted_up_to_its_cap_says_at_least(district, monkeypatch):
    from seop_tui.services import caseload

    setup_caseload(district)
    with district.store.write() as db:
        db["students"].insert_all(
            {"student_number": f"7{n:05}", "given_name": f"Kim{n:03}", "family_name": "Smithson", "grade": 9, "school_id": district.school_id}
            for n in range(caseload.PAGE + 30)
        )
        db.execute("UPDATE students SET counselor_id = (SELECT id FROM staff LIMIT 1)")
    monkeypatch.setattr(caseload, "COUNT_CAP", 10)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await dashboard(pilot)
            assert f"1-200 of {caseload.PAGE + 34:,} ([ ] pages)" in screen_text(app)  # the whole caseload: counted
            await type_text(pilot, "smiths")
            await pilot.pause(0.3)
            await settle(pilot)
            assert screen.page is not None and not screen.page.total_exact
            assert f"1-200 of at least {screen.page.total:,} ([ ] pages)" in screen_text(app)

    run(body)
