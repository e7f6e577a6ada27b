"""Staff screens, part 2: conferences, parent involvement, progress entry, compliance report,
staff training, export. Pilot tests assert what the database holds; snapshots at 80x24."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from pypdf import PdfReader
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from screens.staff.compliance_report import ComplianceReportScreen, PathPrompt
from screens.staff.conference_form import ConferenceFormScreen, FormModal
from screens.staff.export import ExportScreen
from screens.staff.involvement_form import InvolvementFormScreen
from screens.staff.progress_entry import ProgressEntryScreen
from screens.staff.training import TrainingScreen
from seop_tui.services.auth import _actor_for
from tests.ui.helpers import COUNSELOR_USERNAME, CREATED, run, screen_text, settle, type_text

SIZE = (80, 24)
DAY = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Default dates in forms come from one function; fixed so snapshots have no clock."""
    monkeypatch.setattr("screens.staff.conference_form.today", lambda: DAY)


@pytest.fixture
def staff(district):
    """The UI district plus a school year, guardians, classmates, a teacher and plans."""
    store = district.store
    with store.write() as db:
        db["school_years"].insert({"name": "2026-27", "starts_on": "2026-08-15", "ends_on": "2027-05-29", "is_current": 1})
        counselor = db.execute("SELECT id FROM staff").fetchone()[0]
        account = db["accounts"].insert(
            {"username": "tess.teacher", "role": "teacher", "secret_hash": district.student_hash, "created_at": CREATED}
        ).last_pk
        db["staff"].insert({"account_id": account, "given_name": "Tess", "family_name": "Teacher", "role": "teacher", "school_id": district.school_id})
    ids = [store.one("SELECT id FROM students WHERE given_name = 'Ava'")[0]]
    for name in ("Ben", "Cy", "Dee", "Eve", "Fay"):
        ids.append(district.add_student(name.lower(), name, "Classmate"))
    with store.write() as db:
        db.execute("UPDATE students SET counselor_id = ?", [counselor])
        mum = db["guardians"].insert({"given_name": "Maria", "family_name": "Martinez"}).last_pk
        db["student_guardians"].insert({"student_id": ids[0], "guardian_id": mum, "relationship": "mother"})
        year = db.execute("SELECT id FROM school_years").fetchone()[0]
        for sid in ids:
            db["plans"].insert({"student_id": sid, "school_year_id": year, "kind": "SEOP", "grade": 7, "status": "draft", "version": 1})
    district.ids = ids
    district.mum = mum
    district.counselor_staff = counselor
    district.actor = _actor_for(store, store.one("SELECT * FROM accounts WHERE username = ?", (COUNSELOR_USERNAME,)), "test")
    return district


async def open_screen(pilot, district, screen) -> None:
    """Start the counselor's session and push one of these screens over their home."""
    await pilot.app.start_session(district.actor)
    await pilot.pause()
    pilot.app.push_screen(screen)
    await settle(pilot)
    await settle(pilot)


def status_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# -- conferences ---------------------------------------------------------------------


def test_record_an_individual_conference_by_keyboard(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ConferenceFormScreen(staff.actor, staff.ids[:1]))
            screen = app.screen
            assert "Conference for Ava Martinez (7)" in screen_text(app)
            assert not any(field.cursor_blink for field in screen.query("Input, TextArea"))
            # Kind is focused first; Tab moves through the form.
            await pilot.press("tab")  # date, already today
            await pilot.press("tab")
            await type_text(pilot, "25")
            await pilot.press("tab", "tab", "tab")  # location, students present
            assert screen.focused.id == "conf-guardians"
            await pilot.press("space")  # Maria came
            await pilot.press("tab", "tab")  # staff present (the counselor, ticked), notes
            assert isinstance(screen.focused, TextArea)
            await type_text(pilot, "Talked about [bold]pathways[/]")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Saved: conference on 2026-10-01 recorded for 1 student." in status_text(app, "#conf-status")
            row = staff.store.one("SELECT * FROM conferences")
            assert (row["kind"], row["held_on"], row["duration_minutes"], row["notes"]) == (
                "individual", "2026-10-01", 25, "Talked about [bold]pathways[/]"
            )
            people = staff.store.query("SELECT guardian_id, staff_id FROM conference_attendees ORDER BY id")
            assert [tuple(r) for r in people] == [(staff.mum, None), (None, staff.counselor_staff)]
            await pilot.press("ctrl+s")  # a second save does not record it twice
            await settle(pilot)
            assert staff.store.one("SELECT count(*) FROM conferences")[0] == 1

    run(body)


