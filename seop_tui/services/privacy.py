"""Parents' and students' rights over the record (FERPA, 34 CFR 99.10-99.22).

- An inspection request is recorded with the day it was received and is due
  within 45 days; it is fulfilled by showing or giving the full record
  (`export_full_record`: JSON with everything, PDF of each year's plan).
- The record of access (services.audit) is part of the record; it can be
  exported as CSV (`export_access_history`).
- An amendment request is recorded with what the requester asks to change and,
  later, the outcome (amended, or refused with the reason and, if the parent
  wants, their statement kept with the record).
- While an inspection request is open, the record may not be destroyed: both
  `withdraw_student` and `delete_student_record` refuse (RecordOnHold).

Only the student's record keepers (counselors and administrators of the
student's school, district administrators) do these things.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from pathlib import Path

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.audit import entries_for, require_record_keeper
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.storage import Store
from seop_tui.text import LONG, SHORT, clean, strip_controls

INSPECTION_DAYS = 45
RELATIONSHIPS = ("parent", "guardian", "eligible_student", "other")
OUTCOMES = ("amended", "refused")
# Tables other records point at that belong to no one student: never part of one
# student's record, never deleted with it.
SHARED_TABLES = frozenset({"district", "schools", "school_years", "staff", "accounts"})
# Rows a student's link rows point at that are part of that student's record too.
LINKED_PARENTS = ("conferences", "guardians")
OWN_DETAILS = {"conferences": ("conference_attendees",)}


class RecordOnHold(Exception):
    """The record cannot be withdrawn or destroyed while an inspection request is open."""


class PrivacyError(ValueError):
    """Bad input for a request; the message says what to fix."""


@dataclass(frozen=True)
class InspectionRequest:
    id: int
    student_id: int
    requested_by: str
    relationship: str
    received_on: str
    due_on: str
    fulfilled_on: str | None
    fulfilled_how: str | None
    notes: str | None

    @property
    def is_open(self) -> bool:
        return self.fulfilled_on is None


@dataclass(frozen=True)
class AmendmentRequest:
    id: int
    student_id: int
    requested_by: str
    relationship: str
    received_on: str
    record_part: str | None
    change_requested: str
    outcome: str  # pending | amended | refused
    decided_on: str | None
    reason: str | None
    statement: str | None


def _day(value: date | str, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise PrivacyError(f"{what} must be a date like 2026-09-14.") from None


def _relationship(value: str) -> str:
    if value not in RELATIONSHIPS:
        raise PrivacyError(f"Relationship must be one of: {', '.join(RELATIONSHIPS)}.")
    return value


def _row_student(store: Store, table: str, row_id: int) -> int:
    row = store.one(f"SELECT student_id FROM {table} WHERE id = ?", (row_id,))
    if row is None:
        raise LookupError(f"No such request ({row_id}).")
    return row[0]


# -- inspection requests -----------------------------------------------------------


def record_inspection_request(
    store: Store, actor: Actor, student_id: int, *, requested_by: str, relationship: str, received_on: date | str, notes: str = ""
) -> InspectionRequest:
    """Record a request to inspect the student's record; it is due 45 days after receipt."""
    require_record_keeper(store, actor, student_id)
    received = _day(received_on, "The day it was received")
    if received > date.today():
        raise PrivacyError("The day it was received cannot be in the future.")
    row = {
        "student_id": student_id,
        "requested_by": clean(requested_by),
        "relationship": _relationship(relationship),
        "received_on": received.isoformat(),
        "due_on": (received + timedelta(days=INSPECTION_DAYS)).isoformat(),
        "notes": clean(notes, limit=LONG, multiline=True),
        "recorded_by": actor.account_id or None,
        "created_at": now_utc(),
    }
    if not row["requested_by"]:
        raise PrivacyError("Say who made the request.")
    with store.write() as db:
        request_id = db["inspection_requests"].insert(row).last_pk
        audit.record(store.conn, actor, "inspection", student_id, f"inspection request {request_id} received {row['received_on']}, due {row['due_on']}")
    return _inspection(store, request_id)


