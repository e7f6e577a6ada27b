"""Turns database rows into the domain's StudentYear records, many students at once.

Reports cover up to a whole district, so each table is read once for the set
of students (held in a temporary table) and grouped in Python, instead of a
query per student.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from seop_tui.domain.records import (
    AssessmentResult,
    ConferenceRecord,
    CourseCredit,
    EarlyGraduationPlan,
    Goal,
    PlanEntry,
    StudentYear,
)
from seop_tui.reference import Reference, RequirementSet
from seop_tui.storage import Store


def _scope(store: Store, student_ids: Iterable[int]) -> None:
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS scope (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.scope")
    conn.executemany("INSERT OR IGNORE INTO temp.scope (id) VALUES (?)", ((i,) for i in student_ids))


def _grouped(store: Store, sql: str, params: tuple = ()) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for row in store.conn.execute(sql, params):
        out[row[0]].append(row)
    return out


def credit_of(row, ref: Reference) -> CourseCredit:
    course = ref.courses.by_code.get(row["course_code"] or "")
    return CourseCredit(
        course_code=row["course_code"] or row["course_name"],
        credits=row["credits"],
        area=row["area"],
        subarea=row["subarea"],
        pathway=course.pathway if course else None,
        level=course.level if course else None,
        grade=row["grade"],
    )


def requirement_set(ref: Reference, school_code: str, cohort_year: int | None) -> RequirementSet | None:
    if cohort_year is None:
        return None
    try:
        return ref.requirements.set_for(school_code, cohort_year)
    except LookupError:
        return None


def load_student_years(store: Store, ref: Reference, school_year_id: int, student_ids: Iterable[int]) -> dict[int, StudentYear]:
    """StudentYear records for `student_ids` in one school year. No access check: callers check."""
    with store.read():
        return read_student_years(store, ref, school_year_id, student_ids)


def read_student_years(store: Store, ref: Reference, school_year_id: int, student_ids: Iterable[int]) -> dict[int, StudentYear]:
    """As load_student_years, inside the caller's read transaction (one consistent snapshot)."""
    _scope(store, student_ids)
    return _load(store, ref, school_year_id)


