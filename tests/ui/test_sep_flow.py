"""The SEP (K-5) flow from sign-in: a grade-3 child with an adult fills in what
they are good at, what they are working on, a school goal and a "jobs I wonder
about" goal with who will help watch each; the database is checked after each."""

from __future__ import annotations

import json

from screens.student.sep import SepGoalsScreen, SepStrengthsScreen
from screens.student_home import StudentHomeScreen
from tests.factory import PIN
from tests.ui.helpers import run, screen_text, settle, sign_in_as
from tests.ui.test_student_part1 import SIZE, burst, open_key, school  # noqa: F401  (school is a fixture)


def test_grade_3_sep_from_sign_in(school):  # noqa: F811
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student3", PIN)
            text = screen_text(app)
            assert "SEP 2026-27, grade 3" in text
            assert "1  [ ] What I am good at and what I am working on" in text
            assert "Interest inventory" not in text and "Career cluster" not in text

            # 1. What I am good at / What I am working on.
            await open_key(pilot, "1")
            assert isinstance(app.screen, SepStrengthsScreen)
            assert "What I am good at" in screen_text(app)
            await pilot.press("space", "tab", *"I build with blocks", "enter")
            await settle(pilot)
            await pilot.press("tab", "down", "down", "space")
            await settle(pilot)
            rows = school.rows("SELECT kind, text FROM strengths ORDER BY id")
            assert rows == [
                {"kind": "strength", "text": "Reading"},
                {"kind": "strength", "text": "I build with blocks"},
                {"kind": "needs_attention", "text": "Spelling"},
            ]
            await pilot.press("escape")
            await settle(pilot)
            assert "1  [x] What I am good at" in screen_text(app)

            # 2. My goals: a school goal and a jobs-I-wonder-about goal, each with helpers.
            await open_key(pilot, "2")
            assert isinstance(app.screen, SepGoalsScreen)
            await pilot.press(*"Read 20 minutes every night", "tab", *"Read with Mom", "tab")
            await pilot.press("space", "tab", "space", "tab", "space", "tab")  # me, my parent, my teacher
            await pilot.press(*"What does a vet do?", "tab", "tab", "space", "tab", "tab", "space")  # me, my teacher
            await settle(pilot)
            goals = school.rows("SELECT kind, text, steps, monitors FROM goals ORDER BY id")
            assert [(g["kind"], g["text"], g["steps"], json.loads(g["monitors"])) for g in goals] == [
                ("education", "Read 20 minutes every night", "Read with Mom", ["student", "parent", "teacher"]),
                ("career_awareness", "What does a vet do?", "", ["student", "teacher"]),
            ]
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)
            text = screen_text(app)
            assert "2  [x] My goals" in text
            # Policy 4030 3.1.3.3: student, parent and teacher watch each goal.
            assert "Goals: career-awareness goal not yet reviewed by a parent or guardian." in text

            # A forced sign-out keeps what was typed; the next sign-in shows it.
            await open_key(pilot, "2")
            await pilot.press("ctrl+e", *" and talk about it")
            await app.sign_out()
            await settle(pilot)
            assert school.rows("SELECT text FROM goals WHERE kind = 'education'") == [{"text": "Read 20 minutes every night and talk about it"}]
            await sign_in_as(pilot, "student3", PIN)
            await open_key(pilot, "2")
            assert app.screen.query_one("#education-text").value == "Read 20 minutes every night and talk about it"
            assert app.screen.query_one("#career_awareness-teacher").value is True

    run(body)


def test_a_fast_burst_of_keys_lands_in_the_right_fields(school):  # noqa: F811
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student3", PIN)
            await open_key(pilot, "2")
            burst(app, "Read at night", "tab", "With Dad", "tab", "space", "tab", "space", "tab", "tab", "Vets", "tab", "tab", "tab", "space")
            await pilot.pause(0.2)
            await settle(pilot)
            await app.sign_out()
            await settle(pilot)
        goals = school.rows("SELECT kind, text, steps, monitors FROM goals ORDER BY id")
        assert [(g["kind"], g["text"], g["steps"], json.loads(g["monitors"])) for g in goals] == [
            ("education", "Read at night", "With Dad", ["student", "parent"]),
            ("career_awareness", "Vets", "", ["parent"]),
        ]

    run(body)


def test_typing_in_a_saved_goal_adds_to_it(school):  # noqa: F811
    """Coming back to a goal, a child's first key press must not wipe what was saved."""
    from seop_tui.services import goals

    child = school.actor("student3")
    goals.save_goal(school.store, child, school.plan("student3", school.s3), kind="education", text="Read every night", monitors=["student"])

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student3", PIN)
            await open_key(pilot, "2")
            box = app.screen.query_one("#education-text")
            assert app.screen.focused is box and box.value == "Read every night"
            await pilot.press(*" with Dad")
            await app.sign_out()
            await settle(pilot)
        assert school.rows("SELECT text FROM goals WHERE kind = 'education'") == [{"text": "Read every night with Dad"}]

    run(body)


def test_escape_keeps_a_goal_typed_but_not_yet_saved(school):  # noqa: F811
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student3", PIN)
            await open_key(pilot, "2")
            await pilot.press(*"Read every night", "escape")
            await settle(pilot)
            assert isinstance(app.screen, StudentHomeScreen)
            assert "2  [~] My goals" in screen_text(app)
        assert school.rows("SELECT kind, text FROM goals") == [{"kind": "education", "text": "Read every night"}]

    run(body)


def test_snapshot_sep_goals(school, snap_compare):  # noqa: F811
    from seop_tui.services import goals

    child = school.actor("student3")
    plan = school.plan("student3", school.s3)
    plan, _ = goals.save_goal(school.store, child, plan, kind="education", text="Read 20 minutes every night", monitors=["student", "parent"])

    async def go(pilot):
        await sign_in_as(pilot, "student3", PIN)
        await open_key(pilot, "2")

    assert snap_compare(school.app(), terminal_size=SIZE, run_before=go)


def test_snapshot_sep_strengths(school, snap_compare):  # noqa: F811
    async def go(pilot):
        await sign_in_as(pilot, "student3", PIN)
        await open_key(pilot, "1")
        await pilot.press("space")
        await settle(pilot)

    assert snap_compare(school.app(), terminal_size=SIZE, run_before=go)


def test_the_home_footer_keeps_only_the_keys_it_shows(school):  # noqa: F811
    """Opening and closing sections all session long must not pile up old key hints
    (each one was kept by the footer before, half a MiB per section opened)."""
    from textual.widgets._footer import FooterKey

    from screens.base import SessionFooter

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student3", PIN)
            home = app.screen
            footer = home.query_one(SessionFooter)
            for _ in range(6):
                await open_key(pilot, "2")
                await pilot.press("escape")
                await settle(pilot)
            assert app.screen is home
            shown = len(footer.query(FooterKey))
            bound = getattr(footer, "__watchers", {}).get("compact", [])
            assert 0 < len(bound) <= shown

    run(body)
