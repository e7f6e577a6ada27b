"""The one module that owns SQLite: opening, pragmas, transactions, migrations.

Rules kept here so no caller has to remember them:
- WAL journal, synchronous=FULL (a reported save survives power loss),
  foreign keys on, a busy timeout so concurrent sessions wait instead of failing.
- Every write runs inside `BEGIN IMMEDIATE` (see `Store.write`): a deferred
  transaction that reads and then writes can fail with SQLITE_BUSY at once.
- One connection per thread: `Store` hands each thread its own connection.
- New files are created owner-only (umask 077), the -wal and -shm files too.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from typing import TYPE_CHECKING

from seop_tui import schema

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 30_000
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afs", "ncpfs", "glusterfs", "ceph"}


class StorageError(Exception):
    """The database cannot be used; the message says why in plain words."""


@contextlib.contextmanager
def owner_only_umask() -> Iterator[None]:
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def filesystem_type(path: Path) -> str | None:
    """The mount type holding `path`, from /proc/mounts (None when unknown)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def _check_location(path: Path) -> None:
    fs = filesystem_type(path.parent if not path.exists() else path)
    if fs in NETWORK_FILESYSTEMS:
        raise StorageError(
            f"{path} is on a network filesystem ({fs}). SQLite's write-ahead log is not safe there; "
            "keep the database on the server's local disk."
        )


def _check_header(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise StorageError(f"{path} is not a seop database (it is not an SQLite file). Nothing was changed.")


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with the app's pragmas; autocommit mode so transactions are explicit."""
    with owner_only_umask():
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StorageError(f"{path} cannot be opened as a database: {exc}. Nothing was changed.") from None
        if str(path) != ":memory:" and mode.lower() != "wal":
            conn.close()
            raise StorageError(f"{path}: could not switch to write-ahead logging (got {mode}).")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    conn.row_factory = sqlite3.Row
    return conn


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Writes:
    """What a write transaction offers: SQL, and a table's insert, update and upsert.

    These three are all a session's saves need, so they are written here; anything
    else (insert_all, ...) is handed to sqlite-utils, imported then. Sessions never
    load it: with what it pulls in (click, dateutil, pluggy) it is 5 MiB in every
    session on a server that runs hundreds.
    """

    def __init__(self, store: Store):
        self._store = store
        self.conn = store.conn

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def __getitem__(self, table: str) -> _Table:
        return _Table(self, table)

    def __getattr__(self, name: str):
        return getattr(self._store.db, name)


class _Table:
    def __init__(self, writes: Writes, name: str):
        self._writes, self.name = writes, name
        self.last_pk: int | None = None

    def insert(self, row: dict) -> _Table:
        """Insert `row`; `last_pk` is its rowid (the id of the app's tables)."""
        columns = ", ".join(map(_quoted, row))
        marks = ", ".join("?" * len(row))
        cursor = self._writes.conn.execute(f"INSERT INTO {_quoted(self.name)} ({columns}) VALUES ({marks})", list(row.values()))
        self.last_pk = cursor.lastrowid
        return self

    def update(self, pk: int, changes: dict) -> _Table:
        """Change the row whose id (rowid) is `pk`; LookupError when there is none."""
        if changes:
            sets = ", ".join(f"{_quoted(c)} = ?" for c in changes)
            cursor = self._writes.conn.execute(f"UPDATE {_quoted(self.name)} SET {sets} WHERE rowid = ?", [*changes.values(), pk])
            if cursor.rowcount == 0:
                raise LookupError(f"no row {pk} in {self.name}")
        self.last_pk = pk
        return self

    def upsert(self, row: dict, pk: str) -> _Table:
        """Insert `row`, or change the row with the same `pk` column value."""
        others = [c for c in row if c != pk]
        sets = ", ".join(f"{_quoted(c)} = excluded.{_quoted(c)}" for c in others)
        conflict = f"DO UPDATE SET {sets}" if others else "DO NOTHING"
        columns = ", ".join(map(_quoted, row))
        self._writes.conn.execute(
            f"INSERT INTO {_quoted(self.name)} ({columns}) VALUES ({', '.join('?' * len(row))}) ON CONFLICT ({_quoted(pk)}) {conflict}",
            list(row.values()),
        )
        self.last_pk = row[pk]
        return self

    def __getattr__(self, name: str):
        return getattr(self._writes._store.db[self.name], name)


class Store:
    """A database file shared by many sessions; one connection per thread."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    # -- connections ---------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils view of this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils  # imported on first use: keeps start-up fast

            db = sqlite_utils.Database(self.conn, execute_plugins=False)
            self._local.db = db
        return db

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    # -- transactions --------------------------------------------------------

    @contextlib.contextmanager
    def write(self, *, check_only: bool = False) -> Iterator[Writes]:
        """A write transaction taken with BEGIN IMMEDIATE; commits on success. With
        `check_only` it is rolled back instead: the work is done (and its problems found)
        exactly as it would be, and nothing is kept."""
        conn = self.conn
        if conn.in_transaction:
            raise StorageError("nested write transaction")
        db = Writes(self)  # needs no import: nothing waits on one while holding the lock
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("ROLLBACK" if check_only else "COMMIT")

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def open_store(path: Path | str, *, create: bool = True) -> Store:
    """Open (and create or upgrade) the database at `path`.

    Refuses a file that is not SQLite, a corrupt file, a database written by a
    newer version of the app, and a file on a network filesystem.
    """
    path = Path(path)
    if not path.exists() and not create:
        raise StorageError(f"{path} does not exist.")
    with owner_only_umask():
        path.parent.mkdir(parents=True, exist_ok=True)
    _check_location(path)
    _check_header(path)
    store = Store(path)
    try:
        conn = store.conn
        found = schema_version(conn)
        if found > schema.SCHEMA_VERSION:
            raise StorageError(
                f"{path} was written by a newer version of seop (schema {found}; this version knows "
                f"up to {schema.SCHEMA_VERSION}). Upgrade seop before opening it. Nothing was changed."
            )
        if found < schema.SCHEMA_VERSION:
            migrate(store)
        _check_structure(conn, path)
    except sqlite3.DatabaseError as exc:
        store.close()
        raise StorageError(f"{path} cannot be used as a database: {exc}. Nothing was changed.") from None
    except BaseException:
        store.close()
        raise
    return store


def _check_structure(conn: sqlite3.Connection, path: Path) -> None:
    """Read the schema and the first page of every table and index.

    A quick check of the whole file reads every page (over half a second at
    district size), too slow for every start of the app. This catches a
    damaged schema or b-tree root in milliseconds; the full check runs in
    `seop check` and around every backup and restore (seop_tui/backup.py).
    """
    try:
        objects = conn.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0").fetchall()
        for kind, name, table in objects:
            name, table = name.replace('"', '""'), table.replace('"', '""')
            if kind == "table":
                conn.execute(f'SELECT * FROM "{name}" LIMIT 1').fetchall()
                continue
            try:
                conn.execute(f'SELECT 1 FROM "{table}" INDEXED BY "{name}" LIMIT 1').fetchall()
            except sqlite3.OperationalError as exc:
                if "no query solution" not in str(exc):  # a partial index cannot be scanned alone
                    raise
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path} is damaged ({exc}). Restore it from a backup; nothing was changed.") from None


def migrate(store: Store) -> None:
    """Apply pending migrations in one immediate transaction, then stamp the version."""
    with store.write() as db:
        # Another process may have migrated while we waited for the lock.
        if schema_version(store.conn) >= schema.SCHEMA_VERSION:
            return
        schema.APP_MIGRATIONS.migrations().apply(db)
        store.conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
