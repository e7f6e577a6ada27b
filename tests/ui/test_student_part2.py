"""Student plan sections 5-10 at 80x24: course plan, after high school, early
graduation, accomplishments, my progress, review and submit.

Each test signs in, opens the section on the session stack (as the home does, with
`Screen(actor, plan)`), works it by keyboard and asserts what the database holds.
Snapshots are at the end; review changes in snapshot_report.html before updating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from textual.widgets import Input, Static, TextArea

from screens.signin import SignInScreen
from screens.student.accomplishments import AccomplishmentForm, AccomplishmentsScreen
from screens.student.course_plan import CoursePickerScreen, CoursePlanScreen
from screens.student.early_graduation import EarlyGraduationScreen
from screens.student.postsecondary import PostsecondaryScreen
from screens.student.progress import ProgressScreen
from screens.question import Question
from screens.student.review import ReviewScreen
from seop_tui.services import course_plan, plans
from tests.ui.helpers import CREATED, STUDENT_PIN, run, screen_text, settle, sign_in_as

SIZE = (80, 24)
FALL = date(2026, 10, 1)


@dataclass
class HighSchool:
    store: object
    ref: object
    nina: int  # grade 9, cohort 2026
    omar: int  # grade 10, a year on the transcript
    counselor_account: int
    counselor_id: int

    def plan(self, student_id: int):
        return plans.load_plan(self.store, self.store.one("SELECT id FROM plans WHERE student_id = ?", (student_id,))[0])

    def counselor(self):
        from seop_tui.services.auth import _actor_for

        return _actor_for(self.store, self.store.one("SELECT * FROM accounts WHERE id = ?", (self.counselor_account,)), "test")


@pytest.fixture
def hs(district, hashes) -> HighSchool:
    """The UI district plus a school year, a high school, its counselor and two students."""
    store = district.store
    with store.write() as db:
        db["school_years"].insert({"name": "2026-27", "starts_on": "2026-08-15", "ends_on": "2027-05-29", "is_current": 1})
        school = db["schools"].insert({"code": "DHHS", "name": "Desert Hills High", "kind": "high", "low_grade": 9, "high_grade": 12}).last_pk
        account = db["accounts"].insert({"username": "hana.counselor", "role": "counselor", "secret_hash": hashes["counselor"], "created_at": CREATED}).last_pk
        counselor = db["staff"].insert({"account_id": account, "given_name": "Hana", "family_name": "Okafor", "role": "counselor", "school_id": school}).last_pk
        ids = []
        for username, given, grade in (("nina", "Nina", 9), ("omar", "Omar", 10)):
            student_account = db["accounts"].insert({"username": username, "role": "student", "secret_hash": hashes["student"], "created_at": CREATED}).last_pk
            ids.append(
                db["students"].insert(
                    {
                        "account_id": student_account, "student_number": f"HS-{username}", "given_name": given, "family_name": "Student",
                        "grade": grade, "school_id": school, "counselor_id": counselor, "cohort_year": 2026 - (grade - 9),
                    }
                ).last_pk
            )
        db["cluster_choices"].insert({"student_id": ids[0], "cluster_code": "HS", "pathway_code": "HS-NUR", "grade": 9, "chosen_on": "2026-09-01"})
        for code, name, area, sub in (("ENG9", "English 9", "language_arts", None), ("SM1", "Secondary Math I", "mathematics", None)):
            db["credits_earned"].insert(
                {"student_id": ids[1], "course_code": code, "course_name": name, "area": area, "subarea": sub, "credits": 1.0,
                 "grade": 9, "school_year": "2025-26", "mark": "A-"}
            )
    return HighSchool(store, district.ref, ids[0], ids[1], account, counselor)


async def open_section(pilot, hs: HighSchool, screen_class, username: str = "nina"):
    """Sign in and open a section over the home, as the home does."""
    await sign_in_as(pilot, username, STUDENT_PIN)
    app = pilot.app
    plan = plans.plan_for(hs.store, hs.ref, app.actor, app.actor.student_id)
    screen = screen_class(app.actor, plan)
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_in(pilot, text: str) -> None:
    await press(pilot, *text)


def shown(screen, selector: str) -> str:
    """The text a Static holds, scrolled into view or not."""
    content = screen.query_one(selector, Static).content
    return getattr(content, "plain", str(content))


def entries(hs: HighSchool, student_id: int) -> list[tuple[str, int]]:
    return [tuple(r) for r in hs.store.query("SELECT course_code, grade FROM course_plan_entries WHERE student_id = ? ORDER BY id", (student_id,))]


# ------------------------------------------------------------------ course plan


def test_course_plan_add_remove_and_live_audit(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, CoursePlanScreen)
            assert "Grade 9: 0 credits" in screen_text(app)
            await press(pilot, "a")
            assert isinstance(app.screen, CoursePickerScreen)
            await type_in(pilot, "english 9")
            await press(pilot, "enter")
            assert entries(hs, hs.nina) == [("ENG9", 9)]
            assert screen.state_text == "Saved: English 9 added to grade 9."
            assert "English 9" in screen_text(app) and "planned" in screen_text(app)
            assert "0 earned + 1 planned of 24" in screen_text(app)  # the audit line follows at once

            # Grade 10, only the nursing pathway's courses.
            await press(pilot, "right", "a", "ctrl+t")
            assert "Medical Terminology" in screen_text(app) and "Biology" not in screen_text(app)
            await type_in(pilot, "terminology")
            await press(pilot, "enter")
            assert entries(hs, hs.nina) == [("ENG9", 9), ("CTE-NUR2", 10)]

            await press(pilot, "d")
            assert entries(hs, hs.nina) == [("ENG9", 9)]
            assert screen.state_text == "Saved: Medical Terminology removed from grade 10."

            # The audit tab: areas with their state in words, the pathway, no warnings.
            await press(pilot, "right", "right", "right")
            text = screen_text(app)
            assert "Language Arts" in text and "~ planned" not in text and "✗ missing" in text
            assert "Nursing & Patient Care (Health Science)" in text
            assert hs.plan(hs.nina).version == 4

    run(body)


def test_earned_courses_and_past_grades_stay(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, CoursePlanScreen, "omar")
            await press(pilot, "left")  # grade 10 opens first; grade 9 is on the transcript
            text = screen_text(app)
            assert "English 9" in text and "earned (A-)" in text
            await press(pilot, "d")
            assert "on your transcript" in screen.state_text
            await press(pilot, "a")
            assert "Grade 9 is over" in screen.state_text and not isinstance(app.screen, CoursePickerScreen)
            assert hs.store.one("SELECT count(*) FROM credits_earned WHERE student_id = ?", (hs.omar,))[0] == 2
            assert entries(hs, hs.omar) == []

    run(body)


def test_a_change_made_elsewhere_gives_a_conflict_then_reload(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, CoursePlanScreen)
            course_plan.add_course(hs.store, hs.ref, hs.counselor(), hs.plan(hs.nina), "BIO", 9)  # the counselor, meanwhile
            await press(pilot, "a")
            await type_in(pilot, "english 9")
            await press(pilot, "enter")
            assert "changed by Hana Okafor" in screen.state_text and "Ctrl+R" in screen.state_text
            assert entries(hs, hs.nina) == [("BIO", 9)]
            assert "Reload" in screen_text(app)  # the key is offered in the footer
            await press(pilot, "ctrl+r")
            assert "Biology" in screen_text(app)
            await press(pilot, "a")
            await type_in(pilot, "english 9")
            await press(pilot, "enter")
            assert entries(hs, hs.nina) == [("BIO", 9), ("ENG9", 9)]

    run(body)


# ---------------------------------------------------------------- after high school


def post_row(hs):
    return hs.store.one("SELECT * FROM postsecondary_plans")


def test_after_high_school_saves_and_keeps_work_at_sign_out(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, PostsecondaryScreen)
            await press(pilot, "enter", "down", "enter")  # the choice: University
            await press(pilot, "tab")
            await type_in(pilot, "[bold]Utah Tech[/]")
            assert "Not saved yet" in screen.state_text
            await press(pilot, "ctrl+s")
            row = post_row(hs)
            assert (row["education_choice"], row["institution"]) == ("university", "[bold]Utah Tech[/]")
            assert screen.state_text == "Saved."
            assert "[bold]Utah Tech[/]" in screen_text(app)  # shown literally

            # Too long: refused with the limit named; the text stays in the box.
            screen.query_one("#next_steps", TextArea).text = "x" * 4001
            await press(pilot, "ctrl+s")
            assert "too long" in screen.state_text and "4,000" in screen.state_text
            assert screen.query_one("#next_steps", TextArea).text == "x" * 4001
            assert post_row(hs)["next_steps"] == ""

            screen.query_one("#next_steps", TextArea).text = "Visit campus in spring"
            screen.query_one("#occupations", Input).value = "Nurse"
            await pilot.pause()
            await press(pilot, "ctrl+o")  # signed out before the autosave
            assert isinstance(app.screen, SignInScreen)
            row = post_row(hs)
            assert (row["next_steps"], row["occupations"]) == ("Visit campus in spring", "Nurse")

    run(body)


def test_after_high_school_autosaves_and_escape_saves(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, PostsecondaryScreen)
            screen.query_one("#program", Input).value = "Nursing"
            await pilot.pause(2.5)  # the autosave delay
            await settle(pilot)
            assert post_row(hs)["program"] == "Nursing" and screen.state_text == "Saved."
            screen.query_one("#program", Input).value = "Nursing (BSN)"
            await press(pilot, "escape")
            assert post_row(hs)["program"] == "Nursing (BSN)"
            assert not isinstance(app.screen, PostsecondaryScreen)

    run(body)


# ---------------------------------------------------------------- early graduation


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(EarlyGraduationScreen, "today", staticmethod(lambda: FALL))


def early_rows(hs):
    return [dict(r) for r in hs.store.query("SELECT * FROM early_graduation_plans ORDER BY id")]


def test_early_graduation_declare_approve_withdraw(hs, fixed_today):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, EarlyGraduationScreen)
            await press(pilot, "enter", "down", "down", "down", "enter")  # End of grade 11
            assert "Can your plan meet every requirement by then? Not yet." in screen_text(app)
            await press(pilot, "ctrl+s")
            (row,) = early_rows(hs)
            assert (row["target_grade"], row["target_term"], row["declared_on"], row["student_approved_on"]) == (11, "spring", "2026-10-01", None)
            assert screen.state_text.startswith("Saved: you plan to graduate at the end of grade 11")
            await press(pilot, "ctrl+y")
            assert early_rows(hs)[0]["student_approved_on"] == "2026-10-01"
            assert "Student: approved 2026-10-01" in shown(screen, "#eg-approvals")
            assert "Parent or guardian: pending" in shown(screen, "#eg-approvals")
            await press(pilot, "ctrl+n")
            assert isinstance(app.screen, Question)
            await press(pilot, "y")
            assert early_rows(hs)[0]["withdrawn_on"] == "2026-10-01"
            assert "declared 2026-10-01, withdrawn 2026-10-01" in shown(screen, "#eg-history")
            assert "You have not declared early graduation" in shown(screen, "#eg-current")

    run(body)


def test_early_graduation_is_not_offered_in_middle_school(district, hs, fixed_today):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            from tests.ui.helpers import STUDENT_USERNAME

            await open_section(pilot, hs, EarlyGraduationScreen, STUDENT_USERNAME)  # Ava, grade 7
            text = screen_text(app)
            assert "can be planned from grade 9" in text and "Declare" not in text
            await press(pilot, "ctrl+s")
            assert early_rows(hs) == []

    run(body)


# ---------------------------------------------------------------- accomplishments


def accomplishment_rows(hs):
    return [tuple(r) for r in hs.store.query("SELECT kind, title, occurred_on, hours, description FROM accomplishments ORDER BY id")]


def test_accomplishments_add_change_remove(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, AccomplishmentsScreen)
            await press(pilot, "a")
            form = app.screen
            assert isinstance(form, AccomplishmentForm)
            await press(pilot, "enter", "down", "down", "down", "enter", "tab")  # Service
            await type_in(pilot, "[b]Food bank[/b]")
            await press(pilot, "tab")
            await type_in(pilot, "2026-13-01")
            await press(pilot, "tab")
            await type_in(pilot, "12.5")
            await press(pilot, "ctrl+s")
            assert "YYYY-MM-DD" in form.message and accomplishment_rows(hs) == []
            assert form.query_one("#title", Input).value == "[b]Food bank[/b]"  # nothing typed is lost
            form.query_one("#occurred_on", Input).value = "2026-09-12"
            await press(pilot, "ctrl+s")
            assert accomplishment_rows(hs) == [("service", "[b]Food bank[/b]", "2026-09-12", 12.5, "")]
            assert app.screen is screen and screen.state_text == "Saved: accomplishment added."
            assert "[b]Food bank[/b]" in screen_text(app)

            await press(pilot, "enter")  # change the highlighted one
            form = app.screen
            form.query_one("#title", Input).value = "Food bank volunteer"
            await press(pilot, "ctrl+s")
            assert accomplishment_rows(hs)[0][1] == "Food bank volunteer"

            await press(pilot, "d")
            assert isinstance(app.screen, Question)
            await press(pilot, "n")
            assert len(accomplishment_rows(hs)) == 1
            await press(pilot, "d", "y")
            assert accomplishment_rows(hs) == []
            assert hs.plan(hs.nina).version == 4  # each change went through the plan

    run(body)


def test_an_open_form_is_saved_at_sign_out(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            await open_section(pilot, hs, AccomplishmentsScreen)
            await press(pilot, "a", "enter", "down", "enter", "tab")  # Award
            await type_in(pilot, "Honor roll")
            await press(pilot, "ctrl+o")
            assert isinstance(app.screen, SignInScreen)
            assert accomplishment_rows(hs) == [("award", "Honor roll", None, None, "")]

    run(body)


# ---------------------------------------------------------------- my progress


def test_progress_shows_levels_credits_and_courses(hs):
    with hs.store.write() as db:
        db["assessment_results"].insert({"student_id": hs.omar, "assessment": "RISE", "subject": "MATH", "grade": 8, "level": 3})
        db["assessment_results"].insert({"student_id": hs.omar, "assessment": "ASPIRE", "subject": "ENG", "grade": 9, "level": 2, "scale_score": 421})

    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            await open_section(pilot, hs, ProgressScreen, "omar")
            text = screen_text(app)
            assert "RISE             Mathematics           8        3 Proficient" in text
            assert "Utah Aspire Plus English               9  421   2 Approaching Proficient" in text
            assert "Language Arts                      1.0" in text
            assert "Total                              2.0" in text
            assert "English 9" in text and "A-" in text

    run(body)


# ---------------------------------------------------------------- review and submit


def test_submit_makes_the_plan_read_only_until_changes_are_requested(hs):
    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            review = await open_section(pilot, hs, ReviewScreen)
            assert "press S to send it" in screen_text(app)
            await press(pilot, "s")
            assert isinstance(app.screen, Question)
            await press(pilot, "escape")  # not yet
            assert hs.plan(hs.nina).status == "draft"
            await press(pilot, "s", "y")
            assert hs.plan(hs.nina).status == "submitted"
            assert "Submitted for review on" in screen_text(app) and "Submit for review" not in screen_text(app)
            assert review.state_text == "Submitted. Your counselor will review your plan."

            # Every section is read-only now.
            await press(pilot, "escape")
            plan = hs.plan(hs.nina)
            course = CoursePlanScreen(app.actor, plan)
            await app.push_screen(course)
            await settle(pilot)
            assert "read-only until they ask for changes" in screen_text(app)
            await press(pilot, "a")
            assert not isinstance(app.screen, CoursePickerScreen) and entries(hs, hs.nina) == []
            await press(pilot, "escape")
            post = PostsecondaryScreen(app.actor, plan)
            await app.push_screen(post)
            await settle(pilot)
            assert post.query_one("#institution", Input).disabled
            await press(pilot, "escape")

            # The counselor asks for a change: the comment shows and editing is back.
            plans.request_changes(hs.store, hs.counselor(), hs.plan(hs.nina), {"course_plan": "Add [i]English 9[/i]."})
            review = ReviewScreen(app.actor, hs.plan(hs.nina))
            await app.push_screen(review)
            await settle(pilot)
            text = screen_text(app)
            assert "Your counselor's comments" in text and "Add [i]English 9[/i]." in text
            assert "asked for changes" in text and "Submit for review" in text

    run(body)


def test_a_finalized_plan_says_who_and_when(hs):
    counselor = hs.counselor()
    plan = plans.plan_for(hs.store, hs.ref, counselor, hs.nina)
    plan = plans.finalize(hs.store, counselor, plans.submit(hs.store, counselor, plan), {})
    with hs.store.write() as db:
        db.execute("UPDATE plans SET finalized_at = '2026-11-02T16:00:00+00:00'")

    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            await open_section(pilot, hs, ReviewScreen)
            text = screen_text(app)
            assert "Finalized by Hana Okafor on 2026-11-02" in text and "Update my plan" in text

    run(body)


# ---------------------------------------------------------------- snapshots


def hs_app(hs):
    from screens.app import make_app

    return make_app(hs.store, hs.ref)


def snapshot_data(hs) -> None:
    """A plan with a little of everything, on fixed dates."""
    nina = hs.nina
    with hs.store.write() as db:
        for code, grade in (("ENG9", 9), ("SM1", 9), ("BIO", 9), ("CTE-NUR1", 9), ("FFL", 9), ("ENG10", 10), ("CTE-NUR2", 10), ("SM1", 12)):
            db["course_plan_entries"].insert({"student_id": nina, "course_code": code, "grade": grade})
        db["accomplishments"].insert_all(
            [
                {"student_id": nina, "kind": "award", "title": "[bold]Honor roll[/]", "occurred_on": "2026-06-01", "entered_by": None},
                {"student_id": nina, "kind": "service", "title": "Food bank", "description": "Sorted cans", "occurred_on": "2026-09-12", "hours": 12.5},
            ]
        )
        db["assessment_results"].insert({"student_id": nina, "assessment": "RISE", "subject": "ELA", "grade": 8, "level": 4})
        db["assessment_results"].insert({"student_id": nina, "assessment": "RISE", "subject": "MATH", "grade": 8, "level": 2})
        db["early_graduation_plans"].insert(
            {"student_id": nina, "declared_on": "2026-09-20", "target_grade": 11, "target_term": "spring", "student_approved_on": "2026-09-20"}
        )


def snap(hs, snap_compare, screen_class, *keys: str) -> bool:
    snapshot_data(hs)

    async def before(pilot):
        await open_section(pilot, hs, screen_class)
        if keys:
            await press(pilot, *keys)

    return snap_compare(hs_app(hs), terminal_size=SIZE, run_before=before)


def test_snapshot_course_plan(hs, snap_compare):
    assert snap(hs, snap_compare, CoursePlanScreen)


def test_snapshot_course_plan_audit(hs, snap_compare):
    assert snap(hs, snap_compare, CoursePlanScreen, "left")


def test_snapshot_after_high_school(hs, snap_compare):
    from seop_tui.services import postsecondary

    snapshot_data(hs)
    counselor = hs.counselor()
    plan = plans.plan_for(hs.store, hs.ref, counselor, hs.nina)
    postsecondary.save(hs.store, counselor, plan, education_choice="technical_college", institution="Dixie Tech",
                       program="Practical nursing", occupations="Nurse [b]LPN[/b]", next_steps="Job shadow at the hospital")

    async def before(pilot):
        await open_section(pilot, hs, PostsecondaryScreen)

    assert snap_compare(hs_app(hs), terminal_size=SIZE, run_before=before)


def test_snapshot_early_graduation(hs, snap_compare, fixed_today):
    assert snap(hs, snap_compare, EarlyGraduationScreen)


def test_snapshot_accomplishments(hs, snap_compare):
    assert snap(hs, snap_compare, AccomplishmentsScreen)


def test_snapshot_progress(hs, snap_compare):
    assert snap(hs, snap_compare, ProgressScreen)


def test_snapshot_review(hs, snap_compare):
    assert snap(hs, snap_compare, ReviewScreen)


def test_staff_entries_are_shown_but_not_changed_by_the_student(hs):
    with hs.store.write() as db:
        db["accomplishments"].insert({"student_id": hs.nina, "kind": "award", "title": "Citizenship award", "entered_by": hs.counselor_account})

    async def body():
        app = hs_app(hs)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_section(pilot, hs, AccomplishmentsScreen)
            assert "Entered by Hana Okafor." in shown(screen, "#acc-detail")
            for key in ("e", "d"):
                await press(pilot, key)
                assert app.screen is screen and "Ask your counselor" in screen.state_text
            assert accomplishment_rows(hs) == [("award", "Citizenship award", None, None, None)]

    run(body)
