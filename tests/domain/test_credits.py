"""Credit audit against the test set: lang 2, math 2, directed 2 (fine arts 1 + CTE 0.5 +
0.5 unsplit), electives 2; total 10."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seop_tui.domain.credits import (
    AuditState,
    audit,
    check_plan,
    pathway_level,
    pathway_progress,
    pathways_progress,
    plan_credits,
)
from seop_tui.domain.records import CourseCredit, PlanEntry
from seop_tui.reference import RequirementArea, RequirementSet

MET, PLANNED, MISSING = AuditState.MET, AuditState.PLANNED, AuditState.MISSING


def credit(code, credits, area, subarea=None, *, pathway=None, level=None, grade=9, term="year") -> CourseCredit:
    return CourseCredit(code, credits, area, subarea, pathway, level, grade, term)


def everything_met() -> list[CourseCredit]:
    return [
        credit("ENG9", 1.0, "lang"),
        credit("ENG10", 1.0, "lang"),
        credit("ALG1", 1.0, "math"),
        credit("GEOM", 1.0, "math"),
        credit("ART1", 0.5, "directed", "fine_arts"),
        credit("ART2", 0.5, "directed", "fine_arts"),
        credit("NURINTRO", 0.5, "directed", "cte"),
        credit("HEALTH", 0.5, "directed"),
        credit("CHOIR", 1.0, "electives"),
        credit("BAND", 1.0, "electives"),
        credit("GYM", 1.0, "pe"),
        credit("DRAMA", 1.0, "electives"),
    ]


# ------------------------------------------------------------------- the audit


def test_nothing_earned_everything_missing(requirements):
    result = audit(requirements, [])
    assert result.state == MISSING
    assert [(line.code, line.required, line.earned, line.shortfall) for line in result.areas] == [
        ("lang", 2.0, 0.0, 2.0),
        ("math", 2.0, 0.0, 2.0),
        ("directed", 2.0, 0.0, 2.0),
        ("electives", 2.0, 0.0, 2.0),
    ]
    assert (result.total.required, result.total.earned, result.total.state) == (10.0, 0.0, MISSING)


def test_all_requirements_met(requirements):
    result = audit(requirements, everything_met())
    assert result.state == MET
    assert all(line.state == MET for line in result.areas)
    assert result.line("electives").earned == 4.0  # extra electives still show
    assert result.total.earned == 10.0
    assert result.missing() == ()
    assert result.describe_missing() == ()


def test_credits_beyond_an_area_overflow_to_electives(requirements):
    result = audit(
        requirements, [credit("ENG9", 1.0, "lang"), credit("ENG10", 1.0, "lang"), credit("ENG11", 1.0, "lang")]
    )
    assert result.line("lang").earned == 2.0
    assert result.line("lang").state == MET
    assert result.line("electives").earned == 1.0
    assert result.total.earned == 3.0


def test_subarea_overflow_fills_the_unsplit_part_then_electives(requirements):
    arts = [credit(f"ART{n}", 0.5, "directed", "fine_arts") for n in range(4)]  # 2.0 fine arts
    result = audit(requirements, arts)
    assert result.line("fine_arts").earned == 1.0
    assert result.line("directed").earned == 1.5  # 1.0 fine arts + 0.5 unsplit
    assert result.line("cte").earned == 0.0
    assert result.line("electives").earned == 0.5
    assert result.line("directed").state == MISSING  # CTE still short


def test_course_without_subarea_only_fills_the_unsplit_part(requirements):
    result = audit(requirements, [credit("HEALTH", 1.0, "directed")])
    assert result.line("directed").earned == 0.5
    assert result.line("fine_arts").earned == 0.0
    assert result.line("electives").earned == 0.5


def test_area_not_in_the_set_counts_as_elective(requirements):
    result = audit(requirements, [credit("GYM", 1.0, "pe")])
    assert result.line("electives").earned == 1.0
    with pytest.raises(KeyError):
        result.line("pe")


def test_subarea_of_another_area_is_ignored(requirements):
    result = audit(requirements, [credit("ODD", 1.0, "lang", "fine_arts")])
    assert result.line("lang").earned == 1.0
    assert result.line("fine_arts").earned == 0.0


def test_planned_courses_make_an_area_planned(requirements):
    result = audit(requirements, [credit("ENG9", 1.0, "lang")], [credit("ENG10", 1.0, "lang", grade=10)])
    lang = result.line("lang")
    assert (lang.earned, lang.planned, lang.state) == (1.0, 1.0, PLANNED)
    assert lang.shortfall == 0.0
    assert lang.still_needed == 1.0


def test_earned_is_placed_before_planned(requirements):
    result = audit(
        requirements, [credit("ENG9", 1.0, "lang"), credit("ENG10", 1.0, "lang")], [credit("ENG11", 1.0, "lang")]
    )
    assert (result.line("lang").earned, result.line("lang").planned) == (2.0, 0.0)
    assert (result.line("electives").earned, result.line("electives").planned) == (0.0, 1.0)


def test_short_even_with_plan_is_missing_with_shortfall(requirements):
    result = audit(requirements, [credit("M1", 0.5, "math")], [credit("M2", 0.5, "math")])
    math = result.line("math")
    assert (math.state, math.shortfall, math.still_needed) == (MISSING, 1.0, 1.5)


def test_areas_met_but_total_short(requirements):
    courses = [c for c in everything_met() if c.course_code not in ("GYM", "DRAMA")]  # 8.0 credits
    result = audit(requirements, courses)
    assert all(line.state == MET for line in result.areas)
    assert result.total.state == MISSING
    assert result.state == MISSING
    assert result.describe_missing() == ("Total credits: 2 credits short",)


def test_describe_missing_names_short_subareas(requirements):
    result = audit(requirements, [credit("ART1", 0.5, "directed", "fine_arts")])
    directed = next(words for words in result.describe_missing() if words.startswith("Directed"))
    assert directed == "Directed coursework: 1.5 credits short (Fine Arts 0.5, CTE 0.5)"


def test_overall_state_planned_when_plan_covers_everything(requirements):
    courses = everything_met()
    result = audit(requirements, courses[:6], courses[6:])
    assert result.state == PLANNED


def test_set_without_elective_area_still_shows_overflow():
    small = RequirementSet(
        code="s", name="s", total=2.0, areas=(RequirementArea(code="lang", name="Language Arts", credits=1.0),)
    )
    result = audit(small, [credit("ENG9", 1.0, "lang"), credit("ENG10", 1.0, "lang")])
    electives = result.line("electives")
    assert (electives.required, electives.earned, electives.state) == (0.0, 1.0, MET)
    assert result.state == MET


def test_area_required_zero_is_met(requirements):
    small = RequirementSet(code="s", name="s", total=0.0, areas=(RequirementArea(code="x", name="X", credits=0.0),))
    assert audit(small, []).state == MET


def test_negative_credits_rejected(requirements):
    with pytest.raises(ValueError, match="negative"):
        audit(requirements, [credit("BAD", -1.0, "lang")])


def test_quarter_credits_add_up_exactly(requirements):
    result = audit(requirements, [credit(f"Q{n}", 0.25, "math") for n in range(8)])
    assert result.line("math").earned == 2.0
    assert result.line("math").state == MET


def test_tenths_do_not_leave_float_noise(requirements):
    result = audit(requirements, [credit(f"T{n}", 0.1, "math") for n in range(20)])
    assert result.line("math").earned == 2.0
    assert result.line("math").state == MET


# ---------------------------------------------------------------- plan credits


def test_plan_credits_come_from_the_catalogue(catalog):
    planned = plan_credits([PlanEntry("NURCNA", 10, "fall"), PlanEntry("NOPE", 10)], catalog)
    assert planned == (CourseCredit("NURCNA", 1.0, "directed", "cte", "NUR", "concentrator", 10, "fall"),)


# ------------------------------------------------------------------- pathways


def nursing(code, credits, level, grade=10):
    return credit(code, credits, "directed", "cte", pathway="NUR", level=level, grade=grade)


def test_no_pathway_courses_no_level():
    assert pathway_level([], "NUR") is None


def test_explorer():
    assert pathway_level([nursing("NURINTRO", 0.5, "explorer")], "NUR") == "explorer"


def test_concentrator_needs_explorer_and_concentrator_course():
    courses = [nursing("NURINTRO", 0.5, "explorer"), nursing("NURCNA", 1.0, "concentrator")]
    assert pathway_level(courses, "NUR") == "concentrator"


def test_concentrator_course_alone_gives_no_level():
    assert pathway_level([nursing("NURCNA", 1.0, "concentrator")], "NUR") is None


def test_completer_needs_concentrator_course_and_three_credits():
    courses = [
        nursing("NURINTRO", 0.5, "explorer"),
        nursing("NURCNA", 1.0, "concentrator"),
        nursing("NURADV", 1.0, "completer"),
    ]
    assert pathway_level(courses, "NUR") == "concentrator"  # 2.5 credits
    assert pathway_level([*courses, nursing("NURLAB", 0.5, "explorer")], "NUR") == "completer"  # 3.0


def test_completer_without_explorer_course():
    courses = [nursing("A", 1.0, "concentrator"), nursing("B", 1.0, "concentrator"), nursing("C", 1.0, "completer")]
    assert pathway_level(courses, "NUR") == "completer"


def test_three_explorer_credits_are_not_completer():
    assert pathway_level([nursing(f"E{n}", 1.0, "explorer") for n in range(3)], "NUR") == "explorer"


def test_other_pathways_do_not_count():
    other = credit("PRG1", 3.0, "directed", "cte", pathway="PRG", level="concentrator")
    assert pathway_level([nursing("NURINTRO", 0.5, "explorer"), other], "NUR") == "explorer"


def test_completer_credits_is_a_parameter():
    courses = [nursing("NURINTRO", 0.5, "explorer"), nursing("NURCNA", 1.0, "concentrator")]
    assert pathway_level(courses, "NUR", completer_credits=1.5) == "completer"


def test_progress_earned_and_with_plan_separately():
    progress = pathway_progress(
        "NUR",
        [nursing("NURINTRO", 0.5, "explorer")],
        [nursing("NURCNA", 1.0, "concentrator", 11), nursing("NURADV", 1.5, "completer", 12)],
    )
    assert progress.level_earned == "explorer"
    assert progress.level_with_plan == "completer"
    assert (progress.credits_earned, progress.credits_with_plan) == (0.5, 3.0)


def test_pathways_progress_lists_every_pathway_once_in_order():
    earned = [credit("PRG1", 0.5, "directed", "cte", pathway="PRG", level="explorer"), credit("ENG9", 1.0, "lang")]
    planned = [
        nursing("NURINTRO", 0.5, "explorer"),
        credit("PRG2", 1.0, "directed", pathway="PRG", level="concentrator"),
    ]
    progress = pathways_progress(earned, planned)
    assert [(p.pathway_code, p.level_earned, p.level_with_plan) for p in progress] == [
        ("PRG", "explorer", "concentrator"),
        ("NUR", None, "explorer"),
    ]


# ---------------------------------------------------------- four-year plan checks


def test_clean_plan_has_no_issues(catalog):
    plan = [PlanEntry("ENG9", 9), PlanEntry("ALG1", 9), PlanEntry("ENG10", 10), PlanEntry("NURCNA", 10, "fall")]
    assert check_plan(plan, catalog) == ()


def test_course_planned_in_a_grade_it_is_not_offered_in(catalog):
    (issue,) = check_plan([PlanEntry("ENG9", 10)], catalog)
    assert (issue.kind, issue.course_code, issue.grade) == ("not_offered", "ENG9", 10)
    assert issue.message == "Eng9 is planned in grade 10 but is offered only in grade 9"
    (issue,) = check_plan([PlanEntry("GEOM", 9)], catalog)
    assert issue.message.endswith("is offered in grades 10, 11")


def test_course_planned_twice(catalog):
    issues = check_plan([PlanEntry("CHOIR", 9), PlanEntry("CHOIR", 10)], catalog)
    assert [(i.kind, i.course_code) for i in issues] == [("duplicate", "CHOIR")]
    assert issues[0].message == "Choir is planned 2 times"


def test_unknown_course(catalog):
    (issue,) = check_plan([PlanEntry("XYZ", 9)], catalog)
    assert (issue.kind, issue.course_code) == ("unknown_course", "XYZ")


def test_year_over_the_credit_limit(catalog):
    plan = [PlanEntry(code, 9) for code in ("ENG9", "ALG1", "CHOIR")] + [PlanEntry("ENG10", 10)]
    issues = check_plan(plan, catalog, credit_limit_per_year=2.5)
    assert [(i.kind, i.grade) for i in issues] == [("over_limit", 9)]
    assert issues[0].message == "grade 9 plans 3 credits, more than the limit of 2.5"
    assert check_plan(plan, catalog, credit_limit_per_year=3.0) == ()  # at the limit is fine


def test_default_limit_is_eight_per_year(catalog):
    plan = [PlanEntry("CHOIR", 9)] * 9
    kinds = {i.kind for i in check_plan(plan, catalog)}
    assert kinds == {"duplicate", "over_limit"}


# ------------------------------------------------------------------ properties

AREA_CODES = ["lang", "math", "directed", "electives", "pe"]
credits_strategy = st.builds(
    CourseCredit,
    course_code=st.text("ABC", min_size=1, max_size=3),
    credits=st.integers(0, 8).map(lambda quarters: quarters / 4),
    area=st.sampled_from(AREA_CODES),
    subarea=st.sampled_from([None, "fine_arts", "cte", "bogus"]),
)
course_lists = st.lists(credits_strategy, max_size=15)
RANK = {MISSING: 0, PLANNED: 1, MET: 2}


def lines_of(result):
    return [*result.areas, *(sub for line in result.areas for sub in line.subareas), result.total]


@given(earned=course_lists, planned=course_lists)
def test_total_credited_never_exceeds_input_credits(requirements, earned, planned):
    result = audit(requirements, earned, planned)
    given_credits = sum(c.credits for c in (*earned, *planned))
    credited = sum(line.earned + line.planned for line in result.areas)
    assert credited <= given_credits + 1e-9
    assert credited == pytest.approx(given_credits)  # with an elective area nothing is lost
    assert result.total.earned + result.total.planned == pytest.approx(given_credits)


@given(earned=course_lists, planned=course_lists)
def test_capped_lines_never_exceed_their_requirement(requirements, earned, planned):
    result = audit(requirements, earned, planned)
    for line in result.areas:
        if line.code != "electives":
            assert line.earned + line.planned <= line.required + 1e-9
        for sub in line.subareas:
            assert sub.earned + sub.planned <= sub.required + 1e-9
        assert sum(s.earned + s.planned for s in line.subareas) <= line.earned + line.planned + 1e-9


@given(earned=course_lists, planned=course_lists, extra=credits_strategy, as_planned=st.booleans())
def test_adding_a_course_never_worsens_an_area(requirements, earned, planned, extra, as_planned):
    before = audit(requirements, earned, planned)
    after = (
        audit(requirements, earned, [*planned, extra]) if as_planned else audit(requirements, [*earned, extra], planned)
    )
    for old, new in zip(lines_of(before), lines_of(after), strict=True):
        assert RANK[new.state] >= RANK[old.state], old.code
        assert not (old.state == MET and new.state == MISSING)


@given(earned=course_lists, planned=course_lists, data=st.data())
def test_course_order_does_not_matter(requirements, earned, planned, data):
    shuffled = data.draw(st.permutations(earned))
    assert audit(requirements, shuffled, planned) == audit(requirements, earned, planned)


@given(earned=course_lists, planned=course_lists)
def test_earned_figures_do_not_depend_on_the_plan(requirements, earned, planned):
    with_plan, without = audit(requirements, earned, planned), audit(requirements, earned)
    assert [line.earned for line in lines_of(with_plan)] == [line.earned for line in lines_of(without)]


def test_still_to_take_skips_transcript_and_past_grades():
    from seop_tui.domain.credits import still_to_take
    from seop_tui.domain.records import CourseCredit, PlanEntry

    entries = (PlanEntry("ENG9", 9), PlanEntry("ENG10", 10), PlanEntry("ART", 9), PlanEntry("ENG11", 11))
    earned = (CourseCredit("ENG9", 1.0, "language_arts", grade=9), CourseCredit("ENG10", 1.0, "language_arts", grade=10))
    # In grade 10: ENG9 and ENG10 are earned; ART was planned for grade 9 and never taken, so it is history.
    assert still_to_take(entries, earned, 10) == (PlanEntry("ENG11", 11),)
