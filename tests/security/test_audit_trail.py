"""The audit trail: every view, change, export and print of a student's record writes
who, when, what and from which terminal; counselors and administrators of the
student's school can read that record of access and export it as CSV."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from textual.widgets import DataTable

from screens.app import make_app
from screens.staff.access_history import AccessHistoryScreen
from seop_tui.services import audit, privacy
from seop_tui.services.auth import sign_in
from seop_tui.services.context import AccessDenied, terminal_name
from tests.security.calls import arguments, call, name_of, student_functions
from tests.security.world import PASSWORD
from tests.ui.helpers import run, screen_text, settle

RIGHT_USERS = ("victim_h", "teacher_h", "counselor_h", "principal_h", "district_admin")
NOT_AUDITED = {
    "conferences.student_heading": "name and grade for a heading (directory information); access is checked",
}


def test_the_terminal_is_the_ssh_client_address(world, monkeypatch):
    monkeypatch.setenv("SSH_CLIENT", "203.0.113.5 52144 22")
    assert terminal_name() == "ssh:203.0.113.5"
    actor = sign_in(world.store, "counselor_h", PASSWORD)
    assert actor.terminal == "ssh:203.0.113.5"
    row = world.store.one("SELECT * FROM audit_log WHERE action = 'sign_in' ORDER BY id DESC")
    assert row["terminal"] == "ssh:203.0.113.5"
    monkeypatch.delenv("SSH_CLIENT")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    assert not terminal_name().startswith("ssh:")


@pytest.mark.parametrize("fn", student_functions(), ids=name_of)
def test_every_service_call_on_a_record_is_audited(world, tmp_path, fn):
    """Called by someone allowed, each service writes at least one audit row naming
    the actor, the time, the action, what, and the terminal."""
    if name_of(fn) in NOT_AUDITED:
        pytest.skip(NOT_AUDITED[name_of(fn)])
    last = world.store.one("SELECT max(id) FROM audit_log")[0]
    outcome = None
    for who in RIGHT_USERS:
        args, kwargs = arguments(fn, world, "victim_h", tmp_path, actor=world.actor(who))
        try:
            call(fn, args, kwargs)
        except AccessDenied:
            continue
        except Exception as exc:
            outcome = f"{who}: {type(exc).__name__}: {exc}"
            continue
        outcome = who
        break
    if outcome is None or ":" in outcome:
        pytest.skip(f"no generic call succeeded ({outcome}); its own tests cover it")
    rows = world.store.query("SELECT * FROM audit_log WHERE id > ?", (last,))
    assert rows, f"{name_of(fn)} wrote no audit row"
    actor = world.actor(outcome)
    mine = [r for r in rows if r["account_id"] == actor.account_id]
    assert mine and all(r["at"] and r["action"] and r["role"] == actor.role and r["terminal"] == "test-terminal" for r in mine)
    list_call = "student_ids" in kwargs or any(isinstance(a, list) for a in args)
    assert list_call or any(r["student_id"] == world.students["victim_h"] for r in mine)


# -- the record of access --------------------------------------------------------------------


def test_record_keepers_read_the_history_and_reading_it_is_recorded(world):
    sid = world.students["victim_h"]
    history = audit.access_history(world.store, world.actor("counselor_h"), sid)
    assert history.student_number == "S-victim_h"
    newest = history.entries[0]
    assert (newest.action_label, newest.what, newest.role, newest.terminal) == ("Viewed", "record of access", "counselor", "test-terminal")
    assert any(e.terminal == "ssh:192.0.2.7" for e in history.entries)  # the seeded row
    for who in ("principal_h", "district_admin"):
        audit.access_history(world.store, world.actor(who), sid)


@pytest.mark.parametrize("who", ["victim_h", "teacher_h", "classmate_h", "counselor_m", "principal_e"])
def test_others_cannot_read_the_history(world, who):
    with pytest.raises(AccessDenied):
        audit.access_history(world.store, world.actor(who), world.students["victim_h"])


def test_history_exports_as_owner_only_csv_that_a_spreadsheet_will_not_run(world, tmp_path):
    sid = world.students["victim_h"]
    with world.store.write():
        audit.record(world.store.conn, world.actor("counselor_h"), "view", sid, '=HYPERLINK("http://x","y")')
    path = privacy.export_access_history(world.store, world.actor("counselor_h"), sid, tmp_path / "history.csv")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["when_utc", "who", "role", "action", "what", "terminal"]
    assert ["'=HYPERLINK(\"http://x\",\"y\")"] == [r[4] for r in rows if "HYPERLINK" in r[4]]
    assert "\x1b" not in path.read_text(encoding="utf-8")
    last = world.store.one("SELECT action, what FROM audit_log ORDER BY id DESC LIMIT 1")
    assert tuple(last) == ("export", "record of access (CSV)")


def test_access_history_screen(world, ref, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # the reports folder is under home
    sid = world.students["victim_h"]

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("counselor_h"))
            await app.push_screen(AccessHistoryScreen(app.actor, sid))
            await settle(pilot)
            screen = app.screen
            table = screen.query_one(DataTable)
            assert table.row_count == len(audit.entries_for(world.store, sid))
            text = screen_text(app)
            assert "(S-victim_h)" in text and "Export CSV" in text and "Back" in text
            await pilot.press("e")
            await settle(pilot)
            assert screen.message.startswith("Saved the record of access to ")
            written = list((tmp_path / "seop-reports").glob("access-*.csv"))
            assert len(written) == 1 and stat.S_IMODE(os.stat(written[0]).st_mode) == 0o600
            await pilot.press("escape")
            assert not isinstance(app.screen, AccessHistoryScreen)

    run(body)


def test_access_history_screen_refuses_a_teacher(world, ref):
    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("teacher_h"))
            await app.push_screen(AccessHistoryScreen(app.actor, world.students["victim_h"]))
            await settle(pilot)
            assert "counselor or administrator" in app.screen.message
            assert app.screen.query_one(DataTable).row_count == 0

    run(body)


def test_signing_out_and_timing_out_are_recorded(world, ref):
    async def body():
        app = make_app(world.store, ref, idle_seconds=60)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("victim_h"))
            await pilot.press("ctrl+o")
            await settle(pilot)
            await app.start_session(world.actor("counselor_h"))
            app.last_input -= 61
            await app.check_idle_timeout()
            await settle(pilot)
            await app.start_session(world.actor("victim_h"))
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert app.is_running and app.actor is None

    run(body)
    rows = world.store.query("SELECT a.username, l.what FROM audit_log l JOIN accounts a ON a.id = l.account_id WHERE l.action = 'sign_out' ORDER BY l.id")
    assert [tuple(r) for r in rows] == [("victim_h", "signed out"), ("counselor_h", "idle time-out"), ("victim_h", "quit key")]


def test_the_staff_record_opens_the_history_with_h(world, ref):
    from screens.staff.student_record import StudentRecordScreen

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("counselor_h"))
            await app.push_screen(StudentRecordScreen(app.actor, world.students["victim_h"]))
            await settle(pilot)
            await pilot.press("h")
            await settle(pilot)
            assert isinstance(app.screen, AccessHistoryScreen)
            assert app.screen.history is not None and app.screen.history.student_number == "S-victim_h"

    run(body)
