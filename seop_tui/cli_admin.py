"""`seop admin ...` and `seop restore`: district set-up and upkeep commands.

Run at a terminal, the commands ask for what is missing (questionary prompts);
in scripts, give everything as options. A secret is never an option (it would
show in the process list): it is generated and printed once, or read from
standard input with --secret-stdin.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from seop_tui.cli import Context, main

if TYPE_CHECKING:
    from seop_tui.storage import Store


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(value, option: str, question):
    """`value` when given; else the answer to `question()` (a questionary prompt) at a
    terminal; else a usage error naming the option."""
    if value not in (None, ""):
        return value
    if not _interactive():
        raise click.UsageError(f"Missing {option}: give it on the command line.")
    answer = question().ask()
    if answer is None:  # Ctrl+C in the prompt
        raise click.Abort()
    return answer


def _read_secret(secret_stdin: bool) -> str | None:
    """The secret from standard input's first line with --secret-stdin, else None (generate one)."""
    if not secret_stdin:
        return None
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _fail(exc: Exception):
    raise click.ClickException(str(exc)) from None


@contextlib.contextmanager
def _accounts_store(obj: Context) -> Iterator[Store]:
    """The database for an account command; a refusal becomes a plain error message."""
    from seop_tui.services.accounts import AccountError

    store = obj.store()
    try:
        yield store
    except AccountError as exc:
        _fail(exc)
    finally:
        store.close()


@main.group()
def admin() -> None:
    """Accounts: create them, issue first sign-ins, reset a password or PIN, list them."""


@admin.command("create-user")
@click.argument("username", required=False)
@click.option("--role", type=click.Choice(["student", "teacher", "counselor", "administrator"]))
@click.option("--given-name", default=None)
@click.option("--family-name", default=None)
@click.option("--school", "school_code", default=None, help="School code (staff: empty for district-wide).")
@click.option("--student-number", default=None, help="Students: the student's number (the student is joined or added).")
@click.option("--grade", type=click.IntRange(0, 12), default=None, help="Students being added: grade (0 = K).")
@click.option("--secret-stdin", is_flag=True, help="Read the password or PIN from standard input instead of generating one.")
@click.pass_obj
def create_user(obj: Context, username, role, given_name, family_name, school_code, student_number, grade, secret_stdin) -> None:
    """Create an account. Its owner must choose their own secret at first sign-in."""
    import questionary

    from seop_tui.services.accounts import ROLES, create_account, generate_secret, system_actor

    username = _ask(username, "USERNAME", lambda: questionary.text("Username:"))
    role = _ask(role, "--role", lambda: questionary.select("Role:", choices=list(ROLES)))
    if role == "student":
        student_number = _ask(student_number, "--student-number", lambda: questionary.text("Student number:"))
    else:
        given_name = _ask(given_name, "--given-name", lambda: questionary.text("Given name:"))
        family_name = _ask(family_name, "--family-name", lambda: questionary.text("Family name:"))
    ref = obj.reference()
    with _accounts_store(obj) as store:
        secret = _read_secret(secret_stdin) or generate_secret(ref, role)
        create_account(
            store, ref, system_actor(), username=username, role=role, secret=secret,
            given_name=given_name or "", family_name=family_name or "", school_code=school_code,
            student_number=student_number, grade=grade,
        )
    click.echo(f"Created {role} account {username.strip().lower()}.")
    if not secret_stdin:
        click.echo(f"Temporary {'PIN' if role == 'student' and ref.district.student_credential == 'pin' else 'password'}: {secret}")
    click.echo("It must be changed at the first sign-in.")


@admin.command("reset-password")
@click.argument("username", required=False)
@click.option("--secret-stdin", is_flag=True, help="Read the new password or PIN from standard input instead of generating one.")
@click.pass_obj
def reset_password(obj: Context, username, secret_stdin) -> None:
    """Give an account a new temporary password or PIN (changed at next sign-in) and lift any sign-in wait."""
    import questionary

    from seop_tui.services.accounts import admin_reset, system_actor

    username = _ask(username, "USERNAME", lambda: questionary.text("Username to reset:"))
    ref = obj.reference()
    with _accounts_store(obj) as store:
        secret = admin_reset(store, ref, system_actor(), username, _read_secret(secret_stdin))
    click.echo(f"Reset {username.strip().lower()}; it must be changed at the next sign-in.")
    if not secret_stdin:
        click.echo(f"Temporary secret: {secret}")


