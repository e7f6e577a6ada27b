"""Staff training for the SEP/SEOP role (policy 3.1.2 / 3.2.2): who has completed it, who has not."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static

from screens.base import SectionScreen
from screens.staff import conference_form
from screens.staff.compliance_report import PathPrompt, shown_path
from screens.staff.conference_form import FORM_ERRORS, FormModal, show_error, show_saved
from screens.staff.involvement_form import cell, field
from screens.text import plain
from seop_tui.services import reports, training


class TrainingForm(FormModal):
    TITLE_TEXT = "Record completed training"

    def __init__(self, actor, status: training.TrainingStatus) -> None:
        super().__init__(actor)
        self.status = status

    def compose_fields(self) -> ComposeResult:
        s = self.status
        yield Static(plain(f"{s.name} ({s.role}, {s.school or 'district'})"), classes="form-note")
        choices = [(Content(label), band) for band, label in training.BAND_CHOICES.items()]
        first = s.missing[0] if s.missing else (s.required[0] if s.required else "SEOP")
        yield field("Training", Select(choices, value=first, allow_blank=False, id="tr-band", compact=True))
        yield field("Topic", Input(placeholder="optional, e.g. advisory teachers", id="tr-topic", compact=True))
        yield field("Done on", Input(conference_form.today().isoformat(), placeholder="YYYY-MM-DD", id="tr-date", compact=True, classes="date-input"))
        yield field("Hours", Input(placeholder="optional, e.g. 1.5", id="tr-hours", compact=True, classes="short-input"))

    def submit(self) -> None:
        training.record(
            self.seop.store,
            self.actor,
            self.status.staff_id,
            band=str(self.query_one("#tr-band", Select).value),
            completed_on=self.query_one("#tr-date", Input).value,
            topic=self.query_one("#tr-topic", Input).value,
            hours=self.query_one("#tr-hours", Input).value,
        )


class TrainingScreen(SectionScreen):
    """Teachers of the actor's school (or the district) and the training their school needs."""

    SECTION = "Staff training"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "record", "Record training"),
        Binding("u", "toggle_untrained", "Only not trained"),
        Binding("x", "export", "Export CSV"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, actor) -> None:
        super().__init__(actor)
        self.statuses: list[training.TrainingStatus] = []
        self.shown: list[training.TrainingStatus] = []
        self.only_untrained = False

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="staff-list"):
            yield Static("Loading...", id="tr-summary", markup=False)
            yield Static(
                "Teachers need training for the plans their school uses (policy 3.1.2 SEP, 3.2.2 SEOP).",
                classes="staff-hint",
                markup=False,
            )
            table = DataTable(id="tr-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("Teacher", "School", "Needs", "SEP done", "SEOP done", "Status")
            yield table
        yield Static("", id="tr-status", classes="form-status", markup=False)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="training-load")
    def load(self, message: str = "") -> None:
        try:
            statuses = training.report(self.seop.store, self.seop.ref, self.actor)
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one("#tr-status", Static), str(exc), "")
            return
        self.app.call_from_thread(self.show, statuses, message)

    def show(self, statuses: list[training.TrainingStatus], message: str = "") -> None:
        self.statuses = statuses
        untrained = sum(1 for s in statuses if not s.trained)
        view = "showing only those not trained" if self.only_untrained else "showing all"
        self.query_one("#tr-summary", Static).update(
            plain(f"{len(statuses) - untrained} of {len(statuses)} teachers trained; {untrained} not trained ({view})", "bold")
        )
        self.shown = [s for s in statuses if not (self.only_untrained and s.trained)]
        table = self.query_one("#tr-table", DataTable)
        table.clear()
        for s in self.shown:
            state = "trained" if s.trained else f"NOT TRAINED: {'/'.join(s.missing)}"
            table.add_row(
                cell(s.name), cell(s.school or "-"), cell("/".join(s.required) or "-"),
                cell(s.completed.get("SEP", "-")), cell(s.completed.get("SEOP", "-")), cell(state),
            )
        if not self.shown:
            table.add_row(cell("Everyone shown here is trained." if statuses else "No teachers to show."), *[cell("")] * 5)
        if message:
            show_saved(self.query_one("#tr-status", Static), message)
        table.focus()

    def action_toggle_untrained(self) -> None:
        self.only_untrained = not self.only_untrained
        self.show(self.statuses)

    def action_record(self) -> None:
        table = self.query_one("#tr-table", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.load("Saved: training recorded.")

        self.app.push_screen(TrainingForm(self.actor, self.shown[table.cursor_row]), done)

    def action_export(self) -> None:
        self.app.push_screen(PathPrompt("Export the training report as CSV", reports.default_path("staff-training", ".csv")), self.export_to)

    def export_to(self, path: str | None) -> None:
        if path:
            self.write_csv(path)

    @work(thread=True, exclusive=True, group="training-export")
    def write_csv(self, path: str) -> None:
        status = self.query_one("#tr-status", Static)
        try:
            written = reports.write_training_csv(self.seop.store, self.actor, self.statuses, path)
        except (*FORM_ERRORS, reports.ReportFileError) as exc:
            self.app.call_from_thread(show_error, status, str(exc))
            return
        self.app.call_from_thread(show_saved, status, f"Saved: CSV written to {shown_path(written)}")
