"""Accounts: secret rules (staff minimum length; student PIN or password by district
setting), administrator resets that force a change, changing one's own secret,
`seop admin` for scripts, and the forced change screen at sign-in."""

from __future__ import annotations

import msgspec
import pytest
from click.testing import CliRunner
from textual.widgets import Input

from screens.app import make_app
from screens.change_secret import ChangeSecretScreen
from screens.student_home import StudentHomeScreen
from seop_tui.cli import main
from seop_tui.services import accounts
from seop_tui.services.accounts import WeakSecret, WrongSecret, admin_reset, change_own_secret, check_secret, system_actor
from seop_tui.services.auth import SignInError, sign_in
from seop_tui.services.context import AccessDenied
from tests.security.world import PASSWORD, PIN
from tests.ui.helpers import run, screen_text, settle, sign_in_as


def _district(ref, **changes):
    return type(ref)(**{**ref.__dict__, "district": msgspec.structs.replace(ref.district, **changes)})


# -- rules ----------------------------------------------------------------------------------


def test_staff_passwords_have_the_district_minimum_length(ref):
    minimum = ref.district.staff_password_min_length
    letters = "plum-river-lantern-quartz-bicycle"
    with pytest.raises(WeakSecret, match=f"at least {minimum} characters"):
        check_secret(ref, "counselor", letters[: minimum - 1])
    check_secret(ref, "counselor", letters[:minimum])
    stricter = _district(ref, staff_password_min_length=20)
    with pytest.raises(WeakSecret, match="at least 20"):
        check_secret(stricter, "teacher", "plum-river-lantern")


def test_a_staff_password_may_not_contain_the_username(ref):
    with pytest.raises(WeakSecret, match="username"):
        check_secret(ref, "teacher", "my-name-is-ms.jones!", "ms.jones")


@pytest.mark.parametrize("pin", ["4821", "90210", "73914062"])
def test_student_pins_of_four_to_eight_digits(ref, pin):
    assert ref.district.student_credential == "pin"
    check_secret(ref, "student", pin)


@pytest.mark.parametrize("pin", ["482", "482193745", "48a1", "4821 ", "", "1111", "1234", "9876", "٤٨٢١"])
def test_bad_or_guessable_pins_are_refused(ref, pin):
    with pytest.raises(WeakSecret):
        check_secret(ref, "student", pin)


def test_a_district_can_give_students_passwords_instead(ref):
    passwords = _district(ref, student_credential="password")
    with pytest.raises(WeakSecret, match="at least 8"):
        check_secret(passwords, "student", "4821")
    check_secret(passwords, "student", "purple-otter")
    assert accounts.secret_kind(passwords, "student") == "password"
    assert len(accounts.generate_secret(passwords, "student")) >= 8


@pytest.mark.parametrize("role", ["student", "teacher", "counselor", "administrator"])
def test_generated_temporary_secrets_fit_the_rules(ref, role):
    for _ in range(20):
        check_secret(ref, role, accounts.generate_secret(ref, role))


# -- resets ----------------------------------------------------------------------------------


def test_an_administrator_reset_forces_a_change_at_next_sign_in(world, ref):
    new = admin_reset(world.store, ref, system_actor(), "counselor_h")
    assert len(new) >= ref.district.staff_password_min_length
    actor = sign_in(world.store, "counselor_h", new, terminal="t")
    assert actor.must_change_secret
    with pytest.raises(Exception):
        sign_in(world.store, "counselor_h", PASSWORD, terminal="t")  # the old one is gone
    row = world.store.one("SELECT * FROM audit_log WHERE action = 'account' ORDER BY id DESC")
    assert row["role"] == "system" and "must change" in row["what"]
    changed = change_own_secret(world.store, ref, actor, new, "a-brand-new-passphrase")
    assert not changed.must_change_secret
    assert not sign_in(world.store, "counselor_h", "a-brand-new-passphrase", terminal="t").must_change_secret


def test_only_administrators_reset_and_a_school_administrator_only_their_school(world, ref):
    for who in ("counselor_h", "teacher_h", "victim_h"):
        with pytest.raises(AccessDenied):
            admin_reset(world.store, ref, world.actor(who), "classmate_h")
    with pytest.raises(AccessDenied):
        admin_reset(world.store, ref, world.actor("principal_m"), "victim_h")  # another school
    with pytest.raises(AccessDenied):
        admin_reset(world.store, ref, world.actor("principal_h"), "district_admin")
    admin_reset(world.store, ref, world.actor("principal_h"), "victim_h")
    admin_reset(world.store, ref, world.actor("district_admin"), "victim_e")


def test_changing_ones_own_secret_needs_the_current_one(world, ref):
    actor = world.actor("victim_h")
    with pytest.raises(WrongSecret):
        change_own_secret(world.store, ref, actor, "0000", "58213")
    with pytest.raises(WeakSecret):
        change_own_secret(world.store, ref, actor, PIN, "1111")
    with pytest.raises(WeakSecret, match="new"):
        change_own_secret(world.store, ref, actor, PIN, PIN)
    change_own_secret(world.store, ref, actor, PIN, "58213")
    assert sign_in(world.store, "victim_h", "58213", terminal="t")
    actions = [r[0] for r in world.store.query("SELECT action FROM audit_log WHERE account_id = ? ORDER BY id", (actor.account_id,))]
    assert "secret_change_failed" in actions and actions[-2:] == ["secret_changed", "sign_in"]


