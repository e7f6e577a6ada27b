"""The caseload dashboard: a staff member's students, searchable, filterable, sortable.

Typing in the search box narrows the list at once (a short pause, then a thread
worker; stale answers are dropped); Enter opens the highlighted student. The list is
painted as soon as it arrives, and only what can be seen is built:

- the page's rows go into the table a screenful or two at a time, more as the view
  scrolls towards them (each row added is measured and kept by the DataTable); the
  rows just past the view are added after the first paint;
- the list is painted with names first: the costly columns (conferences
  held/required, credit audit) show "…" and are worked out for the rows in view
  just after that paint (done before it, they held the list back by a third);
  rows scrolled into view later get theirs a moment after the view rests. They
  are kept for the session until a refresh;
- the filters are light drop-downs (screens/staff/choice.py), one widget each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from screens.base import SessionScreen
from screens.home import greeting, must_change_notice
from screens.staff import open_screen
from screens.staff.choice import FilterChoice
from screens.staff.student_record import StudentRecordScreen
from screens.text import clean, plain
from seop_tui.services import caseload
from seop_tui.services.caseload import CaseloadPage, CaseloadQuery, CaseloadRow, RowDetails
from seop_tui.services.context import AccessDenied

DEBOUNCE_SECONDS = 0.15
ROWS_AHEAD = 20  # rows put into the table beyond the view, so scrolling on never waits for them
DETAILS_PAUSE = 0.1  # seconds the view rests before the rows scrolled into view are worked out
STATUS_WORDS = {"draft": "draft", "submitted": "submitted", "changes_requested": "changes", "finalized": "finalized", None: "no plan"}
# (key, label, width): widths fit 80 columns with the table's padding and scrollbar.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "Name", 20),
    ("number", "Number", 7),
    ("grade", "Gr", 2),
    ("status", "Plan", 9),
    ("conferences", "Conf", 4),
    ("cluster", "Cluster", 7),
    ("credits", "Credits", 7),
    ("activity", "Last", 6),
)
SORT_CYCLE = tuple(key for key, _, _ in COLUMNS)
NOT_YET = "…"
MARK_FIRST = "Mark the students in the group with Space first."
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(stamp: str | None) -> str:
    """'2026-09-14T...' -> 'Sep 14'."""
    if not stamp or len(stamp) < 10:
        return "-"
    return f"{MONTHS[int(stamp[5:7]) - 1]} {stamp[8:10]}"


def grade_word(grade: int) -> str:
    return "K" if grade == 0 else str(grade)


def cluster_word(row: CaseloadRow) -> str:
    if row.cluster_code:
        return row.cluster_code
    return "MISSING" if row.cluster_missing else "-"


def conference_word(details: RowDetails | None) -> str:
    if details is None:
        return NOT_YET
    return f"{details.conferences_done}/{details.conferences_required}"


def credit_word(row: CaseloadRow, details: RowDetails | None) -> str:
    if row.grade < 9:
        return "-"
    if details is None:
        return NOT_YET
    return details.credit_state or "-"


def cell(value: str) -> Text:
    """A table cell: user text as plain text (never markup), one line."""
    return Text(clean(value), no_wrap=True, end="")


class SearchBox(Input):
    """The search box. Typing searches; Enter opens the highlighted student; Down goes to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_list", "List"),
        Binding("enter", "submit", "Open"),
    ]


class CaseloadTable(DataTable):
    """The list; Enter opens the student's record. Up from the first row goes back to the
    search box; Home and End go to the first and last student of the page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("home", "first_row", "First", show=False),
        Binding("end", "last_row", "Last", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._when_painted: list[Callable[[], object]] = []

    def after_rows_painted(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the screen update that draws rows of this table is done."""
        self._when_painted.append(callback)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._when_painted and self.row_count:
            waiting, self._when_painted = self._when_painted, []
            for callback in waiting:
                self.call_later(callback)  # after this update has been drawn
        return lines

    def action_cursor_up(self) -> None:
        if self.cursor_row == 0:
            self.screen.action_search()  # type: ignore[attr-defined]
        else:
            super().action_cursor_up()

    def action_first_row(self) -> None:
        self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        self.screen.add_every_row()  # type: ignore[attr-defined]
        self.move_cursor(row=self.row_count - 1, animate=False)


