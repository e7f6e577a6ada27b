"""Text people typed is shown exactly as typed (minus control characters) on every
screen, and triggers nothing.

The victims of tests/security/world.py have hostile text in every user-text
column of the schema: `[bold]`, `[/]`, `[/`, `[@click=app.quit]x[/]`,
`[link=https://x]y[/link]`, an OSC 52 clipboard write and a clear-screen
sequence, each ending in a unique tag. Every screen class under screens/ is
opened with them (found by introspection: a new screen is covered when its
constructor takes the usual arguments, else add it to BUILDERS or SKIPPED).
On each screen:

- every tag on screen is preceded by exactly the text stored (so no markup was
  applied), and at least one tag is on screen;
- the bytes that would go to the terminal hold no OSC 52, clear-screen or bell;
- clicking on each `[@click=...]` text runs nothing: the app keeps running, the
  person stays signed in, nothing is copied and no link is opened.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from textual.screen import Screen

import screens
from screens.app import NO_LINKS, make_app
from screens.base import SectionScreen, SessionScreen
from seop_tui.services import privacy
from tests.security.world import STRUCTURED, USER_TEXT, World, shown, text_columns
from tests.ui.helpers import run

SIZE = (160, 70)  # roomy, so most of each screen's text is on screen at once
TAG = re.compile(r"#T\d{3}")


# -- the data covers the schema ------------------------------------------------------------------


def test_every_text_column_is_classified(world):
    """A migration that adds a text column must say whether people type into it."""
    unclassified = [
        f"{table}.{col}"
        for table, cols in text_columns(world.store).items()
        for col in cols
        if col not in USER_TEXT.get(table, ()) and col not in STRUCTURED.get(table, ())
    ]
    assert not unclassified, f"classify in tests/security/world.py (USER_TEXT or STRUCTURED): {unclassified}"


def test_every_part_of_a_record_is_seeded_with_hostile_text(world):
    linked = privacy.linked_rowids(world.store.conn, world.students["victim_h"])
    tables_linked_to_students = {t for t, cols in privacy._foreign_keys(world.store.conn).items() for _, target in cols if target in linked}
    missing = sorted(t for t in tables_linked_to_students if not linked.get(t) and t not in ("staff", "accounts", "schools", "school_years"))
    assert not missing, f"seed these tables in tests/security/world.py seed_record: {missing}"
    plain_values = []
    for table, rowids in linked.items():
        for row in privacy._table_rows(world.store.conn, {table: rowids})[table]:
            for col in USER_TEXT.get(table, ()):
                if row.get(col) is not None and not TAG.search(str(row[col])):
                    plain_values.append(f"{table}.{col}")
    assert not plain_values, f"user text not hostile: {sorted(set(plain_values))}"


# -- every screen ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    who: str  # who is signed in
    victim: str  # whose record the screen shows
    build: Callable[[object, World], Screen | None]  # None: the home screen itself


def _with_service(build):
    return build


def _generic(cls: type[Screen], victim: str) -> Callable[[object, World], Screen]:
    params = [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]

    def build(app, w: World) -> Screen:
        args = []
        for p in params:
            if p.default is not p.empty:
                continue
            if p.name == "actor":
                args.append(app.actor)
            elif p.name == "student_id":
                args.append(w.students[victim])
            elif p.name == "student_ids":
                args.append([w.students[victim]])
            elif p.name == "plan":
                args.append(w.plan(victim))
            elif p.name == "version_id":
                args.append(w.rows[victim]["plan_versions"])
            else:
                raise LookupError(f"{cls.__module__}.{cls.__name__}: add it to BUILDERS or SKIPPED (argument {p.name!r})")
        return cls(*args)

    return build


def _service(fn_path: str, *args_of: str):
    """The first item a service returns for the victim, e.g. an invitation to show in a form."""

    def get(app, w: World, victim: str):
        module, fn = fn_path.rsplit(".", 1)
        service = getattr(importlib.import_module(f"seop_tui.services.{module}"), fn)
        found = service(app.seop_store if hasattr(app, "seop_store") else app.store, app.actor, *(w.students[victim] if a == "student_id" else w.plan(victim) for a in args_of))
        return found[0]

    return get


# Screens whose arguments are not just the actor and a student or plan: how to open them.
BUILDERS: dict[str, Callable] = {
    "screens.student.goals.GoalEditorScreen": lambda app, w, v: _cls("screens.student.goals.GoalEditorScreen")(
        app.actor, w.plan(v), "education", _service("goals.goals", "plan")(app, w, v)
    ),
    "screens.student.accomplishments.AccomplishmentForm": lambda app, w, v: _cls("screens.student.accomplishments.AccomplishmentForm")(
        app.actor, w.plan(v), _service("accomplishments.list_for", "student_id")(app, w, v)
    ),
    "screens.student.course_plan.CoursePickerScreen": lambda app, w, v: _cls("screens.student.course_plan.CoursePickerScreen")(
        _course_plan(app, w, v), 10, None
    ),
    "screens.staff.involvement_form.InvitationForm": lambda app, w, v: _cls("screens.staff.involvement_form.InvitationForm")(
        app.actor, w.students[v], tuple(_services("involvement.guardians")(app.store, app.actor, w.students[v]))
    ),
    "screens.staff.involvement_form.ResponseForm": lambda app, w, v: _cls("screens.staff.involvement_form.ResponseForm")(
        app.actor, _service("involvement.list_for", "student_id")(app, w, v)
    ),
    "screens.staff.training.TrainingForm": lambda app, w, v: _cls("screens.staff.training.TrainingForm")(
        app.actor, _services("training.report")(app.store, app.ref, app.actor)[0]
    ),
    # The dashboard's school filter, opened: the schools' names as the dashboard lists them.
    "screens.staff.choice.ChoiceMenu": lambda app, w, v: _cls("screens.staff.choice.ChoiceMenu")(
        "All schools",
        [(f"{s.code} {s.name}", s.id) for s in _services("caseload.schools_for")(app.store, app.actor)],
        None,
        _cls("textual.geometry.Region")(0, 2, 14, 1),
    ),
}
# Screens that show nothing stored that a person typed.
SKIPPED = {
    "screens.errors.ErrorScreen": "a fixed message",
    "screens.signin.SignInScreen": "no stored text but the district name from the data files (tests/ui/test_shell.py)",
    "screens.question.Question": "a question written by the app",
    "screens.keys.KeysScreen": "key names and descriptions written by the app",
    "screens.staff.compliance_report.PathPrompt": "a file path prompt",
    "screens.student.cluster.PathwayScreen": "the district's cluster data only",
    "screens.staff.conference_form.FormModal": "a base class",
}
# Forms for a new entry: nothing stored is on them until a list is opened.
NO_STORED_TEXT = {
    "screens.staff.progress_entry.AccomplishmentForm",
    "screens.staff.progress_entry.AssessmentForm",
    "screens.staff.progress_entry.CreditForm",
    "screens.staff.involvement_form.InvitationForm",
}
# Who opens which screens (staff screens: the victim's counselor, or teacher for the SEP victim).
def _who(name: str) -> tuple[str, str]:
    sep = ".sep." in name or name.endswith("SepGoalsScreen")
    if name.startswith("screens.student.") or name == "screens.student_home.StudentHomeScreen":
        return ("victim_e", "victim_e") if sep else ("victim_h", "victim_h")
    return "counselor_h", "victim_h"


def _cls(path: str) -> type:
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _services(path: str):
    module, fn = path.rsplit(".", 1)
    return getattr(importlib.import_module(f"seop_tui.services.{module}"), fn)


def _course_plan(app, w: World, victim: str):
    return _services("course_plan.course_plan")(app.store, app.ref, app.actor, w.plan(victim))


def screen_classes() -> list[str]:
    found = set()
    for info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, Screen) and cls not in (SessionScreen, SectionScreen):
                found.add(f"{module.__name__}.{name}")
    return sorted(found)


def cases() -> list[Case]:
    out = []
    for name in screen_classes():
        if name in SKIPPED:
            continue
        who, victim = _who(name)
        if name in ("screens.student_home.StudentHomeScreen", "screens.staff_home.StaffHomeScreen"):
            out.append(Case(name, who, victim, lambda app, w: None))
        elif name in BUILDERS:
            out.append(Case(name, who, victim, (lambda b, v: lambda app, w: b(app, w, v))(BUILDERS[name], victim)))
        else:
            out.append(Case(name, who, victim, (lambda cls, v: lambda app, w: _generic(cls, v)(app, w))(_cls(name), victim)))
    # The SEP side too: the elementary student's home and the teacher's view of them.
    out.append(Case("StudentHomeScreen (SEP)", "victim_e", "victim_e", lambda app, w: None))
    out.append(Case("StudentRecordScreen (SEP, teacher)", "teacher_e", "victim_e", lambda app, w: _cls("screens.staff.student_record.StudentRecordScreen")(app.actor, w.students["victim_e"])))
    return out


CASES = cases()


def test_every_screen_is_covered():
    covered = {c.name for c in CASES} | set(SKIPPED)
    assert set(screen_classes()) <= covered


async def _settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _terminal_bytes(app) -> str:
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def _holding_controls(screen) -> list[str]:
    """Widgets whose value or text holds control characters (an edit field filled
    with a stored value as it is, not through screens.text.clean)."""
    found = []
    for widget in screen.query("*"):
        for attr in ("value", "text"):
            value = getattr(widget, attr, None)
            if isinstance(value, str) and value != shown(value).replace(" ", "") and any(c in value for c in "\x1b\x07\x9b"):
                found.append(f"{type(widget).__name__}#{widget.id}.{attr}")
    return found or ["(a widget rendering stored text as it is)"]


def _lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.removeprefix("screens."))
def test_hostile_text_shows_literally_and_triggers_nothing(world, ref, case, monkeypatch):
    copied, opened = [], []
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: opened.append(a))

    async def body():
        app = make_app(world.store, ref, idle_seconds=0)
        app.copy_to_clipboard = lambda text: copied.append(text)
        async with app.run_test(size=SIZE) as pilot:
            await app.start_session(world.actor(case.who))
            await _settle(pilot)
            screen = case.build(app, world)
            if screen is not None:
                await app.push_screen(screen)
                await _settle(pilot)
            shown_screen = app.screen
            lines = _lines(app)
            text = "\n".join(lines)
            tags = sorted(set(TAG.findall(text)))
            assert tags or case.name in NO_STORED_TEXT, f"{case.name}: no stored text on screen:\n{text}"
            for tag in tags:
                expected = shown(world.texts[tag])
                assert expected in text, f"{case.name}: {expected!r} not shown exactly:\n{text}"
            raw = _terminal_bytes(app)
            for bad in ("\x1b]52", "\x1b[2J", "\x07", "\x9b"):
                assert bad not in raw, f"{case.name}: {bad!r} would reach the terminal from {_holding_controls(app.screen)}"
            # Click on "[@click=...]" text (the first two places): nothing may run.
            spots = [(m.start() + 1, y) for y, line in enumerate(lines) for m in re.finditer(re.escape("[@click=app.quit]x[/]"), line)]
            for spot in spots[:2]:
                if app.screen is not shown_screen:  # a click may rightly open a row
                    break
                await pilot.click(offset=spot)
                await pilot.pause()
                assert app.is_running and app.actor is not None, f"{case.name}: a click ran an action"
            assert NO_LINKS not in [n.message for n in app._notifications]

    run(body)
    assert copied == [] and opened == []
