"""Compliance with policy 4030 for a caseload, a school or the district, for one school year
and grade band: per clause, how many students meet it, and who does not and why.

Also the path prompt the staff report screens share (PathPrompt).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import get_current_worker

from screens.base import SectionScreen, SessionFooter
from screens.staff.conference_form import FORM_ERRORS, show_error, show_saved, steady_cursors
from screens.staff.involvement_form import cell
from screens.text import plain
from seop_tui.services import reports
from seop_tui.services.compliance import ComplianceReport, compliance_report


def shown_path(path: Path | str) -> str:
    """A path with the home folder written as ~ (shorter, and the same on every machine)."""
    text, home = str(path), str(Path.home())
    return "~" + text[len(home):] if text == home or text.startswith(home + "/") else text


def one_line(value: object) -> Text:
    """A DataTable cell kept to its column's width, ending in "…" when cut (shown literally)."""
    text = cell(value)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


class PathPrompt(ModalScreen[str | None]):
    """Ask where to write a file. Enter (or Ctrl+S) writes, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", "Write"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, default: Path) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-modal"):
            yield Static(self.title_text, classes="form-modal-title", markup=False)
            yield Static("The file is readable by you only. ~ means your home folder.", classes="form-note", markup=False)
            yield Input(shown_path(self.default), id="path-input")
            yield Static("Enter writes the file; Escape cancels.", classes="form-note", markup=False)
        yield SessionFooter(show_command_palette=False)

    def on_mount(self) -> None:
        steady_cursors(self)

    @on(Input.Submitted)
    def action_accept(self) -> None:
        self.dismiss(self.query_one("#path-input", Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


LOADING = -1  # the value of the one choice the scope and year lists offer until theirs arrive
LISTED_MAX = 500  # students listed under a clause; the CSV lists everyone
NAME_WIDTH = 26  # the student column; what is missing gets the rest of the line


class ComplianceReportScreen(SectionScreen):
    """Pick scope, year and band at the top; the report reruns on each change."""

    SECTION = "Compliance report"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run", "Run again"),
        Binding("x", "export", "Export CSV"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, actor) -> None:
        super().__init__(actor)
        self.report: ComplianceReport | None = None
        self.scopes: list[reports.Scope] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="staff-list"):
            with Horizontal(id="cr-controls"):
                # No blank choice: a placeholder until the real choices are read.
                yield Select([(Content("Scope ..."), LOADING)], allow_blank=False, id="cr-scope", compact=True)
                yield Select([(Content("Year ..."), LOADING)], allow_blank=False, id="cr-year", compact=True)
                yield Select([(Content("SEP (K-5)"), "SEP"), (Content("SEOP (6-12)"), "SEOP")], value="SEOP",
                             allow_blank=False, id="cr-band", compact=True)
            yield Static("Loading...", id="cr-summary", markup=False)
            clauses = DataTable(id="cr-clauses", cursor_type="row")
            clauses.add_columns("Clause", "Requirement", "Met", "Of", "%", "Not met")
            yield clauses
            yield Static("", id="cr-missing-title", markup=False)
            yield DataTable(id="cr-students", cursor_type="row", zebra_stripes=True)
            # The highlighted student's whole "missing" text, wrapped (the table cuts it to one line).
            yield Static("", id="cr-detail", markup=False)
        yield Static("", id="cr-status", classes="form-status", markup=False)

    def on_mount(self) -> None:
        self.load_choices()

    @work(thread=True, group="compliance-choices")
    def load_choices(self) -> None:
        store = self.seop.store
        scopes = reports.report_scopes(store, self.actor)
        years = reports.school_years(store)
        band = reports.default_band(store, self.seop.ref, self.actor)
        self.app.call_from_thread(self.show_choices, scopes, years, band)

    def show_choices(self, scopes: list[reports.Scope], years: list[dict], band: str) -> None:
        self.scopes = scopes
        with self.prevent(Select.Changed):
            self.query_one("#cr-scope", Select).set_options([(plain(s.label), i) for i, s in enumerate(scopes)])
            if years:
                year = self.query_one("#cr-year", Select)
                year.set_options([(plain(y["name"]), y["id"]) for y in years])
                year.value = next((y["id"] for y in years if y["is_current"]), years[0]["id"])
            else:
                show_error(self.query_one("#cr-status", Static), "No school year is set up yet. An administrator must add one.", "")
            self.query_one("#cr-band", Select).value = band
        self.query_one("#cr-clauses", DataTable).focus()
        self.action_run()

    @on(Select.Changed)
    def choice_changed(self) -> None:
        if self.scopes:
            self.action_run()

    def action_run(self) -> None:
        scope_value = self.query_one("#cr-scope", Select).value
        year = self.query_one("#cr-year", Select).value
        if not self.scopes or year == LOADING:
            return
        scope = self.scopes[scope_value]
        band = str(self.query_one("#cr-band", Select).value)
        self.query_one("#cr-summary", Static).update(plain(f"Checking {band} plans, {scope.label.lower()} ..."))
        self.set_busy(True)
        self.run_report(scope, year, band)

    def set_busy(self, busy: bool) -> None:
        self.query_one("#cr-clauses", DataTable).loading = busy
        self.query_one("#cr-students", DataTable).loading = busy

    @work(thread=True, exclusive=True, group="compliance-run")
    def run_report(self, scope: reports.Scope, year: int, band: str) -> None:
        worker = get_current_worker()
        try:
            result = compliance_report(
                self.seop.store, self.seop.ref, self.actor, band=band, school_id=scope.school_id,
                counselor_id=scope.counselor_id, school_year_id=year,
            )
        except FORM_ERRORS as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        if not worker.is_cancelled:  # a newer choice started another run; show only that one
            self.app.call_from_thread(self.show_report, result, scope)

    def failed(self, message: str) -> None:
        self.set_busy(False)
        show_error(self.query_one("#cr-status", Static), message, "")

    def show_report(self, report: ComplianceReport, scope: reports.Scope) -> None:
        self.report = report
        self.set_busy(False)
        self.query_one("#cr-summary", Static).update(
            plain(f"{report.band}, {scope.label.lower()}, {report.school_year}: {report.students} students", "bold")
        )
        table = self.query_one("#cr-clauses", DataTable)
        table.clear()
        for c in report.clauses:
            table.add_row(
                cell(c.clause), cell(c.title), cell(c.met), cell(c.total),
                cell(reports.percent_text(c.percent) or "-"), cell(c.not_met), key=c.clause,
            )
        if not report.clauses:
            table.add_row(cell(""), cell("No students in this scope and band."), *[cell("")] * 4)
        self.show_missing()

    @on(DataTable.RowHighlighted, "#cr-clauses")
    def show_missing(self) -> None:
        report = self.report
        table = self.query_one("#cr-clauses", DataTable)
        students = self.query_one("#cr-students", DataTable)
        students.clear(columns=True)
        # Fixed widths, so a long text ends in "…" instead of widening the table past the screen.
        line = students.parent.content_region.width if students.parent else 78  # the table's own width follows its columns
        missing_width = max(16, line - NAME_WIDTH - 2 * 2 - 2)  # cell padding, scrollbar
        students.add_column("Student", width=NAME_WIDTH, key="student")
        students.add_column("What is missing", width=missing_width, key="missing")
        title = self.query_one("#cr-missing-title", Static)
        self.query_one("#cr-detail", Static).update("")
        if report is None or not report.clauses or table.cursor_row is None:
            title.update("")
            return
        clause = report.clauses[min(table.cursor_row, len(report.clauses) - 1)]
        title.update(plain(f"Not meeting {clause.clause} ({len(clause.not_meeting)}): {clause.title}", "bold"))
        missing = report.missing.get(clause.clause, {})
        # A district has thousands per clause: the first ones by name are listed, the CSV has everyone.
        for sid in clause.not_meeting[:LISTED_MAX]:
            students.add_row(one_line(report.names.get(sid, sid)), one_line("; ".join(missing.get(sid, ()))), key=sid)
        more = len(clause.not_meeting) - LISTED_MAX
        if more > 0:
            students.add_row(cell(f"... and {more} more"), cell("Export the CSV (x) for the whole list."))
        if not clause.not_meeting:
            students.add_row(cell("Everyone meets this clause."), cell(""))

    @on(DataTable.RowHighlighted, "#cr-students")
    def show_detail(self, event: DataTable.RowHighlighted) -> None:
        report, sid = self.report, event.row_key.value
        clause_row = self.query_one("#cr-clauses", DataTable).cursor_row
        detail = self.query_one("#cr-detail", Static)
        if report is None or sid is None or clause_row is None or not report.clauses:
            detail.update("")
            return
        clause = report.clauses[min(clause_row, len(report.clauses) - 1)].clause
        what = report.missing.get(clause, {}).get(sid)
        detail.update(plain(f"{report.names.get(sid, sid)}: {'; '.join(what)}", one_line=False) if what else "")

    # -- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        report = self.report
        if report is None:
            return
        label = self.scopes[self.query_one("#cr-scope", Select).value].label
        default = reports.default_path(f"compliance-{report.band}-{label}-{report.school_year}".lower().replace(": ", "-"), ".csv")
        self.app.push_screen(PathPrompt("Export the compliance report as CSV", default), self.export_to)

    def export_to(self, path: str | None) -> None:
        if path:
            self.write_csv(self.report, path)

    @work(thread=True, exclusive=True, group="compliance-export")
    def write_csv(self, report: ComplianceReport, path: str) -> None:
        status = self.query_one("#cr-status", Static)
        try:
            written = reports.write_compliance_csv(self.seop.store, self.actor, report, path)
        except (*FORM_ERRORS, reports.ReportFileError) as exc:
            self.app.call_from_thread(show_error, status, str(exc))
            return
        self.app.call_from_thread(show_saved, status, f"Saved: CSV written to {shown_path(written)}")
