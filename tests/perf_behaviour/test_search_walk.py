"""Staff search reads the name-ordered index and stops: it neither sorts every match nor
looks up every matching student (what made it slow at 700,000 students)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from seop_tui.reference import load_reference
from seop_tui.services import caseload
from seop_tui.services.caseload import CaseloadQuery
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.staff("admin", "administrator", None, "Ada", "Admin")
    with store.write() as db:
        for n in range(60):  # one family name: a single name key to walk in full-name order
            sid = db["students"].insert(
                {"given_name": f"Given{59 - n:02d}", "family_name": "Christensen", "grade": 10, "school_id": d.hs, "student_number": f"t{n}"}
            ).last_pk
            db.execute("UPDATE students SET student_number = ? WHERE id = ?", (f"77{sid}", sid))
    return d


class Reads:
    """The statements a search runs and the rows it takes from each."""

    def __init__(self, conn):
        self.conn, self.rows = conn, []

    def execute(self, sql, params=()):
        self.rows.append([sql, 0])
        return self._counted(self.conn.execute(sql, params), self.rows[-1])

    def _counted(self, cursor, entry):
        for row in cursor:
            entry[1] += 1
            yield row


def searched(store, actor, query, **kw) -> tuple[caseload.CaseloadPage, list]:
    reads, plain_read = None, store.read

    @contextmanager
    def read():
        nonlocal reads
        with plain_read() as conn:
            reads = Reads(conn)
            yield reads

    store.read = read
    try:
        page = caseload.find(store, load_reference(), actor, query, **kw)
    finally:
        store.read = plain_read
    return page, reads.rows


def plan(store, sql: str, params: list) -> str:
    return " | ".join(r[3] for r in store.query(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_walk_stops_at_the_page_and_the_count_cap(store, district, monkeypatch):
    monkeypatch.setattr(caseload, "COUNT_CAP", 10)
    page, reads = searched(store, district.actor("admin"), CaseloadQuery(text="77"), limit=4)
    assert [r.given_name for r in page.rows] == ["Given00", "Given01", "Given02", "Given03"]
    walk = next(n for sql, n in reads if "ORDER BY f.rowid" in sql)
    assert walk == 11  # of 60 matches: the page, then counting to the cap, no further
    by_name = next(n for sql, n in reads if "FROM student_name_order n" in sql)
    assert by_name == 4  # the name key's students walked in name order, stopped at the page


def test_district_and_school_searches_read_the_index_alone_in_its_order(store, district, monkeypatch):
    monkeypatch.setattr(caseload, "COUNT_CAP", 10)
    year = store.one("SELECT id FROM school_years WHERE is_current = 1")[0]
    for who, scope in (("admin", None), ("counselor", "school")):
        actor = district.actor(who)
        query = CaseloadQuery(text="77", scope=scope)
        searched(store, actor, query, limit=4)  # runs
        match = caseload._search_match(actor, query)
        walk = plan(store, "SELECT f.rowid FROM student_search f WHERE student_search MATCH ? ORDER BY f.rowid", [match])
        assert caseload._index_answers(actor, query)
        assert "VIRTUAL TABLE" in walk and "TEMP B-TREE" not in walk and "students" not in walk
        key = store.one("SELECT min(key) >> 24 FROM student_name_order")[0]
        names = plan(
            store,
            "SELECT n.key FROM student_name_order n WHERE n.key >> 24 = ? AND n.key IN (SELECT f.rowid FROM student_search f"
            " WHERE student_search MATCH ?) ORDER BY n.family COLLATE NOCASE, n.given COLLATE NOCASE, n.key LIMIT 4",
            [key, match],
        )
        assert "COVERING INDEX student_name_order_by_name" in names and "TEMP B-TREE" not in names
    # A counselor's own caseload needs a look at each student: still the index's order.
    body, params = caseload._source_and_where(
        load_reference(), district.actor("counselor"), CaseloadQuery(text="77", scope="mine"), year, columns=False, walk=True
    )
    mine = plan(store, f"SELECT f.rowid {body} ORDER BY f.rowid", params)
    assert "TEMP B-TREE" not in mine and mine.index("VIRTUAL TABLE") < mine.index("SEARCH s")