def test_a_small_group_of_four_is_one_conference_for_each(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            four = staff.ids[:4]
            await open_screen(pilot, staff, ConferenceFormScreen(staff.actor, four))
            assert "Small-group conference for 4 students" in screen_text(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "recorded for each of 4 students" in status_text(app, "#conf-status")
            assert staff.store.one("SELECT count(*), kind FROM conferences")[:] == (1, "small_group")
            linked = [r[0] for r in staff.store.query("SELECT student_id FROM conference_students ORDER BY student_id")]
            assert linked == sorted(four)

    run(body)


def test_a_group_over_the_limit_is_refused_on_screen(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ConferenceFormScreen(staff.actor, staff.ids))
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Not saved: A small group can have at most 5 students; this one has 6." in status_text(app, "#conf-status")
            assert staff.store.one("SELECT count(*) FROM conferences")[0] == 0

    run(body)


# -- parent involvement ----------------------------------------------------------------


def test_add_an_invitation_then_record_the_answer(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, InvolvementFormScreen(staff.actor, staff.ids[0]))
            assert "Ava Martinez (grade 7): 0 invitations" in screen_text(app)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, FormModal)
            await type_text(pilot, "SEOP conference")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, InvolvementFormScreen)
            row = staff.store.one("SELECT purpose, method, sent_on, response FROM parent_involvement")
            assert tuple(row) == ("SEOP conference", "email", "2026-10-01", "pending")
            assert "Ava Martinez (grade 7): 1 invitation" in screen_text(app)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("ctrl+s")  # Accepted, today
            await settle(pilot)
            assert tuple(staff.store.one("SELECT response, responded_on FROM parent_involvement")) == ("accepted", "2026-10-01")
            assert "Saved: response recorded." in status_text(app, "#inv-status")

    run(body)


# -- progress data ---------------------------------------------------------------------


def test_enter_an_assessment_an_accomplishment_and_credit(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            ava = staff.ids[0]
            await open_screen(pilot, staff, ProgressEntryScreen(staff.actor, ava))
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            form.query_one("#as-subject", Select).value = "ELA"
            form.query_one("#as-grade", Input).value = "6"
            form.query_one("#as-level", Select).value = 3
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert tuple(staff.store.one("SELECT assessment, subject, grade, level, source FROM assessment_results")) == (
                "RISE", "ELA", 6, 3, "entered"
            )
            assert "RISE" in screen_text(app) and "3 Proficient" in screen_text(app)

            app.screen.query_one("#prog-tabs", TabbedContent).active = "accomplishments"
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            app.screen.query_one("#ac-title", Input).focus()
            await type_text(pilot, "Science fair, 2nd")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert tuple(staff.store.one("SELECT kind, title, occurred_on FROM accomplishments")) == ("award", "Science fair, 2nd", "2026-10-01")

            app.screen.query_one("#prog-tabs", TabbedContent).active = "credits"
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            form.query_one("#cr-code", Input).value = "SM1"
            form.query_one("#cr-grade", Input).value = "7"
            await pilot.pause()
            assert "Secondary Math I: 1 credit" in screen_text(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert tuple(staff.store.one("SELECT course_code, course_name, area, credits, grade FROM credits_earned")) == (
                "SM1", "Secondary Math I", "mathematics", 1.0, 7
            )
            # d twice removes an entered row.
            await pilot.press("d")
            assert "Press d again" in status_text(app, "#prog-status")
            await pilot.press("d")
            await settle(pilot)
            assert staff.store.one("SELECT count(*) FROM credits_earned")[0] == 0

    run(body)


def test_a_form_error_keeps_the_form_open_with_the_reason(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ProgressEntryScreen(staff.actor, staff.ids[0]))
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("ctrl+s")  # no subject, no grade
            await settle(pilot)
            assert isinstance(app.screen, FormModal)
            assert "Not saved: Choose a RISE subject" in str(app.screen.query_one(".form-modal-status", Static).render())
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ProgressEntryScreen)
            assert staff.store.one("SELECT count(*) FROM assessment_results")[0] == 0

    run(body)


# -- compliance report -----------------------------------------------------------------


def test_compliance_report_shows_figures_and_exports_csv(staff, tmp_path):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ComplianceReportScreen(staff.actor))
            text = screen_text(app)
            assert "SEOP, my caseload, 2026-27: 6 students" in text
            clauses = app.screen.query_one("#cr-clauses", DataTable)
            assert clauses.row_count == 7
            assert [str(c) for c in clauses.get_row_at(0)] == ["3.2.1", "Individual and small-group conferences", "0", "6", "0.0", "6"]
            assert "Not meeting 3.2.1 (6)" in text
            await pilot.press("x")
            await settle(pilot)
            assert isinstance(app.screen, PathPrompt)
            app.screen.query_one("#path-input", Input).value = str(tmp_path / "report.csv")
            await pilot.press("enter")
            await settle(pilot)
            assert "Saved: CSV written to" in status_text(app, "#cr-status")
            with (tmp_path / "report.csv").open(newline="") as fh:
                rows = list(csv.DictReader(fh))
            assert (rows[0]["clause"], rows[0]["met"], rows[0]["total"]) == ("3.2.1", "0", "6")

    run(body)


