"""Schema migrations. Every change to the schema is a new migration at the end;
an applied migration is never edited. SCHEMA_VERSION is stamped into
PRAGMA user_version so an older app can refuse a newer database; it is the
number of migrations.

Dates are ISO 8601 text; times are UTC ISO 8601 text. Grades are integers,
0 for kindergarten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations


class _Registry:
    """Collects migrations in order without importing sqlite-utils at start-up.

    `@APP_MIGRATIONS()` registers a function; `migrations()` hands them to
    sqlite-utils' Migrations, which applies the pending ones and records them.
    """

    def __init__(self, name: str):
        self.name = name
        self.functions: list[Callable[[Database], None]] = []

    def __call__(self) -> Callable:
        def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            self.functions.append(fn)
            return fn

        return register

    def migrations(self) -> Migrations:
        from sqlite_utils.migrations import Migrations

        migrations = Migrations(self.name)
        for fn in self.functions:
            migrations()(fn)
        return migrations


APP_MIGRATIONS = _Registry("seop")


def __getattr__(name: str) -> int:
    # Computed on use, so migrations appended below are always counted.
    if name == "SCHEMA_VERSION":
        return len(APP_MIGRATIONS.functions)
    raise AttributeError(name)


def _fk(*pairs: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [(column, table, "id") for column, table in pairs]


@APP_MIGRATIONS()
def m001_core(db: Database) -> None:
    db["district"].create({"id": int, "name": str, "state": str}, pk="id", not_null={"name"})
    db["schools"].create(
        {
            "id": int,
            "code": str,
            "name": str,
            "kind": str,  # elementary | middle | high
            "low_grade": int,
            "high_grade": int,
        },
        pk="id",
        not_null={"code", "name", "kind", "low_grade", "high_grade"},
    )
    db["schools"].create_index(["code"], unique=True)
    db["school_years"].create(
        {"id": int, "name": str, "starts_on": str, "ends_on": str, "is_current": int},
        pk="id",
        not_null={"name", "starts_on", "ends_on"},
        defaults={"is_current": 0},
    )
    db["school_years"].create_index(["name"], unique=True)

    # Everyone who signs in. Students and staff each have one account.
    db["accounts"].create(
        {
            "id": int,
            "username": str,
            "role": str,  # student | teacher | counselor | administrator
            "secret_hash": str,  # Argon2id, PHC string
            "must_change_secret": int,
            "active": int,
            "failed_count": int,
            "throttled_until": str,
            "last_sign_in": str,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "role", "secret_hash"},
        defaults={"must_change_secret": 0, "active": 1, "failed_count": 0},
    )
    db["accounts"].create_index(["username"], unique=True)

    db["staff"].create(
        {
            "id": int,
            "account_id": int,
            "given_name": str,
            "family_name": str,
            "role": str,  # teacher | counselor | administrator
            "school_id": int,  # empty for district-wide staff
            "email": str,
        },
        pk="id",
        not_null={"given_name", "family_name", "role"},
        foreign_keys=_fk(("account_id", "accounts"), ("school_id", "schools")),
    )
    db["staff"].create_index(["account_id"], unique=True)
    db["staff"].create_index(["school_id", "role"])

    db["students"].create(
        {
            "id": int,
            "account_id": int,
            "student_number": str,
            "given_name": str,
            "family_name": str,
            "preferred_name": str,
            "birth_date": str,
            "grade": int,
            "school_id": int,
            "counselor_id": int,
            "cohort_year": int,  # school year (start) the student entered or enters grade 9
            "active": int,
            "updated_at": str,
        },
        pk="id",
        not_null={"student_number", "given_name", "family_name", "grade", "school_id"},
        defaults={"active": 1},
        foreign_keys=_fk(("account_id", "accounts"), ("school_id", "schools"), ("counselor_id", "staff")),
    )
    db["students"].create_index(["student_number"], unique=True)
    db["students"].create_index(["account_id"], unique=True)
    db["students"].create_index(["school_id", "grade"])
    db["students"].create_index(["counselor_id"])
    db["students"].create_index(["family_name", "given_name"])

    db["guardians"].create(
        {"id": int, "given_name": str, "family_name": str, "email": str, "phone": str, "preferred_language": str},
        pk="id",
        not_null={"given_name", "family_name"},
    )
    db["student_guardians"].create(
        {"student_id": int, "guardian_id": int, "relationship": str, "lives_with": int},
        pk=("student_id", "guardian_id"),
        foreign_keys=_fk(("student_id", "students"), ("guardian_id", "guardians")),
    )
    db["student_guardians"].create_index(["guardian_id"])

    # A teacher's class (elementary homeroom, or a secondary advisory/class).
    db["class_rosters"].create(
        {"teacher_id": int, "student_id": int, "school_year_id": int},
        pk=("teacher_id", "student_id", "school_year_id"),
        foreign_keys=_fk(("teacher_id", "staff"), ("student_id", "students"), ("school_year_id", "school_years")),
    )
    db["class_rosters"].create_index(["student_id"])

    # -- the plan ------------------------------------------------------------
    db["plans"].create(
        {
            "id": int,
            "student_id": int,
            "school_year_id": int,
            "kind": str,  # SEP | SEOP
            "grade": int,
            "status": str,  # draft | submitted | changes_requested | finalized
            "version": int,  # bumped on every change: stale edits are refused
            "created_at": str,
            "updated_at": str,
            "updated_by": int,
            "submitted_at": str,
            "finalized_at": str,
            "finalized_by": int,
        },
        pk="id",
        not_null={"student_id", "school_year_id", "kind", "grade", "status", "version"},
        defaults={"status": "draft", "version": 1},
        foreign_keys=_fk(
            ("student_id", "students"),
            ("school_year_id", "school_years"),
            ("updated_by", "accounts"),
            ("finalized_by", "staff"),
        ),
    )
    db["plans"].create_index(["student_id", "school_year_id"], unique=True)
    db["plans"].create_index(["school_year_id", "status"])

    # Every finalized version of a plan, kept whole so it stays viewable.
    db["plan_versions"].create(
        {"id": int, "plan_id": int, "version": int, "snapshot": str, "finalized_by": int, "finalized_at": str},
        pk="id",
        not_null={"plan_id", "version", "snapshot"},
        foreign_keys=_fk(("plan_id", "plans"), ("finalized_by", "staff")),
    )
    db["plan_versions"].create_index(["plan_id", "version"], unique=True)

    db["plan_comments"].create(
        {"id": int, "plan_id": int, "section": str, "author_id": int, "body": str, "created_at": str, "resolved_at": str},
        pk="id",
        not_null={"plan_id", "section", "author_id", "body", "created_at"},
        foreign_keys=_fk(("plan_id", "plans"), ("author_id", "accounts")),
    )
    db["plan_comments"].create_index(["plan_id"])

    # Interest inventory: one attempt per sitting; retakes keep the history.
    db["inventory_attempts"].create(
        {
            "id": int,
            "student_id": int,
            "plan_id": int,
            "inventory": str,
            "started_at": str,
            "completed_at": str,
            "scores": str,  # JSON {area: score}
            "holland_code": str,
        },
        pk="id",
        not_null={"student_id", "started_at"},
        foreign_keys=_fk(("student_id", "students"), ("plan_id", "plans")),
    )
    db["inventory_attempts"].create_index(["student_id"])
    db["inventory_answers"].create(
        {"attempt_id": int, "item_id": str, "value": int, "answered_at": str},
        pk=("attempt_id", "item_id"),
        not_null={"value"},
        foreign_keys=_fk(("attempt_id", "inventory_attempts")),
    )

    # Strengths and areas needing attention.
    db["strengths"].create(
        {
            "id": int,
            "plan_id": int,
            "kind": str,  # strength | needs_attention
            "text": str,
            "from_list": int,  # 1 when picked from the suggested list
            "position": int,
            "created_at": str,
        },
        pk="id",
        not_null={"plan_id", "kind", "text"},
        defaults={"from_list": 0, "position": 0},
        foreign_keys=_fk(("plan_id", "plans")),
    )
    db["strengths"].create_index(["plan_id"])

    db["goals"].create(
        {
            "id": int,
            "plan_id": int,
            "kind": str,  # education | career | career_awareness
            "text": str,
            "steps": str,
            "target_date": str,
            "status": str,  # not_started | in_progress | met | changed
            "monitors": str,  # JSON list: student, parent, teacher, counselor
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"plan_id", "kind", "text", "status"},
        defaults={"status": "not_started", "monitors": "[]"},
        foreign_keys=_fk(("plan_id", "plans")),
    )
    db["goals"].create_index(["plan_id"])
    db["goal_updates"].create(
        {"id": int, "goal_id": int, "author_id": int, "status": str, "note": str, "created_at": str},
        pk="id",
        not_null={"goal_id", "created_at"},
        foreign_keys=_fk(("goal_id", "goals"), ("author_id", "accounts")),
    )
    db["goal_updates"].create_index(["goal_id"])

    # Cluster and pathway choices; the latest is current, earlier ones are history.
    db["cluster_choices"].create(
        {
            "id": int,
            "student_id": int,
            "plan_id": int,
            "framework": str,
            "cluster_code": str,
            "pathway_code": str,
            "grade": int,
            "chosen_on": str,
            "chosen_by": int,
        },
        pk="id",
        not_null={"student_id", "cluster_code", "grade", "chosen_on"},
        foreign_keys=_fk(("student_id", "students"), ("plan_id", "plans"), ("chosen_by", "accounts")),
    )
    db["cluster_choices"].create_index(["student_id"])

    # The four-year course plan belongs to the student and carries across years.
    db["course_plan_entries"].create(
        {"id": int, "student_id": int, "course_code": str, "grade": int, "term": str, "added_at": str, "added_by": int},
        pk="id",
        not_null={"student_id", "course_code", "grade"},
        foreign_keys=_fk(("student_id", "students"), ("added_by", "accounts")),
    )
    db["course_plan_entries"].create_index(["student_id", "course_code", "grade"], unique=True)

    db["postsecondary_plans"].create(
        {
            "plan_id": int,
            "education_choice": str,  # university | technical_college | two_year_college | apprenticeship | military | work
            "institution": str,
            "program": str,
            "occupations": str,
            "next_steps": str,
            "updated_at": str,
        },
        pk="plan_id",
        foreign_keys=_fk(("plan_id", "plans")),
    )

    db["early_graduation_plans"].create(
        {
            "id": int,
            "student_id": int,
            "declared_on": str,
            "target_grade": int,
            "target_term": str,  # fall | spring
            "reason": str,
            "student_approved_on": str,
            "parent_approved_on": str,
            "official_approved_on": str,
            "official_id": int,
            "withdrawn_on": str,
        },
        pk="id",
        not_null={"student_id", "declared_on", "target_grade", "target_term"},
        foreign_keys=_fk(("student_id", "students"), ("official_id", "staff")),
    )
    db["early_graduation_plans"].create_index(["student_id"])

    db["accomplishments"].create(
        {
            "id": int,
            "student_id": int,
            "kind": str,  # award | activity | service | work | other
            "title": str,
            "description": str,
            "occurred_on": str,
            "hours": float,
            "entered_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"student_id", "kind", "title"},
        foreign_keys=_fk(("student_id", "students"), ("entered_by", "accounts")),
    )
    db["accomplishments"].create_index(["student_id"])

    # -- progress data -------------------------------------------------------
    db["assessment_results"].create(
        {
            "id": int,
            "student_id": int,
            "school_year_id": int,
            "assessment": str,  # RISE | ASPIRE | ACT
            "subject": str,
            "grade": int,
            "level": int,  # 1..4 proficiency level
            "scale_score": int,
            "taken_on": str,
            "source": str,  # import | entered
        },
        pk="id",
        not_null={"student_id", "assessment", "subject", "grade"},
        foreign_keys=_fk(("student_id", "students"), ("school_year_id", "school_years")),
    )
    db["assessment_results"].create_index(["student_id"])

    db["credits_earned"].create(
        {
            "id": int,
            "student_id": int,
            "course_code": str,
            "course_name": str,
            "area": str,
            "subarea": str,
            "credits": float,
            "grade": int,
            "school_year": str,
            "term": str,
            "mark": str,
            "source": str,
        },
        pk="id",
        not_null={"student_id", "course_name", "area", "credits", "grade"},
        foreign_keys=_fk(("student_id", "students")),
    )
    db["credits_earned"].create_index(["student_id"])

    db["progress_notes"].create(
        {"id": int, "student_id": int, "school_year_id": int, "author_id": int, "subject": str, "note": str, "created_at": str},
        pk="id",
        not_null={"student_id", "note", "created_at"},
        foreign_keys=_fk(("student_id", "students"), ("school_year_id", "school_years"), ("author_id", "accounts")),
    )
    db["progress_notes"].create_index(["student_id"])

    # -- conferences and parent involvement -----------------------------------
    db["conferences"].create(
        {
            "id": int,
            "school_year_id": int,
            "kind": str,  # individual | small_group | parent_requested
            "held_on": str,
            "duration_minutes": int,
            "location": str,
            "notes": str,
            "follow_ups": str,
            "recorded_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"school_year_id", "kind", "held_on"},
        foreign_keys=_fk(("school_year_id", "school_years"), ("recorded_by", "accounts")),
    )
    db["conferences"].create_index(["school_year_id"])
    # The students a conference counts for (several for a small group).
    db["conference_students"].create(
        {"conference_id": int, "student_id": int, "student_attended": int},
        pk=("conference_id", "student_id"),
        defaults={"student_attended": 1},
        foreign_keys=_fk(("conference_id", "conferences"), ("student_id", "students")),
    )
    db["conference_students"].create_index(["student_id"])
    # Who else was there: each guardian and each staff member.
    db["conference_attendees"].create(
        {"id": int, "conference_id": int, "guardian_id": int, "staff_id": int, "other_name": str},
        pk="id",
        not_null={"conference_id"},
        foreign_keys=_fk(("conference_id", "conferences"), ("guardian_id", "guardians"), ("staff_id", "staff")),
    )
    db["conference_attendees"].create_index(["conference_id"])

    db["parent_involvement"].create(
        {
            "id": int,
            "student_id": int,
            "school_year_id": int,
            "guardian_id": int,
            "purpose": str,  # e.g. conference invitation, plan review
            "method": str,  # letter | email | phone | text | in_person | portal
            "sent_on": str,
            "response": str,  # pending | accepted | declined | no_response
            "responded_on": str,
            "notes": str,
            "recorded_by": int,
        },
        pk="id",
        not_null={"student_id", "school_year_id", "method", "sent_on"},
        defaults={"response": "pending"},
        foreign_keys=_fk(
            ("student_id", "students"),
            ("school_year_id", "school_years"),
            ("guardian_id", "guardians"),
            ("recorded_by", "accounts"),
        ),
    )
    db["parent_involvement"].create_index(["student_id"])

    db["staff_training"].create(
        {"id": int, "staff_id": int, "training": str, "completed_on": str, "hours": float, "notes": str},
        pk="id",
        not_null={"staff_id", "training", "completed_on"},
        foreign_keys=_fk(("staff_id", "staff")),
    )
    db["staff_training"].create_index(["staff_id"])

    # -- audit ---------------------------------------------------------------
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "account_id": int,
            "role": str,
            "action": str,  # view | change | export | print | sign_in | sign_in_failed | ...
            "student_id": int,
            "what": str,
            "terminal": str,
        },
        pk="id",
        not_null={"at", "action"},
    )
    db["audit_log"].create_index(["student_id", "at"])
    db["audit_log"].create_index(["account_id", "at"])



@APP_MIGRATIONS()
def m002_sign_in_throttle_and_privacy_requests(db: Database) -> None:
    # Failed sign-ins counted per username typed, whether or not such an account exists,
    # so the answer (and any wait) is the same either way. Supersedes
    # accounts.failed_count / accounts.throttled_until, which are no longer used.
    db["sign_in_throttle"].create(
        {"username": str, "failed_count": int, "throttled_until": str, "last_failed_at": str},
        pk="username",
        not_null={"failed_count", "last_failed_at"},
        defaults={"failed_count": 0},
    )
    db["sign_in_throttle"].create_index(["last_failed_at"])

    # FERPA: a parent's (or eligible student's) request to inspect the record, due
    # within 45 days; a record with an open request may not be destroyed.
    db["inspection_requests"].create(
        {
            "id": int,
            "student_id": int,
            "requested_by": str,  # the person who asked, as they gave their name
            "relationship": str,  # parent | guardian | eligible_student | other
            "received_on": str,
            "due_on": str,
            "fulfilled_on": str,
            "fulfilled_how": str,  # e.g. "record reviewed in person; JSON and PDF copies given"
            "notes": str,
            "recorded_by": int,
            "fulfilled_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"student_id", "requested_by", "relationship", "received_on", "due_on", "created_at"},
        foreign_keys=_fk(("student_id", "students"), ("recorded_by", "accounts"), ("fulfilled_by", "accounts")),
    )
    db["inspection_requests"].create_index(["student_id"])

    # FERPA: a request to amend the record, and what was decided. When refused, the
    # parent may place a statement in the record (kept with it and shown with it).
    db["amendment_requests"].create(
        {
            "id": int,
            "student_id": int,
            "requested_by": str,
            "relationship": str,
            "received_on": str,
            "record_part": str,  # which part of the record, in the requester's words
            "change_requested": str,
            "outcome": str,  # pending | amended | refused
            "decided_on": str,
            "reason": str,
            "statement": str,
            "recorded_by": int,
            "decided_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"student_id", "requested_by", "relationship", "received_on", "change_requested", "outcome", "created_at"},
        defaults={"outcome": "pending"},
        foreign_keys=_fk(("student_id", "students"), ("recorded_by", "accounts"), ("decided_by", "accounts")),
    )
    db["amendment_requests"].create_index(["student_id"])


@APP_MIGRATIONS()
def m003_student_search(db: Database) -> None:
    # Staff type part of a name or a student number and the caseload narrows at once,
    # even across a whole district: an FTS5 index over the students table, kept current
    # by triggers. remove_diacritics: "jose" finds "José".
    db["students"].enable_fts(
        ["given_name", "family_name", "preferred_name", "student_number"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


@APP_MIGRATIONS()
def m004_compliance_cache(db: Database) -> None:
    # A district compliance report reads every student's record and runs the policy rules
    # per student: tens of seconds at district size. Each student's clause results are kept
    # in compliance_cache with the version of the record they came from; a report recomputes
    # only students whose record changed since (services/compliance.py). The triggers below
    # bump a student's version on every write to anything the rules read, whoever writes it.
    db.execute("CREATE TABLE student_versions (student_id INTEGER PRIMARY KEY, version INTEGER NOT NULL)")
    db.execute(
        "CREATE TABLE compliance_cache (student_id INTEGER NOT NULL, school_year_id INTEGER NOT NULL,"
        " stamp TEXT NOT NULL, results TEXT NOT NULL, PRIMARY KEY (student_id, school_year_id)) WITHOUT ROWID"
    )
    bump = (
        "INSERT INTO student_versions (student_id, version) SELECT student_id, 1 FROM ({}) WHERE student_id IS NOT NULL"
        " ON CONFLICT (student_id) DO UPDATE SET version = version + 1;"
    )
    own = "SELECT {0}.student_id AS student_id"
    of_plan = "SELECT student_id FROM plans WHERE id = {0}.plan_id"
    # Everyone in a conference: its kind, date, group size and who attended count for each.
    in_conference = "SELECT student_id FROM conference_students WHERE conference_id = {0}.conference_id"
    sources = {
        "assessment_results": [own], "progress_notes": [own], "accomplishments": [own], "inventory_attempts": [own],
        "cluster_choices": [own], "course_plan_entries": [own], "credits_earned": [own], "parent_involvement": [own],
        "early_graduation_plans": [own], "student_guardians": [own], "plans": [own],
        "strengths": [of_plan], "goals": [of_plan], "postsecondary_plans": [of_plan],
        "conferences": [in_conference.replace(".conference_id", ".id")],
        "conference_attendees": [in_conference],
        "conference_students": [own, in_conference],
    }
    for table, selects in sources.items():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = " ".join(bump.format(select.format(row)) for row in rows for select in selects)
            columns = " OF student_id, school_year_id" if table == "plans" and event == "UPDATE" else ""
            db.execute(f"CREATE TRIGGER {table}_{event.lower()}_version AFTER {event}{columns} ON {table} BEGIN {body} END")
    db.execute(
        "CREATE TRIGGER students_delete_version AFTER DELETE ON students BEGIN"
        " DELETE FROM compliance_cache WHERE student_id = OLD.id; DELETE FROM student_versions WHERE student_id = OLD.id; END"
    )


def _search_text(row: str) -> str:
    """SQL for one student's searchable words; `row` is NEW, OLD or a table alias."""

    def joined(column: str) -> str:
        # "O'Brien" is indexed as the words o, brien and also obrien; "Smith-Jones" as
        # smith, jones and smithjones: people type names either way.
        value = f"coalesce({row}.{column}, '')"
        for mark in ("'", "’", "-", " ", "."):
            value = f"replace({value}, '{mark.replace(chr(39), chr(39) * 2)}', '')"
        return value

    columns = ("given_name", "family_name", "preferred_name", "student_number")
    parts = [f"coalesce({row}.{c}, '')" for c in columns] + [joined(c) for c in columns]
    return " || ' ' || ".join(parts)


