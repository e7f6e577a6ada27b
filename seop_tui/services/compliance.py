"""Compliance with policy 4030 for one student or for a caseload, school or district.

A district report runs the rules for tens of thousands of students. Each student's
results are kept in `compliance_cache` (schema m004) with a stamp: the version of the
student's record, the grade, school and cohort, and a fingerprint of the rules' code
and the district data. A report recomputes only students whose stamp changed and
writes their results back. A student's version row (student_versions) is made before
their results are first kept; from then on triggers (schema m006) bump it on every
write to anything the rules read, whoever writes it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from seop_tui import __version__
from seop_tui.domain.compliance import TITLES, ClauseResult, ClauseState, ClauseSummary, evaluate_student, summarize
from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services import records as records_module
from seop_tui.services.access import require_access, visible_students_sql
from seop_tui.services.context import Actor
from seop_tui.services.plans import current_school_year
from seop_tui.services.records import load_student_years, read_student_years, requirement_set
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
    numbers: dict[str, str] | None = None  # student id -> student number (for files that list students)


# A student row as the report and the warm-up read it (column positions below).
_STUDENTS_SQL = (
    "SELECT s.id, s.given_name, s.family_name, s.grade, s.cohort_year, sc.code, v.version, cc.stamp, cc.results,"
    " s.student_number"
    " FROM students s JOIN schools sc ON sc.id = s.school_id"
    " LEFT JOIN student_versions v ON v.student_id = s.id"
    " LEFT JOIN compliance_cache cc ON cc.student_id = s.id AND cc.school_year_id = ?"
    " WHERE s.active = 1"
)
_ID, _GIVEN, _FAMILY, _GRADE, _COHORT, _SCHOOL, _VERSION, _STAMP, _RESULTS, _NUMBER = range(10)


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
    sql = f"{_STUDENTS_SQL} AND {where} AND s.grade BETWEEN ? AND ?"
    params = (year["id"], *params, grades.first_grade, grades.last_grade)
    scope = "district"
    if school_id is not None:
        sql += " AND s.school_id = ?"
        params = (*params, school_id)
        scope = "school"
    if counselor_id is not None:
        sql += " AND s.counselor_id = ?"
        params = (*params, counselor_id)
        scope = "caseload"
    students, computed = _results(store, ref, year["id"], sql, params)
    # By name, sorted here: the same order as SQL's ORDER BY (code point order is UTF-8
    # byte order), at half the cost of walking the name index with a lookup per student.
    students.sort(key=lambda r: (r[_FAMILY], r[_GIVEN], r[_ID]))
    kept = _Decoded()
    evaluated = []
    missing: dict[str, dict[str, tuple[str, ...]]] = {}
    # Students share result tuples (each distinct text is decoded once, fresh results too):
    # what a tuple does not meet is found once per tuple, not once per student.
    gaps_of: dict[int, list[tuple[dict[str, tuple[str, ...]], tuple[str, ...]]]] = {}
    not_met = ClauseState.NOT_MET
    sids = [str(r[_ID]) for r in students]
    for sid, r in zip(sids, students):
        text = computed.get(r[_ID])
        results = kept.results(r[_RESULTS] if text is None else text)
        evaluated.append((sid, results))  # also keeps `results` alive, so its id stays its own
        gaps = gaps_of.get(id(results))
        if gaps is None:
            gaps = gaps_of[id(results)] = [(missing.setdefault(x.clause, {}), x.missing) for x in results if x.state == not_met]
        for into, what in gaps:
            into[sid] = what
    with store.write():
        audit.record(store.conn, actor, "report", None, f"compliance {band} {scope} {year['name']}: {len(students)} students")
    return ComplianceReport(
        scope=scope,
        school_year=year["name"],
        band=band,
        students=len(students),
        clauses=summarize(evaluated),
        names={sid: f"{r[_FAMILY]}, {r[_GIVEN]} ({'K' if r[_GRADE] == 0 else r[_GRADE]})" for sid, r in zip(sids, students)},
        missing=missing,
        numbers={sid: r[_NUMBER] for sid, r in zip(sids, students)},
    )


def keep_all_results(
    store: Store, ref: Reference, *, school_year_id: int | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Work out and keep the results of every active student whose kept results are missing or
    out of date, for a school year (default: the current one). Returns how many were worked out.

    Run at the end of bulk loads (the demo district, imports), so that the first report reads
    kept results instead of working out the whole district while a counselor waits. It shows
    nothing to anyone, so it writes no audit row. Students are taken a chunk at a time: memory
    stays flat whatever the district's size.
    """
    year_id = school_year_id or current_school_year(store)["id"]
    ids = [r[0] for r in store.query("SELECT id FROM students WHERE active = 1 ORDER BY id")]
    worked = 0
    for start in range(0, len(ids), _WARM_CHUNK):
        chunk = ids[start : start + _WARM_CHUNK]
        _, computed = _results(store, ref, year_id, f"{_STUDENTS_SQL} AND s.id BETWEEN ? AND ?", (year_id, chunk[0], chunk[-1]))
        worked += len(computed)
        if progress is not None:
            progress(start + len(chunk), len(ids))
    return worked