def test_account_lists_never_show_secrets(world):
    listed = accounts.list_accounts(world.store, system_actor())
    assert {a.username for a in listed} >= {"victim_h", "counselor_h"}
    assert not any("argon2" in repr(a) for a in listed)
    mine = accounts.list_accounts(world.store, world.actor("principal_m"))
    assert {a.school for a in mine} == {"MMS"}


# -- seop admin ------------------------------------------------------------------------------------


def test_seop_admin_for_scripts(world, tmp_path):
    db = str(world.store.path)
    runner = CliRunner()
    created = runner.invoke(
        main, ["--db", db, "admin", "create-user", "ms.jones", "--role", "counselor", "--given-name", "Mary", "--family-name", "Jones", "--school", "HHS"]
    )
    assert created.exit_code == 0, created.output
    temporary = created.output.split("Temporary password: ")[1].split()[0]
    assert sign_in(world.store, "ms.jones", temporary, terminal="t").must_change_secret
    weak = runner.invoke(main, ["--db", db, "admin", "reset-password", "ms.jones", "--secret-stdin"], input="short\n")
    assert weak.exit_code != 0 and "at least" in weak.output
    chosen = runner.invoke(main, ["--db", db, "admin", "reset-password", "ms.jones", "--secret-stdin"], input="a-long-enough-secret\n")
    assert chosen.exit_code == 0 and "a-long-enough-secret" not in chosen.output
    assert sign_in(world.store, "ms.jones", "a-long-enough-secret", terminal="t").must_change_secret
    listed = runner.invoke(main, ["--db", db, "admin", "list-users", "--role", "counselor"])
    assert "ms.jones" in listed.output and "must change secret" in listed.output and "argon2" not in listed.output
    student = runner.invoke(main, ["--db", db, "admin", "create-user", "new.kid", "--role", "student", "--student-number", "S-999",
                                   "--given-name", "Noa", "--family-name", "Kim", "--grade", "9", "--school", "HHS"])
    assert student.exit_code == 0 and "Temporary PIN: " in student.output
    missing = runner.invoke(main, ["--db", db, "admin", "create-user", "someone"])
    assert missing.exit_code != 0 and "--role" in missing.output  # no prompt without a terminal


def test_there_is_no_option_to_pass_a_secret_on_the_command_line():
    """A secret given as an argument shows in the process list."""
    for command in ("create-user", "reset-password"):
        help_text = CliRunner().invoke(main, ["admin", command, "--help"]).output
        assert "--password " not in help_text and "--secret " not in help_text and "--pin" not in help_text


# -- the forced change at sign-in ----------------------------------------------------------------------


def test_a_reset_secret_must_be_changed_before_anything_else(world, ref):
    temporary = admin_reset(world.store, ref, system_actor(), "victim_h", "58213")

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, "victim_h", temporary)
            screen = app.screen
            assert isinstance(screen, ChangeSecretScreen) and screen.forced
            assert "set by someone else" in screen_text(app)
            await pilot.press("escape")  # no way round it
            assert app.screen is screen
            fields = list(screen.query(Input))
            assert [f.password for f in fields] == [True, True, True]
            assert all(f.max_length == 8 for f in fields)
            for field, value in zip(fields, (temporary, "70394", "70395")):
                field.value = value
            await pilot.press("enter")
            await settle(pilot)
            assert "not the same" in screen.message
            fields[2].value = "70394"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)
            assert not app.actor.must_change_secret
            assert "set by someone else" not in screen_text(app)
        assert sign_in(world.store, "victim_h", "70394", terminal="t")

    run(body)


def test_the_change_screen_fits_80x24(world, ref):
    admin_reset(world.store, ref, system_actor(), "counselor_h", "temporary-secret-1")

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, "counselor_h", "temporary-secret-1")
            assert isinstance(app.screen, ChangeSecretScreen)
            for widget in app.screen.query("*"):
                if widget.display and widget.region:
                    assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
            text = screen_text(app)
            assert "Save" in text and "Sign out" in text and f"At least {ref.district.staff_password_min_length} characters" in text

    run(body)


def test_the_change_form_takes_keys_arriving_in_one_burst(world, ref):
    """Fast typing over SSH can deliver "PIN<Enter>PIN<Enter>PIN<Enter>" in one read."""
    from textual import events

    temporary = admin_reset(world.store, ref, system_actor(), "victim_h", "58213")

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(sign_in(world.store, "victim_h", temporary, terminal="t"))
            await pilot.pause()
            assert isinstance(app.screen, ChangeSecretScreen)
            for key in [*temporary, "enter", *"70394", "enter", *"70394", "enter"]:
                app.post_message(events.Key(key, "\r" if key == "enter" else key))
            await pilot.pause()
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen), app.screen
        assert sign_in(world.store, "victim_h", "70394", terminal="t")

    run(body)


def test_a_student_changes_their_own_pin_from_home_when_they_choose(world, ref):
    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_as(pilot, "victim_h", PIN)
            await settle(pilot)
            home = app.screen
            assert isinstance(home, StudentHomeScreen)
            assert "c Change PIN" in screen_text(app) and "Change password" not in screen_text(app)
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChangeSecretScreen) and not screen.forced
            await pilot.press("escape")  # a choice, not a must: Escape goes back unchanged
            await settle(pilot)
            assert app.screen is home
            await pilot.press("c")
            await settle(pilot)
            fields = list(app.screen.query(Input))
            for field, value in zip(fields, (PIN, "70394", "70394")):
                field.value = value
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is home
        assert sign_in(world.store, "victim_h", "70394", terminal="t")
        with pytest.raises(SignInError):
            sign_in(world.store, "victim_h", PIN, terminal="t")

    run(body)
