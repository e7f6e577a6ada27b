"""A student's record of access (FERPA): who viewed, changed, exported or printed it.

For the student's counselors and administrators (the service refuses anyone
else). Opened from the staff record screen with "h". "e" writes the whole
history as a CSV file (owner-only) and says where.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from screens.base import SectionScreen
from screens.text import clean, plain
from seop_tui.services.audit import AccessHistory, access_history
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.services.privacy import export_access_history
from seop_tui.services.reports import ReportFileError

COLUMNS = ("When (UTC)", "Who", "Role", "Action", "What", "Terminal")
LOADING = "Loading ..."
EXPORTING = "Writing the file ..."
EXPORTED = "Saved the record of access to {path}"
EMPTY = "Nothing has been recorded for this student yet."


class AccessHistoryScreen(SectionScreen):
    """Newest first; every row from the audit trail for one student."""

    SECTION = "Record of access"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "export", "Export CSV")]

    def __init__(self, actor: Actor, student_id: int) -> None:
        super().__init__(actor, id="access-history")
        self.student_id = student_id
        self.history: AccessHistory | None = None
        self.message = ""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="access-heading", classes="heading")
        table = DataTable(id="access-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static(LOADING, id="access-message", markup=False)

    def on_mount(self) -> None:
        self.load()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message = text
        line = self.query_one("#access-message", Static)
        line.update(plain(text))
        line.set_class(error, "-error")

    @work(thread=True, exclusive=True, group="access-history")
    def load(self) -> None:
        try:
            history = access_history(self.seop.store, self.actor, self.student_id)
        except AccessDenied as exc:
            self.app.call_from_thread(self.show_message, str(exc), error=True)
        else:
            self.app.call_from_thread(self._show, history)

    def _show(self, history: AccessHistory) -> None:
        self.history = history
        self.query_one("#access-heading", Static).update(plain(f"{history.student_name} ({history.student_number})"))
        table = self.query_one("#access-table", DataTable)
        table.clear()
        for e in history.entries:
            when = e.at[:16].replace("T", " ")
            table.add_row(*(Text(clean(v)) for v in (when, e.who, e.role, e.action_label, e.what, e.terminal)))
        count = len(history.entries)
        self.show_message(f"{count} entries. e: export as CSV." if count else EMPTY)
        table.focus()

    def action_export(self) -> None:
        self.show_message(EXPORTING)
        self._export()

    @work(thread=True, exclusive=True, group="access-export")
    def _export(self) -> None:
        try:
            path = export_access_history(self.seop.store, self.actor, self.student_id)
        except (AccessDenied, ReportFileError) as exc:
            self.app.call_from_thread(self.show_message, str(exc), error=True)
        else:
            self.app.call_from_thread(self.show_message, EXPORTED.format(path=path))
