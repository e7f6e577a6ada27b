"""A synthetic demo district: schools, staff, students K-12 and their plans.

`build_demo(store, ref)` fills an empty database with an invented district that
looks like a real one in the middle of a school year: plans in every status,
conferences held and still due, interest inventories, cluster choices, course
plans, transcripts and test results fitting each grade. Nothing in it is real;
names come from `seop_tui.demo_names`.

The same seed (and the same `today`) always gives the same district: all
randomness comes from one `random.Random(seed)` and every date and timestamp is
derived from `today`, never from the clock. Only the password hashes differ
between builds (Argon2 salts are random).

Speed: rows are built in Python and written with `executemany` in batches,
all inside one `BEGIN IMMEDIATE` transaction, so a failed build leaves the
database as it was (and a second attempt is not refused because half a
district is already there).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from seop_tui import demo_names as names
from seop_tui.domain.school_years import school_year_for, school_year_starting
from seop_tui.reference import Course, Reference
from seop_tui.services.caseload import merge_search_index
from seop_tui.services.compliance import keep_all_results
from seop_tui.storage import Store

STAFF_SECRET = "demo-password-1"
STUDENT_SECRET = "1234"
MIN_STUDENTS = 50  # enough for every grade, every plan status and a few small groups
STATUSES: tuple[str, ...] = ("draft", "submitted", "changes_requested", "finalized")
STATE = "UT"

# Rough school sizes; the number of schools grows with the number of students.
ELEMENTARY_SIZE = 500
MIDDLE_SIZE = 850
HIGH_SIZE = 1300
COUNSELOR_CASELOAD = 350
CLASS_SIZE = 26  # elementary homeroom
ADVISORY_SIZE = 30  # secondary advisory class

BATCH_STUDENTS = 1500  # students whose rows are built before they are written


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    username: str
    secret: str
    name: str
    shows: str  # what signing in as this person shows, e.g. "counselor, Desert Hills High, 212 students"


@dataclass(frozen=True)
class DemoSummary:
    school_year: str
    schools: int
    staff: int
    students: int
    guardians: int
    plans: dict[str, int]  # status -> number of plans this school year
    students_without_plan: int
    conferences: int
    sign_ins: list[DemoSignIn] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A plain-text description for the command line."""
        plans = ", ".join(f"{count} {status.replace('_', ' ')}" for status, count in self.plans.items())
        out = [
            f"School year {self.school_year}: {self.schools} schools, {self.staff} staff, "
            f"{self.students} students, {self.guardians} parents and guardians.",
            f"Plans: {plans}; {self.students_without_plan} students without a plan yet.",
            f"Conferences held so far: {self.conferences}.",
            "Sign in as:",
        ]
        width = max(len(s.username) for s in self.sign_ins) if self.sign_ins else 0
        for s in self.sign_ins:
            out.append(f"  {s.username:<{width}}  {s.secret:<15}  {s.name} ({s.shows})")
        return out


# ------------------------------------------------------------ internal records


class _School:
    __slots__ = ("id", "code", "name", "kind", "low", "high", "students", "principal", "counselors", "teachers")

    def __init__(self, id: int, code: str, name: str, kind: str, low: int, high: int):
        self.id, self.code, self.name, self.kind, self.low, self.high = id, code, name, kind, low, high
        self.students: list[_Student] = []
        self.principal: _Staff | None = None
        self.counselors: list[_Staff] = []
        self.teachers: list[_Staff] = []


class _Staff:
    __slots__ = ("id", "account_id", "given", "family", "role", "school", "username", "title", "students")

    def __init__(self, id: int, account_id: int, given: str, family: str, role: str, school: _School | None, title: str):
        self.id, self.account_id, self.given, self.family, self.role = id, account_id, given, family, role
        self.school, self.title = school, title
        self.username = ""
        self.students: list[_Student] = []  # caseload or class

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}"


class _Student:
    __slots__ = (
        "id", "account_id", "number", "given", "family", "preferred", "birth", "grade", "school",
        "counselor", "teacher", "guardians", "lives", "ability", "username", "plan_id", "plan_status",
    )

    def __init__(self, id: int, grade: int, school: _School):
        self.id, self.grade, self.school = id, grade, school
        self.account_id = 0
        self.number = ""
        self.given = self.family = self.username = ""
        self.preferred: str | None = None
        self.birth = ""
        self.counselor: _Staff | None = None
        self.teacher: _Staff | None = None
        self.guardians: list[tuple[int, str]] = []  # (guardian id, relationship)
        self.lives: list[int] = []  # lives with each guardian (1/0)
        self.ability = 0.0
        self.plan_id: int | None = None
        self.plan_status: str | None = None


# --------------------------------------------------------------- table layout

COLUMNS: dict[str, tuple[str, ...]] = {
    "district": ("id", "name", "state"),
    "schools": ("id", "code", "name", "kind", "low_grade", "high_grade"),
    "school_years": ("id", "name", "starts_on", "ends_on", "is_current"),
    "accounts": ("id", "username", "role", "secret_hash", "must_change_secret", "active", "failed_count", "created_at"),
    "staff": ("id", "account_id", "given_name", "family_name", "role", "school_id", "email"),
    "staff_training": ("staff_id", "training", "completed_on", "hours", "notes"),
    "guardians": ("id", "given_name", "family_name", "email", "phone", "preferred_language"),
    "students": (
        "id", "account_id", "student_number", "given_name", "family_name", "preferred_name", "birth_date",
        "grade", "school_id", "counselor_id", "cohort_year", "active", "updated_at",
    ),
    "student_guardians": ("student_id", "guardian_id", "relationship", "lives_with"),
    "class_rosters": ("teacher_id", "student_id", "school_year_id"),
    "plans": (
        "id", "student_id", "school_year_id", "kind", "grade", "status", "version", "created_at", "updated_at",
        "updated_by", "submitted_at", "finalized_at", "finalized_by",
    ),
    "plan_versions": ("plan_id", "version", "snapshot", "finalized_by", "finalized_at"),
    "plan_comments": ("plan_id", "section", "author_id", "body", "created_at", "resolved_at"),
    "inventory_attempts": ("id", "student_id", "plan_id", "inventory", "started_at", "completed_at", "scores", "holland_code"),
    "inventory_answers": ("attempt_id", "item_id", "value", "answered_at"),
    "strengths": ("plan_id", "kind", "text", "from_list", "position", "created_at"),
    "goals": ("id", "plan_id", "kind", "text", "steps", "target_date", "status", "monitors", "created_at", "updated_at"),
    "goal_updates": ("goal_id", "author_id", "status", "note", "created_at"),
    "cluster_choices": ("student_id", "plan_id", "framework", "cluster_code", "pathway_code", "grade", "chosen_on", "chosen_by"),
    "course_plan_entries": ("student_id", "course_code", "grade", "term", "added_at", "added_by"),
    "postsecondary_plans": ("plan_id", "education_choice", "institution", "program", "occupations", "next_steps", "updated_at"),
    "early_graduation_plans": (
        "student_id", "declared_on", "target_grade", "target_term", "reason", "student_approved_on",
        "parent_approved_on", "official_approved_on", "official_id", "withdrawn_on",
    ),
    "accomplishments": ("student_id", "kind", "title", "description", "occurred_on", "hours", "entered_by", "created_at"),
    "assessment_results": ("student_id", "school_year_id", "assessment", "subject", "grade", "level", "scale_score", "taken_on", "source"),
    "credits_earned": (
        "student_id", "course_code", "course_name", "area", "subarea", "credits", "grade", "school_year", "term", "mark", "source",
    ),
    "progress_notes": ("student_id", "school_year_id", "author_id", "subject", "note", "created_at"),
    "conferences": ("id", "school_year_id", "kind", "held_on", "duration_minutes", "location", "notes", "follow_ups", "recorded_by", "created_at"),
    "conference_students": ("conference_id", "student_id", "student_attended"),
    "conference_attendees": ("conference_id", "guardian_id", "staff_id", "other_name"),
    "parent_involvement": (
        "student_id", "school_year_id", "guardian_id", "purpose", "method", "sent_on", "response", "responded_on", "notes", "recorded_by",
    ),
}
# Parents before children, so foreign keys hold at every statement.
INSERT_ORDER: tuple[str, ...] = tuple(COLUMNS)
SQL: dict[str, str] = {
    table: f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    for table, cols in COLUMNS.items()
}

