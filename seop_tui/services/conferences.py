"""SEP/SEOP conferences: recording them and reading them back.

A conference is one `conferences` row. The students it counts for are linked
through `conference_students` (one row for an individual or parent-requested
conference, several for a small group), so a small-group conference is recorded
once and shows in each student's record and compliance. Guardians and staff who
took part are `conference_attendees` rows.

Rules checked here, before anything is written:
- only staff record conferences, and only for students they may see;
- an individual or parent-requested conference has exactly one student; a small
  group has two up to the district's `small_group_max`;
- at least one member of staff took part (policy 3.1.1 / 3.2.1: school personnel),
  each from a school of the students (or district-wide staff);
- a guardian named is a guardian of that student;
- the date is a real day, not in the future, inside a school year on file.
Whether a conference then *counts* toward the required ones (e.g. the student was
absent) is the domain rule in domain/conferences.py, not decided here.

Also home to the small parsing helpers the other staff-entry services share
(dates, whole numbers) and their error type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.access import require_access
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.storage import Store
from seop_tui.text import LONG, SHORT, clean

KINDS: dict[str, str] = {
    "individual": "Individual",
    "small_group": "Small group",
    "parent_requested": "Parent-requested",
}
MAX_MINUTES = 480


class EntryError(ValueError):
    """What a person entered cannot be stored; the message says why in plain words."""


# -- shared parsing -------------------------------------------------------------------


def parse_day(value: str | date | None, *, what: str = "date", required: bool = True, today: date | None = None) -> date | None:
    """A real calendar day written YYYY-MM-DD, not in the future."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise EntryError(f"Enter the {what} as YYYY-MM-DD, for example 2026-10-01.")
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise EntryError(f"The {what} must be a real day written YYYY-MM-DD, for example 2026-10-01.") from None
    if day > (today or date.today()):
        raise EntryError(f"The {what} {day.isoformat()} is in the future.")
    return day


def parse_whole(value: str | int | None, *, what: str, low: int, high: int, required: bool = False) -> int | None:
    """A whole number between `low` and `high`, or None when empty and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise EntryError(f"Enter the {what}.")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise EntryError(f"The {what} must be a whole number.") from None
    if not low <= number <= high:
        raise EntryError(f"The {what} must be between {low} and {high}.")
    return number


def school_year_on(store: Store, day: date) -> dict:
    """The school year on file that contains `day`."""
    row = store.one(
        "SELECT * FROM school_years WHERE starts_on <= ? AND ends_on >= ? ORDER BY starts_on DESC LIMIT 1",
        (day.isoformat(), day.isoformat()),
    )
    if row is None:
        raise EntryError(f"{day.isoformat()} is not inside a school year on file (between the first and last day of school).")
    return dict(row)


def require_staff(actor: Actor) -> None:
    if not actor.is_staff or actor.staff_id is None:
        raise AccessDenied("Only school staff can do this.")


def student_heading(store: Store, actor: Actor, student_id: int) -> str:
    """'Given Family (grade N)' for a screen heading; needs access, reads no more than the name."""
    require_access(store, actor, student_id)
    row = store.one("SELECT given_name, family_name, grade FROM students WHERE id = ?", (student_id,))
    grade = "K" if row["grade"] == 0 else str(row["grade"])
    return f"{row['given_name']} {row['family_name']} (grade {grade})"


# -- choices for the form -------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    detail: str = ""  # relationship, role, grade ...


@dataclass(frozen=True)
class AttendeeChoices:
    """Who could take part in a conference for these students."""

    students: tuple[Person, ...]
    guardians: dict[int, tuple[Person, ...]]  # student id -> their guardians
    staff: tuple[Person, ...]  # the acting staff member first
    bands: tuple[str, ...]  # SEP / SEOP of the students, in order of first appearance


def guardians_of(store: Store, student_id: int) -> tuple[Person, ...]:
    """The student's guardians with their relationship. No access check: callers check."""
    return tuple(
        Person(g["id"], f"{g['given_name']} {g['family_name']}", g["relationship"] or "guardian")
        for g in store.query(
            "SELECT g.id, g.given_name, g.family_name, sg.relationship FROM guardians g"
            " JOIN student_guardians sg ON sg.guardian_id = g.id WHERE sg.student_id = ? ORDER BY g.id",
            (student_id,),
        )
    )


