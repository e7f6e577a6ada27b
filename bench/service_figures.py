"""Figures taken at the service layer, in this process: staff search, compliance reports."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from seop_tui.reference import Reference
from seop_tui.storage import Store


def actor(store: Store, username: str):
    from seop_tui.services.auth import _actor_for  # the Actor a sign-in gives, without the Argon2 work

    return _actor_for(store, store.one("SELECT * FROM accounts WHERE username = ?", (username,)), "bench")


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def search_queries(store: Store, count: int, seed: int = 7) -> list[str]:
    """What staff type: the start of a family name, a given name and the start of a
    family name, part of a student number, and now and then something matching no one."""
    rng = random.Random(seed)
    people = store.query("SELECT given_name, family_name, student_number FROM students ORDER BY id")
    out = []
    for n in range(count):
        given, family, number = people[rng.randrange(len(people))]
        kind = n % 5
        if kind in (0, 1):
            out.append(family[: rng.randint(2, max(2, min(6, len(family))))])
        elif kind == 2:
            out.append(f"{given} {family[: rng.randint(1, 3)]}")
        elif kind == 3:
            out.append(number[: rng.randint(4, len(number))])
        else:
            out.append(rng.choice(["zzq", "Qx", "nobody here", "0000000"]) if n % 10 == 4 else family)
    return out


def search(store: Store, ref: Reference, username: str, queries: list[str]) -> dict:
    """caseload.find per query, as the dashboard calls it while someone types."""
    from seop_tui.services import caseload

    who = actor(store, username)
    # One untimed pass first: one-off imports, and the pages these queries read come into the
    # server's file cache, as they are on a server in use all day (a 3 GB state database read
    # cold from disk otherwise measures the disk, at one size and not the other).
    for text in queries:
        caseload.find(store, ref, who, caseload.CaseloadQuery(text=text))
    times, found, capped = [], [], 0
    for text in queries:
        started = time.perf_counter()
        page = caseload.find(store, ref, who, caseload.CaseloadQuery(text=text))
        times.append(time.perf_counter() - started)
        found.append(page.total)
        capped += not page.total_exact
    visible = caseload.find(store, ref, who, caseload.CaseloadQuery()).total
    return {
        "students_visible": visible,
        "queries": len(queries),
        "median_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * p99(times),
        "max_ms": 1000 * max(times),
        "mean_matches": statistics.mean(found),  # a capped count (page.total_exact False) adds its lower bound
        "capped_counts": capped,  # queries that matched more than caseload.COUNT_CAP students
    }


def compliance(store: Store, ref: Reference, username: str, band: str, *, school_id: int | None = None, cold: bool = False, csv: bool = True) -> dict:
    """One compliance report (and its CSV file) as `username`; `cold` forgets kept results first."""
    from seop_tui.services.compliance import compliance_report
    from seop_tui.services.reports import write_compliance_csv

    who = actor(store, username)
    if cold:
        with store.write():
            store.conn.execute("DELETE FROM compliance_cache")
    started = time.perf_counter()
    report = compliance_report(store, ref, who, band=band, school_id=school_id)
    report_s = time.perf_counter() - started
    csv_s = None
    if csv:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            write_compliance_csv(store, who, report, Path(folder) / "report.csv")
            csv_s = time.perf_counter() - started
    return {"band": band, "scope": report.scope, "students": report.students, "report_s": report_s, "csv_s": csv_s}


def set_caseload(store: Store, username: str, size: int) -> int:
    """Give the counselor `username` exactly `size` students of their school (the first by id)."""
    counselor = store.one("SELECT t.id, t.school_id FROM staff t JOIN accounts a ON a.id = t.account_id WHERE a.username = ?", (username,))
    with store.write():
        ids = [r[0] for r in store.conn.execute("SELECT id FROM students WHERE school_id = ? AND active = 1 ORDER BY id LIMIT ?", (counselor[1], size))]
        store.conn.execute("UPDATE students SET counselor_id = NULL WHERE counselor_id = ? AND id NOT IN (SELECT value FROM json_each(?))", (counselor[0], str(ids)))
        store.conn.execute("UPDATE students SET counselor_id = ? WHERE id IN (SELECT value FROM json_each(?))", (counselor[0], str(ids)))
    return len(ids)


def largest_school(store: Store, band_grades: tuple[int, int]) -> tuple[int, str, int]:
    """(id, name, students) of the school with most students in the band."""
    row = store.one(
        "SELECT sc.id, sc.name, count(*) FROM students s JOIN schools sc ON sc.id = s.school_id"
        " WHERE s.active = 1 AND s.grade BETWEEN ? AND ? GROUP BY sc.id ORDER BY 3 DESC LIMIT 1",
        band_grades,
    )
    return row[0], row[1], row[2]


def editable_student(store: Store, skip: set[str]) -> str:
    """A grade 9-12 student with a draft plan, not used before in this run (the session submits it)."""
    for (username,) in store.query(
        "SELECT a.username FROM accounts a JOIN students s ON s.account_id = a.id JOIN plans p ON p.student_id = s.id"
        " JOIN school_years y ON y.id = p.school_year_id AND y.is_current = 1"
        " WHERE s.grade BETWEEN 9 AND 12 AND p.status = 'draft' AND a.must_change_secret = 0 ORDER BY s.id LIMIT 200"
    ):
        if username not in skip:
            return username
    raise LookupError("no student with a draft plan left")
