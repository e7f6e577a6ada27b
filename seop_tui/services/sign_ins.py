"""First sign-ins in bulk, after a roster import; and a student's new PIN from staff.

A roster brings students and staff, but no secrets: their accounts cannot sign in
(NO_SIGN_IN never verifies). `issue` gives each such account of a school (or the
district) a temporary PIN or password, which its owner changes at the first sign-in,
and returns them for a sheet the school hands out. A student on file without an
account gets one named by their student number.

Hashing is slow on purpose (Argon2id, about 30 ms each): the hashes are worked out
before the one short transaction that stores them, two at a time (the hashing
releases the interpreter lock), and an account someone gave a secret meanwhile is
left as it is.

A student who forgot their PIN at the lab gets a new temporary one from the staff
member at hand who may see their record (`reset_for_student`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.access import require_access
from seop_tui.services.accounts import check_username, generate_secret
from seop_tui.services.auth import clear_throttle, hash_secret
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.storage import Store

# Not an Argon2 hash, so it never verifies (its words are those of the first version: databases hold them).
NO_SIGN_IN = "!imported: set with seop admin reset-password"
SHEET_COLUMNS = ("username", "temporary_secret", "name", "role", "school", "grade")


@dataclass(frozen=True)
class Issued:
    username: str
    secret: str
    name: str
    role: str
    school: str
    grade: int | None
    student_id: int | None = None

    def sheet_row(self) -> tuple:
        return (self.username, self.secret, self.name, self.role, self.school, "" if self.grade is None else self.grade)


@dataclass(frozen=True)
class Waiting:
    """An account (or a student who needs one) that cannot sign in yet."""

    account_id: int | None  # None: a student who needs an account
    username: str
    name: str
    role: str
    school: str
    grade: int | None
    student_id: int | None


def _scope(actor: Actor, store: Store, school_code: str | None) -> int | None:
    """The school to work on (None: the district); refused for anyone but an administrator."""
    if actor.role not in ("administrator", "system"):
        raise AccessDenied("Only an administrator can issue sign-ins.")
    school_id = None
    if school_code:
        row = store.one("SELECT id FROM schools WHERE code = ?", (school_code.strip().upper(),))
        if row is None:
            raise LookupError(f"There is no school with code {school_code.strip()!r}.")
        school_id = row[0]
    if actor.school_id is not None and school_id != actor.school_id:
        raise AccessDenied("You can issue sign-ins only for your own school: give its code.")
    return school_id


def waiting(store: Store, actor: Actor, *, school_code: str | None = None, group: str | None = None) -> list[Waiting]:
    """The active accounts (and account-less students) that cannot sign in yet, by school and name."""
    school_id = _scope(actor, store, school_code)
    where, params = ("AND sc.id = ?", [school_id]) if school_id is not None else ("", [])
    out: list[Waiting] = []
    if group in (None, "students"):
        rows = store.query(
            "SELECT s.id, s.account_id, a.username, s.student_number, s.given_name, s.family_name, sc.name AS school, s.grade"
            " FROM students s JOIN schools sc ON sc.id = s.school_id LEFT JOIN accounts a ON a.id = s.account_id"
            f" WHERE s.active = 1 AND (s.account_id IS NULL OR (a.active = 1 AND a.secret_hash = ?)) {where}"
            " ORDER BY sc.name, s.family_name, s.given_name, s.id",
            (NO_SIGN_IN, *params),
        )
        out += [
            Waiting(r["account_id"], r["username"] or r["student_number"].strip().lower(), f"{r['given_name']} {r['family_name']}",
                    "student", r["school"], r["grade"], r["id"])
            for r in rows
        ]
    if group in (None, "staff"):
        rows = store.query(
            "SELECT t.account_id, a.username, a.role, t.given_name, t.family_name, coalesce(sc.name, 'District') AS school"
            " FROM staff t JOIN accounts a ON a.id = t.account_id LEFT JOIN schools sc ON sc.id = t.school_id"
            f" WHERE a.active = 1 AND a.secret_hash = ? {where} ORDER BY school, t.family_name, t.given_name",
            (NO_SIGN_IN, *params),
        )
        out += [Waiting(r["account_id"], r["username"], f"{r['given_name']} {r['family_name']}", r["role"], r["school"], None, None) for r in rows]
    return out


def issue(
    store: Store,
    ref: Reference,
    actor: Actor,
    *,
    school_code: str | None = None,
    group: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Issued], list[str]]:
    """Give every account `waiting` finds a temporary secret; returns what was issued
    and notes on the ones that could not be (a student number already a username)."""
    wanted = waiting(store, actor, school_code=school_code, group=group)
    if not wanted:
        return [], []
    secrets = [generate_secret(ref, w.role) for w in wanted]
    hashes: list[str] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done, hashed in enumerate(pool.map(hash_secret, secrets), 1):
            hashes.append(hashed)
            if progress:
                progress(done, len(wanted))
    issued: list[Issued] = []
    notes: list[str] = []
    stamp = now_utc()
    with store.write() as db:
        for w, secret, hashed in zip(wanted, secrets, hashes, strict=True):
            if w.account_id is None:
                account_id = _new_student_account(db, w, hashed, stamp, notes)
                if account_id is None:
                    continue
            else:
                changed = db.execute(
                    "UPDATE accounts SET secret_hash = ?, must_change_secret = 1, failed_count = 0 WHERE id = ? AND secret_hash = ?",
                    [hashed, w.account_id, NO_SIGN_IN],
                ).rowcount
                if not changed:
                    continue  # given a secret meanwhile
            issued.append(Issued(w.username, secret, w.name, w.role, w.school, w.grade, w.student_id))
        students = [i.student_id for i in issued if i.student_id is not None]
        audit.record_many(db.conn, actor, "account", students, "first sign-in issued")
        staff = len(issued) - len(students)
        audit.record(db.conn, actor, "account", None, f"first sign-ins issued: {len(students)} students, {staff} staff")
    return issued, notes


def _new_student_account(db, w: Waiting, hashed: str, stamp: str, notes: list[str]) -> int | None:
    try:
        username = check_username(w.username)
    except ValueError:
        notes.append(f"{w.name} ({w.school}): student number {w.username!r} cannot be a username; create the account with seop admin create-user.")
        return None
    if db.execute("SELECT 1 FROM accounts WHERE username = ?", [username]).fetchone():
        notes.append(f"{w.name} ({w.school}): username {username!r} is taken; create the account with seop admin create-user.")
        return None
    account_id = db.execute(
        "INSERT INTO accounts (username, role, secret_hash, must_change_secret, active, created_at) VALUES (?, 'student', ?, 1, 1, ?)",
        [username, hashed, stamp],
    ).lastrowid
    db.execute("UPDATE students SET account_id = ? WHERE id = ? AND account_id IS NULL", [account_id, w.student_id])
    return account_id


def reset_for_student(store: Store, ref: Reference, actor: Actor, student_id: int) -> Issued:
    """A new temporary PIN (or password) for one student, to be changed at their next
    sign-in; also lifts a sign-in wait. For staff who may see the student's record; a
    student without an account gets one named by their number."""
    require_access(store, actor, student_id)
    if not actor.is_staff:
        raise AccessDenied("Only school staff can give a student a new PIN.")
    row = store.one(
        "SELECT s.account_id, a.username, s.student_number, s.given_name, s.family_name, s.grade, sc.name AS school, s.active"
        " FROM students s JOIN schools sc ON sc.id = s.school_id LEFT JOIN accounts a ON a.id = s.account_id WHERE s.id = ?",
        (student_id,),
    )
    if not row["active"]:
        raise LookupError("This student is no longer active, so they cannot sign in.")
    wanted = Waiting(row["account_id"], row["username"] or row["student_number"].strip().lower(),
                     f"{row['given_name']} {row['family_name']}", "student", row["school"], row["grade"], student_id)
    secret = generate_secret(ref, "student")
    hashed = hash_secret(secret)
    notes: list[str] = []
    with store.write() as db:
        if wanted.account_id is None:
            if _new_student_account(db, wanted, hashed, now_utc(), notes) is None:
                raise LookupError(notes[0])
        else:
            db.execute("UPDATE accounts SET secret_hash = ?, must_change_secret = 1, failed_count = 0 WHERE id = ?", [hashed, wanted.account_id])
            clear_throttle(store, wanted.username)
        audit.record(db.conn, actor, "account", student_id, "new temporary sign-in given")
    return Issued(wanted.username, secret, wanted.name, "student", wanted.school, wanted.grade, student_id)
