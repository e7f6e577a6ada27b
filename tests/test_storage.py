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
