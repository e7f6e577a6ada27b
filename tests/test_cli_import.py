"""`seop import roster` and `seop import results` as an administrator runs them."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from seop_tui.cli import main
from seop_tui.storage import open_store
from tests.factory import District

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "seop.db"
    store = open_store(path)
    d = District(store)
    d.school("DHS", "high", 9, 12, name="Desert Hills High")
    d.staff("admin", "administrator", None)
    d.staff("mrs.t", "teacher", d.school("DHMS", "middle", 6, 8))
    store.close()
    return path


def run(db, *args):
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def count(db, sql):
    store = open_store(db)
    try:
        return store.one(sql)[0]
    finally:
        store.close()


def test_roster_import_prints_what_it_did_and_keeps_compliance_results(db):
    result = run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--as", "admin")
    assert result.exit_code == 0, result.output
    assert "Imported." in result.output and "  students: 5 added" in result.output
    assert "users.csv line 12: role aide: not a user of the app" in result.output
    assert "New accounts sign in once given a first PIN or password: seop admin issue-sign-ins --sheet FILE" in result.output
    assert count(db, "SELECT count(*) FROM students WHERE sourced_id IS NOT NULL") == 5
    assert count(db, "SELECT count(*) FROM compliance_cache") == 5


def test_a_zip_of_the_next_days_files_updates_and_deactivates(db, tmp_path):
    run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--as", "admin")
    archive = shutil.make_archive(str(tmp_path / "day2"), "zip", DATA / "oneroster-1.1-day2")
    result = run(db, "import", "roster", archive, "--as", "admin")
    assert "  students: 1 added, 1 updated, 2 deactivated, 2 unchanged" in result.output
    assert count(db, "SELECT count(*) FROM students") == 6


def test_check_says_what_would_happen_and_writes_nothing(db):
    result = run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--check", "--as", "admin")
    assert result.exit_code == 0 and "Checked only: nothing was written." in result.output and "students: 5 added" in result.output
    assert count(db, "SELECT count(*) FROM students") == 0
    assert count(db, "SELECT count(*) FROM audit_log") == 0


def test_a_bad_roster_names_file_line_and_field_and_changes_nothing(db):
    result = run(db, "import", "roster", str(DATA / "oneroster-bad"), "--as", "admin")
    assert result.exit_code == 1
    assert "Nothing was imported." in result.output
    assert "users.csv line 5: grades 'Year 3' is not a grade (KG, 01-12)" in result.output
    assert count(db, "SELECT count(*) FROM students") == 0


def test_only_an_administrator_may_import(db):
    result = run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--as", "mrs.t")
    assert result.exit_code == 1 and "imports are for administrators" in result.output
    result = run(db, "import", "roster", str(DATA / "oneroster-1.1"), "--as", "nobody")
    assert result.exit_code == 1 and "no active staff account" in result.output
    assert count(db, "SELECT count(*) FROM students") == 0


def test_results_import_and_its_errors(db):
    run(db, "import", "roster", str(DATA / "oneroster-1.1-day2"), "--as", "admin")
    bad = run(db, "import", "results", str(DATA / "results" / "results-bad.csv"), "--as", "admin")
    assert bad.exit_code == 1 and "results-bad.csv line 3: student_number '9999999' is no student on file" in bad.output
    assert count(db, "SELECT count(*) FROM assessment_results") == 0
    good = run(db, "import", "results", str(DATA / "results" / "results.csv"), "--as", "admin")
    assert good.exit_code == 0 and "  results: 4 added" in good.output
    again = run(db, "import", "results", str(DATA / "results" / "results.csv"), "--as", "admin")
    assert "  results: 4 unchanged" in again.output
    assert count(db, "SELECT count(*) FROM assessment_results") == 4


def test_results_help_documents_the_columns():
    result = CliRunner().invoke(main, ["import", "results", "--help"])
    for column in ("student_number", "assessment", "subject", "grade_tested", "level", "scale_score", "test_date"):
        assert column in result.output
