"""Setting up a district and starting the next school year: what the database holds after."""

from datetime import date

import pytest

from seop_tui.domain.rollover import Outcome
from seop_tui.services import goals, plans, postsecondary, strengths
from seop_tui.services.accounts import system_actor
from seop_tui.services.auth import sign_in
from seop_tui.services.context import AccessDenied
from seop_tui.services.school_year import LIST_COLUMNS, YearError, YearNotOver, roll_over, set_up_district, write_list
from tests.factory import District
from tests.security.calls import no_change

AFTER_YEAR_END = date(2027, 6, 10)  # the factory's current year, 2026-27, ended 2027-05-29
FIRST_PASSWORD = "first-admin-password-1"


# ------------------------------------------------------------------------- set-up


def test_set_up_a_new_district(store, ref):
    year = set_up_district(store, ref, system_actor(), year="2026-27", username=" Boss ", given_name="Ada", family_name="Boss", secret=FIRST_PASSWORD)
    assert (year.name, year.starts_on, year.ends_on) == ("2026-27", date(2026, 8, 15), date(2027, 5, 29))
    assert [dict(r) for r in store.query("SELECT name, starts_on, ends_on, is_current FROM school_years")] == [
        {"name": "2026-27", "starts_on": "2026-08-15", "ends_on": "2027-05-29", "is_current": 1}
    ]
    assert store.one("SELECT name FROM district")[0] == ref.district.name
    admin = store.one("SELECT a.role, a.must_change_secret, s.given_name, s.school_id FROM accounts a JOIN staff s ON s.account_id = a.id WHERE a.username = 'boss'")
    assert tuple(admin) == ("administrator", 1, "Ada", None)  # district-wide, changes the password first
    actor = sign_in(store, "boss", FIRST_PASSWORD)
    assert actor.role == "administrator" and actor.must_change_secret
    assert store.one("SELECT count(*) FROM audit_log WHERE what LIKE 'district set up: school year 2026-27%'")[0] == 1


def test_set_up_twice_is_refused_and_changes_nothing(store, ref):
    set_up_district(store, ref, system_actor(), year="2026-27", username="boss", given_name="Ada", family_name="Boss", secret=FIRST_PASSWORD)
    with no_change(store), pytest.raises(YearError, match="already holds a district"):
        set_up_district(store, ref, system_actor(), year="2027-28", username="boss2", given_name="B", family_name="C", secret=FIRST_PASSWORD)


@pytest.mark.parametrize("year", ["2026", "2026-28", "26-27", "next year"])
def test_set_up_names_a_bad_year(store, ref, year):
    with pytest.raises(YearError, match="write it as 2026-27"):
        set_up_district(store, ref, system_actor(), year=year, username="boss", given_name="Ada", family_name="Boss", secret=FIRST_PASSWORD)
    assert store.one("SELECT count(*) FROM accounts")[0] == 0


def test_set_up_keeps_the_password_rules(store, ref):
    from seop_tui.services.accounts import AccountError

    with pytest.raises(AccountError):
        set_up_district(store, ref, system_actor(), year="2026-27", username="boss", given_name="Ada", family_name="Boss", secret="short")
    assert store.one("SELECT count(*) FROM school_years")[0] == 0


def test_only_the_server_command_line_sets_a_district_up(store, ref):
    d = District(store)
    d.staff("admin", "administrator", None)
    with pytest.raises(AccessDenied):
        set_up_district(store, ref, d.actor("admin"), year="2026-27", username="x", given_name="A", family_name="B", secret=FIRST_PASSWORD)


# ----------------------------------------------------------------------- rollover


@pytest.fixture
def district(store, ref):
    d = District(store)
    d.hs = d.school("DHS", "high", 9, 12, "Desert High")
    d.es = d.school("SCE", "elementary", 0, 5, "Sage Elementary")
    d.admin = d.staff("admin", "administrator", None)
    d.school_admin = d.staff("principal", "administrator", d.hs)
    d.counselor = d.staff("counselor", "counselor", d.hs)
    d.s9 = d.student("student9", 9, d.hs, "Nina", "Ninth", counselor_id=d.counselor)
    d.s12 = d.student("student12", 12, d.hs, "Tess", "Twelfth", counselor_id=d.counselor)
    d.s11 = d.student("student11", 11, d.hs, "Eve", "Early", counselor_id=d.counselor)
    d.s5 = d.student("student5", 5, d.es, "Finn", "Fifth")
    d.s2 = d.student("student2", 2, d.es, "Tia", "Second")
    d.gone = d.student("gone", 10, d.hs, "Gil", "Gone")
    with store.write() as db:
        db.execute("UPDATE students SET active = 0 WHERE id = ?", [d.gone])
        db.execute(
            "INSERT INTO early_graduation_plans (student_id, declared_on, target_grade, target_term, student_approved_on,"
            " parent_approved_on, official_approved_on) VALUES (?, '2026-09-01', 11, 'spring', '2026-09-01', '2026-09-02', '2026-09-03')",
            [d.s11],
        )
    return d


