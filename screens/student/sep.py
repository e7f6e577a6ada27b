"""The SEP (K-5): a simpler flow, in simple words, for a young child with an adult.

- What I am good at / What I am working on: the strengths screen with simpler words.
- My goals: one school goal and one "jobs I wonder about" goal, each with who
  will help watch it (me, my parent, my teacher).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Static

from screens.student import INPUT_ERRORS, FormSection, save_before_leaving
from screens.student.strengths import StrengthsScreen
from screens.student.widgets import MarkedCheckbox, text_field
from screens.text import clean, plain
from seop_tui.sections import SEP_SECTIONS
from seop_tui.services import goals
from seop_tui.services.goals import Goal
from seop_tui.services.plans import PlanRef
from seop_tui.text import SHORT

SEP_TITLES = {s.key: s.title for s in SEP_SECTIONS}

# (kind, heading, question)
SEP_GOALS = (
    ("education", "My school goal", "What do I want to get better at in school?"),
    ("career_awareness", "Jobs I wonder about", "What job do I want to learn about? What will I find out?"),
)
HELPERS = (("student", "Me"), ("parent", "My parent"), ("teacher", "My teacher"))

Form = tuple[str, str, tuple[str, ...]]  # text, steps, monitors


class SepStrengthsScreen(StrengthsScreen):
    SECTION = SEP_TITLES["strengths"]
    HEADINGS: ClassVar[dict[str, str]] = {"strength": "What I am good at", "needs_attention": "What I am working on"}
    OWN_WORDS: ClassVar[str] = "Or write my own words, then press Enter"
    HELP: ClassVar[str] = "Space: tick or untick. Tab: go to the next box."



class SepGoalsScreen(FormSection):
    SECTION = SEP_TITLES["goals"]
    INPUT_ERRORS = INPUT_ERRORS

    def __init__(self, actor, plan: PlanRef) -> None:
        super().__init__(actor, plan)
        self.goal_ids: dict[str, int | None] = dict.fromkeys(k for k, _, _ in SEP_GOALS)
        self.saved: dict[str, Form] = {k: ("", "", ()) for k, _, _ in SEP_GOALS}
        self.status: dict[str, str] = dict.fromkeys(self.goal_ids, "not_started")

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        with VerticalScroll(id="sep-goals", classes="section-body"):
            for kind, heading, question in SEP_GOALS:
                yield Static(Content.styled(heading, "bold underline"), classes="sep-heading")
                yield Static(question, classes="sep-question", markup=False)
                yield text_field(id=f"{kind}-text", classes="edit sep-text", max_length=SHORT, placeholder="Write it here")
                yield Static("How will I do it?", classes="sep-question", markup=False)
                yield text_field(id=f"{kind}-steps", classes="edit sep-text", max_length=SHORT, placeholder="My steps")
                with Horizontal(classes="sep-helpers"):
                    yield Static("Who will help watch it?", classes="sep-question", markup=False)
                    for who, label in HELPERS:
                        yield MarkedCheckbox(label, id=f"{kind}-{who}", classes="edit sep-helper", compact=True)
                yield Static("", id=f"{kind}-more", classes="sep-more", markup=False)
        yield self.save_state_line()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(f"#{SEP_GOALS[0][0]}-text").focus()

    def apply_editable(self) -> None:
        for widget in self.query(".edit"):
            widget.disabled = not self.editable

    # -- reading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        found = goals.goals(self.seop.store, self.actor, self.plan)
        self.app.call_from_thread(self._show, found)

    def _show(self, found: tuple[Goal, ...]) -> None:
        if not self.is_attached:
            return
        for kind, _, _ in SEP_GOALS:
            mine = [g for g in found if g.kind == kind]
            first = mine[0] if mine else None
            # Fields show stored text without control characters (an import may have left some).
            form: Form = (clean(first.text), clean(first.steps), first.monitors) if first else ("", "", ())
            if self._form(kind) == self.saved[kind]:  # never overwrite what is being typed
                self._fill(kind, form)
            self.goal_ids[kind] = first.id if first else None
            self.status[kind] = first.status if first else "not_started"
            self.saved[kind] = form
            more = self.query_one(f"#{kind}-more", Static)
            more.update(Content("\n").join(Content.assemble("Also: ", plain(g.text)) for g in mine[1:]))
            more.display = len(mine) > 1

    def _fill(self, kind: str, form: Form) -> None:
        text, steps, monitors = form
        self.query_one(f"#{kind}-text", Input).value = text
        self.query_one(f"#{kind}-steps", Input).value = steps
        for who, _ in HELPERS:
            box = self.query_one(f"#{kind}-{who}", Checkbox)
            with box.prevent(Checkbox.Changed):
                box.value = who in monitors

    # -- saving ----------------------------------------------------------------

    def _form(self, kind: str) -> Form:
        return (
            self.query_one(f"#{kind}-text", Input).value,
            self.query_one(f"#{kind}-steps", Input).value,
            tuple(who for who, _ in HELPERS if self.query_one(f"#{kind}-{who}", Checkbox).value),
        )

    def save_goal(self, kind: str) -> None:
        form = self._form(kind)
        if form == self.saved[kind]:
            return
        if self.goal_ids[kind] is None and not form[0].strip():
            if form[1].strip() or form[2]:
                self.show_state("Write the goal first, then it is saved.")
            return
        self.edit(lambda plan: self._store(plan, kind, form), "✓ Saved")

    def _store(self, plan: PlanRef, kind: str, form: Form) -> PlanRef:
        text, steps, monitors = form
        plan, self.goal_ids[kind] = goals.save_goal(
            self.seop.store, self.actor, plan, goal_id=self.goal_ids[kind], kind=kind, text=text, steps=steps,
            status=self.status[kind], monitors=monitors,
        )
        self.saved[kind] = form
        return plan

    @staticmethod
    def _kind_of(widget_id: str | None) -> str | None:
        return next((k for k, _, _ in SEP_GOALS if (widget_id or "").startswith(k + "-")), None)

    @on(Input.Submitted, ".sep-text")
    def _submitted(self, event: Input.Submitted) -> None:
        if kind := self._kind_of(event.input.id):
            self.save_goal(kind)

    @on(Checkbox.Changed, ".sep-helper")
    def _helper(self, event: Checkbox.Changed) -> None:
        if kind := self._kind_of(event.checkbox.id):
            self.save_goal(kind)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input) and (kind := self._kind_of(event.widget.id)):
            self.save_goal(kind)

    def edit_done(self, saved: str) -> None:
        """Nothing to reload: the form already shows what was saved."""

    def flush_edits(self) -> None:
        for kind, _, _ in SEP_GOALS:
            self.save_goal(kind)

    async def action_back(self) -> None:
        """Escape: what was typed is stored before going home (leaving sends no blur)."""
        await save_before_leaving(self, self.flush_edits)
        self.dismiss()

    async def save_before_sign_out(self) -> None:
        await save_before_leaving(self, self.flush_edits)
