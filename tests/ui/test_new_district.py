"""A district's first day: the administrator made by `seop setup` signs in, chooses a
password, and finds an empty dashboard that says where students come from."""

from __future__ import annotations

from screens.app import make_app
from screens.staff.compliance_report import ComplianceReportScreen
from screens.staff.dashboard import CaseloadDashboard
from seop_tui.services.accounts import system_actor
from seop_tui.services.school_year import set_up_district
from seop_tui.storage import open_store
from tests.ui.helpers import run, screen_text, settle, sign_in_as

FIRST = "first-admin-password-1"
CHOSEN = "district-admin-pw-2"


def test_the_first_administrator_signs_in_to_an_empty_district(tmp_path, reference):
    store = open_store(tmp_path / "new.db")
    set_up_district(store, reference, system_actor(), year="2026-27", username="boss", given_name="Ada", family_name="Boss", secret=FIRST)

    async def body():
        app = make_app(store, reference)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, "boss", FIRST)
            assert "Choose your own password" in screen_text(app)
            await pilot.press(*FIRST, "tab", *CHOSEN, "tab", *CHOSEN, "enter")
            await settle(pilot)
            assert isinstance(app.screen, CaseloadDashboard)
            text = screen_text(app)
            assert "Ada Boss · Administrator" in text and "Whole district" in text
            assert "No students on file yet: `seop import roster` brings them in." in text
            # The empty list still takes the keys: the district report opens, empty.
            await pilot.press("down", "r")
            await settle(pilot)
            assert isinstance(app.screen, ComplianceReportScreen)

    try:
        run(body)
        assert store.one("SELECT must_change_secret FROM accounts WHERE username = 'boss'")[0] == 0
    finally:
        store.close()
