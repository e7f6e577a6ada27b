"""A student's home: this school year's plan as a checklist of its sections.

Each row shows the section's key, title and state (a mark and the word), with
the counselor's open comments under it. Above: the plan's status; below: what
is due. A section opens with its number key, or arrows and Enter.

Section screens are imported when first opened, from SECTION_SCREENS
("module:Class", built as Class(actor, plan)); one that is not there yet says
"coming soon" instead of failing.
"""

from __future__ import annotations

import importlib
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.base import SessionScreen
from screens.home import greeting, must_change_notice
from screens.student.widgets import STATE_MARKS
from screens.text import plain
from seop_tui.sections import Section
from seop_tui.services import plans
from seop_tui.services.accounts import secret_kind
from seop_tui.services.plan_status import PlanStatus, SectionState, SectionStatus, plan_status
from seop_tui.services.plans import PlanRef

SECTION_SCREENS: dict[str, dict[str, str]] = {
    "SEOP": {
        "inventory": "screens.student.inventory:InventoryScreen",
        "strengths": "screens.student.strengths:StrengthsScreen",
        "goals": "screens.student.goals:GoalsScreen",
        "cluster": "screens.student.cluster:ClusterScreen",
        "course_plan": "screens.student.course_plan:CoursePlanScreen",
        "postsecondary": "screens.student.postsecondary:PostsecondaryScreen",
        "early_graduation": "screens.student.early_graduation:EarlyGraduationScreen",
        "accomplishments": "screens.student.accomplishments:AccomplishmentsScreen",
        "progress": "screens.student.progress:ProgressScreen",
        "review": "screens.student.review:ReviewScreen",
    },
    "SEP": {
        "strengths": "screens.student.sep:SepStrengthsScreen",
        "goals": "screens.student.sep:SepGoalsScreen",
        "progress": "screens.student.progress:ProgressScreen",
        "review": "screens.student.review:ReviewScreen",
    },
}

STATE_WORDS = {SectionState.VIEW: "view only"}
COMING_SOON = "“{title}” is coming soon."
STATUS_WORDS = {
    "draft": "Draft: work on any section; send it to your counselor from Review and submit.",
    "submitted": "Submitted for review: your counselor is reading it. You can look, but not change it, until they finish.",
    "changes_requested": "Changes requested: your counselor left comments, marked [!] below.",
    "finalized": "Finalized: your counselor signed it off. Changing a section starts a new draft.",
}
SEP_STATUS_WORDS = {
    "draft": "Not sent yet.",
    "submitted": "Sent to the teacher.",
    "changes_requested": "The teacher asked for changes, marked [!] below.",
    "finalized": "Finished and signed off by the teacher.",
}


def section_screen_class(kind: str, key: str) -> type | None:
    """The screen class for a section, or None when its module is not there yet."""
    target = SECTION_SCREENS.get(kind, {}).get(key)
    if target is None:
        return None
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise  # the module is there but broken: a real error
    return getattr(module, class_name, None)


def _row(status: SectionStatus, title_width: int, width: int = 78) -> Content:
    section = status.section
    state = STATE_WORDS.get(status.state, status.state.value) + (f" · {status.detail}" if status.detail else "")
    head = f"{section.key_hint}  {STATE_MARKS[status.state]} {section.title:<{title_width}}  "
    room = max(10, width - len(head))
    if len(state) > room:
        state = state[: room - 1] + "…"
    lines = [Content.assemble(head, plain(state, "bold" if status.state == SectionState.NEEDS_ATTENTION else ""))]
    for comment in status.comments:
        who = comment.author or "Counselor"
        lines.append(Content.assemble("        ", f"{who}: ", plain(comment.body, "italic")))
    return Content("\n").join(lines)