def fulfil_inspection_request(store: Store, actor: Actor, inspection_id: int, *, fulfilled_on: date | str, how: str) -> InspectionRequest:
    """Record that the requester was given the record (how: in person, copies given ...)."""
    student_id = _row_student(store, "inspection_requests", inspection_id)
    require_record_keeper(store, actor, student_id)
    current = _inspection(store, inspection_id)
    day = _day(fulfilled_on, "The day it was fulfilled")
    if day < date.fromisoformat(current.received_on):
        raise PrivacyError("It cannot be fulfilled before it was received.")
    how = clean(how, limit=SHORT)
    if not how:
        raise PrivacyError("Say how the record was given (in person, copies given ...).")
    with store.write() as db:
        db.execute(
            "UPDATE inspection_requests SET fulfilled_on = ?, fulfilled_how = ?, fulfilled_by = ? WHERE id = ?",
            [day.isoformat(), how, actor.account_id or None, inspection_id],
        )
        audit.record(store.conn, actor, "inspection", student_id, f"inspection request {inspection_id} fulfilled {day.isoformat()}")
    return _inspection(store, inspection_id)


def inspection_requests(store: Store, actor: Actor, student_id: int) -> list[InspectionRequest]:
    return _requests(store, actor, student_id, "inspection_requests", _inspection)


def _inspection(store: Store, request_id: int) -> InspectionRequest:
    return _row_as(InspectionRequest, store, "inspection_requests", request_id)


def _row_as(cls, store: Store, table: str, row_id: int):
    row = store.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    return cls(**{f.name: row[f.name] for f in fields(cls)})


def _requests(store: Store, actor: Actor, student_id: int, table: str, read) -> list:
    """A student's requests of one kind, newest first (audited as a view)."""
    require_record_keeper(store, actor, student_id)
    rows = store.query(f"SELECT id FROM {table} WHERE student_id = ? ORDER BY received_on DESC, id DESC", (student_id,))
    with store.write():
        audit.record(store.conn, actor, "view", student_id, table.replace("_", " "))
    return [read(store, r[0]) for r in rows]


def _open_inspection(store: Store, student_id: int):
    return store.one(
        "SELECT requested_by, received_on, due_on FROM inspection_requests WHERE student_id = ? AND fulfilled_on IS NULL ORDER BY received_on LIMIT 1",
        (student_id,),
    )


# -- amendment requests ---------------------------------------------------------------


def record_amendment_request(
    store: Store,
    actor: Actor,
    student_id: int,
    *,
    requested_by: str,
    relationship: str,
    received_on: date | str,
    record_part: str,
    change_requested: str,
) -> AmendmentRequest:
    """Record a request to change part of the record the requester believes is wrong."""
    require_record_keeper(store, actor, student_id)
    received = _day(received_on, "The day it was received")
    row = {
        "student_id": student_id,
        "requested_by": clean(requested_by),
        "relationship": _relationship(relationship),
        "received_on": received.isoformat(),
        "record_part": clean(record_part),
        "change_requested": clean(change_requested, limit=LONG, multiline=True),
        "outcome": "pending",
        "recorded_by": actor.account_id or None,
        "created_at": now_utc(),
    }
    if not row["requested_by"] or not row["change_requested"]:
        raise PrivacyError("Say who made the request and what they ask to change.")
    with store.write() as db:
        request_id = db["amendment_requests"].insert(row).last_pk
        audit.record(store.conn, actor, "amendment", student_id, f"amendment request {request_id} received {row['received_on']}")
    return _amendment(store, request_id)


