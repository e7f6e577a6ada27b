"""Accounts: creating them, an administrator's reset, changing one's own PIN or password.

Rules for secrets:
- staff: a password of at least `staff_password_min_length` characters (district
  setting) that does not contain the username;
- students: what the district chose (`student_credential`): a PIN of 4 to 8
  digits that is not one digit repeated or a straight run (1234, 9876), or a
  password of at least STUDENT_PASSWORD_MIN characters.

A secret set by someone else (a new account, an administrator's reset) must be
changed by its owner at the next sign-in (`must_change_secret`).

Who may manage accounts: the server's command line (`seop admin`, acting as
`system_actor()`), and administrators in the app (a school's administrator
only for the accounts of their school).
"""

from __future__ import annotations

import dataclasses
import getpass
import re
import secrets

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.auth import MAX_USERNAME, clear_throttle, hash_secret, verify_secret
from seop_tui.services.context import STAFF_ROLES, AccessDenied, Actor, now_utc, terminal_name
from seop_tui.storage import Store
from seop_tui.text import clean

ROLES = ("student", *STAFF_ROLES)
STUDENT_PASSWORD_MIN = 8
MAX_SECRET_LENGTH = 128
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class AccountError(ValueError):
    """The request cannot be done; the message says why in plain words."""


class WeakSecret(AccountError):
    """The new PIN or password does not meet the rules; the message says which."""


class WrongSecret(AccountError):
    """The current PIN or password given was not right."""


@dataclasses.dataclass(frozen=True)
class AccountInfo:
    username: str
    role: str
    name: str
    school: str
    active: bool
    must_change_secret: bool
    last_sign_in: str | None


def system_actor() -> Actor:
    """The person at the server's command line (who already holds the database file)."""
    user = getpass.getuser()
    return Actor(account_id=0, username=user, role="system", display_name=f"server command line ({user})", terminal=f"cli:{user}@{terminal_name()}")


def secret_kind(ref: Reference, role: str) -> str:
    """'pin' or 'password': what this role signs in with."""
    return ref.district.student_credential if role == "student" else "password"


def secret_rule(ref: Reference, role: str) -> str:
    """The rule for a new secret, in words, to show beside the field."""
    if role != "student":
        return f"At least {ref.district.staff_password_min_length} characters, not containing your username."
    if ref.district.student_credential == "pin":
        return "4 to 8 digits, not all the same and not in a row like 1234."
    return f"At least {STUDENT_PASSWORD_MIN} characters."


def check_secret(ref: Reference, role: str, secret: str, username: str = "") -> None:
    """Raise WeakSecret unless `secret` fits the rules for `role`."""
    if len(secret) > MAX_SECRET_LENGTH:
        raise WeakSecret(f"That is too long: the most is {MAX_SECRET_LENGTH} characters.")
    if secret_kind(ref, role) == "pin":
        if not re.fullmatch(r"[0-9]{4,8}", secret):
            raise WeakSecret("A PIN is 4 to 8 digits (0-9), nothing else.")
        steps = {int(b) - int(a) for a, b in zip(secret, secret[1:])}
        if steps in ({0}, {1}, {-1}):
            raise WeakSecret("That PIN is too easy to guess (one digit repeated, or digits in a row). Choose another.")
        return
    minimum = ref.district.staff_password_min_length if role != "student" else STUDENT_PASSWORD_MIN
    if len(secret) < minimum:
        raise WeakSecret(f"A password needs at least {minimum} characters; that one has {len(secret)}.")
    if len(set(secret)) < 3:
        raise WeakSecret("That password is too easy to guess (almost one character repeated). Choose another.")
    if username and username.lower() in secret.lower():
        raise WeakSecret("A password must not contain your username.")


def generate_secret(ref: Reference, role: str) -> str:
    """A temporary secret that fits the rules (given out once, changed at first sign-in)."""
    if secret_kind(ref, role) == "pin":
        while True:
            pin = "".join(secrets.choice("0123456789") for _ in range(6))
            try:
                check_secret(ref, role, pin)
                return pin
            except WeakSecret:
                continue
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0, i)
    length = max(ref.district.staff_password_min_length if role != "student" else STUDENT_PASSWORD_MIN, 14)
    return "".join(secrets.choice(alphabet) for _ in range(length))


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name) or len(name) > MAX_USERNAME:
        raise AccountError("A username is 2 to 64 characters: letters a-z, digits, dot, dash or underscore, starting with a letter or digit.")
    return name


