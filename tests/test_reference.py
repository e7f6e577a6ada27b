"""The shipped reference data and the loader that reads it."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
import yaml

from seop_tui.paths import shipped_data_dir
from seop_tui.reference import (
    RIASEC_ORDER,
    ClusterFramework,
    DataFileError,
    load_file,
    load_reference,
)

UTAH_CLUSTER_NAMES = [
    "Agriculture, Food & Natural Resources",
    "Architecture & Construction",
    "Arts, Audio/Visual Technology & Communications",
    "Business, Finance & Marketing",
    "Computer Science & Information Technology",
    "Education & Training",
    "Engineering & Technology",
    "Health Science",
    "Hospitality & Tourism",
    "Human Services",
    "Law, Public Safety, Corrections & Security",
    "Manufacturing",
    "Transportation, Distribution & Logistics",
]

AREA_CODES = ["language_arts", "mathematics", "science", "social_studies", "directed", "pe_health", "electives"]
DIRECTED_SUBAREAS = ["fine_arts", "cte", "digital_studies", "financial_literacy"]


@pytest.fixture(scope="module")
def national() -> ClusterFramework:
    return load_file("clusters/national-16.yaml", ClusterFramework)


def shipped(name: str):
    with (shipped_data_dir() / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(folder: Path) -> str:
    with pytest.raises(DataFileError) as info:
        load_reference(folder)
    return str(info.value)


# ------------------------------------------------------------------ loading


def test_shipped_files_load(ref):
    assert ref.source == str(shipped_data_dir())
    assert ref.district.cluster_framework == "utah-13"
    assert ref.clusters.name
    assert ref.courses.courses
    assert ref.requirements.sets
    assert ref.inventory.items
    assert ref.assessments.assessments


def test_every_shipped_yaml_file_loads_alone():
    # Alternative cluster frameworks are not loaded by load_reference; check them too.
    for path in sorted((shipped_data_dir() / "clusters").glob("*.yaml")):
        framework = load_file(f"clusters/{path.name}", ClusterFramework)
        assert framework.clusters, path.name


# ----------------------------------------------------------------- district


def test_district_settings(ref):
    d = ref.district
    assert d.name == "Washington County School District"
    assert d.small_group_max == 5
    assert d.cluster_required_by_grade == 10
    assert (d.school_year.starts, d.school_year.ends) == ("08-15", "05-29")
    assert (d.idle_timeouts.student_minutes, d.idle_timeouts.staff_minutes) == (5, 15)
    assert d.student_credential == "pin"
    assert d.staff_password_min_length == 12


def test_grade_bands_cover_k12_once_with_policy_conferences(ref):
    bands = ref.district.grade_bands
    for grade in range(0, 13):
        assert sum(band.covers(grade) for band in bands) == 1, grade
    sep = ref.district.band_for(0)
    seop = ref.district.band_for(12)
    assert (sep.code, sep.first_grade, sep.last_grade) == ("SEP", 0, 5)
    assert (seop.code, seop.first_grade, seop.last_grade) == ("SEOP", 6, 12)
    assert {c.kind: c.count for c in sep.conferences} == {"individual": 2}
    assert {c.kind: c.count for c in seop.conferences} == {"individual": 1, "small_group": 1}


# ----------------------------------------------------------------- clusters


def check_framework_shape(framework: ClusterFramework) -> None:
    assert len({c.code for c in framework.clusters}) == len(framework.clusters)
    pathway_codes = [p.code for c in framework.clusters for p in c.pathways]
    assert len(set(pathway_codes)) == len(pathway_codes), Counter(pathway_codes).most_common(3)
    for cluster in framework.clusters:
        assert cluster.code.isupper(), cluster.code
        assert cluster.description.strip(), cluster.code
        assert 2 <= len(cluster.riasec) <= 3, cluster.code
        assert len(set(cluster.riasec)) == len(cluster.riasec), cluster.code
        assert 6 <= len(cluster.occupations) <= 10, cluster.code
        assert 2 <= len(cluster.pathways) <= 5, cluster.code
        for pathway in cluster.pathways:
            assert pathway.occupations, pathway.code
            assert len(pathway.riasec) <= 3, pathway.code
            assert len(set(pathway.riasec)) == len(pathway.riasec), pathway.code
    tags = {letter for c in framework.clusters for letter in c.riasec}
    assert tags == set(RIASEC_ORDER)


def test_utah_has_the_13_cte_clusters(ref):
    assert [c.name for c in ref.clusters.clusters] == UTAH_CLUSTER_NAMES
    check_framework_shape(ref.clusters)


def test_national_framework_has_16_clusters(national):
    assert len(national.clusters) == 16
    check_framework_shape(national)


def test_national_reuses_utah_pathway_codes(ref, national):
    utah_codes = {p.code for c in ref.clusters.clusters for p in c.pathways}
    shared = 0
    for cluster in national.clusters:
        for pathway in cluster.pathways:
            if pathway.code in utah_codes:
                shared += 1
            else:
                # A pathway of its own is named after its national cluster.
                assert pathway.code.startswith(cluster.code + "-"), pathway.code
    assert shared >= 20


def test_framework_lookup_helpers(ref):
    assert ref.clusters.cluster("HS").name == "Health Science"
    cluster, pathway = ref.clusters.pathway("AG-ANI")
    assert (cluster.code, pathway.name) == ("AG", "Animal Science")
    assert ref.clusters.pathway("XX-NONE") is None


# ------------------------------------------------------------------ courses


def test_catalog_size_codes_credits_and_grades(ref):
    courses = ref.courses.courses
    assert len(courses) >= 80
    codes = [c.code for c in courses]
    assert len(set(codes)) == len(codes), [c for c, n in Counter(codes).items() if n > 1]
    for course in courses:
        assert course.credits in (0.25, 0.5, 1.0), course.code
        assert course.grades and set(course.grades) <= {9, 10, 11, 12}, course.code
        assert list(course.grades) == sorted(set(course.grades)), course.code
    assert ref.courses.by_code["SM1"].name == "Secondary Math I"


def test_catalog_covers_every_requirement_area_and_subarea(ref):
    areas = {c.area for c in ref.courses.courses}
    subareas = {c.subarea for c in ref.courses.courses if c.subarea}
    for rset in ref.requirements.sets:
        for area in rset.areas:
            assert area.code in areas, (rset.code, area.code)
            for sub in area.subareas:
                assert sub.code in subareas, (rset.code, sub.code)


def test_subareas_only_under_directed(ref):
    for course in ref.courses.courses:
        if course.subarea is not None:
            assert course.area == "directed", course.code
            assert course.subarea in DIRECTED_SUBAREAS, course.code
        if course.area == "directed":
            assert course.subarea is not None, course.code


def test_pathway_courses_are_cte_and_name_utah_pathways(ref):
    utah_codes = {p.code for c in ref.clusters.clusters for p in c.pathways}
    for course in ref.courses.courses:
        if course.pathway is not None:
            assert course.pathway in utah_codes, course.code
            assert (course.area, course.subarea) == ("directed", "cte"), course.code
            assert course.level is not None, course.code


@pytest.mark.parametrize("pathway_code", [p.code for c in load_reference().clusters.clusters for p in c.pathways])
def test_every_utah_pathway_can_be_completed(ref, pathway_code):
    courses = [c for c in ref.courses.courses if c.pathway == pathway_code]
    levels = {c.level for c in courses}
    assert "explorer" in levels, pathway_code
    assert "concentrator" in levels, pathway_code
    # Completer: a concentrator course and 3.0 pathway credits, all within grades 9-12.
    assert sum(c.credits for c in courses) >= 3.0, pathway_code
    # An explorer is open to students before the later courses.
    first_explorer_grade = min(min(c.grades) for c in courses if c.level == "explorer")
    assert first_explorer_grade <= 10, pathway_code


# ------------------------------------------------------------- requirements


def test_requirement_sets_add_up(ref):
    codes = {s.code for s in ref.requirements.sets}
    assert codes == {"utah-24", "utah-24-ss35", "wcsd-27", "wcsd-27-ss35"}
    for rset in ref.requirements.sets:
        assert [a.code for a in rset.areas] == AREA_CODES, rset.code
        assert math.isclose(sum(a.credits for a in rset.areas), rset.total), rset.code
        for area in rset.areas:
            if area.subareas:
                assert math.isclose(sum(s.credits for s in area.subareas), area.credits), (rset.code, area.code)
        assert rset.elective_area in {a.code for a in rset.areas}


def test_requirement_set_credits(ref):
    by_code = {s.code: s for s in ref.requirements.sets}

    def credits(code):
        return {a.code: a.credits for a in by_code[code].areas}

    assert by_code["utah-24"].total == 24.0
    assert credits("utah-24") == {
        "language_arts": 4.0, "mathematics": 3.0, "science": 3.0, "social_studies": 3.0,
        "directed": 3.5, "pe_health": 2.0, "electives": 5.5,
    }
    directed = next(a for a in by_code["utah-24"].areas if a.code == "directed")
    assert {s.code: s.credits for s in directed.subareas} == {
        "fine_arts": 1.5, "cte": 1.0, "digital_studies": 0.5, "financial_literacy": 0.5,
    }
    assert (credits("utah-24-ss35")["social_studies"], credits("utah-24-ss35")["electives"]) == (3.5, 5.0)
    assert by_code["wcsd-27"].total == by_code["wcsd-27-ss35"].total == 27.0
    assert credits("wcsd-27")["social_studies"] == 3.0
    assert credits("wcsd-27-ss35")["social_studies"] == 3.5


@pytest.mark.parametrize(
    ("school", "cohort", "expected"),
    [
        ("DHS", 2024, "wcsd-27"),
        ("DHS", 2025, "wcsd-27"),
        ("DHS", 2026, "wcsd-27-ss35"),
        ("PVHS", 2030, "wcsd-27-ss35"),
        ("SHS", 2025, "utah-24"),
        ("SHS", 2026, "utah-24-ss35"),
        ("ANY", 1999, "utah-24"),
    ],
)
def test_requirement_rules_pick_a_set(ref, school, cohort, expected):
    assert ref.requirements.set_for(school, cohort).code == expected


# ---------------------------------------------------------------- inventory


def test_inventory_items(ref):
    inv = ref.inventory
    counts = Counter(item.area for item in inv.items)
    assert set(counts) == set(RIASEC_ORDER)
    assert len(set(counts.values())) == 1
    assert min(counts.values()) >= 5
    ids = [item.id for item in inv.items]
    assert len(set(ids)) == len(ids)
    for item in inv.items:
        assert item.id[0] == item.area and item.id[1:].isdigit(), item.id
        assert 0 < len(item.text) <= 60, item.id
    # Areas take turns: no two neighbours share an area.
    assert all(a.area != b.area for a, b in zip(inv.items, inv.items[1:]))


def test_inventory_scale_areas_and_scoring(ref):
    inv = ref.inventory
    assert [(p.value, p.label) for p in inv.scale] == [
        (0, "Strongly dislike"), (1, "Dislike"), (2, "Not sure"), (3, "Like"), (4, "Strongly like"),
    ]
    assert [a.code for a in inv.areas] == list(RIASEC_ORDER)
    assert all(a.name and a.summary for a in inv.areas)
    assert inv.instructions.strip()
    assert inv.scoring.code_length == 3
    assert list(inv.scoring.tie_order) == list(RIASEC_ORDER)


# -------------------------------------------------------------- assessments


def test_assessments(ref):
    a = ref.assessments
    assert [(lv.level, lv.name) for lv in a.levels] == [
        (1, "Below Proficient"), (2, "Approaching Proficient"), (3, "Proficient"), (4, "Highly Proficient"),
    ]
    by_code = {x.code: x for x in a.assessments}
    assert set(by_code) == {"RISE", "ASPIRE", "ACT"}
    rise = {s.code: list(s.grades) for s in by_code["RISE"].subjects}
    assert rise == {"ELA": [3, 4, 5, 6, 7, 8], "MATH": [3, 4, 5, 6, 7, 8], "SCI": [4, 5, 6, 7, 8], "WRIT": [5, 8]}
    aspire = by_code["ASPIRE"]
    assert {s.code for s in aspire.subjects} == {"ENG", "MATH", "READ", "SCI"}
    assert all(list(s.grades) == [9, 10] for s in aspire.subjects)
    assert "ACT" in aspire.description
    act = by_code["ACT"]
    assert act.score_range == (1, 36)
    assert {s.code for s in act.subjects} == {"ENG", "MATH", "READ", "SCI", "COMP"}
    assert all(list(s.grades) == [11] for s in act.subjects)


# ----------------------------------------------------------- district override


def test_override_folder_replaces_only_its_files(tmp_path, ref):
    courses = {"courses": [
        {"code": "X1", "name": "Local Course", "credits": 1.0, "grades": [9], "area": "electives"},
    ]}
    write(tmp_path, "courses.yaml", courses)
    local = load_reference(tmp_path)
    assert local.source == str(tmp_path)
    assert [c.code for c in local.courses.courses] == ["X1"]
    # Everything else still comes from the shipped folder.
    assert local.district == ref.district
    assert local.clusters == ref.clusters
    assert local.requirements == ref.requirements
    assert local.inventory == ref.inventory
    assert local.assessments == ref.assessments


def test_override_district_can_choose_another_framework(tmp_path, national):
    district = shipped("district.yaml")
    district["cluster_framework"] = "national-16"
    district["small_group_max"] = 4
    write(tmp_path, "district.yaml", district)
    local = load_reference(tmp_path)
    assert local.district.small_group_max == 4
    assert local.clusters == national


def test_override_cluster_file_in_subfolder(tmp_path):
    framework = shipped("clusters/utah-13.yaml")
    framework["clusters"][0]["description"] = "Local description."
    write(tmp_path, "clusters/utah-13.yaml", framework)
    assert load_reference(tmp_path).clusters.clusters[0].description == "Local description."


# ----------------------------------------------------------- broken files


def test_cluster_missing_name(tmp_path):
    framework = shipped("clusters/utah-13.yaml")
    del framework["clusters"][0]["name"]
    write(tmp_path, "clusters/utah-13.yaml", framework)
    message = load_error(tmp_path)
    assert "clusters/utah-13.yaml" in message
    assert "at clusters[0]:" in message
    assert "missing required field `name`" in message


def test_course_credits_not_a_number(tmp_path):
    catalog = shipped("courses.yaml")
    catalog["courses"][0]["credits"] = "lots"
    write(tmp_path, "courses.yaml", catalog)
    message = load_error(tmp_path)
    assert "courses.yaml" in message
    assert "at courses[0].credits:" in message
    assert "Expected `float`, got `str`" in message


def test_invalid_yaml(tmp_path):
    write(tmp_path, "courses.yaml", "courses:\n  - {code: ENG9, name: [English 9\n")
    message = load_error(tmp_path)
    assert str(tmp_path / "courses.yaml") in message
    assert "not valid YAML" in message
    assert "line" in message  # PyYAML reports where the problem is


def test_unknown_key(tmp_path):
    catalog = shipped("courses.yaml")
    catalog["courses"][3]["colour"] = "blue"
    write(tmp_path, "courses.yaml", catalog)
    message = load_error(tmp_path)
    assert "courses.yaml" in message
    assert "at courses[3]:" in message
    assert "unknown field `colour`" in message


def test_rule_naming_unknown_set(tmp_path):
    requirements = shipped("requirements.yaml")
    requirements["rules"][0]["set"] = "wcsd-99"
    write(tmp_path, "requirements.yaml", requirements)
    message = load_error(tmp_path)
    assert message == "requirements.yaml: at rules[0].set: unknown requirement set 'wcsd-99'"


def test_course_with_unknown_area(tmp_path):
    catalog = shipped("courses.yaml")
    catalog["courses"][1]["area"] = "basket_weaving"
    write(tmp_path, "courses.yaml", catalog)
    message = load_error(tmp_path)
    assert message == "courses.yaml: at courses[1].area: unknown requirement area 'basket_weaving'"


@pytest.mark.parametrize("bad", ["Aug 15", "13-01", "08-32", "0815"])
def test_bad_month_day(tmp_path, bad):
    district = shipped("district.yaml")
    district["school_year"]["starts"] = bad
    write(tmp_path, "district.yaml", district)
    message = load_error(tmp_path)
    assert "district.yaml" in message
    assert "at school_year:" in message
    assert f"expected a month and day as MM-DD, got {bad!r}" in message


def test_wrong_type_deep_in_a_file(tmp_path):
    district = shipped("district.yaml")
    district["grade_bands"][1]["conferences"][1]["kind"] = "assembly"
    write(tmp_path, "district.yaml", district)
    message = load_error(tmp_path)
    assert "district.yaml" in message
    assert "at grade_bands[1].conferences[1].kind: Invalid enum value 'assembly'" in message
    assert "expected one of: 'individual', 'parent_requested', 'small_group'" in message


def test_bad_riasec_letter_lists_the_letters(tmp_path):
    framework = shipped("clusters/utah-13.yaml")
    framework["clusters"][2]["pathways"][1]["riasec"] = ["A", "X"]
    write(tmp_path, "clusters/utah-13.yaml", framework)
    message = load_error(tmp_path)
    assert "clusters/utah-13.yaml" in message
    assert "at clusters[2].pathways[1].riasec[1]: Invalid enum value 'X'" in message
    assert "expected one of: 'A', 'C', 'E', 'I', 'R', 'S'" in message


def test_bad_optional_literal_lists_the_values(tmp_path):
    catalog = shipped("courses.yaml")
    cte = next(i for i, c in enumerate(catalog["courses"]) if c.get("level"))
    catalog["courses"][cte]["level"] = "expert"
    write(tmp_path, "courses.yaml", catalog)
    message = load_error(tmp_path)
    assert f"at courses[{cte}].level: Invalid enum value 'expert'" in message
    assert "expected one of: 'completer', 'concentrator', 'explorer'" in message


def test_unknown_cluster_framework(tmp_path):
    district = shipped("district.yaml")
    district["cluster_framework"] = "martian-7"
    write(tmp_path, "district.yaml", district)
    message = load_error(tmp_path)
    assert message.startswith("clusters/martian-7.yaml: file not found")


def test_empty_file(tmp_path):
    write(tmp_path, "assessments.yaml", "")
    message = load_error(tmp_path)
    assert "assessments.yaml" in message
    assert "Expected `object`, got `null`" in message
