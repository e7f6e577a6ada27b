"""Early graduation (grades 9-12): declare the intent and a target term, see whether
the plan meets every requirement by then, and the approvals it still needs."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static

from screens.question import Question
from screens.student.section import PlanSectionScreen
from screens.text import clean, plain
from seop_tui.domain.early_graduation import EarlyGraduationCheck
from seop_tui.services import early_graduation as eg
from seop_tui.services.early_graduation import PARTY_WORDS, EarlyGraduation, EarlyGraduationError, target_label

ABOUT = (
    "You may graduate early once you finish every requirement, if you, a parent and a school "
    "official all approve. Finishing by the end of grade 11 earns a Centennial Scholarship."
)
SCHOLARSHIP_WORDS = {
    "full": "Centennial Scholarship: yes, the full scholarship.",
    "partial": "Centennial Scholarship: a partial one (graduating during grade 12).",
    None: "Centennial Scholarship: not with this plan.",
}


def verdict_lines(check: EarlyGraduationCheck | None) -> list[Content]:
    if check is None:
        return [plain("The credit check is not available: your graduation requirements are not set up yet.")]
    if check.feasible:
        lines = [plain("Can your plan meet every requirement by then? Yes.", "bold")]
    else:
        lines = [plain("Can your plan meet every requirement by then? Not yet.", "bold")]
        lines.append(plain("Still short with the courses you have planned by then:"))
        lines += [plain(f"  - {missing}") for missing in check.missing]
    if check.planned_after_target:
        lines.append(plain(f"{len(check.planned_after_target)} planned course(s) end after that and do not count."))
    lines.append(plain(SCHOLARSHIP_WORDS[check.centennial_scholarship]))
    return lines


class EarlyGraduationScreen(PlanSectionScreen):
    SECTION = "Early graduation"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "declare", "Declare / change"),
        # Not Ctrl+A / Ctrl+W: the reason field uses those for editing.
        Binding("ctrl+y", "approve", "I approve"),
        Binding("ctrl+n", "withdraw", "Withdraw"),
    ]
    INPUT_ERRORS = (EarlyGraduationError,)
    today = staticmethod(date.today)  # tests fix the date

    def __init__(self, actor, plan) -> None:
        super().__init__(actor, plan)
        self.status: EarlyGraduation | None = None

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        with VerticalScroll(id="eg-body", classes="section-body form"):
            yield Static(ABOUT, id="eg-about", markup=False)
            yield Static("", id="eg-current", markup=False)
            yield Label("When do you want to graduate?", id="eg-target-label", markup=False)
            yield Select([], prompt="Choose a time", id="eg-target")
            yield Static("", id="eg-verdict", markup=False)
            yield Label("Why? (optional)", id="eg-reason-label", markup=False)
            reason = Input(id="eg-reason", max_length=200)
            reason.cursor_blink = False
            yield reason
            yield Static("", id="eg-approvals", markup=False)
            yield Static("", id="eg-history", markup=False)
        yield self.save_state_line()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        found = eg.status(self.seop.store, self.seop.ref, self.actor, self.plan.student_id, today=self.today())
        self.app.call_from_thread(self.show, found)

    def show(self, status: EarlyGraduation) -> None:
        if not self.is_attached:
            return
        first = self.status is None
        self.status = status
        current = status.current
        if not status.applies:
            self.query_one("#eg-current", Static).update(plain("Early graduation can be planned from grade 9."))
        elif current is None:
            self.query_one("#eg-current", Static).update(plain("You have not declared early graduation. Choose a time below to see what it takes."))
        else:
            self.query_one("#eg-current", Static).update(
                plain(f"Your plan: graduate at the {current.target_label.lower()}, declared {current.declared_on}.", "bold")
            )
        select = self.query_one("#eg-target", Select)
        options = [(target_label(t), f"{t[0]}-{t[1]}") for t in status.targets]
        with self.prevent(Select.Changed):
            select.set_options(options)
            if current is not None and current.target in status.targets:
                select.value = f"{current.target[0]}-{current.target[1]}"
        if first and current is not None:
            self.query_one("#eg-reason", Input).value = clean(current.reason)
        for widget in ("#eg-target-label", "#eg-target", "#eg-reason-label", "#eg-reason"):
            self.query_one(widget).display = status.applies and bool(status.targets)
        if first and status.targets and self.editable:
            select.focus()
        self.show_verdict()
        self.query_one("#eg-approvals", Static).update(Content("\n").join(self.approval_lines(status)))
        self.query_one("#eg-history", Static).update(Content("\n").join(self.history_lines(status)))
        self.apply_editable()
        self.refresh_bindings()

    def chosen_target(self):
        value = self.query_one("#eg-target", Select).value
        if value is Select.NULL:
            return None
        grade, _, half = str(value).partition("-")
        return (int(grade), half)

    def show_verdict(self) -> None:
        status = self.status
        lines: list[Content] = []
        target = self.chosen_target() or (status.current.target if status and status.current else None)
        if status is not None and status.applies and target is not None:
            lines = verdict_lines(status.verdicts.get(target))
        self.query_one("#eg-verdict", Static).update(Content("\n").join(lines))

    def approval_lines(self, status: EarlyGraduation) -> list[Content]:
        current = status.current
        if current is None:
            return []
        lines = [Content.styled("Approvals", "bold")]
        for party, words in PARTY_WORDS.items():
            on_day = current.approvals[party]
            if on_day:
                who = f" ({current.official_name})" if party == "official" and current.official_name else ""
                lines.append(plain(f"  {words}: approved {on_day}{who}"))
            elif party == "student":
                lines.append(plain(f"  {words}: not yet. Press Ctrl+Y when you agree with this plan."))
            else:
                lines.append(plain(f"  {words}: pending (school staff record it)"))
        return lines

    def history_lines(self, status: EarlyGraduation) -> list[Content]:
        if not status.history:
            return []
        lines = [Content.styled("Earlier plans", "bold")]
        lines += [plain(f"  {d.target_label}: declared {d.declared_on}, withdrawn {d.withdrawn_on}") for d in status.history]
        return lines

    def apply_editable(self) -> None:
        for widget in self.query("#eg-target, #eg-reason"):
            widget.disabled = not self.editable

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.status
        if action in ("declare", "approve", "withdraw"):
            if status is None or not status.applies:
                return False
            if not self.editable:
                return False
            if action == "declare":
                return bool(status.targets)
            if action == "approve":
                return status.current is not None and not status.current.approvals["student"] and self.actor.role == "student"
            return status.current is not None
        return super().check_action(action, parameters)

    @on(Select.Changed, "#eg-target")
    def _target_changed(self) -> None:
        self.show_verdict()

    def action_declare(self) -> None:
        target = self.chosen_target()
        if target is None:
            self.show_state("Choose when you want to graduate first.", error=True)
            self.query_one("#eg-target", Select).focus()
            return
        reason = self.query_one("#eg-reason", Input).value
        today = self.today()
        self.edit(
            lambda plan: eg.declare(self.seop.store, self.actor, plan, target=target, reason=reason, today=today),
            f"Saved: you plan to graduate at the {target_label(target).lower()}.",
        )

    def action_approve(self) -> None:
        today = self.today()
        self.edit(lambda plan: eg.approve(self.seop.store, self.actor, plan, "student", on=today), "Saved: your approval is recorded.")

    def action_withdraw(self) -> None:
        question = "Withdraw your early graduation plan? It stays in your history, and you can declare again later."
        self.app.push_screen(Question.yes_no(question, "Withdraw", "Keep it", focus_yes=False), self._withdraw)

    def _withdraw(self, answer: str | None) -> None:
        if answer == "y":
            today = self.today()
            self.edit(lambda plan: eg.withdraw(self.seop.store, self.actor, plan, today=today), "Saved: early graduation withdrawn.")
