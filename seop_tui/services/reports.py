"""Reports written to files: the compliance report and the staff training report as CSV.

Files are written owner-only (0600), whole or not at all (a temporary file in the
same folder, then renamed). Cells that a spreadsheet would run as a formula
(starting with = + - @) get a leading apostrophe (services.csv_text). Each student
listed in a compliance CSV gets an "export" audit row: the file discloses their record.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.compliance import ComplianceReport
from seop_tui.services.context import Actor
from seop_tui.services.csv_text import CsvLines, csv_bytes
from seop_tui.services.training import TrainingStatus
from seop_tui.storage import Store

COMPLIANCE_COLUMNS = (
    "row",  # "clause": a clause's figures; "student": a student who does not meet it
    "school_year",
    "band",
    "scope",
    "clause",
    "requirement",
    "met",
    "not_met",
    "total",
    "percent",
    "not_yet_due",
    "not_applicable",
    "student_number",
    "student",
    "missing",
)
TRAINING_COLUMNS = ("staff", "role", "school", "required", "sep_completed", "seop_completed", "missing", "status")


class ReportFileError(Exception):
    """The file cannot be written; the message says why in plain words."""


def reports_dir() -> Path:
    """Where files go when the person does not choose a folder."""
    return Path.home() / "seop-reports"


def default_path(stem: str, suffix: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)
    return reports_dir() / f"{safe}{suffix}"


def resolve_path(value: str | Path) -> Path:
    """The path a person typed, with ~ expanded; refused when it names a folder."""
    text = str(value).strip()
    if not text:
        raise ReportFileError("Type the path of the file to write.")
    path = Path(text).expanduser()
    if path.is_dir():
        raise ReportFileError(f"{path} is a folder. Add a file name, for example {path / 'report.csv'}.")
    return path


def write_owner_only(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` readable by its owner only; returns the absolute path."""
    path = resolve_path(path).absolute()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")  # mkstemp: mode 0600
    except OSError as exc:
        raise ReportFileError(f"Cannot write to {path.parent}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ReportFileError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    return path


# -- what a report can cover ----------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """One choice of what a compliance report covers, narrowed within what the actor may see."""

    label: str
    school_id: int | None = None
    counselor_id: int | None = None


def report_scopes(store: Store, actor: Actor) -> list[Scope]:
    """The scopes `actor` may report on: their caseload or class, their school(s), other caseloads."""
    scopes: list[Scope] = []
    if actor.role == "teacher":
        return [Scope("My class")]
    if actor.role == "counselor":
        scopes.append(Scope("My caseload", actor.school_id, actor.staff_id))
    if actor.school_id is None:
        scopes.append(Scope("Whole district"))
        schools = store.query("SELECT id, name FROM schools ORDER BY low_grade, name")
    else:
        schools = store.query("SELECT id, name FROM schools WHERE id = ?", (actor.school_id,))
    scopes += [Scope(f"School: {r['name']}", r["id"]) for r in schools]
    for r in store.query(
        "SELECT t.id, t.given_name, t.family_name, t.school_id FROM staff t JOIN accounts a ON a.id = t.account_id"
        " WHERE t.role = 'counselor' AND a.active = 1 AND t.id IS NOT ? AND (? IS NULL OR t.school_id = ?)"
        " ORDER BY t.family_name, t.given_name",
        (actor.staff_id, actor.school_id, actor.school_id),
    ):
        scopes.append(Scope(f"Caseload: {r['given_name']} {r['family_name']}", r["school_id"], r["id"]))
    return scopes


def school_years(store: Store) -> list[dict]:
    """School years on file, newest first."""
    return [dict(r) for r in store.query("SELECT id, name, is_current FROM school_years ORDER BY starts_on DESC")]


def default_band(store: Store, ref: Reference, actor: Actor) -> str:
    """SEP for staff of a K-5 school, else SEOP."""
    if actor.school_id is not None:
        row = store.one("SELECT low_grade, high_grade FROM schools WHERE id = ?", (actor.school_id,))
        if row is not None and ref.district.band_for(row["high_grade"]).code == "SEP":
            return "SEP"
    return "SEOP"


# -- compliance -----------------------------------------------------------------------


def student_numbers(store: Store, ids: Iterable[str | int]) -> dict[str, str]:
    """Student id (as text) -> student number, read in chunks."""
    wanted = [int(i) for i in ids]
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.query(f"SELECT id, student_number FROM students WHERE id IN ({marks})", tuple(chunk)):
            out[str(r[0])] = r[1]
    return out


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def compliance_csv(store: Store, report: ComplianceReport) -> bytes:
    """A line per clause with its figures, then a line per clause and student not meeting it."""
    numbers = report.numbers
    if numbers is None:  # a report made without them
        numbers = student_numbers(store, {sid for c in report.clauses for sid in c.not_meeting})
    out = CsvLines(COMPLIANCE_COLUMNS)
    head = (report.school_year, report.band, report.scope)
    for c in report.clauses:
        out.row(["clause", *head, c.clause, c.title, c.met, c.not_met, c.total, percent_text(c.percent),
                 c.not_yet_due, c.not_applicable, "", "", ""])
    # A district file has tens of thousands of these lines, made of a few thousand distinct
    # pieces: each student and each "missing" list is quoted (and made safe) once.
    who_piece: dict[str, str] = {}
    missing_piece: dict[tuple[str, ...], str] = {}
    for c in report.clauses:
        start = out.cells("student", *head, c.clause, c.title, "", "", "", "", "", "")
        missing = report.missing.get(c.clause, {})
        for sid in c.not_meeting:
            who = who_piece.get(sid)
            if who is None:
                who = who_piece[sid] = out.cells(numbers.get(sid, ""), report.names.get(sid, ""))
            gaps = missing.get(sid, ())
            what = missing_piece.get(gaps)
            if what is None:
                what = missing_piece[gaps] = out.cells("; ".join(gaps))
            out.line(start, who, what)
    return out.encode()


def write_compliance_csv(store: Store, actor: Actor, report: ComplianceReport, path: str | Path) -> Path:
    """Write the report as CSV; audits an export for each student it lists."""
    written = write_owner_only(path, compliance_csv(store, report))
    listed = sorted({int(sid) for c in report.clauses for sid in c.not_meeting})
    what = f"compliance {report.band} {report.scope} {report.school_year} CSV: {written.name}"
    with store.write():
        audit.record(store.conn, actor, "export", None, f"{what} ({report.students} students)")
        audit.record_many(store.conn, actor, "export", listed, what)
    return written


def summary_lines(report: ComplianceReport) -> list[str]:
    """The clause figures as aligned plain-text lines (for the command line)."""
    lines = [f"{report.band} compliance, {report.scope}, {report.school_year}: {report.students} students"]
    lines.append(f"{'Clause':<9} {'Requirement':<42} {'Met':>6} {'Total':>6} {'%':>6}")
    for c in report.clauses:
        lines.append(f"{c.clause:<9} {c.title[:42]:<42} {c.met:>6} {c.total:>6} {percent_text(c.percent) or '-':>6}")
    return lines


# -- staff training -------------------------------------------------------------------


def training_rows(statuses: Sequence[TrainingStatus]) -> list[list[object]]:
    return [
        [
            s.name,
            s.role,
            s.school,
            "/".join(s.required),
            s.completed.get("SEP", ""),
            s.completed.get("SEOP", ""),
            "/".join(s.missing),
            "trained" if s.trained else "not trained",
        ]
        for s in statuses
    ]


def write_training_csv(store: Store, actor: Actor, statuses: Sequence[TrainingStatus], path: str | Path) -> Path:
    written = write_owner_only(path, csv_bytes(TRAINING_COLUMNS, training_rows(statuses)))
    with store.write():
        audit.record(store.conn, actor, "export", None, f"staff training CSV: {written.name} ({len(statuses)} staff)")
    return written