@admin.command("list-users")
@click.option("--role", type=click.Choice(["student", "teacher", "counselor", "administrator"]), default=None)
@click.option("--school", "school_code", default=None)
@click.pass_obj
def list_users(obj: Context, role, school_code) -> None:
    """List accounts: username, role, school, name, state."""
    from seop_tui.services.accounts import list_accounts, system_actor
    from seop_tui.text import strip_controls

    with _accounts_store(obj) as store:
        accounts = list_accounts(store, system_actor(), role=role, school_code=school_code)
    for a in accounts:
        state = ("active" if a.active else "disabled") + (", must change secret" if a.must_change_secret else "")
        click.echo(f"{a.username:<24} {a.role:<13} {a.school:<6} {strip_controls(a.name):<30} {state}")
    click.echo(f"{len(accounts)} accounts.")


@admin.command("issue-sign-ins")
@click.option("--sheet", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV file for the usernames and temporary PINs or passwords (readable by you only).")
@click.option("--school", "school_code", default=None, help="Only this school's people (default: the district).")
@click.option("--only", "group", type=click.Choice(["students", "staff"]), default=None, help="Only students, or only staff.")
@click.option("--check", is_flag=True, help="Only say how many would be issued; nothing is written.")
@click.pass_obj
def issue_sign_ins(obj: Context, sheet: Path | None, school_code, group, check: bool) -> None:
    """First sign-ins for everyone a roster import brought who cannot sign in yet."""
    from seop_tui.services.accounts import system_actor
    from seop_tui.services.context import AccessDenied
    from seop_tui.services.csv_text import csv_bytes
    from seop_tui.services.reports import ReportFileError, write_owner_only
    from seop_tui.services.sign_ins import SHEET_COLUMNS, issue, waiting

    if sheet is None and not check:
        raise click.UsageError("Give --sheet FILE for the temporary secrets (or --check).")
    ref = obj.reference()
    with _accounts_store(obj) as store:
        try:
            found = waiting(store, system_actor(), school_code=school_code, group=group)
            if check or not found:
                students = sum(w.role == "student" for w in found)
                click.echo(f"{students} students and {len(found) - students} staff cannot sign in yet.")
                return
            if sheet.exists():
                raise click.ClickException(f"{sheet} already exists: the sheet is never overwritten. Choose another name.")
            with click.progressbar(length=len(found), label="Issuing sign-ins", file=sys.stderr) as bar:
                done = [0]

                def progress(n: int, total: int) -> None:
                    bar.update(n - done[0])
                    done[0] = n

                issued, notes = issue(store, ref, system_actor(), school_code=school_code, group=group, progress=progress)
            written = write_owner_only(sheet, csv_bytes(SHEET_COLUMNS, [i.sheet_row() for i in issued]))
        except (AccessDenied, LookupError, ReportFileError) as exc:
            _fail(exc)
    students = sum(i.role == "student" for i in issued)
    click.echo(f"Issued {students} student and {len(issued) - students} staff sign-ins; written to {written}.")
    click.echo("Each is changed at its first sign-in. Hand the sheet out, then delete it.")
    for note in notes:
        click.echo(f"  {note}")


@admin.command("disable-user")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Turn the account back on instead.")
@click.pass_obj
def disable_user(obj: Context, username, enable) -> None:
    """Stop an account from signing in (its records stay), or --enable it again."""
    from seop_tui.services.accounts import set_active, system_actor

    with _accounts_store(obj) as store:
        set_active(store, system_actor(), username, enable)
    click.echo(f"{username.strip().lower()} {'enabled' if enable else 'disabled'}.")


@main.command()
@click.argument("backup", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.pass_obj
def restore(obj: Context, backup: Path, yes: bool) -> None:
    """Replace the database with BACKUP, after checking it; the current one is kept aside."""
    import questionary

    from seop_tui.backup import BackupError, check_backup, restore_from

    try:
        info = check_backup(backup)
    except BackupError as exc:
        _fail(exc)
    click.echo(f"{backup}: checked, schema {info.schema_version}, {info.students} students, last activity {info.last_activity or 'none'}.")
    if not yes:
        if not _interactive():
            raise click.UsageError("Add --yes to restore without a prompt.")
        if not questionary.confirm(f"Replace {obj.db} with this backup? The current database is kept aside.", default=False).ask():
            raise click.Abort()
    try:
        aside = restore_from(backup, obj.db)
    except BackupError as exc:
        _fail(exc)
    if aside is not None:
        click.echo(f"The previous database is kept at {aside}")
    click.echo(f"Restored {obj.db} from {backup}.")