def decide_amendment_request(
    store: Store, actor: Actor, amendment_id: int, *, outcome: str, decided_on: date | str, reason: str, statement: str = ""
) -> AmendmentRequest:
    """Record the outcome. A refusal keeps the reason and the requester's statement, if any."""
    student_id = _row_student(store, "amendment_requests", amendment_id)
    require_record_keeper(store, actor, student_id)
    if outcome not in OUTCOMES:
        raise PrivacyError(f"Outcome must be one of: {', '.join(OUTCOMES)}.")
    day = _day(decided_on, "The day it was decided")
    reason = clean(reason, limit=LONG, multiline=True)
    if outcome == "refused" and not reason:
        raise PrivacyError("Give the reason for refusing; the requester is told it, and of their right to a hearing.")
    with store.write() as db:
        db.execute(
            "UPDATE amendment_requests SET outcome = ?, decided_on = ?, reason = ?, statement = ?, decided_by = ? WHERE id = ?",
            [outcome, day.isoformat(), reason, clean(statement, limit=LONG, multiline=True), actor.account_id or None, amendment_id],
        )
        audit.record(store.conn, actor, "amendment", student_id, f"amendment request {amendment_id}: {outcome} {day.isoformat()}")
    return _amendment(store, amendment_id)


def amendment_requests(store: Store, actor: Actor, student_id: int) -> list[AmendmentRequest]:
    return _requests(store, actor, student_id, "amendment_requests", _amendment)


def _amendment(store: Store, request_id: int) -> AmendmentRequest:
    return _row_as(AmendmentRequest, store, "amendment_requests", request_id)


# -- everything stored about one student -------------------------------------------------


def _foreign_keys(conn) -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, parent table)] for every table in the database."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [(fk[3], fk[2]) for fk in conn.execute(f"PRAGMA foreign_key_list('{t}')")] for t in tables}


def linked_rowids(conn, student_id: int) -> dict[str, set[int]]:
    """Every row that belongs to the student's record, by table (rowids).

    Found from the schema's foreign keys, so tables added later are covered:
    rows pointing at the student, rows pointing at those (a plan's goals, a
    goal's updates ...), the conferences and guardians the student's link rows
    point at, and those conferences' attendee rows."""
    fks = _foreign_keys(conn)
    ids: dict[str, set[int]] = {"students": {student_id}}
    rowids: dict[str, set[int]] = {"students": {student_id}}

    def grow(from_tables: set[str]) -> None:
        pending = set(from_tables)
        while pending:
            parent = pending.pop()
            for table, cols in fks.items():
                if table in SHARED_TABLES:
                    continue
                for column, target in cols:
                    if target != parent or not ids.get(parent):
                        continue
                    marks = ",".join("?" * len(ids[parent]))
                    has_id = any(c[1] == "id" for c in conn.execute(f"PRAGMA table_info('{table}')"))
                    found = conn.execute(
                        f"SELECT rowid{', id' if has_id else ''} FROM '{table}' WHERE \"{column}\" IN ({marks})", tuple(ids[parent])
                    ).fetchall()
                    new = {r[0] for r in found} - rowids.get(table, set())
                    if new:
                        rowids.setdefault(table, set()).update(new)
                        if has_id:
                            ids.setdefault(table, set()).update(r[1] for r in found)
                        pending.add(table)

    grow({"students"})
    for table, cols in list(fks.items()):
        for column, target in cols:
            if target in LINKED_PARENTS and rowids.get(table):
                marks = ",".join("?" * len(rowids[table]))
                parents = {r[0] for r in conn.execute(f"SELECT \"{column}\" FROM '{table}' WHERE rowid IN ({marks})", tuple(rowids[table])) if r[0]}
                rowids.setdefault(target, set()).update(parents)
    for parent, details in OWN_DETAILS.items():
        for detail in details:
            for column, target in fks.get(detail, ()):
                if target == parent and rowids.get(parent):
                    marks = ",".join("?" * len(rowids[parent]))
                    found = conn.execute(f"SELECT rowid FROM '{detail}' WHERE \"{column}\" IN ({marks})", tuple(rowids[parent]))
                    rowids.setdefault(detail, set()).update(r[0] for r in found)
    return rowids


def _table_rows(conn, rowids: dict[str, set[int]]) -> dict[str, list[dict]]:
    out = {}
    for table in sorted(rowids):
        marks = ",".join("?" * len(rowids[table]))
        out[table] = [dict(r) for r in conn.execute(f"SELECT * FROM '{table}' WHERE rowid IN ({marks}) ORDER BY rowid", tuple(sorted(rowids[table])))]
    return out


