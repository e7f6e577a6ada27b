"""Accomplishments: awards, activities, service, work and others, with dates.

A adds, Enter or E changes the highlighted one, D removes it (after asking).
The form saves with Ctrl+S; it stays open with a message when something is
wrong, so nothing typed is lost.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from screens.student import keys_delivered
from screens.question import Question
from screens.student.section import PlanSectionScreen, cell
from screens.base import SessionFooter
from screens.text import clean, plain
from seop_tui.services import accomplishments as acc
from seop_tui.services import plans
from seop_tui.services.accomplishments import KINDS, AccomplishmentError
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.services.plans import PlanConflict, PlanLocked, PlanRef
from seop_tui.text import TextTooLong

FIELDS = ("kind", "title", "occurred_on", "hours", "description")
REFUSALS = (AccomplishmentError, TextTooLong, PlanConflict, PlanLocked, AccessDenied)


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class AccomplishmentForm(ModalScreen[PlanRef | None]):
    """Add or change one accomplishment; dismisses with the plan as it is after saving."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self, actor: Actor, plan: PlanRef, existing: dict | None = None) -> None:
        super().__init__(classes="accomplishment-form")
        self.actor = actor
        self.plan = plan
        self.existing = existing
        self.conflict = False
        self.leave_anyway = False
        self.saving = False
        self.message = ""  # the form's message line (tests read it)

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static("Change an accomplishment" if self.existing else "Add an accomplishment", id="form-title", markup=False)
            with VerticalScroll(id="form-fields", classes="form"):
                yield Label("Kind", markup=False)
                yield Select([(label, code) for code, label in KINDS.items()], prompt="Choose one", id="kind")
                yield Label("Title, e.g. Science fair, 2nd place", markup=False)
                yield self._input("title", max_length=200)
                yield Label("Date (YYYY-MM-DD, e.g. 2026-03-14; optional)", markup=False)
                yield self._input("occurred_on", max_length=10, placeholder="YYYY-MM-DD")
                yield Label("Hours (optional)", markup=False)
                yield self._input("hours", max_length=8)
                yield Label("What you did (optional)", markup=False)
                text = TextArea(id="description", soft_wrap=True, tab_behavior="focus")
                text.cursor_blink = False
                yield text
            yield Static("", id="form-message", markup=False)
        yield SessionFooter(show_command_palette=False)

    @staticmethod
    def _input(field: str, **kwargs) -> Input:
        box = Input(id=field, **kwargs)
        box.cursor_blink = False
        return box

    def on_mount(self) -> None:
        if self.existing:
            self.put(self.existing)
        self.start = self.values()
        self.query_one("#kind", Select).focus()

    def put(self, values: dict) -> None:
        self.query_one("#kind", Select).value = values.get("kind") or Select.NULL
        self.query_one("#title", Input).value = clean(values.get("title"))  # clean: a row may come from an import
        self.query_one("#occurred_on", Input).value = clean(values.get("occurred_on"))
        self.query_one("#hours", Input).value = _hours(values.get("hours"))
        self.query_one("#description", TextArea).text = clean(values.get("description"), one_line=False)

    def values(self) -> dict[str, str | None]:
        kind = self.query_one("#kind", Select).value
        return {
            "kind": None if kind is Select.NULL else str(kind),
            "title": self.query_one("#title", Input).value,
            "occurred_on": self.query_one("#occurred_on", Input).value,
            "hours": self.query_one("#hours", Input).value,
            "description": self.query_one("#description", TextArea).text,
        }

    @property
    def dirty(self) -> bool:
        return self.values() != self.start

    def say(self, text: str, *, error: bool = False) -> None:
        self.message = text
        line = self.query_one("#form-message", Static)
        line.update(plain(text))
        line.set_class(error, "-error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload":
            return self.conflict
        return True

    # -- saving ------------------------------------------------------------------------

    def store(self, plan: PlanRef, values: dict) -> PlanRef:
        """Write through the service (in a thread); returns the plan after the change."""
        app = self.app
        if self.existing:
            acc.update(app.store, self.actor, self.existing["id"], plan=plan, **values)  # type: ignore[attr-defined]
        else:
            acc.add(app.store, self.actor, plan.student_id, plan=plan, **values)  # type: ignore[attr-defined]
        return plans.reload(app.store, plan)  # type: ignore[attr-defined]

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.say("Saving ...")
        self._save(self.values())

    @work(thread=True, group="form")
    def _save(self, values: dict) -> None:
        try:
            plan = self.store(self.plan, values)
        except REFUSALS as exc:
            self.app.call_from_thread(self._refused, exc)
        else:
            self.app.call_from_thread(self.dismiss, plan)

    def _refused(self, exc: Exception) -> None:
        self.saving = False
        self.leave_anyway = False
        if isinstance(exc, PlanConflict):
            self.conflict = True
            self.refresh_bindings()
            self.say(f"Not saved. {exc} Press Ctrl+R to reload, then Ctrl+S: what you typed stays here.", error=True)
        else:
            self.say(f"Not saved. {exc}", error=True)

    def action_reload(self) -> None:
        self.plan = plans.reload(self.app.store, self.plan)  # type: ignore[attr-defined]
        self.conflict = False
        self.refresh_bindings()
        self.say("Reloaded. Press Ctrl+S to save what you typed.")

    def action_cancel(self) -> None:
        if self.dirty and not self.leave_anyway:
            self.leave_anyway = True
            self.say("You have changes that are not saved. Ctrl+S saves; Escape again leaves without saving.", error=True)
            return
        self.dismiss(None)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _typed(self) -> None:
        self.leave_anyway = False


class AccomplishmentsScreen(PlanSectionScreen):
    SECTION = "Accomplishments"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "change", "Change"),
        Binding("d,delete", "remove", "Remove"),
    ]
    INPUT_ERRORS = (AccomplishmentError,)

    def __init__(self, actor, plan) -> None:
        super().__init__(actor, plan)
        self.items: list[dict] = []
        self.form: AccomplishmentForm | None = None

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        yield Static("Awards, activities, service and work you are proud of.", id="acc-intro", markup=False)
        table = DataTable(id="acc-table", cursor_type="row", classes="section-table")
        for label, width in (("Date", 10), ("Kind", 8), ("Title", 42), ("Hours", 5)):
            table.add_column(label, width=width, key=label.lower())
        yield table
        yield Static("", id="acc-detail", markup=False)
        yield self.save_state_line()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#acc-table", DataTable).focus()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        items = acc.list_for(self.seop.store, self.actor, self.plan.student_id)
        self.app.call_from_thread(self.show, items)

    def show(self, items: list[dict]) -> None:
        if not self.is_attached:
            return
        self.items = items
        table = self.query_one("#acc-table", DataTable)
        row = table.cursor_row
        table.clear()
        for item in items:
            table.add_row(cell(item["occurred_on"] or "no date"), cell(item["kind_label"]), cell(item["title"]), cell(_hours(item["hours"])))
        if not items:
            table.add_row(cell(""), cell(""), cell("Nothing yet. Press A to add one."), cell(""))
        table.move_cursor(row=min(row, max(0, table.row_count - 1)))
        self.describe()
        self.refresh_bindings()

    def selected(self) -> dict | None:
        row = self.query_one("#acc-table", DataTable).cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        item = self.selected()
        text = ""
        if item:
            text = f"Details: {item['description'] or '(none)'}"
            if item["entered_by_name"] and item["entered_by"] != self.actor.account_id:
                text = f"{text}\nEntered by {item['entered_by_name']}."
        self.query_one("#acc-detail", Static).update(plain(text, one_line=False))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_change()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "change", "remove"):
            if not self.editable:
                return False
            return action == "add" or self.selected() is not None
        return super().check_action(action, parameters)

    # -- changes ---------------------------------------------------------------------

    def open_form(self, existing: dict | None) -> None:
        if not self.editable:
            self.show_state(self.plan_state(), error=True)
            return
        self.form = AccomplishmentForm(self.actor, self.plan, existing)
        self.app.push_screen(self.form, self._form_closed)

    def _form_closed(self, plan: PlanRef | None) -> None:
        was_new = self.form is not None and self.form.existing is None
        self.form = None
        self.query_one("#acc-table", DataTable).focus()
        if plan is None:
            return
        self.plan = plan
        self.show_plan_state()
        self.show_state("Saved: accomplishment added." if was_new else "Saved: accomplishment changed.")
        self.load()

    def action_add(self) -> None:
        self.open_form(None)

    def staff_entered(self, item: dict) -> bool:
        """A student changes only what they entered; say so instead of opening it."""
        if self.actor.role == "student" and item["entered_by"] != self.actor.account_id:
            self.show_state("This one was entered by school staff. Ask your counselor to change it.", error=True)
            return True
        return False

    def action_change(self) -> None:
        item = self.selected()
        if item is not None and not self.staff_entered(item):
            self.open_form(item)

    def action_remove(self) -> None:
        item = self.selected()
        if item is None or not self.editable or self.staff_entered(item):
            return
        question = f"Remove “{item['title']}” from your accomplishments?"
        self.app.push_screen(Question.yes_no(question, "Remove", "Keep it", focus_yes=False), lambda answer: self._remove(answer, item))

    def _remove(self, answer: str | None, item: dict) -> None:
        if answer == "y":
            self.edit(
                lambda plan: acc.remove(self.seop.store, self.actor, item["id"], plan=plan),
                "Saved: accomplishment removed.",
            )

    async def save_before_sign_out(self) -> None:
        form = self.form
        if form is None:
            return
        await keys_delivered(form)  # keys typed just before the sign-out key
        if form.saving or not form.dirty:
            return
        values = form.values()
        try:
            await asyncio.to_thread(form.store, form.plan, values)
        except REFUSALS:
            pass  # not storable as typed (no title yet, a bad date): nobody is left to ask
