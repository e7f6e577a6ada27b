from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seop_tui.domain.compliance import (
    NO_PLAN,
    SEOP_CLAUSES,
    SEP_CLAUSES,
    ClauseResult,
    ClauseState,
    all_met,
    evaluate_student,
    summarize,
)
from seop_tui.domain.records import (
    AssessmentResult,
    ConferenceRecord,
    CourseCredit,
    EarlyGraduationPlan,
    Goal,
    PlanEntry,
    StudentYear,
)

MET = ClauseState.MET
NOT_MET = ClauseState.NOT_MET
NOT_YET_DUE = ClauseState.NOT_YET_DUE
NOT_APPLICABLE = ClauseState.NOT_APPLICABLE


def conference(kind="individual", day=1, *, guardian=True, student=True, group_size=None) -> ConferenceRecord:
    return ConferenceRecord(kind, date(2024, 10, day), student, guardian, True, group_size)


def reviewed(kind: str) -> Goal:
    return Goal(kind, f"my {kind} goal", student_reviewed=True, parent_reviewed=True, teacher_reviewed=True)


RISE = AssessmentResult("RISE", "ELA", 3, 3)

# Earned credits meeting the whole test set (total 10).
ALL_CREDITS = (
    CourseCredit("ENG9", 1.0, "lang", grade=9),
    CourseCredit("ENG10", 1.0, "lang", grade=10),
    CourseCredit("ALG1", 1.0, "math", grade=9),
    CourseCredit("GEOM", 1.0, "math", grade=10),
    CourseCredit("ART1", 1.0, "directed", "fine_arts", grade=9),
    CourseCredit("NURINTRO", 0.5, "directed", "cte", "NUR", "explorer", grade=9),
    CourseCredit("HEALTH", 0.5, "directed", grade=9),
    CourseCredit("CHOIR", 4.0, "electives", grade=10),
)


def sep_student(grade=4, **changes) -> StudentYear:
    """An elementary plan meeting every clause."""
    student = StudentYear(
        student_id="s1",
        grade=grade,
        has_plan=True,
        assessment_results=(RISE,),
        strengths=2,
        needs_attention=1,
        goals=(reviewed("education"), reviewed("career")),
        conferences=(conference(day=1), conference(day=20)),
    )
    return replace(student, **changes)


def seop_student(grade=11, **changes) -> StudentYear:
    """A secondary plan meeting every clause (early graduation not applicable)."""
    student = StudentYear(
        student_id="s2",
        grade=grade,
        has_plan=True,
        assessment_results=(RISE,),
        accomplishments=1,
        strengths=1,
        conferences=(conference(), conference("small_group", 2, guardian=False, group_size=4)),
        inventory_completed=True,
        cluster_code="HEA",
        plan_entries=(PlanEntry("NURCNA", grade),),
        earned=ALL_CREDITS,
        postsecondary_plan="Nursing at a state university",
        occupation_plan="Registered nurse",
        parent_involvement_opportunities=1,
    )
    return replace(student, **changes)


@pytest.fixture
def evaluate(settings, framework, catalog, requirements):
    def run(student: StudentYear, **kwargs) -> dict[str, ClauseResult]:
        kwargs.setdefault("requirements", requirements)
        results = evaluate_student(student, settings=settings, clusters=framework, catalog=catalog, **kwargs)
        return {r.clause: r for r in results}

    return run


# ------------------------------------------------------------------ no plan


def test_no_plan_fails_every_sep_clause(evaluate):
    results = evaluate(StudentYear("s1", grade=2, has_plan=False))
    assert list(results) == [number for number, _ in SEP_CLAUSES]
    assert all(r.state == NOT_MET and r.missing == (NO_PLAN,) for r in results.values())


def test_no_plan_fails_every_seop_clause(evaluate):
    results = evaluate(StudentYear("s2", grade=7, has_plan=False))
    assert list(results) == [number for number, _ in SEOP_CLAUSES]
    assert all(r.state == NOT_MET and r.missing == (NO_PLAN,) for r in results.values())
    assert results["3.2.3.6"].state == NOT_MET  # even the early-graduation clause


