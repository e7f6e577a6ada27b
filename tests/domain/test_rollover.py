import pytest
from hypothesis import given
from hypothesis import strategies as st

from seop_tui.domain.rollover import Outcome, StudentAtYearEnd, carries_plan, move_for


@pytest.mark.parametrize(
    "grade, school_high, early, outcome, new_grade",
    [
        (0, 5, None, Outcome.MOVES_UP, 1),  # kindergarten to grade 1
        (4, 5, None, Outcome.MOVES_UP, 5),
        (5, 5, None, Outcome.OUTGROWS_SCHOOL, 6),  # leaves elementary school
        (8, 8, None, Outcome.OUTGROWS_SCHOOL, 9),
        (9, 12, None, Outcome.MOVES_UP, 10),
        (12, 12, None, Outcome.GRADUATES, None),
        (11, 12, 11, Outcome.GRADUATES_EARLY, None),  # an approved plan ending in grade 11
        (11, 12, 12, Outcome.MOVES_UP, 12),  # planned for next year: not yet
        (12, 12, 12, Outcome.GRADUATES, None),  # on time is not early
    ],
)
def test_where_a_student_goes_at_year_end(grade, school_high, early, outcome, new_grade):
    move = move_for(StudentAtYearEnd(7, grade, school_high, early))
    assert (move.student_id, move.outcome, move.new_grade) == (7, outcome, new_grade)


@given(st.integers(0, 11), st.integers(0, 12))
def test_everyone_below_grade_12_moves_up_exactly_one_grade(grade, school_high):
    move = move_for(StudentAtYearEnd(1, grade, school_high))
    assert move.new_grade == grade + 1
    assert (move.outcome is Outcome.OUTGROWS_SCHOOL) == (grade + 1 > school_high)


def test_a_plan_carries_only_into_the_same_kind_of_plan():
    assert carries_plan("SEOP", "SEOP") and carries_plan("SEP", "SEP")
    assert not carries_plan("SEP", "SEOP")
    assert not carries_plan(None, "SEOP")  # no plan last year
