"""Backups with SQLite's online backup API: consistent while sessions write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from seop_tui.storage import Store, owner_only_umask


class BackupError(Exception):
    pass


def backup_to(store: Store, destination: Path) -> None:
    """Write a complete, checked copy of the database to `destination` (owner-only)."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name.")
    partial = destination.with_name(destination.name + ".partial")
    with owner_only_umask():
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(partial)
    try:
        store.conn.backup(target, pages=1024)
        verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"the copy failed its integrity check ({verdict}); nothing was kept.")
        target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    target.close()
    partial.rename(destination)
