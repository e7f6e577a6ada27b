"""The audit trail: who did what to which student's record, when, from where."""

from __future__ import annotations

import sqlite3

from seop_tui.services.context import Actor, now_utc


def record(conn: sqlite3.Connection, actor: Actor | None, action: str, student_id: int | None = None, what: str = "") -> None:
    """Write one audit row on `conn` (inside the caller's transaction when there is one)."""
    conn.execute(
        "INSERT INTO audit_log (at, account_id, role, action, student_id, what, terminal) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            now_utc(),
            actor.account_id if actor else None,
            actor.role if actor else None,
            action,
            student_id,
            what,
            actor.terminal if actor else "",
        ),
    )
