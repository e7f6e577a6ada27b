"""Sign-in: Argon2id at OWASP's parameters, rehash, throttling, one message for
every refusal, every failure logged, sign-out and time-out recorded."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError

from seop_tui.services import auth
from seop_tui.services.auth import FAILED_MESSAGE, MAX_DELAY, SignInError, sign_in, sign_out
from tests.security.world import PASSWORD, PIN

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)


def _fail(store, username, secret="wrong-guess", now=T0):
    with pytest.raises(SignInError) as refused:
        sign_in(store, username, secret, terminal="ssh:192.0.2.9", now=now)
    return str(refused.value)


def _audit(store, action):
    return store.query("SELECT * FROM audit_log WHERE action = ? ORDER BY id", (action,))


# -- hashing ------------------------------------------------------------------------------


def test_secrets_are_argon2id_at_owasp_parameters_in_phc_format():
    stored = auth.hash_secret("4821")
    assert stored.startswith("$argon2id$v=19$m=7168,t=5,p=1$")  # PHC string: algorithm, version, parameters, salt, hash
    assert auth.hash_secret("4821") != stored  # a fresh salt every time
    assert auth.verify_secret(stored, "4821") and not auth.verify_secret(stored, "4822")


def test_a_hash_with_old_parameters_is_replaced_at_the_next_sign_in(world):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(PIN)
    with world.store.write() as db:
        db.execute("UPDATE accounts SET secret_hash = ? WHERE username = 'victim_h'", [weak])
    sign_in(world.store, "victim_h", PIN, terminal="t")
    stored = world.store.one("SELECT secret_hash FROM accounts WHERE username = 'victim_h'")[0]
    assert stored != weak and stored.startswith("$argon2id$v=19$m=7168,t=5,p=1$")
    assert auth.verify_secret(stored, PIN)
    assert _audit(world.store, "sign_in")[-1]["what"] == "rehashed"
    sign_in(world.store, "victim_h", PIN, terminal="t")  # now current: kept as it is
    assert world.store.one("SELECT secret_hash FROM accounts WHERE username = 'victim_h'")[0] == stored


def test_a_broken_stored_hash_refuses_without_crashing(world):
    with world.store.write() as db:
        db.execute("UPDATE accounts SET secret_hash = 'not a hash' WHERE username = 'victim_h'")
    assert _fail(world.store, "victim_h", PIN) == FAILED_MESSAGE
    with pytest.raises(InvalidHashError):
        PasswordHasher().verify("not a hash", PIN)  # what auth must have caught


# -- one message for every refusal -----------------------------------------------------------


def test_same_message_whether_or_not_the_account_exists(world):
    with world.store.write() as db:
        db.execute("UPDATE accounts SET active = 0 WHERE username = 'classmate_h'")
    wrong_pin = _fail(world.store, "victim_h")
    unknown = _fail(world.store, "no.such.person")
    disabled = _fail(world.store, "classmate_h", PIN)  # right PIN, account turned off
    assert wrong_pin == unknown == disabled == FAILED_MESSAGE


def test_throttling_looks_the_same_for_unknown_accounts(world):
    real = [_fail(world.store, "victim_h", now=T0) for _ in range(4)]
    fake = [_fail(world.store, "nobody.at.all", now=T0) for _ in range(4)]
    assert real == fake
    assert real[-1].startswith("Too many tries. Wait ")


# -- throttling ---------------------------------------------------------------------------------


def test_delays_grow_and_are_capped():
    delays = [auth.throttle_delay(n) for n in range(1, 40)]
    assert delays[:2] == [timedelta(0), timedelta(0)]  # two free mistakes
    assert delays[2] > timedelta(0)
    assert all(a <= b for a, b in zip(delays, delays[1:]))  # growing
    assert max(delays) == MAX_DELAY <= timedelta(minutes=5)  # capped
    assert auth.throttle_delay(10**6) == MAX_DELAY  # no overflow however many tries


def test_a_classmate_cannot_lock_an_account_for_good(world):
    now = T0
    for _ in range(50):  # a classmate guessing all lesson long
        try:
            sign_in(world.store, "victim_h", "0000", terminal="t", now=now)
        except SignInError:
            pass
        now += timedelta(seconds=1)
    row = world.store.one("SELECT throttled_until FROM sign_in_throttle WHERE username = 'victim_h'")
    wait = datetime.fromisoformat(row[0]) - now
    assert timedelta(0) < wait <= MAX_DELAY
    # Once the wait is over the owner gets in, and the count starts again.
    actor = sign_in(world.store, "victim_h", PIN, terminal="t", now=now + MAX_DELAY)
    assert actor.username == "victim_h"
    assert world.store.one("SELECT count(*) FROM sign_in_throttle WHERE username = 'victim_h'")[0] == 0


def test_while_throttled_even_the_right_secret_waits(world):
    for _ in range(3):
        _fail(world.store, "victim_h", now=T0)
    assert _fail(world.store, "victim_h", PIN, now=T0 + timedelta(seconds=1)).startswith("Too many tries")
    assert sign_in(world.store, "victim_h", PIN, terminal="t", now=T0 + timedelta(seconds=3)).username == "victim_h"


def test_guesses_fired_at_once_are_throttled_too(world):
    """Each attempt is counted before its secret is checked, so parallel guesses
    cannot all slip through the free attempts."""
    results: list[str] = []

    def guess(n: int) -> None:
        try:
            sign_in(world.store, "victim_h", f"99{n:02d}", terminal="t", now=T0)
        except SignInError as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = results.count(FAILED_MESSAGE)
    assert len(results) == 12
    assert checked <= auth.FREE_ATTEMPTS + 1, results  # the rest waited without a check


def test_an_administrator_reset_lifts_the_wait(world, ref):
    from seop_tui.services.accounts import admin_reset, system_actor

    for _ in range(6):
        _fail(world.store, "victim_h", now=datetime.now(UTC))
    new = admin_reset(world.store, ref, system_actor(), "victim_h")
    assert sign_in(world.store, "victim_h", new, terminal="t").must_change_secret


def test_huge_input_is_refused_quickly_and_the_same_way(world):
    import time

    started = time.perf_counter()
    assert _fail(world.store, "victim_h", "9" * 1_000_000) == FAILED_MESSAGE
    assert _fail(world.store, "x" * 1_000_000, PIN) == FAILED_MESSAGE
    assert time.perf_counter() - started < 10
    logged = _audit(world.store, "sign_in_failed")[-1]["what"]
    assert len(logged) < 200


# -- logging -------------------------------------------------------------------------------------


def test_every_failure_and_throttle_is_logged_with_the_terminal(world):
    for _ in range(3):
        _fail(world.store, "victim_h", now=T0)
    _fail(world.store, "victim_h", now=T0 + timedelta(seconds=1))  # throttled
    _fail(world.store, "ghost", now=T0)
    rows = _audit(world.store, "sign_in_failed")
    assert [r["what"] for r in rows] == [
        "victim_h: wrong secret (1 in a row)",
        "victim_h: wrong secret (2 in a row)",
        "victim_h: wrong secret (3 in a row)",
        "victim_h: throttled",
        "ghost: unknown account (1 in a row)",
    ]
    account = world.store.one("SELECT id FROM accounts WHERE username = 'victim_h'")[0]
    assert {r["account_id"] for r in rows[:4]} == {account} and rows[4]["account_id"] is None
    assert {r["terminal"] for r in rows} == {"ssh:192.0.2.9"}


def test_control_characters_typed_as_a_username_are_not_logged(world):
    _fail(world.store, "\x1b[2Jevil\x1b]52;c;eA==\x07")
    assert _audit(world.store, "sign_in_failed")[-1]["what"] == "evil: unknown account (1 in a row)"


def test_sign_in_and_sign_out_are_recorded(world):
    actor = sign_in(world.store, "counselor_h", PASSWORD, terminal="ssh:198.51.100.4")
    sign_out(world.store, actor, "idle time-out")
    sign_in_row, sign_out_row = _audit(world.store, "sign_in")[-1], _audit(world.store, "sign_out")[-1]
    assert sign_in_row["account_id"] == sign_out_row["account_id"] == actor.account_id
    assert sign_out_row["what"] == "idle time-out" and sign_out_row["terminal"] == "ssh:198.51.100.4"


def test_an_account_with_no_person_behind_it_is_refused_and_logged(world):
    with world.store.write() as db:
        db.execute("UPDATE students SET account_id = NULL WHERE id = ?", [world.students["classmate_h"]])
    assert _fail(world.store, "classmate_h", PIN) == FAILED_MESSAGE
    assert _audit(world.store, "sign_in_failed")[-1]["what"] == "classmate_h: account has no student or staff record"
