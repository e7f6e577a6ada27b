"""`seop report compliance` and `seop export plan` against the hand-counted fixture district."""

import csv
import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from seop_tui.cli import main
from seop_tui.reference import load_reference
from seop_tui.storage import open_store
from tests.services.test_reports import EXPECTED, build_fixture_district


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "seop.db"
    store = open_store(path)
    d = build_fixture_district(store, load_reference())
    d.teacher = d.staff("teacher", "teacher", d.ms)
    d.numbers = {name: store.one("SELECT student_number FROM students WHERE id = ?", (getattr(d, name),))[0] for name in ("ana", "bo", "cal")}
    store.close()
    return path, d


def run(db, *args):
    return CliRunner().invoke(main, ["--db", str(db[0]), *args], catch_exceptions=False)


def audit_rows(db, action):
    store = open_store(db[0])
    try:
        return [tuple(r) for r in store.query("SELECT role, student_id, what FROM audit_log WHERE action = ? ORDER BY id", (action,))]
    finally:
        store.close()


def test_compliance_report_prints_figures_and_writes_csv(db, tmp_path):
    out = tmp_path / "c.csv"
    result = run(db, "report", "compliance", "--band", "SEOP", "--counselor", "counselor", "--year", "2026-27",
                 "--csv", str(out), "--as", "counselor")
    assert result.exit_code == 0, result.output
    assert "SEOP compliance, caseload, 2026-27: 4 students" in result.output
    assert "3.2.3.1   Progress and requirements completed             2      4   50.0" in result.output
    with out.open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["row"] == "clause"]
    assert {r["clause"]: (int(r["met"]), int(r["total"])) for r in rows} == {k: v[:2] for k, v in EXPECTED.items()}
    assert audit_rows(db, "report")[-1][2] == "compliance SEOP caseload 2026-27: 4 students"


def test_compliance_refuses_unknown_or_unfit_users_and_bad_names(db):
    for args, message in [
        (["--as", "nobody"], "--as nobody: no active staff account"),
        (["--as", "ana"], "--as ana: no active staff account"),  # a student
        (["--as", "counselor", "--school", "XYZ"], "--school XYZ: no school has that code"),
        (["--as", "counselor", "--year", "1999-00"], "--year 1999-00: no school year"),
        (["--as", "counselor", "--counselor", "ghost"], "--counselor ghost: no staff member"),
    ]:
        result = run(db, "report", "compliance", "--band", "SEOP", *args)
        assert result.exit_code == 1
        assert message in result.output


def test_export_one_student_as_json_and_a_caseload_as_pdf(db, tmp_path):
    d = db[1]
    result = run(db, "export", "plan", "--student", d.numbers["ana"], "--format", "json", "--out", str(tmp_path / "ana.json"), "--as", "counselor")
    assert result.exit_code == 0, result.output
    assert "1 plan written to" in result.output
    assert json.loads((tmp_path / "ana.json").read_text())["plans"][0]["student"]["name"] == "Ana Able"

    result = run(db, "export", "plan", "--caseload", "counselor", "--out", str(tmp_path / "all.pdf"), "--as", "admin")
    assert result.exit_code == 0, result.output
    assert "3 plans written to" in result.output and "No plan on file (not exported): Cal =Cole" in result.output
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "all.pdf").pages)
    assert all(name in text for name in ("Ana Able", "Bo Baker", "Dee Dunn"))
    printed = [(role, sid) for role, sid, _ in audit_rows(db, "print")]
    assert printed[-3:] == [("administrator", d.ana), ("administrator", d.bo), ("administrator", d.dee)]


def test_export_refuses_users_without_access(db, tmp_path):
    d = db[1]
    before = len(audit_rows(db, "export"))
    result = run(db, "export", "plan", "--student", d.numbers["bo"], "--out", str(tmp_path / "x.pdf"), "--as", "teacher")
    assert result.exit_code == 1 and "do not have access" in result.output
    result = run(db, "export", "plan", "--student", "0000000", "--as", "counselor")
    assert result.exit_code == 1 and "No student has the number 0000000" in result.output
    result = run(db, "export", "plan", "--as", "counselor")
    assert result.exit_code == 2 and "--student NUMBER or --caseload USERNAME" in result.output
    result = run(db, "export", "plan", "--caseload", "counselor", "--as", "teacher")
    assert result.exit_code == 1 and "no students you may see" in result.output
    assert not (tmp_path / "x.pdf").exists()
    assert len(audit_rows(db, "export")) == before
