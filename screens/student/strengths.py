"""Strengths and areas to work on: tick from a short list or type your own words.

Space ticks or unticks an entry (saved at once); own words are added with
Enter. The student's latest test levels and credits earned are shown beside
the lists. The SEP (K-5) screen is the same with simpler words.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from screens.student import INPUT_ERRORS, FormSection, save_before_leaving
from screens.student.section import credits_text
from screens.student.widgets import MarkedSelectionList
from screens.text import plain
from seop_tui.services import strengths
from seop_tui.services.plans import PlanRef
from seop_tui.services.strengths import KINDS, ProgressSnapshot, Trait
from seop_tui.text import SHORT


def progress_lines(snap: ProgressSnapshot, *, grade_band: str = "SEOP") -> Content:
    lines: list[Content | str] = [Content.styled("My progress", "bold underline")]
    if snap.results:
        lines.append(Content(f"Tests in grade {snap.results[0].grade}:"))
        for r in snap.results:
            lines.append(plain(f" {r.assessment} {r.subject}: {r.level or '-'}"))
    else:
        lines.append(Content("No test results yet."))
    if grade_band == "SEOP":
        lines += ["", Content(f"Credits earned: {credits_text(snap.total_credits)}")]
        lines += [plain(f" {area} {credits_text(credits)}") for area, credits in snap.credits_by_area]
    return Content("\n").join(lines)


class StrengthsScreen(FormSection):
    SECTION = "Strengths and areas to work on"
    INPUT_ERRORS = INPUT_ERRORS
    HEADINGS: ClassVar[dict[str, str]] = {"strength": "My strengths", "needs_attention": "Areas I want to work on"}
    OWN_WORDS: ClassVar[str] = "Or type your own words and press Enter"
    HELP: ClassVar[str] = "Space ticks or unticks. Tab moves to the next box."

    def __init__(self, actor, plan: PlanRef) -> None:
        super().__init__(actor, plan)
        self.ids: dict[tuple[str, str], int] = {}  # (kind, text) -> strengths row id
        self._added: tuple[str, str] | None = None  # set by an add, in its thread

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        yield Static(self.HELP, id="strengths-help", markup=False)
        with Horizontal(id="strengths-columns"):
            with Vertical(id="strengths-lists"):
                for kind in KINDS:
                    yield Static(Content.styled(self.HEADINGS[kind], "bold"), classes="trait-heading")
                    yield MarkedSelectionList(id=f"{kind}-list", classes="edit trait-list")
                    own = Input(placeholder=self.OWN_WORDS, id=f"{kind}-own", classes="edit trait-own", max_length=SHORT, compact=True)
                    own.cursor_blink = False
                    yield own
            yield Static("", id="strengths-progress", markup=False)
        yield self.save_state_line()

    def apply_editable(self) -> None:
        for widget in self.query(".edit"):
            widget.disabled = not self.editable

    # -- reading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        store, ref = self.seop.store, self.seop.ref
        found = strengths.traits(store, self.actor, self.plan)
        snap = strengths.progress_snapshot(store, ref, self.actor, self.plan.student_id)
        self.app.call_from_thread(self._show, found, snap)

    def _show(self, found: tuple[Trait, ...], snap: ProgressSnapshot) -> None:
        if not self.is_attached:
            return
        self.ids = {(t.kind, t.text): t.id for t in found}
        for kind in KINDS:
            mine = [t.text for t in found if t.kind == kind]
            offered = [s for s in strengths.suggestions(self.plan.kind, kind) if s.casefold() not in {m.casefold() for m in mine}]
            box = self.query_one(f"#{kind}-list", SelectionList)
            highlighted = box.highlighted
            with box.prevent(SelectionList.SelectionToggled):
                box.clear_options()
                box.add_options([Selection(plain(text), (kind, text), True) for text in mine])
                box.add_options([Selection(plain(text), (kind, text), False) for text in offered])
            if box.option_count:
                box.highlighted = min(highlighted or 0, box.option_count - 1)
        self.query_one("#strengths-progress", Static).update(progress_lines(snap, grade_band=self.plan.kind))
        if self.focused is None:
            self.query_one(f"#{KINDS[0]}-list").focus()

    # -- changes ---------------------------------------------------------------

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        kind, text = event.selection.value
        if kind not in KINDS:
            return
        if (kind, text) in event.selection_list.selected:
            self.edit(lambda plan: self._add(plan, kind, text), "✓ Saved")
        else:
            self.edit(lambda plan: self._remove(plan, kind, text), "✓ Saved")

    def _add(self, plan: PlanRef, kind: str, text: str) -> PlanRef:
        plan, trait = strengths.add_trait(self.seop.store, self.actor, plan, kind, text)
        self.ids[(kind, trait.text)] = trait.id
        self._added = (kind, trait.text)
        return plan

    def _remove(self, plan: PlanRef, kind: str, text: str) -> PlanRef:
        trait_id = self.ids.pop((kind, text), None)
        if trait_id is None:
            return plan  # never stored: nothing to remove
        return strengths.remove_trait(self.seop.store, self.actor, plan, trait_id)

    @on(Input.Submitted, ".trait-own")
    def _own_words(self, event: Input.Submitted) -> None:
        kind = (event.input.id or "").removesuffix("-own")
        text = event.value
        if text.strip():
            self.edit(lambda plan: self._add(plan, kind, text), "✓ Saved")

    def edit_done(self, saved: str) -> None:
        added, self._added = self._added, None
        if added is None:
            return
        kind, text = added
        own = self.query_one(f"#{kind}-own", Input)
        if own.value.strip() and own.value.strip().casefold() == text.casefold():
            own.value = ""
            self.load()  # the new entry joins the ticked ones at the top

    def edit_failed(self, exc: Exception) -> None:
        if isinstance(exc, INPUT_ERRORS):
            self.load()  # untick what was not stored

    def flush_edits(self) -> None:
        for kind in KINDS:
            own = self.query_one(f"#{kind}-own", Input)
            if own.value.strip():
                text = own.value
                self.edit(lambda plan, kind=kind, text=text: self._add(plan, kind, text), "✓ Saved")

    async def save_before_sign_out(self) -> None:
        await save_before_leaving(self, self.flush_edits)
