"""Backups with SQLite's online backup API (consistent while sessions write), and restore.

A backup is copied in one step inside one read transaction: in WAL mode that
never blocks the sessions that are writing, and it never has to start over
because they wrote (a page-by-page copy restarts on every change made by
another connection, and with a lab saving every second it might never finish).

A restore checks the backup first (an SQLite file, passes integrity_check, a
seop database, a schema this version knows) and changes nothing when a check
fails. The database it replaces is kept aside, owner-only, beside it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from seop_tui import schema
from seop_tui.storage import StorageError, Store, _check_location, connect, open_store, owner_only_umask

SQLITE_HEADER = b"SQLite format 3\x00"
SEOP_TABLES = ("accounts", "students", "plans", "audit_log")


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
        partial.unlink(missing_ok=True)  # left by an interrupted run: start clean, owner-only
        target = sqlite3.connect(partial)
    try:
        store.conn.backup(target)  # pages=-1: one step, one consistent snapshot
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


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    schema_version: int
    students: int
    last_activity: str | None  # the newest audit row: roughly when the backup was taken


def check_backup(path: Path) -> BackupInfo:
    """Check that `path` is a sound seop database this version can use; raise BackupError if not."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a seop backup (it is not an SQLite file). Nothing was changed.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened: {exc}. Nothing was changed.") from None
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{path} is damaged ({verdict}). Nothing was changed; try an older backup.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        seop = "_sqlite_migrations" in tables and conn.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'seop'"
        ).fetchone()[0]
        if not seop or not set(SEOP_TABLES) <= tables:
            raise BackupError(f"{path} is an SQLite file but not a seop database. Nothing was changed.")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise BackupError(
                f"{path} was made by a newer version of seop (schema {version}; this version knows up to "
                f"{schema.SCHEMA_VERSION}). Upgrade seop first. Nothing was changed."
            )
        students = conn.execute("SELECT count(*) FROM students").fetchone()[0]
        last = conn.execute("SELECT max(at) FROM audit_log").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a database: {exc}. Nothing was changed.") from None
    finally:
        conn.close()
    return BackupInfo(path, version, students, last)


def aside_name(db: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return db.with_name(f"{db.name}.before-restore-{stamp}")


def restore_from(backup: Path, db: Path) -> Path | None:
    """Replace the database at `db` with the checked `backup`.

    The current database is kept aside first (returned; None when there was
    none): a working one is copied with the backup API and then overwritten in
    place through SQLite, so sessions that still have it open see the restored
    data and nothing is written to an unlinked file; a damaged one is moved
    aside with its -wal and -shm files. The restored database is brought up to
    this version's schema and checked again.
    """
    backup, db = Path(backup), Path(db)
    check_backup(backup)
    try:
        _check_location(db)
    except StorageError as exc:
        raise BackupError(str(exc)) from None
    if db.exists() and db.resolve() == backup.resolve():
        raise BackupError("That backup is the database itself. Nothing was changed.")
    aside = aside_name(db) if db.exists() else None
    live = _open_if_usable(db) if db.exists() else None
    if aside is not None and live is not None:
        try:
            backup_to(live, aside)
        finally:
            live.close()
    elif aside is not None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{db}{suffix}").rename(Path(f"{aside}{suffix}"))
    _copy_into(backup, db)
    try:
        restored = open_store(db)
    except StorageError as exc:
        reason = str(exc).replace(" Nothing was changed.", "")
        raise BackupError(f"The restored database did not open: {reason} The previous one is kept at {aside}.") from None
    try:
        verdict = restored.one("PRAGMA integrity_check")[0]
        if verdict != "ok":
            raise BackupError(f"The restored database failed its check ({verdict}). The previous one is at {aside}.")
    finally:
        restored.close()
    return aside


def _open_if_usable(db: Path) -> Store | None:
    try:
        return open_store(db, create=False)
    except StorageError:
        return None


def _copy_into(backup: Path, db: Path) -> None:
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    with owner_only_umask():
        target = connect(db)  # WAL, owner-only files, busy timeout: waits for writers
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"Copying the backup in failed: {exc}.") from None
    finally:
        source.close()
        target.close()
