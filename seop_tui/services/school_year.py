"""The district's years: setting up a new district's database, and rolling the school
year over.

Set-up makes the first school year and the first administrator in a new database;
rosters then come in with `seop import roster`. The rollover, run by a district
administrator once a year has ended, starts the next school year in one transaction:
every active student moves up a grade (grade 12 and approved early graduates
graduate), and each continuing student gets the new year's draft plan, started from
last year's where the plan is the same kind. Nothing of the old year is changed or
removed: its plans, conferences and reports stay as they were. A check run does the
same work and rolls it back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from seop_tui.domain.rollover import OPEN_GOAL_STATUSES, Move, Outcome, StudentAtYearEnd, carries_plan, move_for
from seop_tui.domain.school_years import SchoolYear, school_year_starting, start_year_of
from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.services.plans import current_school_year
from seop_tui.storage import Store, Writes


class YearError(Exception):
    """The set-up or rollover cannot be done as asked; nothing was changed."""


class YearNotOver(YearError):
    """The current year has not reached its last day."""


# --------------------------------------------------------------------------- set-up


def set_up_district(
    store: Store, ref: Reference, actor: Actor, *, year: str, username: str, given_name: str, family_name: str, secret: str
) -> SchoolYear:
    """Make a new database the district's: its name, the first school year (current)
    and a district-wide administrator, who must choose their own password at first
    sign-in. Refused for a database that already has accounts or school years."""
    from seop_tui.services.accounts import create_account

    if actor.role != "system":
        raise AccessDenied("A district is set up from the server's command line.")
    try:
        first = school_year_starting(start_year_of(year), ref.district.school_year)
    except ValueError as exc:
        raise YearError(str(exc)) from None
    accounts, years = store.one("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM school_years)")
    if accounts or years:
        raise YearError("This database already holds a district (it has accounts or school years). Nothing was changed.")
    create_account(
        store, ref, actor, username=username, role="administrator", secret=secret, given_name=given_name, family_name=family_name
    )
    with store.write() as db:
        db.execute("INSERT INTO district (id, name) VALUES (1, ?)", [ref.district.name])
        _add_year(db, first)
        audit.record(store.conn, actor, "change", None, f"district set up: school year {first.name}, administrator {username.strip().lower()}")
    return first


def _add_year(db: Writes, year: SchoolYear) -> int:
    db.execute("UPDATE school_years SET is_current = 0 WHERE is_current = 1")
    cursor = db.execute(
        "INSERT INTO school_years (name, starts_on, ends_on, is_current) VALUES (?, ?, ?, 1)",
        [year.name, year.starts_on.isoformat(), year.ends_on.isoformat()],
    )
    return cursor.lastrowid


# ------------------------------------------------------------------------- rollover


@dataclass(frozen=True)
class Listed:
    """A student the year's end does more to than move up a grade: a graduate, or a
    student past their school's last grade, whom the next roster import (or an
    administrator) gives a new school."""

    student_id: int
    student_number: str
    name: str
    school: str
    grade: int
    outcome: Outcome
    new_grade: int | None


LIST_COLUMNS = ("student_number", "name", "school", "grade", "next_grade", "what_happens")
LIST_ORDER = (Outcome.GRADUATES, Outcome.GRADUATES_EARLY, Outcome.OUTGROWS_SCHOOL)
SHOWN = 10  # students named on screen per kind; the list file has them all


@dataclass
class RolloverSummary:
    from_year: str
    to_year: str
    checked_only: bool
    outcomes: Counter = field(default_factory=Counter)
    plans_started: int = 0
    plans_carried: int = 0
    listed: list[Listed] = field(default_factory=list)
    student_ids: list[int] = field(default_factory=list)

    def of(self, outcome: Outcome) -> list[Listed]:
        return [s for s in self.listed if s.outcome is outcome]

    def lines(self) -> list[str]:
        o = self.outcomes
        out = [
            f"Checked only: nothing was written. School year {self.to_year} would start after {self.from_year}."
            if self.checked_only
            else f"School year {self.to_year} started after {self.from_year}; it is now the current year.",
            f"  {o[Outcome.MOVES_UP] + o[Outcome.OUTGROWS_SCHOOL]} students move up a grade.",
            f"  {o[Outcome.GRADUATES]} graduate from grade 12 and {o[Outcome.GRADUATES_EARLY]} graduate early"
            " (their records stay; their sign-in is turned off).",
            f"  {self.plans_started} new draft plans, {self.plans_carried} of them started from last year's"
            " (strengths, goals still open, post-secondary plan).",
        ]
        early = self.of(Outcome.GRADUATES_EARLY)
        if early:
            out.append("  Graduating early, on approved plans that end this year:")
            out.extend(f"    {s.student_number}  {s.name}  grade {s.grade}, {s.school}" for s in early[:SHOWN])
            if len(early) > SHOWN:
                out.append(f"    ... and {len(early) - SHOWN} more.")
        to_place = Counter((s.school, s.new_grade) for s in self.of(Outcome.OUTGROWS_SCHOOL))
        if to_place:
            out.append(
                f"  {sum(to_place.values())} students move past their school's last grade and stay at it"
                " until the next roster import places them:"
            )
            out.extend(f"    {school}: {n} now in grade {grade}" for (school, grade), n in sorted(to_place.items()))
        return out


def list_rows(summary: RolloverSummary) -> list[tuple]:
    """One row per listed student, in LIST_COLUMNS order."""
    return [
        (s.student_number, s.name, s.school, s.grade, "" if s.new_grade is None else s.new_grade, s.outcome.value)
        for s in sorted(summary.listed, key=lambda s: (LIST_ORDER.index(s.outcome), s.school, s.name))
    ]


def write_list(store: Store, actor: Actor, summary: RolloverSummary, path) -> Path:
    """Write the graduates and the students to place as CSV (owner only); audits an export of each."""
    _require_district_administrator(actor)
    from seop_tui.services.csv_text import csv_bytes
    from seop_tui.services.reports import write_owner_only

    written = write_owner_only(path, csv_bytes(LIST_COLUMNS, list_rows(summary)))
    with store.write():
        audit.record_many(store.conn, actor, "export", sorted(s.student_id for s in summary.listed), f"year-end list {summary.to_year}: {written.name}")
    return written


def _require_district_administrator(actor: Actor) -> None:
    if actor.role != "administrator" or actor.school_id is not None:
        raise AccessDenied("Only a district administrator can start a new school year.")


def roll_over(
    store: Store, ref: Reference, actor: Actor, *, today: date, check: bool = False, before_year_end: bool = False
) -> RolloverSummary:
    """Start the school year after the current one (see the module's docstring)."""
    _require_district_administrator(actor)
    try:
        old = current_school_year(store)
    except LookupError as exc:
        raise YearError(str(exc)) from None
    new = school_year_starting(start_year_of(old["name"]) + 1, ref.district.school_year)
    if store.one("SELECT 1 FROM school_years WHERE name = ?", (new.name,)):
        raise YearError(f"School year {new.name} already exists. Nothing was changed.")
    if today < date.fromisoformat(old["ends_on"]) and not before_year_end:
        raise YearNotOver(f"School year {old['name']} runs until {old['ends_on']}: {new.name} starts after that day. Nothing was changed.")
    summary = RolloverSummary(from_year=old["name"], to_year=new.name, checked_only=check)
    with store.write(check_only=check) as db:
        _roll_over(db, ref, actor, old, new, summary)
    return summary


_STUDENTS_SQL = """
SELECT st.id, st.grade, st.student_number, st.given_name, st.family_name, sc.high_grade, sc.name AS school,
       (SELECT eg.target_grade FROM early_graduation_plans eg
         WHERE eg.student_id = st.id AND eg.withdrawn_on IS NULL AND eg.student_approved_on IS NOT NULL
           AND eg.parent_approved_on IS NOT NULL AND eg.official_approved_on IS NOT NULL
         ORDER BY eg.id DESC LIMIT 1) AS early_grade,
       p.id AS plan_id, p.kind AS plan_kind
FROM students st
JOIN schools sc ON sc.id = st.school_id
LEFT JOIN plans p ON p.student_id = st.id AND p.school_year_id = ?
WHERE st.active = 1
ORDER BY st.id
"""


def _roll_over(db: Writes, ref: Reference, actor: Actor, old: dict, new: SchoolYear, summary: RolloverSummary) -> None:
    rows = db.execute(_STUDENTS_SQL, [old["id"]]).fetchall()
    year_id = _add_year(db, new)
    stamp = now_utc()
    graduates: list[int] = []
    for row in rows:
        move: Move = move_for(StudentAtYearEnd(row["id"], row["grade"], row["high_grade"], row["early_grade"]))
        summary.outcomes[move.outcome] += 1
        summary.student_ids.append(row["id"])
        if move.outcome is not Outcome.MOVES_UP:
            name = f"{row['given_name']} {row['family_name']}"
            summary.listed.append(Listed(row["id"], row["student_number"], name, row["school"], row["grade"], move.outcome, move.new_grade))
        if move.new_grade is None:
            graduates.append(row["id"])
            continue
        db.execute("UPDATE students SET grade = ?, updated_at = ? WHERE id = ?", [move.new_grade, stamp, row["id"]])
        kind = ref.district.band_for(move.new_grade).code
        plan_id = db.execute(
            "INSERT INTO plans (student_id, school_year_id, kind, grade, status, version, created_at, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, 'draft', 1, ?, ?, ?)",
            [row["id"], year_id, kind, move.new_grade, stamp, stamp, actor.account_id],
        ).lastrowid
        summary.plans_started += 1
        if row["plan_id"] is not None and carries_plan(row["plan_kind"], kind):
            _carry(db, row["plan_id"], plan_id, stamp)
            summary.plans_carried += 1
    if graduates:
        marks = ",".join("?" * len(graduates))
        db.execute(f"UPDATE students SET active = 0, updated_at = ? WHERE id IN ({marks})", [stamp, *graduates])
        db.execute(f"UPDATE accounts SET active = 0 WHERE id IN (SELECT account_id FROM students WHERE id IN ({marks}))", graduates)
    audit.record_many(db.conn, actor, "change", summary.student_ids, f"school year {new.name} started")
    audit.record(db.conn, actor, "change", None, f"school year {new.name} started after {old['name']} ({len(rows)} students)")


def _carry(db: Writes, old_plan: int, new_plan: int, stamp: str) -> None:
    """Copy what a plan builds on from one year to the next; the student and staff review it."""
    db.execute(
        "INSERT INTO strengths (plan_id, kind, text, from_list, position, created_at)"
        " SELECT ?, kind, text, from_list, position, ? FROM strengths WHERE plan_id = ? ORDER BY id",
        [new_plan, stamp, old_plan],
    )
    statuses = sorted(OPEN_GOAL_STATUSES)
    db.execute(
        "INSERT INTO goals (plan_id, kind, text, steps, target_date, status, monitors, created_at, updated_at)"
        f" SELECT ?, kind, text, steps, target_date, status, monitors, ?, ? FROM goals WHERE plan_id = ? AND status IN ({','.join('?' * len(statuses))})"
        " ORDER BY id",
        [new_plan, stamp, stamp, old_plan, *statuses],
    )
    db.execute(
        "INSERT INTO postsecondary_plans (plan_id, education_choice, institution, program, occupations, next_steps, updated_at)"
        " SELECT ?, education_choice, institution, program, occupations, next_steps, ? FROM postsecondary_plans WHERE plan_id = ?",
        [new_plan, stamp, old_plan],
    )
