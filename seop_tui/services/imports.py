"""Imports an administrator runs: a OneRoster roster and assessment results.

Everything is checked before anything is written, and written in one
transaction: a file with a problem changes nothing, and the problems name the
file, the line and the field. A check run (`check=True`) does the same work and
then rolls it back, so its summary is exactly what an import would do.

Rows keep their sourcedId (schema m008): the next day's files update the same
people. A student who is to be deleted (or not enabled) is made inactive; no
record is ever deleted. Every student added or changed gets an audit row in the
administrator's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from seop_tui.imports.fields import ImportInvalid, Problem, show
from seop_tui.imports.oneroster import FILES, Person, Roster
from seop_tui.imports.results import ResultLine
from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.services.sign_ins import NO_SIGN_IN
from seop_tui.storage import Store

KINDS = ("schools", "students", "guardians", "staff", "class rosters", "results")
IMPORTED = "import"
Progress = Callable[[int, int], None]


def _in_file_order(p: Problem) -> tuple:
    return (FILES.index(p.file) if p.file in FILES else len(FILES), p.line or 0)


@dataclass
class ImportSummary:
    checked_only: bool
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    student_ids: set[int] = field(default_factory=set)  # students added or changed

    def count(self, kind: str, what: str, n: int = 1) -> None:
        if n:
            self.counts[kind][what] += n

    def lines(self) -> list[str]:
        out = ["Checked only: nothing was written." if self.checked_only else "Imported."]
        for kind in KINDS:
            if kind in self.counts:
                c = self.counts[kind]
                parts = [f"{c[w]} {w}" for w in ("added", "updated", "deactivated", "removed", "unchanged") if c.get(w)]
                out.append(f"  {kind}: {', '.join(parts) or 'none'}")
        if self.skipped:
            out.append(f"Lines skipped ({len(self.skipped)}):")
            out.extend(f"  {p}" for p in sorted(self.skipped, key=_in_file_order)[:50])
            if len(self.skipped) > 50:
                out.append(f"  ... and {len(self.skipped) - 50} more")
        out.extend(self.notes)
        return out


def require_importer(actor: Actor) -> None:
    if actor.role != "administrator":
        raise AccessDenied("Only an administrator can import rosters and results.")


def _current_year(conn) -> tuple[int, int]:
    row = conn.execute("SELECT id, starts_on FROM school_years ORDER BY is_current DESC, starts_on DESC LIMIT 1").fetchone()
    if row is None:
        raise LookupError("No school year is set up yet. An administrator must add one before importing.")
    return row[0], int(row[1][:4])


# -- roster ------------------------------------------------------------------------------


def import_roster(
    store: Store, actor: Actor, roster: Roster, *, source: str, check: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Add or update schools, people and class rosters from a parsed roster.

    Raises ImportInvalid (nothing written) when the files do not fit what is on file."""
    require_importer(actor)
    summary = ImportSummary(checked_only=check, skipped=list(roster.skipped))
    with store.write(check_only=check):
        _RosterWrite(store.conn, actor, roster, summary, progress).run()
        _audit(store, actor, summary, f"roster import: {source}")
    return summary


def _audit(store: Store, actor: Actor, summary: ImportSummary, what: str) -> None:
    """A row for each student added or changed, and one for the import itself."""
    audit.record_many(store.conn, actor, "change", sorted(summary.student_ids), what[:200])
    audit.record(store.conn, actor, "change", None, what[:200])


