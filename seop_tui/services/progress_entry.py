"""Progress data entered by staff when the district has not imported it.

Assessment results (an assessment, subject and grade from the district's
assessments.yaml, a proficiency level and a scale score) and earned credits (a
catalog course or a course typed in, with its requirement area). Rows entered
here carry source = "entered" and only those can be removed again; imported rows
stay as the district sent them. Accomplishments have their own service
(services/accomplishments.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from seop_tui.reference import Assessment, AssessmentSubject, Reference
from seop_tui.services import audit
from seop_tui.services.access import require_access
from seop_tui.services.conferences import EntryError, parse_day, parse_whole, require_staff, school_year_on
from seop_tui.services.context import Actor
from seop_tui.services.plans import current_school_year
from seop_tui.storage import Store
from seop_tui.text import SHORT, clean

ENTERED = "entered"
TERMS: dict[str, str] = {"year": "Full year", "fall": "Fall semester", "spring": "Spring semester"}
CREDIT_STEP = 0.25
MAX_CREDITS = 4.0
CREDIT_GRADES = range(6, 13)  # high-school credit can be earned from middle school
MARK_LIMIT = 8


# -- choices --------------------------------------------------------------------------


def assessment(ref: Reference, code: str) -> Assessment:
    found = next((a for a in ref.assessments.assessments if a.code == code), None)
    if found is None:
        raise EntryError(f"Choose an assessment: {', '.join(a.name for a in ref.assessments.assessments)}.")
    return found


def areas(ref: Reference) -> list[tuple[str, str]]:
    """Requirement areas (code, name) across the district's requirement sets, in file order."""
    seen: dict[str, str] = {}
    for req in ref.requirements.sets:
        for area in req.areas:
            seen.setdefault(area.code, area.name)
    return list(seen.items())


