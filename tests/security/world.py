"""A small district built for security tests: who is who, and two students whose
whole record is filled in, every field a person can type holding hostile text.

People (username -> role, school):
- victim_h (grade 10, High), classmate_h (grade 10, High): students
- victim_e (grade 4, Elementary), classmate_e (grade 4, Elementary): students
- teacher_h (High, victim_h in class), teacher_h2 (High, classmate_h in class)
- teacher_e (Elementary, victim_e in class), teacher_e2 (Elementary, classmate_e in class)
- counselor_h (High), counselor_m (Middle): counselors
- principal_h, principal_e, principal_m: administrators of a school
- district_admin: administrator for the whole district

Every user-text column (USER_TEXT) of every row of the victims' records holds
one of HOSTILE followed by a unique tag ("#T012"), so a test can find each value
on a screen and check it shows exactly as typed (minus control characters).
`check_schema_is_classified` fails when a migration adds a text column nobody
classified, or a table linked to students that `seed_record` does not fill:
add it here, and every test below covers it.
"""

from __future__ import annotations

import functools
import json
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from seop_tui.reference import Reference
from seop_tui.services.auth import hash_secret
from seop_tui.services.context import Actor
from seop_tui.storage import Store, open_store
from seop_tui.text import strip_controls

PIN = "4821"
PASSWORD = "correct horse battery staple"

HOSTILE = (
    "[bold]",
    "[/]",
    "[/",
    "[@click=app.quit]x[/]",
    "[link=https://x]y[/link]",
    "\x1b]52;c;U0VPUA==\x07",  # OSC 52: set the terminal's clipboard
    "\x1b[2J",  # clear the screen
)
OSC52 = "\x1b]52"

# Columns a person types (or an import fills from what people typed): shown literally.
USER_TEXT: dict[str, tuple[str, ...]] = {
    "accomplishments": ("title", "description"),
    "accounts": ("username",),
    "amendment_requests": ("requested_by", "record_part", "change_requested", "reason", "statement"),
    "audit_log": ("what",),  # holds usernames typed at sign-in
    "conference_attendees": ("other_name",),
    "conferences": ("location", "notes", "follow_ups"),
    "credits_earned": ("course_name", "mark"),
    "district": ("name",),
    "early_graduation_plans": ("reason",),
    "goal_updates": ("note",),
    "goals": ("text", "steps"),
    "guardians": ("given_name", "family_name", "email", "phone", "preferred_language"),
    "inspection_requests": ("requested_by", "fulfilled_how", "notes"),
    "parent_involvement": ("purpose", "notes"),
    "plan_comments": ("body",),
    "postsecondary_plans": ("institution", "program", "occupations", "next_steps"),
    "progress_notes": ("subject", "note"),
    "schools": ("name",),
    "staff": ("given_name", "family_name", "email"),
    "staff_training": ("notes",),
    "strengths": ("text",),
    "students": ("given_name", "family_name", "preferred_name"),
}
# Text columns holding codes, dates, states or app-made values.
STRUCTURED: dict[str, tuple[str, ...]] = {
    "accomplishments": ("kind", "occurred_on", "created_at"),
    "accounts": ("role", "secret_hash", "throttled_until", "last_sign_in", "created_at"),
    "amendment_requests": ("relationship", "received_on", "outcome", "decided_on", "created_at"),
    "assessment_results": ("assessment", "subject", "taken_on", "source"),
    "audit_log": ("at", "role", "action", "terminal"),
    "class_rosters": (),
    "compliance_cache": ("stamp", "results"),
    "cluster_choices": ("framework", "cluster_code", "pathway_code", "chosen_on"),
    "conferences": ("kind", "held_on", "created_at"),
    "course_plan_entries": ("course_code", "term", "added_at"),
    "credits_earned": ("course_code", "area", "subarea", "school_year", "term", "source"),
    "district": ("state",),
    "early_graduation_plans": ("declared_on", "target_term", "student_approved_on", "parent_approved_on", "official_approved_on", "withdrawn_on"),
    "goal_updates": ("status", "created_at"),
    "goals": ("kind", "target_date", "status", "monitors", "created_at", "updated_at"),
    "inspection_requests": ("relationship", "received_on", "due_on", "fulfilled_on", "created_at"),
    "inventory_answers": ("item_id", "answered_at"),
    "inventory_attempts": ("inventory", "started_at", "completed_at", "scores", "holland_code"),
    "parent_involvement": ("method", "sent_on", "response", "responded_on"),
    "plan_comments": ("section", "created_at", "resolved_at"),
    "plan_versions": ("snapshot", "finalized_at"),
    "plans": ("kind", "status", "created_at", "updated_at", "submitted_at", "finalized_at"),
    "postsecondary_plans": ("education_choice", "updated_at"),
    "progress_notes": ("created_at",),
    "school_years": ("name", "starts_on", "ends_on"),
    "schools": ("code", "kind", "sourced_id"),  # sourced_id: the roster import's id for the row
    "sign_in_throttle": ("username", "throttled_until", "last_failed_at"),
    "staff": ("role", "sourced_id"),
    "staff_training": ("training", "completed_on"),
    "strengths": ("kind", "created_at"),
    "student_guardians": ("relationship",),
    "student_name_order": ("family", "given"),  # folded copies of students' names for search order, never shown
    "students": ("student_number", "birth_date", "updated_at", "sourced_id"),
    "guardians": ("sourced_id",),
}
NOT_RECORDS = ("_sqlite_migrations",)  # bookkeeping; full-text index tables are skipped too


