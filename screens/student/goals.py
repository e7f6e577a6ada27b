"""Goals: education and career goals, each with steps, a target date, a status
and progress updates over time.

The list opens a goal (or a new one) in the goal screen, whose questions help
a 12-year-old write a goal someone could check: what will you do, by when,
how will you know you did it. Fields save when you leave them or press Enter;
Escape saves and goes back (or stays and says what to fix).
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from screens.student import INPUT_ERRORS, FormSection, save_before_leaving
from screens.question import Question
from screens.student.section import PlanSectionScreen
from screens.student.widgets import MarkedRadioButton, text_field
from screens.text import clean, plain
from seop_tui.services import goals
from seop_tui.services.goals import EXAMPLES, KIND_NAMES, KINDS_BY_PLAN, PROMPTS, STATUSES, Goal
from seop_tui.services.plans import PlanRef
from seop_tui.text import SHORT

ADD = "+ Add {article} {kind}"


def goal_row(goal: Goal) -> Content:
    head = f"{KIND_NAMES.get(goal.kind, goal.kind)} · {goal.status_label}"
    if goal.target_date:
        head += f" · by {goal.target_date}"
    if goal.updates:
        head += f" · {len(goal.updates)} update{'s' if len(goal.updates) != 1 else ''}"
    return Content.assemble(plain(head), "\n  ", plain(goal.text, "bold"))



class GoalsScreen(PlanSectionScreen):
    SECTION = "Goals"
    INPUT_ERRORS = INPUT_ERRORS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("delete", "remove", "Remove goal"),
    ]

    def __init__(self, actor, plan: PlanRef) -> None:
        super().__init__(actor, plan)
        self.goals: tuple[Goal, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        yield Static(Content.assemble(("A good goal answers: ", "bold"), " ".join(PROMPTS)), id="goal-prompts")
        yield OptionList(id="goal-list", markup=False)
        yield self.save_state_line()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        found = goals.goals(self.seop.store, self.actor, self.plan)
        self.app.call_from_thread(self._show, found)

    def _show(self, found: tuple[Goal, ...]) -> None:
        if not self.is_attached:
            return
        self.goals = found
        box = self.query_one("#goal-list", OptionList)
        highlighted = box.highlighted
        box.clear_options()
        for goal in found:
            box.add_option(Option(goal_row(goal), id=f"goal-{goal.id}"))
            box.add_option(None)  # a separator line
        for kind in KINDS_BY_PLAN[self.plan.kind]:
            name = KIND_NAMES[kind].lower()
            box.add_option(Option(ADD.format(article="an" if name[0] in "aeiou" else "a", kind=name), id=f"new-{kind}", disabled=not self.editable))
        box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()

    def _highlighted_id(self) -> str:
        box = self.query_one("#goal-list", OptionList)
        return "" if box.highlighted is None else box.get_option_at_index(box.highlighted).id or ""

    @on(OptionList.OptionSelected, "#goal-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_goal(event.option.id or "")

    def action_open(self) -> None:
        self.open_goal(self._highlighted_id())

    def open_goal(self, option_id: str) -> None:
        if option_id.startswith("new-"):
            editor = GoalEditorScreen(self.actor, self.plan, option_id.removeprefix("new-"))
        elif option_id.startswith("goal-"):
            goal = next(g for g in self.goals if g.id == int(option_id.removeprefix("goal-")))
            editor = GoalEditorScreen(self.actor, self.plan, goal.kind, goal)
        else:
            return
        self.app.push_screen(editor, lambda _: self._reload())

    def action_remove(self) -> None:
        option_id = self._highlighted_id()
        if not option_id.startswith("goal-"):
            return
        goal = next(g for g in self.goals if g.id == int(option_id.removeprefix("goal-")))
        question = f"Remove this goal and its updates?\n{goal.text}"
        self.app.push_screen(Question.yes_no(question, "Remove", "Keep it", focus_yes=False), lambda answer: self._remove(goal.id, answer))

    def _remove(self, goal_id: int, answer: str | None) -> None:
        if answer == "y":
            self.edit(lambda plan: goals.remove_goal(self.seop.store, self.actor, plan, goal_id), "✓ Goal removed")


class GoalEditorScreen(FormSection):
    """One goal: what, steps, by when, status, and updates over time."""

    INPUT_ERRORS = INPUT_ERRORS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", "Save")]

    def __init__(self, actor, plan: PlanRef, kind: str, goal: Goal | None = None) -> None:
        super().__init__(actor, plan)
        self.kind = kind
        self.goal = goal
        self.goal_id = goal.id if goal else None
        self.SECTION = KIND_NAMES.get(kind, "Goal")
        self._saved_form = self._form_of(goal)
        self._failed = False
        self._outstanding = 0  # saves queued and not yet answered (done or refused)

    @staticmethod
    def _form_of(goal: Goal | None) -> tuple[str, str, str, str]:
        if goal is None:
            return ("", "", "", "not_started")
        # Fields show stored text without control characters (an import may have left some).
        return (clean(goal.text), clean(goal.steps, one_line=False), clean(goal.target_date or ""), goal.status)

    def compose_body(self) -> ComposeResult:
        text, steps, target, status = self._saved_form
        yield self.plan_state_line()
        with VerticalScroll(id="goal-form", classes="section-body"):
            yield Static(Content.styled(PROMPTS[0], "bold"), classes="goal-label")
            yield text_field(value=text, id="goal-text", classes="edit", max_length=SHORT, placeholder="My goal")
            yield Static(Content.assemble("For example: ", (EXAMPLES.get(self.kind, ""), "italic")), classes="goal-example")
            yield Static(Content.styled("Steps: how will you get there, and how will you know you did it?", "bold"), classes="goal-label")
            area = TextArea(steps, id="goal-steps", classes="edit", soft_wrap=True, compact=True, placeholder="One step on each line")
            area.cursor_blink = False
            yield area
            yield Static(Content.styled(PROMPTS[1] + " (year-month-day, like 2027-05-29)", "bold"), classes="goal-label")
            yield text_field(value=target, id="goal-date", classes="edit", max_length=20, placeholder="year-month-day")
            yield Static(Content.styled("How is it going?", "bold"), classes="goal-label")
            with RadioSet(id="goal-status", classes="edit"):
                for key, label in STATUSES.items():
                    yield MarkedRadioButton(label, value=key == status, id=f"status-{key}")
            yield Static(Content.styled("Progress updates", "bold"), classes="goal-label")
            yield Static("", id="goal-updates", markup=False)
            yield text_field(id="goal-note", classes="edit", max_length=SHORT * 4, placeholder="What did you do this week? Press Enter to add it")
        yield self.save_state_line()

    def on_mount(self) -> None:
        super().on_mount()
        self._show_updates(self.goal)
        self.query_one("#goal-text").focus()

    def apply_editable(self) -> None:
        for widget in self.query(".edit"):
            widget.disabled = not self.editable

    # -- reading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        if self.goal_id is None:
            return
        found = goals.goals(self.seop.store, self.actor, self.plan)
        self.app.call_from_thread(self._loaded, next((g for g in found if g.id == self.goal_id), None))

    def _loaded(self, goal: Goal | None) -> None:
        if not self.is_attached or goal is None:
            return
        if self._form() == self._saved_form:  # never overwrite what is being typed
            self._fill(goal)
        self.goal, self._saved_form = goal, self._form_of(goal)
        self._show_updates(goal)

    def _fill(self, goal: Goal) -> None:
        text, steps, target, status = self._form_of(goal)
        self.query_one("#goal-text", Input).value = text
        self.query_one("#goal-steps", TextArea).text = steps
        self.query_one("#goal-date", Input).value = target
        with self.prevent(RadioSet.Changed):
            self.query_one(f"#status-{status}", RadioButton).value = True

    def _show_updates(self, goal: Goal | None) -> None:
        updates = goal.updates if goal else ()
        lines = [
            Content.assemble(plain(f"{u.created_at[:10]} "), (STATUSES.get(u.status or "", ""), "bold"), ": " if u.note else "", plain(u.note or ""))
            for u in updates
        ]
        self.query_one("#goal-updates", Static).update(Content("\n").join(lines) if lines else Content("None yet."))

    # -- the form --------------------------------------------------------------

    def _form(self) -> tuple[str, str, str, str]:
        pressed = self.query_one("#goal-status", RadioSet).pressed_button
        status = (pressed.id or "status-not_started").removeprefix("status-") if pressed else "not_started"
        return (
            self.query_one("#goal-text", Input).value,
            self.query_one("#goal-steps", TextArea).text,
            self.query_one("#goal-date", Input).value,
            status,
        )

    def _dirty(self) -> bool:
        return self._form() != self._saved_form

    def save_form(self) -> bool:
        """Queue a save of the form when it changed; False when there is nothing to save."""
        form = self._form()
        if form == self._saved_form or (self.goal_id is None and not form[0].strip()):
            return False
        self._failed = False
        self._save(lambda plan: self._store(plan, form), "✓ Saved")
        return True

    def _save(self, change, saved: str) -> None:
        if self.editable:
            self._outstanding += 1
        self.edit(change, saved)

    def _store(self, plan: PlanRef, form: tuple[str, str, str, str]) -> PlanRef:
        text, steps, target, status = form
        plan, self.goal_id = goals.save_goal(
            self.seop.store, self.actor, plan, goal_id=self.goal_id, kind=self.kind, text=text, steps=steps, target_date=target, status=status
        )
        self._saved_form = form
        return plan

    @on(Input.Submitted, "#goal-text, #goal-date")
    def _submitted(self) -> None:
        self.save_form()

    @on(RadioSet.Changed, "#goal-status")
    def _status_changed(self) -> None:
        self.save_form()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if getattr(event.widget, "id", None) in ("goal-text", "goal-steps", "goal-date"):
            self.save_form()

    @on(Input.Submitted, "#goal-note")
    def _note(self, event: Input.Submitted) -> None:
        note = event.value
        if not note.strip():
            return
        self.save_form()  # a new goal is stored first
        if self.goal_id is None and not self._form()[0].strip():
            self.show_state("Write the goal first: what will you do?", error=True)
            return
        self._save(lambda plan: self._add_note(plan, note), "✓ Update added")

    def _add_note(self, plan: PlanRef, note: str) -> PlanRef:
        if self.goal_id is None:
            raise goals.GoalInputError("Write the goal first: what will you do?")
        return goals.add_update(self.seop.store, self.actor, plan, self.goal_id, note)

    def action_save(self) -> None:
        if not self.save_form():
            self.show_state("✓ Saved")

    # -- after an edit -----------------------------------------------------------

    def edit_done(self, saved: str) -> None:
        self._outstanding = max(0, self._outstanding - 1)
        note = self.query_one("#goal-note", Input)
        if saved.startswith("✓ Update"):
            note.value = ""
        self.load()

    def edit_failed(self, exc: Exception) -> None:
        self._failed = True
        self._outstanding = 0  # a refusal drops the rest of the queue

    async def action_back(self) -> None:
        self.save_form()
        for _ in range(1000):  # at most ten seconds
            if not self._outstanding:
                break
            await asyncio.sleep(0.01)
        if self._failed and self._dirty():
            return  # the message says what to fix; nothing typed is thrown away
        self.dismiss()

    def flush_edits(self) -> None:
        try:
            goals.parse_target_date(self._form()[2])
        except goals.GoalInputError:  # keep the rest; an unreadable date cannot be stored
            self.query_one("#goal-date", Input).value = self._saved_form[2]
        self.save_form()
        note = self.query_one("#goal-note", Input).value
        if note.strip():
            self._save(lambda plan: self._add_note(plan, note), "✓ Update added")

    async def save_before_sign_out(self) -> None:
        await save_before_leaving(self, self.flush_edits)
