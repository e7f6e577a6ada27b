"""The app shell: sign-in, home by role, sign-out, idle time-out, errors, kiosk rules."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.widgets import Input, Static

from screens.app import IDLE_SIGNED_OUT, SESSION_MODE, SIGN_IN_MODE, SIGNED_OUT, SeopApp
from screens.errors import UNEXPECTED_MESSAGE, ErrorScreen
from screens.signin import NEED_SECRET, NEED_USERNAME, SignInScreen
from screens.staff_home import StaffHomeScreen
from screens.student_home import StudentHomeScreen
from seop_tui.services.auth import FAILED_MESSAGE
from tests.ui.helpers import (
    COUNSELOR_NAME,
    COUNSELOR_PASSWORD,
    COUNSELOR_USERNAME,
    STUDENT_NAME,
    STUDENT_PIN,
    STUDENT_USERNAME,
    run,
    screen_text,
    settle,
    sign_in_as,
    type_text,
)

SIZE = (80, 24)


def sign_in_screen(app: SeopApp) -> SignInScreen:
    assert isinstance(app.screen, SignInScreen), f"expected the sign-in screen, got {app.screen!r}"
    return app.screen


# -- sign-in ------------------------------------------------------------------------


def test_wrong_pin_shows_the_generic_message_and_stays(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, "0000", typed=True)
            screen = sign_in_screen(app)
            assert screen.message == FAILED_MESSAGE
            assert app.actor is None
            assert screen.username.value == STUDENT_USERNAME
            assert screen.secret.value == ""  # the wrong PIN is not left in the field
            assert screen.focused is screen.secret
            assert "do not match" in screen_text(app)

    run(body)


def test_unknown_user_gets_the_same_message(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "nobody.here", "0000")
            assert sign_in_screen(app).message == FAILED_MESSAGE
            assert app.actor is None

    run(body)


def test_empty_fields_are_asked_for_and_nothing_is_checked(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = sign_in_screen(app)
            await pilot.click("#sign-in-button")
            await settle(pilot)
            assert screen.message == NEED_USERNAME
            await type_text(pilot, STUDENT_USERNAME)
            await pilot.click("#sign-in-button")
            await settle(pilot)
            assert screen.message == NEED_SECRET
            assert screen.focused is screen.secret
            assert district.store.one("SELECT count(*) FROM audit_log")[0] == 0

    run(body)


def test_enter_in_username_moves_to_the_pin_field(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = sign_in_screen(app)
            assert screen.focused is screen.username
            await type_text(pilot, STUDENT_USERNAME)
            await pilot.press("enter")
            assert screen.focused is screen.secret
            await type_text(pilot, STUDENT_PIN)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)


def test_student_sees_student_home_with_their_name(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN, typed=True)
            assert isinstance(app.screen, StudentHomeScreen)
            assert app.actor is not None and app.actor.role == "student"
            text = screen_text(app)
            assert f"Signed in as {STUDENT_NAME} (Student)" in text
            assert "Your plan" in text
            assert "Sign out" in text  # the footer hint
            assert "set by someone else" not in text

    run(body)


def test_space_on_the_sign_in_button_signs_in(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, STUDENT_USERNAME)
            await pilot.press("tab")
            await type_text(pilot, STUDENT_PIN)
            await pilot.press("tab")
            assert app.focused is not None and app.focused.id == "sign-in-button"
            await pilot.press("space")
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)


def test_the_session_look_arrives_with_the_sign_in_and_stays_after_sign_out(district):
    # The sign-in screen starts with its own small stylesheet; the rest comes at sign-in.
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(2):
                await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
                top = app.screen.query_one("#top-bar")
                assert top.region.y == 0 and top.region.height == 1  # one line, docked at the top
                assert top.styles.background.ansi is not None  # the bar's colour, not the screen's
                assert screen_text(app).splitlines()[0].startswith(" seop")
                await pilot.press("ctrl+o")
                await settle(pilot)
                sign_in_screen(app)

    run(body)


def test_counselor_sees_staff_home(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            assert isinstance(app.screen, StaffHomeScreen)
            assert app.actor is not None and app.actor.role == "counselor"
            text = screen_text(app)
            assert f"Signed in as {COUNSELOR_NAME} (Counselor)" in text
            assert "Your students" in text

    run(body)


def test_must_change_secret_shows_a_notice(district):
    district.add_student("new.kid", "Noa", must_change=True)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "new.kid", STUDENT_PIN)
            assert "Your PIN was set by someone else" in screen_text(app)

    run(body)


def test_keys_arriving_in_one_burst_still_land_in_the_right_fields(district):
    """Fast typing over SSH can deliver "name<Enter>1234<Enter>" in one read."""

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            keys = [*STUDENT_USERNAME, "enter", *STUDENT_PIN, "enter"]
            for key in keys:
                char = {"enter": "\r", "tab": "\t"}.get(key, key)
                name = "full_stop" if key == "." else key
                app.post_message(events.Key(name, char))
            await pilot.pause()
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)


# -- user text is never markup -------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "family"),
    [("[bold]Zed[/]", "Quinn"), ("[@click=app.quit]x[/]", "Lopez"), ("[b]Ann", "[/][@click=app.bell]y")],
)
def test_names_that_look_like_markup_show_literally(district, given, family):
    district.add_student("odd.name", given, family)

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "odd.name", STUDENT_PIN)
            assert isinstance(app.screen, StudentHomeScreen)
            text = screen_text(app)
            assert f"Signed in as {given} {family} (Student)" in text
            assert f"{given} {family} · Student" in text  # the top bar
            greeting = app.screen.query_one("#home-greeting", Static)
            await pilot.click(greeting, offset=(16, 0))  # on the name: no action runs
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, StudentHomeScreen)

    run(body)


def test_control_characters_in_a_name_are_not_sent_to_the_terminal(district):
    district.add_student("esc.name", "Eve\x1b[2J\x07", "Ray\x9b31m")

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "esc.name", STUDENT_PIN)
            text = screen_text(app)
            assert "Signed in as Eve Ray31m (Student)" in text
            assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text

    run(body)


# -- sign-out and idle time-out -----------------------------------------------------


@pytest.mark.parametrize("key", ["ctrl+o", "f10"])
def test_sign_out_returns_to_a_fresh_sign_in(district, key):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            assert isinstance(app.screen, StudentHomeScreen)
            await pilot.press(key)
            await pilot.pause()
            screen = sign_in_screen(app)
            assert app.actor is None
            assert app.current_mode == SIGN_IN_MODE
            assert screen.username.value == "" and screen.secret.value == ""
            assert screen.focused is screen.username
            assert screen.message == SIGNED_OUT
            text = screen_text(app)
            assert STUDENT_NAME not in text
            assert SESSION_MODE not in app._screen_stacks  # the whole session stack is gone
            # ... and the next person can sign in.
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            assert isinstance(app.screen, StaffHomeScreen)

    run(body)


def test_sign_out_key_is_not_offered_before_sign_in(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen)
            assert "Sign out" not in screen_text(app)

    run(body)


def test_idle_time_out_signs_out_and_clears_the_screen(district):
    async def body():
        app = district.app(idle_seconds=5)  # the idle timer ticks every second
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            assert isinstance(app.screen, StudentHomeScreen)
            app.idle_seconds = 0.2  # now wait, touching nothing, for the real timer
            await asyncio.sleep(1.5)
            await pilot.pause()
            screen = sign_in_screen(app)
            assert app.actor is None
            assert screen.message == IDLE_SIGNED_OUT
            assert STUDENT_NAME not in screen_text(app)

    run(body)


def test_input_keeps_the_session_alive(district):
    async def body():
        app = district.app(idle_seconds=60)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            app.last_input -= 59
            await pilot.press("down")  # any key counts as activity
            await app.check_idle_timeout()
            assert isinstance(app.screen, StudentHomeScreen)
            app.last_input -= 61
            await app.check_idle_timeout()
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen) and app.actor is None

    run(body)


def test_idle_limits_come_from_the_district_settings(district):
    async def body():
        app = district.app()
        timeouts = district.ref.district.idle_timeouts
        async with app.run_test(size=SIZE) as pilot:
            assert app.idle_limit() == timeouts.student_minutes * 60
            await sign_in_as(pilot, COUNSELOR_USERNAME, COUNSELOR_PASSWORD)
            assert app.idle_limit() == timeouts.staff_minutes * 60
            await pilot.press("ctrl+o")
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            assert app.idle_limit() == timeouts.student_minutes * 60

    run(body)


def test_idle_clears_a_half_typed_sign_in(district):
    async def body():
        app = district.app(idle_seconds=60)
        async with app.run_test(size=SIZE) as pilot:
            screen = sign_in_screen(app)
            await type_text(pilot, STUDENT_USERNAME)
            await pilot.press("tab")
            await type_text(pilot, "48")
            app.last_input -= 61
            await app.check_idle_timeout()
            assert screen.username.value == "" and screen.secret.value == ""

    run(body)


# -- unexpected errors and kiosk rules ----------------------------------------------


def test_a_failing_background_task_shows_a_message_not_a_traceback(district, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("seop_tui.services.auth.sign_in", broken)  # the sign-in worker looks it up there

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            await pilot.pause()
            assert isinstance(app.screen, ErrorScreen)
            text = screen_text(app)
            assert UNEXPECTED_MESSAGE in text
            assert "disk on fire" not in text and "Traceback" not in text
            await pilot.press("enter")
            await pilot.pause()
            screen = sign_in_screen(app)
            assert app.is_running and not screen.busy
            monkeypatch.undo()
            assert screen.focused is screen.secret  # the form is as it was: Enter tries again
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)


def test_kiosk_no_command_palette_and_no_suspend(district, monkeypatch):
    assert SeopApp.ENABLE_COMMAND_PALETTE is False
    killed = []
    monkeypatch.setattr("os.kill", lambda *a: killed.append(a))

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen)
            app.action_suspend_process()
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert killed == [] and app.is_running

    run(body)


def test_inputs_do_not_blink_and_the_secret_is_hidden(district):
    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("tab")
            await type_text(pilot, STUDENT_PIN)
            for field in app.screen.query(Input):
                assert field.cursor_blink is False
            assert sign_in_screen(app).secret.password
            assert STUDENT_PIN not in screen_text(app)

    run(body)


def test_everything_fits_at_80x24(district):
    """Each screen's widgets lie inside the 80x24 terminal."""

    async def body():
        app = district.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, STUDENT_USERNAME, "0000")  # with the two-line message
            for widget in app.screen.query("*"):
                if widget.display and widget.region:
                    assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
            await sign_in_as(pilot, STUDENT_USERNAME, STUDENT_PIN)
            for widget in app.screen.query("*"):
                if widget.display and widget.region:
                    assert widget.region.right <= 80 and widget.region.bottom <= 24, widget

    run(body)
