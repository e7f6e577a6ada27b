"""What the start-up shortcuts keep: the same command line, the same refusals."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from seop_tui import cli
from seop_tui.cli import _start_options, main, start_app
from seop_tui.reference import load_reference
from seop_tui.storage import StorageError, open_store


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {}),
        (["--db", "x.db"], {"--db": "x.db"}),
        (["--db=x.db", "--data-dir", "d"], {"--db": "x.db", "--data-dir": "d"}),
        (["--db", "x.db", "check"], None),  # a sub-command: click
        (["--help"], None),
        (["--version"], None),
        (["--db"], None),  # a value missing: click says so
        (["--db", "a", "--db", "b"], None),
    ],
)
def test_only_plain_starts_skip_click(argv, expected):
    assert _start_options(argv) == expected


def test_a_missing_database_goes_to_click(tmp_path):
    assert start_app(["--db", str(tmp_path / "none.db")]) is False


def test_a_damaged_database_goes_to_click_which_says_why(tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    path.write_text("not a database at all\n" * 50)
    assert start_app(["--db", str(path)]) is False
    result = CliRunner().invoke(main, ["--db", str(path)])
    assert result.exit_code != 0 and "not an SQLite file" in result.output


def test_main_is_still_the_click_group_for_sub_commands(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "check"])
    assert result.exit_code == 0 and "Data files OK" in result.output
    assert main.name == "main" and "demo" in main.commands
    assert cli.main is main


def _damage_first_page_of(path, table: str) -> None:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))


def test_a_damaged_index_is_refused_at_open(tmp_path):
    path = tmp_path / "a.db"
    store = open_store(path)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    _damage_first_page_of(path, "idx_students_family_name_given_name")
    with pytest.raises(StorageError, match="damaged"):
        open_store(path)


def test_damage_deep_in_a_table_is_found_by_seop_check(tmp_path):
    # Opening reads only each table's first page; `seop check` reads everything.
    path = tmp_path / "a.db"
    store = open_store(path)
    with store.write() as db:
        db["guardians"].insert_all({"given_name": "G" * 200, "family_name": str(i)} for i in range(2000))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaves = [r[0] for r in store.query("SELECT pageno FROM dbstat WHERE name = 'guardians' AND pagetype = 'leaf' ORDER BY pageno")] if _has_dbstat(store) else []
    store.close()
    if not leaves:
        pytest.skip("this SQLite has no dbstat table to find a leaf page")
    page_size = 4096
    data = bytearray(path.read_bytes())
    middle = leaves[len(leaves) // 2]
    data[(middle - 1) * page_size + 100 : middle * page_size] = b"\xff" * (page_size - 100)
    path.write_bytes(bytes(data))
    open_store(path).close()
    result = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert result.exit_code == 1


def _has_dbstat(store) -> bool:
    try:
        store.one("SELECT 1 FROM dbstat LIMIT 1")
        return True
    except sqlite3.OperationalError:
        return False


# -- what the sign-in screen loads ------------------------------------------------------

SIGN_IN_PROBE = """
import asyncio, json, sys
from pathlib import Path

import seop_tui.cli  # the command's own module, as `seop` loads it
from seop_tui.reference import load_reference
from seop_tui.storage import open_store
from screens.app import make_app


async def main():
    app = make_app(open_store(Path(sys.argv[1]), create=False), load_reference())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [str(w.render()) for w in app.screen.query("Static")]
        css = [[path, class_var] for path, class_var in app.stylesheet.source]
        print(json.dumps({"shown": shown, "modules": sorted(sys.modules), "css": css}))


asyncio.run(main())
"""


def _sign_in_screen_in_a_fresh_process(tmp_path) -> dict:
    db = tmp_path / "a.db"
    open_store(db).close()
    load_reference()  # the checked-data cache, as after a server's first start
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", SIGN_IN_PROBE, str(db)], capture_output=True, text=True, cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_sign_in_screen_comes_up_without_what_only_a_session_needs(tmp_path):
    # Each of these cost start-up time for every session (bench/README.md, start-up).
    seen = _sign_in_screen_in_a_fresh_process(tmp_path)
    assert "Username" in seen["shown"] and "Sign in" in seen["shown"]
    loaded = set(seen["modules"])
    later = {
        "click": "sub-commands only",
        "yaml": "the data comes from the checked cache",
        "sqlite_utils": "loaded for the first write",
        "argon2": "loaded to check a secret",
        "seop_tui.services.auth": "loaded by the sign-in worker",
        "seop_tui.services.audit": "loaded by the sign-in worker",
        "screens.base": "session screens load at sign-in",
        "screens.student_home": "session screens load at sign-in",
    }
    assert {name: why for name, why in later.items() if name in loaded} == {}
    # Stylesheets parsed before the screen shows: only the sign-in screen's own file of
    # ours, and no Button (its default stylesheet alone took a twentieth of the time).
    ours = [Path(path).name for path, _ in seen["css"] if Path(path).parent.name == "screens"]
    assert ours == ["signin.tcss"]
    widgets = {class_var.removesuffix(".DEFAULT_CSS") for _, class_var in seen["css"] if class_var}
    assert not widgets & {"Button", "Label", "Footer", "Header"}
