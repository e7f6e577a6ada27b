"""`seop setup` and `seop year ...`: a new district's database, and the school years.

`seop setup` makes a new database the district's (first school year, first
administrator); `seop year rollover` starts the next school year once the current
one has ended, after a backup taken beside the database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from seop_tui.cli import Context, main
from seop_tui.cli_admin import _ask, _interactive, _read_secret
from seop_tui.cli_import import AS_HELP, _administrator, _Bar


@main.command()
@click.argument("username", required=False)
@click.option("--given-name", default=None, help="The administrator's given name.")
@click.option("--family-name", default=None, help="The administrator's family name.")
@click.option("--year", default=None, help="The first school year, e.g. 2026-27 (default: the one today falls in).")
@click.option("--secret-stdin", is_flag=True, help="Read the administrator's first password from standard input instead of generating one.")
@click.pass_obj
def setup(obj: Context, username, given_name, family_name, year, secret_stdin) -> None:
    """Set up a new district database: its first school year and a district administrator."""
    import questionary

    from seop_tui.domain.school_years import school_year_for
    from seop_tui.services.accounts import AccountError, generate_secret, system_actor
    from seop_tui.services.school_year import YearError, set_up_district

    ref = obj.reference()
    if year is None:
        year = school_year_for(date.today(), ref.district.school_year).name
    username = _ask(username, "USERNAME", lambda: questionary.text("Administrator's username:"))
    given_name = _ask(given_name, "--given-name", lambda: questionary.text("Administrator's given name:"))
    family_name = _ask(family_name, "--family-name", lambda: questionary.text("Administrator's family name:"))
    secret = _read_secret(secret_stdin) or generate_secret(ref, "administrator")
    existed = obj.db.exists()
    store = obj.store(create=True)
    try:
        first = set_up_district(
            store, ref, system_actor(), year=year, username=username, given_name=given_name, family_name=family_name, secret=secret
        )
    except (AccountError, YearError) as exc:
        store.close()
        if not existed:  # leave no half-made database behind: the next try starts clean
            for suffix in ("", "-wal", "-shm"):
                Path(f"{obj.db}{suffix}").unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from None
    store.close()
    name = username.strip().lower()
    click.echo(f"{ref.district.name} is set up in {obj.db}: school year {first.name} ({first.starts_on} to {first.ends_on}).")
    click.echo(f"District administrator: {name}")
    if not secret_stdin:
        click.echo(f"Temporary password: {secret}")
    click.echo("It must be changed at the first sign-in.")
    click.echo("Next: bring in the schools, staff and students with")
    click.echo(f"  seop --db {obj.db} import roster ROSTER.zip --as {name}")


@main.group()
def year() -> None:
    """School years: list them, and start the next one."""


@year.command("list")
@click.pass_obj
def list_years(obj: Context) -> None:
    """The school years, with how many plans each holds; * marks the current one."""
    store = obj.store()
    try:
        rows = store.query(
            "SELECT y.name, y.starts_on, y.ends_on, y.is_current, count(p.id) AS plans FROM school_years y"
            " LEFT JOIN plans p ON p.school_year_id = y.id GROUP BY y.id ORDER BY y.starts_on"
        )
    finally:
        store.close()
    if not rows:
        click.echo("No school years yet: set the district up with `seop setup`.")
    for r in rows:
        click.echo(f"{'*' if r['is_current'] else ' '} {r['name']}  {r['starts_on']} to {r['ends_on']}  {r['plans']} plans")


@year.command("rollover")
@click.option("--as", "as_user", required=True, help=AS_HELP)
@click.option("--check", is_flag=True, help="Only say what starting the next year would do; nothing is written.")
@click.option("--before-year-end", is_flag=True, help="Start the next year even though the current one has not reached its last day.")
@click.option("--no-backup", is_flag=True, help="Do not copy the database aside first.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.option("--list", "list_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the graduates and the students to place in a new school to this CSV file.")
@click.pass_obj
def rollover(obj: Context, as_user: str, check: bool, before_year_end: bool, no_backup: bool, yes: bool, list_path: Path | None) -> None:
    """Start the next school year: students move up a grade, graduates leave, new draft plans."""
    from seop_tui.backup import BackupError, backup_to
    from seop_tui.services.compliance import keep_all_results
    from seop_tui.services.context import AccessDenied
    from seop_tui.services.school_year import YearError, YearNotOver, roll_over

    ref = obj.reference()
    store = obj.store()
    try:
        actor = _administrator(store, as_user)
        today = date.today()
        try:
            preview = roll_over(store, ref, actor, today=today, check=True, before_year_end=before_year_end)
        except YearNotOver as exc:
            raise click.ClickException(f"{exc} To start it now anyway, add --before-year-end.") from None
        except (AccessDenied, YearError) as exc:
            raise click.ClickException(str(exc)) from None
        if check:
            for line in preview.lines():
                click.echo(line)
            if list_path is not None:
                _write_list(store, actor, preview, list_path)
            return
        if not yes:
            if not _interactive():
                raise click.UsageError("Starting a school year changes every student: add --yes to do it from a script.")
            for line in preview.lines()[1:]:
                click.echo(line)
            click.confirm(f"Start school year {preview.to_year} now?", abort=True)
        if not no_backup:
            copy = _free_name(obj.db, f"before-{preview.to_year}")
            try:
                backup_to(store, copy)
            except BackupError as exc:
                raise click.ClickException(f"{exc} The year was not started.") from None
            click.echo(f"Backed up to {copy} first.")
        try:
            summary = roll_over(store, ref, actor, today=today, before_year_end=before_year_end)
        except (AccessDenied, YearError) as exc:
            raise click.ClickException(str(exc)) from None
        for line in summary.lines():
            click.echo(line)
        if list_path is not None:
            _write_list(store, actor, summary, list_path)
        bar = _Bar("Updating compliance results")
        try:
            keep_all_results(store, ref, progress=bar)
        finally:
            bar.close()
    finally:
        store.close()


def _free_name(db: Path, label: str) -> Path:
    """district-before-2027-28.db beside the database, numbered when a try before left one."""
    suffix = db.suffix or ".db"
    copy, n = db.with_name(f"{db.stem}-{label}{suffix}"), 1
    while copy.exists():
        n += 1
        copy = db.with_name(f"{db.stem}-{label}-{n}{suffix}")
    return copy


def _write_list(store, actor, summary, path: Path) -> None:
    from seop_tui.services.reports import ReportFileError
    from seop_tui.services.school_year import write_list

    try:
        written = write_list(store, actor, summary, path)
    except ReportFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{len(summary.listed)} students listed in {written}.")