@APP_MIGRATIONS()
def m005_student_search_joined_names(db: Database) -> None:
    # Replaces m003's index, which split "O'Brien" into o + brien so that "obrien" found
    # nothing. One FTS5 row per student (rowid = students.id) holds the names and number,
    # and each again without apostrophes, hyphens, spaces and dots. The update trigger
    # fires only when one of those columns changes.
    db["students"].disable_fts()
    db.execute("CREATE VIRTUAL TABLE student_search USING fts5 (words, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute(f"INSERT INTO student_search (rowid, words) SELECT s.id, {_search_text('s')} FROM students s")
    db.execute(
        "CREATE TRIGGER student_search_insert AFTER INSERT ON students BEGIN"
        f" INSERT INTO student_search (rowid, words) VALUES (NEW.id, {_search_text('NEW')}); END"
    )
    db.execute("CREATE TRIGGER student_search_delete AFTER DELETE ON students BEGIN DELETE FROM student_search WHERE rowid = OLD.id; END")
    db.execute(
        "CREATE TRIGGER student_search_update AFTER UPDATE OF id, given_name, family_name, preferred_name, student_number"
        " ON students BEGIN DELETE FROM student_search WHERE rowid = OLD.id;"
        f" INSERT INTO student_search (rowid, words) VALUES (NEW.id, {_search_text('NEW')}); END"
    )


@APP_MIGRATIONS()
def m006_record_versions_only_when_kept(db: Database) -> None:
    # m004's triggers created a student_versions row on every write, which made bulk loads
    # (a demo district, a roster import) half again slower. A version only matters for a
    # student whose compliance results are kept, and the report creates the row before it
    # keeps any (services/compliance.py), so the triggers now only bump existing rows,
    # naming the student with `=` where there is one (an IN list costs a temporary table).
    bump = "UPDATE student_versions SET version = version + 1 WHERE student_id {};"
    own = "= {0}.student_id"
    of_plan = "= (SELECT student_id FROM plans WHERE id = {0}.plan_id)"
    in_conference = "IN (SELECT student_id FROM conference_students WHERE conference_id = {0}.conference_id)"
    sources = {
        "assessment_results": [own], "progress_notes": [own], "accomplishments": [own], "inventory_attempts": [own],
        "cluster_choices": [own], "course_plan_entries": [own], "credits_earned": [own], "parent_involvement": [own],
        "early_graduation_plans": [own], "student_guardians": [own], "plans": [own],
        "strengths": [of_plan], "goals": [of_plan], "postsecondary_plans": [of_plan],
        # Everyone in a conference: its kind, date, group size and who attended count for each.
        "conferences": [in_conference.replace(".conference_id", ".id")],
        "conference_attendees": [in_conference],
        "conference_students": [own, in_conference],
    }
    for table, selects in sources.items():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            name = f"{table}_{event.lower()}_version"
            body = " ".join(bump.format(select.format(row)) for row in rows for select in selects)
            columns = " OF student_id, school_year_id" if table == "plans" and event == "UPDATE" else ""
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute(f"CREATE TRIGGER {name} AFTER {event}{columns} ON {table} BEGIN {body} END")


# m007: the search index's rowid orders students by name. A rowid is
# name key * 2**24 + students.id, where the name key (_name_key) packs the first
# eight letters of "family name, end, given name" as SQLite's NOCASE orders them
# (a-z exactly, anything else as "below a" or "above z", after which the key stops),
# so a smaller key never belongs to a later name. A student id of 2**24 or more gets
# rowid -id: such rows come first and are always sorted in full.
SEARCH_ID_BITS = 24
SEARCH_KEY_LETTERS = 8  # 29**8 * 2**24 stays below 2**63


def _name_key(row: str) -> str:
    """SQL for the name key of `row` (NEW, OLD or a table alias), 0 .. 29**8 - 1."""
    n = SEARCH_KEY_LETTERS
    family, given = f"coalesce({row}.family_name, '')", f"coalesce({row}.given_name, '')"

    def letter(i: int) -> str:
        # Position i (from 1) of: family name, an empty "end", given name.
        return (
            f"CASE WHEN {i} <= length({family}) THEN substr({family}, {i}, 1) WHEN {i} = length({family}) + 1 THEN ''"
            f" ELSE substr({given}, {i} - length({family}) - 1, 1) END"
        )

    # 0 end, 1 below a, 2-27 a-z, 28 above z (unicode('') is NULL).
    symbols = ", ".join(f"coalesce(min(28, max(1, unicode(lower({letter(i)})) - 95)), 0) AS k{i}" for i in range(1, n + 1))
    # After a "below a" or "above z" the rest of the key is 0.
    key = "0"
    for i in range(n, 0, -1):
        key = f"k{i} * {29 ** (n - i)} + CASE WHEN k{i} IN (1, 28) THEN 0 ELSE {key} END"
    return f"(SELECT {key} FROM (SELECT {symbols}))"


def _search_rowid(row: str) -> str:
    return f"(CASE WHEN {row}.id < {2 ** SEARCH_ID_BITS} THEN {_name_key(row)} * {2 ** SEARCH_ID_BITS} + {row}.id ELSE -{row}.id END)"


@APP_MIGRATIONS()
def m007_student_search_in_name_order(db: Database) -> None:
    # At state size (700,000 students) two letters match tens of thousands of students
    # and sorting them all by name took most of a search. With rowids in name order
    # (_name_key above) the first page is read in index order and the walk stops soon
    # after it. Rows sharing a name key (every "Christensen") are put in order by
    # student_name_order, whose rows carry the same rowid and whose index walks one
    # key's students by full name. Prefix indexes answer one to three letters without
    # merging every word that starts with them. `tags` holds "s<school id>", and
    # "inactive" for a student who is not active, so the index alone answers a district
    # or school search; what someone types is only matched against `words`. The
    # triggers also follow a change of school or of active.
    for name in ("student_search_insert", "student_search_delete", "student_search_update"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE IF EXISTS student_search")
    db.execute(
        "CREATE VIRTUAL TABLE student_search USING fts5 (words, tags, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    db.execute("CREATE TABLE student_name_order (key INTEGER PRIMARY KEY, family TEXT NOT NULL, given TEXT NOT NULL)")

    def search_values(row: str, rowid: str | None = None) -> str:
        tags = f"'s' || {row}.school_id || CASE WHEN {row}.active = 1 THEN '' ELSE ' inactive' END"
        return f"{rowid or _search_rowid(row)}, {_search_text(row)}, {tags}"

    def name_values(row: str) -> str:
        return f"{_search_rowid(row)}, {row}.family_name, {row}.given_name"

    search, names = "student_search (rowid, words, tags)", "student_name_order (key, family, given)"
    db.execute(f"INSERT INTO {names} SELECT {name_values('s')} FROM students s ORDER BY 1")
    # In rowid order: out of order, the full-text index writes out its buffer at every row.
    db.execute(
        f"INSERT INTO {search} SELECT {search_values('s', 'n.key')} FROM student_name_order n"
        f" JOIN students s ON s.id = (CASE WHEN n.key < 0 THEN -n.key ELSE n.key & {2**SEARCH_ID_BITS - 1} END) ORDER BY n.key"
    )
    db.execute(
        f"CREATE INDEX student_name_order_by_name ON student_name_order (key >> {SEARCH_ID_BITS},"
        " family COLLATE NOCASE, given COLLATE NOCASE, key)"
    )
    insert = f"INSERT INTO {search} VALUES ({search_values('NEW')}); INSERT INTO {names} VALUES ({name_values('NEW')});"
    old = _search_rowid("OLD")
    delete = f"DELETE FROM student_search WHERE rowid = {old}; DELETE FROM student_name_order WHERE key = {old};"
    db.execute(f"CREATE TRIGGER student_search_insert AFTER INSERT ON students BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER student_search_delete AFTER DELETE ON students BEGIN {delete} END")
    db.execute(
        "CREATE TRIGGER student_search_update AFTER UPDATE OF id, given_name, family_name, preferred_name, student_number,"
        f" school_id, active ON students BEGIN {delete} {insert} END"
    )


@APP_MIGRATIONS()
def m008_roster_source_ids(db: Database) -> None:
    # A roster import (OneRoster CSV) names each school, person and class by its sourcedId in
    # the student information system. Kept here, the next day's files update the same rows
    # instead of adding the people again. Empty for rows made in the app or by the demo.
    for table in ("schools", "staff", "students", "guardians"):
        db[table].add_column("sourced_id", str)
        db.execute(f"CREATE UNIQUE INDEX {table}_sourced_id ON {table} (sourced_id) WHERE sourced_id IS NOT NULL")


@APP_MIGRATIONS()
def m009_audit_index_by_student_only(db: Database) -> None:
    # A district report's CSV writes one audit row per student listed (tens of thousands),
    # each landing at a random place in the by-student index: with the time in every
    # entry that index was several times the size, and every such export dirtied (and
    # checkpointed) most of its pages. A student's rows are few and sorted when read.
    db.execute("DROP INDEX IF EXISTS idx_audit_log_student_id_at")
    db.execute("CREATE INDEX audit_log_student ON audit_log (student_id)")
