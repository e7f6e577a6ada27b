"""Search results in name order at any size: pages, the capped count and the index
(schema m007) kept current, checked against SQLite's own ORDER BY."""

import random

import pytest

from seop_tui import schema
from seop_tui.services import caseload
from seop_tui.services.caseload import CaseloadQuery
from tests.factory import District

BIG_ID = 2**24 + 5  # past what a name-ordered rowid holds: indexed as -id


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.other_hs = d.school("PVH", name="Pine View High")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.far_counselor = d.staff("far", "counselor", d.other_hs, "Fay", "Far")
    d.admin = d.staff("admin", "administrator", None, "Ada", "Admin")
    return d


def add_students(store, school_id: int, names: list[tuple[str, str]], *, first_id: int | None = None) -> list[int]:
    """Students numbered 77<id> (so "77" finds them all), straight into the table."""
    ids = []
    with store.write() as db:
        for n, (family, given) in enumerate(names):
            row = {"given_name": given, "family_name": family, "grade": 10, "school_id": school_id, "student_number": f"tmp{n}"}
            if first_id is not None:
                row["id"] = first_id + n
            sid = db["students"].insert(row).last_pk
            db.execute("UPDATE students SET student_number = ? WHERE id = ?", (f"77{sid}", sid))
            ids.append(sid)
    return ids


def tricky_names(seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    families = ["Christensen", "christensen", "CHRISTENSON", "Christ", "O'Brien", "O’Brien", "Obrien", "Smith-Jones", "Smith Jones",
                "Ibáñez", "Ibanez", "Zapata", "van der Berg", "Van Der Berg", "Ng", "Ñúñez", "Mc_Donald", "McDonald", "Mcdonald", "Ab"]
    givens = ["Ann", "ann", "Anne", "Ánna", "Zoe", "Bob", "bob", "Émile", "Emile", "Mary Ann", "Mary-Ann", "A", "", "Z9"]
    return [(rng.choice(families), rng.choice(givens)) for _ in range(count)]


def expected_order(store, school_id: int | None = None) -> list[int]:
    where = "WHERE student_number LIKE '77%'" + (f" AND school_id = {int(school_id)}" if school_id else "")
    return [r[0] for r in store.query(f"SELECT id FROM students {where} ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, id")]


def all_pages(store, ref, actor, query, limit):
    pages, offset = [], 0
    while True:
        page = caseload.find(store, ref, actor, query, offset=offset, limit=limit)
        pages.append(page)
        if not page.more:
            return pages
        offset += limit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_page_follows_full_name_order_whatever_the_names(store, ref, district, seed, monkeypatch):
    monkeypatch.setattr(caseload, "COUNT_CAP", 9)
    add_students(store, district.hs, tricky_names(seed, 70))
    add_students(store, district.hs, [("Aardvark", "Late"), ("Zz", "Late"), ("Christensen", "Ann")], first_id=BIG_ID)
    pages = all_pages(store, ref, district.actor("admin"), CaseloadQuery(text="77"), limit=7)
    assert [r.student_id for p in pages for r in p.rows] == expected_order(store)
    assert all(len(p.rows) == 7 for p in pages[:-1])


def test_many_matches_are_counted_up_to_the_cap_and_every_page_still_opens(store, ref, district, monkeypatch):
    monkeypatch.setattr(caseload, "COUNT_CAP", 10)
    add_students(store, district.hs, tricky_names(7, 40))
    admin = district.actor("admin")
    first = caseload.find(store, ref, admin, CaseloadQuery(text="77"), limit=4)
    assert (first.total, first.total_exact, first.more) == (11, False, True)  # "at least 11": counting stopped there
    deep = caseload.find(store, ref, admin, CaseloadQuery(text="77"), offset=12, limit=4)
    assert (deep.total, deep.total_exact) == (17, False)  # past the page's end
    last = caseload.find(store, ref, admin, CaseloadQuery(text="77"), offset=36, limit=4)
    assert (last.total, last.total_exact, last.more, len(last.rows)) == (40, True, False, 4)
    few = caseload.find(store, ref, admin, CaseloadQuery(text="christensen ann"))
    assert few.total_exact and few.total == len(few.rows)


def test_a_school_search_stays_in_the_school_and_skips_inactive_students(store, ref, district):
    here = add_students(store, district.hs, tricky_names(4, 25))
    there = add_students(store, district.other_hs, tricky_names(5, 25))
    with store.write() as db:
        db.execute("UPDATE students SET active = 0 WHERE id IN (?, ?)", (here[0], there[0]))
    counselor = district.actor("counselor")
    found = [r.student_id for r in caseload.find(store, ref, counselor, CaseloadQuery(text="77", scope="school")).rows]
    assert found == [i for i in expected_order(store, district.hs) if i != here[0]]
    admin = district.actor("admin")
    chosen = caseload.find(store, ref, admin, CaseloadQuery(text="77", school_id=district.other_hs)).rows
    assert [r.student_id for r in chosen] == [i for i in expected_order(store, district.other_hs) if i != there[0]]


def test_the_index_follows_renames_moves_and_reactivation(store, ref, district):
    ann, bob = add_students(store, district.hs, [("Young", "Ann"), ("Adams", "Bob")])
    admin, far = district.actor("admin"), district.actor("far")
    with store.write() as db:
        db.execute("UPDATE students SET family_name = 'Aaron' WHERE id = ?", (ann,))
    assert [r.student_id for r in caseload.find(store, ref, admin, CaseloadQuery(text="77")).rows] == [ann, bob]
    assert caseload.find(store, ref, far, CaseloadQuery(text="aaron", scope="school")).rows == ()
    with store.write() as db:
        db.execute("UPDATE students SET school_id = ? WHERE id = ?", (district.other_hs, ann))
    assert [r.student_id for r in caseload.find(store, ref, far, CaseloadQuery(text="aaron", scope="school")).rows] == [ann]
    with store.write() as db:
        db.execute("UPDATE students SET active = 0 WHERE id = ?", (bob,))
    assert caseload.find(store, ref, admin, CaseloadQuery(text="adams")).rows == ()
    with store.write() as db:
        db.execute("UPDATE students SET active = 1 WHERE id = ?", (bob,))
        db.execute("DELETE FROM students WHERE id = ?", (ann,))
    assert [r.student_id for r in caseload.find(store, ref, admin, CaseloadQuery(text="77")).rows] == [bob]
    for table in ("student_search", "student_name_order"):
        assert store.one(f"SELECT count(*) FROM {table}")[0] == store.one("SELECT count(*) FROM students")[0]


def test_the_migration_indexes_students_already_there(store, ref, district):
    add_students(store, district.hs, tricky_names(9, 30))
    add_students(store, district.hs, [("Middle", "Big")], first_id=BIG_ID)
    with store.write() as db:
        db.execute("DROP TABLE student_name_order")  # as before m007, which builds both from the students
        schema.m007_student_search_in_name_order(db)
    assert [r.student_id for r in caseload.find(store, ref, district.actor("admin"), CaseloadQuery(text="77")).rows] == expected_order(store)
    assert store.one("SELECT count(*) FROM student_name_order")[0] == store.one("SELECT count(*) FROM students")[0]