# -- staff training --------------------------------------------------------------------


def test_record_training_for_a_teacher_who_has_none(staff):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, TrainingScreen(staff.actor))
            assert "0 of 1 teachers trained; 1 not trained" in screen_text(app)
            assert "NOT TRAINED: SEOP" in screen_text(app)
            await pilot.press("t")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert tuple(staff.store.one("SELECT training, completed_on FROM staff_training")) == ("SEOP training", "2026-10-01")
            assert "1 of 1 teachers trained" in screen_text(app)

    run(body)


# -- export ----------------------------------------------------------------------------


def test_export_one_plan_as_pdf(staff, tmp_path):
    async def body():
        app = staff.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(pilot, staff, ExportScreen(staff.actor, staff.ids[:1]))
            assert app.screen.query_one("#ex-path", Input).value == "~/seop-reports/plan-100001.pdf"
            app.screen.query_one("#ex-path", Input).value = str(tmp_path / "ava.pdf")
            await pilot.press("ctrl+s")
            await settle(pilot)
            await settle(pilot)
            assert "Saved: 1 plan written to" in status_text(app, "#ex-status")
            text = "".join(p.extract_text() for p in PdfReader(tmp_path / "ava.pdf").pages)
            assert "Ava Martinez" in text and "Conferences" in text
            assert staff.store.one("SELECT count(*) FROM audit_log WHERE action = 'print'")[0] == 1

    run(body)


# -- snapshots at 80x24 ---------------------------------------------------------------------


def _snap(staff, snap_compare, make, *keys):
    async def before(pilot):
        await open_screen(pilot, staff, make())
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return snap_compare(staff.app(), terminal_size=SIZE, run_before=before)


def test_snapshot_conference_form(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: ConferenceFormScreen(staff.actor, staff.ids[:1]))


def test_snapshot_small_group_over_the_limit(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: ConferenceFormScreen(staff.actor, staff.ids), "ctrl+s")


def test_snapshot_involvement_with_new_invitation_form(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: InvolvementFormScreen(staff.actor, staff.ids[0]), "n")


def test_snapshot_progress_entry(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: ProgressEntryScreen(staff.actor, staff.ids[0]))


def test_snapshot_compliance_report(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: ComplianceReportScreen(staff.actor))


def test_snapshot_training(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: TrainingScreen(staff.actor))


def test_snapshot_export(staff, snap_compare):
    assert _snap(staff, snap_compare, lambda: ExportScreen(staff.actor, staff.ids[:1]))
