"""The rules run on the shipped data files too (skipped while a file is not there yet)."""

from __future__ import annotations

import pytest

from seop_tui.domain.conferences import conferences_due
from seop_tui.domain.credits import audit
from seop_tui.domain.riasec import score, suggest_clusters
from seop_tui.paths import shipped_data_dir
from seop_tui.reference import ClusterFramework, DistrictSettings, GraduationRequirements, Inventory, load_file


def shipped(name: str, kind):
    if not (shipped_data_dir() / name).is_file():
        pytest.skip(f"data/{name} is not there yet")
    return load_file(name, kind)


def test_suggestions_over_the_shipped_framework(inventory):
    framework = shipped("clusters/utah-13.yaml", ClusterFramework)
    profile = score({"S1": 4, "S2": 4, "I1": 3}, inventory)
    suggestions = suggest_clusters(profile, framework, with_pathways=True)
    assert len(suggestions) == len(framework.clusters)
    assert all(0 <= s.fit <= 1 for s in suggestions)
    assert suggestions[0].fit > 0


def test_shipped_inventory_scores(inventory):
    real = shipped("inventory.yaml", Inventory)
    top = max(point.value for point in real.scale)
    profile = score({item.id: top for item in real.items}, real)
    assert profile.complete
    assert len(profile.code) == real.scoring.code_length


def test_shipped_district_bands_need_conferences():
    district = shipped("district.yaml", DistrictSettings)
    for grade in range(13):
        assert not conferences_due(district.band_for(grade), []).complete


def test_shipped_requirement_sets_start_missing():
    requirements = shipped("requirements.yaml", GraduationRequirements)
    for requirement_set in requirements.sets:
        result = audit(requirement_set, [])
        assert result.total.required == requirement_set.total
        assert result.state == ("missing" if requirement_set.total > 0 else "met")