# -- who may manage which account ---------------------------------------------------


def _account_school(store: Store, account_id: int) -> int | None:
    row = store.one(
        "SELECT coalesce(s.school_id, t.school_id) FROM accounts a LEFT JOIN students s ON s.account_id = a.id"
        " LEFT JOIN staff t ON t.account_id = a.id WHERE a.id = ?",
        (account_id,),
    )
    return row[0] if row else None


def _require_manager(actor: Actor, school_id: int | None = None, *, any_school: bool = False) -> None:
    if actor.role == "system":
        return
    if actor.role != "administrator":
        raise AccessDenied("Only an administrator can manage accounts.")
    if actor.school_id is not None and (any_school or school_id != actor.school_id):
        raise AccessDenied("You can manage only the accounts of your own school.")


def _account(store: Store, username: str):
    row = store.one("SELECT * FROM accounts WHERE username = ?", (username.strip().lower(),))
    if row is None:
        raise AccountError(f"There is no account named {clean(username)!r}.")
    return row


# -- creating ------------------------------------------------------------------------


def create_account(
    store: Store,
    ref: Reference,
    actor: Actor,
    *,
    username: str,
    role: str,
    secret: str,
    given_name: str = "",
    family_name: str = "",
    school_code: str | None = None,
    student_number: str | None = None,
    grade: int | None = None,
    must_change: bool = True,
) -> int:
    """Create a sign-in. Staff get a staff row; a student account is joined to the
    student with `student_number` (made when missing: names, grade and school needed).
    Returns the account id."""
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    name = check_username(username)
    check_secret(ref, role, secret, name)
    school_id = None
    if school_code:
        school = store.one("SELECT id FROM schools WHERE code = ?", (school_code.strip().upper(),))
        if school is None:
            raise AccountError(f"There is no school with code {clean(school_code)!r}.")
        school_id = school[0]
    if role == "student":
        if not student_number:
            raise AccountError("A student account needs the student's number.")
        student = store.one("SELECT id, account_id, school_id FROM students WHERE student_number = ?", (clean(student_number),))
        _require_manager(actor, student["school_id"] if student else school_id)
    else:
        _require_manager(actor, school_id, any_school=school_id is None)
        student = None
    hashed = hash_secret(secret)
    with store.write() as db:
        if db.execute("SELECT 1 FROM accounts WHERE username = ?", [name]).fetchone():
            raise AccountError(f"The username {name!r} is taken.")
        account_id = db["accounts"].insert(
            {"username": name, "role": role, "secret_hash": hashed, "must_change_secret": int(must_change), "active": 1, "created_at": now_utc()}
        ).last_pk
        if role == "student":
            student_id = _join_student(db, account_id, student, student_number, given_name, family_name, grade, school_id)
            audit.record(store.conn, actor, "account", student_id, f"student account {name} created")
        else:
            if not (given_name.strip() and family_name.strip()):
                raise AccountError("A staff account needs a given name and a family name.")
            db["staff"].insert(
                {"account_id": account_id, "given_name": clean(given_name), "family_name": clean(family_name), "role": role, "school_id": school_id}
            )
            audit.record(store.conn, actor, "account", None, f"{role} account {name} created")
    return account_id


def _join_student(db, account_id, student, student_number, given_name, family_name, grade, school_id) -> int:
    if student is not None:
        if student["account_id"] is not None:
            raise AccountError(f"Student {clean(student_number)} already has an account.")
        db.execute("UPDATE students SET account_id = ? WHERE id = ?", [account_id, student["id"]])
        return student["id"]
    if not (given_name.strip() and family_name.strip() and grade is not None and school_id is not None):
        raise AccountError(f"No student has number {clean(student_number)!r}. To add one, give names, grade and school.")
    return db["students"].insert(
        {
            "account_id": account_id,
            "student_number": clean(student_number),
            "given_name": clean(given_name),
            "family_name": clean(family_name),
            "grade": grade,
            "school_id": school_id,
            "updated_at": now_utc(),
        }
    ).last_pk


# -- resets and changes -----------------------------------------------------------------


