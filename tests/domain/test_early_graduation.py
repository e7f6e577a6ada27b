"""Early graduation against the test set (total 10: lang 2, math 2, directed 2, electives 2 + 2 more)."""

from __future__ import annotations

import pytest

from seop_tui.domain.early_graduation import (
    check_early_graduation,
    early_graduation_applies,
    half_year_index,
)
from seop_tui.domain.records import CourseCredit, EarlyGraduationPlan


def credit(code, credits, area, subarea=None, *, grade, term="year") -> CourseCredit:
    return CourseCredit(code, credits, area, subarea, grade=grade, term=term)


# 8.0 credits earned in grades 9-10: only math 1.0 and 1.0 of electives/total still to go.
EARNED = (
    credit("ENG9", 1.0, "lang", grade=9),
    credit("ENG10", 1.0, "lang", grade=10),
    credit("ALG1", 1.0, "math", grade=9),
    credit("ART1", 1.0, "directed", "fine_arts", grade=9),
    credit("CTE1", 0.5, "directed", "cte", grade=10),
    credit("HEALTH", 0.5, "directed", grade=9),
    credit("CHOIR", 2.0, "electives", grade=10),
    credit("GYM", 1.0, "pe", grade=10),
)
GEOM_11 = credit("GEOM", 1.0, "math", grade=11)
BAND_11_FALL = credit("BAND", 0.5, "electives", grade=11, term="fall")
DRAMA_11_SPRING = credit("DRAMA", 0.5, "electives", grade=11, term="spring")


def check(requirements, planned, *, now=(11, "fall"), target=(11, "spring"), intent=True):
    return check_early_graduation(requirements, EARNED, planned, now=now, target=target, intent_declared=intent)


def test_feasible_by_end_of_grade_11_earns_full_centennial(requirements):
    result = check(requirements, [GEOM_11, BAND_11_FALL, DRAMA_11_SPRING])
    assert result.feasible
    assert result.is_early
    assert result.missing == ()
    assert result.centennial_scholarship == "full"
    assert result.centennial_eligible
    assert result.credits_still_needed == 2.0
    assert result.shortfall == 0.0
    assert len(result.planned_counted) == 3


def test_courses_planned_after_the_target_do_not_count(requirements):
    geom_12 = credit("GEOM", 1.0, "math", grade=12)
    result = check(requirements, [geom_12, BAND_11_FALL, DRAMA_11_SPRING])
    assert not result.feasible
    assert result.planned_after_target == (geom_12,)
    assert result.missing == ("Mathematics: 1 credit short", "Total credits: 1 credit short")
    assert result.shortfall == 1.0
    assert result.centennial_scholarship is None
    assert not result.centennial_eligible


def test_mid_year_of_grade_12_counts_fall_courses_only(requirements):
    fall_12 = credit("GEOM", 1.0, "math", grade=12, term="fall")
    year_12 = credit("BAND", 1.0, "electives", grade=12)
    result = check(requirements, [fall_12, year_12], target=(12, "fall"))
    assert result.planned_counted == (fall_12,)
    assert result.planned_after_target == (year_12,)
    assert not result.feasible  # total 9 of 10
    assert result.missing == ("Total credits: 1 credit short",)
    feasible = check(
        requirements, [fall_12, credit("BAND", 1.0, "electives", grade=12, term="fall")], target=(12, "fall")
    )
    assert feasible.feasible
    assert feasible.is_early
    assert feasible.centennial_scholarship == "partial"
    assert not feasible.centennial_eligible


def test_end_of_grade_12_is_not_early(requirements):
    result = check(requirements, [GEOM_11, BAND_11_FALL, DRAMA_11_SPRING], target=(12, "spring"))
    assert result.feasible
    assert not result.is_early
    assert result.centennial_scholarship is None


def test_target_earlier_than_now_is_an_error(requirements):
    with pytest.raises(ValueError, match="earlier than now"):
        check(requirements, [], now=(11, "spring"), target=(11, "fall"))
    with pytest.raises(ValueError, match="earlier than now"):
        check(requirements, [], now=(12, "fall"), target=(11, "spring"))


def test_target_now_is_allowed(requirements):
    spring_band = credit("BAND", 0.5, "electives", grade=11, term="spring")
    result = check(requirements, [GEOM_11, spring_band, DRAMA_11_SPRING], now=(11, "spring"))
    assert result.feasible


def test_planned_courses_in_past_terms_are_reported_not_counted(requirements):
    stale = credit("OLD", 1.0, "math", grade=10)
    result = check(requirements, [stale, BAND_11_FALL, DRAMA_11_SPRING], now=(11, "spring"))
    assert result.planned_in_past == (stale, BAND_11_FALL)
    assert result.planned_counted == (DRAMA_11_SPRING,)
    assert not result.feasible


def test_whole_year_course_in_the_current_year_still_counts_in_spring(requirements):
    result = check(requirements, [GEOM_11, credit("BAND", 1.0, "electives", grade=11)], now=(11, "spring"))
    assert result.feasible


def test_credits_still_needed_counts_area_gaps(requirements):
    result = check_early_graduation(
        requirements,
        [credit("ENG9", 4.0, "lang", grade=9)],
        [],
        now=(10, "fall"),
        target=(11, "spring"),
        intent_declared=True,
    )
    # total: 6 short; areas: math 2 + directed 2 + electives 0 (2.0 overflow) = 4 -> total wins
    assert result.credits_still_needed == 6.0
    assert result.shortfall == 6.0


def test_applies_follows_declared_intent(requirements):
    assert check(requirements, [], intent=False).applies is False
    assert check(requirements, [], intent=True).applies is True
    assert not early_graduation_applies(None)
    assert not early_graduation_applies(EarlyGraduationPlan(intent_declared=False))
    assert early_graduation_applies(EarlyGraduationPlan(intent_declared=True, target=(11, "spring")))


def test_planned_course_without_grade_is_an_error(requirements):
    with pytest.raises(ValueError, match="needs a grade"):
        check(requirements, [CourseCredit("X", 1.0, "math")])


@pytest.mark.parametrize("point", [(13, "fall"), (-1, "spring"), (11, "summer")])
def test_bad_term_points(point):
    with pytest.raises(ValueError):
        half_year_index(point)


def test_half_years_are_ordered():
    assert half_year_index((0, "fall")) == 0
    assert half_year_index((11, "fall")) < half_year_index((11, "spring")) < half_year_index((12, "fall"))