MARKS: tuple[str, ...] = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D")
ACT_BENCHMARKS = {"ENG": 18, "MATH": 22, "READ": 22, "SCI": 23, "COMP": 21}
COMMENT_BODIES: dict[str, tuple[str, ...]] = {
    "goals": ("Please make the education goal more specific: what will you do each week?", "Add a target date to the goal."),
    "strengths": ("Add one more strength, maybe something from outside school.",),
    "course_plan": ("Your course plan is missing a math credit in grade 11.", "Add the next course in your pathway for next year."),
    "postsecondary": ("Which schools or programs are you looking at? Add one or two.",),
    "cluster": ("Your cluster does not match the courses you picked; let's talk about it.",),
}
PROGRESS_NOTES: tuple[tuple[str, str], ...] = (
    ("Reading", "Reading fluency up from the fall benchmark; keep reading at home."),
    ("Math", "Knows addition facts to 10; working on facts to 20."),
    ("Writing", "Writes complete sentences with capitals and periods most of the time."),
    ("Reading", "Below the winter benchmark; added to the small reading group."),
    ("Math", "Strong with place value; ready for two-digit subtraction."),
    ("Behavior", "Much better at staying on task this month."),
)
INVOLVEMENT_METHODS: tuple[str, ...] = ("email", "letter", "phone", "text", "portal", "in_person")
# Times of the school day as text, by the second from 15:00 UTC (8:00 in Utah), precomputed
# because hundreds of thousands of timestamps are made.
SCHOOL_DAY_SECONDS = 8 * 3600
CLOCK: tuple[str, ...] = tuple(
    f"{15 + t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}+00:00" for t in range(SCHOOL_DAY_SECONDS + 3600)
)


BANDS: dict[str, tuple[int, int]] = {"elementary": (0, 5), "middle": (6, 8), "high": (9, 12)}


