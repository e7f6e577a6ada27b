"""Student mode, part 1: the home checklist and sections 1-4 (interest inventory,
strengths, goals, career cluster), driven from sign-in by keyboard, with what the
database holds asserted after each; resume after a forced sign-out; 80x24 snapshots.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from textual import events

from screens.app import make_app
from screens.student.cluster import ClusterScreen
from screens.student.goals import GoalEditorScreen, GoalsScreen
from screens.student.inventory import InventoryScreen
from screens.student.strengths import StrengthsScreen
from screens.student_home import SECTION_SCREENS, StudentHomeScreen
from seop_tui.domain.riasec import score
from seop_tui.services import goals, plans, strengths
from seop_tui.storage import open_store
from tests.factory import PIN, District
from tests.ui.helpers import run, screen_text, settle, sign_in_as

SIZE = (80, 24)
SAE = {"S": 4, "A": 3, "E": 2, "I": 1, "R": 0, "C": 0}  # answer value by area
KEY_FOR = {value: str(value + 1) for value in range(5)}  # keys 1-5 give values 0-4


class School(District):
    """Desert High (grade 9 Nina) and Sunrise Elementary (grade 3 Theo), year 2026-27."""

    def __init__(self, store, ref):
        super().__init__(store)
        self.ref = ref
        self.hs = self.school("DHS", name="Desert High School")
        self.es = self.school("SCE", "elementary", 0, 5, name="Sunrise Elementary")
        self.counselor = self.staff("counselor", "counselor", self.hs, "Carla", "Counselor")
        self.teacher = self.staff("teacher", "teacher", self.es, "Tia", "Teacher")
        self.s9 = self.student("student9", 9, self.hs, "Nina", "Ninth", counselor_id=self.counselor)
        self.s3 = self.student("student3", 3, self.es, "Theo", "Third", teacher_id=self.teacher)

    def app(self):
        return make_app(self.store, self.ref)

    def plan(self, username: str = "student9", student_id: int | None = None):
        return plans.plan_for(self.store, self.ref, self.actor(username), student_id or self.s9)

    def rows(self, sql: str, params: tuple = ()) -> list[dict]:
        return [dict(r) for r in self.store.query(sql, params)]

    def finished_inventory(self, completed_at: str, code_values: dict[str, int], student_id: int | None = None) -> int:
        """A completed attempt with fixed dates (snapshots must not show today's date)."""
        sid = student_id or self.s9
        with self.store.write() as db:
            attempt = db["inventory_attempts"].insert({"student_id": sid, "started_at": completed_at, "completed_at": completed_at}).last_pk
            for item in self.ref.inventory.items:
                db["inventory_answers"].insert({"attempt_id": attempt, "item_id": item.id, "value": code_values[item.area], "answered_at": completed_at})
        profile = score({i.id: code_values[i.area] for i in self.ref.inventory.items}, self.ref.inventory)
        with self.store.write() as db:
            db.execute("UPDATE inventory_attempts SET holland_code = ?, scores = ? WHERE id = ?", [profile.code, json.dumps(dict(profile.scores)), attempt])
        return attempt


@pytest.fixture
def school(tmp_path, reference) -> Iterator[School]:
    store = open_store(tmp_path / "seop.db")
    yield School(store, reference)
    store.close()


async def open_key(pilot, key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def answer(pilot, values) -> None:
    for value in values:
        await pilot.press(KEY_FOR[value])
    await settle(pilot)


async def start_inventory(pilot) -> None:
    """From home: open the inventory and start it."""
    await open_key(pilot, "1")
    assert isinstance(pilot.app.screen, InventoryScreen)
    await pilot.press("enter")
    await settle(pilot)


def burst(app, *keys: str) -> None:
    """Keys arriving all at once (fast typing over SSH), as the terminal driver posts them.
    A key is a name ("tab", "space", "ctrl+o") or text typed character by character."""
    named = {"tab": "\t", "space": " ", "enter": "\r", "ctrl+o": None}
    for key in keys:
        if key in named:
            app.post_message(events.Key(key, named[key]))
        else:
            for char in key:
                app.post_message(events.Key(char, char))


def item_values(school: School, values_by_area: dict[str, int]) -> list[int]:
    return [values_by_area[item.area] for item in school.ref.inventory.items]


# -- home --------------------------------------------------------------------------


def test_home_lists_the_sections_with_states_and_what_is_due(school):
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            assert isinstance(app.screen, StudentHomeScreen)
            text = screen_text(app)
            for line in ("1  [ ] Interest inventory", "4  [ ] Career cluster and pathway", "7  [ ] Early graduation", "9  [i] My progress"):
                assert line in text
            assert "SEOP 2026-27, grade 9. Draft" in text
            assert "Choose a career cluster before the end of grade 10." in text
            assert "1 individual conference still to happen this school year." in text
        assert school.rows("SELECT kind, status, grade FROM plans") == [{"kind": "SEOP", "status": "draft", "grade": 9}]

    run(body)


def test_early_graduation_is_hidden_below_grade_9(school):
    school.student("student8", 8, school.hs, "Ed", "Eighth")

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student8", PIN)
            text = screen_text(app)
            assert "Accomplishments" in text and "Early graduation" not in text
            await open_key(pilot, "7")  # no section has this key now
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)


def test_counselor_comments_are_shown_literally_and_mark_their_section(school):
    student, counselor = school.actor("student9"), school.actor("counselor")
    plan = plans.submit(school.store, student, school.plan())
    plans.request_changes(school.store, counselor, plan, {"goals": "Add a date [b]please[/b] [@click=app.quit]x[/]"})

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            text = screen_text(app)
            assert "3  [!] Goals" in text and "needs attention" in text
            assert "Carla Counselor: Add a date [b]please[/b] [@click=app.quit]x[/]" in text
            assert "Changes requested" in text
            assert app.is_running

    run(body)


def test_a_section_not_built_yet_says_coming_soon(school, monkeypatch):
    monkeypatch.setitem(SECTION_SCREENS["SEOP"], "accomplishments", "screens.student.not_there_yet:Nothing")

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "8")
            assert isinstance(app.screen, StudentHomeScreen)
            assert "“Accomplishments” is coming soon." in [n.message for n in app._notifications]

    run(body)


