"""Scoring the RIASEC interest inventory and matching a profile to career clusters.

Scoring: every answer is a value on the inventory's scale (0..4 on the shipped
one); an area's score is the sum of its items' values.

Ranking (the tie rule, stated once and used everywhere):
  1. higher score first;
  2. equal scores: the area with more answers at the top of the scale first;
  3. still equal: the area earlier in `scoring.tie_order` first (areas missing
     from tie_order follow, in R-I-A-S-E-C order).
The Holland code is the first `scoring.code_length` areas of that ranking. When
nothing has been answered there is no code (the empty string): a code built
from tie order alone would describe the rule, not the student.

Cluster fit: each cluster (and pathway) lists the RIASEC areas typical of its
occupations, most typical first. Fit is a weighted mean of the student's
normalized area scores (score / maximum) over those areas, with weights n, n-1,
..., 1 for n listed areas, so fit lies in 0..1. Equal fits keep the order of the
framework file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the domain reads reference types but never loads files
    from seop_tui.reference import AreaInfo, ClusterFramework, Inventory

AREAS: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")
T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """A student's scored inventory."""

    scores: Mapping[str, int]  # area -> sum of answer values
    maxima: Mapping[str, int]  # area -> highest possible score
    top_answers: Mapping[str, int]  # area -> answers at the top of the scale
    answered: int
    total_items: int
    ranking: tuple[str, ...]  # all six areas, best first
    code: str  # Holland code, "" when nothing is answered

    @property
    def completeness(self) -> float:
        """Share of items answered, 0.0..1.0 (1.0 for an inventory with no items)."""
        return self.answered / self.total_items if self.total_items else 1.0

    @property
    def complete(self) -> bool:
        return self.answered == self.total_items

    def normalized(self, area: str) -> Fraction:
        """Score as a share of the area's maximum; 0 when the area has no items."""
        maximum = self.maxima[area]
        return Fraction(self.scores[area], maximum) if maximum else Fraction(0)

    def rank_of(self, area: str) -> int:
        """1 for the best area, 6 for the last."""
        return self.ranking.index(area) + 1


def full_tie_order(tie_order: tuple[str, ...]) -> tuple[str, ...]:
    """tie_order with repeats dropped and any missing areas appended in RIASEC order."""
    seen: list[str] = []
    for area in (*tie_order, *AREAS):
        if area in AREAS and area not in seen:
            seen.append(area)
    return tuple(seen)


def score(answers: Mapping[str, int], inventory: Inventory) -> Profile:
    """Score answers {item_id: value}. Unknown item ids or values off the scale raise ValueError."""
    item_area = {item.id: item.area for item in inventory.items}
    scale_values = {point.value for point in inventory.scale}
    top_value = max(scale_values, default=0)
    scores = dict.fromkeys(AREAS, 0)
    top_answers = dict.fromkeys(AREAS, 0)
    item_counts = dict.fromkeys(AREAS, 0)
    for item in inventory.items:
        item_counts[item.area] += 1
    for item_id, value in answers.items():
        area = item_area.get(item_id)
        if area is None:
            raise ValueError(f"unknown inventory item {item_id!r}")
        # bool is an int subclass; True is not an answer.
        if isinstance(value, bool) or not isinstance(value, int) or value not in scale_values:
            raise ValueError(f"answer to {item_id!r} must be one of {sorted(scale_values)}, got {value!r}")
        scores[area] += value
        if value == top_value:
            top_answers[area] += 1
    order = full_tie_order(inventory.scoring.tie_order)
    ranking = tuple(sorted(AREAS, key=lambda a: (-scores[a], -top_answers[a], order.index(a))))
    answered = len(answers)
    return Profile(
        scores=scores,
        maxima={area: item_counts[area] * top_value for area in AREAS},
        top_answers=top_answers,
        answered=answered,
        total_items=len(inventory.items),
        ranking=ranking,
        code="".join(ranking[: inventory.scoring.code_length]) if answered else "",
    )


def explain_code(code: str, inventory: Inventory) -> tuple[AreaInfo, ...]:
    """The inventory's name and plain-word summary for each letter of a code, in order."""
    info = {area.code: area for area in inventory.areas}
    unknown = [letter for letter in code if letter not in info]
    if unknown:
        raise ValueError(f"not RIASEC areas of this inventory: {', '.join(unknown)}")
    return tuple(info[letter] for letter in code)


def describe_code(code: str, inventory: Inventory) -> str:
    """One line of plain words, e.g. 'Social: likes helping ...; Artistic: ...'."""
    return "; ".join(f"{area.name}: {area.summary}" for area in explain_code(code, inventory))


# ------------------------------------------------------------ cluster suggestions


@dataclass(frozen=True)
class PathwayFit:
    pathway_code: str
    name: str
    fit: float  # 0..1
    matched: tuple[str, ...]  # its areas that are in the student's code


@dataclass(frozen=True)
class ClusterFit:
    cluster_code: str
    name: str
    fit: float  # 0..1
    matched: tuple[str, ...]  # its areas that are in the student's code, in its order
    pathways: tuple[PathwayFit, ...] = ()  # best first; filled when asked for


def fit(profile: Profile, areas: tuple[str, ...]) -> Fraction:
    """Weighted mean of normalized scores over `areas`, the first weighted most."""
    if not areas:
        return Fraction(0)
    n = len(areas)
    weighted = sum((Fraction(n - i) * profile.normalized(area) for i, area in enumerate(areas)), Fraction(0))
    return weighted / (n * (n + 1) // 2)


def _ranked(fits: list[tuple[Fraction, int, T]]) -> tuple[T, ...]:
    """Items by fit, best first; (fit, file position, item). Fractions compare
    exactly, so equal fits really do fall back to file order."""
    return tuple(item for _, _, item in sorted(fits, key=lambda t: (-t[0], t[1])))


def suggest_clusters(
    profile: Profile,
    framework: ClusterFramework,
    *,
    with_pathways: bool = False,
    limit: int | None = None,
) -> tuple[ClusterFit, ...]:
    """Clusters of the framework ranked by fit with the profile, best first."""
    code_letters = set(profile.code)
    ranked: list[tuple[Fraction, int, ClusterFit]] = []
    for index, cluster in enumerate(framework.clusters):
        pathways: tuple[PathwayFit, ...] = ()
        if with_pathways:
            pathway_fits: list[tuple[Fraction, int, PathwayFit]] = []
            for p_index, pathway in enumerate(cluster.pathways):
                areas = pathway.riasec or cluster.riasec  # empty means: same as its cluster
                value = fit(profile, areas)
                matched = tuple(a for a in areas if a in code_letters)
                pathway_fits.append((value, p_index, PathwayFit(pathway.code, pathway.name, float(value), matched)))
            pathways = _ranked(pathway_fits)
        value = fit(profile, cluster.riasec)
        matched = tuple(a for a in cluster.riasec if a in code_letters)
        ranked.append((value, index, ClusterFit(cluster.code, cluster.name, float(value), matched, pathways)))
    result = _ranked(ranked)
    return result if limit is None else result[:limit]
