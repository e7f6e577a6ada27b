"""The caseload dashboard builds what can be seen, not the whole page.

A page holds up to caseload.PAGE students. Only a screenful or two of rows go into
the table at first (each row added is measured and kept by the DataTable), and the
costly columns (conference and credit rules) are worked out for the rows in view:
before, all of a 400-student caseload's first page was added and worked out before
the dashboard settled.
"""

from __future__ import annotations

from textual.widgets import DataTable

from screens.staff.choice import FilterChoice
from screens.staff.dashboard import NOT_YET, CaseloadDashboard
from seop_tui.services import caseload
from tests.ui.conftest import district, hashes, reference  # noqa: F401 (fixtures)
from tests.ui.helpers import COUNSELOR_PASSWORD, COUNSELOR_USERNAME, run, settle, sign_in_as
from tests.ui.test_staff_part1 import setup_caseload

SIZE = (80, 24)
STUDENTS = 150  # a page (caseload.PAGE) holds them all


def big_caseload(district) -> None:
    setup_caseload(district)
    with district.store.write() as db:
        rows = [
            {"student_number": f"9{n:05}", "given_name": f"Given{n:03}", "family_name": f"Family{n:03}", "grade": 9, "school_id": district.school_id}
            for n in range(STUDENTS - 4)
        ]
        db["students"].insert_all(rows)
        db.execute("UPDATE students SET counselor_id = (SELECT id FROM staff LIMIT 1)")


def test_rows_and_costly_columns_are_built_for_the_view(district, monkeypatch):
    big_caseload(district)
    asked: list[int] = []
    real = caseload.row_details

    def counting(store, ref, actor, student_ids):
        asked.extend(student_ids)
        return real(store, ref, actor, student_ids)

    monkeypatch.setattr(caseload, "row_details", counting)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CaseloadDashboard)
            table = screen.query_one("#caseload", DataTable)
            view = table.scrollable_content_region.height
            assert screen.page is not None and len(screen.page.rows) == STUDENTS
            assert view < table.row_count <= 2 * view + 20 < STUDENTS
            first = {r.student_id for r in screen.page.rows[:view]}
            assert first <= set(asked) and len(asked) <= max(20, view)  # the rows in view, once
            assert all(screen.details.get(sid) for sid in first)

            await pilot.press("down", "end")  # into the list, to its last student
            await pilot.pause(0.3)
            await settle(pilot)
            assert table.row_count == STUDENTS and table.cursor_row == STUDENTS - 1
            last = {r.student_id for r in screen.page.rows[-view + 1 :]}
            assert last <= set(asked)  # the rows now in view were worked out ...
            assert len(asked) == len(set(asked)) < 3 * view  # ... and not the rows passed on the way
            row = table.get_row_at(STUDENTS - 1)
            assert NOT_YET not in (str(row[4]), str(row[6]))

    run(body)


def test_each_filter_is_one_widget(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            await settle(pilot)
            filters = app.screen.query_one("#caseload-filters")
            assert len(filters.query(FilterChoice)) == 4
            assert [type(w).__name__ for w in filters.walk_children()] == ["SearchBox", *["FilterChoice"] * 4]

    run(body)
