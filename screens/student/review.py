"""Review and submit: the whole plan on one page, the counselor's comments, and
"Submit for review"."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.student.section import PlanSectionScreen, columns, credits_text, day
from screens.question import Question
from screens.text import plain
from seop_tui.sections import SEOP_SECTIONS, SEP_SECTIONS
from seop_tui.services import plans
from seop_tui.services.accomplishments import KINDS
from seop_tui.services.context import Actor
from seop_tui.services.plan_document import plan_document
from seop_tui.services.plans import PlanRef
from seop_tui.services.postsecondary import EDUCATION_CHOICES

# ---------------------------------------------------------------- the document

GOAL_STATUS = {"not_started": "not started", "in_progress": "in progress", "met": "met", "changed": "changed"}
GOAL_KINDS = {"education": "Education goal", "career": "Career goal", "career_awareness": "Career-awareness goal"}
CONFERENCE_KINDS = {"individual": "Individual conference", "small_group": "Small-group conference", "parent_requested": "Conference a parent asked for"}


def _heading(title: str) -> Content:
    return Content.styled(title, "bold underline")


def _item(*parts: str | Content, indent: int = 2) -> Content:
    return Content.assemble(" " * indent, *(p if isinstance(p, Content) else plain(p) for p in parts))


def _multiline(text: str | None, indent: int = 4) -> list[Content]:
    return [_item(line, indent=indent) for line in (text or "").splitlines() if line.strip()]


def _none(what: str = "Nothing yet.") -> list[Content]:
    return [_item(what)]


def document_lines(doc: dict, titles: dict[str, str]) -> list[Content]:
    """The plan document as lines; everything people typed is shown literally."""
    out: list[Content] = []
    student, plan = doc["student"], doc["plan"]
    out.append(Content.assemble(plain(student["name"], "bold"), f" · grade {student['grade']} · ", plain(student["school"] or "")))
    if student.get("counselor"):
        out.append(Content.assemble("Counselor: ", plain(student["counselor"])))
    out.append(plain(f"{plan['kind']} for {plan['school_year']} · {plan['status']} · version {plan['version']}"))

    def section(key: str, lines: list[Content]) -> None:
        if key in titles:
            out.extend(["", _heading(titles[key]), *lines])

    inv = doc.get("interest_inventory")
    section(
        "inventory",
        [
            _item(f"Holland code {inv['holland_code'] or '-'} (completed {day(inv['completed_at'])})"),
            _item("Scores: " + ", ".join(f"{area} {score}" for area, score in inv["scores"].items())),
        ]
        if inv
        else _none("Not taken yet."),
    )
    traits = [_item("Strengths:")] + [_item("- ", t, indent=4) for t in doc["strengths"]]
    traits += [_item("Areas to work on:")] + [_item("- ", t, indent=4) for t in doc["needs_attention"]]
    section("strengths", traits if doc["strengths"] or doc["needs_attention"] else _none())
    goals: list[Content] = []
    for goal in doc["goals"]:
        goals.append(_item(f"{GOAL_KINDS.get(goal['kind'], goal['kind'])}: ", plain(goal["text"], "bold")))
        details = f"Status: {GOAL_STATUS.get(goal['status'], goal['status'])}"
        if goal["target_date"]:
            details += f" · by {goal['target_date']}"
        if goal["monitors"]:
            details += " · watched by " + ", ".join(goal["monitors"])
        goals.append(_item(details, indent=4))
        if goal["steps"]:
            goals += [_item("Steps:", indent=4), *_multiline(goal["steps"], indent=6)]
        for update in goal["updates"]:
            goals.append(_item(f"{day(update['created_at'])}: ", plain(update["note"] or GOAL_STATUS.get(update["status"] or "", "")), indent=4))
    section("goals", goals or _none())
    choice = doc["career_cluster"]
    section(
        "cluster",
        [_item(choice["cluster"], f" · pathway: {choice['pathway']}" if choice["pathway"] else "", f" (chosen in grade {choice['grade']}, {choice['chosen_on']})")]
        if choice
        else _none("No cluster chosen yet."),
    )
    courses: list[Content] = []
    for grade in sorted({e["grade"] for e in doc["course_plan"]}):
        entries = [e for e in doc["course_plan"] if e["grade"] == grade]
        courses.append(_item(f"Grade {grade}: " + ", ".join(f"{e['name']} ({credits_text(e['credits'])})" for e in entries)))
    audit = doc.get("credit_audit")
    if audit:
        courses += [_item(f"Credit audit ({audit['requirement_set']}):"), _item(columns(("Area", "Need", "Earned", "Planned", "State"), (30, 5, 7, 8, 8)), indent=4)]
        for area in [*audit["areas"], {"area": "Total credits", **audit["total"]}]:
            values = (area["area"], credits_text(area["required"]), credits_text(area["earned"]), credits_text(area["planned"]), area["state"])
            courses.append(_item(columns(values, (30, 5, 7, 8, 8)), indent=4))
    section("course_plan", courses or _none())
    post = doc.get("postsecondary")
    post_lines: list[Content] = []
    if post:
        post_lines.append(_item("Plan: ", EDUCATION_CHOICES.get(post["education_choice"] or "", "not chosen")))
        for label, key in (("School or employer", "institution"), ("Program", "program"), ("Jobs", "occupations")):
            if post[key]:
                post_lines.append(_item(f"{label}: ", plain(post[key])))
        if post["next_steps"]:
            post_lines += [_item("Next steps:"), *_multiline(post["next_steps"])]
    section("postsecondary", post_lines or _none())
    early = doc.get("early_graduation")
    section(
        "early_graduation",
        [
            _item(f"Graduate early: {early['target']} (declared {early['declared_on']})"),
            _item(
                "Approvals: "
                + ", ".join(
                    f"{who} {day(early[key]) or 'pending'}"
                    for who, key in (("student", "student_approved_on"), ("parent", "parent_approved_on"), ("school official", "official_approved_on"))
                )
            ),
        ]
        if early
        else _none("No early graduation planned."),
    )
    done = [
        _item(f"{a['occurred_on'] or 'no date'} · {KINDS.get(a['kind'], a['kind'])}: ", plain(a["title"]))
        for a in doc["accomplishments"]
    ]
    section("accomplishments", done or _none())
    progress = [
        _item(f"{r['assessment']} {r['subject']} grade {r['grade']}: {r['level_name'] or r['scale_score'] or '-'}")
        for r in doc["assessment_results"]
    ]
    completed = doc["courses_completed"]
    if completed:
        earned = sum(c["credits"] for c in completed)
        progress.append(_item(f"Courses completed: {len(completed)}, {credits_text(earned)} credits earned"))
    section("progress", progress or _none("No results on file yet."))
    out += ["", _heading("Conferences this year")]
    for c in doc["conferences"]:
        out.append(_item(f"{c['held_on']} · {CONFERENCE_KINDS.get(c['kind'], c['kind'])}", f" · with {', '.join(c['attendees'])}" if c["attendees"] else ""))
        out += _multiline(c["notes"])
    if not doc["conferences"]:
        out += _none("None held yet.")
    return out


def open_comments(doc: dict, titles: dict[str, str]) -> list[Content]:
    comments = [c for c in doc["comments"] if not c["resolved_at"]]
    if not comments:
        return []
    out = [_heading("Your counselor's comments")]
    for c in comments:
        out.append(_item(f"{titles.get(c['section'], c['section'])} ({day(c['created_at'])}): ", plain(c["body"], one_line=False)))
    return out


# ---------------------------------------------------------------- the screen


class ReviewScreen(PlanSectionScreen):
    """The whole plan, the counselor's comments, and Submit for review."""

    SECTION = "Review and submit"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("s", "submit", "Submit for review")]

    def __init__(self, actor: Actor, plan: PlanRef) -> None:
        super().__init__(actor, plan)
        self.doc: dict | None = None

    def compose_body(self) -> ComposeResult:
        yield self.plan_state_line()
        yield Static("", id="review-status", classes="review-status", markup=False)
        with VerticalScroll(id="review-body", classes="section-body"):
            yield Static("", id="review-comments", markup=False)
            yield Static("Loading your plan ...", id="review-document", markup=False)
        yield self.save_state_line()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#review-body").focus()

    @property
    def titles(self) -> dict[str, str]:
        sections = SEP_SECTIONS if self.plan.kind == "SEP" else SEOP_SECTIONS
        return {s.key: s.title for s in sections if s.key != "review"}

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        doc = plan_document(self.seop.store, self.seop.ref, self.actor, self.plan)
        self.app.call_from_thread(self._show, doc)

    def _show(self, doc: dict) -> None:
        if not self.is_attached:
            return
        self.doc = doc
        comments = open_comments(doc, self.titles)
        box = self.query_one("#review-comments", Static)
        box.update(Content("\n").join([*comments, ""]) if comments else "")
        box.display = bool(comments)
        self.query_one("#review-document", Static).update(Content("\n").join(document_lines(doc, self.titles)))
        self.query_one("#review-status", Static).update(plain(self.status_words(doc)))

    def status_words(self, doc: dict) -> str:
        status, p = self.plan.status, doc["plan"]
        if status == "submitted":
            return f"Submitted for review on {day(p['submitted_at'])}. Your counselor will read it; you can change it again if they ask for changes."
        if status == "changes_requested":
            return "Your counselor asked for changes (see their comments). Make them, then press S to submit again."
        if status == "finalized":
            who = p["finalized_by"] or "your counselor"
            return f"Finalized by {who} on {day(p['finalized_at'])}. Update my plan: change any section and it becomes a draft again."
        return "When your plan is ready, press S to send it to your counselor for review."

    def plan_state(self) -> str:
        # The review screen says the plan's status in its own words below.
        return f"Plan {self.plan.school_year}: {self.plan.status_label}."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.plan.status in ("draft", "changes_requested")
        return super().check_action(action, parameters)

    def action_submit(self) -> None:
        if self.plan.status not in ("draft", "changes_requested"):
            return
        question = (
            "Send your plan to your counselor for review?\n"
            "You will not be able to change it until they finish or ask for changes."
        )
        self.app.push_screen(Question.yes_no(question, "Submit", "Not yet"), self._confirmed)

    def _confirmed(self, answer: str | None) -> None:
        if answer == "y":
            self.edit(lambda plan: plans.submit(self.seop.store, self.actor, plan), "Submitted. Your counselor will review your plan.")

    def edit_done(self, saved: str) -> None:
        self.show_plan_state()
        self.load()
