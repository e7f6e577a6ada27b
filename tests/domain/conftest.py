"""Small hand-made reference data for the domain rules: numbers easy to count by hand.

Fixtures are session-scoped: the objects are frozen, and hypothesis tests may
use them.
"""

from __future__ import annotations

import pytest

from seop_tui.reference import (
    AreaInfo,
    Cluster,
    ClusterFramework,
    ConferenceRequirement,
    Course,
    CourseCatalog,
    DistrictSettings,
    GradeBand,
    Inventory,
    InventoryItem,
    Pathway,
    RequirementArea,
    RequirementSet,
    RequirementSubarea,
    ScalePoint,
    SchoolYearDates,
)

AREA_NAMES = {
    "R": ("Realistic", "You like working with your hands, tools and the outdoors."),
    "I": ("Investigative", "You like ideas, puzzles and finding out how things work."),
    "A": ("Artistic", "You like creating and expressing yourself."),
    "S": ("Social", "You like helping and teaching people."),
    "E": ("Enterprising", "You like leading and persuading."),
    "C": ("Conventional", "You like order, data and clear procedures."),
}


def make_inventory(items_per_area: int = 2, tie_order: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")) -> Inventory:
    """Items R1, R2, I1, I2 ...; scale 0..4."""
    from seop_tui.reference import InventoryScoring

    return Inventory(
        name="Test inventory",
        instructions="Answer every item.",
        scale=tuple(ScalePoint(value=v, label=str(v)) for v in range(5)),
        areas=tuple(AreaInfo(code=c, name=n, summary=s) for c, (n, s) in AREA_NAMES.items()),
        items=tuple(
            InventoryItem(id=f"{area}{n}", area=area, text=f"item {area}{n}")
            for area in "RIASEC"
            for n in range(1, items_per_area + 1)
        ),
        scoring=InventoryScoring(tie_order=tie_order),
    )


@pytest.fixture(scope="session")
def inventory() -> Inventory:
    return make_inventory()


@pytest.fixture(scope="session")
def framework() -> ClusterFramework:
    return ClusterFramework(
        name="Test clusters",
        source="tests",
        clusters=(
            Cluster(
                code="HEA",
                name="Health Science",
                description="",
                riasec=("S", "I", "R"),
                occupations=("Nurse",),
                pathways=(
                    Pathway(code="NUR", name="Nursing", riasec=("S", "I")),
                    Pathway(code="LAB", name="Lab Science", riasec=("I", "R")),
                ),
            ),
            Cluster(
                code="ART",
                name="Arts",
                description="",
                riasec=("A", "E", "S"),
                occupations=("Designer",),
                pathways=(Pathway(code="DES", name="Design", riasec=("A",)),),
            ),
            Cluster(
                code="CS",
                name="Computer Science",
                description="",
                riasec=("I", "C", "R"),
                occupations=("Programmer",),
                pathways=(Pathway(code="PRG", name="Programming"),),  # no riasec: the cluster's
            ),
            Cluster(
                code="BUS",
                name="Business",
                description="",
                riasec=("E", "C", "S"),
                occupations=("Accountant",),
                pathways=(Pathway(code="ACC", name="Accounting", riasec=("C", "E")),),
            ),
        ),
    )


@pytest.fixture(scope="session")
def requirements() -> RequirementSet:
    """Areas add up to 8.0 of a 10.0 total; directed = fine arts 1.0 + CTE 0.5 + 0.5 unsplit."""
    return RequirementSet(
        code="test",
        name="Test requirements",
        total=10.0,
        areas=(
            RequirementArea(code="lang", name="Language Arts", credits=2.0),
            RequirementArea(code="math", name="Mathematics", credits=2.0),
            RequirementArea(
                code="directed",
                name="Directed coursework",
                credits=2.0,
                subareas=(
                    RequirementSubarea(code="fine_arts", name="Fine Arts", credits=1.0),
                    RequirementSubarea(code="cte", name="CTE", credits=0.5),
                ),
            ),
            RequirementArea(code="electives", name="Electives", credits=2.0),
        ),
    )


def course(code, credits, area, grades=(9, 10, 11, 12), subarea=None, pathway=None, level=None) -> Course:
    return Course(
        code=code,
        name=code.title(),
        credits=credits,
        grades=tuple(grades),
        area=area,
        subarea=subarea,
        pathway=pathway,
        level=level,
    )


@pytest.fixture(scope="session")
def catalog() -> CourseCatalog:
    return CourseCatalog(
        courses=(
            course("ENG9", 1.0, "lang", (9,)),
            course("ENG10", 1.0, "lang", (10,)),
            course("ENG11", 1.0, "lang", (11,)),
            course("ALG1", 1.0, "math", (9, 10)),
            course("GEOM", 1.0, "math", (10, 11)),
            course("ART1", 0.5, "directed", subarea="fine_arts"),
            course("ART2", 0.5, "directed", (10, 11, 12), subarea="fine_arts"),
            course("NURINTRO", 0.5, "directed", subarea="cte", pathway="NUR", level="explorer"),
            course("NURCNA", 1.0, "directed", (10, 11, 12), subarea="cte", pathway="NUR", level="concentrator"),
            course("NURADV", 1.0, "electives", (11, 12), pathway="NUR", level="completer"),
            course("PRG1", 0.5, "directed", subarea="cte", pathway="PRG", level="explorer"),
            course("HEALTH", 0.5, "directed", (9,)),
            course("CHOIR", 1.0, "electives"),
            course("GYM", 1.0, "pe"),  # an area not in the test set: counts as elective
        )
    )


@pytest.fixture(scope="session")
def inventory_factory():
    return make_inventory


@pytest.fixture(scope="session")
def sep_band() -> GradeBand:
    return _sep_band()


@pytest.fixture(scope="session")
def seop_band() -> GradeBand:
    return _seop_band()


def _sep_band() -> GradeBand:
    return GradeBand(
        code="SEP",
        name="Student Education Plan",
        first_grade=0,
        last_grade=5,
        conferences=(ConferenceRequirement(kind="individual", count=2),),
    )


def _seop_band() -> GradeBand:
    return GradeBand(
        code="SEOP",
        name="Student Education Occupational Plan",
        first_grade=6,
        last_grade=12,
        conferences=(
            ConferenceRequirement(kind="individual", count=1),
            ConferenceRequirement(kind="small_group", count=1),
        ),
    )


@pytest.fixture(scope="session")
def settings() -> DistrictSettings:
    return DistrictSettings(
        name="Test District",
        grade_bands=(_sep_band(), _seop_band()),
        small_group_max=5,
        cluster_required_by_grade=10,
        school_year=SchoolYearDates(starts="08-15", ends="05-29"),
    )
