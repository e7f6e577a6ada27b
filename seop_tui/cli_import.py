"""`seop import roster` and `seop import results`: an administrator's imports for scripts.

Like `seop report` and `seop export`, the command acts as a member of staff named
with `--as USERNAME`, who must be an active administrator: the audit log names
them. Files are checked in full before anything is written; a problem changes
nothing and is reported by file, line and field.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from seop_tui.cli import Context, main

AS_HELP = "Act as this administrator (the audit log names them)."
CHECK_HELP = "Only check the files and say what an import would do; nothing is written."


@main.group("import")
def import_group() -> None:
    """Imports for administrators: OneRoster rosters and assessment results."""


def _administrator(store, username: str):
    from seop_tui.cli_reports import _actor

    actor = _actor(store, username)
    if actor.role != "administrator":
        raise click.ClickException(f"--as {username}: imports are for administrators; that account is a {actor.role}.")
    return actor


class _Bar:
    """A progress callback (done, total) drawing click's bar once the total is known."""

    def __init__(self, label: str):
        self.label, self.bar, self.last = label, None, 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.last)
        self.last = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar, self.last = None, 0


def _run(obj: Context, as_user: str, check: bool, work) -> None:
    """Open the database, run `work(store, ref, actor, bar)` and print its summary, then the upkeep."""
    from seop_tui.imports.fields import ImportInvalid
    from seop_tui.services.context import AccessDenied
    from seop_tui.services.imports import after_import

    ref = obj.reference()
    store = obj.store()
    bar = _Bar("Importing")
    try:
        actor = _administrator(store, as_user)
        try:
            summary = work(store, ref, actor, bar)
        finally:
            bar.close()
        for line in summary.lines():
            click.echo(line)
        if not check:
            upkeep = _Bar("Updating compliance results")
            try:
                after_import(store, ref, progress=upkeep)
            finally:
                upkeep.close()
    except ImportInvalid as exc:
        click.echo("Nothing was imported. Problems found:", err=True)
        for line in exc.lines():
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    except (AccessDenied, LookupError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


@import_group.command("roster")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help=CHECK_HELP)
@click.option("--as", "as_user", metavar="USERNAME", required=True, help=AS_HELP)
@click.pass_obj
def import_roster(obj: Context, path: Path, check: bool, as_user: str) -> None:
    """Add or update schools, students, parents and guardians, staff and class rosters
    from a OneRoster 1.1 or 1.2 CSV export (PATH: its folder or .zip).

    People are matched by their sourcedId, so importing the next day's files updates
    them. Students marked tobedeleted or not enabled become inactive and cannot sign in;
    nothing is deleted.
    New students and staff get an account that signs in once given a first PIN or
    password (seop admin issue-sign-ins).
    """
    from seop_tui.imports.oneroster import parse_roster, read_source
    from seop_tui.services.imports import import_roster as run_import

    def work(store, ref, actor, bar):
        roster = parse_roster(read_source(path))
        return run_import(store, actor, roster, source=path.name, check=check, progress=bar)

    _run(obj, as_user, check, work)


@import_group.command("results")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help=CHECK_HELP)
@click.option("--as", "as_user", metavar="USERNAME", required=True, help=AS_HELP)
@click.pass_obj
def import_results(obj: Context, file: Path, check: bool, as_user: str) -> None:
    """Add assessment results from a CSV file (UTF-8, a header line, one result a line).

    \b
    Columns (any order; names as below):
      student_number  the student's number
      assessment      RISE, ASPIRE, ACT ... (codes in assessments.yaml)
      subject         ELA, MATH ... (that assessment's subject codes)
      grade_tested    KG or 1-12
      level           proficiency level 1-4 (level and/or scale_score)
      scale_score     where the test reports one
      test_date       YYYY-MM-DD or month/day/year (optional)

    A result already on file for the same student, assessment, subject and grade
    is replaced.
    """
    from seop_tui.imports.fields import ImportInvalid, Problem
    from seop_tui.imports.results import read_results
    from seop_tui.services.imports import import_results as run_import

    def work(store, ref, actor, bar):
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportInvalid([Problem(file.name, None, "is not UTF-8 text (save the file as UTF-8)")]) from None
        lines, problems = read_results(file.name, text)
        return run_import(store, ref, actor, lines, source=file.name, check=check, progress=bar, problems=problems)

    _run(obj, as_user, check, work)