# -- sections 1-4, from sign-in ----------------------------------------------------------


def test_grade_9_student_works_through_sections_1_to_4(school):
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)

            # 1. Interest inventory: Enter starts, keys 1-5 answer, the last answer scores it.
            await start_inventory(pilot)
            assert "Question 1 of 48" in screen_text(app)
            await answer(pilot, item_values(school, SAE))
            [attempt] = school.rows("SELECT * FROM inventory_attempts")
            assert attempt["holland_code"] == "SAE" and attempt["completed_at"]
            assert json.loads(attempt["scores"])["S"] == 32
            assert school.rows("SELECT count(*) AS n FROM inventory_answers") == [{"n": 48}]
            text = screen_text(app)
            assert "Your code: SAE" in text and "Social        ████████████████████ 32/32" in text
            await pilot.press("escape")
            await settle(pilot)
            assert "1  [x] Interest inventory" in screen_text(app) and "your code SAE" in screen_text(app)

            # 2. Strengths: tick from the list, own words with Enter, an area to work on.
            await open_key(pilot, "2")
            assert isinstance(app.screen, StrengthsScreen)
            await pilot.press("space")  # the first suggestion
            await pilot.press("tab", *"Fixes [b]bikes[/b]", "enter")
            await settle(pilot)
            await pilot.press("tab", "down", "space")
            await settle(pilot)
            assert [(r["kind"], r["text"], r["from_list"]) for r in school.rows("SELECT * FROM strengths ORDER BY id")] == [
                ("strength", "Good at math", 1),
                ("strength", "Fixes [b]bikes[/b]", 0),
                ("needs_attention", "Math skills", 1),
            ]
            assert "Fixes [b]bikes[/b]" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert "2  [x] Strengths and areas to work on" in screen_text(app)

            # 3. Goals: add an education goal with steps, a date and a status.
            await open_key(pilot, "3")
            assert isinstance(app.screen, GoalsScreen)
            await pilot.press("enter")  # + Add an education goal
            await settle(pilot)
            assert isinstance(app.screen, GoalEditorScreen)
            await pilot.press(*"Get a B in math by May", "tab", *"Do every homework page", "tab", *"5/29/2027", "enter")
            await settle(pilot)
            await pilot.press("tab", "right", "space")  # status: in progress
            await settle(pilot)
            await pilot.press("tab", *"Turned in all homework", "enter")
            await settle(pilot)
            [goal] = school.rows("SELECT * FROM goals")
            assert (goal["kind"], goal["text"], goal["steps"], goal["target_date"], goal["status"]) == (
                "education", "Get a B in math by May", "Do every homework page", "2027-05-29", "in_progress"
            )
            updates = school.rows("SELECT status, note FROM goal_updates ORDER BY id")
            assert updates == [{"status": "in_progress", "note": None}, {"status": "in_progress", "note": "Turned in all homework"}]
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, GoalsScreen)
            assert "Education goal · in progress · by 2027-05-29 · 2 updates" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert "3  [~] Goals" in screen_text(app)

            # 4. Career cluster: best fit first; Enter, then a pathway.
            await open_key(pilot, "4")
            assert isinstance(app.screen, ClusterScreen)
            best = app.screen.browse.clusters[0]
            assert "fit" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("enter")  # the best-fitting pathway, listed first
            await settle(pilot)
            [choice] = school.rows("SELECT * FROM cluster_choices")
            assert choice["cluster_code"] == best.cluster.code
            assert choice["pathway_code"] == best.cluster.pathways[0].code
            assert choice["grade"] == 9 and choice["chosen_by"] is not None
            assert "Your choice:" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            text = screen_text(app)
            assert "4  [x] Career cluster and pathway" in text
            assert "Choose a career cluster" not in text
        # Every change went through the plan: version bumped and audited each time.
        assert school.rows("SELECT count(*) AS n FROM audit_log WHERE action = 'change' AND student_id = ?", (school.s9,))[0]["n"] >= 48 + 3 + 3

    run(body)


