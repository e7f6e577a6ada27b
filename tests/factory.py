"""Small hand-built districts for tests: every row is visible in the test that makes it."""

from __future__ import annotations

import functools

from seop_tui.services.auth import hash_secret
from seop_tui.services.context import Actor
from seop_tui.storage import Store

PIN = "1234"
PASSWORD = "correct-horse-battery"


@functools.cache
def _hash(secret: str) -> str:
    return hash_secret(secret)


class District:
    """Builds rows in `store`; returns ids. Names are plain so tests read well."""

    def __init__(self, store: Store, year: str = "2026-27"):
        self.store = store
        start = int(year[:4])
        with store.write() as db:
            db["district"].insert({"name": "Test District"})
            db["school_years"].insert({"name": f"{start - 1}-{str(start)[2:]}", "starts_on": f"{start - 1}-08-15", "ends_on": f"{start}-05-29", "is_current": 0})
            self.year_id = db["school_years"].insert(
                {"name": year, "starts_on": f"{start}-08-15", "ends_on": f"{start + 1}-05-29", "is_current": 1}
            ).last_pk
        self.year_start = start

    def school(self, code: str = "DHS", kind: str = "high", low: int = 9, high: int = 12, name: str | None = None) -> int:
        with self.store.write() as db:
            return db["schools"].insert({"code": code, "name": name or f"{code} School", "kind": kind, "low_grade": low, "high_grade": high}).last_pk

    def staff(self, username: str, role: str, school_id: int | None, given: str = "Pat", family: str = "Staff") -> int:
        with self.store.write() as db:
            account = db["accounts"].insert({"username": username, "role": role, "secret_hash": _hash(PASSWORD)}).last_pk
            return db["staff"].insert(
                {"account_id": account, "given_name": given, "family_name": family, "role": role, "school_id": school_id}
            ).last_pk

    def student(
        self,
        username: str,
        grade: int,
        school_id: int,
        given: str = "Sam",
        family: str = "Student",
        counselor_id: int | None = None,
        teacher_id: int | None = None,
    ) -> int:
        with self.store.write() as db:
            account = db["accounts"].insert({"username": username, "role": "student", "secret_hash": _hash(PIN)}).last_pk
            sid = db["students"].insert(
                {
                    "account_id": account,
                    "student_number": f"{account:07d}",
                    "given_name": given,
                    "family_name": family,
                    "grade": grade,
                    "school_id": school_id,
                    "counselor_id": counselor_id,
                    "cohort_year": self.year_start - (grade - 9),
                }
            ).last_pk
            if teacher_id:
                db["class_rosters"].insert({"teacher_id": teacher_id, "student_id": sid, "school_year_id": self.year_id})
        return sid

    def guardian(self, student_id: int, given: str = "Alex", family: str = "Parent", relationship: str = "parent") -> int:
        with self.store.write() as db:
            gid = db["guardians"].insert({"given_name": given, "family_name": family}).last_pk
            db["student_guardians"].insert({"student_id": student_id, "guardian_id": gid, "relationship": relationship})
            return gid

    def actor(self, username: str) -> Actor:
        """The Actor a successful sign-in would give, without hashing work."""
        from seop_tui.services.auth import _actor_for

        row = self.store.one("SELECT * FROM accounts WHERE username = ?", (username,))
        return _actor_for(self.store, row, "test")