def attendee_choices(store: Store, ref: Reference, actor: Actor, student_ids: Sequence[int]) -> AttendeeChoices:
    """The students, their guardians, and staff of their schools (audited as a view)."""
    require_staff(actor)
    for sid in student_ids:
        require_access(store, actor, sid)
    students, guardians, schools, bands = [], {}, set(), []
    for sid in student_ids:
        row = store.one("SELECT id, given_name, family_name, grade, school_id FROM students WHERE id = ?", (sid,))
        students.append(Person(row["id"], f"{row['given_name']} {row['family_name']}", "K" if row["grade"] == 0 else str(row["grade"])))
        schools.add(row["school_id"])
        band = ref.district.band_for(row["grade"]).code
        if band not in bands:
            bands.append(band)
        guardians[sid] = guardians_of(store, sid)
    marks = ",".join("?" * len(schools)) or "NULL"
    staff_rows = store.query(
        "SELECT s.id, s.given_name, s.family_name, s.role FROM staff s JOIN accounts a ON a.id = s.account_id"
        f" WHERE a.active = 1 AND (s.school_id IN ({marks}) OR s.id = ?) ORDER BY s.id = ? DESC, s.family_name, s.given_name",
        (*schools, actor.staff_id, actor.staff_id),
    )
    with store.write():
        for sid in student_ids:
            audit.record(store.conn, actor, "view", sid, "conference attendees")
    return AttendeeChoices(
        students=tuple(students),
        guardians=guardians,
        staff=tuple(Person(r["id"], f"{r['given_name']} {r['family_name']}", r["role"]) for r in staff_rows),
        bands=tuple(bands),
    )


# -- recording ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """One student of a conference: whether they took part and which of their guardians came."""

    student_id: int
    attended: bool = True
    guardian_ids: tuple[int, ...] = ()


def _check_students(store: Store, ref: Reference, actor: Actor, kind: str, students: Sequence[Attendance]) -> set[int]:
    ids = [a.student_id for a in students]
    if not ids:
        raise EntryError("Choose the student (or students) the conference was for.")
    if len(set(ids)) != len(ids):
        raise EntryError("A student is listed twice.")
    limit = ref.district.small_group_max
    if kind == "small_group":
        if len(ids) < 2:
            raise EntryError("A small group needs at least two students. For one student, record an individual conference.")
        if len(ids) > limit:
            raise EntryError(
                f"A small group can have at most {limit} students; this one has {len(ids)}. Split it into smaller groups."
            )
    elif len(ids) != 1:
        raise EntryError(f"An {KINDS[kind].lower()} conference is for one student. For several, record a small group.")
    schools = set()
    for a in students:
        require_access(store, actor, a.student_id)
        schools.add(store.one("SELECT school_id FROM students WHERE id = ?", (a.student_id,))[0])
        if a.guardian_ids:
            known = {
                r[0]
                for r in store.query("SELECT guardian_id FROM student_guardians WHERE student_id = ?", (a.student_id,))
            }
            if not set(a.guardian_ids) <= known:
                raise EntryError("A guardian chosen is not listed as a guardian of that student.")
    return schools


def _check_staff(store: Store, staff_ids: Sequence[int], schools: set[int]) -> list[int]:
    unique = list(dict.fromkeys(staff_ids))
    if not unique:
        raise EntryError("At least one member of school staff must take part in a conference.")
    for staff_id in unique:
        row = store.one("SELECT given_name, family_name, school_id FROM staff WHERE id = ?", (staff_id,))
        if row is None:
            raise EntryError("A member of staff chosen is not on file.")
        if row["school_id"] is not None and row["school_id"] not in schools:
            raise EntryError(f"{row['given_name']} {row['family_name']} is not on the staff of the student's school.")
    return unique