def shown(value: str) -> str:
    """How a stored value must appear on screen: exactly, minus control characters."""
    return strip_controls(value)


@functools.cache
def _hashes() -> tuple[str, str]:
    return hash_secret(PIN), hash_secret(PASSWORD)


@dataclass
class World:
    store: Store
    ref: Reference
    year_id: int = 0
    last_year_id: int = 0
    schools: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)  # username -> staff id
    students: dict[str, int] = field(default_factory=dict)  # username -> student id
    plans: dict[str, int] = field(default_factory=dict)  # victim username -> current plan id
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # victim -> table -> a row id of theirs
    texts: dict[str, str] = field(default_factory=dict)  # tag -> value stored
    _next_tag: int = 0

    # -- building ----------------------------------------------------------------------

    def hostile(self, extra: str = "") -> str:
        """The next hostile value, with a unique tag at its end."""
        self._next_tag += 1
        tag = f"#T{self._next_tag:03d}"
        value = HOSTILE[self._next_tag % len(HOSTILE)] + extra + tag
        self.texts[tag] = value
        return value

    def actor(self, username: str) -> Actor:
        from seop_tui.services.auth import _actor_for

        row = self.store.one("SELECT * FROM accounts WHERE username = ?", (username,))
        return _actor_for(self.store, row, "test-terminal")

    def plan(self, victim: str):
        from seop_tui.services.plans import load_plan

        return load_plan(self.store, self.plans[victim])

    def reopen(self, path: Path) -> World:
        """This world over a copy of its database at `path`."""
        self.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(self.store.path, path)
        clone = World(**{k: v for k, v in self.__dict__.items() if k not in ("store",)}, store=open_store(path))
        return clone


