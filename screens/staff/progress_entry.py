"""Progress data a district has not imported: assessment results, accomplishments, credits."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane

from screens.base import SectionScreen
from screens.staff import conference_form
from screens.staff.conference_form import FORM_ERRORS, FormModal, show_error, show_saved
from screens.staff.involvement_form import cell, field
from screens.text import plain
from seop_tui.services import accomplishments, conferences, progress_entry

TABS = ("assessments", "accomplishments", "credits")


def _blank_to_none(value):
    return None if value is Select.NULL else value


class AssessmentForm(FormModal):
    TITLE_TEXT = "Add an assessment result"

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor)
        self.student_id = student_id

    def compose_fields(self) -> ComposeResult:
        ref = self.seop.ref
        tests = [(Content(a.name), a.code) for a in ref.assessments.assessments]
        yield field("Test", Select(tests, value=tests[0][1], allow_blank=False, id="as-test", compact=True))
        yield field("Subject", Select([], id="as-subject", compact=True))
        yield field("Grade", Input(placeholder="e.g. 7", id="as-grade", type="integer", compact=True, classes="short-input"))
        levels = [(Content(f"{lvl.level} {lvl.name}"), lvl.level) for lvl in ref.assessments.levels]
        yield field("Level", Select(levels, prompt="Proficiency level", id="as-level", compact=True))
        yield field("Score", Input(placeholder="scale score (optional)", id="as-score", type="integer", compact=True))
        yield field("Taken", Input(placeholder="YYYY-MM-DD (optional)", id="as-date", compact=True, classes="date-input"))

    def on_mount(self) -> None:
        self.fill_subjects()

    @on(Select.Changed, "#as-test")
    def fill_subjects(self) -> None:
        test = progress_entry.assessment(self.seop.ref, str(self.query_one("#as-test", Select).value))
        subjects = self.query_one("#as-subject", Select)
        subjects.set_options([(Content(f"{s.name} (grades {', '.join(map(str, s.grades))})"), s.code) for s in test.subjects])

    def submit(self) -> None:
        progress_entry.add_assessment(
            self.seop.store,
            self.seop.ref,
            self.actor,
            self.student_id,
            assessment_code=str(self.query_one("#as-test", Select).value),
            subject=str(_blank_to_none(self.query_one("#as-subject", Select).value) or ""),
            grade=self.query_one("#as-grade", Input).value,
            level=_blank_to_none(self.query_one("#as-level", Select).value),
            scale_score=self.query_one("#as-score", Input).value,
            taken_on=self.query_one("#as-date", Input).value,
        )


class AccomplishmentForm(FormModal):
    TITLE_TEXT = "Add an accomplishment"

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor)
        self.student_id = student_id

    def compose_fields(self) -> ComposeResult:
        kinds = [(Content(label), code) for code, label in accomplishments.KINDS.items()]
        yield field("Kind", Select(kinds, value="award", allow_blank=False, id="ac-kind", compact=True))
        yield field("Title", Input(placeholder="e.g. Science fair, second place", id="ac-title", compact=True))
        yield field("About", Input(placeholder="optional", id="ac-description", compact=True))
        yield field("When", Input(conference_form.today().isoformat(), placeholder="YYYY-MM-DD", id="ac-date", compact=True, classes="date-input"))
        yield field("Hours", Input(placeholder="optional, for service or work", id="ac-hours", compact=True))

    def submit(self) -> None:
        accomplishments.add(
            self.seop.store,
            self.actor,
            self.student_id,
            kind=str(self.query_one("#ac-kind", Select).value),
            title=self.query_one("#ac-title", Input).value,
            description=self.query_one("#ac-description", Input).value,
            occurred_on=self.query_one("#ac-date", Input).value,
            hours=self.query_one("#ac-hours", Input).value,
        )


class CreditForm(FormModal):
    TITLE_TEXT = "Add earned credit"

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor)
        self.student_id = student_id

    def compose_fields(self) -> ComposeResult:
        ref = self.seop.ref
        codes = [c.code for c in ref.courses.courses]
        yield field("Course", Input(placeholder="catalog code, e.g. ENG9 (Right completes)", id="cr-code", compact=True,
                                    suggester=SuggestFromList(codes, case_sensitive=False)))
        yield Static("", id="cr-course-name", classes="form-note", markup=False)
        yield field("Name", Input(placeholder="only for a course not in the catalog", id="cr-name", compact=True))
        areas = [(Content(name), code) for code, name in progress_entry.areas(ref)]
        yield field("Area", Select(areas, prompt="From the catalog", id="cr-area", compact=True))
        yield field("Credits", Input(placeholder="e.g. 0.5 or 1", id="cr-credits", compact=True, classes="short-input"))
        yield field("Grade", Input(placeholder="9-12", id="cr-grade", type="integer", compact=True, classes="short-input"))
        terms = [(Content(label), code) for code, label in progress_entry.TERMS.items()]
        yield field("Term", Select(terms, value="year", allow_blank=False, id="cr-term", compact=True))
        yield field("Mark", Input(placeholder="e.g. A-, B+, P (optional)", id="cr-mark", compact=True, classes="short-input"))

    @on(Input.Changed, "#cr-code")
    def show_course(self, event: Input.Changed) -> None:
        course = self.seop.ref.courses.by_code.get(event.value.strip().upper())
        note = f"{course.name}: {course.credits:g} credit, {course.area.replace('_', ' ')}" if course else ""
        self.query_one("#cr-course-name", Static).update(plain(note))
        if course and not self.query_one("#cr-credits", Input).value:
            self.query_one("#cr-credits", Input).value = f"{course.credits:g}"

    def submit(self) -> None:
        progress_entry.add_credit(
            self.seop.store,
            self.seop.ref,
            self.actor,
            self.student_id,
            course_code=self.query_one("#cr-code", Input).value,
            course_name=self.query_one("#cr-name", Input).value,
            area=str(_blank_to_none(self.query_one("#cr-area", Select).value) or ""),
            credits=self.query_one("#cr-credits", Input).value,
            grade=self.query_one("#cr-grade", Input).value,
            term=str(self.query_one("#cr-term", Select).value),
            mark=self.query_one("#cr-mark", Input).value,
        )


FORMS = {"assessments": AssessmentForm, "accomplishments": AccomplishmentForm, "credits": CreditForm}


class ProgressEntryScreen(SectionScreen):
    """Three lists, one tab each; n adds to the list shown, d removes an entered row."""

    SECTION = "Progress data"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "Add"),
        Binding("d", "remove", "Remove"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor)
        self.student_id = student_id
        self.rows: dict[str, list[dict]] = {tab: [] for tab in TABS}
        self.pending_remove: tuple[str, int] | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="staff-list"):
            yield Static("Loading...", id="prog-heading", markup=False)
            with TabbedContent(id="prog-tabs"):
                with TabPane("Assessments", id="assessments"):
                    yield self._table("assessments", "Test", "Subject", "Grade", "Level", "Score", "From")
                with TabPane("Accomplishments", id="accomplishments"):
                    yield self._table("accomplishments", "When", "Kind", "Title", "Hours", "Entered by")
                with TabPane("Credits", id="credits"):
                    yield self._table("credits", "Grade", "Course", "Area", "Credits", "Mark", "From")
        yield Static("", id="prog-status", classes="form-status", markup=False)

    @staticmethod
    def _table(tab: str, *columns: str) -> DataTable:
        table = DataTable(id=f"{tab}-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*columns)
        return table

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="progress-load")
    def load(self, message: str = "") -> None:
        store, ref = self.seop.store, self.seop.ref
        try:
            heading = conferences.student_heading(store, self.actor, self.student_id)
            rows = {
                "assessments": progress_entry.list_assessments(store, ref, self.actor, self.student_id),
                "accomplishments": accomplishments.list_for(store, self.actor, self.student_id),
                "credits": progress_entry.list_credits(store, ref, self.actor, self.student_id),
            }
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one("#prog-status", Static), str(exc), "")
            return
        self.app.call_from_thread(self.show, heading, rows, message)

    def show(self, heading: str, rows: dict[str, list[dict]], message: str) -> None:
        self.rows = rows
        self.query_one("#prog-heading", Static).update(plain(heading, "bold"))
        source = lambda r: "entered" if r["source"] == progress_entry.ENTERED else "import"  # noqa: E731
        lines = {
            "assessments": [
                (r["assessment_name"], r["subject_name"], r["grade"], f"{r['level'] or ''} {r['level_name']}".strip(),
                 r["scale_score"] if r["scale_score"] is not None else "", source(r))
                for r in rows["assessments"]
            ],
            "accomplishments": [
                (r["occurred_on"] or "", r["kind_label"], r["title"], f"{r['hours']:g}" if r["hours"] else "", r["entered_by_name"] or "")
                for r in rows["accomplishments"]
            ],
            "credits": [
                (r["grade"], f"{r['course_code'] or ''} {r['course_name']}".strip(), r["area_name"], f"{r['credits']:g}", r["mark"] or "", source(r))
                for r in rows["credits"]
            ],
        }
        for tab in TABS:
            table = self.query_one(f"#{tab}-table", DataTable)
            table.clear()
            for values in lines[tab]:
                table.add_row(*(cell(v) for v in values))
            if not lines[tab]:
                table.add_row(cell("Nothing yet. Press n to add."), *[cell("")] * (len(table.columns) - 1))
        if message:
            show_saved(self.query_one("#prog-status", Static), message)
        self.current_table().focus()

    def current_tab(self) -> str:
        return self.query_one("#prog-tabs", TabbedContent).active or "assessments"

    def current_table(self) -> DataTable:
        return self.query_one(f"#{self.current_tab()}-table", DataTable)

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.pending_remove = None

    def action_new(self) -> None:
        tab = self.current_tab()

        def done(saved: bool | None) -> None:
            if saved:
                self.load("Saved.")

        self.app.push_screen(FORMS[tab](self.actor, self.student_id), done)

    def action_remove(self) -> None:
        tab, table = self.current_tab(), self.current_table()
        status = self.query_one("#prog-status", Static)
        rows = self.rows[tab]
        if not rows or table.cursor_row is None or table.cursor_row >= len(rows):
            return
        row = rows[table.cursor_row]
        if tab != "accomplishments" and row["source"] != progress_entry.ENTERED:
            show_error(status, "That row came from the district's import and stays as sent.", "")
            return
        if self.pending_remove != (tab, row["id"]):
            self.pending_remove = (tab, row["id"])
            show_saved(status, "Remove the highlighted row? Press d again to remove it; any other key keeps it.")
            status.set_class(False, "-saved")
            return
        self.pending_remove = None
        self.remove_row(tab, row["id"])

    def on_key(self, event) -> None:
        if event.key != "d":
            self.pending_remove = None

    @work(thread=True, exclusive=True, group="progress-remove")
    def remove_row(self, tab: str, row_id: int) -> None:
        store = self.seop.store
        try:
            if tab == "assessments":
                progress_entry.remove_assessment(store, self.actor, row_id)
            elif tab == "credits":
                progress_entry.remove_credit(store, self.actor, row_id)
            else:
                accomplishments.remove(store, self.actor, row_id)
        except FORM_ERRORS as exc:
            self.app.call_from_thread(show_error, self.query_one("#prog-status", Static), str(exc), "Not removed: ")
            return
        self.app.call_from_thread(self.load, "Removed.")
