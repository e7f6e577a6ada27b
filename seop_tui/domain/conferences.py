"""Which SEP/SEOP conferences a student still needs this school year.

A conference counts toward the grade band's required ones when:
- it is of a required kind (the band's ConferenceRequirement list);
- the student and school staff took part (policy 3.1.1 / 3.2.1);
- for a small-group conference, the group is no larger than the district's
  small-group limit, when both are known.

Parent-requested conferences (policy 2.5) are extra: they never count toward
the required ones, however many there are.

An individual conference without a parent or guardian still counts as held:
the school cannot make a parent come, and not counting it would tell staff to
hold it again. It is flagged "no parent or guardian present" so compliance
reports can show it. Small-group conferences are not flagged: parents rarely
attend them and a flag on nearly every one would hide the ones that matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seop_tui.domain.records import ConferenceRecord

if TYPE_CHECKING:
    from seop_tui.reference import GradeBand

NO_GUARDIAN = "no parent or guardian present"
KIND_NAMES = {"individual": "individual", "small_group": "small-group", "parent_requested": "parent-requested"}


@dataclass(frozen=True)
class ConferenceDue:
    kind: str
    count: int

    def describe(self) -> str:
        noun = "conference" if self.count == 1 else "conferences"
        return f"{self.count} {KIND_NAMES.get(self.kind, self.kind)} {noun}"


@dataclass(frozen=True)
class ConferenceReview:
    """How one held conference counts."""

    record: ConferenceRecord
    counts: bool  # counts toward a required conference
    reason: str | None = None  # why it does not count
    flag: str | None = None  # counts, but something is worth showing


@dataclass(frozen=True)
class ConferenceStatus:
    required: tuple[ConferenceDue, ...]
    due: tuple[ConferenceDue, ...]  # still needed; only kinds with count > 0
    reviews: tuple[ConferenceReview, ...]  # one per held conference, in date order

    @property
    def complete(self) -> bool:
        return not self.due

    @property
    def flagged(self) -> tuple[ConferenceReview, ...]:
        return tuple(r for r in self.reviews if r.flag)

    @property
    def extra(self) -> tuple[ConferenceRecord, ...]:
        """Held, but not toward the required ones (e.g. parent-requested)."""
        return tuple(r.record for r in self.reviews if not r.counts)

    def describe_due(self) -> str:
        return ", ".join(d.describe() for d in self.due)


def review(record: ConferenceRecord, required_kinds: set[str], small_group_max: int | None = None) -> ConferenceReview:
    if record.kind == "parent_requested":
        return ConferenceReview(record, False, "parent-requested conferences are extra (policy 2.5)")
    if record.kind not in required_kinds:
        return ConferenceReview(
            record, False, f"{KIND_NAMES.get(record.kind, record.kind)} conferences are not required in this grade band"
        )
    if not record.student_present:
        return ConferenceReview(record, False, "the student was not present")
    if not record.staff_present:
        return ConferenceReview(record, False, "no school staff present")
    if (
        record.kind == "small_group"
        and small_group_max is not None
        and record.group_size is not None
        and record.group_size > small_group_max
    ):
        return ConferenceReview(
            record, False, f"a group of {record.group_size} is larger than the small-group limit of {small_group_max}"
        )
    flag = NO_GUARDIAN if record.kind == "individual" and not record.guardian_present else None
    return ConferenceReview(record, True, flag=flag)


def conferences_due(
    band: GradeBand, held: Iterable[ConferenceRecord], *, small_group_max: int | None = None
) -> ConferenceStatus:
    """Review the conferences held this school year against the band's requirements."""
    required: dict[str, int] = {}
    for requirement in band.conferences:
        required[requirement.kind] = required.get(requirement.kind, 0) + requirement.count
    # parent_requested in a band's list would be a data mistake; never let it count.
    required.pop("parent_requested", None)
    required_kinds = set(required)
    reviews = tuple(review(record, required_kinds, small_group_max) for record in sorted(held, key=lambda r: r.held_on))
    counted: dict[str, int] = dict.fromkeys(required, 0)
    for item in reviews:
        if item.counts:
            counted[item.record.kind] += 1
    due = tuple(
        ConferenceDue(kind, required[kind] - counted[kind]) for kind in required if counted[kind] < required[kind]
    )
    return ConferenceStatus(
        required=tuple(ConferenceDue(kind, count) for kind, count in required.items()),
        due=due,
        reviews=reviews,
    )
