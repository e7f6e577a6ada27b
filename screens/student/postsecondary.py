"""After high school: what the student plans to do, where, and the next steps.

Saves by itself a moment after typing stops, on Ctrl+S, on leaving and before a
sign-out; the line at the bottom says whether everything is saved.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Select, TextArea

from screens.student import edits_finished, keys_delivered
from screens.student.section import PlanSectionScreen
from screens.text import clean
from seop_tui.services import postsecondary
from seop_tui.services.postsecondary import EDUCATION_CHOICES, Postsecondary, PostsecondaryError

AUTOSAVE_SECONDS = 2.0
FIELD_LABELS = {
    "education_choice": "What do you plan to do after high school?",
    "institution": "Which school, college, program or employer? (if you know)",
    "program": "What would you study or train for?",
    "occupations": "Which jobs are you aiming for?",
    "next_steps": "Next steps: what will you do this year to get there?",
}
KEPT = "Reloaded. What you typed is kept"
UNSAVED = "Not saved yet. It saves by itself in a moment; Ctrl+S saves now."


class PostsecondaryScreen(PlanSectionScreen):
    SECTION = "After high school"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", "Save")]
    INPUT_ERRORS = (PostsecondaryError,)

    def __init__(self, actor, plan) -> None:
        super().__init__(actor, plan)
        self.loaded: dict[str, str | None] | None = None  # the values as last read or saved
        self.leaving = False  # Escape pressed: leave once saved
        self.leave_anyway = False  # a save failed; Escape again leaves without it
        self._timer: Timer | None = None
        self._saving: dict[str, str | None] = {}

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        with VerticalScroll(id="post-form", classes="section-body form"):
            yield Label(FIELD_LABELS["education_choice"], markup=False)
            yield Select([(label, code) for code, label in EDUCATION_CHOICES.items()], prompt="Choose one", id="education_choice")
            for field in ("institution", "program", "occupations"):
                yield Label(FIELD_LABELS[field], markup=False)
                box = Input(id=field, max_length=200)
                box.cursor_blink = False
                yield box
            yield Label(FIELD_LABELS["next_steps"], markup=False)
            steps = TextArea(id="next_steps", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            steps.cursor_blink = False
            yield steps
        yield self.save_state_line()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#education_choice", Select).focus()

    # -- values ------------------------------------------------------------------------

    def values(self) -> dict[str, str | None]:
        choice = self.query_one("#education_choice", Select).value
        out: dict[str, str | None] = {"education_choice": None if choice is Select.NULL else str(choice)}
        for field in ("institution", "program", "occupations"):
            out[field] = self.query_one(f"#{field}", Input).value
        out["next_steps"] = self.query_one("#next_steps", TextArea).text
        return out

    def put(self, values: dict[str, str | None]) -> None:
        with self.prevent(Input.Changed, Select.Changed, TextArea.Changed):
            choice = values["education_choice"]
            self.query_one("#education_choice", Select).value = choice if choice else Select.NULL
            # Stored text goes through clean() again: a row that arrived another way
            # (an import) must not bring control characters to the screen.
            for field in ("institution", "program", "occupations"):
                self.query_one(f"#{field}", Input).value = clean(values[field])
            self.query_one("#next_steps", TextArea).text = clean(values["next_steps"], one_line=False)

    @property
    def dirty(self) -> bool:
        return self.loaded is not None and _normal(self.values()) != _normal(self.loaded)

    # -- reading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        found = postsecondary.load(self.seop.store, self.actor, self.plan)
        self.app.call_from_thread(self.show, found)

    def show(self, found: Postsecondary) -> None:
        if not self.is_attached:
            return
        stored = {k: v if k == "education_choice" else clean(v, one_line=k != "next_steps") for k, v in found.values().items()}
        if self.loaded is None:
            self.put(stored)
            self.show_state("Saved." if found.updated_at else "Nothing saved yet.")
        else:
            # Read again (after a reload): take the saved text where nothing was typed,
            # keep what the person typed everywhere else.
            typed = self.values()
            kept = [f for f in stored if _normal({f: typed[f]}) != _normal({f: self.loaded[f]})]
            self.put({f: typed[f] if f in kept else stored[f] for f in stored})
            if kept:
                names = ", ".join(FIELD_LABELS[f].split("?")[0].split(":")[0] for f in kept)
                self.show_state(f"{KEPT} ({names}). It saves in a moment; Ctrl+S saves now.")
        self.loaded = stored
        self.apply_editable()

    def apply_editable(self) -> None:
        for widget in self.query("#post-form Input, #post-form Select, #post-form TextArea"):
            widget.disabled = not self.editable

    # -- saving ------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self.loaded is None or not self.dirty:
            return
        self.leave_anyway = False
        if not self.conflict and not self.state_text.startswith(KEPT):
            self.show_state(UNSAVED)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_SECONDS, self.autosave)

    def autosave(self) -> None:
        if self.dirty and not self.conflict and self.editable:
            self.action_save()

    def action_save(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if not self.dirty:
            self.show_state("Saved.")
            if self.leaving:
                self.dismiss()
            return
        values = self._saving = self.values()
        self.edit(lambda plan: self.store_values(plan, values), "Saved.")

    def store_values(self, plan, values):
        return postsecondary.save(self.seop.store, self.actor, plan, **values)

    def edit_done(self, saved: str) -> None:
        self.loaded = self._saving
        if self.dirty:
            self.show_state(UNSAVED)
        if self.leaving:
            self.dismiss()

    def edit_failed(self, exc: Exception) -> None:
        if self.leaving:
            self.leaving = False
            self.leave_anyway = True
            self.show_state(f"{self.state_text} Escape again leaves without saving.", error=True)

    def plan_reloaded(self) -> None:
        self.load()

    def action_back(self) -> None:
        if self.leave_anyway or not self.dirty or not self.editable:
            self.dismiss()
            return
        self.leaving = True
        self.action_save()

    async def save_before_sign_out(self) -> None:
        await keys_delivered(self)  # keys typed just before the sign-out key
        await edits_finished(self)  # an autosave may be on its way
        if self.dirty and self.editable and not self.conflict:
            values = self.values()
            await asyncio.to_thread(self.store_values, self.plan, values)


def _normal(values: dict[str, str | None]) -> dict[str, str]:
    """Values as the service stores them, for telling whether anything changed."""
    return {k: (v or "").strip() for k, v in values.items()}
