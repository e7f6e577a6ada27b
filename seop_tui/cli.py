"""The `seop` command: starts the app, and sub-commands for set-up and upkeep.

`main` is the click group of seop_tui/cli_commands.py, loaded on first use. Plain
`seop` (optionally with --db and --data-dir) starts the app without loading click
at all: importing click is a tenth of the app's start-up time (bench/). Anything
else on the command line, and any problem on the way (a broken data file, no
database yet), goes through click as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEMO_STUDENTS = 400


class Context:
    def __init__(self, db: Path, data_dir: Path | None):
        self.db = db
        self.data_dir = data_dir

    def reference(self):
        import click

        from seop_tui.reference import DataFileError, load_reference

        try:
            return load_reference(self.data_dir)
        except DataFileError as exc:
            raise click.ClickException(f"District data file problem: {exc}") from None

    def store(self, *, create: bool = False):
        import click

        from seop_tui.storage import StorageError, open_store

        try:
            return open_store(self.db, create=create)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None


def _start_options(argv: list[str]) -> dict[str, str] | None:
    """--db and --data-dir when they are all there is on the command line, else None."""
    options: dict[str, str] = {}
    args = iter(argv)
    for arg in args:
        name, equals, value = arg.partition("=")
        if name not in ("--db", "--data-dir") or name in options:
            return None
        if not equals:
            value = next(args, None)
            if value is None or value.startswith("-") or not value:
                return None
        options[name] = value
    return options


def start_app(argv: list[str]) -> bool:
    """Start the app for plain `seop`; False when click has to handle the command line."""
    options = _start_options(argv)
    if options is None:
        return False
    from seop_tui.paths import data_override_dir, default_db_path

    db = Path(options["--db"]) if "--db" in options else default_db_path()
    data_dir = Path(options["--data-dir"]) if "--data-dir" in options else data_override_dir()
    if not db.is_file() or (data_dir is not None and not data_dir.is_dir()):
        return False  # first run (the demo is built) or a mistake: click says what to do
    from seop_tui.reference import DataFileError, load_reference
    from seop_tui.storage import StorageError, open_store

    try:
        ref = load_reference(data_dir)
        store = open_store(db, create=False)
    except (DataFileError, StorageError):
        return False  # click reports it
    from screens.app import make_app

    try:
        make_app(store, ref).run()
    finally:
        store.close()
    return True


class _Seop:
    """`main`: the click group, except that calling it for plain `seop` starts the app directly."""

    def __call__(self, *args, **kwargs):
        if not args and not kwargs and start_app(sys.argv[1:]):
            return None
        return _group()(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(_group(), name)


def _group():
    from seop_tui.cli_commands import main as group

    return group


main = _Seop()

if __name__ == "__main__":
    main()
