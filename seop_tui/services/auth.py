"""Sign-in: Argon2id secrets, throttling of failed attempts, the acting user.

Secrets (staff passwords, student PINs or passwords) are hashed with Argon2id
at OWASP's minimum parameters and stored as PHC strings, so the parameters can
be raised later: a hash made with older parameters is replaced at the next
successful sign-in.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from seop_tui.services import audit
from seop_tui.services.context import Actor, now_utc, terminal_name
from seop_tui.storage import Store

FAILED_MESSAGE = "That username and password do not match. Check them and try again."
FREE_ATTEMPTS = 3  # failures before throttling starts
MAX_DELAY = timedelta(minutes=5)  # a classmate can slow an account down, never lock it for good


class SignInError(Exception):
    """Sign-in refused; the message never says whether the account exists."""


@functools.cache
def _hasher():
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_secret("not-a-real-secret")


def throttle_delay(failed_count: int) -> timedelta:
    """Wait imposed after `failed_count` consecutive failures: 0, then doubling, capped."""
    if failed_count < FREE_ATTEMPTS:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failed_count - FREE_ATTEMPTS + 1)), MAX_DELAY)


def sign_in(store: Store, username: str, secret: str, *, terminal: str | None = None, now: datetime | None = None) -> Actor:
    """Check a username and secret; return the acting user or raise SignInError."""
    now = now or datetime.now(UTC)
    terminal = terminal if terminal is not None else terminal_name()
    username = username.strip().lower()
    row = store.one("SELECT * FROM accounts WHERE username = ? AND active = 1", (username,))
    if row is None:
        verify_secret(_dummy_hash(), secret)  # same work whether or not the account exists
        _log_failure(store, None, username, terminal, "unknown account")
        raise SignInError(FAILED_MESSAGE)
    if row["throttled_until"] and datetime.fromisoformat(row["throttled_until"]) > now:
        wait = datetime.fromisoformat(row["throttled_until"]) - now
        _log_failure(store, row["id"], username, terminal, "throttled")
        raise SignInError(f"Too many tries. Wait {max(1, round(wait.total_seconds()))} seconds and try again.")
    if not verify_secret(row["secret_hash"], secret):
        with store.write() as db:
            failed = db.execute("SELECT failed_count FROM accounts WHERE id = ?", [row["id"]]).fetchone()[0] + 1
            delay = throttle_delay(failed)
            until = (now + delay).isoformat() if delay else None
            db.execute("UPDATE accounts SET failed_count = ?, throttled_until = ? WHERE id = ?", [failed, until, row["id"]])
            _failure_row(store, row["id"], username, terminal, f"wrong secret ({failed} in a row)")
        raise SignInError(FAILED_MESSAGE)
    new_hash = hash_secret(secret) if _hasher().check_needs_rehash(row["secret_hash"]) else row["secret_hash"]
    actor = _actor_for(store, row, terminal)
    with store.write() as db:
        db.execute(
            "UPDATE accounts SET failed_count = 0, throttled_until = NULL, last_sign_in = ?, secret_hash = ? WHERE id = ?",
            [now_utc(), new_hash, row["id"]],
        )
        audit.record(store.conn, actor, "sign_in", actor.student_id, "")
    return actor


def _log_failure(store: Store, account_id: int | None, username: str, terminal: str, why: str) -> None:
    with store.write():
        _failure_row(store, account_id, username, terminal, why)


def _failure_row(store: Store, account_id: int | None, username: str, terminal: str, why: str) -> None:
    store.conn.execute(
        "INSERT INTO audit_log (at, account_id, action, what, terminal) VALUES (?, ?, 'sign_in_failed', ?, ?)",
        (now_utc(), account_id, f"{username[:64]}: {why}", terminal),
    )


def _actor_for(store: Store, account, terminal: str) -> Actor:
    common = dict(
        account_id=account["id"],
        username=account["username"],
        role=account["role"],
        terminal=terminal,
        must_change_secret=bool(account["must_change_secret"]),
    )
    if account["role"] == "student":
        s = store.one("SELECT id, given_name, preferred_name, family_name, school_id FROM students WHERE account_id = ?", (account["id"],))
        if s is None:
            raise SignInError(FAILED_MESSAGE)
        name = f"{s['preferred_name'] or s['given_name']} {s['family_name']}"
        return Actor(display_name=name, student_id=s["id"], school_id=s["school_id"], **common)
    s = store.one("SELECT id, given_name, family_name, school_id FROM staff WHERE account_id = ?", (account["id"],))
    if s is None:
        raise SignInError(FAILED_MESSAGE)
    return Actor(display_name=f"{s['given_name']} {s['family_name']}", staff_id=s["id"], school_id=s["school_id"], **common)
