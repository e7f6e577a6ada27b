"""Reviewing a student's plan: read a section, comment on it, send the plan back
for changes, or finalize it; and the finalized versions, each kept whole.

Keys work while typing a comment: Ctrl+S adds it, Ctrl+R sends the plan back
(with the comment typed, if any), Ctrl+F finalizes, Ctrl+L lists the versions.
A comment typed but not added is never dropped silently: leaving asks, and
signing out adds it.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Select, Static, TextArea

from screens.base import SectionScreen
from screens.question import Question
from screens.staff.student_record import VERSION_COLUMNS, comment_lines, document_widgets, lines_content, version_cells
from screens.text import plain
from seop_tui.services import plans, review
from seop_tui.services.context import AccessDenied
from seop_tui.services.plan_document import plan_document
from seop_tui.services.plans import PlanConflict, PlanLocked, PlanRef
from seop_tui.services.export import outline
from seop_tui.text import TextTooLong

NO_PLAN = "This student has no plan for this school year yet, so there is nothing to review."
UNSENT = "You typed a comment that is not added yet."
TYPE_FIRST = "Add the comment you typed (Ctrl+S) or clear it before finalizing."


class ReviewScreen(SectionScreen):
    """One plan under review, one section at a time."""

    SECTION = "Plan review"
    AUTO_FOCUS = "#review-section"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "comment", "Add comment"),
        Binding("ctrl+r", "request_changes", "Request changes"),
        Binding("ctrl+f", "finalize", "Finalize"),
        Binding("ctrl+l", "versions", "Versions"),
        Binding("f5", "reload", "Reload", show=False),
    ]

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor, id="plan-review")
        self.student_id = student_id
        self.plan: PlanRef | None = None
        self.doc: dict | None = None
        self.comments: list[review.Comment] = []
        self.message = ""
        self.busy = False
        self.leave_when_saved = False

    def compose_body(self) -> ComposeResult:
        yield Static("Loading ...", id="review-header", markup=False)
        yield Select((), prompt="Section", id="review-section", compact=True)
        yield VerticalScroll(Static(id="review-content"), id="review-scroll")
        yield Static("Comment for the student on this section:", id="review-label", markup=False)
        box = TextArea(id="review-comment")
        box.cursor_blink = False  # steady cursor: calmer, and snapshots stay stable
        yield box
        yield Static("", id="review-message")

    def on_mount(self) -> None:
        self.query_one(Footer).compact = True
        self.load()

    # -- loading -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review")
    def load(self, notice: str = "") -> None:
        store, ref = self.seop.store, self.seop.ref
        try:
            plan = plans.plan_for(store, ref, self.actor, self.student_id, create=False)
            if plan is None:
                self.app.call_from_thread(self._no_plan)
                return
            doc = plan_document(store, ref, self.actor, plan)
            found = review.comments(store, self.actor, plan)
        except (AccessDenied, LookupError) as exc:
            self.app.call_from_thread(self.say, str(exc), error=True)
            return
        self.app.call_from_thread(self._show, plan, doc, found, notice)

    def _no_plan(self) -> None:
        self.query_one("#review-header", Static).update(plain(NO_PLAN))
        self.say(NO_PLAN)

    def _show(self, plan: PlanRef, doc: dict, found: list[review.Comment], notice: str) -> None:
        first_load = self.plan is None
        self.plan, self.doc, self.comments = plan, doc, found
        header = f"{doc['student']['name']} · {plan.kind} {plan.school_year} · {plan.status_label}"
        open_count = sum(1 for c in found if not c.resolved_at)
        if open_count:
            header += f" · {open_count} open comment{'s' if open_count != 1 else ''}"
        self.query_one("#review-header", Static).update(plain(header))
        select = self.query_one("#review-section", Select)
        current = select.value
        titles = review.section_titles(plan)
        select.set_options([(Text(title), key) for key, title in titles.items()])
        select.value = current if current in titles else next(iter(titles))
        self._show_section()
        if notice:
            self.say(notice)
        elif first_load:
            self.say("Read a section, then write a comment for the student. Ctrl+S adds it.")

    def _section(self) -> str | None:
        value = self.query_one("#review-section", Select).value
        return None if value is Select.NULL else str(value)

    @on(Select.Changed, "#review-section")
    def _show_section(self) -> None:
        if self.doc is None or self.plan is None:
            return
        key = self._section()
        titles = review.section_titles(self.plan)
        wanted = titles.get(key or "", "")
        found = next((s for s in outline(self.doc) if s.title == wanted), None)
        lines = list(found.lines) if found else [(0, "This section is looked over as a whole: comment on the plan in general here.")]
        mine = [c.__dict__ for c in self.comments if c.section == key]
        lines += comment_lines(mine, authors=True) or []
        self.query_one("#review-content", Static).update(lines_content(lines))
        self.query_one("#review-scroll", VerticalScroll).scroll_home(animate=False)

    # -- messages ------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        self.message = text
        line = self.query_one("#review-message", Static)
        line.update(plain(text, one_line=False))
        line.set_class(error, "-error")

    def _typed(self) -> str:
        return self.query_one("#review-comment", TextArea).text

    def _clear_typed(self) -> None:
        self.query_one("#review-comment", TextArea).clear()

    def _conflict(self, exc: PlanConflict) -> None:
        self.say(f"{exc} Press F5 to reload.", error=True)

    # -- actions -------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def action_comment(self) -> None:
        if self.plan is None or self.busy:
            return
        section = self._section()
        if section is None:
            return
        self.busy = True
        self.say("Saving ...")
        self.save_comment(self.plan, section, self._typed())

    @work(thread=True, exclusive=True, group="review-save")
    def save_comment(self, plan: PlanRef, section: str, body: str) -> None:
        try:
            comment = review.add_comment(self.seop.store, self.actor, plan, section, body)
        except (TextTooLong, ValueError, AccessDenied) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._comment_saved, comment)

    def _failed(self, text: str) -> None:
        self.busy = False
        self.leave_when_saved = False
        self.say(text, error=True)

    def _comment_saved(self, comment: review.Comment) -> None:
        self.busy = False
        self._clear_typed()
        if self.leave_when_saved:
            self.dismiss()
            return
        self.load(f"Saved: your comment on {comment.section_title}. The student sees it with that section.")

    def action_request_changes(self) -> None:
        if self.plan is None or self.busy:
            return
        name = self.doc["student"]["name"] if self.doc else "the student"
        typed = " Your comment is sent with it." if self._typed().strip() else ""
        question = f"Send the plan back to {name} to make changes?{typed}"

        def answered(answer: str | None) -> None:
            if answer == "y" and self.plan is not None:
                self.busy = True
                self.say("Sending ...")
                self.send_back(self.plan, self._section(), self._typed())

        self.app.push_screen(Question(question, [("y", "Send back"), ("n", "Cancel")]), answered)

    @work(thread=True, exclusive=True, group="review-save")
    def send_back(self, plan: PlanRef, section: str | None, body: str) -> None:
        try:
            review.request_changes(self.seop.store, self.actor, plan, section, body)
        except PlanConflict as exc:
            self.app.call_from_thread(self._failed_conflict, exc)
            return
        except (TextTooLong, ValueError, PlanLocked, AccessDenied) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._decided, "Saved: changes requested. The plan is back with the student, with your comments.")

    def _failed_conflict(self, exc: PlanConflict) -> None:
        self.busy = False
        self._conflict(exc)

    def _decided(self, notice: str) -> None:
        self.busy = False
        self._clear_typed()
        self.load(notice)

    def action_finalize(self) -> None:
        if self.plan is None or self.busy:
            return
        if self._typed().strip():
            self.say(TYPE_FIRST, error=True)
            return
        name = self.doc["student"]["name"] if self.doc else "the student"
        question = (
            f"Finalize {name}'s plan as it is now? It is kept as signed off by you today; "
            "changes after this start a new version."
        )

        def answered(answer: str | None) -> None:
            if answer == "y" and self.plan is not None:
                self.busy = True
                self.say("Finalizing ...")
                self.sign_off(self.plan)

        self.app.push_screen(Question(question, [("y", "Finalize"), ("n", "Cancel")]), answered)

    @work(thread=True, exclusive=True, group="review-save")
    def sign_off(self, plan: PlanRef) -> None:
        try:
            review.finalize(self.seop.store, self.seop.ref, self.actor, plan)
        except PlanConflict as exc:
            self.app.call_from_thread(self._failed_conflict, exc)
            return
        except (PlanLocked, AccessDenied) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._decided, "Saved: finalized, signed off by you. Ctrl+L lists every finalized version.")

    def action_versions(self) -> None:
        self.app.push_screen(VersionsScreen(self.actor, self.student_id))

    # -- leaving with a comment typed ----------------------------------------------------

    def action_back(self) -> None:
        if not self._typed().strip() or self.plan is None:
            self.dismiss()
            return

        def answered(answer: str | None) -> None:
            if answer == "a":
                self.leave_when_saved = True
                self.action_comment()
            elif answer == "d":
                self.dismiss()

        self.app.push_screen(Question(UNSENT, [("a", "Add it"), ("d", "Discard"), ("k", "Keep writing")]), answered)

    async def save_before_sign_out(self) -> None:
        section = self._section()
        if self.plan is not None and section is not None and self._typed().strip():
            await asyncio.to_thread(review.add_comment, self.seop.store, self.actor, self.plan, section, self._typed())


class VersionsScreen(SectionScreen):
    """Every finalized version of a student's plans, newest first."""

    SECTION = "Finalized versions"

    def __init__(self, actor, student_id: int) -> None:
        super().__init__(actor, id="plan-versions")
        self.student_id = student_id

    def compose_body(self) -> ComposeResult:
        yield Static("Enter opens a version.", id="versions-hint", markup=False)
        table: DataTable = DataTable(id="versions-table", cursor_type="row")
        table.add_columns(*VERSION_COLUMNS)
        yield table

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="versions")
    def load(self) -> None:
        try:
            found = review.versions(self.seop.store, self.actor, self.student_id)
        except AccessDenied as exc:
            self.app.call_from_thread(self.query_one("#versions-hint", Static).update, plain(str(exc)))
            return
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[review.PlanVersion]) -> None:
        table = self.query_one("#versions-table", DataTable)
        table.clear()
        for v in found:
            table.add_row(*version_cells(v), key=str(v.id))
        hint = "Enter opens a version." if found else "No version of this student's plans has been finalized yet."
        self.query_one("#versions-hint", Static).update(plain(hint))
        table.focus()

    @on(DataTable.RowSelected, "#versions-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.push_screen(VersionScreen(self.actor, int(event.row_key.value)))


class VersionScreen(SectionScreen):
    """One finalized version exactly as it was signed off (read-only)."""

    SECTION = "Finalized version"

    def __init__(self, actor, version_id: int) -> None:
        super().__init__(actor, id="plan-version")
        self.version_id = version_id

    def compose_body(self) -> ComposeResult:
        yield Static("Loading ...", id="version-header", markup=False)
        yield VerticalScroll(id="version-body", classes="record-pane")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="version")
    def load(self) -> None:
        try:
            version, doc = review.read_version(self.seop.store, self.actor, self.version_id)
        except (AccessDenied, LookupError) as exc:
            self.app.call_from_thread(self.query_one("#version-header", Static).update, plain(str(exc)))
            return
        self.app.call_from_thread(self._show, version, doc)

    def _show(self, version: review.PlanVersion, doc: dict) -> None:
        when = version.finalized_at[:16].replace("T", " ")
        self.query_one("#version-header", Static).update(
            plain(f"{version.kind} {version.school_year}, sign-off {version.number}: finalized {when} by {version.finalized_by or 'staff'}")
        )
        body = self.query_one("#version-body", VerticalScroll)
        body.remove_children()
        body.mount_all(document_widgets(doc))
        body.focus()



