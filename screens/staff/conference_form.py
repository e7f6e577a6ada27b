"""Record a conference: individual (an elementary SEP conference is one), parent-requested,
or a small group of several students recorded once for all of them.

Also the pieces the other staff forms share (screens/staff/*): the form status
line, the modal form, the tick list, and `today()` for default dates.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from screens.base import SectionScreen, SessionFooter, SessionScreen
from screens.student.widgets import MarkedSelectionList
from screens.text import plain
from seop_tui.services import accomplishments, conferences
from seop_tui.services.context import AccessDenied
from seop_tui.text import TextTooLong


def today() -> date:
    """The default conference date (tests replace it, so snapshots have no clock)."""
    return date.today()


def steady_cursors(screen) -> None:
    """No blinking cursor in this screen's fields: calmer, and snapshots stay stable."""
    for widget in screen.query("Input, TextArea"):
        widget.cursor_blink = False


def show_error(status: Static, message: str, prefix: str = "Not saved: ") -> None:
    """A problem on a form's status line, in words (not only colour)."""
    status.update(plain(f"{prefix}{message}"))
    status.set_class(True, "-error")
    status.set_class(False, "-saved")


def show_saved(status: Static, message: str) -> None:
    status.update(plain(message))
    status.set_class(False, "-error")
    status.set_class(True, "-saved")


# Priority bindings move focus as the key arrives, so "20<Tab>Room 4" typed in one burst
# (fast typing over SSH) lands in two fields instead of all in the first.
FIELD_KEYS: list[BindingType] = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]

FORM_ERRORS = (conferences.EntryError, accomplishments.AccomplishmentError, TextTooLong, AccessDenied)