def _fill_plan(store, ref, d):
    """Nina's 2026-27 plan: two strengths, an open goal and a met one, a post-secondary plan."""
    nina = d.actor("student9")
    plan = plans.plan_for(store, ref, nina, d.s9)
    plan, _ = strengths.add_trait(store, nina, plan, "strength", "Drawing")
    plan, _ = strengths.add_trait(store, nina, plan, "needs_attention", "Fractions")
    plan, _ = goals.save_goal(store, nina, plan, kind="education", text="Pass Secondary Math I", status="in_progress", monitors=["student"])
    plan, _ = goals.save_goal(store, nina, plan, kind="career", text="Visit the career fair", status="met")
    postsecondary.save(store, nina, plans.load_plan(store, plan.id), education_choice="university", institution="Utah Tech")
    plans.plan_for(store, ref, d.actor("student5"), d.s5)  # an SEP this year, an SEOP next
    return plan


def test_the_next_year_starts_with_students_a_grade_up(store, ref, district):
    d = district
    old_plan = _fill_plan(store, ref, d)
    summary = roll_over(store, ref, d.actor("admin"), today=AFTER_YEAR_END)

    year = plans.current_school_year(store)
    assert (year["name"], year["starts_on"], year["ends_on"]) == ("2027-28", "2027-08-15", "2028-05-29")
    grades = {r["id"]: (r["grade"], r["active"]) for r in store.query("SELECT id, grade, active FROM students")}
    assert grades == {d.s9: (10, 1), d.s12: (12, 0), d.s11: (11, 0), d.s5: (6, 1), d.s2: (3, 1), d.gone: (10, 0)}
    signs_in = {r["username"]: r["active"] for r in store.query("SELECT username, active FROM accounts WHERE role = 'student'")}
    assert signs_in == {"student9": 1, "student12": 0, "student11": 0, "student5": 1, "student2": 1, "gone": 1}

    new_plans = {r["student_id"]: (r["kind"], r["grade"], r["status"]) for r in store.query("SELECT * FROM plans WHERE school_year_id = ?", (year["id"],))}
    assert new_plans == {d.s9: ("SEOP", 10, "draft"), d.s5: ("SEOP", 6, "draft"), d.s2: ("SEP", 3, "draft")}

    # Nina's new plan starts from last year's: strengths, the goal still open, post-secondary.
    nina = d.actor("student9")
    plan = plans.plan_for(store, ref, nina, d.s9)
    assert (plan.school_year, plan.grade, plan.version) == ("2027-28", 10, 1)
    assert [(t.kind, t.text) for t in strengths.traits(store, nina, plan)] == [("strength", "Drawing"), ("needs_attention", "Fractions")]
    assert [(g.kind, g.text, g.status, g.monitors) for g in goals.goals(store, nina, plan)] == [
        ("education", "Pass Secondary Math I", "in_progress", ("student",))
    ]
    assert postsecondary.load(store, nina, plan).institution == "Utah Tech"
    # Finn's first SEOP starts fresh; last year's plans are untouched.
    assert store.one("SELECT count(*) FROM strengths s JOIN plans p ON p.id = s.plan_id WHERE p.student_id = ? AND p.school_year_id = ?", (d.s5, year["id"]))[0] == 0
    old = plans.load_plan(store, old_plan.id)
    assert (old.school_year, old.grade, old.status) == ("2026-27", 9, "draft")
    assert len(goals.goals(store, nina, old)) == 2

    assert summary.plans_started == 3 and summary.plans_carried == 1
    assert [(s.name, s.school, s.grade, s.outcome, s.new_grade) for s in summary.listed] == [
        ("Tess Twelfth", "Desert High", 12, Outcome.GRADUATES, None),
        ("Eve Early", "Desert High", 11, Outcome.GRADUATES_EARLY, None),
        ("Finn Fifth", "Sage Elementary", 5, Outcome.OUTGROWS_SCHOOL, 6),  # grade 6 at a K-5 school
    ]
    lines = summary.lines()
    assert "  3 students move up a grade." in lines
    assert "  1 graduate from grade 12 and 1 graduate early (their records stay; their sign-in is turned off)." in lines
    assert "    Sage Elementary: 1 now in grade 6" in lines
    audited = {r["student_id"] for r in store.query("SELECT student_id FROM audit_log WHERE what = 'school year 2027-28 started'")}
    assert audited == {d.s9, d.s12, d.s11, d.s5, d.s2}


