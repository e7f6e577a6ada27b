"""What the student's plan-section screens share.

`PlanSectionScreen`: the plan's state line, a "Saved" line, edits run one at a
time off the event loop with PlanConflict / PlanLocked / TextTooLong shown in
words, Ctrl+R to reload after a conflict. Also `columns()` for plain text tables
and `cell()` for DataTable cells shown literally.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widgets import Static

from screens.base import SectionScreen
from screens.text import clean, plain
from seop_tui.services import plans
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.services.plans import PlanConflict, PlanLocked, PlanRef
from seop_tui.text import TextTooLong

LOCKED = "Your plan is with your counselor for review, so it is read-only until they ask for changes."
REOPENS = "It is finalized; changing any section makes it a draft again."


def columns(values: Iterable[object], widths: Iterable[int]) -> str:
    """One line of a text table: each value cut or padded to its width (the last one is not padded)."""
    cells = []
    for value, width in zip(values, widths, strict=True):
        text = "" if value is None else str(value)
        cells.append(text[: width - 1] + "…" if len(text) > width else text.ljust(width))
    return " ".join(cells).rstrip()


def cell(value: object) -> Text:
    """A DataTable cell shown literally (a plain str would be read as markup), cut with … when long."""
    return Text(clean(value), overflow="ellipsis", no_wrap=True)


def credits_text(value: float) -> str:
    return f"{value:.1f}" if value * 2 == int(value * 2) else f"{value:g}"


def day(stamp: str | None) -> str:
    """The date part of an ISO date or time."""
    return (stamp or "")[:10]


EditChange = Callable[[PlanRef], PlanRef | None]


class PlanSectionScreen(SectionScreen):
    """A section of a student's plan, opened from their home as `Screen(actor, plan)`.

    Subclasses compose `plan_state_line()` and `save_state_line()` where they want
    them, implement `load()` (a thread worker that reads through a service and
    shows the result) and `apply_editable()`, and make changes with
    `self.edit(change, saved)`: `change(plan)` runs in a thread and returns the
    plan at its new version (or None to reload it).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+r", "reload", "Reload")]
    INPUT_ERRORS: ClassVar[tuple[type[Exception], ...]] = ()
    """The services' own refusals (ValueError subclasses) shown as messages."""

    def __init__(self, actor: Actor, plan: PlanRef) -> None:
        super().__init__(actor)
        self.plan = plan
        self.conflict = False
        self.state_text = ""  # what the save-state line says (tests read it)
        self._pending: deque[tuple[EditChange, str]] = deque()
        self._edit_lock = threading.Lock()
        self._editing = False

    # -- state lines -------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.actor.is_staff or self.plan.status in plans.EDITABLE_BY_STUDENT

    def plan_state(self) -> str:
        words = f"Plan {self.plan.school_year}: {self.plan.status_label}."
        if not self.editable:
            return f"{words} {LOCKED}"
        if self.plan.status == "finalized":
            return f"{words} {REOPENS}"
        return words

    def plan_state_line(self) -> Static:
        return Static("", id="plan-state", classes="plan-state", markup=False)

    def save_state_line(self) -> Static:
        return Static("", id="save-state", classes="save-state", markup=False)

    def show_plan_state(self) -> None:
        for line in self.query("#plan-state").results(Static):
            line.update(plain(self.plan_state()))
            line.set_class(not self.editable, "-locked")
        self.apply_editable()
        self.refresh_bindings()

    def show_state(self, text: str, *, error: bool = False) -> None:
        self.state_text = text
        for line in self.query("#save-state").results(Static):
            line.update(plain(text))
            line.set_class(error, "-error")

    # -- hooks ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.show_plan_state()
        self.load()

    def load(self) -> None:
        """Read the section (in a thread worker) and show it."""

    def apply_editable(self) -> None:
        """Enable or disable the controls that change the plan (see `editable`)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload":
            return self.conflict
        return True

    # -- edits ---------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        """Edits are queued or being stored (a sign-out waits for them)."""
        return self._editing

    def edit(self, change: EditChange, saved: str) -> None:
        """Queue a change; changes run one at a time, each on the plan the last one left."""
        if not self.editable:
            self.show_state(LOCKED, error=True)
            return
        with self._edit_lock:
            self._pending.append((change, saved))
            start, self._editing = not self._editing, True  # the first edit starts the worker
        if start:
            self.show_state("Saving ...")
            self._run_edits()

    @work(thread=True, group="edit")
    def _run_edits(self) -> None:
        refusals = (PlanConflict, PlanLocked, AccessDenied, TextTooLong, *self.INPUT_ERRORS)
        while True:
            with self._edit_lock:
                if not self._pending:
                    self._editing = False
                    return
                change, saved = self._pending.popleft()
            try:
                plan = change(self.plan) or plans.reload(self.seop.store, self.plan)
            except BaseException as exc:
                with self._edit_lock:  # the queue stops here; later edits may start it again
                    self._pending.clear()
                    self._editing = False
                if not isinstance(exc, refusals):
                    raise  # unexpected: the app shows its error message
                self.app.call_from_thread(self._edit_failed, exc)
                return
            self.app.call_from_thread(self._edit_done, plan, saved)

    def _edit_done(self, plan: PlanRef, saved: str) -> None:
        if not self.is_attached:
            return
        status_changed = plan.status != self.plan.status
        self.plan = plan
        self.show_state(saved)
        if status_changed:
            self.show_plan_state()
        self.edit_done(saved)

    def edit_done(self, saved: str) -> None:
        """After a change is stored; by default the section is read again."""
        self.load()

    def _edit_failed(self, exc: Exception) -> None:
        if not self.is_attached:
            return
        if isinstance(exc, PlanConflict):
            self.conflict = True
            self.refresh_bindings()
            self.show_state(f"Not saved. {exc} Press Ctrl+R to reload.", error=True)
        elif isinstance(exc, PlanLocked):
            self.show_state(f"Not saved. {exc}", error=True)
            self._reload()
        else:
            self.show_state(f"Not saved. {exc}", error=True)
        self.edit_failed(exc)

    def edit_failed(self, exc: Exception) -> None:
        """After a change was refused (the message is already shown)."""

    # -- reload --------------------------------------------------------------------

    def action_reload(self) -> None:
        self._reload()

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self) -> None:
        plan = plans.reload(self.seop.store, self.plan)
        self.app.call_from_thread(self._reloaded, plan)

    def _reloaded(self, plan: PlanRef) -> None:
        if not self.is_attached:
            return
        was_conflict, self.conflict = self.conflict, False
        self.plan = plan
        self.show_plan_state()
        if was_conflict:
            self.show_state("Reloaded: this is the plan as it is saved now.")
        self.plan_reloaded()

    def plan_reloaded(self) -> None:
        """After the plan was read again; by default the section is read again."""
        self.load()