def test_forced_sign_out_keeps_every_answer_and_resumes(school):
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await start_inventory(pilot)
            for value in item_values(school, SAE)[:12]:
                await pilot.press(KEY_FOR[value])
            await app.sign_out()  # at once: no settle, saves may still be queued
            await settle(pilot)
            assert school.rows("SELECT count(*) AS n FROM inventory_answers") == [{"n": 12}]

            # Typed but not yet saved: own words and a goal half written.
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "2")
            await pilot.press("tab", *"Good at chess")
            await app.sign_out()
            await settle(pilot)
            assert [r["text"] for r in school.rows("SELECT text FROM strengths")] == ["Good at chess"]

            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "3")
            await pilot.press("down", "enter")  # + Add a career goal (below + Add an education goal)
            await settle(pilot)
            await pilot.press(*"Shadow a nurse", "tab", *"Ask the school nurse", "tab", *"not a date")
            await app.sign_out()
            await settle(pilot)
            [goal] = school.rows("SELECT kind, text, steps, target_date FROM goals")
            assert goal == {"kind": "career", "text": "Shadow a nurse", "steps": "Ask the school nurse", "target_date": None}

            await sign_in_as(pilot, "student9", PIN)
            assert "12 of 48 answered" in screen_text(app)
            await open_key(pilot, "1")
            assert "Question 13 of 48" in screen_text(app)
            await answer(pilot, item_values(school, SAE)[12:])
        [attempt] = school.rows("SELECT holland_code FROM inventory_attempts")
        assert attempt["holland_code"] == "SAE"

    run(body)


def test_answers_typed_in_a_burst_just_before_sign_out_are_kept(school):
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await start_inventory(pilot)
            burst(app, "2345", "ctrl+o")
            await pilot.pause(0.2)
            await settle(pilot)
            assert app.actor is None
        assert [r["value"] for r in school.rows("SELECT value FROM inventory_answers ORDER BY rowid")] == [1, 2, 3, 4]

    run(body)


def test_retake_keeps_the_history(school):
    school.finished_inventory("2025-10-02T16:00:00+00:00", {"R": 4, "I": 3, "C": 2, "A": 0, "S": 0, "E": 0})

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "1")
            assert "Your code: RIC" in screen_text(app)
            await pilot.press("r")
            await settle(pilot)
            assert "Question 1 of 48" in screen_text(app)
            await answer(pilot, item_values(school, SAE))
            text = screen_text(app)
            assert "Your code: SAE" in text
            assert "Earlier results: 2025-10-02  RIC" in text  # kept
        assert [r["holland_code"] for r in school.rows("SELECT holland_code FROM inventory_attempts ORDER BY id")] == ["RIC", "SAE"]

    run(body)


def test_a_bad_date_is_explained_and_nothing_typed_is_lost(school):
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "3")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press(*"Read 10 books", "tab", "tab", *"next May", "enter")
            await settle(pilot)
            assert "is not a date I can read" in app.screen.state_text
            await pilot.press("escape")  # stays: the date needs fixing first
            await settle(pilot)
            assert isinstance(app.screen, GoalEditorScreen)
            # The goal itself was saved on leaving its field; the date waits to be fixed.
            assert school.rows("SELECT text, target_date FROM goals") == [{"text": "Read 10 books", "target_date": None}]
            assert app.screen.query_one("#goal-date").value == "next May"
            field = app.screen.query_one("#goal-date")
            field.value = "2027-05-01"
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, GoalsScreen)
        assert school.rows("SELECT text, target_date FROM goals") == [{"text": "Read 10 books", "target_date": "2027-05-01"}]

    run(body)