def full_record(store: Store, ref: Reference, actor: Actor, student_id: int) -> dict:
    """The student's whole education record as one document, for an inspection.

    Holds each year's plan (the same document the screens show), each finalized
    version, every stored row that belongs to the student (table by table), the
    record of access, and the inspection and amendment requests. Audited as an export."""
    from seop_tui.services.plan_document import plan_document
    from seop_tui.services.plans import load_plan

    require_record_keeper(store, actor, student_id)
    plan_ids = [r[0] for r in store.query("SELECT id FROM plans WHERE student_id = ? ORDER BY school_year_id", (student_id,))]
    documents = [plan_document(store, ref, actor, load_plan(store, pid), purpose="export") for pid in plan_ids]
    with store.read() as conn:
        tables = _table_rows(conn, linked_rowids(conn, student_id))
        versions = [
            {"plan_id": r["plan_id"], "version": r["version"], "finalized_at": r["finalized_at"], "plan": json.loads(r["snapshot"])}
            for r in conn.execute(
                "SELECT v.* FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.student_id = ? ORDER BY v.plan_id, v.version", (student_id,)
            )
        ]
    for rows in tables.values():
        for row in rows:
            if isinstance(row.get("snapshot"), str):
                row["snapshot"] = "(see finalized_versions)"
    history = [asdict(e) | {"action": e.action_label} for e in entries_for(store, student_id)]
    with store.write():
        audit.record(store.conn, actor, "export", student_id, "full record for inspection")
    return {
        "exported_at": now_utc(),
        "exported_by": actor.display_name,
        "student_id": student_id,
        "plans": documents,
        "finalized_versions": versions,
        "record": tables,
        "record_of_access": history,
        "inspection_requests": tables.get("inspection_requests", []),
        "amendment_requests": tables.get("amendment_requests", []),
    }


def export_full_record(store: Store, ref: Reference, actor: Actor, student_id: int, folder: Path | None = None) -> list[Path]:
    """Write the full record as owner-only files in `folder` (default: the reports
    folder): JSON with everything, and a PDF of each year's plan. Returns the files."""
    from seop_tui.services.export import to_pdf
    from seop_tui.services.reports import default_path, write_owner_only

    require_record_keeper(store, actor, student_id)
    number = store.one("SELECT student_number FROM students WHERE id = ?", (student_id,))[0]
    stem = default_path(f"record-{clean(number)}-{date.today().isoformat()}", "")
    if folder is not None:
        stem = Path(folder) / stem.name
    document = full_record(store, ref, actor, student_id)
    data = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    written = [write_owner_only(stem.with_name(stem.name + ".json"), data.encode("utf-8"))]
    if document["plans"]:
        written.append(write_owner_only(stem.with_name(stem.name + ".pdf"), to_pdf(document["plans"], ref.district.name)))
    return written


# -- the record of access as a file ---------------------------------------------------------

ACCESS_COLUMNS = ("when_utc", "who", "role", "action", "what", "terminal")


def access_history_csv(store: Store, actor: Actor, student_id: int) -> bytes:
    """The student's whole record of access as CSV (audited as an export)."""
    from seop_tui.services.csv_text import csv_bytes

    require_record_keeper(store, actor, student_id)
    rows = [
        [strip_controls(v) for v in (e.at, e.who, e.role, e.action_label, e.what, e.terminal)] for e in entries_for(store, student_id)
    ]
    with store.write():
        audit.record(store.conn, actor, "export", student_id, "record of access (CSV)")
    return csv_bytes(ACCESS_COLUMNS, rows)


def export_access_history(store: Store, actor: Actor, student_id: int, path: Path | None = None) -> Path:
    """Write the record of access to `path` (default: the reports folder), owner-only."""
    from seop_tui.services.reports import default_path, resolve_path, write_owner_only

    require_record_keeper(store, actor, student_id)
    if path is None:
        number = store.one("SELECT student_number FROM students WHERE id = ?", (student_id,))[0]
        path = default_path(f"access-{clean(number)}-{date.today().isoformat()}", ".csv")
    path = resolve_path(path)
    return write_owner_only(path, access_history_csv(store, actor, student_id))


# -- withdrawing and destroying ---------------------------------------------------------