def admin_reset(store: Store, ref: Reference, actor: Actor, username: str, new_secret: str | None = None) -> str:
    """Set a new secret that its owner must change at the next sign-in; clears any
    sign-in wait. Returns the new secret (generated when none is given)."""
    row = _account(store, username)
    _require_manager(actor, _account_school(store, row["id"]), any_school=row["role"] == "administrator")
    secret = new_secret if new_secret is not None else generate_secret(ref, row["role"])
    check_secret(ref, row["role"], secret, row["username"])
    hashed = hash_secret(secret)
    with store.write():
        store.conn.execute("UPDATE accounts SET secret_hash = ?, must_change_secret = 1 WHERE id = ?", (hashed, row["id"]))
        clear_throttle(store, row["username"])
        audit.record(store.conn, actor, "account", _student_of(store, row["id"]), f"{row['username']}: secret reset, must change at next sign-in")
    return secret


def change_own_secret(store: Store, ref: Reference, actor: Actor, current: str, new: str) -> Actor:
    """The signed-in person replaces their own secret. Returns the actor with
    must_change_secret cleared."""
    row = store.one("SELECT * FROM accounts WHERE id = ? AND active = 1", (actor.account_id,))
    if row is None:
        raise AccessDenied("This account cannot be changed.")
    if not verify_secret(row["secret_hash"], current):
        with store.write():
            audit.record(store.conn, actor, "secret_change_failed", actor.student_id, "current secret wrong")
        raise WrongSecret(f"Your current {_word(ref, row['role'])} is not right.")
    check_secret(ref, row["role"], new, row["username"])
    if new == current:
        raise WeakSecret(f"Choose a new {_word(ref, row['role'])}, not the one you have now.")
    hashed = hash_secret(new)
    with store.write():
        store.conn.execute("UPDATE accounts SET secret_hash = ?, must_change_secret = 0 WHERE id = ?", (hashed, row["id"]))
        audit.record(store.conn, actor, "secret_changed", actor.student_id, "")
    return dataclasses.replace(actor, must_change_secret=False)


def set_active(store: Store, actor: Actor, username: str, active: bool) -> None:
    """Turn an account off (it can no longer sign in; its records stay) or back on."""
    row = _account(store, username)
    _require_manager(actor, _account_school(store, row["id"]), any_school=row["role"] == "administrator")
    with store.write():
        store.conn.execute("UPDATE accounts SET active = ? WHERE id = ?", (int(active), row["id"]))
        audit.record(store.conn, actor, "account", _student_of(store, row["id"]), f"{row['username']}: {'enabled' if active else 'disabled'}")


def list_accounts(store: Store, actor: Actor, *, role: str | None = None, school_code: str | None = None) -> list[AccountInfo]:
    """Accounts the actor may manage, by username. Never includes secrets."""
    _require_manager(actor, actor.school_id)
    sql = (
        "SELECT a.username, a.role, a.active, a.must_change_secret, a.last_sign_in,"
        " coalesce(s.given_name || ' ' || s.family_name, t.given_name || ' ' || t.family_name, '') AS name,"
        " coalesce(sc.code, '') AS school, coalesce(s.school_id, t.school_id) AS school_id"
        " FROM accounts a LEFT JOIN students s ON s.account_id = a.id LEFT JOIN staff t ON t.account_id = a.id"
        " LEFT JOIN schools sc ON sc.id = coalesce(s.school_id, t.school_id) WHERE 1 = 1"
    )
    params: list = []
    if actor.role != "system" and actor.school_id is not None:
        sql += " AND coalesce(s.school_id, t.school_id) = ?"
        params.append(actor.school_id)
    if role:
        sql += " AND a.role = ?"
        params.append(role)
    if school_code:
        sql += " AND sc.code = ?"
        params.append(school_code.strip().upper())
    rows = store.query(sql + " ORDER BY a.username", tuple(params))
    with store.write():
        audit.record(store.conn, actor, "report", None, f"account list: {len(rows)} accounts")
    return [
        AccountInfo(r["username"], r["role"], r["name"], r["school"], bool(r["active"]), bool(r["must_change_secret"]), r["last_sign_in"])
        for r in rows
    ]


def _student_of(store: Store, account_id: int) -> int | None:
    row = store.one("SELECT id FROM students WHERE account_id = ?", (account_id,))
    return row[0] if row else None


def _word(ref: Reference, role: str) -> str:
    return "PIN" if secret_kind(ref, role) == "pin" else "password"