def test_no_plan_even_with_other_records(evaluate):
    results = evaluate(sep_student(has_plan=False))
    assert {r.state for r in results.values()} == {NOT_MET}


# ---------------------------------------------------------------- SEP (K-5)


def test_complete_sep_meets_every_clause(evaluate):
    results = evaluate(sep_student())
    assert {number: r.state for number, r in results.items()} == {n: MET for n, _ in SEP_CLAUSES}
    assert all(r.missing == () and r.notes == () for r in results.values())
    assert results["3.1.3.2"].title == "Two individual conferences"


def test_kindergarten_without_assessment_results_uses_progress_notes(evaluate):
    student = sep_student(grade=0, assessment_results=(), progress_notes=2)
    assert evaluate(student)["3.1.3.1"].state == MET


def test_kindergarten_accomplishments_count_as_progress_data(evaluate):
    student = sep_student(grade=0, assessment_results=(), accomplishments=1)
    assert evaluate(student)["3.1.3.1"].state == MET


def test_kindergarten_with_no_progress_data_at_all(evaluate):
    result = evaluate(sep_student(grade=0, assessment_results=()))["3.1.3.1"]
    assert result.state == NOT_MET
    assert result.missing == ("no progress data: add a progress note or an accomplishment",)


def test_grade_3_notes_suffice_until_results_arrive(evaluate):
    result = evaluate(sep_student(grade=3, assessment_results=(), progress_notes=1))["3.1.3.1"]
    assert result.state == MET
    assert result.notes == ("RISE results will be added after spring testing",)


def test_grade_4_without_rise_results_not_met(evaluate):
    result = evaluate(sep_student(grade=4, assessment_results=(), progress_notes=5, accomplishments=3))["3.1.3.1"]
    assert result.state == NOT_MET
    assert result.missing == ("no state assessment results on file",)


def test_results_required_from_grade_is_a_parameter(evaluate):
    student = sep_student(grade=4, assessment_results=(), progress_notes=1)
    assert evaluate(student, results_required_from_grade=6)["3.1.3.1"].state == MET


def test_sep_strengths_and_areas_needing_attention_required(evaluate):
    result = evaluate(sep_student(strengths=0, needs_attention=0))["3.1.3.1"]
    assert result.state == NOT_MET
    assert result.missing == ("no strengths recorded", "no areas needing attention recorded")


def test_sep_one_conference_held(evaluate):
    result = evaluate(sep_student(conferences=(conference(),)))["3.1.3.2"]
    assert result.state == NOT_MET
    assert result.missing == ("1 individual conference still to hold",)


def test_sep_parent_requested_conference_does_not_count(evaluate):
    result = evaluate(sep_student(conferences=(conference(day=1), conference("parent_requested", 9))))["3.1.3.2"]
    assert result.state == NOT_MET
    assert result.missing == ("1 individual conference still to hold",)
    assert result.notes == (
        "conference on 2024-10-09 does not count: parent-requested conferences are extra (policy 2.5)",
    )


def test_sep_conference_without_parent_counts_with_a_note(evaluate):
    result = evaluate(sep_student(conferences=(conference(day=1, guardian=False), conference(day=20))))["3.1.3.2"]
    assert result.state == MET
    assert result.notes == ("conference on 2024-10-01: no parent or guardian present",)


def test_sep_goals_both_needed(evaluate):
    result = evaluate(sep_student(goals=(reviewed("education"),)))["3.1.3.3"]
    assert result.state == NOT_MET
    assert result.missing == ("no career-awareness goal",)
    assert evaluate(sep_student(goals=()))["3.1.3.3"].missing == ("no education goal", "no career-awareness goal")


