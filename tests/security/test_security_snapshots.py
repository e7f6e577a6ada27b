"""How the security screens look at 80x24 (the forced change of a reset PIN, and the
record of access with fixed rows)."""

from __future__ import annotations

import dataclasses

from screens.app import make_app
from screens.staff.access_history import AccessHistoryScreen
from tests.ui.helpers import settle

SIZE = (80, 24)


def test_forced_change_of_a_reset_pin(world, ref, snap_compare):
    async def signed_in(pilot):
        actor = dataclasses.replace(world.actor("victim_h"), must_change_secret=True)
        await pilot.app.start_session(actor)
        await settle(pilot)

    assert snap_compare(make_app(world.store, ref), terminal_size=SIZE, run_before=signed_in)


def test_record_of_access(world, ref, snap_compare):
    sid = world.students["victim_h"]
    with world.store.write() as db:  # fixed times, so the picture does not change from run to run
        db.execute("DELETE FROM audit_log")
        for n, (who, action, what, terminal) in enumerate(
            [("counselor_h", "view", "plan 2", "ssh:192.0.2.7"), ("victim_h", "change", "goal added", "ssh:192.0.2.31"),
             ("principal_h", "print", "plan 2 version 3", "/dev/pts/4")]
        ):
            account = world.store.one("SELECT id, role FROM accounts WHERE username = ?", (who,))
            db.execute(
                "INSERT INTO audit_log (at, account_id, role, action, student_id, what, terminal) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [f"2026-10-0{n + 1}T15:3{n}:00+00:00", account[0], account[1], action, sid, what, terminal],
            )

    async def opened(pilot):
        await pilot.app.start_session(world.actor("counselor_h"))
        await pilot.app.push_screen(AccessHistoryScreen(pilot.app.actor, sid))
        await settle(pilot)
        # Reading the history adds a row stamped now: show the fixed rows only.
        table = pilot.app.screen.query_one("#access-table")
        table.remove_row(list(table.rows)[0])
        pilot.app.screen.show_message("3 entries. e: export as CSV.")
        await pilot.pause()

    assert snap_compare(make_app(world.store, ref), terminal_size=SIZE, run_before=opened)
