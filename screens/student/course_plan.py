"""Four-year course plan: one tab per grade (9-12) and a credit audit tab.

Left and Right change the tab; A adds a course to the grade shown (a picker
filtered by grade, by the chosen pathway and by typed words); D removes the
highlighted planned course. Earned courses come from the transcript and stay.
The line under the tabs keeps the audit in view while courses change.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from screens.student.section import PlanSectionScreen, cell, columns, credits_text
from screens.base import SessionFooter
from screens.text import plain
from seop_tui.domain.credits import AuditState
from seop_tui.reference import Course
from seop_tui.services.course_plan import HIGH_SCHOOL_GRADES, CoursePlan, CoursePlanError, add_course, catalog_for, course_plan, remove_course

STATE_WORDS = {AuditState.MET: "✓ met", AuditState.PLANNED: "~ planned", AuditState.MISSING: "✗ missing"}
LEVEL_WORDS = {None: "none yet", "explorer": "explorer", "concentrator": "concentrator", "completer": "completer"}
AUDIT_WIDTHS = (30, 5, 7, 8, 10)


class CourseTable(DataTable):
    """A grade's courses; Left and Right are left to the screen (they change the grade)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cursor_left", "cursor_right"):
            return False
        return super().check_action(action, parameters)


class AuditScroll(VerticalScroll):
    """The audit tab's scroll; Left and Right change the tab here too."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("scroll_left", "scroll_right"):
            return False
        return super().check_action(action, parameters)


class CoursePickerScreen(ModalScreen[str | None]):
    """Choose a course for one grade; returns its code, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        # Not a priority binding: Enter must wait for the keys typed before it (a burst
        # over SSH); the focused Input or OptionList handles it in order and tells us.
        Binding("enter", "choose", "Add course"),
        Binding("ctrl+t", "toggle_pathway", "My pathway / all"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("pageup", "move(-8)", show=False),
    ]

    def __init__(self, view: CoursePlan, grade: int, pathway_name: str | None) -> None:
        super().__init__(classes="course-picker")
        self.view = view
        self.grade = grade
        self.pathway_name = pathway_name
        self.pathway_only = False
        self.courses: list[Course] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(f"Add a course to grade {self.grade}", id="picker-title", markup=False)
            field = Input(placeholder="Type part of a course name to filter", id="picker-filter", max_length=60)
            field.cursor_blink = False
            yield field
            yield Static("", id="picker-scope", markup=False)
            yield OptionList(id="picker-list")
            yield Static("", id="picker-about", markup=False)
        yield SessionFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.refill()
        self.query_one("#picker-filter", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_pathway":
            return bool(self.view.pathway_codes)
        return True

    def refill(self) -> None:
        text = self.query_one("#picker-filter", Input).value
        codes = self.view.pathway_codes if self.pathway_only else None
        self.courses = catalog_for(self.seop_ref, self.grade, pathway_codes=codes, text=text)
        planned = self.view.planned_codes()
        options = []
        for course in self.courses:
            where = planned.get(course.code)
            note = f"in plan ({where})" if where is not None else ""
            line = columns((course.name, credits_text(course.credits), self.view.area_names.get(course.area, course.area), note), (32, 4, 17, 11))
            options.append(Option(plain(line), id=course.code))
        listing = self.query_one("#picker-list", OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0
        if self.pathway_only:
            scope = f"Showing {len(options)} courses in {self.pathway_name or 'your pathway'}. Ctrl+T: all courses."
        elif self.view.pathway_codes:
            scope = f"Showing {len(options)} courses for grade {self.grade}. Ctrl+T: only {self.pathway_name or 'your pathway'}."
        else:
            scope = f"Showing {len(options)} courses for grade {self.grade}."
        self.query_one("#picker-scope", Static).update(plain(scope))
        self.describe()

    @property
    def seop_ref(self):
        return self.app.ref  # type: ignore[attr-defined]

    def describe(self) -> None:
        listing = self.query_one("#picker-list", OptionList)
        index = listing.highlighted
        about = ""
        if index is not None and index < len(self.courses):
            course = self.courses[index]
            about = f"{course.code}: {course.description or course.name}"
        elif not self.courses:
            about = "No course matches. Change the words, or press Ctrl+T."
        self.query_one("#picker-about", Static).update(plain(about, one_line=False))

    @on(Input.Changed, "#picker-filter")
    def _filter(self) -> None:
        self.refill()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.describe()

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, by: int) -> None:
        listing = self.query_one("#picker-list", OptionList)
        if not self.courses:
            return
        current = listing.highlighted if listing.highlighted is not None else 0
        listing.highlighted = max(0, min(len(self.courses) - 1, current + by))

    def action_choose(self) -> None:
        index = self.query_one("#picker-list", OptionList).highlighted
        if index is not None and index < len(self.courses):
            self.dismiss(self.courses[index].code)

    def action_toggle_pathway(self) -> None:
        if self.view.pathway_codes:
            self.pathway_only = not self.pathway_only
            self.refill()

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoursePlanScreen(PlanSectionScreen):
    """The four-year plan, with the live credit audit and pathway progress."""

    SECTION = "Four-year course plan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "tab(-1)", "Previous"),
        Binding("right", "tab(1)", "Next"),
        Binding("a", "add", "Add course"),
        Binding("d,delete", "remove", "Remove"),
    ]
    INPUT_ERRORS = (CoursePlanError,)

    def __init__(self, actor, plan) -> None:
        super().__init__(actor, plan)
        self.view: CoursePlan | None = None
        self.tab_ids = [*(f"grade-{g}" for g in HIGH_SCHOOL_GRADES), "audit"]

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        with TabbedContent(id="course-tabs", initial=self.first_tab()):
            for grade in HIGH_SCHOOL_GRADES:
                with TabPane(f"Grade {grade}", id=f"grade-{grade}"):
                    yield CourseTable(id=f"courses-{grade}", cursor_type="row", classes="course-table")
            with TabPane("Credit audit", id="audit"), AuditScroll(id="audit-body"):
                yield Static("", id="audit-table", markup=False)
        yield Static("Loading ...", id="audit-summary", markup=False)
        yield self.save_state_line()

    def first_tab(self) -> str:
        grade = self.plan.grade
        return f"grade-{grade}" if grade in HIGH_SCHOOL_GRADES else "grade-9"

    def on_mount(self) -> None:
        for grade in HIGH_SCHOOL_GRADES:
            table = self.query_one(f"#courses-{grade}", DataTable)
            for label, width in (("Course", 30), ("Cr", 4), ("Area", 22), ("Status", 13)):
                table.add_column(label, width=width, key=label.lower())
        super().on_mount()
        self.focus_table()

    # -- reading ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        view = course_plan(self.seop.store, self.seop.ref, self.actor, self.plan)
        self.app.call_from_thread(self.show, view)

    def show(self, view: CoursePlan) -> None:
        if not self.is_attached:
            return
        self.view = view
        for grade in HIGH_SCHOOL_GRADES:
            self.fill(grade, view)
        self.query_one("#audit-table", Static).update(Content("\n").join(self.audit_lines(view)))
        self.query_one("#audit-summary", Static).update(plain(self.summary(view)))

    def fill(self, grade: int, view: CoursePlan) -> None:
        table = self.query_one(f"#courses-{grade}", DataTable)
        row = table.cursor_row
        table.clear()
        for course in view.rows_for(grade):
            key = f"entry-{course.entry_id}" if course.status in ("planned", "past") else None
            table.add_row(
                cell(course.name), cell(credits_text(course.credits)), cell(course.area), cell(course.status_words), key=key
            )
        if not view.rows_for(grade):
            table.add_row(cell("No courses yet. Press A to add one."), cell(""), cell(""), cell(""))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def summary(self, view: CoursePlan) -> str:
        grade = self.current_grade()
        parts = []
        if grade is not None:
            credits = view.credits_in(grade)
            parts.append(f"Grade {grade}: {credits:g} credit{'' if credits == 1 else 's'}")
        if view.audit is not None:
            total = view.audit.total
            missing = len([line for line in view.audit.areas if line.state is AuditState.MISSING])
            parts.append(f"all years: {total.earned:g} earned + {total.planned:g} planned of {total.required:g}")
            parts.append(f"{missing} areas missing" if missing != 1 else "1 area missing")
        if view.issues:
            parts.append(f"{len(view.issues)} warning{'s' if len(view.issues) != 1 else ''} (see Credit audit)")
        return " · ".join(parts)

    def audit_lines(self, view: CoursePlan) -> list[Content]:
        lines: list[Content] = []
        if view.student_grade < 9:
            lines.append(plain("Your four-year plan starts in grade 9. You can look at it and plan ahead now."))
        if view.audit is None:
            lines.append(plain("Your graduation requirements are not set up yet. Ask your counselor."))
        else:
            lines.append(plain(f"Requirements: {view.requirement_set}", "bold"))
            lines.append(plain(columns(("Area", "Need", "Earned", "Planned", "State"), AUDIT_WIDTHS)))
            for area in view.audit.areas:
                lines.append(self.audit_row(area.name, area))
                for sub in area.subareas:
                    lines.append(self.audit_row(f"  {sub.name}", sub))
            lines.append(self.audit_row(view.audit.total.name, view.audit.total))
        lines.append(Content(""))
        lines.append(Content.styled("Career pathway", "bold"))
        if not view.pathways:
            lines.append(plain("No career cluster chosen yet (section 4). Then the courses of its pathways show here."))
        for line in view.pathways:
            if line.pathway is None or line.progress is None:
                lines.append(plain(f"{line.cluster}: choose a pathway, or add a course from one of its pathways."))
                continue
            p = line.progress
            lines.append(plain(f"{line.pathway} ({line.cluster})"))
            lines.append(
                plain(
                    f"  Level now: {LEVEL_WORDS[p.level_earned]} · with your plan: {LEVEL_WORDS[p.level_with_plan]}"
                    f" · {credits_text(p.credits_with_plan)} of 3.0 pathway credits"
                )
            )
        lines.append(Content(""))
        lines.append(Content.styled("Warnings", "bold"))
        lines += [plain(f"! {issue.message}") for issue in view.issues] or [plain("None.")]
        return lines

    def audit_row(self, name: str, line) -> Content:
        values = (name, credits_text(line.required), credits_text(line.earned), credits_text(line.planned), STATE_WORDS[line.state])
        return plain(columns(values, AUDIT_WIDTHS))

    # -- tabs ------------------------------------------------------------------------

    def current_grade(self) -> int | None:
        active = self.query_one("#course-tabs", TabbedContent).active
        return int(active.removeprefix("grade-")) if active.startswith("grade-") else None

    def action_tab(self, step: int) -> None:
        tabs = self.query_one("#course-tabs", TabbedContent)
        index = self.tab_ids.index(tabs.active) if tabs.active in self.tab_ids else 0
        tabs.active = self.tab_ids[(index + step) % len(self.tab_ids)]
        self.focus_table()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        if self.view is not None:
            self.query_one("#audit-summary", Static).update(plain(self.summary(self.view)))
        self.refresh_bindings()

    def focus_table(self) -> None:
        grade = self.current_grade()
        if grade is not None:
            self.query_one(f"#courses-{grade}", DataTable).focus()
        else:
            self.query_one("#audit-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "remove"):
            if not self.editable:
                return False  # hidden: the plan is read-only now (the line at the top says so)
            return self.current_grade() is not None
        return super().check_action(action, parameters)

    # -- changes ---------------------------------------------------------------------

    def action_add(self) -> None:
        grade = self.current_grade()
        if grade is None or self.view is None:
            return
        if self.actor.role == "student" and grade < self.view.student_grade:
            self.show_state(f"Grade {grade} is over; its courses cannot be changed here.", error=True)
            return
        names = [p.pathway for p in self.view.pathways if p.pathway]
        pathway = names[0] if len(names) == 1 else self.view.pathways[0].cluster if self.view.pathways else None
        self.app.push_screen(CoursePickerScreen(self.view, grade, pathway), lambda code: self._picked(code, grade))

    def _picked(self, code: str | None, grade: int) -> None:
        self.focus_table()
        if not code:
            return
        course = self.seop.ref.courses.by_code[code]
        self.edit(
            lambda plan: add_course(self.seop.store, self.seop.ref, self.actor, plan, code, grade),
            f"Saved: {course.name} added to grade {grade}.",
        )

    def action_remove(self) -> None:
        grade = self.current_grade()
        if grade is None or self.view is None:
            return
        table = self.query_one(f"#courses-{grade}", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        rows = self.view.rows_for(grade)
        row = rows[table.cursor_row] if table.cursor_row < len(rows) else None
        if row is None:
            return
        if key is None or row.entry_id is None:
            self.show_state(f"{row.name} is on your transcript; it comes from the school's records and stays.", error=True)
            return
        self.edit(
            lambda plan: remove_course(self.seop.store, self.actor, plan, row.entry_id),
            f"Saved: {row.name} removed from grade {grade}.",
        )