def test_sep_goal_must_be_reviewed_by_student_parent_and_teacher(evaluate):
    half_done = Goal("career", "visit a fire station", student_reviewed=True, teacher_reviewed=True)
    result = evaluate(sep_student(goals=(reviewed("education"), half_done)))["3.1.3.3"]
    assert result.state == NOT_MET
    assert result.missing == ("career-awareness goal not yet reviewed by a parent or guardian",)
    nobody = Goal("career", "draw a map")
    result = evaluate(sep_student(goals=(reviewed("education"), nobody)))["3.1.3.3"]
    assert result.missing == (
        "career-awareness goal not yet reviewed by the student or a parent or guardian or the teacher",
    )


def test_sep_one_fully_reviewed_goal_of_each_kind_is_enough(evaluate):
    goals = (Goal("career", "unreviewed"), reviewed("career"), reviewed("education"))
    assert evaluate(sep_student(goals=goals))["3.1.3.3"].state == MET


# --------------------------------------------------------------- SEOP (6-12)


def test_complete_seop_meets_every_clause(evaluate):
    results = evaluate(seop_student())
    states = {number: r.state for number, r in results.items()}
    assert states == {**{n: MET for n, _ in SEOP_CLAUSES}, "3.2.3.6": NOT_APPLICABLE}
    assert all(r.missing == () for r in results.values())


def test_seop_conferences(evaluate):
    results = evaluate(seop_student(conferences=(conference(),)))
    assert results["3.2.1"].state == NOT_MET
    assert results["3.2.1"].missing == ("1 small-group conference still to hold",)
    assert results["3.2.3.5"].state == NOT_MET  # needs the conferences too
    assert results["3.2.3.5"].missing == ("1 small-group conference still to hold",)


def test_seop_small_group_over_district_limit_does_not_count(evaluate):
    student = seop_student(conferences=(conference(), conference("small_group", 2, group_size=6)))
    result = evaluate(student)["3.2.1"]
    assert result.state == NOT_MET
    assert "larger than the small-group limit of 5" in result.notes[0]


def test_seop_parent_involvement_required(evaluate):
    result = evaluate(seop_student(parent_involvement_opportunities=0))["3.2.3.5"]
    assert result.state == NOT_MET
    assert result.missing == ("no parent involvement opportunity documented this year",)


def test_seop_progress_accomplishments_strengths(evaluate):
    result = evaluate(seop_student(grade=7, assessment_results=(), accomplishments=0, strengths=0))["3.2.3.1"]
    assert result.state == NOT_MET
    assert result.missing == (
        "no state assessment results on file",
        "no accomplishments recorded",
        "no strengths recorded",
    )


def test_seop_credit_audit_from_grade_9(evaluate):
    short = tuple(c for c in ALL_CREDITS if c.area != "math")
    result = evaluate(seop_student(earned=short, plan_entries=()))["3.2.3.1"]
    assert result.state == NOT_MET
    assert result.missing == ("Mathematics: 2 credits short", "Total credits: 2 credits short")


def test_seop_credit_audit_counts_the_plan(evaluate):
    short = tuple(c for c in ALL_CREDITS if c.area != "math")
    # Grade 11: the plan still to come (grades 11-12) covers the missing math.
    plan = (PlanEntry("ALG1", 11), PlanEntry("GEOM", 12), PlanEntry("NURCNA", 11))
    assert evaluate(seop_student(earned=short, plan_entries=plan))["3.2.3.1"].state == MET


def test_seop_grade_8_has_no_credit_audit(evaluate):
    result = evaluate(seop_student(grade=8, earned=(), plan_entries=()), requirements=None)["3.2.3.1"]
    assert result.state == MET


def test_seop_grade_9_needs_a_requirement_set(evaluate):
    with pytest.raises(ValueError, match="requirement set"):
        evaluate(seop_student(grade=9), requirements=None)


def test_seop_interest_inventory(evaluate):
    result = evaluate(seop_student(inventory_completed=False))["3.2.3.2"]
    assert (result.state, result.missing) == (NOT_MET, ("no completed interest inventory",))


