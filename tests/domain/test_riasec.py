from __future__ import annotations

from fractions import Fraction

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seop_tui.domain.riasec import AREAS, describe_code, explain_code, fit, full_tie_order, score, suggest_clusters
from seop_tui.reference import InventoryScoring

ALL_ZERO = {f"{a}{n}": 0 for a in AREAS for n in (1, 2)}


def answers(**values: int) -> dict[str, int]:
    """Every item answered 0, except the ones given, e.g. answers(S1=4)."""
    return {**ALL_ZERO, **values}


# ------------------------------------------------------------------- scoring


def test_area_score_is_sum_of_its_item_values(inventory):
    profile = score(answers(R1=4, R2=3, I1=2, S1=1, S2=1), inventory)
    assert profile.scores == {"R": 7, "I": 2, "A": 0, "S": 2, "E": 0, "C": 0}


def test_maximum_per_area_is_items_times_top_of_scale(inventory):
    profile = score({}, inventory)
    assert profile.maxima == dict.fromkeys(AREAS, 8)  # 2 items x 4


def test_counts_answered_and_completeness(inventory):
    profile = score({"R1": 4, "I1": 0, "A1": 2}, inventory)
    assert (profile.answered, profile.total_items) == (3, 12)
    assert profile.completeness == pytest.approx(0.25)
    assert not profile.complete
    assert score(ALL_ZERO, inventory).complete


def test_holland_code_is_top_three_of_ranking(inventory):
    profile = score(answers(S1=4, S2=4, A1=4, A2=2, E1=3), inventory)
    assert profile.ranking[:3] == ("S", "A", "E")
    assert profile.code == "SAE"


def test_code_length_comes_from_scoring(inventory):
    two = msgspec.structs.replace(inventory, scoring=InventoryScoring(code_length=2))
    assert score(answers(C1=4, E1=3, A1=1), two).code == "CE"


def test_normalized_score_and_rank(inventory):
    profile = score(answers(I1=4, I2=2), inventory)
    assert profile.normalized("I") == Fraction(6, 8)
    assert profile.rank_of("I") == 1
    assert profile.rank_of("C") == 6


# ------------------------------------------------------------------ tie rule


def test_tie_equal_scores_more_top_answers_first(inventory):
    # S = 4 + 0 (one "strongly like"), A = 2 + 2 (none): S first though A is earlier in tie order.
    profile = score(answers(A1=2, A2=2, S1=4), inventory)
    assert profile.scores["A"] == profile.scores["S"] == 4
    assert profile.ranking[:2] == ("S", "A")


def test_tie_equal_scores_and_top_answers_falls_back_to_tie_order(inventory):
    profile = score(answers(C1=3, E1=3, I1=3), inventory)
    assert profile.code == "IEC"  # R-I-A-S-E-C order among equals


def test_tie_order_from_scoring_is_used(inventory_factory):
    reversed_order = inventory_factory(tie_order=("C", "E", "S", "A", "I", "R"))
    profile = score(answers(C1=3, E1=3, I1=3), reversed_order)
    assert profile.code == "CEI"


def test_all_equal_gives_tie_order(inventory):
    profile = score({item: 2 for item in ALL_ZERO}, inventory)
    assert profile.ranking == AREAS
    assert profile.code == "RIA"


def test_partial_tie_order_is_completed_in_riasec_order():
    assert full_tie_order(("S",)) == ("S", "R", "I", "A", "E", "C")
    assert full_tie_order(("E", "E", "R")) == ("E", "R", "I", "A", "S", "C")


# ----------------------------------------------------------------- empty cases


def test_no_answers_gives_no_code(inventory):
    profile = score({}, inventory)
    assert profile.scores == dict.fromkeys(AREAS, 0)
    assert profile.answered == 0
    assert profile.completeness == 0.0
    assert profile.code == ""
    assert profile.ranking == AREAS  # still a full ranking, by tie order


def test_inventory_without_items(inventory_factory):
    empty = inventory_factory(items_per_area=0)
    profile = score({}, empty)
    assert profile.total_items == 0
    assert profile.maxima == dict.fromkeys(AREAS, 0)
    assert profile.normalized("R") == 0
    assert profile.code == ""


# -------------------------------------------------------------------- errors


def test_unknown_item_raises(inventory):
    with pytest.raises(ValueError, match="unknown inventory item 'Z9'"):
        score({"Z9": 2}, inventory)


@pytest.mark.parametrize("value", [-1, 5, 2.0, True, "3", None])
def test_value_off_the_scale_raises(inventory, value):
    with pytest.raises(ValueError, match="must be one of"):
        score({"R1": value}, inventory)


# ------------------------------------------------------------- plain words


def test_explain_code_gives_names_and_summaries_in_order(inventory):
    explained = explain_code("SA", inventory)
    assert [a.name for a in explained] == ["Social", "Artistic"]
    assert explained[0].summary.startswith("You like helping")


def test_describe_code_is_one_line(inventory):
    text = describe_code("SAE", inventory)
    assert text.startswith("Social: You like helping")
    assert text.count(";") == 2
    assert describe_code("", inventory) == ""


def test_explain_unknown_letter_raises(inventory):
    with pytest.raises(ValueError, match="X"):
        explain_code("SX", inventory)


# --------------------------------------------------------- cluster suggestions


def social_investigative(inventory):
    # S = 8/8, I = 4/8, everything else 0; code SIR.
    return score(answers(S1=4, S2=4, I1=2, I2=2), inventory)