def test_a_graduate_can_no_longer_sign_in(store, ref, district):
    roll_over(store, ref, district.actor("admin"), today=AFTER_YEAR_END)
    from seop_tui.services.auth import SignInError
    from tests.factory import PIN

    with pytest.raises(SignInError):
        sign_in(store, "student12", PIN)
    assert sign_in(store, "student9", PIN).student_id == district.s9


def test_a_check_run_says_the_same_and_changes_nothing(store, ref, district):
    _fill_plan(store, ref, district)
    with no_change(store, ignore=("sign_in_throttle",)):
        preview = roll_over(store, ref, district.actor("admin"), today=AFTER_YEAR_END, check=True)
    assert preview.lines()[0].startswith("Checked only: nothing was written.")
    done = roll_over(store, ref, district.actor("admin"), today=AFTER_YEAR_END)
    assert preview.lines()[1:] == done.lines()[1:]


def test_a_year_is_not_started_twice_or_before_the_last_day(store, ref, district):
    admin = district.actor("admin")
    with no_change(store, ignore=("sign_in_throttle",)), pytest.raises(YearNotOver, match="2026-27 runs until 2027-05-29"):
        roll_over(store, ref, admin, today=date(2027, 5, 28))
    roll_over(store, ref, admin, today=date(2027, 5, 28), before_year_end=True)
    with no_change(store, ignore=("sign_in_throttle",)), pytest.raises(YearError):
        roll_over(store, ref, admin, today=AFTER_YEAR_END)  # 2027-28 has not ended
    assert store.one("SELECT count(*) FROM school_years")[0] == 3


@pytest.mark.parametrize("who", ["principal", "counselor", "student9"])
def test_only_a_district_administrator_starts_a_year(store, ref, district, who, tmp_path):
    with no_change(store, ignore=("sign_in_throttle",)), pytest.raises(AccessDenied):
        roll_over(store, ref, district.actor(who), today=AFTER_YEAR_END)
    preview = roll_over(store, ref, district.actor("admin"), today=AFTER_YEAR_END, check=True)
    with no_change(store, ignore=("sign_in_throttle",)), pytest.raises(AccessDenied):
        write_list(store, district.actor(who), preview, tmp_path / "list.csv")
    assert not (tmp_path / "list.csv").exists()


def test_the_year_end_list_names_graduates_and_students_to_place(store, ref, district, tmp_path):
    import csv
    import stat

    admin = district.actor("admin")
    preview = roll_over(store, ref, admin, today=AFTER_YEAR_END, check=True)
    path = write_list(store, admin, preview, tmp_path / "year-end.csv")
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(LIST_COLUMNS)
    assert [r[1:] for r in rows[1:]] == [
        ["Tess Twelfth", "Desert High", "12", "", "graduates"],
        ["Eve Early", "Desert High", "11", "", "graduates early"],
        ["Finn Fifth", "Sage Elementary", "5", "6", "moves up past the school's last grade"],
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    exported = {r[0] for r in store.query("SELECT student_id FROM audit_log WHERE action = 'export' AND what = 'year-end list 2027-28: year-end.csv'")}
    assert exported == {district.s12, district.s11, district.s5}


def test_last_years_plan_is_closed_to_the_student_but_not_to_staff(store, ref, district):
    from seop_tui.services.plans import PlanLocked

    nina = district.actor("student9")
    old = plans.plan_for(store, ref, nina, district.s9)  # a session opened before the rollover
    roll_over(store, ref, district.actor("admin"), today=AFTER_YEAR_END)
    with no_change(store, ignore=("sign_in_throttle", "audit_log")), pytest.raises(PlanLocked, match="2026-27 plan is closed"):
        strengths.add_trait(store, nina, old, "strength", "Typed after the rollover")
    # The counselor can still finish last year's review.
    counselor_plan = plans.request_changes(store, district.actor("counselor"), old, {"goals": "Add a date"})
    assert (counselor_plan.school_year, counselor_plan.status) == ("2026-27", "changes_requested")
    # This year's plan takes the student's work.
    new, _ = strengths.add_trait(store, nina, plans.plan_for(store, ref, nina, district.s9), "strength", "Typed after the rollover")
    assert new.school_year == "2027-28"