def students_per_grade(students: int) -> list[int]:
    """About the same number in each grade K-12; the lower grades take the remainder."""
    return [students // 13 + (1 if g < students % 13 else 0) for g in range(13)]


def school_plan(students: int) -> dict[str, list[tuple[str, str]]]:
    """The demo schools, (code, name) by kind (elementary, middle, high), for a district of `students`.

    About one school per 500 elementary, 850 middle and 1,300 high-school students, at
    least two elementary schools, one middle and one high school. The first high school is
    always DHS and the second PVHS: the graduation requirement rules key on those codes.
    """
    per_grade = students_per_grade(students)
    sizes = {kind: sum(per_grade[low : high + 1]) for kind, (low, high) in BANDS.items()}
    counts = {
        "elementary": max(2, round(sizes["elementary"] / ELEMENTARY_SIZE)),
        "middle": max(1, round(sizes["middle"] / MIDDLE_SIZE)),
        "high": max(1, round(sizes["high"] / HIGH_SIZE)),
    }
    pools = {"elementary": names.ELEMENTARY_SCHOOLS, "middle": names.MIDDLE_SCHOOLS, "high": names.HIGH_SCHOOLS}
    plan: dict[str, list[tuple[str, str]]] = {}
    for kind, count in counts.items():
        pool = pools[kind]
        word = kind.capitalize()
        plan[kind] = [
            pool[i] if i < len(pool) else (f"{word[0]}{i + 1:02d}", f"District {word} School No. {i + 1}") for i in range(count)
        ]
    return plan


def _ascii(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _quota(rng: random.Random, n: int, shares: Sequence[tuple[Any, float]]) -> list[Any]:
    """n values in (nearly) exactly the given shares, shuffled; each value at least once when n allows."""
    counts = [max(1, round(n * share)) if share > 0 else 0 for _, share in shares]
    # Fix rounding on the largest share so the counts add up to n.
    biggest = max(range(len(counts)), key=lambda i: shares[i][1])
    counts[biggest] += n - sum(counts)
    out: list[Any] = []
    for (value, _), count in zip(shares, counts, strict=True):
        out.extend([value] * count)
    rng.shuffle(out)
    return out


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    x = rng.random() * sum(w for _, w in choices)
    for value, weight in choices:
        x -= weight
        if x < 0:
            return value
    return choices[-1][0]


def _split_even(items: list, parts: int) -> list[list]:
    """`items` in `parts` contiguous chunks whose sizes differ by at most one."""
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


# ------------------------------------------------------------------ the build


def build_demo(
    store: Store,
    ref: Reference,
    *,
    students: int = 400,
    seed: int = 2026,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with a synthetic district of about `students` students.

    Raises ValueError when the database already holds students (or schools,
    school years or user names the demo would create), or when `students` is
    below MIN_STUDENTS.
    """
    if students < MIN_STUDENTS:
        raise ValueError(f"A demo district needs at least {MIN_STUDENTS} students (asked for {students}).")
    held = store.one("SELECT count(*) FROM students")[0]
    if held:
        raise ValueError(
            f"The database already holds {held} students. The demo district is only built into an empty "
            "database; use a new database file. Nothing was changed."
        )
    report = progress or (lambda done, total: None)
    # Progress: the build, then keeping every student's compliance results (a share the size
    # of one pass over the students), so the first report reads them instead of working out
    # the whole district while someone waits.
    share, build_total = students, [0]

    def building(done: int, total: int) -> None:
        build_total[0] = total
        report(done, total + share)

    summary = _Builder(store, ref, students, seed, today or date.today(), building).run()
    merge_search_index(store)
    whole = build_total[0] + share
    keep_all_results(store, ref, progress=lambda done, total: report(build_total[0] + share * done // total, whole))
    report(whole, whole)
    return summary


class _Builder:
    def __init__(self, store: Store, ref: Reference, n: int, seed: int, today: date, progress):
        self.store, self.ref, self.n, self.today = store, ref, n, today
        self.rng = random.Random(seed)
        self.report = progress or (lambda done, total: None)
        self.settings = ref.district
        self.year = school_year_for(today, self.settings.school_year)
        self.prev = school_year_starting(self.year.start_year - 1, self.settings.school_year)
        # Things happened between the first day of school and yesterday (or the last day of
        # school); on the first day itself everything is dated that day.
        self.first = self.year.starts_on.toordinal()
        self.last = max(self.first, min(today.toordinal() - 1, self.year.ends_on.toordinal()))
        span = self.year.ends_on.toordinal() - self.first
        self.elapsed = (self.last - self.first) / span if span > 0 else 1.0
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self._dates: dict[int, str] = {}
        self.schools: list[_School] = []
        self.staff: list[_Staff] = []
        self.students: list[_Student] = []
        self.usernames: set[str] = set()
        self.demo: dict[str, Any] = {}
        self.done = 0
        self.total = 3 * n

    # -- small helpers ---------------------------------------------------

    def day(self, ordinal: int) -> str:
        text = self._dates.get(ordinal)
        if text is None:
            text = self._dates[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def stamp(self, ordinal: int) -> str:
        """A UTC timestamp during the school day in Utah (8:00-15:59 MST is 15:00-22:59 UTC)."""
        return f"{self.day(ordinal)}T{CLOCK[int(self.rng.random() * SCHOOL_DAY_SECONDS)]}"

    def between(self, lo: int, hi: int) -> int:
        """A day (or number) in [lo, hi]; hi when the range is empty, so a day never passes hi."""
        if hi <= lo:
            return hi
        return lo + int(self.rng.random() * (hi - lo + 1))

    def school_day(self, lo: int, hi: int) -> int:
        """A weekday ordinal in [lo, hi] (falls back to lo when the range has none)."""
        if hi < lo:
            hi = lo
        for _ in range(6):
            d = self.rng.randint(lo, hi)
            if date.fromordinal(d).weekday() < 5:
                return d
        return lo

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def flush(self) -> None:
        conn = self.store.conn
        for table in INSERT_ORDER:
            rows = self.rows.get(table)
            if rows:
                conn.executemany(SQL[table], rows)
                self.counts[table] += len(rows)
                rows.clear()

    def tick(self, amount: int) -> None:
        self.done = min(self.total, self.done + amount)
        self.report(self.done, self.total)

    def next_id(self, table: str) -> int:
        return (self.store.one(f"SELECT coalesce(max(id), 0) FROM {table}")[0] or 0) + 1

    # -- run -------------------------------------------------------------

    def run(self) -> DemoSummary:
        self.report(0, self.total)
        staff_hash, student_hash = self._hashes()
        store = self.store
        # Everything, the checks and the id numbering included, in one write transaction:
        # no other session can add rows in between, and a failure leaves nothing behind.
        with store.write():
            held = store.one("SELECT count(*) FROM students")[0]
            if held:
                raise ValueError(
                    f"The database already holds {held} students. The demo district is only built into an "
                    "empty database; use a new database file. Nothing was changed."
                )
            self._check_existing()
            self._plan_schools()
            self._plan_people()
            self._plan_staff()
            self._assign()
            self._write_people(staff_hash, student_hash)
            self._write_plans()
            self._write_conferences()
            store.conn.execute("UPDATE school_years SET is_current = (id = ?)", (self.year_id,))
        self.report(self.total, self.total)
        return self._summary()

    def _check_existing(self) -> None:
        codes = {r[0] for r in self.store.query("SELECT code FROM schools")}
        taken = [code for kind in school_plan(self.n).values() for code, _ in kind if code in codes]
        if taken:
            raise ValueError(
                f"The database already has schools with the demo codes {', '.join(taken[:5])}; "
                "build the demo district into a new database file. Nothing was changed."
            )
        self.usernames = {r[0] for r in self.store.query("SELECT username FROM accounts")}
        clash = [u for u in ("admin", "principal", "counselor", "teacher", "student9", "student3") if u in self.usernames]
        if clash:
            raise ValueError(
                f"The database already has accounts named {', '.join(clash)}; build the demo district into a "
                "new database file. Nothing was changed."
            )
        self.usernames |= {"admin", "principal", "counselor", "teacher", "student9", "student3"}

    # -- schools and students ----------------------------------------------

    def _plan_schools(self) -> None:
        per_grade = students_per_grade(self.n)
        school_id = self.next_id("schools")
        student_id = self.next_id("students")
        self.by_kind: dict[str, list[_School]] = {}
        for kind, schools in school_plan(self.n).items():
            low, high = BANDS[kind]
            self.by_kind[kind] = []
            for code, name in schools:
                self.by_kind[kind].append(_School(school_id, code, name, kind, low, high))
                school_id += 1
        self.schools = self.by_kind["elementary"] + self.by_kind["middle"] + self.by_kind["high"]
        for grade in range(13):
            kind = "elementary" if grade <= 5 else "middle" if grade <= 8 else "high"
            for school, chunk in zip(self.by_kind[kind], _split_even(list(range(per_grade[grade])), len(self.by_kind[kind])), strict=True):
                for _ in chunk:
                    student = _Student(student_id, grade, school)
                    student_id += 1
                    school.students.append(student)
                    self.students.append(student)
        self.students.sort(key=lambda s: s.id)

    def _name_group(self) -> tuple:
        return _weighted(self.rng, [(group, group[0]) for group in names.NAME_GROUPS])

    def _child_name(self, group: tuple) -> str:
        rng = self.rng
        pool = group[2] if rng.random() < 0.7 else names.NAME_GROUPS[0][2]
        return rng.choice(pool)

    def _plan_people(self) -> None:
        """Names, families (siblings share guardians), birth dates and student numbers."""
        rng = self.rng
        y = self.year.start_year
        numbers = rng.sample(range(1_000_000, 10_000_000), len(self.students))
        order = list(range(len(self.students)))
        rng.shuffle(order)
        guardian_id = self.next_id("guardians")
        self.guardian_rows: list[tuple] = []
        family: dict[str, Any] | None = None
        for index in order:
            student = self.students[index]
            if family is None or family["kids"] >= 3 or rng.random() > 0.28:
                group = self._name_group()
                surname = rng.choice(group[1])
                family = {"kids": 0, "surname": surname, "guardians": []}
                lang = "English"
                if group is names.NAME_GROUPS[1] and rng.random() < 0.55:
                    lang = "Spanish"
                elif group is names.NAME_GROUPS[2] and rng.random() < 0.4:
                    lang = rng.choice(("Tongan", "Samoan"))
                elif group is names.NAME_GROUPS[3] and rng.random() < 0.2:
                    lang = "Navajo"
                adults = group[3]
                women = [a for a in adults if a in names.FEMALE_ADULTS]
                men = [a for a in adults if a not in names.FEMALE_ADULTS]
                shape = _weighted(rng, [("two", 0.62), ("step", 0.1), ("mother", 0.16), ("father", 0.05), ("grand", 0.05), ("guardian", 0.02)])
                if shape == "two":
                    members = [("mother", rng.choice(women), surname, 1), ("father", rng.choice(men), surname, 1)]
                elif shape == "step":
                    other = rng.choice(rng.choice(names.NAME_GROUPS)[1])
                    if rng.random() < 0.5:
                        members = [("mother", rng.choice(women), surname, 1), ("stepfather", rng.choice(men), other, 1)]
                    else:
                        members = [("father", rng.choice(men), surname, 1), ("mother", rng.choice(women), other, 0)]
                elif shape == "mother":
                    members = [("mother", rng.choice(women), surname, 1)]
                elif shape == "father":
                    members = [("father", rng.choice(men), surname, 1)]
                elif shape == "grand":
                    members = [("grandmother", rng.choice(women), surname, 1)]
                else:
                    members = [("guardian", rng.choice(adults), rng.choice(group[1]), 1)]
                for relationship, given, fam, lives in members:
                    email = f"{_ascii(given)}.{_ascii(fam)}{rng.randrange(10, 100)}@example.org" if rng.random() < 0.9 else None
                    phone = f"435-555-01{rng.randrange(100):02d}"
                    language = lang if relationship != "stepfather" else "English"
                    self.guardian_rows.append((guardian_id, given, fam, email, phone, language))
                    family["guardians"].append((guardian_id, relationship, lives))
                    guardian_id += 1
                family["group"] = group
            family["kids"] += 1
            student.family = family["surname"]
            student.given = self._child_name(family["group"])
            if student.given in names.PREFERRED and rng.random() < 0.4:
                student.preferred = names.PREFERRED[student.given]
            student.guardians = [(gid, rel) for gid, rel, _ in family["guardians"]]
            student.lives = [lives for _, _, lives in family["guardians"]]
            age = student.grade + 5 + (1 if rng.random() < 0.02 else 0)  # a few were held back a year
            born = date(y - age - 1, 9, 2).toordinal() + rng.randrange(365)
            student.birth = self.day(born)
            student.ability = rng.gauss(0.0, 1.0)
            student.number = str(numbers[index])
            student.username = f"s{student.number}"

    # -- staff -------------------------------------------------------------

    def _person_name(self) -> tuple[str, str]:
        group = self._name_group()
        return self.rng.choice(group[3]), self.rng.choice(group[1])

    def _username(self, given: str, family: str) -> str:
        base = f"{_ascii(given)}.{_ascii(family)}"
        name, k = base, 2
        while name in self.usernames:
            name, k = f"{base}{k}", k + 1
        self.usernames.add(name)
        return name

    def _plan_staff(self) -> None:
        staff_id = self.next_id("staff")
        account_id = self.next_id("accounts")

        def hire(role: str, school: _School | None, title: str, username: str | None = None) -> _Staff:
            nonlocal staff_id, account_id
            given, family = self._person_name()
            person = _Staff(staff_id, account_id, given, family, role, school, title)
            person.username = username or self._username(given, family)
            staff_id += 1
            account_id += 1
            self.staff.append(person)
            if school is not None and role == "teacher":
                school.teachers.append(person)
            return person

        self.district_admin = hire("administrator", None, "district SEP/SEOP coordinator", "admin")
        dhs = self.by_kind["high"][0]
        first_elem = self.by_kind["elementary"][0]
        for school in self.schools:
            school.principal = hire("administrator", school, "principal", "principal" if school is dhs else None)
            if school.kind != "elementary":
                count = max(1, round(len(school.students) / COUNSELOR_CASELOAD))
                for i in range(count):
                    name = "counselor" if school is dhs and i == 0 else None
                    school.counselors.append(hire("counselor", school, "counselor", name))
        # Teachers: an elementary homeroom per class of about CLASS_SIZE in each grade;
        # a secondary advisory class per ADVISORY_SIZE students.
        self.homerooms: list[tuple[_Staff, list[_Student]]] = []
        for school in self.schools:
            if school.kind == "elementary":
                for grade in range(school.low, school.high + 1):
                    kids = [s for s in school.students if s.grade == grade]
                    if not kids:
                        continue
                    self.rng.shuffle(kids)
                    for c, chunk in enumerate(_split_even(kids, max(1, math.ceil(len(kids) / CLASS_SIZE)))):
                        name = "teacher" if school is first_elem and grade == 3 and c == 0 else None
                        grade_word = "kindergarten" if grade == 0 else f"grade {grade}"
                        teacher = hire("teacher", school, f"{grade_word} teacher", name)
                        self.homerooms.append((teacher, chunk))
            else:
                kids = sorted(school.students, key=lambda s: (s.grade, s.id))
                for chunk in _split_even(kids, max(2, round(len(kids) / ADVISORY_SIZE))):
                    teacher = hire("teacher", school, "advisory teacher")
                    self.homerooms.append((teacher, chunk))
        self.student_account_start = account_id

    def _assign(self) -> None:
        """Homeroom teachers, counselors by last-name range, accounts; pick the demo people."""
        for teacher, kids in self.homerooms:
            teacher.students = kids
            for kid in kids:
                kid.teacher = teacher
        self.ranges: dict[int, str] = {}
        for school in self.schools:
            if not school.counselors:
                continue
            alphabetical = sorted(school.students, key=lambda s: (s.family.lower(), s.given.lower(), s.id))
            for counselor, chunk in zip(school.counselors, _split_even(alphabetical, len(school.counselors)), strict=True):
                counselor.students = chunk
                for kid in chunk:
                    kid.counselor = counselor
                if chunk:
                    self.ranges[counselor.id] = f"{chunk[0].family[:2]}-{chunk[-1].family[:2]}"
        account_id = self.student_account_start
        for student in self.students:
            student.account_id = account_id
            account_id += 1
        # The demo sign-ins.
        counselor = next(s for s in self.staff if s.username == "counselor")
        teacher = next(s for s in self.staff if s.username == "teacher")
        nine = next((s for s in counselor.students if s.grade == 9), None)
        if nine is None:  # a tiny district: move a grade-9 student onto the demo counselor's caseload
            nine = next(s for s in counselor.school.students if s.grade == 9)
            nine.counselor.students.remove(nine)
            nine.counselor = counselor
            counselor.students.append(nine)
        three = min(teacher.students, key=lambda s: (s.family, s.given))
        nine.username, three.username = "student9", "student3"
        self.demo = {"counselor": counselor, "teacher": teacher, "student9": nine, "student3": three}

    def _hashes(self) -> tuple[str, str]:
        from seop_tui.services.auth import hash_secret

        # Demo data only: every staff account shares one secret and every student
        # account another, so each is hashed once (Argon2id costs tens of
        # milliseconds) and the same PHC string is stored for all of them. Real
        # accounts each get their own salt.
        return hash_secret(STAFF_SECRET), hash_secret(STUDENT_SECRET)

    # -- writing people ----------------------------------------------------------

    def _write_people(self, staff_hash: str, student_hash: str) -> None:
        rng = self.rng
        add = self.add
        store = self.store
        if store.one("SELECT count(*) FROM district")[0] == 0:
            add("district", (1, self.settings.name, STATE))
        for s in self.schools:
            add("schools", (s.id, s.code, s.name, s.kind, s.low, s.high))
        years = {r["name"]: r["id"] for r in store.query("SELECT id, name FROM school_years")}
        next_year = self.next_id("school_years")
        for sy in (self.prev, self.year):
            if sy.name not in years:
                add("school_years", (next_year, sy.name, sy.starts_on.isoformat(), sy.ends_on.isoformat(), 0))
                years[sy.name] = next_year
                next_year += 1
        self.year_id, self.prev_id = years[self.year.name], years[self.prev.name]
        created = f"{self.prev.starts_on.isoformat()}T15:00:00+00:00"
        training_window = (self.first - 3 * 365, self.last)
        for person in self.staff:
            add("accounts", (person.account_id, person.username, person.role, staff_hash, 0, 1, 0, created))
            email = f"{_ascii(person.given)}.{_ascii(person.family)}{person.id}@staff.example.org"
            add("staff", (person.id, person.account_id, person.given, person.family, person.role,
                          person.school.id if person.school else None, email))
            # Most staff are trained for their SEP/SEOP role (policy 3.1.2, 3.2.2); some are not yet.
            trained = {"teacher": 0.82, "counselor": 0.95, "administrator": 0.75}[person.role]
            if person.username in ("teacher", "counselor", "admin", "principal") or rng.random() < trained:
                options = names.TRAININGS[person.role]
                if person.role == "teacher":
                    options = options[:1] + options[2:] if person.school and person.school.kind == "elementary" else options[1:]
                for training in options[: 1 + rng.randrange(len(options))]:
                    on = self.school_day(*training_window)
                    add("staff_training", (person.id, training, self.day(on), rng.choice((1.0, 1.5, 2.0, 3.0)), None))
        self.rows["guardians"] = list(self.guardian_rows)
        y = self.year.start_year
        updated = f"{self.year.starts_on.isoformat()}T14:00:00+00:00"
        for i, st in enumerate(self.students):
            add("accounts", (st.account_id, st.username, "student", student_hash, 0, 1, 0, created))
            add("students", (
                st.id, st.account_id, st.number, st.given, st.family, st.preferred, st.birth, st.grade,
                st.school.id, st.counselor.id if st.counselor else None, y + 9 - st.grade, 1, updated,
            ))
            for (gid, relationship), lives in zip(st.guardians, st.lives, strict=True):
                add("student_guardians", (st.id, gid, relationship, lives))
            if st.teacher is not None:
                add("class_rosters", (st.teacher.id, st.id, self.year_id))
            if i % BATCH_STUDENTS == BATCH_STUDENTS - 1:
                self.flush()
                self.tick(BATCH_STUDENTS)
        self.flush()
        self.done = self.n
        self.report(self.done, self.total)

    # -- plans and everything in them ----------------------------------------

    def _write_plans(self) -> None:
        rng = self.rng
        f = self.elapsed
        finalized = 0.12 + 0.5 * f
        shares = [
            (None, 0.05), ("submitted", 0.16), ("changes_requested", 0.08), ("finalized", finalized),
            ("draft", 1 - 0.05 - 0.16 - 0.08 - finalized),
        ]
        statuses = _quota(rng, len(self.students), shares)
        for student, status in zip(self.students, statuses, strict=True):
            student.plan_status = status
        self.demo["student9"].plan_status = "draft"
        self.demo["student3"].plan_status = "draft"
        self.plan_id = self.next_id("plans")
        self.goal_id = self.next_id("goals")
        self.attempt_id = self.next_id("inventory_attempts")
        self._prepare_catalog()
        self.early_grads = 0
        for i, student in enumerate(self.students):
            self._student(student)
            if i % BATCH_STUDENTS == BATCH_STUDENTS - 1:
                self.flush()
                self.tick(BATCH_STUDENTS)
        self.flush()
        self.done = 2 * self.n
        self.report(self.done, self.total)

    def _student(self, st: _Student) -> None:
        rng = self.rng
        grade = st.grade
        secondary = grade >= 6
        staff = st.counselor if secondary else st.teacher
        status = st.plan_status
        is_nine = st is self.demo["student9"]
        plan_id = None
        if status is not None:
            plan_id = self._plan(st, status, staff)
        st.plan_id = plan_id
        self._assessments(st)
        self._accomplishments(st, staff)
        if not secondary:
            if plan_id is not None:
                self._contents(st, plan_id, status, staff)
            if rng.random() < 0.5:
                self._progress_notes(st)
            return
        profile = None
        if plan_id is not None or grade >= 7:
            profile = self._inventory(st, plan_id, partial=is_nine)
        cluster, pathway = self._cluster(st, plan_id, profile, staff) if not is_nine else (None, None)
        early = grade == 11 and st.ability > 0.7 and rng.random() < 0.2
        if grade >= 9 or (grade == 8 and rng.random() < 0.3 + 0.5 * self.elapsed):
            self._course_plan(st, pathway, staff, early=early)
        if plan_id is not None:
            self._contents(st, plan_id, status, staff, cluster=cluster, pathway=pathway)
        if early:
            self._early_graduation(st, staff)

    def _plan(self, st: _Student, status: str, staff: _Staff | None) -> int:
        rng = self.rng
        plan_id = self.plan_id
        self.plan_id += 1
        first, last = self.first, self.last
        created = first + int((last - first) * rng.random() ** 2 * 0.6)
        updated = self.between(created, last)
        version = {"draft": 1, "submitted": 2, "changes_requested": 3, "finalized": 3}[status] + rng.randrange(4)
        if st is self.demo["student9"]:
            version = 3
        submitted_at = finalized_at = finalized_by = None
        updated_by = st.account_id if st.grade >= 6 and rng.random() < 0.6 else (staff.account_id if staff else st.account_id)
        # created <= submitted <= updated (= finalized), also within one day.
        created_at, submitted, updated_at = sorted((self.stamp(created), self.stamp(self.between(created, updated)), self.stamp(updated)))
        if status != "draft":
            submitted_at = submitted
        if status in ("changes_requested", "finalized") and staff is not None:
            updated_by = staff.account_id
        if status == "finalized":
            reviewer = staff or st.school.principal
            finalized_by = reviewer.id
            finalized_at = updated_at
            self.finalizer = reviewer
        self._plan_meta = (version, finalized_at)
        st.plan_id = plan_id
        self._plan_dates = (created, updated)
        self.add("plans", (
            plan_id, st.id, self.year_id, "SEOP" if st.grade >= 6 else "SEP", st.grade, status, version,
            created_at, updated_at, updated_by, submitted_at, finalized_at, finalized_by,
        ))
        if status == "changes_requested" and staff is not None:
            for section in rng.sample(self._comment_sections(st), k=1 + (rng.random() < 0.3)):
                self.add("plan_comments", (plan_id, section, staff.account_id, rng.choice(COMMENT_BODIES[section]),
                                           self.stamp(updated), None))
        elif status == "finalized" and staff is not None and rng.random() < 0.25:
            section = rng.choice(self._comment_sections(st))
            self.add("plan_comments", (plan_id, section, staff.account_id, rng.choice(COMMENT_BODIES[section]),
                                       self.stamp(created), self.stamp(updated)))
        return plan_id

    def _comment_sections(self, st: _Student) -> list[str]:
        if st.grade < 6:
            return ["goals", "strengths"]
        if st.grade < 9:
            return ["goals", "strengths", "postsecondary"]
        return ["goals", "strengths", "postsecondary", "course_plan", "cluster"]

    def _contents(self, st: _Student, plan_id: int, status: str, staff: _Staff | None,
                  cluster: Any = None, pathway: Any = None) -> None:
        """Strengths, goals and the post-secondary plan; a snapshot when finalized."""
        rng = self.rng
        add = self.add
        created, updated = self._plan_dates
        secondary = st.grade >= 6
        draft = status == "draft"
        partial = st is self.demo["student9"]
        when = self.stamp(created)
        strengths_pool, needs_pool = (names.STRENGTHS_SEOP, names.NEEDS_SEOP) if secondary else (names.STRENGTHS_SEP, names.NEEDS_SEP)
        snapshot: dict[str, Any] = {"strengths": [], "needs_attention": [], "goals": []}
        if not (draft and rng.random() < 0.2):
            n_strengths = 2 if partial else 2 + rng.randrange(3)
            for pos, text in enumerate(rng.sample(strengths_pool, n_strengths)):
                from_list = 1
                if rng.random() < 0.12:
                    text, from_list = rng.choice(names.FREE_TEXT_STRENGTHS), 0
                add("strengths", (plan_id, "strength", text, from_list, pos, when))
                snapshot["strengths"].append(text)
            for pos, text in enumerate(rng.sample(needs_pool, 1 + (rng.random() < 0.45))):
                add("strengths", (plan_id, "needs_attention", text, 1, pos, when))
                snapshot["needs_attention"].append(text)
        # Goals: education, and career (SEOP) or career awareness (SEP), watched by the
        # student, a parent and the teacher or counselor.
        if secondary:
            kinds = [("education", names.GOALS_SEOP_EDUCATION), ("career", names.GOALS_SEOP_CAREER)]
            monitors = ["student", "parent", "counselor"]
        else:
            kinds = [("education", names.GOALS_SEP_EDUCATION), ("career_awareness", names.GOALS_SEP_CAREER)]
            monitors = ["student", "parent", "teacher"]
        if partial:
            kinds = kinds[:1]
        elif draft and rng.random() < 0.3:
            kinds = kinds[: rng.randrange(2)]
        target = self.day(self.year.ends_on.toordinal() - rng.randrange(20))
        for kind, pool in kinds:
            for text, steps in rng.sample(pool, 1 + (kind == "education" and rng.random() < 0.3)):
                watchers = monitors if rng.random() < 0.85 else [m for m in monitors if m != "parent"]
                if secondary and rng.random() < 0.2:
                    watchers = [*watchers, "teacher"]
                goal_status = "in_progress" if partial else _weighted(rng, [
                    ("not_started", 0.25 if draft else 0.1), ("in_progress", 0.55), ("met", 0.1 + 0.3 * self.elapsed), ("changed", 0.04),
                ])
                goal_id = self.goal_id
                self.goal_id += 1
                add("goals", (goal_id, plan_id, kind, text, steps, target, goal_status, json.dumps(watchers), when, self.stamp(updated)))
                snapshot["goals"].append({"kind": kind, "text": text, "steps": steps, "status": goal_status, "monitors": watchers})
                if goal_status in ("in_progress", "met", "changed") and rng.random() < 0.4:
                    author = st.account_id if secondary and rng.random() < 0.5 else (staff.account_id if staff else st.account_id)
                    add("goal_updates", (goal_id, author, goal_status, rng.choice(names.GOAL_NOTES), self.stamp(self.between(created, updated))))
        if secondary and not partial and (st.grade >= 8 and rng.random() < (0.55 if draft else 0.85) or rng.random() < 0.2):
            choice = _weighted(rng, names.EDUCATION_CHOICES)
            institution = rng.choice(names.INSTITUTIONS[choice])
            if pathway is not None:
                program, occupations = pathway.name, pathway.occupations or cluster.occupations
            elif cluster is not None:
                program, occupations = cluster.name, cluster.occupations
            else:  # no cluster chosen yet: a field the student is curious about
                some = rng.choice(self.cluster_list)
                field_of_interest = rng.choice(some.pathways) if some.pathways else some
                program, occupations = field_of_interest.name, field_of_interest.occupations or some.occupations
            chosen = "; ".join(rng.sample(list(occupations), min(len(occupations), 1 + rng.randrange(2))))
            steps = rng.choice(names.NEXT_STEPS)
            add("postsecondary_plans", (plan_id, choice, institution, program, chosen, steps, self.stamp(updated)))
            snapshot["postsecondary"] = {"education_choice": choice, "institution": institution, "program": program,
                                         "occupations": chosen, "next_steps": steps}
        if status == "finalized":
            reviewer = self.finalizer
            snapshot.update({
                "format": 1,
                "student": {"id": st.id, "student_number": st.number, "name": f"{st.given} {st.family}", "grade": st.grade,
                            "school": st.school.code},
                "school_year": self.year.name,
                "kind": "SEOP" if secondary else "SEP",
                "cluster": {"cluster_code": cluster.code, "pathway_code": pathway.code if pathway else None} if cluster else None,
            })
            version, finalized_at = self._plan_meta
            snapshot["version"] = version
            add("plan_versions", (plan_id, version, json.dumps(snapshot, sort_keys=True), reviewer.id, finalized_at))

    def _progress_notes(self, st: _Student) -> None:
        rng = self.rng
        if st.teacher is None:
            return
        for subject, note in rng.sample(PROGRESS_NOTES, 1 + (rng.random() < 0.4)):
            self.add("progress_notes", (st.id, self.year_id, st.teacher.account_id, subject, note,
                                        self.stamp(self.between(self.first, self.last))))

    def _accomplishments(self, st: _Student, staff: _Staff | None) -> None:
        rng = self.rng
        pool = names.ACCOMPLISHMENTS_SEOP if st.grade >= 6 else names.ACCOMPLISHMENTS_SEP
        count = _weighted(rng, [(0, 0.3), (1, 0.35), (2, 0.22), (3, 0.13)])
        for kind, title in rng.sample(pool, count):
            on = self.between(self.first - 365, self.last)
            hours = float(rng.choice((4, 6, 10, 12, 20, 40))) if kind in ("service", "work") else None
            by = st.account_id if st.grade >= 6 and rng.random() < 0.6 else (staff.account_id if staff else st.account_id)
            self.add("accomplishments", (st.id, kind, title, None, self.day(on), hours, by, self.stamp(max(on, self.first))))

    # -- progress data ---------------------------------------------------------

    def _assessments(self, st: _Student) -> None:
        """Last spring's state tests: RISE in grades 3-8, Aspire Plus in 9-10, ACT in 11."""
        rng = self.rng
        tested = st.grade - 1
        if tested < 0:
            return
        spring = self.prev.ends_on.toordinal()
        for assessment in self.ref.assessments.assessments:
            subjects = [s for s in assessment.subjects if tested in s.grades]
            if not subjects:
                continue
            if rng.random() < 0.03:  # absent or opted out
                continue
            if assessment.score_range is not None:
                taken = self.school_day(spring - 80, spring - 70)  # a March test day
            else:
                taken = self.school_day(spring - 45, spring - 10)
            taken_on = self.day(taken)
            scores: list[int] = []
            for subject in subjects:
                z = 0.8 * st.ability + 0.6 * rng.gauss(0.0, 1.0)
                scale = None
                if assessment.score_range is not None:
                    lo, hi = assessment.score_range
                    if subject.code == "COMP" and scores:
                        scale = math.floor(sum(scores) / len(scores) + 0.5)
                    else:
                        mid, sd = lo + 0.55 * (hi - lo), (hi - lo) / 7
                        scale = min(max(round(mid + sd * z), lo + round(0.31 * (hi - lo))), hi - 2)
                        scores.append(scale)
                    bench = ACT_BENCHMARKS.get(subject.code, round(lo + 0.58 * (hi - lo)))
                    level = 1 if scale < bench - 4 else 2 if scale < bench else 3 if scale < bench + 6 else 4
                else:
                    level = 1 if z < -0.85 else 2 if z < 0.0 else 3 if z < 1.0 else 4
                self.add("assessment_results", (st.id, self.prev_id, assessment.code, subject.code, tested, level, scale, taken_on, "import"))

    # -- interest inventory and clusters ----------------------------------------

    def _inventory(self, st: _Student, plan_id: int | None, *, partial: bool = False):
        """A completed (or, for the demo student, half-done) interest inventory."""
        rng = self.rng
        chance = {6: 0.3, 7: 0.7, 8: 0.75}.get(st.grade, 0.82)
        if not partial and rng.random() > chance:
            return None
        inventory = self.ref.inventory
        # Two or three favourite areas, the second often a hexagon neighbour of the first.
        areas = ("R", "I", "A", "S", "E", "C")
        first = rng.randrange(6)
        second = (first + rng.choice((-1, 1))) % 6 if rng.random() < 0.6 else rng.randrange(6)
        liking = {a: 0.6 + 1.4 * rng.random() for a in areas}
        liking[areas[first]] += 1.8
        liking[areas[second]] += 1.1
        if rng.random() < 0.4:
            liking[areas[rng.randrange(6)]] += 0.9
        scale = sorted(p.value for p in inventory.scale)
        low, high = scale[0], scale[-1]
        items = inventory.items
        if partial:
            items = items[: len(items) // 2]
        # Answer = liking plus noise, rounded onto the scale (noise: the sum of two uniforms, cheaper than gauss).
        rand = rng.random
        answers = {
            item.id: min(high, max(low, math.floor(liking[item.area] + 1.5 * (rand() + rand() - 1.0) + 0.5)))
            for item in items
        }
        if scale != list(range(low, high + 1)):  # a scale with gaps: snap to the nearest point
            answers = {k: min(scale, key=lambda p: abs(p - v)) for k, v in answers.items()}
        this_year = plan_id is not None
        if this_year:
            start = self.between(self.first + 10, self.last)
        else:
            start = self.between(self.prev.starts_on.toordinal() + 30, self.prev.ends_on.toordinal() - 20)
        # One answer about every 20 seconds from a start during the school day.
        second = int(rng.random() * (SCHOOL_DAY_SECONDS - 3600))
        prefix = self.day(start) + "T"
        stamps = [prefix + CLOCK[second + 20 * i] for i in range(len(items) + 1)]
        attempt_id = self.attempt_id
        self.attempt_id += 1
        if partial:
            self.add("inventory_attempts", (attempt_id, st.id, plan_id, inventory.name, stamps[0], None, None, None))
            profile = None
        else:
            profile = self._score(answers)
            self.add("inventory_attempts", (attempt_id, st.id, plan_id if this_year else None, inventory.name, stamps[0], stamps[-1],
                                            json.dumps(dict(profile.scores)), profile.code))
        self.rows["inventory_answers"].extend(
            (attempt_id, item_id, value, stamps[i + 1]) for i, (item_id, value) in enumerate(answers.items())
        )
        return profile

    def _score(self, answers: dict[str, int]):
        from seop_tui.domain.riasec import score

        return score(answers, self.ref.inventory)

    def _prepare_catalog(self) -> None:
        courses = self.ref.courses.courses
        self.pathway_courses: dict[str, dict[str, list[Course]]] = defaultdict(lambda: defaultdict(list))
        for c in courses:
            if c.pathway:
                self.pathway_courses[c.pathway][c.level or "explorer"].append(c)
        offered: dict[tuple[int, str, str | None], list[Course]] = defaultdict(list)
        for c in courses:
            if c.pathway and c.level != "explorer":  # explorer courses count as general CTE picks
                continue
            for g in c.grades:
                offered[(g, c.area, c.subarea)].append(c)
        self.offered: dict[tuple[int, str, str | None], tuple[list[Course], list[float]]] = {}
        for (g, area, sub), options in offered.items():
            cumulative, total = [], 0.0
            for c in options:
                total += 3.0 if c.grades[0] == g else 1.0
                cumulative.append(total)
            self.offered[(g, area, sub)] = (options, cumulative)
        framework = self.ref.clusters
        self.cluster_list = list(framework.clusters)
        self.pathways_with_courses = {
            cl.code: [p for p in cl.pathways if p.code in self.pathway_courses] or list(cl.pathways) for cl in framework.clusters
        }
        self.req_cache: dict[tuple[str, int], Any] = {}

    def _cluster(self, st: _Student, plan_id: int | None, profile, staff: _Staff | None):
        """Cluster and pathway choices: most students in 10-12, some in 8-9, a few changed their mind."""
        rng = self.rng
        chance = {8: 0.25, 9: 0.45, 10: 0.86, 11: 0.88, 12: 0.9}.get(st.grade, 0.0)
        if rng.random() >= chance:
            return None, None
        if profile is not None and profile.code:
            ranked = self._fits(profile)
            cluster = _weighted(rng, [(ranked[0], 0.6), (ranked[1], 0.25), (ranked[2], 0.15)])
        else:
            cluster = rng.choice(self.cluster_list)
        pathway = rng.choice(self.pathways_with_courses[cluster.code]) if cluster.pathways else None
        framework = self.settings.cluster_framework
        # The latest choice: this year, or (for 11-12) reaffirmed from grade 10.
        if st.grade <= 10 or rng.random() < 0.5:
            chosen, grade, plan = self.between(self.first, self.last), st.grade, plan_id
        else:
            grade = 10
            back = st.grade - 10
            chosen, plan = self.between(self.first - 365 * back, self.year.ends_on.toordinal() - 365 * back - 60), None
        by = st.account_id if rng.random() < 0.6 or staff is None else staff.account_id
        if st.grade >= 11 and rng.random() < 0.25:  # an earlier choice, later changed
            earlier = rng.choice(self.cluster_list)
            if earlier is not cluster:
                back = st.grade - 9
                when = self.between(self.first - 365 * back + 30, self.first - 365 * back + 200)
                self.add("cluster_choices", (st.id, None, framework, earlier.code, None, 9, self.day(when), st.account_id))
        self.add("cluster_choices", (st.id, plan, framework, cluster.code, pathway.code if pathway else None, grade,
                                     self.day(chosen), by))
        return cluster, pathway

    def _fits(self, profile) -> list:
        """Clusters ranked by fit with the profile (floats; the app's own ranking is in domain.riasec)."""
        norm = {a: profile.scores[a] / (profile.maxima[a] or 1) for a in profile.scores}
        ranked = []
        for index, cl in enumerate(self.cluster_list):
            areas = cl.riasec
            n = len(areas)
            value = sum((n - i) * norm[a] for i, a in enumerate(areas)) / (n * (n + 1) / 2) if n else 0.0
            ranked.append((-value, index, cl))
        ranked.sort(key=lambda t: (t[0], t[1]))
        return [cl for _, _, cl in ranked[:3]]

    # -- course plan and transcript -------------------------------------------

    def _requirements(self, school: _School, cohort: int):
        key = (school.code, cohort)
        req = self.req_cache.get(key)
        if req is None:
            try:
                req = self.ref.requirements.set_for(school.code, cohort)
            except LookupError:
                req = None
            self.req_cache[key] = req
        return req

    def _course_plan(self, st: _Student, pathway, staff: _Staff | None, *, early: bool = False) -> None:
        """A four-year plan (grades 9-12) fitting the pathway; completed years go on the transcript.

        Grade 8 students plan grade 9 only; the demo grade-9 student has only this year's courses.
        """
        rng = self.rng
        cohort = self.year.start_year + 9 - st.grade
        high = st.school if st.school.kind == "high" else self.by_kind["high"][0]
        req = self._requirements(high, cohort)
        total = req.total if req else 24.0
        needs: dict[tuple[str, str | None], float] = {}
        if req:
            for area in req.areas:
                if area.code == req.elective_area:
                    continue
                if area.subareas:
                    for sub in area.subareas:
                        needs[(area.code, sub.code)] = sub.credits
                else:
                    needs[(area.code, None)] = area.credits
        last_grade = 12
        if st.grade == 8:
            last_grade = 9
        elif st is self.demo["student9"] or (st.grade == 9 and rng.random() < 0.2):
            last_grade = 9 if st is self.demo["student9"] else 10
        per_year = total / 4
        if early:  # finishing by the end of grade 11 (Centennial Scholarship)
            last_grade, per_year = 11, total / 3 + 0.25
        taken: set[str] = set()
        path_courses = self.pathway_courses.get(pathway.code) if pathway else None
        struggling = st.ability < -1.3 and rng.random() < 0.5
        for g in range(9, last_grade + 1):
            year_courses: list[Course] = []
            credits = 0.0
            budget = per_year + rng.choice((-0.5, 0.0, 0.0, 0.5))
            # Core areas: about a credit each year while still needed (English every year).
            for key in (("language_arts", None), ("mathematics", None), ("science", None), ("social_studies", None)):
                got = 0.0
                while got < 1.0 and (needs.get(key, 1.0) - got > 0 or key[0] == "language_arts"):
                    c = self._pick(g, key, taken)
                    if c is None:
                        break
                    year_courses.append(c)
                    credits += c.credits
                    got += c.credits
            # Pathway courses: explorer first, then concentrator, then completer.
            if path_courses:
                level = "explorer" if g <= 9 else "concentrator" if g == 10 else "completer" if g >= 12 else rng.choice(("concentrator", "completer"))
                for lv in (level, "concentrator", "explorer"):
                    options = [c for c in path_courses.get(lv, ()) if g in c.grades and c.code not in taken]
                    if options:
                        c = rng.choice(options)
                        year_courses.append(c)
                        taken.add(c.code)
                        credits += c.credits
                        break
            # Other requirements, spread over the years.
            others = [k for k, v in needs.items() if v > 0 and k[0] not in ("language_arts", "mathematics", "science", "social_studies")]
            rng.shuffle(others)
            for key in others:
                if credits >= budget:
                    break
                if key[1] == "cte" and path_courses:
                    continue
                if key == ("directed", "financial_literacy") and g < 11:
                    continue
                c = self._pick(g, key, taken)
                if c:
                    year_courses.append(c)
                    credits += c.credits
            # Electives fill the rest of the year.
            tries = 0
            while credits < budget - 0.2 and tries < 16:
                tries += 1
                area = rng.choice((("electives", None), ("electives", None), ("directed", "fine_arts"), ("pe_health", None), ("directed", "digital_studies")))
                c = self._pick(g, area, taken)
                if c and credits + c.credits <= budget + 0.25:
                    year_courses.append(c)
                    credits += c.credits
            for c in year_courses:
                key = (c.area, c.subarea)
                if key in needs:
                    needs[key] -= c.credits
                elif (c.area, None) in needs:
                    needs[(c.area, None)] -= c.credits
            self._write_year(st, g, year_courses, staff, struggling)

    def _pick(self, g: int, key: tuple[str, str | None], taken: set[str]) -> Course | None:
        """A course offered in grade g for the area, not yet in the plan. Courses that start in
        this grade (the usual sequence) are three times as likely."""
        found = self.offered.get((g, *key))
        if not found:
            return None
        options, cumulative = found
        rng = self.rng
        for _ in range(4):  # usually the first draw is free
            c = rng.choices(options, cum_weights=cumulative)[0]
            if c.code not in taken:
                taken.add(c.code)
                return c
        free = [c for c in options if c.code not in taken]
        if not free:
            return None
        c = free[int(rng.random() * len(free))]
        taken.add(c.code)
        return c

    def _write_year(self, st: _Student, g: int, courses: list[Course], staff: _Staff | None, struggling: bool) -> None:
        rng = self.rng
        back = st.grade - g  # years ago; negative for future years
        year_start = self.year.start_year - back
        school_year = f"{year_start}-{(year_start + 1) % 100:02d}"
        # Plans were made in the spring before the year (registration), or this year.
        if back >= 0:
            planned_on = min(self.last, date(year_start, 3, 1).toordinal() + rng.randrange(40))
        else:
            planned_on = self.between(self.first, self.last)
        added_by = st.account_id if rng.random() < 0.6 or staff is None else staff.account_id
        added = self.stamp(planned_on)
        half = 0
        for c in courses:
            if c.credits >= 1.0:
                term = "year"
            else:
                term = ("fall", "spring")[half % 2]
                half += 1
            self.add("course_plan_entries", (st.id, c.code, g, term, added, added_by))
            if back > 0:  # a completed year: on the transcript
                z = 0.9 * st.ability + 0.5 * rng.gauss(0, 1)
                if struggling and rng.random() < 0.18 or z < -2.3:
                    mark, credits = "F", 0.0
                else:
                    mark = MARKS[min(len(MARKS) - 1, max(0, int((1.4 - z) * 2.2)))]
                    credits = c.credits
                self.add("credits_earned", (st.id, c.code, c.name, c.area, c.subarea, credits, g, school_year, term, mark, "import"))

    def _early_graduation(self, st: _Student, staff: _Staff | None) -> None:
        rng = self.rng
        self.early_grads += 1
        declared = self.first - 365 * rng.choice((1, 2)) + rng.randrange(20)
        parent = declared + rng.randrange(3, 15)
        official = parent + rng.randrange(3, 20) if rng.random() < 0.75 else None
        withdrawn = None
        if official and rng.random() < 0.1:
            withdrawn = min(self.last, official + 200)
        reason = rng.choice((
            "Wants to start at Utah Tech a year early", "Centennial Scholarship; plans to work full time",
            "Family moving; finishing requirements early", "Starting a technical college program",
        ))
        self.add("early_graduation_plans", (
            st.id, self.day(declared), 11, "spring", reason, self.day(declared), self.day(parent),
            self.day(official) if official else None, staff.id if official and staff else None,
            self.day(withdrawn) if withdrawn else None,
        ))

    # -- conferences and parent involvement ---------------------------------------

    def _write_conferences(self) -> None:
        rng = self.rng
        conf_id = self.next_id("conferences")
        first, last, end = self.first, self.last, self.year.ends_on.toordinal()
        kmax = self.settings.small_group_max
        self.conference_count = 0
        invited: dict[int, list[tuple[int, int | None, bool]]] = defaultdict(list)  # student -> (day, guardian, accepted)

        def conference(kind: str, day: int, minutes: int, location: str, notes: str, staff: _Staff,
                       kids: list[_Student], guardians: list[int]) -> None:
            nonlocal conf_id
            follow = rng.choice(names.FOLLOW_UPS) or None
            self.add("conferences", (conf_id, self.year_id, kind, self.day(day), minutes, location, notes, follow,
                                     staff.account_id, self.stamp(day)))
            for kid in kids:
                self.add("conference_students", (conf_id, kid.id, 0 if rng.random() < 0.03 else 1))
            for gid in guardians:
                self.add("conference_attendees", (conf_id, gid, None, None))
            self.add("conference_attendees", (conf_id, None, staff.id, None))
            conf_id += 1
            self.conference_count += 1

        # Elementary: two individual conferences a year (October and February windows),
        # with the homeroom teacher and usually a parent.
        windows = [(first + 50, first + 75), (first + 180, first + 200)]
        secondary_kids: list[_Student] = []
        for i, st in enumerate(self.students):
            if st.grade >= 6:
                secondary_kids.append(st)
            elif st.teacher is not None:
                room = f"Room {100 + (st.teacher.id % 40)}"
                for lo, hi in windows:
                    day = self.school_day(lo, hi)
                    if day > last or rng.random() < 0.08:
                        continue
                    guardians = [g for g, _ in st.guardians if rng.random() < 0.7] if rng.random() < 0.9 else []
                    conference("individual", day, rng.choice((15, 15, 20, 20, 25)), room,
                               rng.choice(names.CONFERENCE_NOTES["elementary"]), st.teacher, [st], guardians)
                    if guardians:
                        invited[st.id].append((day, guardians[0], True))
            if i % BATCH_STUDENTS == BATCH_STUDENTS - 1:
                self.flush()
                self.tick(BATCH_STUDENTS // 2)
        # Secondary: one individual conference with the counselor, spread over the year.
        for st in secondary_kids:
            if st.counselor is None:
                continue
            day = self.school_day(first + 14, end - 10)
            if day <= last and rng.random() < 0.92:
                guardians = [st.guardians[0][0]] if rng.random() < 0.65 else []
                if guardians and len(st.guardians) > 1 and rng.random() < 0.3:
                    guardians.append(st.guardians[1][0])
                conference("individual", day, rng.choice((15, 20, 25, 30)), "Counseling Center",
                           rng.choice(names.CONFERENCE_NOTES["individual"]), st.counselor, [st], guardians)
                if guardians:
                    invited[st.id].append((day, guardians[0], True))
        self.flush()
        # Small groups of 3..small_group_max students from one counselor's caseload, by grade.
        size = max(1, kmax)
        for counselor in (s for s in self.staff if s.role == "counselor"):
            kids = sorted((k for k in counselor.students if rng.random() < 0.92), key=lambda k: (k.grade, k.family, k.id))
            if not kids:
                continue
            for group in _split_even(kids, math.ceil(len(kids) / size)):
                day = self.school_day(first + 20, end - 15)
                if day > last:
                    continue
                conference("small_group", day, rng.choice((30, 40, 45, 50)), "Career Center",
                           rng.choice(names.CONFERENCE_NOTES["small_group"]), counselor, group, [])
        self.flush()
        # A few extra conferences a parent asked for (policy 2.5).
        for st in self.students:
            if rng.random() < 0.03 and st.guardians:
                staff = st.counselor if st.grade >= 6 else st.teacher
                if staff is None:
                    continue
                day = self.school_day(first + 20, last)
                if day > last:
                    continue
                gid = st.guardians[0][0]
                conference("parent_requested", day, rng.choice((15, 20, 30)), "Main office",
                           rng.choice(names.CONFERENCE_NOTES["parent_requested"]), staff, [st], [gid])
                invited[st.id].append((day, gid, True))
        self.flush()
        # Parent involvement: the conference invitations that were answered, plus other
        # invitations (plan review, registration night ...) with their responses.
        for i, st in enumerate(self.students):
            staff = st.counselor if st.grade >= 6 else st.teacher
            recorder = staff.account_id if staff else None
            for day, gid, _ in invited.get(st.id, ()):
                sent = day - rng.randrange(5, 15)
                self.add("parent_involvement", (st.id, self.year_id, gid, "conference invitation", rng.choice(INVOLVEMENT_METHODS),
                                                self.day(sent), "accepted", self.day(min(day, sent + rng.randrange(1, 4))), None, recorder))
            if not st.guardians or rng.random() < 0.12:
                continue
            for _ in range(rng.randrange(3) if invited.get(st.id) else 1 + rng.randrange(2)):
                sent = self.between(first + 5, last)
                gid = rng.choice(st.guardians)[0]
                if last - sent < 7 and rng.random() < 0.7:
                    response, answered = "pending", None
                else:
                    response = _weighted(rng, [("accepted", 0.55), ("declined", 0.15), ("no_response", 0.3)])
                    answered = self.day(min(last, sent + rng.randrange(1, 8))) if response in ("accepted", "declined") else None
                self.add("parent_involvement", (st.id, self.year_id, gid, rng.choice(names.INVOLVEMENT_PURPOSES),
                                                rng.choice(INVOLVEMENT_METHODS), self.day(sent), response, answered, None, recorder))
            if i % BATCH_STUDENTS == BATCH_STUDENTS - 1:
                self.flush()
                self.tick(BATCH_STUDENTS // 2)
        self.flush()

    # -- summary -------------------------------------------------------------

    def _summary(self) -> DemoSummary:
        plans = {status: 0 for status in STATUSES}
        for st in self.students:
            if st.plan_status is not None:
                plans[st.plan_status] += 1
        counselor, teacher = self.demo["counselor"], self.demo["teacher"]
        nine, three = self.demo["student9"], self.demo["student3"]
        dhs = counselor.school
        sign_ins = [
            DemoSignIn("administrator", "admin", STAFF_SECRET, self.district_admin.full_name,
                       f"district administrator, all {len(self.schools)} schools, {len(self.students)} students"),
            DemoSignIn("administrator", "principal", STAFF_SECRET, dhs.principal.full_name,
                       f"principal, {dhs.name}, {len(dhs.students)} students"),
            DemoSignIn("counselor", "counselor", STAFF_SECRET, counselor.full_name,
                       f"counselor, {dhs.name}, {len(counselor.students)} students, "
                       f"last names {self.ranges.get(counselor.id, '')}"),
            DemoSignIn("teacher", "teacher", STAFF_SECRET, teacher.full_name,
                       f"grade 3 teacher, {teacher.school.name}, {len(teacher.students)} students"),
            DemoSignIn("student", "student9", STUDENT_SECRET, f"{nine.preferred or nine.given} {nine.family}",
                       f"grade 9, {nine.school.name}, SEOP draft partly done"),
            DemoSignIn("student", "student3", STUDENT_SECRET, f"{three.preferred or three.given} {three.family}",
                       f"grade 3, {three.school.name}, SEP draft"),
        ]
        return DemoSummary(
            school_year=self.year.name,
            schools=len(self.schools),
            staff=len(self.staff),
            students=len(self.students),
            guardians=len(self.guardian_rows),
            plans=plans,
            students_without_plan=sum(1 for st in self.students if st.plan_status is None),
            conferences=self.conference_count,
            sign_ins=sign_ins,
        )
