"""First sign-ins in bulk after a roster import: what each account holds after, and who may do it."""

from pathlib import Path

import pytest

from seop_tui.imports.oneroster import parse_roster, read_source
from seop_tui.services import imports, sign_ins
from seop_tui.services.accounts import system_actor
from seop_tui.services.auth import sign_in
from seop_tui.services.context import AccessDenied
from seop_tui.services.sign_ins import NO_SIGN_IN, issue, waiting
from tests.factory import District

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def district(store):
    d = District(store)
    d.school("DHS", "high", 9, 12, name="Desert Hills High")
    d.staff("admin", "administrator", None)
    imports.import_roster(store, d.actor("admin"), parse_roster(read_source(DATA / "oneroster-1.1")), source="roster")
    return d


def accounts(store):
    return {r["username"]: (r["role"], r["secret_hash"] == NO_SIGN_IN, r["must_change_secret"]) for r in store.query("SELECT * FROM accounts WHERE username != 'admin'")}


def test_a_roster_brings_accounts_that_cannot_sign_in_yet(store, district):
    assert accounts(store) == {
        "ava.nguyen": ("student", True, 1), "ben.ortiz": ("student", True, 1), "cora.lee": ("student", True, 1),
        "eli.omoss": ("student", True, 1), "dev.patel": ("student", True, 1),
        "tara.wells": ("teacher", True, 1), "omar.reyes": ("teacher", True, 1),
    }
    linked = {r[0] for r in store.query("SELECT a.username FROM students s JOIN accounts a ON a.id = s.account_id")}
    assert linked == {"ava.nguyen", "ben.ortiz", "cora.lee", "eli.omoss", "dev.patel"}


def test_issue_gives_each_a_temporary_secret_changed_at_first_sign_in(store, ref, district):
    issued, notes = issue(store, ref, system_actor())
    assert notes == []
    assert [(i.username, i.role, i.school, i.grade) for i in issued] == [
        ("ava.nguyen", "student", "Desert Hills High", 10),
        ("ben.ortiz", "student", "Desert Hills High", 9),
        ("cora.lee", "student", "River View Elementary", 0),
        ("eli.omoss", "student", "River View Elementary", 5),
        ("dev.patel", "student", "River View Elementary", 3),
        ("tara.wells", "teacher", "Desert Hills High", None),
        ("omar.reyes", "teacher", "River View Elementary", None),
    ]
    for i in issued:
        actor = sign_in(store, i.username, i.secret)
        assert actor.must_change_secret
    assert all(len(i.secret) >= 4 and i.secret.isdigit() for i in issued if i.role == "student")  # the district uses PINs
    assert not any(nohash for _, nohash, _ in accounts(store).values())
    audited = {r[0] for r in store.query("SELECT student_id FROM audit_log WHERE action = 'account' AND what = 'first sign-in issued'")}
    assert len(audited) == 5
    assert issue(store, ref, system_actor()) == ([], [])  # nobody is left waiting


def test_one_school_or_one_group_at_a_time(store, ref, district):
    issued, _ = issue(store, ref, system_actor(), school_code="rve", group="students")
    assert [i.username for i in issued] == ["cora.lee", "eli.omoss", "dev.patel"]
    assert [w.username for w in waiting(store, system_actor())] == ["ava.nguyen", "ben.ortiz", "tara.wells", "omar.reyes"]
    with pytest.raises(LookupError, match="no school with code"):
        waiting(store, system_actor(), school_code="XYZ")


def test_a_student_without_an_account_gets_one_named_by_their_number(store, ref, district):
    with store.write() as db:
        db.execute("UPDATE students SET account_id = NULL WHERE student_number = '9100002'")
        db.execute("UPDATE students SET account_id = NULL, student_number = 'ava.nguyen' WHERE student_number = '9100001'")  # taken
    issued, notes = issue(store, ref, system_actor(), group="students", school_code="DHS")
    assert [i.username for i in issued] == ["9100002"]
    assert notes == ["Ava Nguyen (Desert Hills High): username 'ava.nguyen' is taken; create the account with seop admin create-user."]
    assert store.one("SELECT a.username FROM students s JOIN accounts a ON a.id = s.account_id WHERE s.student_number = '9100002'")[0] == "9100002"


def test_an_account_given_a_secret_meanwhile_is_left_as_it_is(store, ref, district, monkeypatch):
    real = sign_ins.hash_secret

    def hash_while_an_admin_resets(secret):
        with store.write() as db:  # another administrator, while the hashes are worked out
            db.execute("UPDATE accounts SET secret_hash = 'set-by-someone' WHERE username = 'tara.wells'")
        return real(secret)

    monkeypatch.setattr(sign_ins, "hash_secret", hash_while_an_admin_resets)
    issued, _ = issue(store, ref, system_actor(), group="staff")
    assert [i.username for i in issued] == ["omar.reyes"]
    assert store.one("SELECT secret_hash FROM accounts WHERE username = 'tara.wells'")[0] == "set-by-someone"


def test_only_administrators_and_a_school_administrator_for_their_school(store, ref, district):
    d = district
    rve = store.one("SELECT id FROM schools WHERE code = 'RVE'")[0]
    d.staff("principal", "administrator", rve)
    d.staff("counselor", "counselor", rve)
    with pytest.raises(AccessDenied):
        issue(store, ref, d.actor("counselor"), school_code="RVE")
    with pytest.raises(AccessDenied, match="your own school"):
        issue(store, ref, d.actor("principal"))
    issued, _ = issue(store, ref, d.actor("principal"), school_code="RVE")
    assert {i.school for i in issued} == {"River View Elementary"}


# ------------------------------------------------------------ a forgotten PIN at the lab


def test_staff_who_see_a_student_give_them_a_new_pin(store, ref):
    from seop_tui.services.auth import SignInError
    from seop_tui.services.sign_ins import reset_for_student
    from tests.factory import PIN

    d = District(store)
    hs = d.school("DHS")
    other = d.school("PVH")
    teacher = d.staff("mr.t", "teacher", hs)
    d.staff("counselor", "counselor", hs)
    d.staff("far.counselor", "counselor", other)
    sid = d.student("nina", 9, hs, "Nina", "Ninth", teacher_id=teacher)
    for _ in range(6):  # she tried and tried: now she must wait
        with pytest.raises(SignInError):
            sign_in(store, "nina", "0000")

    issued = reset_for_student(store, ref, d.actor("mr.t"), sid)
    assert (issued.username, issued.name, issued.grade) == ("nina", "Nina Ninth", 9)
    actor = sign_in(store, "nina", issued.secret)  # no wait left, and the new PIN works
    assert actor.must_change_secret
    with pytest.raises(SignInError):
        sign_in(store, "nina", PIN)  # the old one stopped working
    assert store.one("SELECT count(*) FROM audit_log WHERE student_id = ? AND what = 'new temporary sign-in given'", (sid,))[0] == 1

    for who in ("far.counselor", "nina"):
        with pytest.raises(AccessDenied):
            reset_for_student(store, ref, d.actor(who), sid)