def record(
    store: Store,
    ref: Reference,
    actor: Actor,
    *,
    kind: str,
    held_on: str | date,
    students: Sequence[Attendance],
    staff_ids: Sequence[int],
    duration_minutes: str | int | None = None,
    notes: str = "",
    follow_ups: str = "",
    location: str = "",
    today: date | None = None,
) -> int:
    """Record one conference for one or more students; returns its id.

    Nothing is written when any check fails (EntryError, AccessDenied, TextTooLong).
    """
    require_staff(actor)
    if kind not in KINDS:
        raise EntryError(f"Choose the kind of conference: {', '.join(KINDS.values())}.")
    schools = _check_students(store, ref, actor, kind, students)
    day = parse_day(held_on, what="conference date", today=today)
    year = school_year_on(store, day)
    minutes = parse_whole(duration_minutes, what="duration in minutes", low=1, high=MAX_MINUTES)
    staff = _check_staff(store, staff_ids, schools)
    row = {
        "school_year_id": year["id"],
        "kind": kind,
        "held_on": day.isoformat(),
        "duration_minutes": minutes,
        "location": clean(location, limit=SHORT) or None,
        "notes": clean(notes, limit=LONG, multiline=True) or None,
        "follow_ups": clean(follow_ups, limit=LONG, multiline=True) or None,
        "recorded_by": actor.account_id,
        "created_at": now_utc(),
    }
    with store.write() as db:
        conference_id = db["conferences"].insert(row).last_pk
        guardians_seen: set[int] = set()
        for a in students:
            db["conference_students"].insert(
                {"conference_id": conference_id, "student_id": a.student_id, "student_attended": int(a.attended)}
            )
            for gid in a.guardian_ids:
                if gid not in guardians_seen:  # siblings in one group share a guardian
                    guardians_seen.add(gid)
                    db["conference_attendees"].insert({"conference_id": conference_id, "guardian_id": gid})
        for staff_id in staff:
            db["conference_attendees"].insert({"conference_id": conference_id, "staff_id": staff_id})
        what = f"conference {conference_id} recorded ({KINDS[kind].lower()}, {day.isoformat()})"
        for a in students:
            audit.record(store.conn, actor, "change", a.student_id, what)
    return conference_id


# -- reading back ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConferenceView:
    id: int
    kind: str
    kind_label: str
    held_on: str
    school_year: str
    duration_minutes: int | None
    location: str
    notes: str
    follow_ups: str
    group_size: int
    student_attended: bool
    guardians: tuple[str, ...] = field(default=())  # names
    staff: tuple[str, ...] = field(default=())  # names with role
    recorded_by: str = ""


def list_for(store: Store, actor: Actor, student_id: int, school_year_id: int | None = None) -> list[ConferenceView]:
    """The student's conferences (one school year, or all), oldest first. Audited as a view."""
    require_access(store, actor, student_id)
    sql = (
        "SELECT c.*, y.name AS year_name, cs.student_attended,"
        " (SELECT count(*) FROM conference_students x WHERE x.conference_id = c.id) AS group_size,"
        " coalesce(t.given_name || ' ' || t.family_name, a.username) AS recorder"
        " FROM conference_students cs JOIN conferences c ON c.id = cs.conference_id"
        " JOIN school_years y ON y.id = c.school_year_id LEFT JOIN accounts a ON a.id = c.recorded_by"
        " LEFT JOIN staff t ON t.account_id = c.recorded_by WHERE cs.student_id = ?"
    )
    params: tuple = (student_id,)
    if school_year_id is not None:
        sql += " AND c.school_year_id = ?"
        params += (school_year_id,)
    rows = store.query(sql + " ORDER BY c.held_on, c.id", params)
    out = [
        ConferenceView(
            id=r["id"],
            kind=r["kind"],
            kind_label=KINDS.get(r["kind"], r["kind"]),
            held_on=r["held_on"],
            school_year=r["year_name"],
            duration_minutes=r["duration_minutes"],
            location=r["location"] or "",
            notes=r["notes"] or "",
            follow_ups=r["follow_ups"] or "",
            group_size=r["group_size"],
            student_attended=bool(r["student_attended"]),
            guardians=_names(store, r["id"], "guardian"),
            staff=_names(store, r["id"], "staff"),
            recorded_by=r["recorder"] or "",
        )
        for r in rows
    ]
    with store.write():
        audit.record(store.conn, actor, "view", student_id, "conferences")
    return out


def _names(store: Store, conference_id: int, who: str) -> tuple[str, ...]:
    if who == "guardian":
        sql = (
            "SELECT g.given_name || ' ' || g.family_name FROM conference_attendees a JOIN guardians g ON g.id = a.guardian_id"
            " WHERE a.conference_id = ? ORDER BY a.id"
        )
    else:
        sql = (
            "SELECT t.given_name || ' ' || t.family_name || ' (' || t.role || ')' FROM conference_attendees a"
            " JOIN staff t ON t.id = a.staff_id WHERE a.conference_id = ? ORDER BY a.id"
        )
    return tuple(r[0] for r in store.query(sql, (conference_id,)))

