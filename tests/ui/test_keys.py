"""F1 lists every key of the screen (the footer has room for the main ones only at 80
columns), and staff change their own password from the dashboard with p."""

from __future__ import annotations

from screens.change_secret import ChangeSecretScreen
from screens.keys import KeysScreen
from screens.staff.dashboard import CaseloadDashboard
from seop_tui.services.auth import verify_secret
from tests.ui.helpers import COUNSELOR_PASSWORD, COUNSELOR_USERNAME, run, screen_text, settle, sign_in_as
from tests.ui.test_staff_part1 import setup_caseload

SIZE = (80, 24)
NEW_PASSWORD = "a longer passphrase 7"


def test_f1_lists_the_dashboard_keys_and_closes_again(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            assert "F1 all keys" in screen_text(app)
            await pilot.press("down")  # to the list: letters are keys there, not typing
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, KeysScreen)
            rows = app.screen.rows
            for row in (("p", "Change my password"), ("shift+s", "Reverse sort"), ("]", "Next page"), ("f5", "Refresh"), ("^o / f10", "Sign out")):
                assert row in rows
            assert not any(what in ("Focus Next", "Quit", "Copy selected text") for _, what in rows)  # Textual's own keys stay out
            text = screen_text(app)
            assert "Keys on this screen" in text and "Change my password" in text
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, CaseloadDashboard)

    run(body)


def test_staff_change_their_own_password_from_the_dashboard(district):
    setup_caseload(district)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            app.screen.query_one("#caseload").focus()
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, ChangeSecretScreen)
            await pilot.press(*COUNSELOR_PASSWORD, "tab", *NEW_PASSWORD, "tab", *NEW_PASSWORD, "enter")
            await settle(pilot)
            assert isinstance(app.screen, CaseloadDashboard)

    run(body)
    stored = district.store.one("SELECT secret_hash FROM accounts WHERE username = ?", (COUNSELOR_USERNAME,))[0]
    assert verify_secret(stored, NEW_PASSWORD) and not verify_secret(stored, COUNSELOR_PASSWORD)


def test_a_student_who_forgot_their_pin_gets_a_new_one_from_their_record(district):
    from screens.errors import ErrorScreen
    from screens.question import Question
    from screens.staff.student_record import StudentRecordScreen
    from tests.ui.helpers import STUDENT_PIN, STUDENT_USERNAME

    setup_caseload(district)
    sid = district.store.one("SELECT s.id FROM students s JOIN accounts a ON a.id = s.account_id WHERE a.username = ?", (STUDENT_USERNAME,))[0]

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            await app.push_screen(StudentRecordScreen(app.actor, sid))
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            assert isinstance(app.screen, Question) and "new temporary PIN?" in screen_text(app)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, ErrorScreen)
            text = screen_text(app)
            assert f"Username: {STUDENT_USERNAME}" in text
            pin = next(line.split("Temporary PIN: ")[1].split()[0] for line in text.splitlines() if "Temporary PIN: " in line)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, StudentRecordScreen)
            shown.append(pin)

    shown: list[str] = []
    run(body)
    pin = shown[0]
    stored = district.store.one("SELECT secret_hash, must_change_secret FROM accounts WHERE username = ?", (STUDENT_USERNAME,))
    assert verify_secret(stored[0], pin) and not verify_secret(stored[0], STUDENT_PIN) and stored[1] == 1
