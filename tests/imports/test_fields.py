"""Reading CSV fields: what is accepted, what is refused and how the refusal reads."""

from datetime import date

import pytest

from seop_tui.imports.fields import FieldError, ImportInvalid, Problem, Row, boolean, day, grade, id_list, identifier, read_rows, status


def row(**values):
    return Row(5, {k.lower(): v for k, v in values.items()})


@pytest.mark.parametrize("text", ["TRUE", "true", "True", "1", "yes", "Y"])
def test_true_in_the_ways_exports_write_it(text):
    assert boolean(row(enabledUser=text), "enabledUser", default=False) is True


@pytest.mark.parametrize("text", ["FALSE", "false", "0", "no", "N"])
def test_false_in_the_ways_exports_write_it(text):
    assert boolean(row(enabledUser=text), "enabledUser", default=True) is False


def test_an_empty_boolean_is_the_default_and_anything_else_is_refused():
    assert boolean(row(enabledUser=""), "enabledUser", default=True) is True
    with pytest.raises(FieldError, match="enabledUser 'maybe' is not true or false"):
        boolean(row(enabledUser="maybe"), "enabledUser", default=True)


@pytest.mark.parametrize(("text", "expected"), [("KG", 0), ("K", 0), ("kg", 0), ("01", 1), ("1", 1), ("09", 9), ("12", 12)])
def test_grades_are_ceds_codes_with_unambiguous_variants(text, expected):
    assert grade(text) == expected


@pytest.mark.parametrize("text", ["Year 3", "PK", "13", "00", "0", "", "3rd", "012"])
def test_other_grades_are_refused_naming_the_value(text):
    with pytest.raises(FieldError, match=r"grades .* is not a grade \(KG, 01-12\)"):
        grade(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-04-20", date(2026, 4, 20)), ("2026-04-20T10:00:00Z", date(2026, 4, 20)), ("2026-04-20T10:00:00.000Z", date(2026, 4, 20)),
     ("1/05/2023", date(2023, 1, 5)), ("12/31/2025", date(2025, 12, 31))],
)
def test_dates_iso_or_month_day_year(text, expected):
    assert day(text, "test_date") == expected


@pytest.mark.parametrize(("text", "says"), [("31/12/2026", "not a real day"), ("2026-02-30", "not a real day"), ("April 1", "not a date")])
def test_bad_dates_are_refused(text, says):
    with pytest.raises(FieldError, match=says):
        day(text, "test_date")


def test_status_active_or_to_be_deleted():
    assert status(row(status="")) == "active"
    assert status(row(status="Active")) == "active"
    assert status(row(status="tobedeleted")) == "tobedeleted"
    with pytest.raises(FieldError, match="status 'archived'"):
        status(row(status="archived"))


def test_ids_have_no_spaces_or_control_characters():
    assert identifier(row(sourcedId=" abc-1 "), "sourcedId") == "abc-1"
    assert id_list(row(agentSourcedIds="p1, p2,,"), "agentSourcedIds") == ("p1", "p2")
    for bad in ("a b", "a\x1b[2Jb"):
        with pytest.raises(FieldError, match="is not an id"):
            identifier(row(sourcedId=bad), "sourcedId")


def test_rows_keep_the_line_they_start_on_with_a_bom_and_a_quoted_line_break():
    text = '\ufeffsourcedId,Name\nA,"two\nlines"\n\nB,plain\n'
    rows, problems = read_rows("x.csv", text, ("sourcedid", "name"))
    assert problems == []
    assert [(r.line, r.get("sourcedId"), r.get("name")) for r in rows] == [(2, "A", "two\nlines"), (5, "B", "plain")]


def test_a_missing_column_or_a_long_row_is_a_problem_on_its_line():
    assert read_rows("x.csv", "a,b\n1,2\n", ("a", "c"))[1] == [Problem("x.csv", 1, "missing column c")]
    rows, problems = read_rows("x.csv", "a,b\n1,2,3\n4,5\n", ("a",))
    assert [r.line for r in rows] == [3] and str(problems[0]) == "x.csv line 2: 3 fields but the header has 2"


def test_problems_are_listed_without_control_characters_and_cut_after_twenty():
    err = ImportInvalid([Problem("users.csv", n, f"givenName \x1b[2J{n}") for n in range(1, 26)])
    lines = err.lines()
    assert lines[0] == "users.csv line 1: givenName 1" and lines[-1] == "... and 5 more problems" and len(lines) == 21