def build(path: Path, ref: Reference) -> World:
    """The district, with both victims' records filled in."""
    student_hash, staff_hash = _hashes()
    w = World(open_store(path), ref)
    today = date.today()
    start = today.year if today.month >= 8 else today.year - 1
    with w.store.write() as db:
        db["district"].insert({"name": "Test District " + w.hostile(), "state": "UT"})
        w.last_year_id = db["school_years"].insert(
            {"name": f"{start - 1}-{str(start)[2:]}", "starts_on": f"{start - 1}-08-15", "ends_on": f"{start}-05-29", "is_current": 0}
        ).last_pk
        w.year_id = db["school_years"].insert(
            {"name": f"{start}-{str(start + 1)[2:]}", "starts_on": f"{start}-08-15", "ends_on": f"{start + 1}-05-29", "is_current": 1}
        ).last_pk
        for key, code, kind, low, high in (("H", "HHS", "high", 9, 12), ("E", "EES", "elementary", 0, 5), ("M", "MMS", "middle", 6, 8)):
            w.schools[key] = db["schools"].insert({"code": code, "name": w.hostile(" School "), "kind": kind, "low_grade": low, "high_grade": high}).last_pk

        def account(username: str, role: str) -> int:
            secret = student_hash if role == "student" else staff_hash
            return db["accounts"].insert({"username": username, "role": role, "secret_hash": secret, "created_at": f"{start}-08-01T00:00:00+00:00"}).last_pk

        for username, role, school in (
            ("teacher_h", "teacher", "H"), ("teacher_h2", "teacher", "H"), ("teacher_e", "teacher", "E"), ("teacher_e2", "teacher", "E"),
            ("counselor_h", "counselor", "H"), ("counselor_m", "counselor", "M"),
            ("principal_h", "administrator", "H"), ("principal_e", "administrator", "E"), ("principal_m", "administrator", "M"),
            ("district_admin", "administrator", None),
        ):
            w.staff[username] = db["staff"].insert(
                {"account_id": account(username, role), "given_name": w.hostile(), "family_name": w.hostile(), "role": role,
                 "school_id": w.schools[school] if school else None, "email": w.hostile("@example.org")}
            ).last_pk
        for username, grade, school, teacher in (
            ("victim_h", 10, "H", "teacher_h"), ("classmate_h", 10, "H", "teacher_h2"),
            ("victim_e", 4, "E", "teacher_e"), ("classmate_e", 4, "E", "teacher_e2"),
        ):
            sid = db["students"].insert(
                {"account_id": account(username, "student"), "student_number": f"S-{username}", "given_name": w.hostile(),
                 "family_name": w.hostile(), "preferred_name": w.hostile() if username.startswith("victim") else None,
                 "birth_date": f"{start - grade - 6}-03-04", "grade": grade, "school_id": w.schools[school],
                 "counselor_id": w.staff["counselor_h"] if school == "H" else None, "cohort_year": start - (grade - 9),
                 "active": 1, "updated_at": f"{start}-08-01T00:00:00+00:00"}
            ).last_pk
            w.students[username] = sid
            db["class_rosters"].insert({"teacher_id": w.staff[teacher], "student_id": sid, "school_year_id": w.year_id})
        db["staff_training"].insert({"staff_id": w.staff["teacher_e"], "training": "sep", "completed_on": f"{start}-08-10", "hours": 2, "notes": w.hostile()})
    for victim in ("victim_h", "victim_e"):
        seed_record(w, victim)
    return w


