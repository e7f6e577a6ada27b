"""Export one student's plan or a whole caseload as PDF (for printing), plain text or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Input, ProgressBar, Select, Static

from screens.base import SectionScreen
from screens.staff.compliance_report import shown_path
from screens.staff.conference_form import FIELD_KEYS, FORM_ERRORS, show_error, show_saved, steady_cursors
from screens.staff.involvement_form import field
from screens.text import plain
from seop_tui.services import conferences
from seop_tui.services import export as plan_export

FORMAT_LABELS = {"pdf": "PDF, for printing", "text": "Plain text", "json": "JSON, for other programs"}


class ExportScreen(SectionScreen):
    """Choose a format and a file; the export runs in the background with a progress bar."""

    SECTION = "Export plans"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export"),
        Binding("escape", "back", "Back"),
        *FIELD_KEYS,
    ]

    def __init__(self, actor, student_ids: list[int]) -> None:
        super().__init__(actor)
        self.student_ids = list(student_ids)
        self.running = False

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="staff-form staff-list"):
            yield Static("Loading...", id="ex-heading", markup=False)
            yield Static(
                "Each plan with its progress data, conferences and lines for signatures; a new page per student.",
                classes="staff-hint",
                markup=False,
            )
            formats = [(Content(label), fmt) for fmt, label in FORMAT_LABELS.items()]
            yield field("Format", Select(formats, value="pdf", allow_blank=False, id="ex-format", compact=True))
            yield field("File", Input(id="ex-path", compact=True))
            yield Static("The file is readable by you only. ~ means your home folder.", classes="form-note", markup=False)
            yield Button("Export", id="ex-go", variant="primary", compact=True, classes="form-button")
            yield ProgressBar(id="ex-progress", show_eta=False)
        yield Static("", id="ex-status", classes="form-status", markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#ex-progress", ProgressBar).display = False
        self.load()

    @work(thread=True, group="export-load")
    def load(self) -> None:
        store = self.seop.store
        try:
            if len(self.student_ids) == 1:
                heading = f"Export the plan of {conferences.student_heading(store, self.actor, self.student_ids[0])}"
            else:
                heading = f"Export the plans of {len(self.student_ids)} students, one file"
            default = plan_export.default_file(store, self.student_ids, "pdf")
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one("#ex-status", Static), str(exc), "")
            return
        self.app.call_from_thread(self.show, heading, default)

    def show(self, heading: str, default: Path) -> None:
        self.query_one("#ex-heading", Static).update(plain(heading, "bold"))
        self.query_one("#ex-path", Input).value = shown_path(default)
        self.query_one("#ex-format", Select).focus()

    @on(Select.Changed, "#ex-format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#ex-path", Input)
        stem, dot, ext = path.value.rpartition(".")
        if dot and f".{ext}" in plan_export.FORMATS.values():
            path.value = f"{stem}{plan_export.FORMATS[str(event.value)]}"

    @on(Button.Pressed, "#ex-go")
    @on(Input.Submitted, "#ex-path")
    def action_export(self) -> None:
        if self.running:
            return
        self.running = True
        bar = self.query_one("#ex-progress", ProgressBar)
        bar.update(total=2 * len(self.student_ids), progress=0)
        bar.display = True
        self.query_one("#ex-go", Button).disabled = True
        self.query_one("#ex-status", Static).update(plain("Exporting ..."))
        self.run_export(str(self.query_one("#ex-format", Select).value), self.query_one("#ex-path", Input).value)

    @work(thread=True, exclusive=True, group="export-run")
    def run_export(self, fmt: str, path: str) -> None:
        bar = self.query_one("#ex-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            result = plan_export.export_plans(self.seop.store, self.seop.ref, self.actor, self.student_ids, fmt, path, progress=progress)
        except (*FORM_ERRORS, plan_export.ExportError) as exc:
            self.app.call_from_thread(self.finished, None, str(exc))
            return
        self.app.call_from_thread(self.finished, result, "")

    def finished(self, result: plan_export.ExportResult | None, error: str) -> None:
        self.running = False
        self.query_one("#ex-go", Button).disabled = False
        status = self.query_one("#ex-status", Static)
        if result is None:
            self.query_one("#ex-progress", ProgressBar).display = False
            show_error(status, error, "Not exported: ")
            return
        plans = f"{result.exported} plan{'s' if result.exported != 1 else ''}"
        message = f"Saved: {plans} written to {shown_path(result.path)}"
        if result.skipped:
            message += f". No plan on file for {', '.join(result.skipped)}."
        show_saved(status, message)
