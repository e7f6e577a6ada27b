"""Synthetic districts for the benchmarks, built with the demo generator.

A district is built once per size and seed into bench/data/ with the `seop demo`
command (as an administrator would), timed, and reused by later runs: a marker
file beside it records the build and its time. `fresh_copy` gives a throwaway
copy for benchmarks that write (the lab load).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class District:
    path: Path
    students: int
    seed: int
    build_seconds: float
    built_at: str  # when it was built (and its build time measured)
    built_now: bool  # built in this run


def seop_command() -> list[str]:
    """The installed `seop` beside this Python, else the module."""
    script = Path(sys.executable).with_name("seop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "seop_tui.cli"]


def district(students: int, seed: int = 2026, *, rebuild: bool = False, folder: Path = DATA) -> District:
    path = folder / f"district-{students}-seed{seed}.db"
    marker = path.with_suffix(".json")
    if not rebuild and path.exists() and marker.exists():
        info = json.loads(marker.read_text())
        if info.get("students") == students and info.get("seed") == seed:
            return District(path, students, seed, info["build_seconds"], info["built_at"], False)
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".json"):
        Path(f"{path}{suffix}" if suffix != ".json" else marker).unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [*seop_command(), "--db", str(path), "demo", "--students", str(students), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    built_at = datetime.now().astimezone().isoformat(timespec="seconds")
    marker.write_text(json.dumps({"students": students, "seed": seed, "build_seconds": seconds, "built_at": built_at}))
    return District(path, students, seed, seconds, built_at, True)


def fresh_copy(source: Path, target: Path, attempts: int = 6) -> Path:
    """A consistent copy of `source` (SQLite's backup, so its WAL is included).

    Tried again after a pause when SQLite reports the source unreadable: right after the
    start-up figure, app processes killed with their tmux session are still letting go.
    """
    for attempt in range(attempts):
        remove(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            break
        except sqlite3.DatabaseError as exc:
            if attempt == attempts - 1:
                raise
            print(f"  copying {source.name} failed ({exc}); trying again", flush=True)
            time.sleep(5)
        finally:
            dst.close()
            src.close()
    os.chmod(target, 0o600)
    return target


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
