"""Records read for a few students are the records read for the whole district."""

from __future__ import annotations

from datetime import date

from seop_tui.demo import build_demo
from seop_tui.reference import load_reference
from seop_tui.services.records import load_student_years


def test_one_student_at_a_time_equals_everyone_at_once(store):
    ref = load_reference()
    build_demo(store, ref, students=60, seed=5, today=date(2027, 2, 10))
    year = store.one("SELECT id FROM school_years WHERE is_current = 1")[0]
    everyone = [r[0] for r in store.query("SELECT id FROM students ORDER BY id")]
    together = load_student_years(store, ref, year, everyone)
    assert any(r.conferences for r in together.values()) and any(r.earned for r in together.values())
    assert any(c.group_size for r in together.values() for c in r.conferences)  # small groups counted whole
    for sid in everyone:
        assert load_student_years(store, ref, year, [sid]) == {sid: together[sid]}


def test_repeated_records_are_built_once(store):
    # A small group's students (present, no guardian, same day) share one conference record;
    # students planning the same course in the same grade share one planned credit.
    from seop_tui.domain.compliance import _plan_credits
    from seop_tui.domain.credits import plan_credits

    ref = load_reference()
    build_demo(store, ref, students=60, seed=5, today=date(2027, 2, 10))
    year = store.one("SELECT id FROM school_years WHERE is_current = 1")[0]
    records = load_student_years(store, ref, year, [r[0] for r in store.query("SELECT id FROM students")])
    conferences = [c for r in records.values() for c in r.conferences]
    assert len({id(c) for c in conferences}) < len(conferences)
    assert len({id(c) for c in conferences}) == len(set(conferences))  # equal records are one object
    entries = [e for r in records.values() for e in r.plan_entries]
    credits = [c for r in records.values() for c in _plan_credits(r.plan_entries, ref.courses)]
    assert credits == [c for r in records.values() for c in plan_credits(r.plan_entries, ref.courses)]
    assert len({id(c) for c in credits}) == len(set(entries) & {e for e in entries if e.course_code in ref.courses.by_code})