def test_grade_12_without_cluster_not_met(evaluate):
    result = evaluate(seop_student(grade=12, cluster_code=None))["3.2.3.3"]
    assert result.state == NOT_MET
    assert result.missing == ("no career cluster chosen (due by grade 10)",)


def test_grade_9_without_cluster_not_yet_due(evaluate):
    result = evaluate(seop_student(grade=9, cluster_code=None))["3.2.3.3"]
    assert result.state == NOT_YET_DUE
    assert result.missing == ("no career cluster chosen (due by grade 10)",)


def test_grade_9_with_cluster_and_course_is_met_early(evaluate):
    student = seop_student(grade=9, earned=(), plan_entries=(PlanEntry("NURINTRO", 9),))
    assert evaluate(student)["3.2.3.3"].state == MET


def test_grade_9_with_cluster_but_no_fitting_course_not_yet_due(evaluate):
    student = seop_student(grade=9, earned=(), plan_entries=(PlanEntry("ENG9", 9),))
    result = evaluate(student)["3.2.3.3"]
    assert result.state == NOT_YET_DUE
    assert result.missing == ("no course from the Health Science pathways in the course plan",)


def test_grade_10_cluster_without_fitting_course_not_met(evaluate):
    student = seop_student(grade=10, cluster_code="ART", earned=(), plan_entries=(PlanEntry("NURCNA", 10),))
    result = evaluate(student)["3.2.3.3"]
    assert result.state == NOT_MET
    assert result.missing == ("no course from the Arts pathways in the course plan",)


def test_earned_pathway_course_fits_the_cluster(evaluate):
    student = seop_student(grade=12, plan_entries=())  # NURINTRO earned in grade 9
    assert evaluate(student)["3.2.3.3"].state == MET


def test_unknown_cluster_not_met(evaluate):
    result = evaluate(seop_student(grade=8, cluster_code="ZZZ"))["3.2.3.3"]
    assert result.state == NOT_MET
    assert result.missing == ("career cluster 'ZZZ' is not in the district's framework",)


def test_post_secondary_plans(evaluate):
    result = evaluate(seop_student(postsecondary_plan="  ", occupation_plan=""))["3.2.3.4"]
    assert result.state == NOT_MET
    assert result.missing == ("no post-secondary education plan", "no occupation plan")


def test_early_graduation_not_applicable_without_intent(evaluate):
    plan = EarlyGraduationPlan(intent_declared=False)
    assert evaluate(seop_student(early_graduation=plan))["3.2.3.6"].state == NOT_APPLICABLE


def test_early_graduation_declared_needs_target_and_three_approvals(evaluate):
    result = evaluate(seop_student(early_graduation=EarlyGraduationPlan(intent_declared=True)))["3.2.3.6"]
    assert result.state == NOT_MET
    assert result.missing == (
        "no target term for early graduation",
        "not yet approved by the student",
        "not yet approved by a parent or guardian",
        "not yet approved by a school official",
    )


def test_early_graduation_complete(evaluate):
    plan = EarlyGraduationPlan(
        True, (11, "spring"), student_approved=True, parent_approved=True, official_approved=True
    )
    assert evaluate(seop_student(early_graduation=plan))["3.2.3.6"].state == MET


def test_grade_6_is_seop(evaluate):
    assert list(evaluate(seop_student(grade=6))) == [n for n, _ in SEOP_CLAUSES]


def test_all_met_ignores_not_due_and_not_applicable(evaluate):
    assert all_met(evaluate(seop_student(grade=9, cluster_code=None)).values())
    assert not all_met(evaluate(seop_student(inventory_completed=False)).values())


# ------------------------------------------------------------------ summary