class _RosterWrite:
    """One roster import inside the caller's transaction: resolve, check, then write."""

    def __init__(self, conn, actor: Actor, roster: Roster, summary: ImportSummary, progress: Progress | None):
        self.conn, self.actor, self.roster, self.summary = conn, actor, roster, summary
        self.progress = progress or (lambda done, total: None)
        self.problems: list[Problem] = []
        self.year_id, self.year_start = _current_year(conn)
        self.school_of_org: dict[str, int] = {}  # org sourcedId -> schools.id
        self.student_of: dict[str, int] = {}  # user sourcedId -> students.id
        self.staff_of: dict[str, int] = {}  # user sourcedId -> staff.id
        self.guardian_of: dict[str, int] = {}

    def first(self, *queries: tuple[str, str]):
        """The row the first query to find one finds: by sourcedId, then by number, code or username."""
        for sql, value in queries:
            row = self.conn.execute(sql, (value,)).fetchone()
            if row is not None:
                return row
        return None

    def problem(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def run(self) -> None:
        self.schools()
        self.check_scope()
        self.fail_on_problems()
        # Guardians last: one on file before imports is found through the students who name them.
        order = {"student": 0, "staff": 1, "guardian": 2}
        people = sorted(self.roster.people, key=lambda p: order[p.kind])
        self.named_by = defaultdict(set)  # guardian sourcedId -> sourcedIds of the students linked to them
        for p in people:
            for agent in p.agent_ids:
                if p.kind == "student":
                    self.named_by[agent].add(p.sourced_id)
                else:
                    self.named_by[p.sourced_id].add(agent)
        self.progress(0, len(people))
        for done, person in enumerate(people, 1):
            {"student": self.student, "staff": self.staff, "guardian": self.guardian}[person.kind](person)
            if done % 500 == 0 or done == len(people):
                self.progress(done, len(people))
        self.links()
        self.rosters()
        self.fail_on_problems()

    def fail_on_problems(self) -> None:
        if self.problems:
            raise ImportInvalid(sorted(self.problems, key=_in_file_order))

    # -- schools -------------------------------------------------------------------------

    def schools(self) -> None:
        for sourced_id, school_id in self.conn.execute("SELECT sourced_id, id FROM schools WHERE sourced_id IS NOT NULL"):
            self.school_of_org[sourced_id] = school_id
        grades = defaultdict(list)  # org sourcedId -> grades of its students in the file
        for p in self.roster.people:
            if p.kind == "student" and p.org_ids:
                grades[p.org_ids[0]].append(p.grade)
        for s in self.roster.schools:
            row = self.first(
                ("SELECT id, name, code, sourced_id, low_grade, high_grade FROM schools WHERE sourced_id = ?", s.sourced_id),
                ("SELECT id, name, code, sourced_id, low_grade, high_grade FROM schools WHERE code = ? AND sourced_id IS NULL", s.code),
            )
            if row is not None:
                if row["code"] != s.code and self.conn.execute("SELECT 1 FROM schools WHERE code = ? AND id != ?", (s.code, row["id"])).fetchone():
                    self.problem("orgs.csv", s.line, f"identifier {show(s.code)} is the code of another school on file")
                    continue
                # A school's grades widen to take in its students in the file (a roster after
                # the year's rollover has students a grade up).
                found = grades.get(s.sourced_id, [])
                low, high = min([row["low_grade"], *found]), max([row["high_grade"], *found])
                now = (s.name, s.code, s.sourced_id, low, high)
                changed = tuple(row)[1:] != now
                if changed:
                    self.conn.execute(
                        "UPDATE schools SET name = ?, code = ?, sourced_id = ?, low_grade = ?, high_grade = ? WHERE id = ?", (*now, row["id"])
                    )
                self.summary.count("schools", "updated" if changed else "unchanged")
                self.school_of_org[s.sourced_id] = row["id"]
                continue
            if not s.active:
                self.summary.skipped.append(Problem("orgs.csv", s.line, "a school to be deleted that is not on file"))
                continue
            found = grades.get(s.sourced_id)
            if not found:
                self.summary.skipped.append(Problem("orgs.csv", s.line, "a new school with no students in users.csv (its grades are not known)"))
                continue
            low, high = min(found), max(found)
            kind = "high" if low >= 9 else "middle" if low >= 6 else "elementary"
            self.school_of_org[s.sourced_id] = self.conn.execute(
                "INSERT INTO schools (code, name, kind, low_grade, high_grade, sourced_id) VALUES (?, ?, ?, ?, ?, ?)",
                (s.code, s.name, kind, low, high, s.sourced_id),
            ).lastrowid
            self.summary.count("schools", "added")

    def school_for(self, person: Person) -> int | None:
        return next((self.school_of_org[o] for o in person.org_ids if o in self.school_of_org), None)

    def check_scope(self) -> None:
        """A school's administrator imports only their own school's people."""
        mine = self.actor.school_id
        if mine is None:
            return
        for s in self.roster.schools:
            if self.school_of_org.get(s.sourced_id, mine) != mine:
                raise AccessDenied(f"orgs.csv line {s.line}: that is another school; you may import only your own school.")
        for p in self.roster.people:
            school = self.school_for(p)
            if school is not None and school != mine:
                raise AccessDenied(f"users.csv line {p.line}: that person is at another school; you may import only your own school.")
        if self.summary.counts["schools"].get("added"):
            raise AccessDenied("Only a district administrator can add schools.")

    # -- people ---------------------------------------------------------------------------

    def student(self, p: Person) -> None:
        school = self.school_for(p)
        if school is None:
            self.problem("users.csv", p.line, f"orgSourcedIds {show(','.join(p.org_ids))} names no school in orgs.csv or on file")
            return
        row = self.first(
            ("SELECT * FROM students WHERE sourced_id = ?", p.sourced_id),
            ("SELECT * FROM students WHERE student_number = ? AND sourced_id IS NULL", p.number),
        )
        other = self.conn.execute("SELECT sourced_id FROM students WHERE student_number = ? AND id IS NOT ?", (p.number, row["id"] if row else None)).fetchone()
        if other is not None:
            self.problem("users.csv", p.line, f"identifier {show(p.number)} is the student number of another student on file")
            return
        values = {
            "student_number": p.number, "given_name": p.given_name, "family_name": p.family_name, "grade": p.grade,
            "school_id": school, "active": int(p.active), "sourced_id": p.sourced_id,
        }
        if self.roster.version == "1.2":  # 1.1 has no preferred names: keep what the app holds
            values["preferred_name"] = p.preferred_name or None
        if row is None:
            values.update(cohort_year=self.year_start + 9 - p.grade, updated_at=now_utc())
            columns = ", ".join(values)
            sid = self.conn.execute(f"INSERT INTO students ({columns}) VALUES ({', '.join('?' * len(values))})", tuple(values.values())).lastrowid
            self.summary.count("students", "added")
        else:
            sid = row["id"]
            changed = {k: v for k, v in values.items() if row[k] != v}
            if "grade" in changed:
                changed["cohort_year"] = self.year_start + 9 - p.grade
            if "school_id" in changed and row["counselor_id"] is not None:
                changed["counselor_id"] = None  # their counselor works at the school they left
            if changed:
                changed["updated_at"] = now_utc()
                sets = ", ".join(f"{k} = ?" for k in changed)
                self.conn.execute(f"UPDATE students SET {sets} WHERE id = ?", (*changed.values(), sid))
                if "active" in changed and row["account_id"] is not None:
                    # enabledUser is the sign-in's switch: a student who left cannot sign in.
                    self.conn.execute("UPDATE accounts SET active = ? WHERE id = ?", (changed["active"], row["account_id"]))
                self.summary.count("students", "deactivated" if changed.get("active") == 0 else "updated")
            else:
                self.summary.count("students", "unchanged")
        if (row is None or row["account_id"] is None) and p.username:
            self.student_account(sid, p)
        if row is None or changed:
            self.summary.student_ids.add(sid)
        self.student_of[p.sourced_id] = sid

    def student_account(self, sid: int, p: Person) -> None:
        """The roster's username for a student who has no account yet; it signs in once
        given a first PIN (seop admin issue-sign-ins). A username that is not usable or
        is taken is skipped: issue-sign-ins names such a student by their number."""
        from seop_tui.services.accounts import AccountError, check_username

        try:
            username = check_username(p.username)
        except AccountError:
            return
        if self.conn.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
            return
        account = self.conn.execute(
            "INSERT INTO accounts (username, role, secret_hash, must_change_secret, active, created_at) VALUES (?, 'student', ?, 1, ?, ?)",
            (username, NO_SIGN_IN, int(p.active), now_utc()),
        ).lastrowid
        self.conn.execute("UPDATE students SET account_id = ? WHERE id = ?", (account, sid))
        self.note_first_sign_ins(p.active)

    def note_first_sign_ins(self, active: bool) -> None:
        if active and not any(n.startswith("New accounts") for n in self.summary.notes):
            self.summary.notes.append("New accounts sign in once given a first PIN or password: seop admin issue-sign-ins --sheet FILE")

    def staff(self, p: Person) -> None:
        school = self.school_for(p)
        if school is None:
            why = "district administrators are set up with `seop admin create-user`" if p.role == "administrator" else "no school in orgs.csv or on file"
            self.summary.skipped.append(Problem("users.csv", p.line, f"{p.role} {show(p.username)}: {why}"))
            return
        select = "SELECT s.*, a.username, a.active AS account_active FROM staff s LEFT JOIN accounts a ON a.id = s.account_id"
        row = self.first(
            (f"{select} WHERE s.sourced_id = ?", p.sourced_id),
            (f"{select} WHERE a.username = ? AND s.sourced_id IS NULL", p.username),
        )
        taken = self.conn.execute("SELECT id FROM accounts WHERE username = ? AND id IS NOT ?", (p.username, row["account_id"] if row else None)).fetchone()
        if taken is not None:
            self.problem("users.csv", p.line, f"username {show(p.username)} belongs to another account")
            return
        values = {"given_name": p.given_name, "family_name": p.family_name, "role": p.role, "school_id": school, "email": p.email or None, "sourced_id": p.sourced_id}
        if row is None:
            from seop_tui.services.accounts import AccountError, check_username

            try:
                check_username(p.username)
            except AccountError as exc:
                self.problem("users.csv", p.line, f"username {show(p.username)}: {exc}")
                return
            account = self.conn.execute(
                "INSERT INTO accounts (username, role, secret_hash, must_change_secret, active, created_at) VALUES (?, ?, ?, 1, ?, ?)",
                (p.username, p.role, NO_SIGN_IN, int(p.active), now_utc()),
            ).lastrowid
            values["account_id"] = account
            columns = ", ".join(values)
            staff_id = self.conn.execute(f"INSERT INTO staff ({columns}) VALUES ({', '.join('?' * len(values))})", tuple(values.values())).lastrowid
            self.summary.count("staff", "added")
            self.note_first_sign_ins(p.active)
        else:
            staff_id = row["id"]
            changed = {k: v for k, v in values.items() if row[k] != v}
            if changed:
                sets = ", ".join(f"{k} = ?" for k in changed)
                self.conn.execute(f"UPDATE staff SET {sets} WHERE id = ?", (*changed.values(), staff_id))
            deactivated = row["account_active"] == 1 and not p.active
            if row["account_id"] is not None and (row["account_active"] != int(p.active) or row["role"] != p.role):
                self.conn.execute("UPDATE accounts SET active = ?, role = ? WHERE id = ?", (int(p.active), p.role, row["account_id"]))
                changed = changed or {"active": p.active}
            self.summary.count("staff", "deactivated" if deactivated else "updated" if changed else "unchanged")
        self.staff_of[p.sourced_id] = staff_id

    def guardian(self, p: Person) -> None:
        row = self.conn.execute("SELECT * FROM guardians WHERE sourced_id = ?", (p.sourced_id,)).fetchone() or self.guardian_on_file(p)
        if not p.active:
            self.summary.skipped.append(Problem("users.csv", p.line, "a parent or guardian to be deleted: kept as on file"))
            if row is not None:
                self.guardian_of[p.sourced_id] = row["id"]
            return
        values = {"given_name": p.given_name, "family_name": p.family_name, "email": p.email or None, "phone": p.phone or None, "sourced_id": p.sourced_id}
        if row is None:
            columns = ", ".join(values)
            gid = self.conn.execute(f"INSERT INTO guardians ({columns}) VALUES ({', '.join('?' * len(values))})", tuple(values.values())).lastrowid
            self.summary.count("guardians", "added")
        else:
            gid = row["id"]
            changed = {k: v for k, v in values.items() if row[k] != v}
            if changed:
                sets = ", ".join(f"{k} = ?" for k in changed)
                self.conn.execute(f"UPDATE guardians SET {sets} WHERE id = ?", (*changed.values(), gid))
            self.summary.count("guardians", "updated" if changed else "unchanged")
        self.guardian_of[p.sourced_id] = gid

    def guardian_on_file(self, p: Person):
        """A guardian entered before imports (no sourcedId): the one of that name linked to a
        student who names them, so the first import does not add them a second time."""
        students = [i for i in (self._on_file("students", s, self.student_of) for s in sorted(self.named_by[p.sourced_id])) if i]
        if not students:
            return None
        marks = ",".join("?" * len(students))
        return self.conn.execute(
            "SELECT g.* FROM guardians g JOIN student_guardians sg ON sg.guardian_id = g.id"
            f" WHERE sg.student_id IN ({marks}) AND g.sourced_id IS NULL AND lower(g.given_name) = lower(?)"
            " AND lower(g.family_name) = lower(?) ORDER BY g.id LIMIT 1",
            (*students, p.given_name, p.family_name),
        ).fetchone()

    def _on_file(self, table: str, sourced_id: str, known: dict[str, int]) -> int | None:
        if sourced_id not in known:
            row = self.conn.execute(f"SELECT id FROM {table} WHERE sourced_id = ?", (sourced_id,)).fetchone()
            if row is None:
                return None
            known[sourced_id] = row[0]
        return known[sourced_id]

    def links(self) -> None:
        """Students and their parents or guardians, named either way round by agentSourcedIds."""
        relationship = {p.sourced_id: p.role for p in self.roster.people if p.kind == "guardian"}
        for p in self.roster.people:
            if p.kind not in ("student", "guardian") or not p.agent_ids:
                continue
            for agent in p.agent_ids:
                if p.kind == "student":
                    pair = (self.student_of.get(p.sourced_id), self._on_file("guardians", agent, self.guardian_of))
                    what = "parent or guardian"
                else:
                    pair = (self._on_file("students", agent, self.student_of), self.guardian_of.get(p.sourced_id))
                    what = "student"
                if pair[1 if p.kind == "student" else 0] is None:
                    self.problem("users.csv", p.line, f"agentSourcedIds {show(agent)} is no {what} in users.csv or on file")
                    continue
                if None in pair:
                    continue  # this line's own row was refused or kept out; said above
                role = relationship.get(agent if p.kind == "student" else p.sourced_id, "guardian")
                cursor = self.conn.execute(
                    "INSERT INTO student_guardians (student_id, guardian_id, relationship) VALUES (?, ?, ?)"
                    " ON CONFLICT (student_id, guardian_id) DO NOTHING",
                    (*pair, role),
                )
                if cursor.rowcount:
                    self.summary.student_ids.add(pair[0])

    # -- class rosters -----------------------------------------------------------------------

    def rosters(self) -> None:
        """Each class's teachers see its students this school year."""
        if not self.roster.enrollments and self.roster.class_ids is None:
            return
        classes: dict[str, dict[tuple[str, bool], set[int]]] = defaultdict(lambda: defaultdict(set))
        teachers_named: set[int] = set()
        for e in self.roster.enrollments:
            table, known = ("staff", self.staff_of) if e.role == "teacher" else ("students", self.student_of)
            person = self._on_file(table, e.user_id, known)
            if person is None:
                self.problem("enrollments.csv", e.line, f"userSourcedId {show(e.user_id)} is no {e.role} in users.csv or on file")
                continue
            if e.role == "teacher":
                teachers_named.add(person)
            classes[e.class_id][(e.role, e.active)].add(person)
        keep: set[tuple[int, int]] = set()
        gone: set[tuple[int, int]] = set()
        for m in classes.values():
            keep.update((t, s) for t in m[("teacher", True)] for s in m[("student", True)])
            teachers, students = m[("teacher", True)] | m[("teacher", False)], m[("student", True)] | m[("student", False)]
            gone.update((t, s) for t in teachers for s in students)
        gone -= keep
        if self.roster.enrollments_in_full and teachers_named:
            # A full file: a named teacher's classes are exactly those in it this year.
            marks = ",".join("?" * len(teachers_named))
            for t, s in self.conn.execute(
                f"SELECT teacher_id, student_id FROM class_rosters WHERE school_year_id = ? AND teacher_id IN ({marks})",
                (self.year_id, *teachers_named),
            ):
                if (t, s) not in keep:
                    gone.add((t, s))
        existing = {
            (t, s) for t, s in self.conn.execute("SELECT teacher_id, student_id FROM class_rosters WHERE school_year_id = ?", (self.year_id,))
        }
        added = sorted(keep - existing)
        removed = sorted(gone & existing)
        self.conn.executemany(
            "INSERT INTO class_rosters (teacher_id, student_id, school_year_id) VALUES (?, ?, ?)", [(t, s, self.year_id) for t, s in added]
        )
        self.conn.executemany(
            "DELETE FROM class_rosters WHERE teacher_id = ? AND student_id = ? AND school_year_id = ?", [(t, s, self.year_id) for t, s in removed]
        )
        self.summary.count("class rosters", "added", len(added))
        self.summary.count("class rosters", "removed", len(removed))
        self.summary.count("class rosters", "unchanged", len(keep & existing))


# -- assessment results ------------------------------------------------------------------


def import_results(
    store: Store, ref: Reference, actor: Actor, lines: list[ResultLine], *, source: str, check: bool = False,
    today: date | None = None, progress: Progress | None = None, problems: list[Problem] | None = None,
) -> ImportSummary:
    """Add results, or replace the one on file for the same student, assessment, subject and grade.

    `problems` already found reading the file are reported with those found here."""
    require_importer(actor)
    summary = ImportSummary(checked_only=check)
    with store.write(check_only=check):
        rows = _checked_results(store.conn, ref, actor, lines, list(problems or []), today, progress or (lambda done, total: None))
        _write_results(store.conn, rows, summary)
        _audit(store, actor, summary, f"assessment results import: {source}")
    return summary


def _checked_results(conn, ref: Reference, actor: Actor, lines: list[ResultLine], problems: list[Problem], today, progress: Progress) -> list[tuple]:
    """(line, student id, CheckedResult, school year id) for every line; ImportInvalid if any is wrong."""
    from seop_tui.services.conferences import EntryError
    from seop_tui.services.progress_entry import check_result

    years = conn.execute("SELECT id, starts_on, ends_on FROM school_years").fetchall()
    current, _ = _current_year(conn)
    rows = []
    progress(0, len(lines))
    for done, r in enumerate(lines, 1):
        if done % 1000 == 0 or done == len(lines):
            progress(done, len(lines))
        student = conn.execute("SELECT id, grade, school_id FROM students WHERE student_number = ?", (r.student_number,)).fetchone()
        if student is None:
            problems.append(Problem(r.file, r.line, f"student_number {show(r.student_number)} is no student on file"))
            continue
        if actor.school_id is not None and student["school_id"] != actor.school_id:
            problems.append(Problem(r.file, r.line, f"student_number {show(r.student_number)} is at another school, outside your access"))
            continue
        try:
            checked = check_result(
                ref, student["grade"], assessment_code=r.assessment, subject=r.subject, grade=r.grade,
                level=r.level, scale_score=r.scale_score, taken_on=r.taken_on, today=today,
            )
        except EntryError as exc:
            problems.append(Problem(r.file, r.line, _about_column(r, exc)))
            continue
        year = current
        if checked.taken_on is not None:
            day = checked.taken_on.isoformat()
            year = next((y["id"] for y in years if y["starts_on"] <= day <= y["ends_on"]), None)
            if year is None:
                problems.append(Problem(r.file, r.line, f"test_date {day} is not inside a school year on file"))
                continue
        rows.append((r, student["id"], checked, year))
    seen: dict[tuple, int] = {}
    for r, sid, c, _ in rows:
        key = (sid, c.test.code, c.subject.code, c.grade)
        if key in seen:
            problems.append(Problem(r.file, r.line, f"the same student, assessment, subject and grade as line {seen[key]}"))
        seen.setdefault(key, r.line)
    if problems:
        raise ImportInvalid(sorted(problems, key=lambda p: p.line or 0))
    return rows


def _about_column(r: ResultLine, exc: Exception) -> str:
    """The staff-entry rule's message, led by the file's column (and its value) it is about."""
    field = getattr(exc, "field", "")
    column = {"grade": "grade_tested", "taken_on": "test_date"}.get(field, field)
    value = {"assessment": r.assessment, "subject": r.subject, "level": r.level, "scale_score": r.scale_score}.get(field)
    named = f"{column} {show(value)}" if value else column
    return f"{named}: {exc}" if column else str(exc)


def _write_results(conn, rows: list[tuple], summary: ImportSummary) -> None:
    for r, sid, c, year in rows:
        values = (year, c.level, c.scale_score, c.taken_on.isoformat() if c.taken_on else None)
        old = conn.execute(
            "SELECT id, school_year_id, level, scale_score, taken_on FROM assessment_results"
            " WHERE student_id = ? AND assessment = ? AND subject = ? AND grade = ?",
            (sid, c.test.code, c.subject.code, c.grade),
        ).fetchone()
        if old is None:
            conn.execute(
                "INSERT INTO assessment_results (student_id, school_year_id, assessment, subject, grade, level, scale_score, taken_on, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sid, year, c.test.code, c.subject.code, c.grade, *values[1:], IMPORTED),
            )
            summary.count("results", "added")
        elif tuple(old)[1:] != values:
            conn.execute(
                "UPDATE assessment_results SET school_year_id = ?, level = ?, scale_score = ?, taken_on = ?, source = ? WHERE id = ?",
                (*values, IMPORTED, old["id"]),
            )
            summary.count("results", "updated")
        else:
            summary.count("results", "unchanged")
            continue
        summary.student_ids.add(sid)


# -- after an import ----------------------------------------------------------------------


def after_import(store: Store, ref: Reference, progress: Progress | None = None) -> int:
    """Merge the search index and keep every student's compliance results, so the first
    search and report after an import are fast. Returns how many results were worked out."""
    from seop_tui.services.caseload import merge_search_index
    from seop_tui.services.compliance import keep_all_results

    merge_search_index(store)
    return keep_all_results(store, ref, progress=progress)