def seed_record(w: World, victim: str) -> None:
    """Fill every part of `victim`'s record; user text is hostile, everything else valid."""
    ref, sid = w.ref, w.students[victim]
    grade = w.store.one("SELECT grade FROM students WHERE id = ?", (sid,))[0]
    today = date.today()
    now = f"{today.isoformat()}T09:00:00+00:00"
    year = w.store.one("SELECT * FROM school_years WHERE id = ?", (w.year_id,))
    held = min(today, date.fromisoformat(year["starts_on"]) + timedelta(days=20)).isoformat()
    kind = "SEP" if grade <= 5 else "SEOP"
    counselor_account = w.store.one("SELECT account_id FROM staff WHERE id = ?", (w.staff["counselor_h"],))[0]
    student_account = w.store.one("SELECT account_id FROM students WHERE id = ?", (sid,))[0]
    staff_member = w.staff["teacher_e" if kind == "SEP" else "counselor_h"]
    cluster = ref.clusters.clusters[0]
    course = next(c for c in ref.courses.courses if grade in c.grades or c.grades[0] >= 9)
    assessment = ref.assessments.assessments[0]
    rows: dict[str, int] = {}
    with w.store.write() as db:
        def add(table: str, row: dict) -> int:
            pk = db[table].insert(row).last_pk
            rows.setdefault(table, pk)
            return pk

        last_plan = add("plans", {"student_id": sid, "school_year_id": w.last_year_id, "kind": kind, "grade": grade - 1, "status": "finalized",
                                  "version": 2, "created_at": now, "updated_at": now, "updated_by": counselor_account, "finalized_at": now,
                                  "finalized_by": w.staff["counselor_h"]})
        plan = db["plans"].insert({"student_id": sid, "school_year_id": w.year_id, "kind": kind, "grade": grade, "status": "draft",
                                   "version": 1, "created_at": now, "updated_at": now, "updated_by": student_account}).last_pk
        w.plans[victim] = plan
        rows["plans"] = plan
        for k in ("strength", "needs_attention"):
            add("strengths", {"plan_id": plan, "kind": k, "text": w.hostile(), "from_list": 0, "position": 0, "created_at": now})
        goal = add("goals", {"plan_id": plan, "kind": "education", "text": w.hostile(), "steps": w.hostile(), "target_date": today.isoformat(),
                             "status": "in_progress", "monitors": json.dumps(["student", "parent", "teacher"]), "created_at": now, "updated_at": now})
        add("goals", {"plan_id": plan, "kind": "career" if kind == "SEOP" else "career_awareness", "text": w.hostile(), "steps": w.hostile(),
                      "status": "not_started", "monitors": "[]", "created_at": now, "updated_at": now})
        add("goal_updates", {"goal_id": goal, "author_id": student_account, "status": "in_progress", "note": w.hostile(), "created_at": now})
        add("plan_comments", {"plan_id": plan, "section": "goals", "author_id": counselor_account, "body": w.hostile(), "created_at": now})
        attempt = add("inventory_attempts", {"student_id": sid, "plan_id": plan, "inventory": "riasec", "started_at": now, "completed_at": now,
                                             "scores": json.dumps({a: 10 for a in "RIASEC"}), "holland_code": "SAE"})
        add("inventory_answers", {"attempt_id": attempt, "item_id": ref.inventory.items[0].id, "value": 3, "answered_at": now})
        add("cluster_choices", {"student_id": sid, "plan_id": plan, "framework": ref.district.cluster_framework, "cluster_code": cluster.code,
                                "pathway_code": cluster.pathways[0].code, "grade": grade, "chosen_on": today.isoformat(), "chosen_by": student_account})
        add("course_plan_entries", {"student_id": sid, "course_code": course.code, "grade": max(grade, course.grades[0]), "term": "year",
                                    "added_at": now, "added_by": student_account})
        add("postsecondary_plans", {"plan_id": plan, "education_choice": "university", "institution": w.hostile(), "program": w.hostile(),
                                    "occupations": w.hostile(), "next_steps": w.hostile(), "updated_at": now})
        add("early_graduation_plans", {"student_id": sid, "declared_on": today.isoformat(), "target_grade": 11, "target_term": "spring",
                                       "reason": w.hostile()})
        add("accomplishments", {"student_id": sid, "kind": "award", "title": w.hostile(), "description": w.hostile(), "occurred_on": today.isoformat(),
                                "hours": 3.0, "entered_by": student_account, "created_at": now})
        add("assessment_results", {"student_id": sid, "school_year_id": w.last_year_id, "assessment": assessment.code,
                                   "subject": assessment.subjects[0].code, "grade": max(3, grade - 1), "level": 3, "scale_score": 300,
                                   "taken_on": today.isoformat(), "source": "entered"})
        add("credits_earned", {"student_id": sid, "course_code": None, "course_name": w.hostile(), "area": course.area, "subarea": None,
                               "credits": 1.0, "grade": max(grade - 1, 0), "school_year": year["name"], "term": "year", "mark": w.hostile(), "source": "entered"})
        add("progress_notes", {"student_id": sid, "school_year_id": w.year_id, "author_id": counselor_account, "subject": w.hostile(),
                               "note": w.hostile(), "created_at": now})
        guardian = add("guardians", {"given_name": w.hostile(), "family_name": w.hostile(), "email": w.hostile("@example.org"),
                                     "phone": w.hostile(" 555-0100"), "preferred_language": w.hostile()})
        add("student_guardians", {"student_id": sid, "guardian_id": guardian, "relationship": "parent", "lives_with": 1})
        conference = add("conferences", {"school_year_id": w.year_id, "kind": "individual", "held_on": held, "duration_minutes": 20,
                                         "location": w.hostile(), "notes": w.hostile(), "follow_ups": w.hostile(), "recorded_by": counselor_account,
                                         "created_at": now})
        add("conference_students", {"conference_id": conference, "student_id": sid, "student_attended": 1})
        add("conference_attendees", {"conference_id": conference, "guardian_id": guardian})
        add("conference_attendees", {"conference_id": conference, "staff_id": staff_member})
        add("conference_attendees", {"conference_id": conference, "other_name": w.hostile()})
        add("parent_involvement", {"student_id": sid, "school_year_id": w.year_id, "guardian_id": guardian, "purpose": w.hostile(),
                                   "method": "email", "sent_on": held, "response": "accepted", "responded_on": held, "notes": w.hostile(),
                                   "recorded_by": counselor_account})
        add("inspection_requests", {"student_id": sid, "requested_by": w.hostile(), "relationship": "parent", "received_on": held,
                                    "due_on": (date.fromisoformat(held) + timedelta(days=45)).isoformat(), "fulfilled_on": held,
                                    "fulfilled_how": w.hostile(), "notes": w.hostile(), "recorded_by": counselor_account, "created_at": now})
        add("amendment_requests", {"student_id": sid, "requested_by": w.hostile(), "relationship": "parent", "received_on": held,
                                   "record_part": w.hostile(), "change_requested": w.hostile(), "outcome": "refused", "decided_on": held,
                                   "reason": w.hostile(), "statement": w.hostile(), "recorded_by": counselor_account, "created_at": now})
        db.execute(
            "INSERT INTO audit_log (at, account_id, action, student_id, what, terminal) VALUES (?, ?, 'view', ?, ?, 'ssh:192.0.2.7')",
            # An earlier visit: dated yesterday so it is older than anything the test does.
            [f"{(today - timedelta(days=1)).isoformat()}T09:00:00+00:00", counselor_account, sid, w.hostile()],
        )
    w.rows[victim] = rows
    # The finalized version kept whole: the same document the screens show, taken now.
    from seop_tui.services.plan_document import plan_document
    from seop_tui.services.plans import load_plan

    snapshot = plan_document(w.store, ref, w.actor("district_admin"), load_plan(w.store, plan))
    with w.store.write() as db:
        rows["plan_versions"] = db["plan_versions"].insert(
            {"plan_id": last_plan, "version": 2, "snapshot": json.dumps(snapshot, sort_keys=True), "finalized_by": w.staff["counselor_h"],
             "finalized_at": now}
        ).last_pk


def text_columns(store: Store) -> dict[str, list[str]]:
    """Every TEXT column of every record table."""
    out = {}
    virtual = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    for (table,) in store.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        if table.startswith("sqlite_") or table in NOT_RECORDS or any(table == v or table.startswith(v + "_") for v in virtual):
            continue
        out[table] = [r["name"] for r in store.query(f"PRAGMA table_info('{table}')") if r["type"].upper() == "TEXT"]
    return out
