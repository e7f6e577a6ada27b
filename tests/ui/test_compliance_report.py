"""The compliance report screen at 80x24: its choices, long "missing" texts, long lists."""

from __future__ import annotations

from textual.widgets import DataTable, Select, Static
from textual.widgets._select import SelectOverlay

from screens.staff import compliance_report as screen_module
from screens.staff.compliance_report import ComplianceReportScreen
from tests.ui.helpers import run, screen_text, settle
from tests.ui.test_staff_part2 import SIZE, fixed_today, open_screen, staff  # noqa: F401 (fixtures)


def test_year_and_scope_lists_offer_only_real_choices(staff):  # noqa: F811
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ComplianceReportScreen(staff.actor))
            for selector, first in (("#cr-year", "2026-27"), ("#cr-scope", "My caseload")):
                select = app.screen.query_one(selector, Select)
                overlay = select.query_one(SelectOverlay)
                assert str(overlay.get_option_at_index(0).prompt) == first  # no blank line above it
                assert select.value != Select.NULL

    run(body)


def test_long_missing_text_fits_the_line_and_is_shown_whole_below(staff):  # noqa: F811
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ComplianceReportScreen(staff.actor))
            app.screen.query_one("#cr-clauses", DataTable).move_cursor(row=1)  # 3.2.3.1: progress, a long list
            await settle(pilot)
            students = app.screen.query_one("#cr-students", DataTable)
            whole = "no state assessment results on file; no accomplishments recorded; no strengths recorded"
            assert str(students.get_row_at(0)[1]) == whole  # the cell holds it all ...
            assert students.max_scroll_x == 0  # ... but the table does not scroll sideways
            (line,) = [t for t in screen_text(app).splitlines() if t.startswith("  Classmate, Ben (7)")]
            assert line.rstrip().endswith("…") and "no state assessment results on file" in line
            students.focus()
            students.move_cursor(row=0)
            await settle(pilot)
            detail = str(app.screen.query_one("#cr-detail", Static).render())
            assert detail.endswith(whole) and "\n" not in detail.replace(" \n", " ")

    run(body)


def test_a_long_list_shows_its_first_students_and_points_to_the_csv(staff, monkeypatch):  # noqa: F811
    monkeypatch.setattr(screen_module, "LISTED_MAX", 2)

    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ComplianceReportScreen(staff.actor))
            students = app.screen.query_one("#cr-students", DataTable)
            assert "Not meeting 3.2.1 (6)" in screen_text(app)
            assert students.row_count == 3
            assert [str(c) for c in students.get_row_at(2)] == ["... and 4 more", "Export the CSV (x) for the whole list."]

    run(body)