class CaseloadDashboard(SessionScreen):
    """Staff home: the students this person looks after."""

    SECTION = "Your students"
    AUTO_FOCUS = "#caseload-search"
    # Shown in the footer in this order (the list's keys; the search box shows its own).
    # Scope is hinted beside the scope's name at the top; sort order and pages in the status line.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", show=False, priority=True),  # shown in the search box; never typed
        Binding("space", "mark", "Mark"),
        Binding("g", "group", "Group"),
        Binding("r", "report", "Report"),
        Binding("x", "export", "Export"),
        Binding("s", "sort", "Sort"),
        Binding("t", "training", "Training"),
        Binding("m", "scope", "Scope", show=False),
        Binding("shift+s", "reverse", "Reverse sort", show=False),
        Binding("right_square_bracket", "page(1)", "Next page", show=False),
        Binding("left_square_bracket", "page(-1)", "Previous page", show=False),
        Binding("escape", "clear_marks", "Clear marks", show=False),
        Binding("f5", "refresh", "Refresh", show=False),
        Binding("p", "change_password", "Change my password", show=False),
    ]

    def __init__(self, actor, **kwargs) -> None:
        super().__init__(actor, **kwargs)
        self.scopes = caseload.scopes_for(actor)
        self.query_state = CaseloadQuery(scope=self.scopes[0])
        self.page_offset = 0
        self.page: CaseloadPage | None = None
        self.details: dict[int, RowDetails] = {}  # kept for the session; cleared by a refresh
        self.marked: set[int] = set()
        self.rows: dict[int, CaseloadRow] = {}  # the page's rows, in the table or not yet
        self.shown = 0  # how many of the page's rows are in the table (the first ones)
        self._asked: set[int] = set()  # students whose costly columns are being worked out
        self._seq = 0  # the newest request; older answers are dropped
        self._debounce: Timer | None = None
        self._details_timer: Timer | None = None
        self._open_when_shown = False  # Enter came before the answer to what was typed
        self._choices_asked = False  # the schools and grades of the filters
        self.message = ""

    # -- layout --------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="caseload-top"):
            yield Static(greeting(self.actor), id="home-greeting")
            yield Static("", id="caseload-scope")
        yield from must_change_notice(self.actor)
        with Horizontal(id="caseload-filters"):
            search = SearchBox(placeholder="Search (/): name or number", id="caseload-search", compact=True, max_length=80)
            search.cursor_blink = False  # steady cursor: calmer, and snapshots stay stable
            yield search
            yield FilterChoice("All schools", id="filter-school")
            yield FilterChoice("Any grade", id="filter-grade")
            yield FilterChoice("Any plan", [(label, key) for key, label in caseload.STATUS_FILTERS.items()], id="filter-status")
            yield FilterChoice("No flag", [(label, key) for key, label in caseload.FLAG_FILTERS.items()], id="filter-flag")
        yield CaseloadTable(id="caseload", cursor_type="row")
        yield Static("Loading ...", id="caseload-status")

    def on_mount(self) -> None:
        self.query_one(Footer).compact = True
        self._build_columns()
        self._show_scope()
        self.watch(self.query_one("#caseload", DataTable), "scroll_y", self._view_moved, init=False)
        self.reload()  # the filters' choices are asked for after the first list: they would slow it down

    def _build_columns(self) -> None:
        table = self.query_one("#caseload", DataTable)
        table.clear(columns=True)
        self.shown = 0
        for key, label, width in COLUMNS:
            if key == self.query_state.sort:
                label += " v" if self.query_state.descending else " ^"
            table.add_column(Text(label), key=key, width=width)

    def _show_scope(self) -> None:
        scope = self.query_state.scope or self.scopes[0]
        text = caseload.SCOPE_LABELS[scope]
        if len(self.scopes) > 1:
            other = next(s for s in self.scopes if s != scope)
            text += f" (m: {caseload.SCOPE_LABELS[other].lower()})"
        self.query_one("#caseload-scope", Static).update(Content(text))

    @work(thread=True, group="caseload-choices")
    def load_choices(self) -> None:
        store = self.seop.store
        schools = caseload.schools_for(store, self.actor)
        grades = caseload.grades_for(store, self.actor)
        self.app.call_from_thread(self._fill_choices, schools, grades)

    def _fill_choices(self, schools, grades) -> None:
        school = self.query_one("#filter-school", FilterChoice)
        school.set_options([(f"{s.code} {s.name}", s.id) for s in schools])
        school.display = len(schools) > 1
        self.query_one("#filter-grade", FilterChoice).set_options([(f"Grade {grade_word(g)}", g) for g in grades])

    # -- asking for rows -------------------------------------------------------------

    def reload(self, *, keep_offset: bool = False) -> None:
        if not keep_offset:
            self.page_offset = 0
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._seq += 1
        self._asked.clear()
        self._open_when_shown = False
        self.set_status("Searching ..." if self.query_state.text else "Loading ...")
        self.fetch(self.query_state, self.page_offset, self._seq, dict(self.details))

    @work(thread=True, exclusive=True, group="caseload")
    def fetch(self, query: CaseloadQuery, offset: int, seq: int, known: dict[int, RowDetails]) -> None:
        """The page (with the costly columns only when the query sorts or filters by them)."""

        def progress(done: int, total: int) -> None:
            if seq == self._seq:
                self.app.call_from_thread(self.set_status, f"Working out conferences and credits: {done:,} of {total:,} students ...")

        store, ref = self.seop.store, self.seop.ref
        try:
            page = caseload.find(store, ref, self.actor, query, offset=offset, known=known, progress=progress)
        except (LookupError, AccessDenied) as exc:  # e.g. no school year set up yet
            self.app.call_from_thread(self._not_shown, str(exc))
            return
        self.app.call_from_thread(self._show_page, page, seq)

    def _show_page(self, page: CaseloadPage, seq: int) -> None:
        if seq != self._seq:
            return
        self.page = page
        table = self.query_one("#caseload", DataTable)
        cursor_id = self._cursor_id()
        table.clear()
        self.shown = 0
        self.rows = {}
        for row in page.rows:
            if row.details is not None:
                self.details[row.student_id] = row.details
            self.rows[row.student_id] = row
        at = next((i for i, row in enumerate(page.rows) if row.student_id == cursor_id), 0)
        in_view = at + table.scrollable_content_region.height + 1
        self._add_rows(in_view)
        if at:
            table.move_cursor(row=at, animate=False)
        self._show_counts()
        if self._open_when_shown:
            self._open_when_shown = False
            self.action_open()
        # After the paint: done before it, they held the names back (each added row is measured).
        after = table.after_rows_painted if table.row_count else self.call_after_refresh
        after(partial(self._add_rows, in_view + ROWS_AHEAD))
        after(self._want_details)
        after(self._ask_choices)

    def _not_shown(self, reason: str) -> None:
        self.set_status(reason)
        self._ask_choices()

    def _ask_choices(self) -> None:
        if not self._choices_asked:
            self._choices_asked = True
            self.load_choices()

    def _add_rows(self, upto: int) -> None:
        """Put the page's rows up to `upto` into the table."""
        if self.page is None:
            return
        table = self.query_one("#caseload", DataTable)
        for row in self.page.rows[self.shown : upto]:
            table.add_row(*self._cells(row), key=str(row.student_id))
        self.shown = table.row_count

    def add_every_row(self) -> None:
        """The rest of the page into the table (to go to its end)."""
        if self.page is not None:
            self._add_rows(len(self.page.rows))

    def _view_moved(self) -> None:
        """Scrolled (or the cursor moved the view): add the rows coming into reach, work out the ones in view."""
        table = self.query_one("#caseload", DataTable)
        height = table.scrollable_content_region.height
        if self.page is not None and self.shown < len(self.page.rows) and table.scroll_y + height + ROWS_AHEAD > self.shown:
            self._add_rows(int(table.scroll_y) + 2 * height + ROWS_AHEAD)
        if self._details_timer is not None:
            self._details_timer.stop()
        self._details_timer = self.set_timer(DETAILS_PAUSE, self._want_details)

    def _want_details(self) -> None:
        """Work out the costly columns of the rows in view that have not got them."""
        if self.page is None:
            return
        table = self.query_one("#caseload", DataTable)
        top = int(table.scroll_y)
        in_view = self.page.rows[top : min(self.shown, top + table.scrollable_content_region.height + 1)]
        missing = [r.student_id for r in in_view if r.student_id not in self.details and r.student_id not in self._asked]
        if missing:
            self._asked.update(missing)
            self.fill_details(missing, self._seq)

    def _cells(self, row: CaseloadRow) -> list[Text]:
        details = self.details.get(row.student_id)
        mark = "* " if row.student_id in self.marked else ""
        values = (
            mark + row.name,
            row.student_number,
            grade_word(row.grade),
            STATUS_WORDS.get(row.plan_status, row.plan_status or ""),
            conference_word(details),
            cluster_word(row),
            credit_word(row, details),
            short_day(row.last_activity),
        )
        return [cell(v) for v in values]

    def _in_table(self, student_id: int) -> bool:
        return str(student_id) in self.query_one("#caseload", DataTable).rows

    @work(thread=True, group="caseload-details")
    def fill_details(self, student_ids: list[int], seq: int) -> None:
        if seq != self._seq:
            return
        try:
            found = caseload.row_details(self.seop.store, self.seop.ref, self.actor, student_ids)
        except LookupError:
            return  # the list itself says why
        self.app.call_from_thread(self._apply_details, found, seq)

    def _apply_details(self, found: dict[int, RowDetails], seq: int) -> None:
        self.details.update(found)
        self._asked.difference_update(found)
        if seq != self._seq:
            return
        table = self.query_one("#caseload", DataTable)
        for sid, details in found.items():
            row = self.rows.get(sid)
            if row is None or not self._in_table(sid):
                continue  # a row added later is built with its details
            table.update_cell(str(sid), "conferences", cell(conference_word(details)))
            table.update_cell(str(sid), "credits", cell(credit_word(row, details)))

    # -- status line -----------------------------------------------------------------

    def set_status(self, text: str) -> None:
        self.message = text
        self.query_one("#caseload-status", Static).update(plain(text))

    def _show_counts(self) -> None:
        page = self.page
        if page is None:
            return
        if not page.total:
            if self._narrowed():
                text = "No students match. Change the search or the filters."
            elif self.actor.role == "administrator":
                text = "No students on file yet: `seop import roster` brings them in."
            else:
                text = "No students in your caseload or classes yet."
        else:
            last = page.offset + len(page.rows)
            counted = f"{page.total:,}" if page.total_exact else f"at least {page.total:,}"  # a search's count stops at a cap
            text = f"{page.offset + 1:,}-{last:,} of {counted}"
            if page.offset or page.more:
                text += " ([ ] pages)"
        sort = caseload.SORTS[self.query_state.sort]
        text += f" · sort: {sort}{' reversed' if self.query_state.descending else ''} (s, S) · F1 all keys"
        if self.marked:
            text += f" · {len(self.marked)} marked (Esc clears)"
        self.set_status(text)

    def _narrowed(self) -> bool:
        q = self.query_state
        return bool(q.text.strip()) or any(v is not None for v in (q.school_id, q.grade, q.status, q.flag))

    # -- search and filters ------------------------------------------------------------

    @on(Input.Changed, "#caseload-search")
    def _typed(self, event: Input.Changed) -> None:
        self.query_state = replace(self.query_state, text=event.value)
        self._open_when_shown = False
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.reload)

    @on(Input.Submitted, "#caseload-search")
    def _search_done(self) -> None:
        """Enter: open the highlighted student of what was typed (asking for it now if the list is older)."""
        if self.page is not None and self.page.query == self.query_state:
            self.action_open()
            return
        if self._debounce is not None:  # still in the typing pause: ask now
            self.reload()
        self._open_when_shown = True

    def action_to_list(self) -> None:
        # Even an empty list takes the focus: its letter keys (report, training ...) work there.
        self.query_one("#caseload", DataTable).focus()

    @on(FilterChoice.Changed)
    def _filtered(self, event: FilterChoice.Changed) -> None:
        field = {"filter-school": "school_id", "filter-grade": "grade", "filter-status": "status", "filter-flag": "flag"}.get(event.choice.id or "")
        if field is None:
            return
        value = event.value
        if getattr(self.query_state, field) == value:
            return
        self.query_state = replace(self.query_state, **{field: value})
        self.reload()

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scope":
            return len(self.scopes) > 1
        if action == "training":
            return self.actor.role in ("counselor", "administrator")
        if action == "clear_marks":
            return bool(self.marked)
        return True

    def action_search(self) -> None:
        self.query_one("#caseload-search", Input).focus()

    def _cursor_id(self) -> int | None:
        table = self.query_one("#caseload", DataTable)
        if not table.row_count:
            return None
        key = table.ordered_rows[table.cursor_row].key.value
        return int(key) if key is not None else None

    def action_open(self) -> None:
        sid = self._cursor_id()
        if sid is not None:
            self.app.push_screen(StudentRecordScreen(self.actor, sid), lambda _=None: self._came_back([sid]))

    @on(DataTable.RowSelected, "#caseload")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def _came_back(self, student_ids: list[int]) -> None:
        """The record (or a form) may have changed these students: work them out again."""
        for sid in student_ids:
            self.details.pop(sid, None)
        self.reload(keep_offset=True)

    def action_mark(self) -> None:
        sid = self._cursor_id()
        if sid is None:
            return
        self.marked.symmetric_difference_update({sid})
        self.query_one("#caseload", DataTable).update_cell(str(sid), "name", self._cells(self.rows[sid])[0])
        self._show_counts()
        self.refresh_bindings()

    def action_clear_marks(self) -> None:
        for sid in self.marked & set(self.rows):
            self.marked.discard(sid)
            if self._in_table(sid):
                self.query_one("#caseload", DataTable).update_cell(str(sid), "name", self._cells(self.rows[sid])[0])
        self.marked.clear()
        self._show_counts()
        self.refresh_bindings()

    def action_sort(self) -> None:
        following = SORT_CYCLE[(SORT_CYCLE.index(self.query_state.sort) + 1) % len(SORT_CYCLE)]
        self._sort_by(following, descending=False)

    def action_reverse(self) -> None:
        self._sort_by(self.query_state.sort, descending=not self.query_state.descending)

    @on(DataTable.HeaderSelected, "#caseload")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value or "name"
        self._sort_by(key, descending=key == self.query_state.sort and not self.query_state.descending)

    def _sort_by(self, key: str, *, descending: bool) -> None:
        self.query_state = replace(self.query_state, sort=key, descending=descending)
        self._build_columns()
        self.reload()

    def action_scope(self) -> None:
        current = self.query_state.scope or self.scopes[0]
        following = self.scopes[(self.scopes.index(current) + 1) % len(self.scopes)]
        self.query_state = replace(self.query_state, scope=following)
        self._show_scope()
        self.reload()

    def action_page(self, step: int) -> None:
        page = self.page
        if page is None:
            return
        offset = page.offset + step * page.limit
        if 0 <= offset < page.total:
            self.page_offset = offset
            self.reload(keep_offset=True)

    def action_refresh(self) -> None:
        self.details.clear()
        self.reload(keep_offset=True)

    # -- the other staff screens ------------------------------------------------------

    def action_change_password(self) -> None:
        from screens.change_secret import ChangeSecretScreen

        self.app.push_screen(ChangeSecretScreen(self.actor), self.seop.secret_changed)

    def action_group(self) -> None:
        if not self.marked:
            self.notify(MARK_FIRST, markup=False)
            return
        ids = sorted(self.marked)
        open_screen(self, "conference", ids, on_close=lambda _=None: self._came_back(ids))

    def action_report(self) -> None:
        open_screen(self, "compliance")

    def action_training(self) -> None:
        open_screen(self, "training")

    def action_export(self) -> None:
        if self.marked:
            open_screen(self, "export", sorted(self.marked))
        else:
            self.export_list(self.query_state)

    @work(thread=True, exclusive=True, group="caseload-export")
    def export_list(self, query: CaseloadQuery) -> None:
        try:
            ids = caseload.matching_ids(self.seop.store, self.seop.ref, self.actor, query)
        except (LookupError, AccessDenied) as exc:
            self.app.call_from_thread(self.set_status, str(exc))
            return
        self.app.call_from_thread(self._export_ids, ids)

    def _export_ids(self, ids: list[int]) -> None:
        if not ids:
            self.notify("No students in the list to export.", markup=False)
            return
        open_screen(self, "export", ids)
