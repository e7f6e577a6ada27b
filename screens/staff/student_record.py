"""One student's record for staff, read-only: the plan section by section, progress
data, conferences, plan history and compliance with policy 4030.

From here: review the plan (v), and the staff forms built beside this screen:
a conference (c), parent involvement (p), progress data (d), export (x), the
record of access (h). Coming back from any of them reloads the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from screens.base import SectionScreen
from screens.staff import open_screen
from screens.text import clean, plain
from seop_tui.domain.compliance import ClauseResult
from seop_tui.sections import SEOP_SECTIONS, SEP_SECTIONS
from seop_tui.services.context import AccessDenied
from seop_tui.services.export import header_lines, outline
from seop_tui.services.review import PlanVersion
from seop_tui.services.student_record import StudentRecord, student_record

Lines = list[tuple[int, str]]


# -- read-only rendering, shared with the review screens -----------------------------------


def lines_content(lines: Iterable[tuple[int, str]]) -> Content:
    """Indented lines shown exactly as stored (never markup, no control characters)."""
    return Content("\n".join("  " * indent + clean(text) for indent, text in lines))


def section_keys(kind: str) -> dict[str, str]:
    """Section title -> key for a plan of `kind` (the outline is titled, comments are keyed)."""
    return {s.title: s.key for s in (SEP_SECTIONS if kind == "SEP" else SEOP_SECTIONS)}


def comment_lines(comments: Iterable[dict], *, authors: bool = False) -> Lines:
    out: Lines = []
    for c in comments:
        who = f" from {c['author']}" if authors and c.get("author") else ""
        done = " (resolved at sign-off)" if c.get("resolved_at") else ""
        out.append((1, f"> Comment{who}, {(c.get('created_at') or '')[:10]}{done}: {c.get('body') or ''}"))
    return out


def document_widgets(doc: dict, *, comments: bool = True) -> list[Widget]:
    """The plan document as headed blocks, each section followed by its comments."""
    keys = section_keys(doc["plan"]["kind"])
    by_section: dict[str, list[dict]] = {}
    for c in doc.get("comments", ()) if comments else ():
        by_section.setdefault(c["section"], []).append(c)
    widgets: list[Widget] = [Static(lines_content((0, line) for line in header_lines(doc)), classes="record-block")]
    for section in outline(doc):
        widgets.append(Static(plain(section.title), classes="heading"))
        lines = list(section.lines) + comment_lines(by_section.pop(keys.get(section.title, ""), ()))
        widgets.append(Static(lines_content(lines), classes="record-block"))
    leftover = [c for found in by_section.values() for c in found]  # e.g. the whole-plan "review" section
    if leftover:
        widgets.append(Static("Comments on the whole plan", classes="heading", markup=False))
        widgets.append(Static(lines_content(comment_lines(leftover)), classes="record-block"))
    return widgets


VERSION_COLUMNS = ("Signed off (UTC)", "Year", "Plan", "Signed off by")


def version_cells(v: PlanVersion) -> list[Text]:
    cells = (v.finalized_at[:16].replace("T", " "), v.school_year, f"{v.kind} sign-off {v.number}", v.finalized_by or "-")
    return [Text(clean(c)) for c in cells]


def _progress_lines(progress: dict) -> Lines:
    lines: Lines = [(0, "Assessment results:")]
    for r in progress["assessments"]:
        level = f"level {r['level']} {r['level_name']}".strip() if r.get("level") else "no level reported"
        score = f", score {r['scale_score']}" if r.get("scale_score") is not None else ""
        grade = "K" if r["grade"] == 0 else r["grade"]
        lines.append((1, f"{r['assessment_name']} {r['subject_name']}, grade {grade}: {level}{score}"))
    if not progress["assessments"]:
        lines.append((1, "none on file"))
    where = f" (requirements: {progress['requirement_set']})" if progress.get("requirement_set") else ""
    lines.append((0, f"Credits earned: {progress['total_credits']:g}{where}"))
    lines += [(1, f"{a['name']}: {a['credits']:g}") for a in progress["credits_by_area"] if a["credits"] or where]
    if progress["courses_completed"]:
        lines.append((0, "Courses completed:"))
        for c in progress["courses_completed"]:
            mark = f", mark {c['mark']}" if c.get("mark") else ""
            lines.append((1, f"Grade {c['grade']}: {c['course_name']} ({c['credits']:g} credit{mark})"))
    return lines


def _conference_lines(record: StudentRecord) -> Lines:
    lines: Lines = []
    for c in reversed(record.conferences):  # newest first
        minutes = f", {c.duration_minutes} minutes" if c.duration_minutes else ""
        group = f" of {c.group_size} students" if c.kind == "small_group" else ""
        lines.append((0, f"{c.held_on} ({c.school_year}): {c.kind_label} conference{group}{minutes}"))
        present = [*c.guardians, *c.staff]
        if not c.student_attended:
            lines.append((1, "The student was not there."))
        if present:
            lines.append((1, "With: " + ", ".join(present)))
        if c.notes:
            lines.append((1, f"Notes: {c.notes}"))
        if c.follow_ups:
            lines.append((1, f"Follow-ups: {c.follow_ups}"))
    return lines or [(0, "No conferences recorded yet.")]


def compliance_lines(results: Iterable[ClauseResult]) -> Lines:
    lines: Lines = []
    for r in results:
        lines.append((0, f"{r.clause} {r.title}: {str(r.state).upper()}"))
        lines += [(1, f"missing: {m}") for m in r.missing]
        lines += [(1, f"note: {n}") for n in r.notes]
    return lines or [(0, "Compliance could not be worked out for this student.")]


def _history_lines(record: StudentRecord) -> Lines:
    lines: Lines = [(0, f"{e.at[:16].replace('T', ' ')}  {e.who}: {e.what}") for e in record.history]
    return lines or [(0, "No changes recorded yet.")]


class StudentRecordScreen(SectionScreen):
    """Everything staff need about one student, one tab at a time."""

    SECTION = "Student record"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "review", "Review"),
        Binding("c", "conference", "Conference"),
        Binding("p", "involvement", "Parents"),
        Binding("d", "progress", "Data"),
        Binding("x", "export", "Export"),
        Binding("h", "access", "Access"),
        Binding("f5", "reload", "Reload", show=False),
        Binding("k", "new_sign_in", "New PIN or password", show=False),
    ]

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor, id="student-record")
        self.student_id = student_id
        self.record: StudentRecord | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Loading ...", id="record-header", markup=False)
        with TabbedContent(id="record-tabs"):
            with TabPane("Plan", id="tab-plan"):
                yield VerticalScroll(id="record-plan", classes="record-pane")
            with TabPane("Progress", id="tab-progress"):
                yield VerticalScroll(Static(id="record-progress"), classes="record-pane")
            with TabPane("Conferences", id="tab-conferences"):
                yield VerticalScroll(Static(id="record-conferences"), classes="record-pane")
            with TabPane("History", id="tab-history"):
                with VerticalScroll(classes="record-pane"):
                    yield Static("Finalized versions", id="versions-heading", classes="heading", markup=False)
                    table: DataTable = DataTable(id="record-versions", cursor_type="row")
                    table.add_columns(*VERSION_COLUMNS)
                    yield table
                    yield Static("Changes", classes="heading", markup=False)
                    yield Static(id="record-history")
            with TabPane("Compliance", id="tab-compliance"):
                yield VerticalScroll(Static(id="record-compliance"), classes="record-pane")

    def on_mount(self) -> None:
        self.query_one(Footer).compact = True
        self.load()

    @work(thread=True, exclusive=True, group="student-record")
    def load(self) -> None:
        try:
            found = student_record(self.seop.store, self.seop.ref, self.actor, self.student_id)
        except (AccessDenied, LookupError) as exc:
            self.app.call_from_thread(self._header, str(exc))
            return
        self.app.call_from_thread(self._show, found)

    def _header(self, text: str) -> None:
        self.query_one("#record-header", Static).update(plain(text, one_line=False))

    def _show(self, record: StudentRecord) -> None:
        self.record = record
        plan = record.plan
        who = f"{record.name} ({record.student_number}) · grade {record.grade} · {record.school}"
        if plan is None:
            state = "No plan this school year yet."
        else:
            state = f"{plan.kind} {plan.school_year}: {plan.status_label} (version {plan.version})"
        self._header(f"{who}\n{state}")
        pane = self.query_one("#record-plan", VerticalScroll)
        pane.remove_children()
        if record.document is not None:
            pane.mount_all(document_widgets(record.document))
        else:
            pane.mount(Static("The student has no plan for this school year yet.", markup=False))
        self.query_one("#record-progress", Static).update(lines_content(_progress_lines(record.progress)))
        self.query_one("#record-conferences", Static).update(lines_content(_conference_lines(record)))
        self.query_one("#record-compliance", Static).update(lines_content(compliance_lines(record.compliance)))
        self.query_one("#record-history", Static).update(lines_content(_history_lines(record)))
        table = self.query_one("#record-versions", DataTable)
        table.clear()
        for v in record.versions:
            table.add_row(*version_cells(v), key=str(v.id))
        table.display = bool(record.versions)
        heading = "Finalized versions (Enter opens one)" if record.versions else "Finalized versions: none yet"
        self.query_one("#versions-heading", Static).update(Content(heading))

    # -- actions -------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def _reload_after(self, _result: object = None) -> None:
        self.load()

    def action_review(self) -> None:
        from screens.staff.review import ReviewScreen  # review imports this module's renderers

        self.app.push_screen(ReviewScreen(self.actor, self.student_id), self._reload_after)

    @on(DataTable.RowSelected, "#record-versions")
    def _open_version(self, event: DataTable.RowSelected) -> None:
        from screens.staff.review import VersionScreen

        event.stop()
        if event.row_key.value is not None:
            self.app.push_screen(VersionScreen(self.actor, int(event.row_key.value)))

    def action_conference(self) -> None:
        open_screen(self, "conference", [self.student_id], on_close=self._reload_after)

    def action_involvement(self) -> None:
        open_screen(self, "involvement", self.student_id, on_close=self._reload_after)

    def action_progress(self) -> None:
        open_screen(self, "progress", self.student_id, on_close=self._reload_after)

    def action_export(self) -> None:
        open_screen(self, "export", [self.student_id])

    def action_access(self) -> None:
        open_screen(self, "access_history", self.student_id)

    # -- a forgotten PIN at the lab ----------------------------------------------------

    def action_new_sign_in(self) -> None:
        from screens.question import Question
        from seop_tui.services.accounts import secret_kind

        if self.record is None:
            return
        word = "PIN" if secret_kind(self.seop.ref, "student") == "pin" else "password"
        question = f"Give {self.record.name} a new temporary {word}? The old one stops working; they choose their own at the next sign-in."

        def answered(answer: str | None) -> None:
            if answer == "y":
                self._new_sign_in(word)

        self.app.push_screen(Question(question, [("y", f"New {word}"), ("n", "Cancel")]), answered)

    @work(thread=True, exclusive=True, group="new-sign-in")
    def _new_sign_in(self, word: str) -> None:
        from screens.errors import ErrorScreen
        from seop_tui.services.sign_ins import reset_for_student

        try:
            issued = reset_for_student(self.seop.store, self.seop.ref, self.actor, self.student_id)
        except (AccessDenied, LookupError) as exc:
            self.app.call_from_thread(self.notify, str(exc), markup=False, severity="warning")
            return
        shown = ErrorScreen(
            f"{issued.name}\nUsername: {issued.username}\nTemporary {word}: {issued.secret}",
            f"They choose their own {word} when they sign in with it.",
            notice=True,
        )
        self.app.call_from_thread(self.app.push_screen, shown)