class _Interned(dict):
    """One shared instance per distinct value: a district's 370,000 course plan rows hold a
    few thousand distinct entries, and building each once is most of the load time."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(*key)
        return value


def _rows(store: Store, sql: str, params: tuple = ()) -> sqlite3.Cursor:
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: faster than sqlite3.Row for hundreds of thousands of rows
    return cursor.execute(sql, params)


def _grouped(store: Store, sql: str, params: tuple = (), make=None) -> dict[int, list]:
    """Rows grouped by their first column; `make(*rest)` builds each value (default: the row)."""
    out: dict[int, list] = defaultdict(list)
    if make is None:
        for row in _rows(store, sql, params):
            out[row[0]].append(row)
    else:
        for row in _rows(store, sql, params):
            out[row[0]].append(make[row[1:]])
    return out


def _load(store: Store, ref: Reference, year: int) -> dict[int, StudentYear]:
    q = store.conn.execute
    students = _rows(store, "SELECT s.id, s.grade FROM students s JOIN temp.scope USING (id)").fetchall()
    plans = {r[0] for r in _rows(store, "SELECT student_id FROM plans WHERE school_year_id = ? AND student_id IN temp.scope", (year,))}
    results = _grouped(
        store,
        "SELECT student_id, assessment, subject, grade, level FROM assessment_results WHERE student_id IN temp.scope",
        make=_Interned(AssessmentResult),
    )
    notes = dict(q("SELECT student_id, count(*) FROM progress_notes WHERE student_id IN temp.scope GROUP BY student_id").fetchall())
    accomplishments = dict(q("SELECT student_id, count(*) FROM accomplishments WHERE student_id IN temp.scope GROUP BY student_id").fetchall())
    traits = _grouped(
        store,
        "SELECT p.student_id, t.kind, count(*) FROM strengths t JOIN plans p ON p.id = t.plan_id"
        " WHERE p.school_year_id = ? AND p.student_id IN temp.scope GROUP BY p.student_id, t.kind",
        (year,),
    )
    goals = _grouped(
        store,
        "SELECT p.student_id, g.kind, g.text, g.monitors FROM goals g JOIN plans p ON p.id = g.plan_id"
        " WHERE p.school_year_id = ? AND p.student_id IN temp.scope",
        (year,),
        make=_Interned(_goal),
    )
    conferences = _conferences(store, year)
    inventory_done = {r[0] for r in q("SELECT DISTINCT student_id FROM inventory_attempts WHERE completed_at IS NOT NULL AND student_id IN temp.scope")}
    clusters = dict(
        q(
            "SELECT student_id, cluster_code FROM cluster_choices c WHERE student_id IN temp.scope"
            " AND id = (SELECT max(id) FROM cluster_choices d WHERE d.student_id = c.student_id)"
        ).fetchall()
    )
    entries = _plan_entries(store)
    earned = _earned(store, ref)
    post = {
        r[0]: r
        for r in q(
            "SELECT p.student_id, ps.education_choice, ps.occupations FROM postsecondary_plans ps JOIN plans p ON p.id = ps.plan_id"
            " WHERE p.school_year_id = ? AND p.student_id IN temp.scope",
            (year,),
        )
    }
    involvement = dict(
        q(
            "SELECT student_id, count(*) FROM parent_involvement WHERE school_year_id = ? AND student_id IN temp.scope GROUP BY student_id",
            (year,),
        ).fetchall()
    )
    early = {
        r["student_id"]: r
        for r in q(
            "SELECT * FROM early_graduation_plans e WHERE student_id IN temp.scope AND withdrawn_on IS NULL"
            " AND id = (SELECT max(id) FROM early_graduation_plans f WHERE f.student_id = e.student_id AND f.withdrawn_on IS NULL)"
        )
    }

    out: dict[int, StudentYear] = {}
    for sid, grade in students:
        trait_counts = {r[1]: r[2] for r in traits.get(sid, ())}
        eg = early.get(sid)
        out[sid] = StudentYear(
            student_id=str(sid),
            grade=grade,
            has_plan=sid in plans,
            assessment_results=tuple(results.get(sid, ())),
            progress_notes=notes.get(sid, 0),
            accomplishments=accomplishments.get(sid, 0),
            strengths=trait_counts.get("strength", 0),
            needs_attention=trait_counts.get("needs_attention", 0),
            goals=tuple(goals.get(sid, ())),
            conferences=tuple(conferences.get(sid, ())),
            inventory_completed=sid in inventory_done,
            cluster_code=clusters.get(sid),
            plan_entries=tuple(entries.get(sid, ())),
            earned=tuple(earned.get(sid, ())),
            postsecondary_plan=(post[sid][1] or "") if sid in post else "",
            occupation_plan=(post[sid][2] or "") if sid in post else "",
            parent_involvement_opportunities=involvement.get(sid, 0),
            early_graduation=EarlyGraduationPlan(
                intent_declared=True,
                target=(eg["target_grade"], eg["target_term"]),
                student_approved=bool(eg["student_approved_on"]),
                parent_approved=bool(eg["parent_approved_on"]),
                official_approved=bool(eg["official_approved_on"]),
            )
            if eg
            else None,
        )
    return out


class ConferencesAndCredits(NamedTuple):
    """The parts of a StudentYear the caseload's costly columns are worked out from."""

    conferences: tuple[ConferenceRecord, ...]
    plan_entries: tuple[PlanEntry, ...]
    earned: tuple[CourseCredit, ...]


def load_conferences_and_credits(
    store: Store, ref: Reference, school_year_id: int, student_ids: Iterable[int]
) -> dict[int, ConferencesAndCredits]:
    """This year's conferences, planned courses and earned credits for each of `student_ids`,
    read as load_student_years reads them (the same records), without the rest of the
    record. No access check: callers check."""
    ids = list(student_ids)
    with store.read():
        _scope(store, ids)
        conferences = _conferences(store, school_year_id)
        entries = _plan_entries(store)
        earned = _earned(store, ref)
    return {
        sid: ConferencesAndCredits(tuple(conferences.get(sid, ())), tuple(entries.get(sid, ())), tuple(earned.get(sid, ())))
        for sid in ids
    }