def _results(store: Store, ref: Reference, year_id: int, sql: str, params: tuple) -> tuple[list[tuple], dict[int, str]]:
    """The student rows `sql` selects (_STUDENTS_SQL and more), and results worked out (encoded
    as kept) for those whose kept results are missing or out of date; those are kept. The other
    rows carry theirs."""
    fingerprint = rules_fingerprint(ref)
    for attempt in range(2):
        with store.read():
            cursor = store.conn.cursor()
            cursor.row_factory = None  # plain tuples: tens of thousands of rows
            students = cursor.execute(sql, params).fetchall()
            unversioned = [r[_ID] for r in students if r[_VERSION] is None]
            if not unversioned or attempt:
                stamps = {
                    r[_ID]: f"{r[_VERSION]}|{r[_GRADE]}|{r[_SCHOOL]}|{r[_COHORT]}|{fingerprint}" for r in students if r[_VERSION] is not None
                }
                stale = [r for r in students if r[_STAMP] is None or r[_STAMP] != stamps.get(r[_ID])]
                records = read_student_years(store, ref, year_id, [r[_ID] for r in stale]) if stale else {}
                break
        _add_versions(store, unversioned)  # then read again: their versions count from now
    requirements = _Requirements(ref)
    computed = {r[_ID]: _encode(_evaluate(ref, records[r[_ID]], requirements[(r[_SCHOOL], r[_COHORT])])) for r in stale}
    # Kept only with a version: a student added since the versions were made is worked out next time too.
    _keep(store, year_id, [(sid, stamps[sid], text) for sid, text in computed.items() if sid in stamps])
    return students, computed


class _Requirements(dict):
    """(school code, cohort) -> requirement set, looked up once per pair."""

    def __init__(self, ref: Reference) -> None:
        super().__init__()
        self.ref = ref

    def __missing__(self, key: tuple[str, int | None]):
        value = self[key] = requirement_set(self.ref, *key)
        return value


# -- the per-student cache ------------------------------------------------------------------

_KEEP_CHUNK = 1000  # rows written per transaction: other sessions' saves wait at most one chunk
_WARM_CHUNK = 5000  # students read and worked out at a time by keep_all_results


@functools.cache
def _rules_code() -> bytes:
    """The code that turns a record into results: changing it makes every kept result stale."""
    domain = Path(evaluate_student.__code__.co_filename).parent
    files = [*sorted(domain.glob("*.py")), Path(records_module.__file__), Path(__file__)]
    return __version__.encode() + b"".join(hashlib.sha256(f.read_bytes()).digest() for f in files)


_fingerprints: dict[int, tuple[Reference, str]] = {}


def rules_fingerprint(ref: Reference) -> str:
    """A digest of the rules' code and the district data they read."""
    kept = _fingerprints.get(id(ref))
    if kept is None or kept[0] is not ref:
        data = msgspec.msgpack.encode([ref.district, ref.clusters, ref.courses, ref.requirements])
        kept = _fingerprints[id(ref)] = (ref, hashlib.sha256(_rules_code() + data).hexdigest()[:20])
    return kept[1]


_encoder = msgspec.json.Encoder()


def _encode(results: tuple[ClauseResult, ...]) -> str:
    """One line of JSON per clause: [clause, state, missing, notes]."""
    return "\n".join(_encoder.encode((r.clause, r.state.value, r.missing, r.notes)).decode() for r in results)


class _Decoded:
    """Kept results back as ClauseResults. Most students share their results with others,
    and clause results repeat far more: each distinct text is decoded once."""

    _decoder = msgspec.json.Decoder(tuple[str, str, tuple[str, ...], tuple[str, ...]])

    def __init__(self) -> None:
        self.students: dict[str, tuple[ClauseResult, ...]] = {}
        self.clauses: dict[str, ClauseResult] = {}

    def results(self, text: str) -> tuple[ClauseResult, ...]:
        results = self.students.get(text)
        if results is None:
            results = self.students[text] = tuple(self._clause(line) for line in text.split("\n"))
        return results

    def _clause(self, line: str) -> ClauseResult:
        result = self.clauses.get(line)
        if result is None:
            clause, state, missing, notes = self._decoder.decode(line)
            result = self.clauses[line] = ClauseResult(clause, TITLES.get(clause, clause), ClauseState(state), missing, notes)
        return result


def _add_versions(store: Store, student_ids: list[int]) -> None:
    """Start counting changes to these students' records (the triggers of m006 bump the count)."""
    for start in range(0, len(student_ids), _KEEP_CHUNK * 10):
        with store.write():
            store.conn.executemany(
                "INSERT OR IGNORE INTO student_versions (student_id, version) VALUES (?, 0)",
                ((sid,) for sid in student_ids[start : start + _KEEP_CHUNK * 10]),
            )


def _keep(store: Store, year_id: int, rows: list[tuple[int, str, str]]) -> None:
    """Write freshly computed results (encoded) back, a chunk per transaction."""
    for start in range(0, len(rows), _KEEP_CHUNK):
        with store.write():
            store.conn.executemany(
                "INSERT OR REPLACE INTO compliance_cache (student_id, school_year_id, stamp, results) VALUES (?, ?, ?, ?)",
                [(sid, year_id, stamp, text) for sid, stamp, text in rows[start : start + _KEEP_CHUNK]],
            )
