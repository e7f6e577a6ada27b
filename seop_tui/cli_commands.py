"""The `seop` command's click group: starting the app, demo data, backup, check.

Loaded by seop_tui.cli on first use: a plain `seop` (start the app) does not
need click at all (see seop_tui/cli.py). Sub-command groups live in
cli_admin.py and cli_reports.py, registered on this group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from seop_tui import __version__
from seop_tui.cli import DEMO_STUDENTS, Context
from seop_tui.paths import data_override_dir, default_db_path


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $SEOP_DB, else a demo database in your data folder).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A district folder whose YAML files replace the shipped ones (default: $SEOP_DATA_DIR).",
)
@click.version_option(__version__, prog_name="seop")
@click.pass_context
def main(ctx: click.Context, db: Path | None, data_dir: Path | None) -> None:
    """seop: Student Education Plans (K-5) and Student Education Occupational Plans (6-12).

    With no command, starts the app. The first start with no database creates
    a demo district so you can try it straight away.
    """
    ctx.obj = Context(db or default_db_path(), data_dir or data_override_dir())
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


@main.command()
@click.pass_obj
def run(obj: Context) -> None:
    """Start the app (the default when no command is given)."""
    ref = obj.reference()
    if not obj.db.exists():
        if obj.db != default_db_path():
            raise click.ClickException(
                f"{obj.db} does not exist. Set a district up in it with `seop --db {obj.db} setup`,"
                f" or build a demo district with `seop --db {obj.db} demo`."
            )
        click.echo(f"No database yet: creating a demo district at {obj.db} ...")
        _build_demo(obj, ref, DEMO_STUDENTS, 2026)
        if sys.stdin.isatty():
            click.pause("Note a sign-in above, then press any key to start.")
    store = obj.store()
    from screens.app import make_app

    make_app(store, ref).run()
    store.close()


@main.command()
@click.option("--students", default=DEMO_STUDENTS, show_default=True, type=click.IntRange(20, 1_000_000), help="How many students.")
@click.option("--seed", default=2026, show_default=True, type=int, help="Random seed: the same seed builds the same district.")
@click.option("--force", is_flag=True, help="Replace an existing database file.")
@click.pass_obj
def demo(obj: Context, students: int, seed: int, force: bool) -> None:
    """Build a synthetic demo district and print its sign-ins."""
    if obj.db.exists():
        if not force:
            raise click.ClickException(f"{obj.db} already exists. Use --force to replace it.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{obj.db}{suffix}").unlink(missing_ok=True)
    _build_demo(obj, obj.reference(), students, seed)


def _build_demo(obj: Context, ref, students: int, seed: int) -> None:
    from seop_tui.demo import build_demo

    store = obj.store(create=True)
    try:
        with click.progressbar(length=students, label="Building demo district", file=sys.stderr) as bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            summary = build_demo(store, ref, students=students, seed=seed, progress=progress)
    finally:
        store.close()
    click.echo(f"Demo district written to {obj.db}")
    click.echo(f"{summary.students} students, {summary.staff} staff, {summary.schools} schools.")
    click.echo("Sign in with:")
    for s in summary.sign_ins:
        click.echo(f"  {s.username:<12} {s.secret:<16} {s.role:<13} {s.name} ({s.shows})")


@main.command()
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup(obj: Context, destination: Path) -> None:
    """Copy the database to DESTINATION with SQLite's online backup (safe while in use)."""
    from seop_tui.backup import BackupError, backup_to

    store = obj.store()
    try:
        backup_to(store, destination)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"Backed up {obj.db} to {destination}")


@main.command("check")
@click.pass_obj
def check(obj: Context) -> None:
    """Check the district data files and the database, and say what was found."""
    ref = obj.reference()
    click.echo(f"Data files OK ({ref.source}): {len(ref.clusters.clusters)} clusters, {len(ref.courses.courses)} courses.")
    if not obj.db.exists():
        click.echo(f"No database at {obj.db}.")
        return
    from seop_tui.storage import schema_version

    store = obj.store()
    try:
        result = store.one("PRAGMA integrity_check")[0]
        students = store.one("SELECT count(*) FROM students")[0]
        click.echo(f"Database {obj.db}: schema {schema_version(store.conn)}, integrity {result}, {students} students.")
        if result != "ok":
            sys.exit(1)
    finally:
        store.close()


# Sub-command groups kept in their own modules; imported last so `main` exists.
from seop_tui import cli_admin, cli_import, cli_reports, cli_year  # noqa: E402, F401
