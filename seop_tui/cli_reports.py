"""`seop report ...` and `seop export ...`: reports and plan exports for scripts.

A script acts as a member of staff named with `--as USERNAME`: it sees only the
students that person may see, and everything it reads or writes is audited in
their name, exactly as in the app (the terminal is recorded as "script").
Whoever runs the command can already read the database file, so no password is
asked; an unknown, inactive or student account is refused.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import click

from seop_tui.cli import Context, main

AS_HELP = "Act as this staff member (their access applies and the audit log names them)."


def _actor(store, username: str):
    from seop_tui.services.auth import _actor_for  # the Actor a sign-in would give
    from seop_tui.services.context import STAFF_ROLES

    row = store.one("SELECT * FROM accounts WHERE username = ? AND active = 1", (username.strip().lower(),))
    if row is None or row["role"] not in STAFF_ROLES:
        raise click.ClickException(f"--as {username}: no active staff account has that username.")
    return _actor_for(store, row, "script")


def _wait_with_bar(label: str, work):
    """Run `work()` in a thread under a pulsing progress bar; return its result or raise its error."""
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def ticks():
        while thread.is_alive():
            time.sleep(0.1)
            yield None

    with click.progressbar(ticks(), label=label, file=sys.stderr) as bar:
        for _ in bar:
            pass
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


@main.group()
def report() -> None:
    """Reports for scripts (compliance with policy 4030)."""


@report.command("compliance")
@click.option("--band", type=click.Choice(["SEP", "SEOP"], case_sensitive=False), required=True, help="SEP (K-5) or SEOP (6-12).")
@click.option("--school", "school_code", metavar="CODE", help="Only this school (default: every school you may see).")
@click.option("--counselor", "counselor_username", metavar="USERNAME", help="Only this counselor's caseload.")
@click.option("--year", "year_name", metavar="YEAR", help="School year, e.g. 2026-27 (default: the current one).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the report as CSV to this file.")
@click.option("--as", "as_user", metavar="USERNAME", required=True, help=AS_HELP)
@click.pass_obj
def compliance(obj: Context, band: str, school_code, counselor_username, year_name, csv_path, as_user: str) -> None:
    """Per-clause compliance figures, and with --csv the students not meeting each clause."""
    from seop_tui.services.compliance import compliance_report
    from seop_tui.services.context import AccessDenied
    from seop_tui.services.reports import ReportFileError, summary_lines, write_compliance_csv

    ref = obj.reference()
    store = obj.store()
    try:
        actor = _actor(store, as_user)
        school_id = _lookup(store, "SELECT id FROM schools WHERE code = ?", school_code, "--school", "no school has that code")
        counselor_id = _staff_id(store, actor, counselor_username, "--counselor")
        year_id = _lookup(store, "SELECT id FROM school_years WHERE name = ?", year_name, "--year", "no school year has that name")
        if school_id is not None and actor.school_id is not None and actor.school_id != school_id:
            raise click.ClickException(f"--as {as_user} has no access to school {school_code}.")
        result = _wait_with_bar(
            "Checking plans",
            lambda: compliance_report(
                store, ref, actor, band=band.upper(), school_id=school_id, counselor_id=counselor_id, school_year_id=year_id
            ),
        )
        for line in summary_lines(result):
            click.echo(line)
        if csv_path is not None:
            written = write_compliance_csv(store, actor, result, csv_path)
            click.echo(f"CSV written to {written}")
    except (AccessDenied, ReportFileError, LookupError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


def _lookup(store, sql: str, value, option: str, problem: str):
    if value is None:
        return None
    row = store.one(sql, (value,))
    if row is None:
        raise click.ClickException(f"{option} {value}: {problem}.")
    return row[0]


def _staff_id(store, actor, username: str | None, option: str) -> int | None:
    """The staff id of a counselor named on the command line, refused when outside the actor's school."""
    if username is None:
        return None
    row = store.one(
        "SELECT s.id, s.school_id FROM staff s JOIN accounts a ON a.id = s.account_id WHERE a.username = ?", (username.lower(),)
    )
    if row is None:
        raise click.ClickException(f"{option} {username}: no staff member has that username.")
    if actor.school_id is not None and row["school_id"] != actor.school_id:
        raise click.ClickException(f"{option} {username}: that caseload is at another school, outside your access.")
    return row["id"]


@main.group()
def export() -> None:
    """Plan exports for scripts (PDF for printing, plain text, JSON)."""


@export.command("plan")
@click.option("--student", "numbers", metavar="NUMBER", multiple=True, help="A student number (repeat for several).")
@click.option("--caseload", "caseload_username", metavar="USERNAME", help="Every student on this counselor's caseload.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "text", "json"]), default="pdf", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: in ~/seop-reports).")
@click.option("--as", "as_user", metavar="USERNAME", required=True, help=AS_HELP)
@click.pass_obj
def export_plan(obj: Context, numbers: tuple[str, ...], caseload_username, fmt: str, out, as_user: str) -> None:
    """Write students' plans to one file: a new page for each student."""
    from seop_tui.services import export as plan_export
    from seop_tui.services.context import AccessDenied
    from seop_tui.text import strip_controls

    if bool(numbers) == bool(caseload_username):
        raise click.UsageError("Give --student NUMBER or --caseload USERNAME (one of them).")
    ref = obj.reference()
    store = obj.store()
    try:
        actor = _actor(store, as_user)
        if numbers:
            ids = [plan_export.student_by_number(store, actor, n) for n in numbers]
        else:
            counselor = _staff_id(store, actor, caseload_username, "--caseload")
            ids = plan_export.caseload(store, actor, counselor)
            if not ids:
                raise click.ClickException(f"--caseload {caseload_username}: no students you may see are on that caseload.")
        path = out or plan_export.default_file(store, ids, fmt)
        with click.progressbar(length=2 * len(ids), label="Exporting plans", file=sys.stderr) as bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            result = plan_export.export_plans(store, ref, actor, ids, fmt, path, progress=progress)
        click.echo(f"{result.exported} plan{'s' if result.exported != 1 else ''} written to {result.path}")
        if result.skipped:
            click.echo(f"No plan on file (not exported): {strip_controls(', '.join(result.skipped))}")
    except (AccessDenied, LookupError, plan_export.ExportError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
