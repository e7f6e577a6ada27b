"""The contract later screens rely on: push a section from home, Escape goes back,
sign-out and idle time-out let open screens save, then throw the session away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from screens.base import SectionScreen
from screens.signin import SignInScreen
from screens.student_home import StudentHomeScreen
from tests.ui.helpers import STUDENT_NAME, STUDENT_PIN, STUDENT_USERNAME, run, screen_text, sign_in_as


class NotesSection(SectionScreen):
    SECTION = "Notes"
    saved: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Type a note", markup=False)
        yield Input(id="note")

    async def save_before_sign_out(self) -> None:
        NotesSection.saved.append(self.query_one("#note", Input).value)


def open_notes(app) -> NotesSection:
    home = app.screen
    assert isinstance(home, StudentHomeScreen)
    section = NotesSection(home.actor)
    app.push_screen(section)
    return section


def test_a_section_opens_over_home_and_escape_goes_back(district):
    async def body():
        app = district.app()
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            open_notes(app)
            await pilot.pause()
            text = screen_text(app)
            assert "seop  Notes" in text and f"{STUDENT_NAME} · Student" in text
            assert "Back" in text and "Sign out" in text  # both keys in the footer
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)


def test_sign_out_from_a_section_saves_first_and_clears_everything(district):
    NotesSection.saved.clear()

    async def body():
        app = district.app()
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            open_notes(app)
            await pilot.pause()
            await pilot.press(*"half a thought")
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert NotesSection.saved == ["half a thought"]
            assert isinstance(app.screen, SignInScreen)
            assert len(app.screen_stack) == 1
            assert "half a thought" not in screen_text(app)

    run(body)


def test_idle_time_out_from_a_section_saves_too(district):
    NotesSection.saved.clear()

    async def body():
        app = district.app(idle_seconds=60)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            open_notes(app)
            await pilot.pause()
            await pilot.press(*"draft")
            app.last_input -= 61
            await app.check_idle_timeout()
            await pilot.pause()
            assert NotesSection.saved == ["draft"]
            assert isinstance(app.screen, SignInScreen) and app.actor is None

    run(body)
