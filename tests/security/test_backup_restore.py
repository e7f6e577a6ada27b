"""`seop backup` (SQLite's online backup API: a consistent copy while sessions write)
and `seop restore` (checks the backup before replacing anything; keeps the old
database aside); every file owner-only. The basic backup tests are in
tests/test_backup.py."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from seop_tui.backup import BackupError, backup_to, check_backup, restore_from
from seop_tui.cli import main
from seop_tui.schema import SCHEMA_VERSION
from seop_tui.storage import open_store
from tests.security.test_storage_refusals import damaged_database

WRITER = textwrap.dedent(
    """
    import sys
    from seop_tui.storage import open_store
    store = open_store(sys.argv[1])
    i = 0
    while True:
        with store.write() as db:  # two rows per transaction: a consistent copy has both or neither
            db["district"].insert({"name": f"a{i}"})
            db["district"].insert({"name": f"b{i}"})
        if i == 0:
            print("writing", flush=True)
        i += 1
    """
)


def _digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "seop.db"
    store = open_store(path)
    with store.write() as d:
        d["district"].insert({"name": "Original District"})
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def test_a_backup_taken_while_another_process_writes_is_consistent(db, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        store = open_store(db)
        copies = []
        for n in range(3):
            copies.append(tmp_path / f"backup-{n}.db")
            backup_to(store, copies[-1])  # must not wait for the writer to stop
            time.sleep(0.1)
        store.close()
    finally:
        writer.kill()
        writer.wait()
    counts = []
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [r[0] for r in conn.execute("SELECT name FROM district WHERE name != 'Original District'")]
        assert len(names) % 2 == 0 and {n[1:] for n in names if n[0] == "a"} == {n[1:] for n in names if n[0] == "b"}
        counts.append(len(names))
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        assert _mode(copy) == 0o600
        conn.close()
    assert counts[-1] > 0 and counts == sorted(counts)  # taken while the writes went on


def test_seop_backup_writes_an_owner_only_file_whatever_the_umask(db, tmp_path):
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["--db", str(db), "backup", str(tmp_path / "nightly.db")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert _mode(tmp_path / "nightly.db") == 0o600


# -- restore checks the backup first -----------------------------------------------------------


def _not_sqlite(path):
    path.write_text("not a database\n" * 100)


def _other_sqlite(path):
    sqlite3.connect(path).execute("CREATE TABLE recipes (name)").connection.close()


def _newer(path):
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [(_not_sqlite, "not an SQLite file"), (damaged_database, "damaged|cannot be read"), (_other_sqlite, "not a seop database"), (_newer, "newer version")],
)
def test_restore_refuses_a_bad_backup_and_changes_nothing(db, tmp_path, make, message):
    bad = tmp_path / "bad-backup.db"
    make(bad)
    before = _digest(db)
    with pytest.raises(BackupError, match=message):
        restore_from(bad, db)
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "before-restore" in p.name) == []
    result = CliRunner().invoke(main, ["--db", str(db), "restore", str(bad), "--yes"])
    assert result.exit_code != 0 and "Nothing was changed" in result.output
    assert _digest(db) == before


def test_restore_refuses_the_database_itself(db):
    with pytest.raises(BackupError, match="database itself"):
        restore_from(db, db)


def test_restore_replaces_the_data_keeps_the_old_aside_and_open_sessions_see_it(db, tmp_path):
    store = open_store(db)
    backup_to(store, tmp_path / "monday.db")
    with store.write() as d:
        d["district"].insert({"name": "Added on Tuesday"})
    session = open_store(db)  # someone still signed in
    assert check_backup(tmp_path / "monday.db").schema_version == SCHEMA_VERSION
    aside = restore_from(tmp_path / "monday.db", db)
    assert [r[0] for r in session.query("SELECT name FROM district")] == ["Original District"]
    kept = sqlite3.connect(aside)
    assert [r[0] for r in kept.execute("SELECT name FROM district")] == ["Original District", "Added on Tuesday"]
    kept.close()
    for path in (db, aside):
        assert _mode(path) == 0o600
    session.close()
    store.close()


def test_restore_moves_a_damaged_database_aside(db, tmp_path):
    store = open_store(db)
    backup_to(store, tmp_path / "good.db")
    store.close()
    damaged_database(db)
    damaged = _digest(db)
    aside = restore_from(tmp_path / "good.db", db)
    assert _digest(aside) == damaged
    assert open_store(db).one("SELECT name FROM district")[0] == "Original District"


def test_restore_upgrades_an_older_backup(db, tmp_path):
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

    from seop_tui import schema

    old = tmp_path / "old.db"  # made by the first version: its first migration only
    first = Migrations("seop")
    first()(schema.APP_MIGRATIONS.functions[0])
    conn = sqlite3.connect(old)
    first.apply(sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    restore_from(old, db)
    store = open_store(db)
    assert store.one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert store.db["inspection_requests"].exists()
    store.close()


def test_seop_restore_asks_unless_told_yes(db, tmp_path):
    store = open_store(db)
    backup_to(store, tmp_path / "b.db")
    store.close()
    runner = CliRunner()
    refused = runner.invoke(main, ["--db", str(db), "restore", str(tmp_path / "b.db")])
    assert refused.exit_code != 0 and "--yes" in refused.output
    done = runner.invoke(main, ["--db", str(db), "restore", str(tmp_path / "b.db"), "--yes"])
    assert done.exit_code == 0 and "kept at" in done.output and "Restored" in done.output
