"""`seop setup` and `seop year ...` as a district's IT person runs them."""

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from seop_tui.cli import main
from seop_tui.domain.school_years import school_year_for
from seop_tui.reference import load_reference
from seop_tui.services.auth import sign_in
from seop_tui.storage import open_store

DATA = Path(__file__).resolve().parent / "data"
ADMIN = ["boss", "--given-name", "Ada", "--family-name", "Boss"]


def run(db, *args, stdin=None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=stdin, catch_exceptions=False)


def rows(db, sql):
    store = open_store(db, create=False)
    try:
        return [tuple(r) for r in store.query(sql)]
    finally:
        store.close()


def test_a_district_from_nothing_to_its_second_year(tmp_path):
    db = tmp_path / "district.db"
    made = run(db, "setup", *ADMIN, "--year", "2026-27", "--secret-stdin", stdin="first-admin-password-1\n")
    assert made.exit_code == 0, made.output
    assert "school year 2026-27 (2026-08-15 to 2027-05-29)" in made.output
    assert f"seop --db {db} import roster ROSTER.zip --as boss" in made.output
    store = open_store(db, create=False)
    assert sign_in(store, "boss", "first-admin-password-1").must_change_secret
    store.close()

    imported = run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--as", "boss")
    assert imported.exit_code == 0, imported.output
    before = rows(db, "SELECT student_number, grade FROM students ORDER BY student_number")

    listing = tmp_path / "year-end.csv"
    check = run(db, "year", "rollover", "--as", "boss", "--check", "--before-year-end", "--list", str(listing))
    assert check.exit_code == 0, check.output
    assert "Checked only: nothing was written. School year 2027-28 would start after 2026-27." in check.output
    assert f"2 students listed in {listing}." in check.output
    assert listing.read_text().splitlines()[1:] == [  # grades 9-10 and K-5 in this roster
        "9100001,Ava Nguyen,Desert Hills High,10,11,moves up past the school's last grade",
        "9100005,Eli O'Moss,River View Elementary,5,6,moves up past the school's last grade",
    ]
    assert rows(db, "SELECT student_number, grade FROM students ORDER BY student_number") == before

    refused = run(db, "year", "rollover", "--as", "boss", "--before-year-end")
    assert refused.exit_code == 2 and "add --yes" in refused.output

    done = run(db, "year", "rollover", "--as", "boss", "--before-year-end", "--yes")
    assert done.exit_code == 0, done.output
    copy = tmp_path / "district-before-2027-28.db"
    assert f"Backed up to {copy} first." in done.output
    assert "School year 2027-28 started after 2026-27; it is now the current year." in done.output
    assert rows(db, "SELECT student_number, grade FROM students ORDER BY student_number") == [(n, g + 1) for n, g in before]
    assert rows(copy, "SELECT student_number, grade FROM students ORDER BY student_number") == before
    assert rows(db, "SELECT count(*) FROM compliance_cache c JOIN school_years y ON y.id = c.school_year_id WHERE y.name = '2027-28'") == [(len(before),)]

    listed = run(db, "year", "list")
    assert listed.output.splitlines() == [
        "  2026-27  2026-08-15 to 2027-05-29  0 plans",
        f"* 2027-28  2027-08-15 to 2028-05-29  {len(before)} plans",
    ]


def test_setup_defaults_to_the_year_today_falls_in_and_prints_a_first_password(tmp_path):
    db = tmp_path / "d.db"
    made = run(db, "setup", *ADMIN)
    assert made.exit_code == 0, made.output
    year = school_year_for(date.today(), load_reference().district.school_year)
    assert f"school year {year.name} " in made.output
    password = next(line.split(": ", 1)[1] for line in made.output.splitlines() if line.startswith("Temporary password: "))
    store = open_store(db, create=False)
    assert sign_in(store, "boss", password).role == "administrator"
    store.close()


def test_setup_refuses_a_database_that_holds_a_district_and_changes_nothing(tmp_path):
    db = tmp_path / "d.db"
    run(db, "setup", *ADMIN, "--year", "2026-27")
    again = run(db, "setup", "other", "--given-name", "O", "--family-name", "T", "--year", "2030-31")
    assert again.exit_code == 1 and "already holds a district" in again.output
    assert rows(db, "SELECT name FROM school_years") == [("2026-27",)]
    assert rows(db, "SELECT username FROM accounts") == [("boss",)]


def test_a_failed_setup_leaves_no_database_behind(tmp_path):
    db = tmp_path / "d.db"
    failed = run(db, "setup", *ADMIN, "--year", "2026-28")
    assert failed.exit_code == 1 and "write it as 2026-27" in failed.output
    assert not db.exists()
    assert run(db, "setup", *ADMIN, "--year", "2026-27").exit_code == 0


def test_rollover_before_the_last_day_says_how_to_go_ahead(tmp_path):
    db = tmp_path / "d.db"
    run(db, "setup", *ADMIN, "--year", "2099-00")  # a year that has not ended whenever this runs
    early = run(db, "year", "rollover", "--as", "boss", "--check")
    assert early.exit_code == 1
    assert "School year 2099-00 runs until 2100-05-29: 2100-01 starts after that day. Nothing was changed." in early.output
    assert "add --before-year-end" in early.output
    assert rows(db, "SELECT name FROM school_years") == [("2099-00",)]


def test_first_sign_ins_for_a_new_district_on_a_sheet(tmp_path):
    import csv
    import stat

    db = tmp_path / "d.db"
    run(db, "setup", *ADMIN, "--year", "2026-27")
    run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--as", "boss")
    assert run(db, "admin", "issue-sign-ins", "--check").output == "5 students and 2 staff cannot sign in yet.\n"
    assert "Give --sheet FILE" in run(db, "admin", "issue-sign-ins").output

    sheet = tmp_path / "sheet.csv"
    done = run(db, "admin", "issue-sign-ins", "--sheet", str(sheet), "--school", "RVE")
    assert done.exit_code == 0, done.output
    assert f"Issued 3 student and 1 staff sign-ins; written to {sheet}." in done.output
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    with sheet.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["username"], r["role"], r["grade"]) for r in rows] == [
        ("cora.lee", "student", "0"), ("eli.omoss", "student", "5"), ("dev.patel", "student", "3"), ("omar.reyes", "teacher", "")
    ]
    store = open_store(db, create=False)
    try:
        assert all(sign_in(store, r["username"], r["temporary_secret"]).must_change_secret for r in rows)
    finally:
        store.close()
    again = run(db, "admin", "issue-sign-ins", "--sheet", str(sheet))
    assert again.exit_code == 1 and "already exists" in again.output  # a sheet is never overwritten
    assert run(db, "admin", "issue-sign-ins", "--check").output == "2 students and 1 staff cannot sign in yet.\n"


def test_a_backup_left_by_an_earlier_try_is_kept_and_the_new_one_numbered(tmp_path):
    db = tmp_path / "district.db"
    run(db, "setup", *ADMIN, "--year", "2026-27")
    earlier = tmp_path / "district-before-2027-28.db"
    earlier.write_bytes(b"left by a try that stopped")
    done = run(db, "year", "rollover", "--as", "boss", "--before-year-end", "--yes")
    assert done.exit_code == 0, done.output
    assert f"Backed up to {tmp_path / 'district-before-2027-28-2.db'} first." in done.output
    assert earlier.read_bytes() == b"left by a try that stopped"