def _plan_entries(store: Store) -> dict[int, list[PlanEntry]]:
    return _grouped(
        store,
        "SELECT student_id, course_code, grade, coalesce(term, 'year') FROM course_plan_entries WHERE student_id IN temp.scope",
        make=_Interned(PlanEntry),
    )


def _earned(store: Store, ref: Reference) -> dict[int, list[CourseCredit]]:
    by_code = ref.courses.by_code

    def earned_credit(course_code, course_name, credits, area, subarea, grade):
        course = by_code.get(course_code or "")
        return CourseCredit(
            course_code=course_code or course_name,
            credits=credits,
            area=area,
            subarea=subarea,
            pathway=course.pathway if course else None,
            level=course.level if course else None,
            grade=grade,
        )

    return _grouped(
        store,
        "SELECT student_id, course_code, course_name, credits, area, subarea, grade FROM credits_earned WHERE student_id IN temp.scope",
        make=_Interned(earned_credit),
    )


def _conferences(store: Store, year: int) -> dict[int, list[ConferenceRecord]]:
    """This year's conferences per student in scope, with who attended.

    Flat queries over the conferences the students in scope took part in, joined
    here: correlated subqueries per row are far slower at district size.
    """
    links = _rows(
        store,
        # CROSS JOIN: from the students in scope out; the other way round SQLite probes every
        # (conference, student) pair of the year.
        "SELECT cs.conference_id, cs.student_id, cs.student_attended, c.kind, c.held_on FROM temp.scope sc"
        " CROSS JOIN conference_students cs ON cs.student_id = sc.id JOIN conferences c ON c.id = cs.conference_id"
        " WHERE c.school_year_id = ? ORDER BY cs.conference_id",
        (year,),
    ).fetchall()
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS scope_conferences (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.scope_conferences")
    conn.executemany("INSERT OR IGNORE INTO temp.scope_conferences (id) VALUES (?)", ((link[0],) for link in links))
    group_size = dict(
        _rows(store, "SELECT conference_id, count(*) FROM conference_students WHERE conference_id IN temp.scope_conferences GROUP BY conference_id")
    )
    with_staff: set[int] = set()
    guardians_at: dict[int, set[int]] = defaultdict(set)
    for cid, guardian, staff in _rows(
        store, "SELECT conference_id, guardian_id, staff_id FROM conference_attendees WHERE conference_id IN temp.scope_conferences"
    ):
        if staff is not None:
            with_staff.add(cid)
        if guardian is not None:
            guardians_at[cid].add(guardian)
    family: dict[int, set[int]] = defaultdict(set)
    for sid, guardian in _rows(store, "SELECT student_id, guardian_id FROM student_guardians WHERE student_id IN temp.scope"):
        family[sid].add(guardian)
    held_on = _Interned(date.fromisoformat)
    # Records repeat (a group's students, the same day and people): each distinct one is built once.
    record = _Interned(lambda kind, held, *rest: ConferenceRecord(kind, held_on[(held,)], *rest))
    nobody: frozenset[int] = frozenset()
    out: dict[int, list[ConferenceRecord]] = defaultdict(list)
    for cid, sid, attended, kind, held in links:
        guardian_present = not guardians_at.get(cid, nobody).isdisjoint(family.get(sid, nobody))
        size = group_size[cid] if kind == "small_group" else None
        out[sid].append(record[(kind, held, bool(attended), guardian_present, cid in with_staff, size)])
    return out


def _goal(kind: str, text: str, monitors: str | None) -> Goal:
    who = set(json.loads(monitors or "[]"))
    return Goal(
        kind="education" if kind == "education" else "career",
        text=text,
        student_reviewed="student" in who,
        parent_reviewed="parent" in who,
        teacher_reviewed="teacher" in who,
    )
