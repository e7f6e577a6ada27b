"""A student's progress data (policy 4030, 2.1 and 3.2.3.1): state assessment results
with their proficiency level names, credits earned by area, courses completed.
Read-only; the student's "My progress" and staff record views share it."""

from __future__ import annotations

from collections import defaultdict

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor
from seop_tui.services.records import requirement_set
from seop_tui.storage import Store


def progress_for(store: Store, ref: Reference, actor: Actor, student_id: int) -> dict:
    """{"assessments": [...], "credits_by_area": [...], "total_credits": float,
    "courses_completed": [...], "requirement_set": name or None}; an audited view.

    Assessments are in the order of the data file (assessment, then subject), then by
    grade; each has the names of its assessment, subject and level. Credits by area
    are the credits earned in courses of that area (not the audit's placement), in the
    order of the student's requirement set, areas outside it after.
    """
    require_access(store, actor, student_id)
    with store.read() as conn:
        student = conn.execute(
            "SELECT s.cohort_year, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.id = ?", (student_id,)
        ).fetchone()
        results = [
            dict(r)
            for r in conn.execute(
                "SELECT r.assessment, r.subject, r.grade, r.level, r.scale_score, r.taken_on, y.name AS school_year"
                " FROM assessment_results r LEFT JOIN school_years y ON y.id = r.school_year_id WHERE r.student_id = ?",
                (student_id,),
            )
        ]
        courses = [
            dict(r)
            for r in conn.execute(
                "SELECT course_code, course_name, area, subarea, credits, grade, school_year, term, mark"
                " FROM credits_earned WHERE student_id = ? ORDER BY grade, school_year, course_name",
                (student_id,),
            )
        ]
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "progress data")
    reqs = requirement_set(ref, student["code"], student["cohort_year"])
    return {
        "assessments": _assessments(ref, results),
        "credits_by_area": _by_area(ref, reqs, courses),
        "total_credits": round(sum(c["credits"] for c in courses), 4),
        "courses_completed": courses,
        "requirement_set": reqs.name if reqs else None,
    }


def _assessments(ref: Reference, results: list[dict]) -> list[dict]:
    levels = {lvl.level: lvl.name for lvl in ref.assessments.levels}
    order: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    subjects: dict[tuple[str, str], str] = {}
    for a in ref.assessments.assessments:
        names[a.code] = a.name
        for s in a.subjects:
            order[(a.code, s.code)] = len(order)
            subjects[(a.code, s.code)] = s.name
    for r in results:
        key = (r["assessment"], r["subject"])
        r["assessment_name"] = names.get(r["assessment"], r["assessment"])
        r["subject_name"] = subjects.get(key, r["subject"])
        r["level_name"] = levels.get(r["level"], "")
    return sorted(results, key=lambda r: (order.get((r["assessment"], r["subject"]), len(order)), r["assessment"], r["subject"], r["grade"]))


def _by_area(ref: Reference, reqs, courses: list[dict]) -> list[dict]:
    totals: dict[str, float] = defaultdict(float)
    for c in courses:
        totals[c["area"]] += c["credits"]
    named = [(a.code, a.name) for a in reqs.areas] if reqs else []
    known = {code for code, _ in named}
    all_names = {a.code: a.name for s in ref.requirements.sets for a in s.areas}
    named += [(code, all_names.get(code, code)) for code in sorted(totals) if code not in known]
    return [{"area": code, "name": name, "credits": round(totals.get(code, 0.0), 4)} for code, name in named]
