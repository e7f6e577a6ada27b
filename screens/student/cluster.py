"""Career cluster and pathway: browse the district's clusters with the student's
inventory fit, read about each (pathways, sample jobs, related courses) and
choose one. A new choice is added to the history; earlier ones stay.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.student import INPUT_ERRORS
from screens.student.section import LOCKED, PlanSectionScreen
from screens.text import plain
from seop_tui.services import clusters
from seop_tui.services.clusters import ClusterBrowse, ClusterView, fit_words
from seop_tui.services.plans import PlanRef

CLUSTER_ONLY = "cluster-only"
SHOWN_COURSES = 6


def _grades(grades: tuple[int, ...]) -> str:
    if not grades:
        return ""
    low, high = min(grades), max(grades)
    return f"grade {low}" if low == high else f"grades {low}-{high}"


def cluster_details(view: ClusterView, chosen: bool) -> Content:
    c = view.cluster
    title = c.name + (f" ({fit_words(view.fit.fit)})" if view.fit else "")
    lines: list[Content | str] = [Content.styled(title, "bold")]
    if chosen:
        lines.append(Content("This is your choice."))
    lines += [Content(c.description), "", Content.styled("Sample jobs", "bold underline"), Content(", ".join(c.occupations)), ""]
    lines.append(Content.styled("Pathways", "bold underline"))
    for p in c.pathways:
        fit = view.pathway_fit(p.code)
        lines.append(Content.styled(p.name + (f" ({fit_words(fit)})" if fit is not None else ""), "bold"))
        if p.occupations:
            lines.append(Content("  Jobs: " + ", ".join(p.occupations)))
        courses = view.courses.get(p.code, ())
        if courses:
            named = [f"{course.name} ({_grades(course.grades)})" for course in courses[:SHOWN_COURSES]]
            more = f" and {len(courses) - SHOWN_COURSES} more" if len(courses) > SHOWN_COURSES else ""
            lines.append(Content("  Courses: " + "; ".join(named) + more))
    return Content("\n").join(lines)


class PathwayScreen(ModalScreen[str | None]):
    """Pick a pathway of the chosen cluster (or the cluster only, for now)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, view: ClusterView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="pathway-box"):
            yield Static(Content.styled(f"Choose a pathway in {self.view.cluster.name}", "bold"), id="pathway-title")
            options = []
            for p in self.view.cluster.pathways:
                fit = self.view.pathway_fit(p.code)
                options.append(Option(Content(p.name + (f"  ({fit_words(fit)})" if fit is not None else "")), id=p.code))
            options.append(Option(Content("Not sure yet: just the cluster for now"), id=CLUSTER_ONLY))
            yield OptionList(*options, id="pathway-list", markup=False)
            yield Static("Enter: choose    Escape: cancel", id="pathway-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#pathway-list").focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ClusterScreen(PlanSectionScreen):
    SECTION = "Career cluster and pathway"
    INPUT_ERRORS = INPUT_ERRORS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "choose", "Choose this cluster")]

    def __init__(self, actor, plan: PlanRef) -> None:
        super().__init__(actor, plan)
        self.browse: ClusterBrowse | None = None

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        yield Static("", id="cluster-choice", markup=False)
        with Horizontal(id="cluster-columns"):
            yield OptionList(id="cluster-list", markup=False)
            with VerticalScroll(id="cluster-details"):
                yield Static("Loading ...", id="cluster-about", markup=False)
        yield Static("Up/Down: browse  Tab: read more  Enter: choose", id="cluster-hint", markup=False)
        yield self.save_state_line()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        found = clusters.browse(self.seop.store, self.seop.ref, self.actor, self.plan)
        self.app.call_from_thread(self._show, found)

    def _current_code(self) -> str | None:
        return self.browse.current.cluster_code if self.browse and self.browse.current else None

    def _show(self, found: ClusterBrowse) -> None:
        if not self.is_attached:
            return
        self.browse = found
        by = self.seop.ref.district.cluster_required_by_grade
        if found.current:
            c = found.current
            words = Content.assemble(("Your choice: ", "bold"), plain(f"{c.label} (grade {c.grade}, {c.chosen_on})"))
            earlier = [f"{h.label} (grade {h.grade}, {h.chosen_on})" for h in found.history[:-1]]
            if earlier:
                words = Content.assemble(words, "\nBefore: ", plain("; ".join(reversed(earlier))))
        else:
            words = Content.assemble(("Not chosen yet. ", "bold"), f"Choose a cluster before the end of grade {by}.")
        if found.holland_code is None:
            words = Content.assemble(words, "\nTake the interest inventory (section 1) to see how well each cluster fits you.")
        self.query_one("#cluster-choice", Static).update(words)
        box = self.query_one("#cluster-list", OptionList)
        highlighted = box.highlighted
        box.clear_options()
        current = self._current_code()
        for view in found.clusters:
            fit = f"{round(100 * view.fit.fit):>3}% " if view.fit else ""
            mark = "✓ " if view.cluster.code == current else "  "  # the details say "This is your choice"
            box.add_option(Option(Content(f"{mark}{fit}{view.cluster.name}"), id=view.cluster.code))
        if highlighted is None and current is not None:
            highlighted = next(i for i, v in enumerate(found.clusters) if v.cluster.code == current)
        box.highlighted = highlighted or 0
        box.focus()
        self._describe()

    @on(OptionList.OptionHighlighted, "#cluster-list")
    def _describe(self) -> None:
        view = self._highlighted()
        if view is not None:
            self.query_one("#cluster-about", Static).update(cluster_details(view, view.cluster.code == self._current_code()))
            self.query_one("#cluster-details", VerticalScroll).scroll_home(animate=False)

    def _highlighted(self) -> ClusterView | None:
        box = self.query_one("#cluster-list", OptionList)
        if self.browse is None or box.highlighted is None:
            return None
        return self.browse.clusters[box.highlighted]

    @on(OptionList.OptionSelected, "#cluster-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        view = self._highlighted()
        if view is None:
            return
        if not self.editable:
            self.show_state(LOCKED, error=True)
            return
        self.app.push_screen(PathwayScreen(view), lambda pathway: self._chosen(view, pathway))

    def _chosen(self, view: ClusterView, pathway: str | None) -> None:
        if pathway is None:
            return
        code = None if pathway == CLUSTER_ONLY else pathway
        self.edit(lambda plan: clusters.choose(self.seop.store, self.seop.ref, self.actor, plan, view.cluster.code, code), "✓ Saved")
