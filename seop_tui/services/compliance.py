"""Compliance with policy 4030 for one student or for a caseload, school or district."""

from __future__ import annotations

from dataclasses import dataclass

from seop_tui.domain.compliance import ClauseResult, ClauseState, ClauseSummary, evaluate_student, summarize
from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.access import require_access, visible_students_sql
from seop_tui.services.context import Actor
from seop_tui.services.plans import current_school_year
from seop_tui.services.records import load_student_years, requirement_set
from seop_tui.storage import Store


def student_compliance(store: Store, ref: Reference, actor: Actor, student_id: int, school_year_id: int | None = None) -> tuple[ClauseResult, ...]:
    require_access(store, actor, student_id)
    year = school_year_id or current_school_year(store)["id"]
    row = store.one(
        "SELECT s.cohort_year, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.id = ?", (student_id,)
    )
    record = load_student_years(store, ref, year, [student_id])[student_id]
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "compliance")
    return _evaluate(ref, record, requirement_set(ref, row["code"], row["cohort_year"]))


def _evaluate(ref: Reference, record, requirements) -> tuple[ClauseResult, ...]:
    return evaluate_student(
        record, settings=ref.district, clusters=ref.clusters, catalog=ref.courses, requirements=requirements
    )


@dataclass(frozen=True)
class ComplianceReport:
    scope: str
    school_year: str
    band: str  # SEP | SEOP
    students: int
    clauses: tuple[ClauseSummary, ...]
    names: dict[str, str]  # student id -> "Family, Given (grade)" for the lists
    missing: dict[str, dict[str, tuple[str, ...]]]  # clause -> student id -> what is missing


def compliance_report(
    store: Store,
    ref: Reference,
    actor: Actor,
    *,
    band: str,
    school_id: int | None = None,
    counselor_id: int | None = None,
    school_year_id: int | None = None,
) -> ComplianceReport:
    """Per-clause counts for the students `actor` may see, narrowed to a school or caseload."""
    year = dict(store.one("SELECT * FROM school_years WHERE id = ?", (school_year_id,))) if school_year_id else current_school_year(store)
    grades = next(b for b in ref.district.grade_bands if b.code == band)
    where, params = visible_students_sql(actor)
    sql = (
        "SELECT s.id, s.given_name, s.family_name, s.grade, s.cohort_year, sc.code FROM students s"
        f" JOIN schools sc ON sc.id = s.school_id WHERE s.active = 1 AND {where} AND s.grade BETWEEN ? AND ?"
    )
    params = (*params, grades.first_grade, grades.last_grade)
    scope = "district"
    if school_id is not None:
        sql += " AND s.school_id = ?"
        params = (*params, school_id)
        scope = "school"
    if counselor_id is not None:
        sql += " AND s.counselor_id = ?"
        params = (*params, counselor_id)
        scope = "caseload"
    students = store.query(sql + " ORDER BY s.family_name, s.given_name, s.id", params)
    records = load_student_years(store, ref, year["id"], [r["id"] for r in students])
    evaluated = []
    missing: dict[str, dict[str, tuple[str, ...]]] = {}
    for r in students:
        results = _evaluate(ref, records[r["id"]], requirement_set(ref, r["code"], r["cohort_year"]))
        evaluated.append((str(r["id"]), results))
        for result in results:
            if result.state == ClauseState.NOT_MET:
                missing.setdefault(result.clause, {})[str(r["id"])] = result.missing
    with store.write():
        audit.record(store.conn, actor, "report", None, f"compliance {band} {scope} {year['name']}: {len(students)} students")
    return ComplianceReport(
        scope=scope,
        school_year=year["name"],
        band=band,
        students=len(students),
        clauses=summarize(evaluated),
        names={str(r["id"]): f"{r['family_name']}, {r['given_name']} ({'K' if r['grade'] == 0 else r['grade']})" for r in students},
        missing=missing,
    )
