"""The database refuses what it cannot use safely, and changes nothing when it does
(moved here from tests/test_storage.py so the security tests are in one place):

- a file that is not SQLite, a corrupt database, a database from a newer version;
- a database on a network filesystem (SQLite's write-ahead log is unsafe there);
- every file it creates is owner-only (database, -wal, -shm).
"""

import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from seop_tui.cli import main
from seop_tui.schema import SCHEMA_VERSION
from seop_tui.storage import StorageError, open_store


def test_files_are_owner_only(tmp_path):
    os.umask(0o022)
    store = open_store(tmp_path / "a.db")
    with store.write() as db:
        db["district"].insert({"name": "Test"})
    for suffix in ("", "-wal", "-shm"):
        mode = stat.S_IMODE(os.stat(f"{tmp_path / 'a.db'}{suffix}").st_mode)
        assert mode & 0o077 == 0, (suffix, oct(mode))
    store.close()


def test_newer_schema_is_refused(tmp_path):
    open_store(tmp_path / "a.db").close()
    raw = sqlite3.connect(tmp_path / "a.db")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StorageError, match="newer version of seop"):
        open_store(tmp_path / "a.db")


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 20)
    with pytest.raises(StorageError, match="not an SQLite file"):
        open_store(path)
    assert path.read_text().startswith("these are my notes")


def damaged_database(path):
    """A seop database at `path` with pages in the middle overwritten."""
    store = open_store(path)
    with store.write() as db:
        db["district"].insert({"name": "x" * 20000})
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    path.write_bytes(bytes(data))


def test_corrupt_database_is_refused(tmp_path):
    path = tmp_path / "a.db"
    damaged_database(path)
    with pytest.raises(StorageError):
        open_store(path)


def test_network_filesystem_is_refused(tmp_path, monkeypatch):
    import seop_tui.storage as storage

    monkeypatch.setattr(storage, "filesystem_type", lambda path: "nfs4")
    with pytest.raises(StorageError, match="network filesystem"):
        open_store(tmp_path / "a.db")
    assert not (tmp_path / "a.db").exists()


def test_filesystem_type_reads_proc_mounts(tmp_path):
    from seop_tui.storage import filesystem_type

    if not os.path.exists("/proc/mounts"):
        pytest.skip("no /proc/mounts")
    assert filesystem_type(tmp_path) not in (None, "")


@pytest.mark.parametrize("content", [b"these are my notes\n" * 50, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_the_command_refuses_a_bad_file_with_a_clear_message(tmp_path, content):
    path = tmp_path / "seop.db"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert result.exit_code != 0 and "Nothing was changed" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == content