class FormModal(SessionScreen, ModalScreen[bool]):
    """A small form over a staff screen: Ctrl+S saves, Escape cancels.

    Subclasses yield their fields from `compose_fields()` and store them in
    `submit()` (run in a thread; raise one of FORM_ERRORS to refuse). Being a
    SessionScreen, an open form is saved before a sign-out when it is complete.
    Dismisses with True once saved, False when cancelled.
    """

    TITLE_TEXT: ClassVar[str] = ""
    AUTO_FOCUS = "Input, Select, TextArea"  # the first field, not the scrolling box around them
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        *FIELD_KEYS,
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-modal"):
            yield Static(self.TITLE_TEXT, classes="form-modal-title", markup=False)
            with VerticalScroll(classes="form-modal-body staff-form"):
                yield from self.compose_fields()
            yield Static("", classes="form-modal-status", markup=False)
        yield SessionFooter(show_command_palette=False)

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        steady_cursors(self)

    def submit(self) -> None:
        """Store the form through a service (runs in a thread)."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        self._save()

    @work(thread=True, exclusive=True, group="form-save")
    def _save(self) -> None:
        try:
            self.submit()
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one(".form-modal-status", Static), str(exc))
            return
        self.app.call_from_thread(self.dismiss, True)

    async def save_before_sign_out(self) -> None:
        with contextlib.suppress(*FORM_ERRORS):  # incomplete: nothing that could be stored
            self.submit()


class ConferenceFormScreen(SectionScreen):
    """One form for one student (individual or parent-requested) or several (small group)."""

    SECTION = "Record a conference"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back"),
        *FIELD_KEYS,
    ]

    def __init__(self, actor, student_ids: list[int]) -> None:
        super().__init__(actor)
        self.student_ids = list(student_ids)
        self.choices: conferences.AttendeeChoices | None = None
        self.saved_id: int | None = None
        self.dirty = False

    @property
    def group(self) -> bool:
        return len(self.student_ids) > 1

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="conf-body", classes="staff-form"):
            yield Static("Loading...", id="conf-for", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Kind", classes="form-label")
                if self.group:
                    limit = self.seop.ref.district.small_group_max
                    yield Static(f"Small group (up to {limit} students)", id="conf-kind-fixed", markup=False)
                else:
                    yield Select(
                        [(Content(label), kind) for kind, label in conferences.KINDS.items() if kind != "small_group"],
                        value="individual",
                        allow_blank=False,
                        id="conf-kind",
                        compact=True,
                    )
            with Horizontal(classes="form-row"):
                yield Label("Date", classes="form-label")
                yield Input(today().isoformat(), placeholder="YYYY-MM-DD", id="conf-date", compact=True, classes="date-input")
                yield Label("Minutes", classes="form-label-short")
                yield Input(placeholder="e.g. 20", id="conf-minutes", compact=True, type="integer", classes="short-input")
                yield Label("Where", classes="form-label-short")
                yield Input(placeholder="optional", id="conf-location", compact=True, classes="where-input")
            yield Label("Students present (Space marks who took part)", classes="form-heading")
            yield MarkedSelectionList(id="conf-students", compact=True)
            yield Label("Parents and guardians present", classes="form-heading")
            yield MarkedSelectionList(id="conf-guardians", compact=True)
            yield Label("School staff present", classes="form-heading")
            yield MarkedSelectionList(id="conf-staff", compact=True)
            yield Label("Notes", classes="form-heading")
            yield TextArea(id="conf-notes", soft_wrap=True, classes="notes-area")
            yield Label("Follow-ups", classes="form-heading")
            yield TextArea(id="conf-follow-ups", soft_wrap=True, classes="notes-area")
            yield Button("Save conference", id="conf-save", variant="primary", compact=True)
        yield Static("", id="conf-status", classes="form-status", markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.load_choices()

    @work(thread=True, exclusive=True, group="conference-load")
    def load_choices(self) -> None:
        try:
            choices = conferences.attendee_choices(self.seop.store, self.seop.ref, self.actor, self.student_ids)
        except AccessDenied as exc:
            self.app.call_from_thread(show_error, self.query_one("#conf-status", Static), str(exc), "")
            return
        self.app.call_from_thread(self.show_choices, choices)

    def show_choices(self, choices: conferences.AttendeeChoices) -> None:
        self.choices = choices
        names = ", ".join(f"{s.name} ({s.detail})" for s in choices.students)
        if self.group:
            heading = f"Small-group conference for {len(choices.students)} students: {names}"
        else:
            sep = choices.bands == ("SEP",)
            heading = f"{'SEP conference' if sep else 'Conference'} for {names}"
            if sep:
                self.query_one("#conf-kind", Select).set_options(
                    [(Content("Individual (SEP conference)"), "individual"), (Content("Parent-requested"), "parent_requested")]
                )
        self.query_one("#conf-for", Static).update(plain(heading))
        students = self.query_one("#conf-students", MarkedSelectionList)
        students.add_options([Selection(plain(f"{s.name} ({s.detail})"), s.id, True) for s in choices.students])
        guardians = self.query_one("#conf-guardians", MarkedSelectionList)
        options = []
        for s in choices.students:
            for g in choices.guardians.get(s.id, ()):
                label = f"{g.name} ({g.detail} of {s.name.split(' ')[0]})" if self.group else f"{g.name} ({g.detail})"
                options.append(Selection(plain(label), (s.id, g.id), False))
        if options:
            guardians.add_options(options)
        else:
            guardians.add_option(Selection(Content("No guardians on file"), None, False, disabled=True))
        staff = self.query_one("#conf-staff", MarkedSelectionList)
        staff.add_options(
            [Selection(plain(f"{p.name} ({p.detail})"), p.id, p.id == self.actor.staff_id) for p in choices.staff]
        )
        for checklist in self.query(MarkedSelectionList):
            checklist.highlighted = 0  # Space works at once, without an arrow key first
        (self.query_one("#conf-date", Input) if self.group else self.query_one("#conf-kind", Select)).focus()

    # -- editing state ------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Select.Changed)
    def mark_dirty(self) -> None:
        if self.choices is not None:
            self.dirty = True

    def kind(self) -> str:
        if self.group:
            return "small_group"
        return str(self.query_one("#conf-kind", Select).value)

    def form(self) -> dict:
        present = set(self.query_one("#conf-students", MarkedSelectionList).selected)
        chosen = [v for v in self.query_one("#conf-guardians", MarkedSelectionList).selected if v is not None]
        students = [
            conferences.Attendance(
                student_id=sid, attended=sid in present, guardian_ids=tuple(g for s, g in chosen if s == sid)
            )
            for sid in self.student_ids
        ]
        return dict(
            kind=self.kind(),
            held_on=self.query_one("#conf-date", Input).value,
            duration_minutes=self.query_one("#conf-minutes", Input).value,
            location=self.query_one("#conf-location", Input).value,
            students=students,
            staff_ids=list(self.query_one("#conf-staff", MarkedSelectionList).selected),
            notes=self.query_one("#conf-notes", TextArea).text,
            follow_ups=self.query_one("#conf-follow-ups", TextArea).text,
        )

    # -- saving -------------------------------------------------------------------------

    @on(Button.Pressed, "#conf-save")
    def action_save(self) -> None:
        status = self.query_one("#conf-status", Static)
        if self.choices is None:
            return
        if self.saved_id is not None:
            show_saved(status, "This conference is already saved. Press Escape to go back.")
            return
        self.save(self.form())

    @work(thread=True, exclusive=True, group="conference-save")
    def save(self, form: dict) -> None:
        try:
            conference_id = conferences.record(self.seop.store, self.seop.ref, self.actor, **form)
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one("#conf-status", Static), str(exc))
            return
        self.app.call_from_thread(self.saved, conference_id, form)

    def saved(self, conference_id: int, form: dict) -> None:
        self.saved_id = conference_id
        self.dirty = False
        n = len(form["students"])
        who = "1 student" if n == 1 else f"each of {n} students"
        show_saved(self.query_one("#conf-status", Static), f"Saved: conference on {form['held_on'].strip()} recorded for {who}.")
        self.query_one("#conf-save", Button).disabled = True

    def action_back(self) -> None:
        self.dismiss(self.saved_id)

    async def save_before_sign_out(self) -> None:
        # A filled-in form left at a sign-out or idle time-out is saved if it is complete;
        # an incomplete one cannot be stored as a conference.
        if self.dirty and self.saved_id is None and self.choices is not None:
            with contextlib.suppress(*FORM_ERRORS):
                self.saved_id = conferences.record(self.seop.store, self.seop.ref, self.actor, **self.form())
