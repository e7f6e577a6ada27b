"""My progress (read-only): state test results, credits earned by area, courses completed."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.base import SectionScreen
from screens.student.section import columns, credits_text
from screens.text import plain
from seop_tui.services.context import Actor
from seop_tui.services.plans import PlanRef
from seop_tui.services.progress import progress_for

TEST_WIDTHS = (16, 21, 2, 5, 30)
AREA_WIDTHS = (34, 7)
COURSE_WIDTHS = (5, 8, 36, 7, 5)


def progress_lines(progress: dict, levels: int, *, credits: bool = True) -> list[Content]:
    """The progress data as lines of text tables; `credits`: with credits and courses (SEOP)."""
    lines: list[Content] = [Content.styled("Test results", "bold underline")]
    if progress["assessments"]:
        lines.append(plain(columns(("Test", "Subject", "Gr", "Score", f"Level (1 to {levels})"), TEST_WIDTHS)))
        for r in progress["assessments"]:
            level = f"{r['level']} {r['level_name']}" if r["level"] else "-"
            score = r["scale_score"] if r["scale_score"] is not None else ""
            lines.append(plain(columns((r["assessment_name"], r["subject_name"], r["grade"], score, level), TEST_WIDTHS)))
    else:
        lines.append(plain("No test results on file yet."))
    if not credits:
        return lines

    lines += [Content(""), Content.styled("Credits earned by area", "bold underline")]
    for area in progress["credits_by_area"]:
        lines.append(plain(columns((area["name"], credits_text(area["credits"])), AREA_WIDTHS)))
    lines.append(plain(columns(("Total", credits_text(progress["total_credits"])), AREA_WIDTHS), "bold"))

    lines += [Content(""), Content.styled("Courses completed", "bold underline")]
    if progress["courses_completed"]:
        lines.append(plain(columns(("Grade", "Year", "Course", "Credits", "Mark"), COURSE_WIDTHS)))
        for c in progress["courses_completed"]:
            values = (c["grade"], c["school_year"] or "", c["course_name"], credits_text(c["credits"]), c["mark"] or "")
            lines.append(plain(columns(values, COURSE_WIDTHS)))
    else:
        lines.append(plain("No courses on your transcript yet."))
    return lines


class ProgressScreen(SectionScreen):
    """Read-only; the arrow and page keys scroll."""

    SECTION = "My progress"

    def __init__(self, actor: Actor, plan: PlanRef) -> None:
        super().__init__(actor)
        self.plan = plan

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="progress-body", classes="section-body"):
            yield Static("Loading ...", id="progress-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#progress-body").focus()
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        progress = progress_for(self.seop.store, self.seop.ref, self.actor, self.plan.student_id)
        self.app.call_from_thread(self.show, progress)

    def show(self, progress: dict) -> None:
        if self.is_attached:
            levels = len(self.seop.ref.assessments.levels)
            lines = progress_lines(progress, levels, credits=self.plan.kind != "SEP")
            self.query_one("#progress-text", Static).update(Content("\n").join(lines))
