"""The staff dashboard's list of students: who, where their plan stands, what is due.

Two speeds:
- `find` is the type-to-search path: an FTS5 index over names and student numbers
  whose rowids are in name order (schema m007), read in that order and left as soon
  as the page is known, a page of rows at a time. Thousands of matches are counted
  only up to COUNT_CAP. It stays within milliseconds at state size.
- `row_details` works out the costly columns (conferences held against those
  required, the credit audit) with the domain rules, for the rows on screen.
  Filtering or sorting by those columns computes them for every matching
  student (`find` does it, with a progress callback).

Every query is narrowed by `visible_students_sql(actor)`: staff see only the
students they may see, whatever the filters say.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from seop_tui.domain.compliance import CREDIT_AUDIT_FROM_GRADE
from seop_tui.domain.conferences import conferences_due
from seop_tui.domain.credits import audit as credit_audit
from seop_tui.domain.credits import plan_credits
from seop_tui.reference import Reference
from seop_tui.schema import SEARCH_ID_BITS
from seop_tui.services import audit
from seop_tui.services.access import visible_students_sql
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.services.plans import current_school_year
from seop_tui.services.records import load_conferences_and_credits, requirement_set
from seop_tui.storage import Store

PAGE = 200
# A search counts matches up to this many (or the end of the page asked for); the
# page then says "at least" (CaseloadPage.total_exact).
COUNT_CAP = 1000
DETAIL_CHUNK = 500  # students whose details are loaded at once

SCOPE_LABELS = {
    "mine": "My caseload",
    "school": "Whole school",
    "class": "My classes",
    "district": "Whole district",
}
STATUS_FILTERS = {
    "submitted": "To review",
    "changes_requested": "Changes asked",
    "draft": "Draft",
    "finalized": "Finalized",
    "none": "No plan yet",
}
FLAG_FILTERS = {
    "cluster_missing": "Cluster missing",
    "conferences_due": "Conferences due",
    "credits_missing": "Credits short",
}
SORTS = {
    "name": "name",
    "number": "student number",
    "grade": "grade",
    "status": "plan status",
    "conferences": "conferences",
    "cluster": "cluster",
    "credits": "credits",
    "activity": "last activity",
}
# Waiting for review first: that is what staff act on.
STATUS_ORDER = {"submitted": 0, "changes_requested": 1, "draft": 2, "finalized": 3, None: 4}
CREDIT_ORDER = {"missing": 0, "planned": 1, "met": 2, None: 3}

_DETAIL_FLAGS = {"conferences_due", "credits_missing"}
_DETAIL_SORTS = {"conferences", "credits"}
_SQL_SORTS = {
    "name": "s.family_name COLLATE NOCASE, s.given_name COLLATE NOCASE, s.id",
    "number": "s.student_number, s.id",
    "grade": "s.grade, s.family_name COLLATE NOCASE, s.given_name COLLATE NOCASE, s.id",
    "status": "CASE p.status WHEN 'submitted' THEN 0 WHEN 'changes_requested' THEN 1 WHEN 'draft' THEN 2"
    " WHEN 'finalized' THEN 3 ELSE 4 END, s.family_name COLLATE NOCASE, s.given_name COLLATE NOCASE, s.id",
    "cluster": "cluster_code IS NULL, cluster_code, s.family_name COLLATE NOCASE, s.given_name COLLATE NOCASE, s.id",
    "activity": "p.updated_at IS NULL, p.updated_at, s.family_name COLLATE NOCASE, s.given_name COLLATE NOCASE, s.id",
}
_MAX_TOKENS = 6
_MAX_TOKEN_LENGTH = 40


@dataclass(frozen=True)
class CaseloadQuery:
    """What the dashboard asks for. Empty fields do not narrow the list."""

    text: str = ""
    scope: str | None = None  # None: the role's default scope
    school_id: int | None = None
    grade: int | None = None
    status: str | None = None  # a STATUS_FILTERS key
    flag: str | None = None  # a FLAG_FILTERS key
    sort: str = "name"
    descending: bool = False

    @property
    def needs_details(self) -> bool:
        return self.flag in _DETAIL_FLAGS or self.sort in _DETAIL_SORTS


@dataclass(frozen=True)
class RowDetails:
    """The costly columns, from the domain rules."""

    conferences_done: int
    conferences_required: int
    credit_state: str | None  # met | planned | missing; None below high school or with no requirement set

    @property
    def conferences_due(self) -> bool:
        return self.conferences_done < self.conferences_required


@dataclass(frozen=True)
class CaseloadRow:
    student_id: int
    given_name: str
    family_name: str
    preferred_name: str | None
    student_number: str
    grade: int
    school_code: str
    plan_status: str | None  # None: no plan this school year
    cluster_code: str | None
    cluster_missing: bool  # no cluster chosen at or past the grade it is required by
    last_activity: str | None  # the plan's updated_at
    details: RowDetails | None = None

    @property
    def name(self) -> str:
        preferred = f" ({self.preferred_name})" if self.preferred_name and self.preferred_name != self.given_name else ""
        return f"{self.family_name}, {self.given_name}{preferred}"


@dataclass(frozen=True)
class CaseloadPage:
    rows: tuple[CaseloadRow, ...]
    total: int  # students matching, on every page; a lower bound when not total_exact
    offset: int
    limit: int
    query: CaseloadQuery
    # False when a search matched more than COUNT_CAP students (and more than the page
    # asked for): then at least `total` match, and `total` is past this page's end.
    total_exact: bool = True

    @property
    def more(self) -> bool:
        return self.offset + len(self.rows) < self.total


@dataclass(frozen=True)
class SchoolChoice:
    id: int
    code: str
    name: str


# -- what the actor may choose ---------------------------------------------------------


def scopes_for(actor: Actor) -> tuple[str, ...]:
    """The scopes `actor` can switch between, the default first."""
    if actor.role == "counselor":
        return ("mine", "school")
    if actor.role == "teacher":
        return ("class",)
    if actor.role == "administrator":
        return ("school",) if actor.school_id is not None else ("district",)
    raise AccessDenied("Only school staff have a caseload.")


def schools_for(store: Store, actor: Actor) -> tuple[SchoolChoice, ...]:
    """Schools with students `actor` may see, by name."""
    where, params = visible_students_sql(actor)
    if actor.role == "administrator" and actor.school_id is None:
        rows = store.query("SELECT id, code, name FROM schools ORDER BY name")
    else:
        rows = store.query(
            f"SELECT id, code, name FROM schools WHERE id IN (SELECT s.school_id FROM students s WHERE {where}) ORDER BY name",
            params,
        )
    return tuple(SchoolChoice(r["id"], r["code"], r["name"]) for r in rows)


def grades_for(store: Store, actor: Actor) -> tuple[int, ...]:
    """The grades of the students `actor` may see, lowest first."""
    where, params = visible_students_sql(actor)
    return tuple(r[0] for r in store.query(f"SELECT DISTINCT s.grade FROM students s WHERE s.active = 1 AND {where} ORDER BY 1", params))


# -- the fast path -----------------------------------------------------------------------


def merge_search_index(store: Store) -> None:
    """Merge the search index into one piece after a bulk load. Filled a student at a time it
    is in many, and the slowest searches read them all (p99 three times as long)."""
    with store.write() as db:
        db.execute("INSERT INTO student_search (student_search) VALUES ('optimize')")


def match_expression(text: str) -> str | None:
    """An FTS5 query matching every word of `text` as a prefix; None when it has no words.

    Each word is quoted, so FTS5 syntax in what was typed (AND, NEAR, *, ") is searched
    for as plain text, never run.
    """
    words = re.findall(r"\w+", text)[:_MAX_TOKENS]
    if not words:
        return None
    return " ".join('"' + word[:_MAX_TOKEN_LENGTH].replace('"', '""') + '"*' for word in words)


_CLUSTER = "(SELECT c.cluster_code FROM cluster_choices c WHERE c.student_id = s.id ORDER BY c.id DESC LIMIT 1) AS cluster_code"
_COLUMNS = (
    "s.id, s.given_name, s.family_name, s.preferred_name, s.student_number, s.grade, sc.code AS school_code,"
    f" p.status AS plan_status, p.updated_at AS last_activity, {_CLUSTER}"
)


# The student of a search row (schema m007: name key * 2**24 + id, or -id).
_ID_MASK = 2**SEARCH_ID_BITS - 1
_STUDENT_OF_ROW = f"(CASE WHEN f.rowid < 0 THEN -f.rowid ELSE f.rowid & {_ID_MASK} END)"


def _search_match(actor: Actor, query: CaseloadQuery) -> str | None:
    """The FTS5 query for `query.text`: typed words match names and numbers only; the
    school to stay within (the actor's, or the one chosen) and active students only,
    as the index's tags say (schema m007)."""
    words = match_expression(query.text)
    if words is None:
        return None
    parts = [f"{{words}} : ({words})"]
    parts += [f'{{tags}} : "s{school}"' for school in sorted(_schools_within(actor, query))]
    return f'({" AND ".join(parts)}) NOT {{tags}} : "inactive"'


def _schools_within(actor: Actor, query: CaseloadQuery) -> set[int]:
    schools = {query.school_id}
    if actor.role == "counselor" or (actor.role == "administrator" and actor.school_id is not None):
        schools.add(actor.school_id)  # as visible_students_sql
    return {int(school) for school in schools if school is not None}


def _index_answers(actor: Actor, query: CaseloadQuery) -> bool:
    """Whether the search index's tags say all that visibility and `query` ask."""
    scope = query.scope or scopes_for(actor)[0]
    return (
        actor.role == "administrator" or (actor.role == "counselor" and scope == "school")
    ) and (query.grade, query.status, query.flag) == (None, None, None)


def _source_and_where(
    ref: Reference, actor: Actor, query: CaseloadQuery, year_id: int, *, columns: bool = True, walk: bool = False
) -> tuple[str, list[object]]:
    """FROM ... WHERE ... for `query` (no ORDER BY), with its parameters in order.

    Without `columns`, only what the filters and the sort need is joined (for the count
    and the page's ids). With text and `walk`, the search index is `f`, on the outside,
    to be read in its (name) order; without `walk`, the matching students are read in
    id order, which keeps thousands of look-ups close together.
    """
    scope = query.scope or scopes_for(actor)[0]
    if scope not in scopes_for(actor):
        raise AccessDenied(f"{SCOPE_LABELS.get(scope, scope)} is not a list you can open.")
    visible, visible_params = visible_students_sql(actor)
    match = _search_match(actor, query)
    if match is not None and walk:
        # CROSS JOIN keeps the full-text index on the outside: without it SQLite may walk a
        # whole school and run the text search once per student.
        source = f"student_search f CROSS JOIN students s ON s.id = {_STUDENT_OF_ROW}"
    else:
        source = "students s"
    schools = " JOIN schools sc ON sc.id = s.school_id" if columns else ""
    sql = f"FROM {source}{schools}"
    params: list[object] = []
    if columns or query.status is not None or query.sort in ("status", "activity"):
        # Only when used: SQLite kept it in a count, a lookup per match.
        sql += " LEFT JOIN plans p ON p.student_id = s.id AND p.school_year_id = ?"
        params.append(year_id)
    where = ["s.active = 1", f"({visible})"]
    params += visible_params
    if match is not None:
        where.append("student_search MATCH ?" if walk else f"s.id IN (SELECT {_STUDENT_OF_ROW} FROM student_search f WHERE student_search MATCH ?)")
        params.append(match)
    if scope == "mine":
        where.append("s.counselor_id = ?")
        params.append(actor.staff_id)
    if query.school_id is not None:
        where.append("s.school_id = ?")
        params.append(query.school_id)
    if query.grade is not None:
        where.append("s.grade = ?")
        params.append(query.grade)
    if query.status == "none":
        where.append("p.id IS NULL")
    elif query.status is not None:
        where.append("p.status = ?")
        params.append(query.status)
    if query.flag == "cluster_missing":
        where.append("s.grade >= ? AND NOT EXISTS (SELECT 1 FROM cluster_choices c WHERE c.student_id = s.id)")
        params.append(ref.district.cluster_required_by_grade)
    elif query.flag == "credits_missing":
        where.append("s.grade >= ?")  # no credit audit below high school: no need to work one out
        params.append(CREDIT_AUDIT_FROM_GRADE)
    return f"{sql} WHERE {' AND '.join(where)}", params


def _row(ref: Reference, r) -> CaseloadRow:
    return CaseloadRow(
        student_id=r["id"],
        given_name=r["given_name"],
        family_name=r["family_name"],
        preferred_name=r["preferred_name"],
        student_number=r["student_number"],
        grade=r["grade"],
        school_code=r["school_code"],
        plan_status=r["plan_status"],
        cluster_code=r["cluster_code"],
        cluster_missing=r["cluster_code"] is None and r["grade"] >= ref.district.cluster_required_by_grade,
        last_activity=r["last_activity"],
    )


def find(
    store: Store,
    ref: Reference,
    actor: Actor,
    query: CaseloadQuery,
    *,
    offset: int = 0,
    limit: int = PAGE,
    known: Mapping[int, RowDetails] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CaseloadPage:
    """One page of the students matching `query` that `actor` may see, with the total.

    Rows carry details only when the query filters or sorts by them (then every
    matching student's details are worked out, reusing `known`, reporting
    `progress(done, total)`); otherwise call `row_details` for the rows shown.
    """
    if not actor.is_staff:
        raise AccessDenied("Only school staff have a caseload.")
    if query.sort not in SORTS:
        raise ValueError(f"unknown sort {query.sort!r}")
    year_id = current_school_year(store)["id"]
    walk = query.sort == "name" and not query.descending and not query.needs_details and match_expression(query.text) is not None
    body, params = _source_and_where(ref, actor, query, year_id, columns=query.needs_details, walk=walk)
    if query.needs_details:
        return _find_by_details(store, ref, actor, query, body, params, offset, limit, known or {}, progress)
    with store.read() as conn:
        if walk:
            if _index_answers(actor, query):
                # Nothing to look up per match: the index alone, then the page's rows.
                source = "SELECT f.rowid FROM student_search f WHERE student_search MATCH ?", [_search_match(actor, query)]
            else:
                source = f"SELECT f.rowid {body}", params
            ids, total, exact = _walk_by_name(conn, *source, offset, limit)
        else:
            ids, exact = _sorted_in_sql(conn, query, body, params, offset, limit), True
            total = conn.execute(f"SELECT count(*) {body}", params).fetchone()[0]
        visible, visible_params = visible_students_sql(actor)  # again: the rows shown are checked here too
        found = {
            r["id"]: r
            for r in conn.execute(
                f"SELECT {_COLUMNS} FROM students s JOIN schools sc ON sc.id = s.school_id"
                " LEFT JOIN plans p ON p.student_id = s.id AND p.school_year_id = ?"
                f" WHERE s.id IN (SELECT value FROM json_each(?)) AND s.active = 1 AND ({visible})",
                (year_id, _json_ids(ids), *visible_params),
            )
        }
    return CaseloadPage(tuple(_row(ref, found[i]) for i in ids if i in found), total, offset, limit, query, total_exact=exact)


def _sorted_in_sql(conn, query: CaseloadQuery, body: str, params: list[object], offset: int, limit: int) -> list[int]:
    """The page's ids, every match sorted by SQLite (a short sort; columns come after)."""
    order = _SQL_SORTS[query.sort]
    if query.descending:
        order = ", ".join(f"{part} DESC" for part in order.split(", "))
    # The cluster lookup runs for the rows shown, not for every match, unless sorted by it.
    sort_column = f", {_CLUSTER}" if query.sort == "cluster" else ""
    return [r[0] for r in conn.execute(f"SELECT s.id{sort_column} {body} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])]


_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # SQLite's NOCASE folds ASCII only


def _walk_by_name(conn, sql: str, params: list[object], offset: int, limit: int) -> tuple[list[int], int, bool]:
    """The page's ids in name order, how many match and whether that count is exact.

    `sql` selects the search index rowids (`f.rowid`) of the matching students, with a
    WHERE. The index is read in rowid order, which is name order up to a name key
    (schema m007), until the page is full: the rows before the last row's key are
    sorted by name, and the rest of the page comes from that key's students walked in
    name order. Rows without a key (rowid -id) are all taken. Counting goes on up to
    COUNT_CAP (or the page's end) and stops there.
    """
    need = offset + limit
    cap = max(COUNT_CAP, need)
    taken: list[int] = []
    keyed = 0
    last_key = None  # the name key of the row that fills the page
    count, exact = 0, True
    for (rowid,) in conn.execute(f"{sql} ORDER BY f.rowid", params):
        count += 1
        if last_key is None:
            taken.append(rowid)
            keyed += rowid >= 0
            if keyed == need:
                last_key = rowid >> SEARCH_ID_BITS
        elif count > cap:
            exact = False
            break
    rows = _names(conn, [r for r in taken if r < 0 or r >> SEARCH_ID_BITS != last_key])
    if last_key is not None:
        still = need - sum(1 for r in rows if r[3] >= 0)
        low = last_key << SEARCH_ID_BITS
        rows += _named(
            conn.execute(
                f"SELECT n.key, n.family, n.given FROM student_name_order n WHERE n.key >> {SEARCH_ID_BITS} = ?"
                f" AND n.key IN ({sql} AND f.rowid BETWEEN ? AND ?)"
                # The key is fixed: ordering by it too would make SQLite sort instead of walk.
                " ORDER BY n.family COLLATE NOCASE, n.given COLLATE NOCASE, n.key LIMIT ?",
                [last_key, *params, low, low + _ID_MASK, still],
            )
        )
    rows.sort()
    return [r[2] for r in rows[offset:need]], count, exact


def _names(conn, rowids: list[int]) -> list[tuple[str, str, int, int]]:
    if not rowids:
        return []
    return _named(conn.execute("SELECT key, family, given FROM student_name_order WHERE key IN (SELECT value FROM json_each(?))", (_json_ids(rowids),)))


def _named(rows) -> list[tuple[str, str, int, int]]:
    """(family, given, student id) as NOCASE sorts them, then the search rowid: a sort key."""
    out = []
    for key, family, given in rows:
        student_id = key & _ID_MASK if key >= 0 else -key
        out.append((family.translate(_NOCASE), given.translate(_NOCASE), student_id, key))
    return out


def _find_by_details(store, ref, actor, query, body, params, offset, limit, known, progress) -> CaseloadPage:
    rows = [_row(ref, r) for r in store.query(f"SELECT {_COLUMNS} {body}", params)]
    details = dict(known)
    missing = [r.student_id for r in rows if r.student_id not in details]
    done = len(rows) - len(missing)
    for start in range(0, len(missing), DETAIL_CHUNK):
        chunk = missing[start : start + DETAIL_CHUNK]
        details.update(_details(store, ref, actor, chunk))
        done += len(chunk)
        if progress:
            progress(done, len(rows))
    rows = [replace(r, details=details.get(r.student_id)) for r in rows]
    if query.flag == "conferences_due":
        rows = [r for r in rows if r.details and r.details.conferences_due]
    elif query.flag == "credits_missing":
        rows = [r for r in rows if r.details and r.details.credit_state == "missing"]
    rows.sort(key=_sort_key(query.sort), reverse=query.descending)
    _audit_list(store, actor, len(rows))
    return CaseloadPage(tuple(rows[offset : offset + limit]), len(rows), offset, limit, query)


def _by_name(row: CaseloadRow) -> tuple:
    return (row.family_name.casefold(), row.given_name.casefold(), row.student_id)


def _sort_key(sort: str) -> Callable[[CaseloadRow], tuple]:
    def conferences(row: CaseloadRow) -> tuple:
        d = row.details
        # Most conferences still to hold first.
        still = d.conferences_required - d.conferences_done if d else -1
        return (-still, *_by_name(row))

    def credits(row: CaseloadRow) -> tuple:
        return (CREDIT_ORDER[row.details.credit_state if row.details else None], *_by_name(row))

    keys: dict[str, Callable[[CaseloadRow], tuple]] = {
        "conferences": conferences,
        "credits": credits,
        "name": _by_name,
        "number": lambda r: (r.student_number, r.student_id),
        "grade": lambda r: (r.grade, *_by_name(r)),
        "status": lambda r: (STATUS_ORDER.get(r.plan_status, 4), *_by_name(r)),
        "cluster": lambda r: (r.cluster_code is None, r.cluster_code or "", *_by_name(r)),
        "activity": lambda r: (r.last_activity is None, r.last_activity or "", *_by_name(r)),
    }
    return keys[sort]


def matching_ids(store: Store, ref: Reference, actor: Actor, query: CaseloadQuery, *, progress=None) -> list[int]:
    """Every student matching `query` (all pages), in the query's order: for exports of a list."""
    page = find(store, ref, actor, query, limit=1_000_000, progress=progress)
    return [r.student_id for r in page.rows]


# -- the costly columns ---------------------------------------------------------------------


def row_details(store: Store, ref: Reference, actor: Actor, student_ids: Sequence[int]) -> dict[int, RowDetails]:
    """Conferences held/required and the credit audit state for each student `actor` may see.

    Students `actor` may not see are left out. One audit row ("list") for the lot.
    """
    if not actor.is_staff:
        raise AccessDenied("Only school staff have a caseload.")
    out = _details(store, ref, actor, list(student_ids))
    _audit_list(store, actor, len(out))
    return out


def _audit_list(store: Store, actor: Actor, count: int) -> None:
    with store.write():
        audit.record(store.conn, actor, "list", None, f"caseload: plan status, conferences and credits of {count} students")


def _details(store: Store, ref: Reference, actor: Actor, student_ids: list[int]) -> dict[int, RowDetails]:
    if not student_ids:
        return {}
    visible, params = visible_students_sql(actor)
    rows = store.query(
        "SELECT s.id, s.grade, s.cohort_year, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id"
        f" WHERE s.id IN (SELECT value FROM json_each(?)) AND {visible}",
        (_json_ids(student_ids), *params),
    )
    year_id = current_school_year(store)["id"]
    records = load_conferences_and_credits(store, ref, year_id, [r["id"] for r in rows])  # not the whole record
    out: dict[int, RowDetails] = {}
    for r in rows:
        record = records[r["id"]]
        band = ref.district.band_for(r["grade"])
        status = conferences_due(band, record.conferences, small_group_max=ref.district.small_group_max)
        required = sum(item.count for item in status.required)
        still = sum(item.count for item in status.due)
        credit_state = None
        if r["grade"] >= CREDIT_AUDIT_FROM_GRADE:
            reqs = requirement_set(ref, r["code"], r["cohort_year"])
            if reqs is not None:
                planned = plan_credits(record.plan_entries, ref.courses)
                credit_state = str(credit_audit(reqs, record.earned, planned).state)
        out[r["id"]] = RowDetails(required - still, required, credit_state)
    return out


def _json_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"