def test_clusters_ranked_by_weighted_fit(inventory, framework):
    suggestions = suggest_clusters(social_investigative(inventory), framework)
    assert [s.cluster_code for s in suggestions] == ["HEA", "CS", "ART", "BUS"]
    by_code = {s.cluster_code: s for s in suggestions}
    # weights 3, 2, 1 over 6
    assert by_code["HEA"].fit == pytest.approx((3 * 1 + 2 * 0.5) / 6)  # S, I, R
    assert by_code["CS"].fit == pytest.approx(3 * 0.5 / 6)  # I, C, R
    assert by_code["ART"].fit == pytest.approx(1 / 6)  # A, E, S
    assert by_code["BUS"].fit == pytest.approx(1 / 6)  # E, C, S


def test_equal_fit_keeps_file_order(inventory, framework):
    suggestions = suggest_clusters(social_investigative(inventory), framework)
    codes = [s.cluster_code for s in suggestions]
    assert codes.index("ART") < codes.index("BUS")  # both 1/6


def test_matched_areas_are_cluster_areas_in_student_code(inventory, framework):
    by_code = {s.cluster_code: s for s in suggest_clusters(social_investigative(inventory), framework)}
    assert by_code["HEA"].matched == ("S", "I", "R")
    assert by_code["ART"].matched == ("S",)
    assert by_code["BUS"].matched == ("S",)


def test_pathways_ranked_within_cluster(inventory, framework):
    suggestions = suggest_clusters(social_investigative(inventory), framework, with_pathways=True)
    health = suggestions[0]
    assert [p.pathway_code for p in health.pathways] == ["NUR", "LAB"]
    assert health.pathways[0].fit == pytest.approx((2 * 1 + 1 * 0.5) / 3)
    assert health.pathways[1].fit == pytest.approx((2 * 0.5) / 3)
    programming = next(s for s in suggestions if s.cluster_code == "CS").pathways[0]
    assert programming.fit == pytest.approx(3 * 0.5 / 6)  # no letters of its own: the cluster's


def test_pathways_left_out_unless_asked(inventory, framework):
    assert all(s.pathways == () for s in suggest_clusters(social_investigative(inventory), framework))


def test_limit(inventory, framework):
    assert len(suggest_clusters(social_investigative(inventory), framework, limit=2)) == 2


def test_no_answers_gives_zero_fit_in_file_order(inventory, framework):
    suggestions = suggest_clusters(score({}, inventory), framework)
    assert [s.cluster_code for s in suggestions] == ["HEA", "ART", "CS", "BUS"]
    assert all(s.fit == 0 and s.matched == () for s in suggestions)


def test_fit_of_no_areas_is_zero(inventory):
    assert fit(score(ALL_ZERO, inventory), ()) == 0


# ------------------------------------------------------------------ properties

ITEM_IDS = sorted(ALL_ZERO)
answer_sets = st.dictionaries(st.sampled_from(ITEM_IDS), st.integers(0, 4))


@given(given_answers=answer_sets)
def test_code_is_a_prefix_of_a_permutation_of_riasec(inventory, given_answers):
    profile = score(given_answers, inventory)
    assert sorted(profile.ranking) == sorted(AREAS)
    assert profile.code == "".join(profile.ranking[: len(profile.code)])
    assert len(profile.code) == (3 if given_answers else 0)


@given(given_answers=answer_sets)
def test_scores_within_bounds(inventory, given_answers):
    profile = score(given_answers, inventory)
    for area in AREAS:
        answered_here = sum(1 for item in given_answers if item[0] == area)
        assert 0 <= profile.scores[area] <= 4 * answered_here <= profile.maxima[area]
        assert 0 <= profile.normalized(area) <= 1
    assert 0 <= profile.completeness <= 1


@given(given_answers=answer_sets)
def test_ranking_follows_scores(inventory, given_answers):
    profile = score(given_answers, inventory)
    ranked_scores = [profile.scores[a] for a in profile.ranking]
    assert ranked_scores == sorted(ranked_scores, reverse=True)


@given(given_answers=answer_sets, item=st.sampled_from(ITEM_IDS), data=st.data())
def test_adding_points_to_an_area_never_lowers_its_rank(inventory, given_answers, item, data):
    before = given_answers.get(item, 0)
    if before == 4:
        return
    raised = {**given_answers, item: data.draw(st.integers(before + 1, 4))}
    area = item[0]
    assert score(raised, inventory).rank_of(area) <= score(given_answers, inventory).rank_of(area)


@given(given_answers=answer_sets, data=st.data())
def test_answer_order_does_not_matter(inventory, given_answers, data):
    shuffled = data.draw(st.permutations(list(given_answers.items())))
    assert score(dict(shuffled), inventory) == score(given_answers, inventory)


@given(given_answers=answer_sets)
def test_cluster_fits_are_between_0_and_1_and_sorted(inventory, framework, given_answers):
    suggestions = suggest_clusters(score(given_answers, inventory), framework, with_pathways=True)
    fits = [s.fit for s in suggestions]
    assert fits == sorted(fits, reverse=True)
    assert all(0 <= s.fit <= 1 for s in suggestions)
    assert all(0 <= p.fit <= 1 for s in suggestions for p in s.pathways)
    assert sorted(s.cluster_code for s in suggestions) == sorted(c.code for c in framework.clusters)
