"""Interest inventory: one item at a time, answered with a number key.

Every answer is stored as it is given, so a student signed out half-way comes
back to the next unanswered item. After the last one: the six areas as a bar
chart (text only, no colour needed), the three-letter code in plain words and
the career clusters that fit best. R takes it again; earlier results stay.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.student import INPUT_ERRORS, save_before_leaving
from screens.student.section import LOCKED, PlanSectionScreen
from screens.student.widgets import bar, bar_line
from screens.text import plain
from seop_tui.services import inventory
from seop_tui.services.clusters import fit_words
from seop_tui.services.inventory import Attempt
from seop_tui.services.plans import PlanConflict, PlanRef

INTRO, ITEM, RESULT = "intro", "item", "result"
SHOWN_CLUSTERS = 3


class InventoryScreen(PlanSectionScreen):
    SECTION = "Interest inventory"
    INPUT_ERRORS = INPUT_ERRORS
    # Priority: an answer runs as its key arrives, so answers typed just before Ctrl+O
    # (one burst over a slow link) are taken before the sign-out (see signin.py).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer(0)", "Answer", key_display="1-5", priority=True),
        *(Binding(str(n + 1), f"answer({n})", show=False, priority=True) for n in range(1, 9)),
        Binding("backspace,left", "previous", "Previous", priority=True),
        Binding("right", "next", "Next", priority=True),
        Binding("enter", "start", "Start", priority=True),
        Binding("r", "retake", "Take it again", priority=True),
    ]

    def __init__(self, actor, plan: PlanRef) -> None:
        super().__init__(actor, plan)
        self.mode = ""
        self.attempt: Attempt | None = None
        self.answers: dict[str, int] = {}
        self.index = 0
        self.found: tuple[Attempt, ...] = ()
        self._stored: Attempt | None = None  # what the last edit stored (set in the edit's thread)

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        with VerticalScroll(id="inventory-body", classes="section-body"):
            yield Static("Loading ...", id="inventory-view", markup=False)
        yield self.save_state_line()

    @property
    def items(self):
        return self.seop.ref.inventory.items

    @property
    def scale(self):
        return self.seop.ref.inventory.scale

    # -- reading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        found = inventory.attempts(self.seop.store, self.actor, self.plan.student_id)
        self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: tuple[Attempt, ...]) -> None:
        if not self.is_attached:
            return
        self.found = found
        current = inventory.open_attempt(found)
        if current is not None:
            self._begin(current)
        elif any(a.complete for a in found):
            self._set_mode(RESULT)
        else:
            self._set_mode(INTRO)

    def _begin(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.answers = dict(attempt.answers)
        self.index = inventory.next_item(self.seop.ref, attempt)
        self._set_mode(ITEM)

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        body = self.query_one("#inventory-body", VerticalScroll)
        body.can_focus = mode != ITEM  # number and arrow keys belong to the items
        if mode == ITEM:
            self.set_focus(None)
        else:
            body.focus()
        body.scroll_home(animate=False)
        self.render_view()
        self.refresh_bindings()

    def render_view(self) -> None:
        view = self.query_one("#inventory-view", Static)
        if self.mode == INTRO:
            view.update(self._intro())
        elif self.mode == ITEM:
            view.update(self._item())
        else:
            view.update(self._result())

    def _intro(self) -> Content:
        inv = self.seop.ref.inventory
        return Content("\n").join(
            [
                Content.styled(inv.name, "bold"),
                "",
                Content(inv.instructions),
                "",
                Content(f"There are {len(inv.items)} activities. Your answers are saved as you go,"),
                Content("so you can stop and come back later."),
                "",
                Content.styled("Press Enter to start.", "bold"),
            ]
        )

    def _item(self) -> Content:
        total = len(self.items)
        if self.index >= total:
            return Content("All answered. Working out your results ...")
        item = self.items[self.index]
        given = self.answers.get(item.id)
        lines: list[Content | str] = [
            Content(f"Question {self.index + 1} of {total}   {bar(len(self.answers), total, 24)} {len(self.answers)} answered"),
            "",
            Content("How much would you like to ..."),
            "",
            Content.styled(f"  {item.text}", "bold"),
            "",
        ]
        for n, point in enumerate(self.scale, start=1):
            mine = point.value == given
            lines.append(Content.assemble("> " if mine else "  ", (f"{n}  {point.label}", "bold" if mine else ""), "   (your answer)" if mine else ""))
        lines += ["", Content(f"Press 1-{len(self.scale)} to answer.  Backspace or Left: the question before.")]
        return Content("\n").join(lines)

    def _result(self) -> Content:
        done = [a for a in self.found if a.complete]
        if not done:
            return Content("No results yet.")
        ref = self.seop.ref
        res = inventory.result(ref, done[0])
        names = {a.code: a.name for a in ref.inventory.areas}
        profile = res.profile
        finished = (done[0].completed_at or "")[:10]
        lines: list[Content | str] = [Content.assemble(plain(f"Your interests, finished {finished}. Your code: ", "bold"), (profile.code, "bold reverse"))]
        if len(done) > 1:
            lines.append(plain("Earlier results: " + ", ".join(f"{(a.completed_at or '')[:10]}  {a.holland_code}" for a in done[1:])))
        started = inventory.open_attempt(self.found)
        if started is not None:
            lines.append(plain(f"Started again {started.started_at[:10]}: {len(started.answers)} of {len(self.items)} answered"))
        lines.append("")
        for area in profile.ranking:
            lines.append(Content(bar_line(names[area], profile.scores[area], profile.maxima[area])))
        lines.append("")
        for info in res.meaning:
            lines.append(Content(f"{info.code} {info.name}: {info.summary}"))
        lines += ["", Content.styled("Career clusters that fit you best (choose one in section 4)", "bold")]
        for n, fit in enumerate(res.clusters[:SHOWN_CLUSTERS], start=1):
            lines.append(Content(f"  {n}. {fit.name} ({fit_words(fit.fit)})"))
        return Content("\n").join(lines)

    # -- keys ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.mode == ITEM and int(parameters[0]) < len(self.scale)  # type: ignore[call-overload]
        if action in ("previous", "next"):
            return self.mode == ITEM
        if action == "start":
            return self.mode == INTRO
        if action == "retake":
            return self.mode == RESULT
        return super().check_action(action, parameters)

    def action_answer(self, position: int) -> None:
        if self.mode != ITEM or self.attempt is None or self.index >= len(self.items) or position >= len(self.scale):
            return
        if not self.editable:
            self.show_state(LOCKED, error=True)
            return
        item, value = self.items[self.index], self.scale[position].value
        self.answers[item.id] = value
        attempt_id = self.attempt.id
        # Move on at once; the answer is stored in the background, in order.
        self.index = next((i for i in range(self.index + 1, len(self.items)) if self.items[i].id not in self.answers), len(self.items))
        self.render_view()
        self.edit(lambda plan: self._store_answer(plan, attempt_id, item.id, value), "✓ Saved")

    def _store_answer(self, plan: PlanRef, attempt_id: int, item_id: str, value: int) -> PlanRef:
        plan, self._stored = inventory.answer(self.seop.store, self.seop.ref, self.actor, plan, attempt_id, item_id, value)
        return plan

    def _start(self, plan: PlanRef) -> PlanRef:
        plan, self._stored = inventory.start_attempt(self.seop.store, self.seop.ref, self.actor, plan)
        return plan

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.render_view()

    def action_next(self) -> None:
        if self.index < len(self.items) and self.items[self.index].id in self.answers:
            self.index += 1
            self.render_view()

    def action_start(self) -> None:
        self.edit(self._start, "✓ Saved")

    def action_retake(self) -> None:
        self.edit(self._start, "✓ Saved")

    # -- after an edit -----------------------------------------------------------

    def edit_done(self, saved: str) -> None:
        stored, self._stored = self._stored, None
        if stored is None:
            return
        if stored.complete:
            self.load()  # show the result, with the history
        elif self.mode != ITEM or self.attempt is None or self.attempt.id != stored.id:
            self._begin(stored)

    def edit_failed(self, exc: Exception) -> None:
        if not isinstance(exc, PlanConflict):  # a conflict waits for Ctrl+R, then reloads
            self.load()  # show what is really stored

    async def save_before_sign_out(self) -> None:
        await save_before_leaving(self)
