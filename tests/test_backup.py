import os
import sqlite3
import stat

import pytest

from seop_tui.backup import BackupError, backup_to


def test_backup_is_a_complete_owner_only_copy(store, tmp_path):
    with store.write() as db:
        db["district"].insert({"name": "Washington County School District"})
    dest = tmp_path / "backups" / "seop-2026-11-27.db"
    backup_to(store, dest)
    assert stat.S_IMODE(os.stat(dest).st_mode) & 0o077 == 0
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT name FROM district").fetchone()[0] == "Washington County School District"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_never_overwrites(store, tmp_path):
    dest = tmp_path / "existing.db"
    dest.write_text("keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup_to(store, dest)
    assert dest.read_text() == "keep me"