def test_a_goal_is_removed_only_after_yes(school):
    plan = school.plan()
    plan, gid = goals.save_goal(school.store, school.actor("student9"), plan, kind="education", text="Pass [b]all[/b]")
    goals.add_update(school.store, school.actor("student9"), plan, gid, "Halfway there")

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "3")
            await pilot.press("delete")
            await settle(pilot)
            assert "Remove this goal and its updates?" in screen_text(app) and "Pass [b]all[/b]" in screen_text(app)
            await pilot.press("n")
            await settle(pilot)
            assert school.rows("SELECT count(*) AS n FROM goals") == [{"n": 1}]
            await pilot.press("delete", "y")
            await settle(pilot)
            assert "+ Add an education goal" in screen_text(app)
        assert school.rows("SELECT (SELECT count(*) FROM goals) AS g, (SELECT count(*) FROM goal_updates) AS u") == [{"g": 0, "u": 0}]

    run(body)


def test_a_submitted_plan_is_read_only_with_the_reason(school):
    plans.submit(school.store, school.actor("student9"), school.plan())

    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "1")
            await pilot.press("enter", "3")
            await settle(pilot)
            assert "read-only" in screen_text(app)
            await pilot.press("escape")
            await open_key(pilot, "4")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ClusterScreen)  # no pathway picker
            assert "counselor" in app.screen.state_text
        assert school.rows("SELECT count(*) AS n FROM inventory_attempts") == [{"n": 0}]
        assert school.rows("SELECT count(*) AS n FROM cluster_choices") == [{"n": 0}]

    run(body)


def test_a_change_made_elsewhere_is_not_overwritten(school):
    async def body():
        app = school.app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot, "student9", PIN)
            await open_key(pilot, "2")
            # Meanwhile the counselor edits the plan in another session.
            plan = plans.reload(school.store, app.screen.plan)
            with plans.editing(school.store, school.actor("counselor"), plan, "strength added") as db:
                db["strengths"].insert({"plan_id": plan.id, "kind": "strength", "text": "Kind to others"})
            await pilot.press("space")
            await settle(pilot)
            assert "changed by Carla Counselor" in app.screen.state_text
            assert [r["text"] for r in school.rows("SELECT text FROM strengths")] == ["Kind to others"]
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert "Kind to others" in screen_text(app)
            await pilot.press("down", "space")
            await settle(pilot)
        assert [r["text"] for r in school.rows("SELECT text FROM strengths ORDER BY id")] == ["Kind to others", "Good at math"]

    run(body)


# -- snapshots at 80x24 ---------------------------------------------------------------


def _fill_some(school: School) -> None:
    student = school.actor("student9")
    plan = school.plan()
    plan, _ = strengths.add_trait(school.store, student, plan, "strength", "Good at math")
    plan, _ = strengths.add_trait(school.store, student, plan, "strength", "Builds [b]robots[/b]")
    plan, _ = goals.save_goal(school.store, student, plan, kind="education", text="Get a B in Secondary Math I", target_date="2027-05-29", status="in_progress")
    with school.store.write() as db:
        db["assessment_results"].insert({"student_id": school.s9, "assessment": "RISE", "subject": "MATH", "grade": 8, "level": 3})
        db["assessment_results"].insert({"student_id": school.s9, "assessment": "RISE", "subject": "ELA", "grade": 8, "level": 2})
        db["credits_earned"].insert({"student_id": school.s9, "course_name": "English 9", "area": "language_arts", "credits": 1.0, "grade": 9})


def _signed_in_at(key: str | None, username: str = "student9", *keys: str):
    async def go(pilot):
        await sign_in_as(pilot, username, PIN)
        if key:
            await open_key(pilot, key)
        for k in keys:
            await pilot.press(k)
        await settle(pilot)

    return go


def test_snapshot_home(school, snap_compare):
    _fill_some(school)
    school.finished_inventory("2026-09-20T16:00:00+00:00", SAE)
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at(None))


def test_snapshot_home_sep(school, snap_compare):
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at(None, "student3"))


def test_snapshot_inventory_item(school, snap_compare):
    async def go(pilot):
        await _signed_in_at("1", "student9", "enter")(pilot)
        await answer(pilot, [4, 3, 2])
        await pilot.press("backspace")
        await settle(pilot)

    assert snap_compare(school.app(), terminal_size=SIZE, run_before=go)


def test_snapshot_inventory_result(school, snap_compare):
    school.finished_inventory("2025-10-02T16:00:00+00:00", {"R": 4, "I": 3, "C": 2, "A": 0, "S": 0, "E": 0})
    school.finished_inventory("2026-09-20T16:00:00+00:00", SAE)
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at("1"))


def test_snapshot_strengths(school, snap_compare):
    _fill_some(school)
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at("2"))


def test_snapshot_goals(school, snap_compare):
    _fill_some(school)
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at("3"))


def test_snapshot_goal_editor(school, snap_compare):
    _fill_some(school)
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at("3", "student9", "enter"))


def test_snapshot_cluster_browser(school, snap_compare):
    school.finished_inventory("2026-09-20T16:00:00+00:00", SAE)
    assert snap_compare(school.app(), terminal_size=SIZE, run_before=_signed_in_at("4"))
