import sqlite3
import subprocess
import sys
import textwrap

import pytest

from seop_tui.schema import SCHEMA_VERSION
from seop_tui.storage import open_store, schema_version


def test_new_database_gets_every_migration(tmp_path):
    store = open_store(tmp_path / "a.db")
    assert schema_version(store.conn) == SCHEMA_VERSION
    applied = [r["name"] for r in store.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied[0] == "m001_core" and len(applied) == SCHEMA_VERSION
    for table in ("students", "plans", "conferences", "conference_attendees", "audit_log", "staff_training"):
        assert store.db[table].exists()
    store.close()


def test_reopening_is_a_no_op(tmp_path):
    open_store(tmp_path / "a.db").close()
    schema = sqlite3.connect(tmp_path / "a.db").execute("SELECT group_concat(sql) FROM sqlite_master").fetchone()
    store = open_store(tmp_path / "a.db")
    assert store.one("SELECT count(*) FROM _sqlite_migrations")[0] == SCHEMA_VERSION
    assert store.one("SELECT group_concat(sql) FROM sqlite_master")[0] == schema[0]
    store.close()


def test_pragmas_on_every_connection(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.write() as db:
            db["plans"].insert({"student_id": 999, "school_year_id": 1, "kind": "SEP", "grade": 1, "status": "draft", "version": 1})
    assert store.one("SELECT count(*) FROM plans")[0] == 0


def test_a_failed_write_changes_nothing(store):
    with pytest.raises(RuntimeError):
        with store.write() as db:
            db["district"].insert({"name": "Half done"})
            raise RuntimeError("crash mid-save")
    assert store.one("SELECT count(*) FROM district")[0] == 0


def test_each_thread_gets_its_own_connection(store):
    import threading

    seen = []
    t = threading.Thread(target=lambda: seen.append(store.conn))
    t.start()
    t.join()
    assert seen[0] is not store.conn


def test_older_schema_is_upgraded(tmp_path):
    # A database made before any migration (version 0, no tables) is brought up to date.
    sqlite3.connect(tmp_path / "old.db").execute("CREATE TABLE unrelated (x)").connection.close()
    store = open_store(tmp_path / "old.db")
    assert schema_version(store.conn) == SCHEMA_VERSION
    assert store.db["students"].exists() and store.db["unrelated"].exists()
    store.close()


WRITER = textwrap.dedent(
    """
    import sys
    from seop_tui.storage import open_store
    store = open_store(sys.argv[1])
    tag = sys.argv[2]
    for i in range(200):
        with store.write() as db:
            # read-then-write in one transaction: the pattern that fails under a deferred BEGIN
            n = db.execute("SELECT count(*) FROM district").fetchone()[0]
            db["district"].insert({"name": f"{tag}-{i}-{n}"})
    print("done")
    """
)


def test_two_processes_writing_concurrently_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"
    open_store(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        assert out.strip() == "done"
    store = open_store(path)
    names = [r[0] for r in store.query("SELECT name FROM district")]
    assert len(names) == 400
    for tag in ("a", "b"):
        assert {n.split("-")[1] for n in names if n.startswith(tag + "-")} == {str(i) for i in range(200)}
    # Each transaction saw every earlier insert: counts run 0..399 with no repeats.
    assert sorted(int(n.split("-")[2]) for n in names) == list(range(400))
    store.close()


def test_writes_insert_update_and_upsert(store):
    with store.write() as db:
        school = db["schools"].insert({"code": "DHS", "name": 'Desert "Hills"', "kind": "high", "low_grade": 9, "high_grade": 12}).last_pk
        db["schools"].update(school, {"name": "Desert Hills High"})
        year = db["school_years"].insert({"name": "2026-27", "starts_on": "2026-08-01", "ends_on": "2027-06-01", "is_current": 1}).last_pk
        student = db["students"].insert({"student_number": "1", "given_name": "Ana", "family_name": "Ruiz", "grade": 10, "school_id": school}).last_pk
        plan = db["plans"].insert({"student_id": student, "school_year_id": year, "kind": "SEOP", "grade": 10, "status": "draft", "version": 1}).last_pk
        db["postsecondary_plans"].upsert({"plan_id": plan, "education_choice": "military", "program": "Medic"}, pk="plan_id")
        db["postsecondary_plans"].upsert({"plan_id": plan, "education_choice": "university", "program": "Nursing"}, pk="plan_id")
    assert store.one("SELECT name FROM schools WHERE id = ?", (school,))[0] == "Desert Hills High"
    assert [tuple(r) for r in store.query("SELECT plan_id, education_choice, program FROM postsecondary_plans")] == [(plan, "university", "Nursing")]
    with pytest.raises(LookupError), store.write() as db:
        db["schools"].update(school + 99, {"name": "Nowhere"})


def test_writes_hand_anything_else_to_sqlite_utils(store):
    with store.write() as db:
        db["guardians"].insert_all([{"given_name": "G", "family_name": str(i)} for i in range(3)])
        assert db["guardians"].count == 3
    assert store.one("SELECT count(*) FROM guardians")[0] == 3


def test_a_students_saves_do_not_load_sqlite_utils(tmp_path):
    # Every session would carry it (5 MiB with click, dateutil, pluggy) on a server running hundreds.
    script = textwrap.dedent(
        f"""
        import sys
        from datetime import date
        from seop_tui.demo import build_demo
        from seop_tui.reference import load_reference
        from seop_tui.storage import open_store
        ref = load_reference()
        build_demo(open_store({str(tmp_path / "d.db")!r}), ref, students=60, seed=3, today=date(2026, 11, 2))
        for name in [m for m in sys.modules if m.startswith("sqlite_utils")]:
            del sys.modules[name]
        from seop_tui.services import goals, plans, postsecondary, strengths
        from seop_tui.services.auth import sign_in
        store = open_store({str(tmp_path / "d.db")!r})
        row = store.one("SELECT a.username FROM accounts a JOIN students s ON s.account_id = a.id JOIN plans p ON p.student_id = s.id"
                        " WHERE p.kind = 'SEOP' AND p.status = 'draft' AND p.grade >= 9 LIMIT 1")
        actor = sign_in(store, row[0], "1234")
        plan = plans.plan_for(store, ref, actor, actor.student_id)
        plan, _ = strengths.add_trait(store, actor, plan, "strength", "Patient with little kids")
        plan, _ = goals.save_goal(store, actor, plan, kind="career", text="Shadow a nurse")
        plan = postsecondary.save(store, actor, plan, education_choice="university", program="Nursing")
        print("loaded" if "sqlite_utils" in sys.modules else "not loaded")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=str(tmp_path.parent), timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "not loaded"


def test_a_check_only_write_does_the_work_and_keeps_nothing(store):
    with store.write(check_only=True) as db:
        db.execute("INSERT INTO district (name) VALUES ('Tried')")
        assert store.one("SELECT count(*) FROM district")[0] == 1  # seen inside the transaction
    assert store.one("SELECT count(*) FROM district")[0] == 0
    assert not store.conn.in_transaction
