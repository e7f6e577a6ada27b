"""Sign-in: Argon2id secrets, throttling of failed attempts, the acting user.

Secrets (staff passwords, student PINs or passwords) are hashed with Argon2id
at one of OWASP's recommended settings (7 MiB, 5 iterations, 1 lane) and stored as PHC
strings, so the parameters can be raised later: a hash made with other
parameters is replaced at the next successful sign-in.

Throttling is per username typed (table sign_in_throttle), whether or not the
account exists, so a wrong guess looks the same either way. Each attempt is
counted before the secret is checked, so many guesses fired at once are
throttled like guesses one after another. Delays grow and are capped: a
classmate can slow an account down, never lock it for good.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from seop_tui.services import audit
from seop_tui.services.context import Actor, now_utc, terminal_name
from seop_tui.storage import Store
from seop_tui.text import strip_controls

FAILED_MESSAGE = "That username and password do not match. Check them and try again."
FREE_ATTEMPTS = 3  # failures before throttling starts
MAX_DELAY = timedelta(minutes=5)  # a classmate can slow an account down, never lock it for good
MAX_USERNAME = 64  # longer input cannot be a username: refused without a lookup
MAX_SECRET = 1024  # longer input is refused without hashing it
FORGET_FAILURES_AFTER = timedelta(days=1)

# OWASP Password Storage Cheat Sheet lists five Argon2id settings of equal strength, from
# m=46 MiB, t=1 to m=7 MiB, t=5 (p=1). The lowest-memory one: a lab of 30 students signing
# in at the bell needs 210 MiB for hashing on the shared server, not 570, and each session's
# peak stays small. Hashes made with other settings are redone at the next sign-in.
ARGON2_TIME_COST = 5
ARGON2_MEMORY_KIB = 7 * 1024
ARGON2_PARALLELISM = 1


class SignInError(Exception):
    """Sign-in refused; the message never says whether the account exists."""


@functools.cache
def _hasher():
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if len(secret) > MAX_SECRET:
        return False
    try:
        return _hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@functools.cache
def _dummy_hash() -> str:
    return hash_secret("not-a-real-secret")


def throttle_delay(failed_count: int) -> timedelta:
    """Wait imposed after `failed_count` consecutive failures: 0, then doubling, capped."""
    if failed_count < FREE_ATTEMPTS:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failed_count - FREE_ATTEMPTS + 1, 20)), MAX_DELAY)


def throttled_message(wait: timedelta) -> str:
    seconds = max(1, round(wait.total_seconds()))
    return f"Too many tries. Wait {seconds} second{'s' if seconds != 1 else ''} and try again."


def sign_in(store: Store, username: str, secret: str, *, terminal: str | None = None, now: datetime | None = None) -> Actor:
    """Check a username and secret; return the acting user or raise SignInError."""
    now = now or datetime.now(UTC)
    terminal = terminal if terminal is not None else terminal_name()
    typed = strip_controls(username).strip().lower()
    key = typed[:MAX_USERNAME]
    row = None
    if len(typed) <= MAX_USERNAME:
        row = store.one("SELECT * FROM accounts WHERE username = ? AND active = 1", (key,))
    account_id = row["id"] if row is not None else None

    failed = _count_attempt(store, key, account_id, terminal, now)
    ok = verify_secret(row["secret_hash"] if row is not None else _dummy_hash(), secret)  # same work either way
    if not ok or row is None:
        _log_failure(store, account_id, key, terminal, f"{'wrong secret' if row is not None else 'unknown account'} ({failed} in a row)")
        raise SignInError(FAILED_MESSAGE)

    try:
        actor = _actor_for(store, row, terminal)
    except SignInError:
        _log_failure(store, account_id, key, terminal, "account has no student or staff record")
        raise
    new_hash = hash_secret(secret) if needs_rehash(row["secret_hash"]) else row["secret_hash"]
    with store.write() as db:
        db.execute("DELETE FROM sign_in_throttle WHERE username = ?", [key])
        db.execute("UPDATE accounts SET last_sign_in = ?, secret_hash = ? WHERE id = ?", [now_utc(), new_hash, row["id"]])
        audit.record(store.conn, actor, "sign_in", actor.student_id, "rehashed" if new_hash != row["secret_hash"] else "")
    return actor


def _count_attempt(store: Store, key: str, account_id: int | None, terminal: str, now: datetime) -> int:
    """Count this attempt as a failure before checking it (a success clears the count).

    Raises SignInError when the username is waiting out a delay.
    """
    with store.write() as db:
        db.execute("DELETE FROM sign_in_throttle WHERE last_failed_at < ?", [(now - FORGET_FAILURES_AFTER).isoformat()])
        found = db.execute("SELECT failed_count, throttled_until FROM sign_in_throttle WHERE username = ?", [key]).fetchone()
        if found and found[1] and datetime.fromisoformat(found[1]) > now:
            _failure_row(store, account_id, key, terminal, "throttled")
            throttled = datetime.fromisoformat(found[1]) - now
        else:
            throttled = None
            failed = (found[0] if found else 0) + 1
            delay = throttle_delay(failed)
            db.execute(
                "INSERT INTO sign_in_throttle (username, failed_count, throttled_until, last_failed_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (username) DO UPDATE SET failed_count = excluded.failed_count,"
                " throttled_until = excluded.throttled_until, last_failed_at = excluded.last_failed_at",
                [key, failed, (now + delay).isoformat() if delay else None, now.isoformat()],
            )
    if throttled is not None:  # raised after the commit, so the "throttled" row is kept
        raise SignInError(throttled_message(throttled))
    return failed


def clear_throttle(store: Store, username: str) -> None:
    """Forget failed attempts for `username` (after an administrator's reset). Call inside a write."""
    store.conn.execute("DELETE FROM sign_in_throttle WHERE username = ?", (username,))


def sign_out(store: Store, actor: Actor, reason: str = "signed out") -> None:
    """Record the end of a session ("signed out", "idle time-out", "quit" ...)."""
    with store.write():
        audit.record(store.conn, actor, "sign_out", actor.student_id, reason)


def _log_failure(store: Store, account_id: int | None, username: str, terminal: str, why: str) -> None:
    with store.write():
        _failure_row(store, account_id, username, terminal, why)


def _failure_row(store: Store, account_id: int | None, username: str, terminal: str, why: str) -> None:
    store.conn.execute(
        "INSERT INTO audit_log (at, account_id, action, what, terminal) VALUES (?, ?, 'sign_in_failed', ?, ?)",
        (now_utc(), account_id, f"{username[:MAX_USERNAME]}: {why}", terminal),
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
