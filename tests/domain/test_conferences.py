from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from seop_tui.domain.conferences import NO_GUARDIAN, ConferenceDue, conferences_due
from seop_tui.domain.records import ConferenceRecord


def held(kind="individual", day=1, *, student=True, guardian=True, staff=True, group_size=None) -> ConferenceRecord:
    return ConferenceRecord(
        kind=kind,
        held_on=date(2024, 10, day),
        student_present=student,
        guardian_present=guardian,
        staff_present=staff,
        group_size=group_size,
    )


# ---------------------------------------------------------------------- SEP


def test_sep_nothing_held_needs_two_individual(sep_band):
    status = conferences_due(sep_band, [])
    assert status.due == (ConferenceDue("individual", 2),)
    assert status.describe_due() == "2 individual conferences"
    assert not status.complete


def test_sep_one_held_needs_one_more(sep_band):
    status = conferences_due(sep_band, [held()])
    assert status.due == (ConferenceDue("individual", 1),)
    assert status.describe_due() == "1 individual conference"


def test_sep_two_held_complete(sep_band):
    status = conferences_due(sep_band, [held(day=1), held(day=20)])
    assert status.due == ()
    assert status.complete
    assert status.flagged == ()


def test_more_than_required_is_fine(sep_band):
    assert conferences_due(sep_band, [held(day=d) for d in (1, 2, 3)]).complete


def test_parent_requested_conference_never_counts(sep_band):
    status = conferences_due(sep_band, [held(), held("parent_requested", 5), held("parent_requested", 6)])
    assert status.due == (ConferenceDue("individual", 1),)
    assert len(status.extra) == 2
    assert "policy 2.5" in status.reviews[1].reason


def test_no_guardian_counts_but_is_flagged(sep_band):
    status = conferences_due(sep_band, [held(day=1, guardian=False), held(day=2)])
    assert status.complete
    assert [r.flag for r in status.reviews] == [NO_GUARDIAN, None]
    assert status.flagged[0].record.held_on == date(2024, 10, 1)


def test_without_student_does_not_count(sep_band):
    status = conferences_due(sep_band, [held(student=False), held(day=2)])
    assert status.due == (ConferenceDue("individual", 1),)
    assert status.reviews[0].reason == "the student was not present"


def test_without_staff_does_not_count(sep_band):
    status = conferences_due(sep_band, [held(staff=False)])
    assert status.due == (ConferenceDue("individual", 2),)
    assert status.reviews[0].reason == "no school staff present"


def test_small_group_not_required_in_sep_does_not_count(sep_band):
    status = conferences_due(sep_band, [held("small_group")])
    assert status.due == (ConferenceDue("individual", 2),)
    assert "not required" in status.reviews[0].reason


def test_reviews_are_in_date_order(sep_band):
    status = conferences_due(sep_band, [held(day=20), held(day=3)])
    assert [r.record.held_on.day for r in status.reviews] == [3, 20]


# --------------------------------------------------------------------- SEOP


def test_seop_needs_one_individual_and_one_small_group(seop_band):
    status = conferences_due(seop_band, [])
    assert status.due == (ConferenceDue("individual", 1), ConferenceDue("small_group", 1))
    assert status.describe_due() == "1 individual conference, 1 small-group conference"


def test_seop_two_individual_do_not_replace_the_group(seop_band):
    status = conferences_due(seop_band, [held(day=1), held(day=2)])
    assert status.due == (ConferenceDue("small_group", 1),)


def test_seop_complete(seop_band):
    status = conferences_due(seop_band, [held(), held("small_group", 2, guardian=False, group_size=4)])
    assert status.complete
    assert status.flagged == ()  # small groups without parents are not flagged


def test_small_group_over_the_limit_does_not_count(seop_band):
    status = conferences_due(seop_band, [held(), held("small_group", 2, group_size=6)], small_group_max=5)
    assert status.due == (ConferenceDue("small_group", 1),)
    assert "larger than the small-group limit of 5" in status.reviews[1].reason


def test_small_group_at_the_limit_counts(seop_band):
    assert conferences_due(seop_band, [held(), held("small_group", 2, group_size=5)], small_group_max=5).complete


def test_group_size_unknown_counts(seop_band):
    assert conferences_due(seop_band, [held(), held("small_group", 2)], small_group_max=5).complete


def test_required_list_reported(seop_band):
    status = conferences_due(seop_band, [held()])
    assert status.required == (ConferenceDue("individual", 1), ConferenceDue("small_group", 1))


# ---------------------------------------------------------------- properties

conference_records = st.builds(
    ConferenceRecord,
    kind=st.sampled_from(["individual", "small_group", "parent_requested"]),
    held_on=st.dates(date(2024, 8, 15), date(2025, 5, 29)),
    student_present=st.booleans(),
    guardian_present=st.booleans(),
    staff_present=st.booleans(),
    group_size=st.none() | st.integers(1, 10),
)


@given(records=st.lists(conference_records, max_size=8), extra=conference_records)
def test_holding_another_conference_never_adds_to_what_is_due(seop_band, records, extra):
    before = {d.kind: d.count for d in conferences_due(seop_band, records, small_group_max=5).due}
    after = {d.kind: d.count for d in conferences_due(seop_band, [*records, extra], small_group_max=5).due}
    assert all(after.get(kind, 0) <= count for kind, count in before.items())
    assert set(after) <= set(before)


@given(records=st.lists(conference_records, max_size=8))
def test_parent_requested_never_changes_what_is_due(sep_band, records):
    without = [r for r in records if r.kind != "parent_requested"]
    assert conferences_due(sep_band, records).due == conferences_due(sep_band, without).due