def test_summary_counts_per_clause(evaluate):
    students = {
        "a": seop_student(grade=9, cluster_code=None),  # 3.2.3.3 not yet due
        "b": seop_student(grade=11),
        "c": seop_student(grade=11, inventory_completed=False),
        "d": sep_student(grade=2, assessment_results=(), progress_notes=1),
        "e": StudentYear("e", grade=12, has_plan=False),
    }
    summary = summarize((sid, evaluate(replace(s, student_id=sid)).values()) for sid, s in students.items())
    by_clause = {s.clause: s for s in summary}
    assert [s.clause for s in summary] == [
        "3.1.3.1",
        "3.1.3.2",
        "3.1.3.3",
        "3.2.1",
        "3.2.3.1",
        "3.2.3.2",
        "3.2.3.3",
        "3.2.3.4",
        "3.2.3.5",
        "3.2.3.6",
    ]
    inventory = by_clause["3.2.3.2"]
    assert (inventory.met, inventory.not_met, inventory.total) == (2, 2, 4)
    assert inventory.percent == 50.0
    assert inventory.not_meeting == ("c", "e")
    cluster = by_clause["3.2.3.3"]
    assert (cluster.met, cluster.not_met, cluster.not_yet_due, cluster.total) == (2, 1, 1, 3)
    early = by_clause["3.2.3.6"]
    assert (early.met, early.not_met, early.not_applicable, early.total) == (0, 1, 3, 1)
    assert early.percent == 0.0
    assert by_clause["3.1.3.1"].percent == 100.0
    assert by_clause["3.1.3.1"].title == "Progress, strengths, areas needing attention"


def test_summary_percent_none_when_nobody_due():
    result = ClauseResult("3.2.3.6", "Early graduation plan", NOT_APPLICABLE)
    (summary,) = summarize([("a", [result]), ("b", [result])])
    assert (summary.total, summary.percent, summary.not_applicable) == (0, None, 2)


def test_summary_of_nobody_is_empty():
    assert summarize([]) == ()


def test_summary_of_a_whole_district(evaluate):
    # 36,000 students share one result list: the summary is a single pass.
    met = ClauseResult("3.2.3.2", "Interest inventory", MET)
    not_met = ClauseResult("3.2.3.2", "Interest inventory", NOT_MET)
    rows = ((f"s{n}", [not_met if n % 4 == 0 else met]) for n in range(36_000))
    (summary,) = summarize(rows)
    assert (summary.met, summary.not_met, summary.percent) == (27_000, 9_000, 75.0)
    assert summary.not_meeting[:2] == ("s0", "s4")


def _summary_one_by_one(rows):
    """The counts worked out student by student, result by result: what summarize must agree with."""
    counts, titles, lists = {}, {}, {}
    for sid, results in rows:
        for r in results:
            counts.setdefault(r.clause, dict.fromkeys(ClauseState, 0))[r.state] += 1
            titles.setdefault(r.clause, r.title)
            lists.setdefault(r.clause, [])
            if r.state == NOT_MET:
                lists[r.clause].append(sid)
    return {c: (titles[c], counts[c][MET], counts[c][NOT_MET], counts[c][NOT_YET_DUE], counts[c][NOT_APPLICABLE], tuple(lists[c])) for c in counts}


@given(st.lists(st.tuples(st.integers(0, 3), st.lists(st.sampled_from(["3.2.1", "3.2.3.2", "3.2.3.10"]), unique=True, max_size=3),
                          st.lists(st.sampled_from(list(ClauseState)), min_size=3, max_size=3)), max_size=30))
def test_summary_of_shared_and_separate_result_lists_counts_each_student(spec):
    # Students that share one result list and students with lists of their own, mixed.
    shared = [ClauseResult("3.2.1", "Conferences", NOT_MET), ClauseResult("3.2.3.2", "Inventory", MET)]
    rows = []
    for n, (kind, clauses, states) in enumerate(spec):
        own = [ClauseResult(c, f"title {c}", s) for c, s in zip(clauses, states)]
        rows.append((f"s{n}", shared if kind == 0 else own))
    summary = summarize(iter(rows))
    assert [s.clause for s in summary] == sorted({r.clause for _, rs in rows for r in rs}, key=lambda c: [int(p) for p in c.split(".")])
    assert {s.clause: (s.title, s.met, s.not_met, s.not_yet_due, s.not_applicable, s.not_meeting) for s in summary} == _summary_one_by_one(rows)