def _refuse_if_on_hold(store: Store, student_id: int, doing: str) -> None:
    hold = _open_inspection(store, student_id)
    if hold is not None:
        raise RecordOnHold(
            f"This record cannot be {doing}: an inspection request from {hold['requested_by']} received on "
            f"{hold['received_on']} is open (due {hold['due_on']}). Record its fulfilment first."
        )


def withdraw_student(store: Store, actor: Actor, student_id: int, reason: str) -> None:
    """Mark the student inactive (moved away, graduated). Refused while an inspection is open."""
    require_record_keeper(store, actor, student_id)
    _refuse_if_on_hold(store, student_id, "withdrawn")
    reason = clean(reason)
    with store.write():
        store.conn.execute("UPDATE students SET active = 0, updated_at = ? WHERE id = ?", (now_utc(), student_id))
        store.conn.execute("UPDATE accounts SET active = 0 WHERE id = (SELECT account_id FROM students WHERE id = ?)", (student_id,))
        audit.record(store.conn, actor, "change", student_id, f"student withdrawn: {reason}")


def delete_student_record(store: Store, actor: Actor, student_id: int) -> int:
    """Destroy the student's whole record (an administrator, e.g. at the end of the
    retention period). Refused while an inspection request is open. The audit
    trail keeps its rows, including this one. Returns the number of rows removed."""
    require_record_keeper(store, actor, student_id)
    if actor.role != "administrator":
        raise AccessDenied("Only an administrator can delete a student's record.")
    with store.write():
        _refuse_if_on_hold(store, student_id, "deleted")
        conn = store.conn
        conn.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit, so order does not matter
        rowids = linked_rowids(conn, student_id)
        account = conn.execute("SELECT account_id FROM students WHERE id = ?", (student_id,)).fetchone()[0]
        shared = {t: rowids.pop(t) for t in LINKED_PARENTS if t in rowids}
        for details in OWN_DETAILS.values():  # they go with their conference, if it goes
            for detail in details:
                rowids.pop(detail, None)
        removed = 0
        for table, ids in rowids.items():
            marks = ",".join("?" * len(ids))
            removed += conn.execute(f"DELETE FROM '{table}' WHERE rowid IN ({marks})", tuple(ids)).rowcount
        removed += _delete_unreferenced(conn, shared)
        if account is not None and not _referenced(conn, "accounts", account):
            removed += conn.execute("DELETE FROM accounts WHERE id = ?", (account,)).rowcount
        elif account is not None:
            conn.execute("UPDATE accounts SET active = 0, secret_hash = '!' WHERE id = ?", (account,))
        audit.record(conn, actor, "delete", student_id, f"student record deleted ({removed} rows)")
    return removed


def _referenced(conn, table: str, row_id: int) -> bool:
    for child, cols in _foreign_keys(conn).items():
        for column, target in cols:
            if target == table and conn.execute(f"SELECT 1 FROM '{child}' WHERE \"{column}\" = ? LIMIT 1", (row_id,)).fetchone():
                return True
    return False


def _delete_unreferenced(conn, shared: dict[str, set[int]]) -> int:
    """Conferences and guardians the student shared with no one else go with the record;
    a conference's attendee rows go with it."""
    removed = 0
    fks = _foreign_keys(conn)
    for table, ids in shared.items():
        for row_id in ids:
            children = [(c, col) for c, cols in fks.items() for col, target in cols if target == table]
            # Only a conference's own detail rows (attendees) may go with it; any other
            # reference (another student's link row, a guardian at a sibling's conference) keeps it.
            others = [(c, col) for c, col in children if c not in OWN_DETAILS.get(table, ())]
            if any(conn.execute(f"SELECT 1 FROM '{c}' WHERE \"{col}\" = ? LIMIT 1", (row_id,)).fetchone() for c, col in others):
                continue
            for c, col in children:
                removed += conn.execute(f"DELETE FROM '{c}' WHERE \"{col}\" = ?", (row_id,)).rowcount
            removed += conn.execute(f"DELETE FROM '{table}' WHERE id = ?", (row_id,)).rowcount
    return removed
