"""Parent involvement opportunities for one student: the invitations sent and the answers."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static

from screens.base import SectionScreen
from screens.staff import conference_form
from screens.staff.conference_form import FORM_ERRORS, FormModal, show_error, show_saved
from screens.text import clean, plain
from seop_tui.services import conferences, involvement
from seop_tui.services.conferences import Person


def cell(value: object) -> Text:
    """A DataTable cell shown literally (a plain str would be read as markup)."""
    return Text(clean(value))


def field(label: str, widget, *, label_width: str = "form-label") -> Horizontal:
    """A label and its input on one line."""
    return Horizontal(Label(label, classes=label_width), widget, classes="form-row")


class InvitationForm(FormModal):
    TITLE_TEXT = "New invitation to a parent or guardian"

    def __init__(self, actor, student_id: int, guardians: tuple[Person, ...]) -> None:
        super().__init__(actor)
        self.student_id = student_id
        self.guardians = guardians

    def compose_fields(self) -> ComposeResult:
        yield field("For", Input(placeholder="e.g. SEOP conference, plan review", id="inv-purpose", compact=True))
        methods = [(Content(label), code) for code, label in involvement.METHODS.items()]
        yield field("How", Select(methods, value="email", allow_blank=False, id="inv-method", compact=True))
        yield field("Sent on", Input(conference_form.today().isoformat(), placeholder="YYYY-MM-DD", id="inv-sent", compact=True, classes="date-input"))
        people = [(plain(f"{g.name} ({g.detail})"), g.id) for g in self.guardians]
        yield field("To", Select(people, prompt="The household", id="inv-guardian", compact=True))
        yield field("Notes", Input(placeholder="optional", id="inv-notes", compact=True))

    def submit(self) -> None:
        guardian = self.query_one("#inv-guardian", Select).value
        involvement.add(
            self.seop.store,
            self.actor,
            self.student_id,
            purpose=self.query_one("#inv-purpose", Input).value,
            method=str(self.query_one("#inv-method", Select).value),
            sent_on=self.query_one("#inv-sent", Input).value,
            guardian_id=guardian if isinstance(guardian, int) else None,
            notes=self.query_one("#inv-notes", Input).value,
        )


class ResponseForm(FormModal):
    TITLE_TEXT = "Record the response"

    def __init__(self, actor, invitation: involvement.Invitation) -> None:
        super().__init__(actor)
        self.invitation = invitation

    def compose_fields(self) -> ComposeResult:
        inv = self.invitation
        yield Static(plain(f"{inv.purpose}, sent {inv.sent_on} by {inv.method_label.lower()}"), classes="form-note")
        answers = [(Content(label), code) for code, label in involvement.RESPONSES.items()]
        current = inv.response if inv.response != "pending" else "accepted"
        yield field("Answer", Select(answers, value=current, allow_blank=False, id="resp-response", compact=True))
        # Stored text is cleaned again before it goes into a field: an Input shows its value raw.
        answered = clean(inv.responded_on) or conference_form.today().isoformat()
        yield field("On", Input(answered, placeholder="YYYY-MM-DD", id="resp-date", compact=True, classes="date-input"))
        yield field("Notes", Input(clean(inv.notes), placeholder="optional", id="resp-notes", compact=True))

    def submit(self) -> None:
        involvement.update_response(
            self.seop.store,
            self.actor,
            self.invitation.id,
            response=str(self.query_one("#resp-response", Select).value),
            responded_on=self.query_one("#resp-date", Input).value,
            notes=self.query_one("#resp-notes", Input).value,
        )


class InvolvementFormScreen(SectionScreen):
    """The invitations this school year and earlier, newest first; add one or record an answer."""

    SECTION = "Parent involvement"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New invitation"),
        Binding("r", "respond", "Record response"),
        Binding("escape", "back", "Back"),
    ]
    COLUMNS = ("Sent", "For", "How", "To", "Response", "On")

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor)
        self.student_id = student_id
        self.invitations: list[involvement.Invitation] = []
        self.guardians: tuple[Person, ...] = ()

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="staff-list"):
            yield Static("Loading...", id="inv-heading", markup=False)
            yield Static(
                "Invitations to take part in planning count as evidence even when a parent does not come.",
                classes="staff-hint",
                markup=False,
            )
            table = DataTable(id="inv-table", cursor_type="row", zebra_stripes=True)
            table.add_columns(*self.COLUMNS)
            yield table
        yield Static("", id="inv-status", classes="form-status", markup=False)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="involvement-load")
    def load(self, message: str = "") -> None:
        store = self.seop.store
        try:
            invitations = involvement.list_for(store, self.actor, self.student_id)
            guardians = involvement.guardians(store, self.actor, self.student_id)
            name = conferences.student_heading(store, self.actor, self.student_id)
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one("#inv-status", Static), str(exc), "")
            return
        self.app.call_from_thread(self.show, invitations, guardians, name, message)

    def show(self, invitations, guardians, name, message: str) -> None:
        self.invitations, self.guardians = invitations, guardians
        count = f"{len(invitations)} invitation{'s' if len(invitations) != 1 else ''}"
        self.query_one("#inv-heading", Static).update(plain(f"{name}: {count}", "bold"))
        table = self.query_one("#inv-table", DataTable)
        table.clear()
        for inv in invitations:
            table.add_row(
                cell(inv.sent_on), cell(inv.purpose), cell(inv.method_label), cell(inv.guardian or "household"),
                cell(inv.response_label), cell(inv.responded_on or ""), key=str(inv.id),
            )
        if not invitations:
            table.add_row(cell(""), cell("No invitations yet. Press n to add one."), *[cell("")] * 4)
        if message:
            show_saved(self.query_one("#inv-status", Static), message)
        table.focus()

    def highlighted(self) -> involvement.Invitation | None:
        table = self.query_one("#inv-table", DataTable)
        if not self.invitations or table.cursor_row is None or table.cursor_row >= len(self.invitations):
            return None
        return self.invitations[table.cursor_row]

    def action_new(self) -> None:
        self.app.push_screen(InvitationForm(self.actor, self.student_id, self.guardians), self.after_form("Saved: invitation recorded."))

    def action_respond(self) -> None:
        chosen = self.highlighted()
        if chosen is None:
            show_error(self.query_one("#inv-status", Static), "Choose an invitation first (arrow keys), then press r.", "")
            return
        self.app.push_screen(ResponseForm(self.actor, chosen), self.after_form("Saved: response recorded."))

    def after_form(self, message: str):
        def done(saved: bool | None) -> None:
            if saved:
                self.load(message)

        return done