def subareas(ref: Reference, area: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for req in ref.requirements.sets:
        for a in req.areas:
            if a.code == area:
                for sub in a.subareas:
                    seen.setdefault(sub.code, sub.name)
    return list(seen.items())


def _student(store: Store, actor: Actor, student_id: int):
    require_staff(actor)
    require_access(store, actor, student_id)
    return store.one("SELECT id, grade FROM students WHERE id = ?", (student_id,))


# -- assessment results ---------------------------------------------------------------


@dataclass(frozen=True)
class CheckedResult:
    """An assessment result that fits the district's assessments.yaml and the student's grade."""

    test: Assessment
    subject: AssessmentSubject
    grade: int
    level: int | None
    scale_score: int | None
    taken_on: date | None


def _about(field: str, check, *args, **kwargs):
    """`check(...)`, its EntryError marked with the field it is about (an import names it)."""
    try:
        return check(*args, **kwargs)
    except EntryError as exc:
        exc.field = field
        raise


def _refused(field: str, message: str) -> EntryError:
    exc = EntryError(message)
    exc.field = field
    return exc


def check_result(
    ref: Reference,
    student_grade: int,
    *,
    assessment_code: str,
    subject: str,
    grade: int | str,
    level: int | str | None,
    scale_score: int | str | None = None,
    taken_on: str | date | None = None,
    today: date | None = None,
) -> CheckedResult:
    """The rules for one result, whoever sends it (staff typing it, a district import)."""
    test = _about("assessment", assessment, ref, assessment_code)
    subj = next((s for s in test.subjects if s.code == subject), None)
    if subj is None:
        raise _refused("subject", f"Choose a {test.name} subject: {', '.join(s.name for s in test.subjects)}.")
    grade = _about("grade", parse_whole, grade, what="grade tested", low=0, high=12, required=True)
    if grade not in subj.grades:
        grades = ("grade " if len(subj.grades) == 1 else "grades ") + ", ".join(map(str, subj.grades))
        raise _refused("grade", f"{test.name} {subj.name} is taken in {grades}, not grade {grade}.")
    if grade > student_grade:
        raise _refused("grade", f"The student is in grade {student_grade}; a grade {grade} result cannot be on file yet.")
    levels = {lvl.level for lvl in ref.assessments.levels}
    level = _about("level", parse_whole, level, what="proficiency level", low=min(levels), high=max(levels), required=test.score_range is None)
    low, high = test.score_range or (0, 9999)
    score = _about("scale_score", parse_whole, scale_score, what="scale score", low=low, high=high)
    if level is None and score is None:
        raise _refused("level", "Enter a proficiency level or a scale score.")
    day = _about("taken_on", parse_day, taken_on, what="test date", required=False, today=today)
    return CheckedResult(test, subj, grade, level, score, day)


def add_assessment(
    store: Store,
    ref: Reference,
    actor: Actor,
    student_id: int,
    *,
    assessment_code: str,
    subject: str,
    grade: int | str,
    level: int | str | None,
    scale_score: int | str | None = None,
    taken_on: str | date | None = None,
    today: date | None = None,
) -> int:
    """Add one assessment result; returns its id."""
    student = _student(store, actor, student_id)
    checked = check_result(
        ref, student["grade"], assessment_code=assessment_code, subject=subject, grade=grade, level=level,
        scale_score=scale_score, taken_on=taken_on, today=today,
    )
    test, subj, grade, day = checked.test, checked.subject, checked.grade, checked.taken_on
    year = school_year_on(store, day) if day else current_school_year(store)
    if store.one(
        "SELECT 1 FROM assessment_results WHERE student_id = ? AND assessment = ? AND subject = ? AND grade = ?",
        (student_id, test.code, subj.code, grade),
    ):
        raise EntryError(f"A {test.name} {subj.name} result for grade {grade} is already on file.")
    with store.write() as db:
        result_id = db["assessment_results"].insert(
            {
                "student_id": student_id,
                "school_year_id": year["id"],
                "assessment": test.code,
                "subject": subj.code,
                "grade": grade,
                "level": checked.level,
                "scale_score": checked.scale_score,
                "taken_on": day.isoformat() if day else None,
                "source": ENTERED,
            }
        ).last_pk
        audit.record(store.conn, actor, "change", student_id, f"assessment result entered: {test.code} {subj.code} grade {grade}")
    return result_id


def list_assessments(store: Store, ref: Reference, actor: Actor, student_id: int) -> list[dict]:
    """All results on file, newest grade first, with level names. Audited as a view."""
    rows = _viewed(
        store, actor, student_id, "assessment results",
        "SELECT id, assessment, subject, grade, level, scale_score, taken_on, source FROM assessment_results"
        " WHERE student_id = ? ORDER BY grade DESC, assessment, subject",
    )
    levels = {lvl.level: lvl.name for lvl in ref.assessments.levels}
    names = {a.code: a for a in ref.assessments.assessments}
    out = []
    for r in rows:
        test = names.get(r["assessment"])
        subject = next((s.name for s in test.subjects if s.code == r["subject"]), r["subject"]) if test else r["subject"]
        out.append({**dict(r), "assessment_name": test.name if test else r["assessment"], "subject_name": subject,
                    "level_name": levels.get(r["level"], "")})
    return out


def remove_assessment(store: Store, actor: Actor, result_id: int) -> None:
    _remove(store, actor, "assessment_results", result_id, "assessment result")


# -- earned credits -------------------------------------------------------------------


def _credits(value: float | str) -> float:
    try:
        amount = float(str(value).strip())
    except ValueError:
        raise EntryError("Credits must be a number, like 0.5 or 1.") from None
    if not math.isfinite(amount) or not 0 < amount <= MAX_CREDITS:
        raise EntryError(f"Credits must be more than 0 and at most {MAX_CREDITS:g}.")
    if abs(amount / CREDIT_STEP - round(amount / CREDIT_STEP)) > 1e-9:
        raise EntryError("Credits come in quarter steps: 0.25, 0.5, 0.75, 1.0 ...")
    return amount


def add_credit(
    store: Store,
    ref: Reference,
    actor: Actor,
    student_id: int,
    *,
    credits: float | str,
    grade: int | str,
    course_code: str = "",
    course_name: str = "",
    area: str = "",
    subarea: str | None = None,
    mark: str = "",
    term: str | None = "year",
    school_year: str | None = None,
) -> int:
    """Add a course the student has earned credit for; returns its id.

    A catalog course (course_code) brings its name, area and sub-area; a course
    not in the catalog (a transfer course) needs a name and an area.
    """
    student = _student(store, actor, student_id)
    code = clean(course_code, limit=SHORT).upper()
    course = ref.courses.by_code.get(code) if code else None
    if code and course is None and not course_name.strip():
        raise EntryError(f"{code} is not in the course catalog. Give the course a name and an area to enter it anyway.")
    name = clean(course_name, limit=SHORT) or (course.name if course else "")
    if not name:
        raise EntryError("Choose a course from the catalog or type the course name.")
    area = area or (course.area if course else "")
    if area not in dict(areas(ref)):
        raise EntryError("Choose the requirement area the credit counts toward.")
    subarea = subarea or (course.subarea if course and course.area == area else None)
    if subarea is not None and subarea not in dict(subareas(ref, area)):
        raise EntryError("That sub-area does not belong to the area chosen.")
    grade = parse_whole(grade, what="grade", low=CREDIT_GRADES.start, high=CREDIT_GRADES.stop - 1, required=True)
    if grade > student["grade"]:
        raise EntryError(f"The student is in grade {student['grade']}; credit from grade {grade} cannot be earned yet.")
    if term is not None and term not in TERMS:
        raise EntryError(f"Choose the term: {', '.join(TERMS.values())}.")
    mark = clean(mark, limit=SHORT)
    if len(mark) > MARK_LIMIT:
        raise EntryError(f"A mark is short, like A-, B+ or P (at most {MARK_LIMIT} characters).")
    year_name = school_year or current_school_year(store)["name"]
    if not store.one("SELECT 1 FROM school_years WHERE name = ?", (year_name,)):
        raise EntryError(f"School year {year_name} is not on file.")
    amount = _credits(credits)
    with store.write() as db:
        credit_id = db["credits_earned"].insert(
            {
                "student_id": student_id,
                "course_code": code or None,
                "course_name": name,
                "area": area,
                "subarea": subarea,
                "credits": amount,
                "grade": grade,
                "school_year": year_name,
                "term": term,
                "mark": mark or None,
                "source": ENTERED,
            }
        ).last_pk
        audit.record(store.conn, actor, "change", student_id, f"credit entered: {code or name[:40]} {amount:g}")
    return credit_id


def list_credits(store: Store, ref: Reference, actor: Actor, student_id: int) -> list[dict]:
    """Earned credits, by grade then course name, with area names. Audited as a view."""
    rows = _viewed(
        store, actor, student_id, "earned credits",
        "SELECT id, course_code, course_name, area, subarea, credits, grade, school_year, term, mark, source"
        " FROM credits_earned WHERE student_id = ? ORDER BY grade DESC, course_name",
    )
    names = dict(areas(ref))
    return [{**dict(r), "area_name": names.get(r["area"], r["area"])} for r in rows]


def remove_credit(store: Store, actor: Actor, credit_id: int) -> None:
    _remove(store, actor, "credits_earned", credit_id, "credit")


def _viewed(store: Store, actor: Actor, student_id: int, what: str, sql: str) -> list:
    """One student's rows from `sql` (its one parameter: the student id), audited as a view."""
    require_access(store, actor, student_id)
    rows = store.query(sql, (student_id,))
    with store.write():
        audit.record(store.conn, actor, "view", student_id, what)
    return rows


def _remove(store: Store, actor: Actor, table: str, row_id: int, what: str) -> None:
    require_staff(actor)
    row = store.one(f"SELECT student_id, source FROM {table} WHERE id = ?", (row_id,))
    if row is None:
        raise EntryError(f"That {what} is not on file any more.")
    require_access(store, actor, row["student_id"])
    if row["source"] != ENTERED:
        raise EntryError(f"That {what} came from the district's import and cannot be removed here.")
    with store.write() as db:
        db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
        audit.record(store.conn, actor, "change", row["student_id"], f"{what} {row_id} removed")