class StudentHomeScreen(SessionScreen):
    """Home for a signed-in student."""

    SECTION = "Your plan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_highlighted", "Open"),
        Binding("1", "open_key('1')", "Open a section", key_display="0-9"),
        *(Binding(key, f"open_key('{key}')", show=False) for key in "234567890"),
        # One of the two is active: the one for what this district's students sign in with.
        Binding("c", "change_secret('pin')", "Change PIN"),
        Binding("c", "change_secret('password')", "Change password"),
    ]

    def __init__(self, actor, **kwargs) -> None:
        super().__init__(actor, **kwargs)
        self.plan: PlanRef | None = None
        self.status: PlanStatus | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="student-home-body"):
            yield Static(greeting(self.actor), id="home-greeting")
            yield from must_change_notice(self.actor, self.seop.ref.district.student_credential)
            yield Static("Loading your plan ...", id="plan-status", markup=False)
            yield Static("", id="plan-comments", markup=False)
            yield OptionList(id="sections", markup=False)
            yield Static("", id="due-heading", classes="heading", markup=False)
            yield Static("", id="due", markup=False)

    def on_mount(self) -> None:
        self.query_one("#plan-comments").display = False
        self.query_one("#sections").display = False
        self.load()

    def on_screen_resume(self) -> None:
        if self.plan is not None:  # back from a section: its state may have changed
            self.load()

    @work(thread=True, exclusive=True, group="home")
    def load(self) -> None:
        store, ref = self.seop.store, self.seop.ref
        try:
            plan = plans.plan_for(store, ref, self.actor, self.actor.student_id)
        except LookupError as exc:  # no school year set up yet
            self.app.call_from_thread(self._no_plan, str(exc))
            return
        status = plan_status(store, ref, self.actor, plan)
        self.app.call_from_thread(self._show, plan, status)

    def _no_plan(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#plan-status", Static).update(plain(message))

    def _show(self, plan: PlanRef, status: PlanStatus) -> None:
        if not self.is_attached:
            return
        self.plan, self.status = plan, status
        words = (SEP_STATUS_WORDS if plan.kind == "SEP" else STATUS_WORDS).get(plan.status, plan.status_label)
        grade = "K" if plan.grade == 0 else str(plan.grade)
        self.query_one("#plan-status", Static).update(
            Content.assemble((f"{plan.kind} {plan.school_year}, grade {grade}. ", "bold"), words)
        )
        shown = {s.section.key for s in status.sections}
        other = [c for c in status.comments if c.section not in shown]
        comments = self.query_one("#plan-comments", Static)
        comments.update(Content("\n").join(Content.assemble(f"{c.author or 'Counselor'}: ", plain(c.body)) for c in other))
        comments.display = bool(other)

        sections = self.query_one("#sections", OptionList)
        highlighted = sections.highlighted
        sections.clear_options()
        title_width = max(len(s.section.title) for s in status.sections)
        sections.add_options([Option(_row(s, title_width), id=s.section.key) for s in status.sections])
        sections.display = True
        sections.highlighted = highlighted if highlighted is not None else 0
        if self.focused is None:
            sections.focus()
        self.query_one("#due-heading", Static).update("What is due" if status.due else "")
        self.query_one("#due", Static).update(Content("\n").join(Content(f"- {line}") for line in status.due))

    # -- opening a section -------------------------------------------------------

    def _section(self, key: str) -> Section | None:
        if self.status is None:
            return None
        return next((s.section for s in self.status.sections if s.section.key == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change_secret":
            return parameters == (secret_kind(self.seop.ref, "student"),)
        return super().check_action(action, parameters)

    def action_change_secret(self, kind: str) -> None:
        from screens.change_secret import ChangeSecretScreen

        self.app.push_screen(ChangeSecretScreen(self.actor), self.seop.secret_changed)

    def action_open_key(self, hint: str) -> None:
        if self.status is None:
            return
        found = next((s.section for s in self.status.sections if s.section.key_hint == hint), None)
        if found is not None:
            self.open_section(found)

    def action_open_highlighted(self) -> None:
        sections = self.query_one("#sections", OptionList)
        if self.status is not None and sections.highlighted is not None:
            self.open_section(self.status.sections[sections.highlighted].section)

    @on(OptionList.OptionSelected, "#sections")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        section = self._section(event.option.id or "")
        if section is not None:
            self.open_section(section)

    def open_section(self, section: Section) -> None:
        assert self.plan is not None
        screen_class = section_screen_class(self.plan.kind, section.key)
        if screen_class is None:
            self.notify(COMING_SOON.format(title=section.title), markup=False)
            return
        self.app.push_screen(screen_class(self.actor, self.plan))
