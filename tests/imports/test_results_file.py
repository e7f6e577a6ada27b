"""The assessment results file: columns read, problems named by line and column."""

from datetime import date

import pytest

from seop_tui.imports.fields import ImportInvalid
from seop_tui.imports.results import parse_results, read_results


def test_columns_in_any_order_and_case():
    text = "\ufeffTest_Date,Student_Number,Subject,Assessment,Grade_Tested,Level\n4/21/2026,9100001,math,aspire,9,2\n"
    (line,) = parse_results("r.csv", text)
    assert (line.line, line.student_number, line.assessment, line.subject, line.grade, line.level, line.taken_on) == (
        2, "9100001", "ASPIRE", "MATH", 9, "2", date(2026, 4, 21))


def test_problems_name_line_and_column_and_good_lines_are_kept():
    text = "student_number,assessment,subject,grade_tested,level\n1,RISE,ELA,3,2\n2,RISE,ELA,Year 3,2\n3,RISE,ELA,4,2\n"
    lines, problems = read_results("r.csv", text)
    assert [line.line for line in lines] == [2, 4]
    assert [str(p) for p in problems] == ["r.csv line 3: grade_tested 'Year 3' is not a grade (KG, 01-12)"]
    with pytest.raises(ImportInvalid):
        parse_results("r.csv", text)


def test_a_missing_column_or_no_results_is_refused():
    with pytest.raises(ImportInvalid, match="r.csv line 1: missing column grade_tested"):
        parse_results("r.csv", "student_number,assessment,subject\n")
    with pytest.raises(ImportInvalid, match="r.csv: has no results"):
        parse_results("r.csv", "student_number,assessment,subject,grade_tested\n")
