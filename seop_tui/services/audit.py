"""The audit trail: who did what to which student's record, when, from where.

Every service writes a row for each view, change, export or print of a
student's record (`record`, inside the same transaction as the change). The
rows for one student are that student's record of access (FERPA, 34 CFR
99.32): staff who keep the record (the school's counselors and
administrators) can read it (`access_history`) and export it as CSV
(services.privacy.export_access_history).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from seop_tui.services.access import require_access
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.storage import Store

RECORD_KEEPERS = ("counselor", "administrator")
ACTION_LABELS = {
    "view": "Viewed",
    "change": "Changed",
    "export": "Exported",
    "print": "Printed",
    "report": "Report",
    "sign_in": "Signed in",
    "sign_out": "Signed out",
    "account": "Account",
    "secret_changed": "Changed own PIN/password",
    "secret_change_failed": "PIN/password change refused",
    "inspection": "Inspection request",
    "amendment": "Amendment request",
    "delete": "Deleted",
}


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


def record_many(conn: sqlite3.Connection, actor: Actor, action: str, student_ids: Iterable[int], what: str) -> None:
    """One row per student, as `record` writes them (a report file that lists thousands of students)."""
    at = now_utc()
    conn.executemany(
        "INSERT INTO audit_log (at, account_id, role, action, student_id, what, terminal) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((at, actor.account_id, actor.role, action, sid, what, actor.terminal) for sid in student_ids),
    )


def require_record_keeper(store: Store, actor: Actor, student_id: int) -> None:
    """The student's counselors and administrators (with access to the student) only."""
    require_access(store, actor, student_id)
    if actor.role not in RECORD_KEEPERS:
        raise AccessDenied("Only a counselor or administrator of the student's school can do this.")


@dataclass(frozen=True)
class AccessEntry:
    at: str  # UTC, ISO 8601
    who: str
    role: str
    action: str  # the stored action code
    what: str
    terminal: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())


_HISTORY_SQL = """
SELECT l.at, l.role, l.action, l.what, l.terminal, l.account_id,
       coalesce(t.given_name || ' ' || t.family_name, s.given_name || ' ' || s.family_name, a.username) AS name
FROM audit_log l
LEFT JOIN accounts a ON a.id = l.account_id
LEFT JOIN staff t ON t.account_id = l.account_id
LEFT JOIN students s ON s.account_id = l.account_id
WHERE l.student_id = ?
ORDER BY l.at DESC, l.id DESC
"""


def _who(row) -> str:
    if row["role"] == "system":
        return "Server command line"
    return row["name"] or "(unknown account)"


def entries_for(store: Store, student_id: int, limit: int | None = None) -> list[AccessEntry]:
    """The rows, newest first, with no access check and no audit row: callers do both."""
    sql = _HISTORY_SQL + (" LIMIT ?" if limit else "")
    params = (student_id, limit) if limit else (student_id,)
    return [
        AccessEntry(r["at"], _who(r), r["role"] or "", r["action"], r["what"] or "", r["terminal"] or "")
        for r in store.query(sql, params)
    ]


@dataclass(frozen=True)
class AccessHistory:
    student_name: str
    student_number: str
    entries: list[AccessEntry]  # newest first


def access_history(store: Store, actor: Actor, student_id: int, *, limit: int | None = None) -> AccessHistory:
    """Who viewed, changed, exported or printed the student's record, newest first.

    Reading it is itself recorded (and shown first)."""
    require_record_keeper(store, actor, student_id)
    with store.write():
        record(store.conn, actor, "view", student_id, "record of access")
    s = store.one("SELECT given_name, family_name, student_number FROM students WHERE id = ?", (student_id,))
    return AccessHistory(f"{s['given_name']} {s['family_name']}", s["student_number"], entries_for(store, student_id, limit))
